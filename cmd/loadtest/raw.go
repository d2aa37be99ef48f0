package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"backdesk/sqlstore"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"
)

// database is the load test's fresh database, and the raw baseline beside
// it with the same driver and settings.
type database interface {
	url() string      // backdesk's --db
	describe() string // for the report
	// rawInserter opens the baseline for writers concurrent writers: insert
	// writes one row in its own transaction.
	rawInserter(ctx context.Context, writers int) (insert func(ctx context.Context, i int64) error, closeFn func(), err error)
	countBookings(ctx context.Context) (int, error)
	// serverCPU is the CPU time each of the database server's processes
	// serving this database has used so far (PostgreSQL's backends), by
	// process id; none for SQLite, which runs in its client.
	serverCPU() cpuTimes
	close()
}

// rawRates are the raw insert rates, rows per second, and the CPU time
// per row: of the inserting process, and of the database server.
type rawRates struct {
	one, many       float64
	oneCPU, manyCPU time.Duration // this process and the database server, per row
}

// measureRaw runs the raw baseline with one writer, then with o.clients.
func measureRaw(ctx context.Context, d database, o options) (rawRates, error) {
	var r rawRates
	var err error
	if r.one, r.oneCPU, err = rawRate(ctx, d, 1, o.raw); err != nil {
		return r, err
	}
	r.many, r.manyCPU, err = rawRate(ctx, d, o.clients, o.raw)
	return r, err
}

// rawRate is the rows per second that writers concurrent writers insert,
// each row in its own transaction, over d, and the CPU time per row.
func rawRate(ctx context.Context, d database, writers int, dur time.Duration) (float64, time.Duration, error) {
	insert, closeFn, err := d.rawInserter(ctx, writers)
	if err != nil {
		return 0, 0, err
	}
	defer closeFn()
	self0, _ := cpuTime(os.Getpid())
	db0 := d.serverCPU()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	start := time.Now()
	deadline := start.Add(dur)
	for range writers {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				if err := insert(ctx, next.Add(1)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	self1, _ := cpuTime(os.Getpid())
	cpu := self1 - self0 + d.serverCPU().since(db0)
	close(errs)
	if err := <-errs; err != nil {
		return 0, 0, err
	}
	n := next.Load()
	return float64(n) / elapsed.Seconds(), cpu / time.Duration(max(n, 1)), nil
}

// sqliteDB is a fresh SQLite file; its baseline is another file beside it,
// opened with the store's own write connection settings.
type sqliteDB struct{ path string }

func newSQLite(path string) (*sqliteDB, error) { return &sqliteDB{path: path}, nil }

func (d *sqliteDB) url() string { return "sqlite:" + d.path }
func (d *sqliteDB) describe() string {
	return "SQLite (WAL, synchronous=FULL)"
}
func (d *sqliteDB) close() {}

func (d *sqliteDB) serverCPU() cpuTimes { return nil }

// cpuTimes are processes' CPU times so far, by process id.
type cpuTimes map[int]time.Duration

// since is the CPU time used from earlier to now, process by process: a
// process started since counts whole; one that has ended since is lost.
func (now cpuTimes) since(earlier cpuTimes) time.Duration {
	var sum time.Duration
	for pid, t := range now {
		sum += t - earlier[pid]
	}
	return sum
}

func (d *sqliteDB) rawInserter(ctx context.Context, writers int) (func(context.Context, int64) error, func(), error) {
	path := filepath.Join(filepath.Dir(d.path), fmt.Sprintf("raw-%d.db", time.Now().UnixNano()))
	raw, err := sql.Open("sqlite", sqlstore.SQLiteWriterDSN(path))
	if err != nil {
		return nil, nil, err
	}
	// One connection, as the store's single writer.
	raw.SetMaxOpenConns(1)
	if _, err := raw.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, c TEXT, d TEXT)`); err != nil {
		raw.Close()
		return nil, nil, fmt.Errorf("raw sqlite table: %w", err)
	}
	insert := func(ctx context.Context, i int64) error {
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO t (a, b, c, d) VALUES ($1, $2, $3, $4)`, i, i,
			"2030-01-01T09:00:00.000000Z", "2030-01-01T10:00:00.000000Z"); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	return insert, func() { raw.Close() }, nil
}

func (d *sqliteDB) countBookings(ctx context.Context) (int, error) {
	db, err := sql.Open("sqlite", "file:"+d.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return countBookings(ctx, db)
}

func countBookings(ctx context.Context, db *sql.DB) (int, error) {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM bookings WHERE status = 'booked'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count bookings: %w", err)
	}
	return n, nil
}

// postgresDB is a fresh schema in the given database, dropped at close; its
// baseline is a table in that schema, written through pgx.
type postgresDB struct {
	base, schema, withSchema string
	dbname                   string // for finding its backends
	raws                     int
}

func newPostgres(ctx context.Context, base string) (*postgresDB, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("--db: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "load_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		return nil, fmt.Errorf("create schema in %s: %w", u.Redacted(), err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	var dbname string
	if err := admin.QueryRowContext(ctx, `SELECT current_database()`).Scan(&dbname); err != nil {
		return nil, err
	}
	return &postgresDB{base: base, schema: schema, withSchema: u.String(), dbname: dbname}, nil
}

// serverCPU sums the CPU time of the PostgreSQL backends connected to the
// database, found by their process titles ("postgres: … USER DBNAME …"),
// on this machine. Other clients of the same database count too: give the
// load test a database of its own.
func (d *postgresDB) serverCPU() cpuTimes {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	out := cpuTimes{}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		title, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil || !strings.HasPrefix(string(title), "postgres: ") {
			continue
		}
		if !slices.Contains(strings.Fields(strings.ReplaceAll(string(title), "\x00", " ")), d.dbname) {
			continue
		}
		if t, err := cpuTime(pid); err == nil {
			out[pid] = t
		}
	}
	return out
}

func (d *postgresDB) url() string { return d.withSchema }
func (d *postgresDB) describe() string {
	return "PostgreSQL (schema " + d.schema + ")"
}

func (d *postgresDB) close() {
	if admin, err := sql.Open("pgx", d.base); err == nil {
		admin.Exec(`DROP SCHEMA ` + d.schema + ` CASCADE`)
		admin.Close()
	}
}

func (d *postgresDB) rawInserter(ctx context.Context, writers int) (func(context.Context, int64) error, func(), error) {
	cfg, err := pgxpool.ParseConfig(d.withSchema)
	if err != nil {
		return nil, nil, err
	}
	cfg.MaxConns = int32(writers)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	d.raws++
	table := fmt.Sprintf("raw_%d", d.raws)
	if _, err := pool.Exec(ctx, `CREATE TABLE `+table+` (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a bigint, b bigint, c timestamptz, d timestamptz)`); err != nil {
		pool.Close()
		return nil, nil, fmt.Errorf("raw postgres table: %w", err)
	}
	q := `INSERT INTO ` + table + ` (a, b, c, d) VALUES ($1, $2, $3, $4)`
	at := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	insert := func(ctx context.Context, i int64) error {
		return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, q, i, i, at, at.Add(time.Hour))
			return err
		})
	}
	return insert, pool.Close, nil
}

func (d *postgresDB) countBookings(ctx context.Context) (int, error) {
	db, err := sql.Open("pgx", d.withSchema)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return countBookings(ctx, db)
}
