// Command loadtest measures booking through the real HTTP path against the
// raw insert rate of the same database driver and settings, in one run, on
// this machine:
//
//	go run ./cmd/loadtest                     # SQLite: one server process
//	go run ./cmd/loadtest --db 'postgres:///backdesk_load?host=/var/run/postgresql'
//	                                          # PostgreSQL: two server processes on one database
//
// It builds backdesk (or takes --backdesk), makes a fresh database (a
// temporary SQLite file, or a new schema in the PostgreSQL database, dropped
// at the end) and seeds a load clinic in it: one location open every day
// 08:00–20:00 with a two-year horizon, --practitioners practitioners working
// all those hours, one 45-minute service with a 15-minute buffer on an
// hourly grid, and --clients patient accounts. It starts real `backdesk
// serve` processes on loopback, signs each client in through the API, and
// has every client book its own free, non-overlapping times through
// POST /api/v1/appointments for --duration, after a --warmup that is not
// counted. Before and after, it measures raw single-row insert transactions
// with the same driver and settings (SQLite: the store's write connection
// settings, WAL and synchronous=FULL, one connection; PostgreSQL: pgx), with
// one writer and with --clients writers.
//
// It prints both rates, their ratio, the bookings' p50 and p99 latency, the
// servers' CPU time per booking and their peak resident memory, and counts
// the booked rows to check that every 201 was stored. Every request must be
// answered 201: any other answer is a failure, and the command exits 1.
// Linux only (it reads /proc for the servers' CPU time and memory).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

type options struct {
	db            string // "sqlite" or a postgres:// URL
	clients       int
	servers       int
	duration      time.Duration
	warmup        time.Duration
	raw           time.Duration
	practitioners int
	backdesk      string // a built binary; "" builds ./cmd/backdesk
	cpuProfile    string // a file for the first server's CPU profile of the measured phase
	keep          bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.db, "db", "sqlite", "sqlite (a temporary file), or a PostgreSQL URL postgres://… whose database gets a fresh schema")
	fs.IntVar(&o.clients, "clients", 8, "concurrent clients booking, each signed in as its own patient")
	fs.IntVar(&o.servers, "servers", 0, "backdesk serve processes (default 1 for SQLite, 2 for PostgreSQL); clients are spread over them")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long the clients book, measured")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "how long the clients book first, not measured")
	fs.DurationVar(&o.raw, "raw", 4*time.Second, "how long each raw insert measurement runs (four of them: 1 and N writers, before and after)")
	fs.IntVar(&o.practitioners, "practitioners", 100, "practitioners of the load clinic (each has 12 free times a day for two years)")
	fs.StringVar(&o.backdesk, "backdesk", "", "the backdesk binary to run (default: go build ./cmd/backdesk into the work folder)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write the first server's CPU profile of the measured phase to this file (through serve --debug-addr); read it with go tool pprof")
	fs.BoolVar(&o.keep, "keep", false, "keep the work folder (database, server logs) and print where it is")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.clients < 1 || o.practitioners < 1 || o.duration <= 0 || o.raw <= 0 || o.warmup < 0 {
		return errors.New("--clients and --practitioners must be at least 1, --duration and --raw more than 0")
	}
	if runtime.GOOS != "linux" {
		return errors.New("loadtest reads /proc for the servers' CPU time and memory: it runs on Linux")
	}
	pg := strings.HasPrefix(o.db, "postgres://") || strings.HasPrefix(o.db, "postgresql://")
	if !pg && o.db != "sqlite" {
		return fmt.Errorf("--db %q: give sqlite or a postgres:// URL", o.db)
	}
	if o.servers == 0 {
		o.servers = 1
		if pg {
			o.servers = 2
		}
	}
	if !pg && o.servers != 1 {
		return errors.New("SQLite is served by one process per database file: --servers 1")
	}

	work, err := os.MkdirTemp("", "backdesk-load-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintf(stdout, "work folder: %s\n", work)
	} else {
		defer os.RemoveAll(work)
	}
	bin := o.backdesk
	if bin == "" {
		if bin, err = build(ctx, work); err != nil {
			return err
		}
	}

	var d database
	if pg {
		d, err = newPostgres(ctx, o.db)
	} else {
		d, err = newSQLite(filepath.Join(work, "load.db"))
	}
	if err != nil {
		return err
	}
	defer d.close()

	fmt.Fprintf(stdout, "seeding the load clinic (%d practitioners, %d patients) in %s …\n", o.practitioners, o.clients, d.describe())
	clinic, err := seed(ctx, d.url(), o.practitioners, o.clients)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}

	r := report{opts: o, kind: d.describe()}
	fmt.Fprintln(stdout, "raw inserts before …")
	if r.rawBefore, err = measureRaw(ctx, d, o); err != nil {
		return fmt.Errorf("raw inserts: %w", err)
	}

	servers, err := startServers(ctx, bin, d.url(), o.servers, o.cpuProfile != "", work)
	if err != nil {
		return err
	}
	defer stopServers(servers)

	fmt.Fprintf(stdout, "booking through HTTP: %d clients on %d server process(es), %s warm-up, %s measured …\n", o.clients, len(servers), o.warmup, o.duration)
	if r.book, err = book(ctx, clinic, servers, d, o); err != nil {
		return err
	}
	if err := stopServers(servers); err != nil {
		return err
	}
	for _, s := range servers {
		if s.peakRSS > r.peakRSS {
			r.peakRSS = s.peakRSS
		}
	}

	fmt.Fprintln(stdout, "raw inserts after …")
	if r.rawAfter, err = measureRaw(ctx, d, o); err != nil {
		return fmt.Errorf("raw inserts: %w", err)
	}
	if r.stored, err = d.countBookings(ctx); err != nil {
		return err
	}
	r.print(stdout)
	if r.book.failed > 0 || r.stored != r.book.ok+r.book.warmupOK {
		return errors.New("not every booking was answered 201 and stored")
	}
	return nil
}
