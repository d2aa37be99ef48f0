package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx", for RawDB
	_ "modernc.org/sqlite"             // driver "sqlite", for RawDB
)

// PostgresURL is the PostgreSQL test server, or "" to skip PostgreSQL.
func PostgresURL() string { return os.Getenv("BACKDESK_TEST_POSTGRES_URL") }

// FreshPostgresSchema makes a new, empty schema in the PostgreSQL test
// database and returns a URL whose search_path is that schema; the schema
// is dropped when the test ends.
func FreshPostgresSchema(tb testing.TB) string {
	tb.Helper()
	base := PostgresURL()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if a, err := sql.Open("pgx", base); err == nil {
			a.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// RawDB opens a backdesk database URL (sqlite:PATH or postgres://…) as a
// plain database/sql handle, for tests that check what is stored.
func RawDB(tb testing.TB, dbURL string) *sql.DB {
	tb.Helper()
	driver, dsn := "pgx", dbURL
	if strings.HasPrefix(dbURL, "sqlite:") {
		driver, dsn = "sqlite", "file:"+strings.TrimPrefix(dbURL, "sqlite:")+"?_pragma=busy_timeout(5000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
