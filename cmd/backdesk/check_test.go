package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backdesk/mail/mailtest"
	"backdesk/sqlstore"
	"backdesk/storetest"
)

// problemLines are the lines of check's stderr.
func problemLines(stderr string) []string {
	return strings.Split(strings.TrimSpace(stderr), "\n")
}

// closedPort is a loopback address that refuses connections.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// applyFirst makes the database of dbURL as the first n migrations would,
// with a raw connection, as an earlier backdesk left it.
func applyFirst(t *testing.T, dbURL, kind string, n int) {
	t.Helper()
	names, err := sqlstore.MigrationNames(kind)
	if err != nil || len(names) <= n {
		t.Fatalf("%d migrations, %v", len(names), err)
	}
	raw := storetest.RawDB(t, dbURL)
	if _, err := raw.Exec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, name := range names[:n] {
		body, err := os.ReadFile(filepath.Join("..", "..", "sqlstore", "migrations", kind, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := raw.Exec(`INSERT INTO schema_migrations (name, applied_at) VALUES ($1, '2026-01-01T00:00:00.000000Z')`, name); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCheck(t *testing.T) {
	_, smtpURL := mailtest.Start(t)
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			t.Run("fresh database", func(t *testing.T) {
				if _, _, err := runCmd(t, "", "migrate", "--db", db.url); err != nil {
					t.Fatal(err)
				}
				out, errs, err := runEnv(t, map[string]string{"BACKDESK_DB": db.url, "BACKDESK_BASE_URL": "https://clinic.example"}, "check", "--smtp", smtpURL)
				if err != nil || errs != "" {
					t.Fatalf("check = %v\nstdout:\n%s\nstderr:\n%s", err, out, errs)
				}
				for _, want := range []string{"ok: migrations: all", "takes writes", "ok: mail server", "nothing sent", "ok: base URL https://clinic.example",
					"ok: metrics: closed", "ok: patients booking online hold at most 4 future appointments and 3 waiting waitlist requests"} {
					if !strings.Contains(out, want) {
						t.Errorf("check output lacks %q:\n%s", want, out)
					}
				}
			})
			t.Run("earlier migrations", func(t *testing.T) {
				dbURL := "sqlite:" + filepath.Join(t.TempDir(), "old.db")
				if db.name == "postgres" {
					dbURL = storetest.FreshPostgresSchema(t)
				}
				applyFirst(t, dbURL, db.name, 5)
				names, _ := sqlstore.MigrationNames(db.name)
				_, errs, err := runCmd(t, "", "check", "--db", dbURL)
				var ee exitError
				if !errors.As(err, &ee) || ee.code == 0 {
					t.Errorf("check of an old database = %v, want a non-zero exit", err)
				}
				lines := problemLines(errs)
				if len(lines) != 1 || !strings.Contains(lines[0], fmt.Sprintf("%d not applied", len(names)-5)) {
					t.Fatalf("check of an old database said:\n%s", errs)
				}
				for _, name := range names[5:] {
					if !strings.Contains(lines[0], name) {
						t.Errorf("pending %s not named: %s", name, lines[0])
					}
				}
				var applied int
				if err := storetest.RawDB(t, dbURL).QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&applied); err != nil || applied != 5 {
					t.Errorf("after check, %d migrations applied (%v), want the same 5", applied, err)
				}
			})
		})
	}

	migrated := "sqlite:" + filepath.Join(t.TempDir(), "ok.db")
	if _, _, err := runCmd(t, "", "migrate", "--db", migrated); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "missing.db")
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want []string // one problem line each
	}{
		{"bad database URL", nil, []string{"--db", "mongodb://x"}, []string{"unsupported database URL"}},
		{"unreachable PostgreSQL", nil, []string{"--db", "postgres://nobody@" + closedPort(t) + "/x?connect_timeout=2"}, []string{"cannot reach PostgreSQL"}},
		{"missing database file", nil, []string{"--db", "sqlite:" + missing}, []string{"does not exist"}},
		{"unreachable mail server", nil, []string{"--db", migrated, "--smtp", "smtp://" + closedPort(t)}, []string{"problem: mail server 127.0.0.1:"}},
		{"several at once", map[string]string{"BACKDESK_BACKUP_EVERY": "hourly", "BACKDESK_TRUSTED_PROXIES": "proxy.internal"},
			[]string{"--db", "mongodb://x", "--smtp", "smtp://" + closedPort(t), "--base-url", "clinic.example"},
			[]string{"BACKDESK_BACKUP_EVERY", "base URL", "trusted proxies", "unsupported database URL", "mail server"}},
		{"bad Oswestry wording", nil, []string{"--db", migrated, "--odi-text", writeFile(t, `[["only one"]]`)}, []string{"Oswestry wording"}},
		{"missing backup folder", nil, []string{"--db", migrated, "--backup-dir", filepath.Join(t.TempDir(), "nope")}, []string{"backup folder"}},
		{"bad metrics addresses", map[string]string{"BACKDESK_METRICS_ALLOW": "monitoring.internal"}, []string{"--db", migrated}, []string{"clinic settings: --metrics-allow"}},
		{"a negative limit", nil, []string{"--db", migrated, "--patient-bookings", "-1"}, []string{"clinic settings"}},
		{"a limit that is not a number", map[string]string{"BACKDESK_PATIENT_WAITLIST": "three"}, []string{"--db", migrated}, []string{"BACKDESK_PATIENT_WAITLIST"}},
		{"debug address not on loopback", map[string]string{"BACKDESK_DEBUG_ADDR": "0.0.0.0:6060"}, []string{"--db", migrated}, []string{"debug address"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, err := runEnv(t, tc.env, append([]string{"check"}, tc.args...)...)
			var ee exitError
			if !errors.As(err, &ee) || ee.code == 0 {
				t.Errorf("check = %v, want a non-zero exit", err)
			}
			lines := problemLines(errs)
			if len(lines) != len(tc.want) {
				t.Fatalf("check said %d problems, want %d:\n%s", len(lines), len(tc.want), errs)
			}
			for i, want := range tc.want {
				if !strings.HasPrefix(lines[i], "problem: ") || !strings.Contains(lines[i], want) {
					t.Errorf("problem %d = %q, want %q", i+1, lines[i], want)
				}
			}
			if strings.Contains(out, "problem") {
				t.Errorf("problems on stdout:\n%s", out)
			}
		})
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("check created the missing database")
	}
}

func writeFile(t *testing.T, content string) string {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
