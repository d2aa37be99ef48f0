package sqlstore_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"backdesk"
	"backdesk/sqlstore"
	"backdesk/storetest"

	"github.com/google/go-cmp/cmp"
)

func TestSQLite(t *testing.T) { storetest.Run(t, OpenSQLite) }

// backend is an open store with the URL of its database, for tests that
// also look at the database directly.
type backend struct {
	name  string
	store *sqlstore.DB
	url   string
}

// backends opens a fresh SQLite store, and a PostgreSQL one when the test
// server is configured.
func backends(t *testing.T) []backend {
	path := filepath.Join(t.TempDir(), "raw.db")
	db, err := sqlstore.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	out := []backend{{"sqlite", db, "sqlite:" + path}}
	if PostgresURL() != "" {
		store, u := openPostgres(t)
		out = append(out, backend{"postgres", store.(*sqlstore.DB), u})
	}
	return out
}

// raw opens a plain database/sql handle on a backend's database.
func (b backend) raw(t *testing.T) *sql.DB { return storetest.RawDB(t, b.url) }

func TestPostgres(t *testing.T) {
	if PostgresURL() == "" {
		t.Skip("BACKDESK_TEST_POSTGRES_URL not set")
	}
	storetest.Run(t, OpenPostgres)
}

// OpenSQLite opens a store on a temporary file (not :memory:, so WAL and
// both pools are real).
func OpenSQLite(tb testing.TB) backdesk.Store {
	tb.Helper()
	db, err := sqlstore.Open(context.Background(), "sqlite:"+filepath.Join(tb.TempDir(), "test.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL is the test server, or "" to skip PostgreSQL.
func PostgresURL() string { return storetest.PostgresURL() }

// OpenPostgres opens a store in a fresh schema of the test database.
func OpenPostgres(tb testing.TB) backdesk.Store {
	tb.Helper()
	s, _ := openPostgres(tb)
	return s
}

func openPostgres(tb testing.TB) (backdesk.Store, string) {
	tb.Helper()
	u := storetest.FreshPostgresSchema(tb)
	db, err := sqlstore.Open(context.Background(), u)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, u
}

func TestMigrationFoldersMatch(t *testing.T) {
	lite, err := sqlstore.MigrationNames("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := sqlstore.MigrationNames("postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 {
		t.Fatal("no migrations found")
	}
	if diff := cmp.Diff(lite, pg); diff != "" {
		t.Errorf("migration folders differ (-sqlite +postgres):\n%s", diff)
	}
}

func TestMigrateTwiceIsNoop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "twice.db")
	for range 2 {
		db, err := sqlstore.Open(context.Background(), "sqlite:"+path)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	readonly := filepath.Join(dir, "ro.db")
	db, err := sqlstore.Open(context.Background(), "sqlite:"+readonly)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.Chmod(readonly, 0o444); err != nil {
		t.Fatal(err)
	}
	notDB := filepath.Join(dir, "not.db")
	os.WriteFile(notDB, []byte(strings.Repeat("this is not a database\n", 100)), 0o644)
	for _, tc := range []struct {
		name, url, want string
	}{
		{"scheme", "mysql://x", "unsupported database URL"},
		{"empty sqlite path", "sqlite:", "needs a file path"},
		{"missing folder", "sqlite:" + filepath.Join(dir, "no", "such", "x.db"), "does not exist"},
		{"read-only file", "sqlite:" + readonly, "read-only"},
		{"not a database", "sqlite:" + notDB, "not a SQLite database"},
		{"unreachable postgres", "postgres://u:secret@127.0.0.1:1/db?connect_timeout=2", "cannot reach PostgreSQL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := sqlstore.Open(context.Background(), tc.url)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) succeeded, want an error", tc.url)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") || strings.Contains(msg, "secret") {
				t.Errorf("Open(%q) = %q, want one line containing %q and no password", tc.url, msg, tc.want)
			}
		})
	}
}

// TestMigrateTogether: processes starting together on one empty PostgreSQL
// database all open it, and each migration is applied once.
func TestMigrateTogether(t *testing.T) {
	if storetest.PostgresURL() == "" {
		t.Skip("BACKDESK_TEST_POSTGRES_URL not set")
	}
	url := storetest.FreshPostgresSchema(t)
	const processes = 4
	var wg sync.WaitGroup
	errs := make([]error, processes)
	start := make(chan struct{})
	for i := range processes {
		wg.Go(func() {
			<-start
			db, err := sqlstore.Open(context.Background(), url)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
	names, _ := sqlstore.MigrationNames("postgres")
	var applied, distinct int
	if err := storetest.RawDB(t, url).QueryRow(`SELECT COUNT(*), COUNT(DISTINCT name) FROM schema_migrations`).Scan(&applied, &distinct); err != nil {
		t.Fatal(err)
	}
	if applied != len(names) || distinct != len(names) {
		t.Errorf("schema_migrations holds %d rows (%d distinct) for %d migrations", applied, distinct, len(names))
	}
}
