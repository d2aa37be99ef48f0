package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"backdesk"
	"backdesk/sqlstore"
	"backdesk/storetest"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The booking-throughput target: InsertBooking (its own transaction, the
// overlap check on SQLite or the exclusion constraint on PostgreSQL, two
// outbox messages, the audit line) against a raw single-row insert in its own
// transaction with the same driver and the same settings.

type benchFixture struct {
	store                           backdesk.Store
	patient, practitioner, svc, loc int64
}

func newBenchFixture(b testing.TB, s backdesk.Store) benchFixture {
	l := storetest.MustCreateLocation(b, s)
	o := storetest.MustCreateOffering(b, s, "Physio", backdesk.DisciplinePhysiotherapist)
	p := storetest.MustCreatePractitioner(b, s, "P", backdesk.DisciplinePhysiotherapist, o, l)
	u := &backdesk.User{Email: "bench@example.org", Name: "Bench", Role: backdesk.RolePatient}
	if err := s.InsertUser(context.Background(), u, "h", nil); err != nil {
		b.Fatal(err)
	}
	return benchFixture{store: s, patient: u.PatientID, practitioner: p.ID, svc: o.ID, loc: l.ID}
}

// benchBooking is the i-th booking of a benchmark, an hour after the one
// before, with its confirmation and reminder emails.
func benchBooking(f benchFixture, i int) (*backdesk.Booking, []*backdesk.OutboxMessage) {
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
	bk := &backdesk.Booking{PatientID: f.patient, PractitionerID: f.practitioner, ServiceID: f.svc, LocationID: f.loc,
		Start: at, End: at.Add(45 * time.Minute), BlocksUntil: at.Add(time.Hour)}
	msgs := []*backdesk.OutboxMessage{{Kind: "booking_confirmation", To: "p@example.org", Subject: "s", Body: "b"},
		{Kind: "booking_reminder", To: "p@example.org", Subject: "s", Body: "b", SendAfter: at.Add(-24 * time.Hour)}}
	return bk, msgs
}

// benchAudit is a booking's audit line.
func benchAudit() *backdesk.AuditEntry {
	return &backdesk.AuditEntry{ActorUserID: 1, ActorRole: backdesk.RolePatient, Action: backdesk.AuditBookingCreate, PatientID: 1, Resource: "booking"}
}

func benchBookings(b *testing.B, s backdesk.Store) {
	f := newBenchFixture(b, s)
	ctx := context.Background()
	i := 0
	b.ResetTimer()
	for b.Loop() {
		bk, msgs := benchBooking(f, i)
		i++
		if _, err := s.InsertBooking(ctx, bk, msgs, benchAudit()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "bookings/s")
}

func skipWithoutPostgres(b *testing.B) {
	if storetest.PostgresURL() == "" {
		b.Skip("BACKDESK_TEST_POSTGRES_URL not set")
	}
}

// openBenchPostgres opens the store on a fresh PostgreSQL schema.
func openBenchPostgres(b *testing.B) *sqlstore.DB {
	skipWithoutPostgres(b)
	db, err := sqlstore.Open(context.Background(), storetest.FreshPostgresSchema(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// openRawSQLite opens the baseline's database: the store's write
// connection settings, one connection, one table of a booking's width.
func openRawSQLite(b *testing.B) *sql.DB {
	raw, err := sql.Open("sqlite", rawSQLiteDSN(filepath.Join(b.TempDir(), "raw.db")))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { raw.Close() })
	raw.SetMaxOpenConns(1)
	if _, err := raw.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, c TEXT, d TEXT)`); err != nil {
		b.Fatal(err)
	}
	return raw
}

// rawSQLiteDSN is the store's own write connection settings.
func rawSQLiteDSN(path string) string {
	return "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate"
}

// openBenchSQLite opens the store on a fresh SQLite file.
func openBenchSQLite(b *testing.B) *sqlstore.DB {
	db, err := sqlstore.Open(context.Background(), "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func BenchmarkSQLiteBookingInsert(b *testing.B) {
	benchBookings(b, openBenchSQLite(b))
}

// rawInsert is the baseline's unit of work: one row in its own transaction.
func rawInsert(raw *sql.DB, i int64) error {
	tx, err := raw.Begin()
	if err != nil {
		return err
	}
	if _, err := tx.Exec(`INSERT INTO t (a, b, c, d) VALUES ($1, $2, $3, $4)`, i, i, "2030-01-01T00:00:00.000000Z", "2030-01-01T01:00:00.000000Z"); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// BenchmarkSQLiteRawInsert is the baseline: the same driver and pragmas, one
// row of similar width per transaction.
func BenchmarkSQLiteRawInsert(b *testing.B) {
	raw := openRawSQLite(b)
	var i int64
	b.ResetTimer()
	for b.Loop() {
		i++
		if err := rawInsert(raw, i); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// pgRawTable is the PostgreSQL baseline's table, of a booking's width.
const pgRawTable = `CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a bigint, b bigint, c timestamptz, d timestamptz)`

// pgRawInsert is the PostgreSQL baseline's unit of work: one row in its own
// transaction, through raw pgx (a connection or a pool).
func pgRawInsert(ctx context.Context, db interface {
	Begin(context.Context) (pgx.Tx, error)
}, i int64) error {
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO t (a, b, c, d) VALUES ($1, $2, $3, $4)`, i, i, at, at.Add(time.Hour))
		return err
	})
}

func BenchmarkPostgresBookingInsert(b *testing.B) {
	db := openBenchPostgres(b)
	benchBookings(b, db)
}

// BenchmarkPostgresRawInsert is the baseline: raw pgx, one row per
// transaction on one connection.
func BenchmarkPostgresRawInsert(b *testing.B) {
	skipWithoutPostgres(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, storetest.FreshPostgresSchema(b))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, pgRawTable); err != nil {
		b.Fatal(err)
	}
	var i int64
	b.ResetTimer()
	for b.Loop() {
		i++
		if err := pgRawInsert(ctx, conn, i); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func variant(b *testing.B, s backdesk.Store, msgs, audit bool) {
	f := newBenchFixture(b, s)
	ctx := context.Background()
	start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	for b.Loop() {
		at := start.Add(time.Duration(i) * time.Hour)
		i++
		bk := &backdesk.Booking{PatientID: f.patient, PractitionerID: f.practitioner, ServiceID: f.svc, LocationID: f.loc, Start: at, End: at.Add(45 * time.Minute), BlocksUntil: at.Add(time.Hour)}
		var m []*backdesk.OutboxMessage
		if msgs {
			m = []*backdesk.OutboxMessage{{Kind: "k", To: "p@e.org", Subject: "s", Body: "b"}, {Kind: "k", To: "p@e.org", Subject: "s", Body: "b"}}
		}
		var e *backdesk.AuditEntry
		if audit {
			e = benchAudit()
		}
		if _, err := s.InsertBooking(ctx, bk, m, e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBookingInsertParts breaks a booking insert down: the booking
// alone, with its two emails, with its audit line, and with both.
func BenchmarkBookingInsertParts(b *testing.B) {
	for _, v := range []struct {
		name        string
		msgs, audit bool
	}{{"bare", false, false}, {"msgs", true, false}, {"audit", false, true}, {"all", true, true}} {
		b.Run("sqlite/"+v.name, func(b *testing.B) {
			variant(b, openBenchSQLite(b), v.msgs, v.audit)
		})
		b.Run("pg/"+v.name, func(b *testing.B) {
			variant(b, openBenchPostgres(b), v.msgs, v.audit)
		})
	}
}

// benchBookingsParallel is benchBookings with 4 writers per CPU (8 on the
// 2-CPU machine of BENCHMARKS.md), as a busy clinic books: PostgreSQL
// commits concurrent transactions together, and so does SQLite's single
// writer through the store's group commit.
func benchBookingsParallel(b *testing.B, s backdesk.Store) {
	f := newBenchFixture(b, s)
	ctx := context.Background()
	var next atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			bk, msgs := benchBooking(f, int(next.Add(1)))
			if _, err := s.InsertBooking(ctx, bk, msgs, benchAudit()); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "bookings/s")
}

func BenchmarkPostgresBookingInsertParallel(b *testing.B) {
	db := openBenchPostgres(b)
	benchBookingsParallel(b, db)
}

func BenchmarkPostgresRawInsertParallel(b *testing.B) {
	skipWithoutPostgres(b)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, storetest.FreshPostgresSchema(b))
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, pgRawTable); err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := pgRawInsert(ctx, pool, next.Add(1)); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkSQLiteRawInsertPrepared is the baseline with its statement
// prepared once, as the booking path prepares its own.
func BenchmarkSQLiteRawInsertPrepared(b *testing.B) {
	raw := openRawSQLite(b)
	st, err := raw.Prepare(`INSERT INTO t (a, b, c, d) VALUES ($1, $2, $3, $4)`)
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	b.ResetTimer()
	for b.Loop() {
		i++
		tx, err := raw.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Stmt(st).Exec(i, i, "2030-01-01T00:00:00.000000Z", "2030-01-01T01:00:00.000000Z"); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkSQLiteBookingInsertParallel(b *testing.B) {
	benchBookingsParallel(b, openBenchSQLite(b))
}

// BenchmarkSQLiteRawInsertParallel is the baseline under the same 8
// writers: one single-row transaction each, on the one write connection
// the store itself uses.
func BenchmarkSQLiteRawInsertParallel(b *testing.B) {
	raw := openRawSQLite(b)
	var next atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := rawInsert(raw, next.Add(1)); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
