package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"backdesk/storetest"
)

// runEnv is runCmd with environment variables.
func runEnv(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	// A command that should have refused but serves instead ends here.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := run(ctx, args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
}

// wantOneLine fails unless err is a single line that contains want.
func wantOneLine(t *testing.T, what string, err error, want string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Errorf("%s = %v, want one line with %q", what, err, want)
	}
}

// integrityOK runs PRAGMA integrity_check on the SQLite file at path.
func integrityOK(t *testing.T, path string) {
	t.Helper()
	var res string
	if err := storetest.RawDB(t, "sqlite:"+path).QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Errorf("integrity_check of %s = %q, %v", path, res, err)
	}
}

// TestBackupWhileBooking: a backup taken while 8 clients book through the
// API of a real server process holds every booking answered 201 before it
// started, and restores into a whole database.
func TestBackupWhileBooking(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a real server process")
	}
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			to := filepath.Join(t.TempDir(), "backup.db")
			if db.name == "postgres" {
				_, _, err := runCmd(t, "", "backup", "--db", db.url, "--to", to)
				wantOneLine(t, "backup of PostgreSQL", err, "pg_dump")
				if _, err := os.Stat(to); err == nil {
					t.Error("a refused backup wrote a file")
				}
				return
			}
			_, base := startProcess(t, db.url, "--demo")
			jar, _ := cookiejar.New(nil)
			c := &Client{Client: &http.Client{Jar: jar, Timeout: 10 * time.Second}, base: base, tb: t}
			c.Login("reception@riverside.example")
			slots := slotsOf(t, c, "service=1&"+window(30))

			type acked struct{ id, start string }
			var mu sync.Mutex
			var done []acked
			count := func() int { mu.Lock(); defer mu.Unlock(); return len(done) }
			next, stop := make(chan int), make(chan struct{})
			var workers sync.WaitGroup
			for range 8 {
				workers.Go(func() {
					for i := range next {
						s := slots[i]
						body := fmt.Sprintf(`{"service_id":"1","practitioner_id":"%s","start":"%s","patient_id":"1"}`, s.PractitionerID, s.Start.Format(time.RFC3339))
						req, _ := http.NewRequest("POST", base+"/api/v1/appointments", strings.NewReader(body))
						req.Header.Set("Content-Type", "application/json")
						resp, err := c.Client.Do(req)
						if err != nil {
							t.Errorf("booking: %v", err)
							continue
						}
						var b bookingJSON
						if resp.StatusCode == 201 && jsonDecode(resp, &b) == nil {
							mu.Lock()
							done = append(done, acked{b.ID, s.Start.UTC().Format(time.RFC3339)})
							mu.Unlock()
						}
						resp.Body.Close()
					}
				})
			}
			go func() {
				defer close(next)
				for i := range slots {
					select {
					case next <- i:
					case <-stop:
						return
					}
				}
			}()
			waitFor(t, "40 bookings", func() bool { return count() >= 40 })

			mu.Lock()
			before := slices.Clone(done)
			mu.Unlock()
			out, _, err := runCmd(t, "", "backup", "--db", db.url, "--to", to)
			during := count() - len(before)
			close(stop)
			workers.Wait()
			if err != nil || !strings.Contains(out, "integrity ok") {
				t.Fatalf("backup = %q, %v", out, err)
			}
			t.Logf("%d bookings answered 201 before the backup, %d more while it ran, %d in all", len(before), during, count())

			restored := filepath.Join(t.TempDir(), "restored.db")
			out, _, err = runCmd(t, "", "restore", "--from", to, "--db", "sqlite:"+restored)
			if err != nil || !strings.Contains(out, "restored "+restored) {
				t.Fatalf("restore into a new file = %q, %v", out, err)
			}
			integrityOK(t, restored)
			raw := storetest.RawDB(t, "sqlite:"+restored)
			for _, a := range before {
				var start, status string
				err := raw.QueryRow(`SELECT starts_at, status FROM bookings WHERE id = $1`, a.id).Scan(&start, &status)
				if err != nil || status != "booked" || !strings.HasPrefix(start, strings.TrimSuffix(a.start, "Z")) {
					t.Errorf("booking %s at %s, answered 201 before the backup: %q %q %v", a.id, a.start, start, status, err)
				}
			}
		})
	}
}

// fileState is every file in dir with a hash of its bytes.
func fileState(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	state := map[string][32]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		state[e.Name()] = sha256.Sum256(b)
	}
	return state
}

func sameState(a, b map[string][32]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// makeSQLite creates a SQLite file at path by running stmts.
func makeSQLite(t *testing.T, path, stmts string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmts); err != nil {
		t.Fatal(err)
	}
}

// TestRestoreRefuses: restore changes nothing when the file is not a whole
// backdesk database or when a server has the database open; then, with the
// server stopped, it puts the backup in place and keeps the old database.
func TestRestoreRefuses(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			if db.name == "postgres" {
				from := filepath.Join(t.TempDir(), "x.db")
				os.WriteFile(from, []byte("x"), 0o600)
				_, _, err := runCmd(t, "", "restore", "--db", db.url, "--from", from)
				wantOneLine(t, "restore to PostgreSQL", err, "pg_restore")
				return
			}
			dir, elsewhere := t.TempDir(), t.TempDir()
			target := filepath.Join(dir, "clinic.db")
			dbURL := "sqlite:" + target
			if _, _, err := runCmd(t, "", "migrate", "--db", dbURL); err != nil {
				t.Fatal(err)
			}
			good := filepath.Join(elsewhere, "good.db")
			if _, _, err := runCmd(t, "", "backup", "--db", dbURL, "--to", good); err != nil {
				t.Fatal(err)
			}
			goodBytes, _ := os.ReadFile(good)

			junk := make([]byte, 64<<10)
			rand.Read(junk)
			for _, tc := range []struct {
				name string
				make func(path string)
				want string
			}{
				{"random bytes", func(p string) { os.WriteFile(p, junk, 0o600) }, "is not a SQLite database"},
				{"empty file", func(p string) { os.WriteFile(p, nil, 0o600) }, "is not a SQLite database"},
				{"SQLite header then random bytes", func(p string) { os.WriteFile(p, append([]byte("SQLite format 3\x00"), junk...), 0o600) }, ""},
				{"empty SQLite database", func(p string) { makeSQLite(t, p, `CREATE TABLE t (x); DROP TABLE t`) }, "not a backdesk"},
				{"SQLite database with other tables", func(p string) {
					makeSQLite(t, p, `CREATE TABLE clients (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO clients (name) VALUES ('A. Person')`)
				}, "not a backdesk"},
				{"another program's schema_migrations", func(p string) {
					makeSQLite(t, p, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY); INSERT INTO schema_migrations VALUES (20240101)`)
				}, "not a backdesk"},
				{"migrations this backdesk does not have", func(p string) {
					os.WriteFile(p, goodBytes, 0o600)
					makeSQLite(t, p, `INSERT INTO schema_migrations (name, applied_at) VALUES ('0099_from_the_future.sql', '2030-01-01T00:00:00Z')`)
				}, "0099_from_the_future.sql"},
				{"cut short", func(p string) { os.WriteFile(p, goodBytes[:len(goodBytes)/2], 0o600) }, ""},
			} {
				t.Run(tc.name, func(t *testing.T) {
					from := filepath.Join(elsewhere, strings.ReplaceAll(tc.name, " ", "_"))
					tc.make(from)
					beforeDir, beforeFrom := fileState(t, dir), fileState(t, elsewhere)
					out, _, err := runCmd(t, "", "restore", "--db", dbURL, "--from", from)
					wantOneLine(t, "restore", err, tc.want)
					if out != "" {
						t.Errorf("a refused restore printed %q", out)
					}
					if !sameState(beforeDir, fileState(t, dir)) || !sameState(beforeFrom, fileState(t, elsewhere)) {
						t.Error("a refused restore changed files")
					}
				})
			}

			// A server holds the database: refused, and nothing changes.
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": dbURL}, "--demo")
			raw := storetest.RawDB(t, dbURL)
			seeded := fingerprint(t, raw, "sqlite")
			_, _, err := runCmd(t, "", "restore", "--db", dbURL, "--from", good)
			wantOneLine(t, "restore while serving", err, "in use")
			if fingerprint(t, raw, "sqlite") != seeded {
				t.Error("a refused restore changed the database")
			}
			if b, _ := os.ReadFile(good); !bytes.Equal(b, goodBytes) {
				t.Error("a refused restore changed the backup")
			}
			if m, _ := filepath.Glob(target + ".*restore*"); len(m) != 0 {
				t.Errorf("a refused restore left %v", m)
			}
			raw.Close()

			// Stopped: the backup (made before the demo clinic) goes in
			// place, and the demo clinic is kept aside.
			if err := app.stop(); err != nil {
				t.Fatal(err)
			}
			out, _, err := runCmd(t, "", "restore", "--db", dbURL, "--from", good)
			m := regexp.MustCompile(`kept the previous database as (\S+)`).FindStringSubmatch(out)
			if err != nil || m == nil {
				t.Fatalf("restore = %q, %v", out, err)
			}
			if b, _ := os.ReadFile(good); !bytes.Equal(b, goodBytes) {
				t.Error("restore changed the backup")
			}
			for _, suffix := range []string{"-wal", "-shm", "-journal"} {
				if _, err := os.Stat(target + suffix); err == nil {
					t.Errorf("%s%s is there after the restore", target, suffix)
				}
			}
			integrityOK(t, target)
			integrityOK(t, m[1])
			if fingerprint(t, storetest.RawDB(t, "sqlite:"+m[1]), "sqlite") != seeded {
				t.Error("the kept database is not the one that was there")
			}
			app = MustRunMain(t, map[string]string{"BACKDESK_DB": dbURL})
			if _, body := app.Client(t).Get("/api/v1/locations"); strings.Contains(body, "time_zone") {
				t.Errorf("restored database has the demo clinic made after the backup: %s", body)
			}
		})
	}
}

// TestBackupRefusesToOverwrite: an existing file is kept unless --force.
func TestBackupRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	dbURL := "sqlite:" + filepath.Join(dir, "clinic.db")
	if _, _, err := runCmd(t, "", "migrate", "--db", dbURL); err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(dir, "backup.db")
	os.WriteFile(to, []byte("keep me"), 0o600)
	_, _, err := runCmd(t, "", "backup", "--db", dbURL, "--to", to)
	wantOneLine(t, "backup over a file", err, "--force")
	if b, _ := os.ReadFile(to); string(b) != "keep me" {
		t.Error("backup without --force replaced the file")
	}
	if out, _, err := runCmd(t, "", "backup", "--db", dbURL, "--to", to, "--force"); err != nil || !strings.Contains(out, "integrity ok") {
		t.Errorf("backup --force = %q, %v", out, err)
	}
	integrityOK(t, to)
	_, _, err = runCmd(t, "", "backup", "--db", "sqlite:"+filepath.Join(dir, "none.db"), "--to", filepath.Join(dir, "b2.db"))
	wantOneLine(t, "backup of a missing database", err, "does not exist")
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("backup of a missing database created it")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

var backupLogRE = regexp.MustCompile(`msg=backup file=(\S+)`)

// TestScheduledBackups: serve backs up on its interval, keeps the newest N,
// goes on serving when a backup fails, and leaves no partial file when it
// stops.
func TestScheduledBackups(t *testing.T) {
	dir := t.TempDir()
	app := demoAppWith(t, nil, "--backup-dir", dir, "--backup-every", "200ms", "--backup-keep", "3")
	made := func() []string {
		var files []string
		for _, m := range backupLogRE.FindAllStringSubmatch(app.Stderr.String(), -1) {
			files = append(files, m[1])
		}
		return files
	}
	waitFor(t, "5 backups", func() bool { return len(made()) >= 5 })

	// The folder goes away: backups fail, the server goes on, and they
	// resume when it is back.
	if err := os.Rename(dir, dir+"-gone"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a failed backup logged", func() bool { return strings.Contains(app.Stderr.String(), `msg="backup failed"`) })
	if status, _ := app.Client(t).Get("/healthz"); status != 200 {
		t.Errorf("/healthz after a failed backup = %d", status)
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	n := len(made())
	waitFor(t, "4 more backups", func() bool { return len(made()) >= n+4 })
	if err := app.stop(); err != nil {
		t.Fatal(err)
	}

	files := made()
	want := files[len(files)-3:]
	var got []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		got = append(got, filepath.Join(dir, e.Name()))
	}
	if !slices.Equal(got, want) {
		t.Errorf("backup folder holds %v, want the newest 3 %v", got, want)
	}
	for _, f := range got {
		integrityOK(t, f)
		if out, _, err := runCmd(t, "", "restore", "--from", f, "--db", "sqlite:"+filepath.Join(t.TempDir(), "r.db")); err != nil {
			t.Errorf("restore %s = %q, %v", f, out, err)
		}
	}
}

// TestBackupSettings: bad scheduled-backup settings stop serve's start with
// one line.
func TestBackupSettings(t *testing.T) {
	dir := t.TempDir()
	dbURL := "sqlite:" + filepath.Join(dir, "clinic.db")
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"bad interval in the environment", map[string]string{"BACKDESK_BACKUP_EVERY": "hourly"}, nil, "BACKDESK_BACKUP_EVERY"},
		{"bad count in the environment", map[string]string{"BACKDESK_BACKUP_KEEP": "many", "BACKDESK_BACKUP_DIR": dir}, nil, "BACKDESK_BACKUP_KEEP"},
		{"no such folder", map[string]string{"BACKDESK_BACKUP_DIR": filepath.Join(dir, "nope")}, nil, "does not exist"},
		{"zero interval", nil, []string{"--backup-dir", dir, "--backup-every", "0s"}, "positive interval"},
		{"keep none", nil, []string{"--backup-dir", dir, "--backup-keep", "0"}, "at least one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"BACKDESK_DB": dbURL}
			for k, v := range tc.env {
				env[k] = v
			}
			_, _, err := runEnv(t, env, append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...)...)
			wantOneLine(t, "serve", err, tc.want)
		})
	}
	if storetest.PostgresURL() != "" {
		_, _, err := runCmd(t, "", "serve", "--addr", "127.0.0.1:0", "--db", storetest.FreshPostgresSchema(t), "--backup-dir", dir)
		wantOneLine(t, "serve on PostgreSQL with --backup-dir", err, "pg_dump")
	}
}
