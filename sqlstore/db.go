// Package sqlstore is the database/sql backend of backdesk for both SQLite
// (embedded, the default) and PostgreSQL. One SQL text with $n placeholders
// serves both; dialect.go holds the few real differences.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"backdesk"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"           // database/sql driver "sqlite"
)

// DB is an open, migrated backdesk database.
type DB struct {
	write *sql.DB // SQLite: one connection, the single writer
	read  *sql.DB // SQLite: a pool of read-only connections; PostgreSQL: same as write
	d     dialect
	// Now is the clock; tests may replace it before use.
	Now func() time.Time
	// writes holds the write statements prepared on SQLite's single
	// writer connection (prepared.go): a transaction on that connection
	// reuses them rather than compiling them again. Unused on PostgreSQL,
	// where pgx caches its own.
	writes writeStatements
	// reads holds the read pool's prepared statements on SQLite, by text
	// (see hotRead); nreads counts them.
	reads  sync.Map // string -> *sql.Stmt
	nreads atomic.Int64
	// sessionsEnded moves after every write that ends sessions or removes
	// an account (SessionsEnded).
	sessionsEnded atomic.Uint64
	// generation moves after every change (Generation).
	generation atomic.Uint64
	// commits runs the write transactions of SQLite with group commit;
	// nil on PostgreSQL, which commits concurrent transactions itself.
	commits *committer
	// path is the SQLite database file; "" on PostgreSQL.
	path string
	// lock is the shared advisory lock on path's lock file, held while the
	// database is open so that a restore cannot replace it (lock.go).
	lock *os.File
}

// hotStatements are prepared at Open on SQLite, so that the first bookings
// need not wait to be seen twice: the booking chain (with one or two
// emails), and the audit line of a change and of a read.
func (db *DB) hotStatements() []string {
	one, two := []*backdesk.OutboxMessage{{ToPatient: 1}}, []*backdesk.OutboxMessage{{ToPatient: 1}, {ToPatient: 1}}
	return []string{insertFreeBookingQuery, insertCappedFreeBookingQuery, sqliteChained(db.bookingMailStmt(one)), sqliteChained(db.bookingMailStmt(two)),
		sqliteChained(auditStmt(&backdesk.AuditEntry{}, time.Time{}, true)), insertAuditQuery, insertAuditQuery + ` RETURNING id`}
}

func (db *DB) prepareHot(ctx context.Context) error {
	if db.d.name != "sqlite" {
		return nil
	}
	for _, q := range db.hotStatements() {
		db.writes.get(q)
	}
	db.writes.prepare(ctx, db.write, true)
	if n, want := db.writes.count(), len(db.hotStatements()); n != want {
		return fmt.Errorf("prepare: %d of the %d booking statements prepared", n, want)
	}
	return nil
}

// maxReadStatements bounds the read statements kept prepared: each is
// compiled on every read connection it runs on.
const maxReadStatements = 64

// hotRead is the read pool for the reads of every request (the session,
// the catalogue rows a booking is checked against, a booking's window of
// the diary). On SQLite it runs each text as a statement prepared on the
// read pool, which database/sql prepares on each read connection the first
// time the text runs there and keeps: SQLite compiles the text once per
// connection, not on every call. On PostgreSQL pgx caches its statements
// per connection itself.
func (db *DB) hotRead() hotReader { return hotReader{db} }

type hotReader struct{ db *DB }

// stmt returns q's prepared statement, preparing it on first use; nil on
// PostgreSQL, past maxReadStatements, or when preparing failed (the caller
// then runs q unprepared, and meets the error there).
func (h hotReader) stmt(ctx context.Context, q string) *sql.Stmt {
	db := h.db
	if db.d.name != "sqlite" {
		return nil
	}
	if st, ok := db.reads.Load(q); ok {
		return st.(*sql.Stmt)
	}
	if db.nreads.Load() >= maxReadStatements {
		return nil
	}
	st, err := db.read.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	if prev, loaded := db.reads.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt)
	}
	db.nreads.Add(1)
	return st
}

func (h hotReader) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := h.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return h.db.read.QueryContext(ctx, q, args...)
}

func (h hotReader) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := h.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return h.db.read.QueryRowContext(ctx, q, args...)
}

// Generation moves after every write through this DB but a chain's (a new
// booking with its emails and audit line, which changes no row that was
// there before): whatever else a write changes, the catalogue among it, a
// reader that keeps rows (clinic.CatalogueCache) reads them again. It
// moves only once the write has run, so a read that starts after it moved
// sees what the write left.
func (db *DB) Generation() uint64 { return db.generation.Load() }

// SessionsEnded moves after every write through this DB that ends sessions,
// removes an account or changes what its sessions carry: sign-out, a
// password reset, erasure, an email address confirmed. A cache of
// session lookups (clinic.SessionCache) drops what it kept when it moves.
// It moves only once the write is committed, so a lookup that starts after
// it moved reads the database as the write left it.
func (db *DB) SessionsEnded() uint64 { return db.sessionsEnded.Load() }

// endedSessions notes, after a write that may have ended sessions, that it
// did; failed writes count too (a needless drop costs one lookup).
func (db *DB) endedSessions() { db.sessionsEnded.Add(1) }

// writeStmt is q's statement prepared on SQLite's writer, or nil (on
// PostgreSQL, or a text not prepared yet: see writeStatements).
func (db *DB) writeStmt(q string) *sql.Stmt {
	if db.commits == nil {
		return nil
	}
	return db.writes.get(q)
}

// queryRow runs q in tx, with its prepared statement if there is one.
func (db *DB) queryRow(ctx context.Context, tx *sql.Tx, q string, args ...any) *sql.Row {
	if st := db.writeStmt(q); st != nil {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, q, args...)
}

// exec runs q in tx, with its prepared statement if there is one.
func (db *DB) exec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	if st := db.writeStmt(q); st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, q, args...)
}

var _ backdesk.Store = (*DB)(nil)

// Kind returns "sqlite" or "postgres".
func (db *DB) Kind() string { return db.d.name }

// Path is the SQLite database file; "" on PostgreSQL.
func (db *DB) Path() string { return db.path }

// Open opens the database named by rawURL ("sqlite:PATH" or
// "postgres://…"), checks that it is reachable and writable, and applies
// any pending migrations. Its errors are single lines that name the problem.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	db, _, err := OpenMigrated(ctx, rawURL)
	return db, err
}

// OpenMigrated is Open, also telling which migrations it applied.
func OpenMigrated(ctx context.Context, rawURL string) (*DB, []string, error) {
	db, err := open(ctx, rawURL, true)
	if err != nil {
		return nil, nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if err := db.prepareHot(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, applied, nil
}

// OpenExisting opens the database named by rawURL as Open does, but
// writes nothing and applies no migration, and a SQLite file must already
// exist: for commands that look at a database another process may be
// serving (check, backup). MigrationState tells what Open would apply.
func OpenExisting(ctx context.Context, rawURL string) (*DB, error) {
	return open(ctx, rawURL, false)
}

// open opens rawURL; create says whether a missing SQLite file may be made
// and the file proven writable.
func open(ctx context.Context, rawURL string, create bool) (*DB, error) {
	if isPostgres(rawURL) {
		return openPostgres(ctx, rawURL)
	}
	path, err := sqlitePath(rawURL)
	if err != nil {
		return nil, err
	}
	return openSQLite(ctx, path, create)
}

func isPostgres(rawURL string) bool {
	return strings.HasPrefix(rawURL, "postgres://") || strings.HasPrefix(rawURL, "postgresql://")
}

// sqlitePath is the file of a sqlite:PATH URL.
func sqlitePath(rawURL string) (string, error) {
	if !strings.HasPrefix(rawURL, "sqlite:") {
		return "", fmt.Errorf("unsupported database URL %q: use sqlite:PATH or postgres://USER@HOST/DBNAME", redact(rawURL))
	}
	path := strings.TrimPrefix(strings.TrimPrefix(rawURL, "sqlite:"), "//")
	if path == "" {
		return "", errors.New("database URL sqlite: needs a file path, e.g. sqlite:backdesk.db")
	}
	if path == ":memory:" || strings.HasPrefix(path, "file:") {
		return "", fmt.Errorf("database %q: give a plain file path, e.g. sqlite:backdesk.db", path)
	}
	return path, nil
}

// sqliteDSN is the driver's name for the file at path, before its "?".
func sqliteDSN(path string) string { return "file:" + (&url.URL{Path: path}).EscapedPath() }

// sqlitePragmas are every connection's settings, after the journal mode's.
func sqlitePragmas(journal string) string {
	return "_pragma=busy_timeout(10000)" + journal + "&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"
}

// SQLiteWriterDSN is the driver ("sqlite", modernc) name of the file at
// path with the settings of the store's write connection: WAL,
// synchronous=FULL, the busy timeout, foreign keys and immediate
// transactions. For measuring raw inserts beside the store
// (cmd/loadtest), with exactly the settings the store writes with.
func SQLiteWriterDSN(path string) string {
	return sqliteDSN(path) + "?" + sqlitePragmas("&_pragma=journal_mode(WAL)") + writerSettings
}

// writerSettings are the write connection's own: immediate transactions
// (the write lock at BEGIN, so a read-then-write cannot fail to upgrade),
// and statement journals in memory. Group commit runs each change in a
// savepoint, and SQLite journals the pages a savepoint changes; past 64 KiB
// a batch's journal would otherwise spill to a temporary file, created,
// written and removed for every batch.
const writerSettings = "&_pragma=temp_store(MEMORY)&_txlock=immediate"

func openSQLite(ctx context.Context, path string, create bool) (*DB, error) {
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return nil, fmt.Errorf("database path %s is a folder, not a file", path)
		}
		if fi.Mode().Perm()&0o200 == 0 {
			return nil, fmt.Errorf("database file %s is read-only: backdesk needs to write to it", path)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("database file %s: %v", path, err)
	} else if !create {
		return nil, fmt.Errorf("database file %s does not exist (backdesk migrate or serve creates it)", path)
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("database folder %s does not exist", dir)
	}
	lock, err := lockSQLite(path, false)
	if err != nil {
		return nil, err
	}
	// Pragma order as PocketBase: busy_timeout first so that the others wait
	// for a lock rather than fail. synchronous=FULL: an acknowledged write
	// survives power loss, not only a crash.
	// Without create, not even the journal mode changes (a restored file
	// may come in rollback mode; serve's first start makes it WAL).
	journal := "&_pragma=journal_mode(WAL)"
	if !create {
		journal = ""
	}
	pragmas := sqlitePragmas(journal)
	dsn := sqliteDSN(path)
	write, err := sql.Open("sqlite", dsn+"?"+pragmas+writerSettings)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("open sqlite database %s: %v", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", dsn+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		lock.Close()
		return nil, fmt.Errorf("open sqlite database %s: %v", path, err)
	}
	// As many idle connections as open ones: a read connection closed
	// after use (database/sql keeps 2 by default) is opened again for the
	// next burst, pragmas and prepared statements with it.
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	db := &DB{write: write, read: read, d: sqliteDialect, Now: time.Now, path: path, lock: lock}
	db.commits = newCommitter(write, func() { db.writes.prepare(context.Background(), write, false) })
	if !create {
		return db, nil
	}
	// A write proves the file is a database we can change (ownership, a
	// read-only mount, a file that is not SQLite).
	if _, err := write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite database %s: %s", path, sqliteMessage(err))
	}
	return db, nil
}

func openPostgres(ctx context.Context, rawURL string) (*DB, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("bad PostgreSQL URL %q: %v", redact(rawURL), err)
	}
	pg, err := sql.Open("pgx", rawURL)
	if err != nil {
		return nil, fmt.Errorf("bad PostgreSQL URL %q: %v", redact(rawURL), err)
	}
	pg.SetMaxOpenConns(20)
	pg.SetMaxIdleConns(10)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pg.PingContext(pctx); err != nil {
		pg.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %s", u.Redacted(), oneLine(err))
	}
	return &DB{write: pg, read: pg, d: postgresDialect, Now: time.Now}, nil
}

// now is the clock at the precision the database keeps (microseconds).
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	var one int
	if err := db.read.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	if db.commits != nil {
		db.commits.close()
	}
	db.writes.close()
	db.reads.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	if db.lock != nil {
		db.lock.Close() // after the connections: the lock outlives every use
	}
	return err
}

// tx runs fn in a write transaction and commits it, or rolls it back when
// fn fails. It classifies driver errors into *backdesk.Error.
func (db *DB) tx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) { return 0, fn(ctx, tx) })
}

// change is the store's one way to write: fn runs in a write transaction,
// and the audit lines that describe the change are written in the same
// transaction after it, so that neither lands without the other. fn
// returns the id of the row it created, if any, which an audit line with
// no resource id of its own takes. On SQLite the change goes through the
// committer, which may commit it together with others; fn must use the ctx
// it is given. Driver errors are classified into *backdesk.Error.
// Every change moves Generation once it has run (see Generation).
func (db *DB) change(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) (int64, error), audit ...*backdesk.AuditEntry) error {
	defer db.generation.Add(1)
	return db.writeTx(ctx, fn, audit...)
}

// writeTx is change without moving Generation.
func (db *DB) writeTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) (int64, error), audit ...*backdesk.AuditEntry) error {
	write := func(ctx context.Context, tx *sql.Tx) error {
		id, err := fn(ctx, tx)
		if err != nil {
			return err
		}
		for _, e := range audit {
			if e == nil {
				continue
			}
			if e.ResourceID == "" && id != 0 {
				e.ResourceID = strconv.FormatInt(id, 10)
			}
			if err := db.insertAuditTx(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	}
	if db.commits != nil {
		return db.d.classify(db.commits.run(ctx, write))
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return db.d.classify(fmt.Errorf("begin: %w", err))
	}
	if err := write(ctx, tx); err != nil {
		tx.Rollback()
		return db.d.classify(err)
	}
	if err := tx.Commit(); err != nil {
		return db.d.classify(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// stmt is one statement of a chain (see chainAfter).
type stmt struct {
	sql  string
	args []any
}

// newRow stands, in the text of a chained statement, for the id of the row
// that the chain's first statement created.
const newRow = "{new_row}"

// chainAfter writes a new row and the rows that refer to it, all or
// nothing, with the audit line (and does not move Generation: it adds
// rows, and changes none that the store reads back by id but the new one):
// before run first and return nothing that is read (a lock, a check);
// first is an INSERT … RETURNING id, and each of rest may name the new
// row's id as newRow. It is change for writes that read nothing (a booking
// with its emails), so that the dialects can send it the cheapest atomic
// way: SQLite runs the statements one after another in a write transaction
// (through the committer); PostgreSQL sends them together as one pipeline,
// which the server runs as one implicit transaction in a single round
// trip, the new row named by its table's sequence. It returns the new id;
// a first statement that returns no row gives sql.ErrNoRows and writes
// nothing. The first statement's columns after the id are scanned into
// extra.
func (db *DB) chainAfter(ctx context.Context, table string, before []stmt, first stmt, rest []stmt, audit *backdesk.AuditEntry, extra ...any) (int64, error) {
	if audit != nil {
		rest = append(rest, auditStmt(audit, db.now(), true))
	}
	if db.d.name == "postgres" {
		return db.pipeline(ctx, table, before, first, rest, extra)
	}
	var id int64
	err := db.writeTx(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		for _, s := range before {
			if _, err := db.exec(ctx, tx, s.sql, s.args...); err != nil {
				return 0, err
			}
		}
		if err := db.queryRow(ctx, tx, first.sql, first.args...).Scan(append([]any{&id}, extra...)...); err != nil {
			return 0, err
		}
		for _, s := range rest {
			if _, err := db.exec(ctx, tx, sqliteChained(s), append(s.args, id)...); err != nil {
				return 0, err
			}
		}
		return id, nil
	})
	return id, err
}

// sqliteChained is a chained statement's text on SQLite: the new row's id
// is the parameter after the statement's own.
func sqliteChained(s stmt) string {
	return strings.ReplaceAll(s.sql, newRow, "$"+strconv.Itoa(len(s.args)+1))
}

// pipeline is chainAfter on PostgreSQL: one batch (pgx sends it with a single
// Sync, so the server runs it as one implicit transaction).
func (db *DB) pipeline(ctx context.Context, table string, before []stmt, first stmt, rest []stmt, extra []any) (int64, error) {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("connection: %w", err)
	}
	defer conn.Close()
	var id int64
	err = conn.Raw(func(dc any) error {
		var b pgx.Batch
		for _, s := range before {
			b.Queue(s.sql, s.args...)
		}
		b.Queue(first.sql, first.args...)
		row := "currval(pg_get_serial_sequence('" + table + "', 'id'))"
		for _, s := range rest {
			b.Queue(strings.ReplaceAll(s.sql, newRow, row), s.args...)
		}
		br := dc.(*stdlib.Conn).Conn().SendBatch(ctx, &b)
		var err error
		for range before {
			if _, e := br.Exec(); err == nil {
				err = e
			}
		}
		if e := br.QueryRow().Scan(append([]any{&id}, extra...)...); err == nil {
			err = e
		}
		if errors.Is(err, pgx.ErrNoRows) {
			err = sql.ErrNoRows
		}
		for range rest {
			if _, e := br.Exec(); err == nil {
				err = e
			}
		}
		if e := br.Close(); err == nil {
			err = e
		}
		return err
	})
	if err == sql.ErrNoRows {
		return 0, err
	}
	return id, db.d.classify(err)
}

// Exclusive runs fn while holding a lock named name that every process
// sharing the database respects (a PostgreSQL advisory lock, held by one
// connection for the duration). It serialises one-off start-up work such as
// seeding the demo clinic. On SQLite, which one process serves, fn simply
// runs.
func (db *DB) Exclusive(ctx context.Context, name string, fn func() error) error {
	if db.d.name != "postgres" {
		return fn()
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("lock %s: %w", name, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtext($1))`, name); err != nil {
		return fmt.Errorf("lock %s: %w", name, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext($1))`, name)
	return fn()
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// redact hides a password in a URL-looking string.
func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		return u.Redacted()
	}
	return raw
}
