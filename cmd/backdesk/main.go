// Command backdesk runs the clinic web app and API, applies migrations,
// manages accounts and evaluates self-assessments from the command line.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// defaultMemoryLimit is the Go runtime's soft memory limit unless
// GOMEMLIMIT sets another (README, Operations). backdesk's own heap is a
// few MB; what swells it is a sign-in's password hash, 19 MiB of argon2
// memory that is garbage a moment later. Without a limit the runtime keeps
// that memory mapped and hands it back slowly, and a few sign-ins in a row
// take the process past 90 MB; with it, the collector and the scavenger
// keep the heap near the limit. It is soft: a heap that needs more gets it.
const defaultMemoryLimit = 64 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		fmt.Fprintln(os.Stderr, "backdesk:", err)
		os.Exit(1)
	}
}

// exitError ends the program with code after its output was already written.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

const usage = `backdesk: care for lower back pain, for clinics and their patients

Usage:
  backdesk serve [--addr HOST:PORT] [--db URL] [--demo] [--dev]
                 [--backup-dir DIR [--backup-every 1h] [--backup-keep 48]] [--debug-addr 127.0.0.1:PORT]
  backdesk migrate [--db URL]
  backdesk users add --email E --name N --role patient|practitioner|reception|admin [--db URL]   (password on stdin)
  backdesk assess [--country CC]   (answers JSON on stdin, result JSON on stdout)
  backdesk backup --to FILE [--force] [--db URL]   (a consistent copy of a SQLite database, also while it serves)
  backdesk restore --from FILE [--db URL]   (puts a backup in place; the database must not be in use)
  backdesk check [--db URL] [--smtp URL] [serve's other settings]   (checks configuration, database, migrations, mail server)

--db takes sqlite:PATH (default sqlite:backdesk.db) or postgres://USER@HOST/DBNAME.
BACKDESK_ADDR and BACKDESK_DB set the same as --addr and --db; every setting
has its BACKDESK_* variable (see the README). backdesk COMMAND -h lists a
command's flags.
`

// run is the whole program, with its environment passed in so that tests
// can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args[1:], getenv, stdout, stderr)
	case "users":
		if len(args) < 2 || args[1] != "add" {
			return errors.New("usage: backdesk users add --email E --name N --role R [--db URL]")
		}
		return runUsersAdd(ctx, args[2:], getenv, stdin, stdout, stderr)
	case "assess":
		return runAssess(args[1:], getenv, stdin, stdout, stderr)
	case "backup":
		return runBackup(ctx, args[1:], getenv, stdout, stderr)
	case "restore":
		return runRestore(ctx, args[1:], getenv, stdout, stderr)
	case "check":
		return runCheck(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
