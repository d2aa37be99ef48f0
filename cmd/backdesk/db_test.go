package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testDB is a fresh database for one test: a SQLite file, or a schema of
// the PostgreSQL test server.
type testDB struct {
	name string
	url  string
}

// testDBs returns SQLite always and PostgreSQL when
// BACKDESK_TEST_POSTGRES_URL is set, so that end-to-end tests run on both.
func testDBs(t *testing.T) []testDB {
	t.Helper()
	dbs := []testDB{{"sqlite", "sqlite:" + filepath.Join(t.TempDir(), "e2e.db")}}
	base := os.Getenv("BACKDESK_TEST_POSTGRES_URL")
	if base == "" {
		return dbs
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "e2e_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", base); err == nil {
			a.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return append(dbs, testDB{"postgres", u.String()})
}

// raw opens the test database directly, to check what is stored.
func (d testDB) raw(t *testing.T) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", d.url
	if strings.HasPrefix(d.url, "sqlite:") {
		driver, dsn = "sqlite", "file:"+strings.TrimPrefix(d.url, "sqlite:")+"?_pragma=busy_timeout(5000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
