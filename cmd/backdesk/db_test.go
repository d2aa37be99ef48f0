package main

import (
	"database/sql"
	"path/filepath"
	"testing"

	"backdesk/storetest"
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
	if storetest.PostgresURL() != "" {
		dbs = append(dbs, testDB{"postgres", storetest.FreshPostgresSchema(t)})
	}
	return dbs
}

// raw opens the test database directly, to check what is stored.
func (d testDB) raw(t *testing.T) *sql.DB { return storetest.RawDB(t, d.url) }
