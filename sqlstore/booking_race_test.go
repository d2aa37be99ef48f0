package sqlstore_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"backdesk"
	"backdesk/sqlstore"
	"backdesk/storetest"
)

// TestBookingRaceTwoProcesses: two stores on one PostgreSQL database, as two
// serve processes are, and 50 bookings of one time at once, round after
// round: one is made, every other is told the time has gone (CodeConflict),
// never an error. Two inserts that meet in the exclusion constraint can each
// wait for the other, and the server aborts one as a deadlock (SQLSTATE
// 40P01); that one must be retried, not answered 500.
func TestBookingRaceTwoProcesses(t *testing.T) {
	dbs := twoProcesses(t)
	ctx := context.Background()
	l := storetest.MustCreateLocation(t, dbs[0])
	o := storetest.MustCreateOffering(t, dbs[0], "Physiotherapy initial assessment", backdesk.DisciplinePhysiotherapist)
	p := storetest.MustCreatePractitioner(t, dbs[0], "P One", backdesk.DisciplinePhysiotherapist, o, l)
	u := &backdesk.User{Email: "race@example.org", Name: "Race", Role: backdesk.RolePatient}
	if err := dbs[0].InsertUser(ctx, u, "hash", nil); err != nil {
		t.Fatal(err)
	}
	first := time.Now().UTC().Truncate(time.Hour).Add(72 * time.Hour)
	const n, rounds = 50, 12
	unexpected := 0
	for round := range rounds {
		at := first.Add(time.Duration(round) * 2 * time.Hour)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				b := &backdesk.Booking{PatientID: u.PatientID, PractitionerID: p.ID, ServiceID: o.ID, LocationID: l.ID,
					Start: at, End: at.Add(45 * time.Minute), BlocksUntil: at.Add(time.Hour), CreatedBy: u.ID}
				msgs := []*backdesk.OutboxMessage{{Kind: "booking_confirmation", To: u.Email, Subject: "Booked", Body: "See you then."}}
				audit := &backdesk.AuditEntry{Action: backdesk.AuditBookingCreate, PatientID: u.PatientID, Resource: "booking"}
				_, errs[i] = dbs[i%2].InsertBooking(ctx, b, msgs, audit)
			})
		}
		close(start)
		wg.Wait()
		made := 0
		for _, err := range errs {
			switch backdesk.ErrorCode(err) {
			case "":
				made++
			case backdesk.CodeConflict:
			default:
				if unexpected++; unexpected <= 3 {
					t.Errorf("round %d: %v", round, err)
				}
			}
		}
		if made != 1 {
			t.Errorf("round %d: %d bookings made, want 1", round, made)
		}
	}
	if unexpected > 3 {
		t.Errorf("%d unexpected errors in all", unexpected)
	}
}

// twoProcesses opens two stores on one fresh PostgreSQL schema, as two
// serve processes share a database (the test is skipped without
// PostgreSQL).
func twoProcesses(t *testing.T) [2]*sqlstore.DB {
	t.Helper()
	if storetest.PostgresURL() == "" {
		t.Skip("BACKDESK_TEST_POSTGRES_URL not set")
	}
	url := storetest.FreshPostgresSchema(t)
	var dbs [2]*sqlstore.DB
	for i := range dbs {
		db, err := sqlstore.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	return dbs
}

// TestBookingWaitsForErasureOrMerge (PostgreSQL; SQLite's single writer
// runs the two one after the other, and its insert looks at the record in
// its own statement): a booking made while its patient's record is being
// erased, or merged into another, locked and changed but not yet
// committed, waits for it and is then refused, with nothing written. It
// used to be stored after the erasure had cancelled the record's
// appointments, or the merge had moved them: a live appointment under an
// erased record, or on a duplicate kept only for the undo.
func TestBookingWaitsForErasureOrMerge(t *testing.T) {
	ctx := context.Background()
	c := newLockRace(t)
	s, u, l, o, physio := c.store, c.url, c.location, c.offering, c.physio
	kept := &backdesk.Patient{Name: "Kay Kept"}
	if err := s.InsertPatient(ctx, kept, nil); err != nil {
		t.Fatal(err)
	}
	raw := storetest.RawDB(t, u)
	start := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Hour)
	for i, change := range []struct{ name, sql string }{
		{"erasure", `UPDATE patients SET name = 'Erased patient', email = '', erased_at = now() WHERE id = $1`},
		{"merge", `UPDATE patients SET merged_into = ` + itoa(kept.ID) + ` WHERE id = $1`},
	} {
		p := &backdesk.Patient{Name: "Pat " + change.name, Email: change.name + "@example.org"}
		if err := s.InsertPatient(ctx, p, nil); err != nil {
			t.Fatal(err)
		}
		tx := lockRecord(t, raw, p.ID)
		if _, err := tx.ExecContext(ctx, change.sql, p.ID); err != nil {
			t.Fatal(err)
		}
		at := start.Add(time.Duration(i) * 2 * time.Hour)
		b := &backdesk.Booking{PatientID: p.ID, PractitionerID: physio.ID, ServiceID: o.ID, LocationID: l.ID,
			Start: at, End: at.Add(45 * time.Minute), BlocksUntil: at.Add(time.Hour)}
		done := make(chan error, 1)
		go func() {
			_, err := s.InsertBooking(ctx, b, []*backdesk.OutboxMessage{{Kind: "booking_confirmation", ToPatient: p.ID, Subject: "Booked", Body: "Booked."}}, nil)
			done <- err
		}()
		awaitLockWait(t, raw, done, "SELECT CASE WHEN erased_at%")
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := <-done; backdesk.ErrorCode(err) != backdesk.CodeConflict || !strings.Contains(backdesk.ErrorMessage(err), "erased or merged") {
			t.Errorf("a booking during the %s: err = %v, want the conflict of a closed record", change.name, err)
		}
		var n int
		if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM bookings WHERE patient_id = $1`, p.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%d bookings stored under the record during its %s", n, change.name)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestRescheduleWaitsForErasureOrMerge (PostgreSQL): a move of a patient's
// appointment made while their record is being erased, or while another
// record is merged into it (each locks the record first, then changes its
// appointments and emails), waits for it before it changes anything, and
// then is refused (erased) or made (the record kept). It used to cancel the
// old time first, holding its row and its emails, and wait for the record
// only at the insert: the erasure (cancelling the appointments) or the
// merge (readdressing the record's emails) then waited for the move, and
// the server aborted one of the two as a deadlock.
func TestRescheduleWaitsForErasureOrMerge(t *testing.T) {
	ctx := context.Background()
	c := newLockRace(t)
	s, u, l, o, physio := c.store, c.url, c.location, c.offering, c.physio
	raw := storetest.RawDB(t, u)
	start := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Hour)
	for i, tc := range []struct {
		name string
		// change is what the erasure or the merge does to the record's
		// rows after locking it.
		change []string
		want   backdesk.Code // of the move, once it commits
	}{
		{"erasure", []string{
			`UPDATE bookings SET cancel_reason = '', idempotency_key = NULL WHERE patient_id = $1`,
			`UPDATE bookings SET status = 'cancelled', cancelled_at = now() WHERE patient_id = $1 AND status = 'booked'`,
			`UPDATE patients SET name = 'Erased patient', email = '', erased_at = now() WHERE id = $1`,
		}, backdesk.CodeConflict},
		{"merge", []string{
			`UPDATE outbox SET to_addr = (SELECT email FROM patients WHERE id = $1) WHERE status = 'pending' AND patient_id = $1`,
		}, ""},
	} {
		p := &backdesk.Patient{Name: "Pat " + tc.name, Email: tc.name + "@example.org"}
		if err := s.InsertPatient(ctx, p, nil); err != nil {
			t.Fatal(err)
		}
		at := start.Add(time.Duration(i) * 4 * time.Hour)
		old := &backdesk.Booking{PatientID: p.ID, PractitionerID: physio.ID, ServiceID: o.ID, LocationID: l.ID,
			Start: at, End: at.Add(45 * time.Minute), BlocksUntil: at.Add(time.Hour)}
		mail := func() []*backdesk.OutboxMessage {
			return []*backdesk.OutboxMessage{{Kind: "booking_reminder", ToPatient: p.ID, Subject: "Soon", Body: "Soon.", SendAfter: at.Add(-24 * time.Hour)}}
		}
		if _, err := s.InsertBooking(ctx, old, mail(), nil); err != nil {
			t.Fatal(err)
		}
		tx := lockRecord(t, raw, p.ID)
		next := &backdesk.Booking{PatientID: p.ID, PractitionerID: physio.ID, ServiceID: o.ID, LocationID: l.ID,
			Start: at.Add(2 * time.Hour), End: at.Add(2*time.Hour + 45*time.Minute), BlocksUntil: at.Add(3 * time.Hour)}
		done := make(chan error, 1)
		go func() { done <- s.RescheduleBooking(ctx, old.ID, next, time.Now().UTC(), mail(), nil) }()
		awaitLockWait(t, raw, done, "SELECT CASE WHEN erased_at%")
		for _, q := range tc.change {
			if _, err := tx.ExecContext(ctx, q, p.ID); err != nil {
				tx.Rollback()
				t.Fatalf("the %s, with a move of the record's appointment waiting: %v", tc.name, err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := <-done; backdesk.ErrorCode(err) != tc.want {
			t.Errorf("a move during the %s: err = %v, want code %q", tc.name, err, tc.want)
		}
	}
}
