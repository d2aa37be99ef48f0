package sqlstore_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"backdesk"
	"backdesk/storetest"
)

// TestPatientMailWaitsForErasure (PostgreSQL; SQLite's single writer runs
// the two one after the other): an email to a patient (ToPatient) stored
// while the patient's erasure is under way, its record locked and blanked
// but not yet committed, waits for the erasure and is then not stored. It
// used to be addressed from the record as it stood before the erasure, and
// committed after the erasure had removed the patient's emails: the erased
// patient's address and name stayed in the outbox, to be sent. The email
// here is a referral's booking invitation, whose transaction touches
// nothing else of the patient's.
func TestPatientMailWaitsForErasure(t *testing.T) {
	ctx := context.Background()
	c := newLockRace(t)
	s, u, l, physio := c.store, c.url, c.location, c.physio
	massage := storetest.MustCreatePractitioner(t, s, "M One", backdesk.DisciplineMassageTherapist,
		storetest.MustCreateOffering(t, s, "Massage first visit", backdesk.DisciplineMassageTherapist), l)
	p := &backdesk.Patient{Name: "Eve Rased", Email: "eve@example.org"}
	if err := s.InsertPatient(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	r := &backdesk.Referral{PatientID: p.ID, FromPractitionerID: physio.ID, ToDiscipline: backdesk.DisciplineMassageTherapist,
		Reason: "Tight lower back muscles", Urgency: backdesk.UrgencyRoutine, RedFlags: []string{}}
	if err := s.InsertReferral(ctx, r, nil); err != nil {
		t.Fatal(err)
	}

	// The erasure, as far as its blanking of the record: uncommitted.
	raw := storetest.RawDB(t, u)
	erasure := lockRecord(t, raw, p.ID)
	if _, err := erasure.ExecContext(ctx, `DELETE FROM outbox WHERE to_addr = $1`, p.Email); err != nil {
		t.Fatal(err)
	}
	if _, err := erasure.ExecContext(ctx, `UPDATE patients SET name = 'Erased patient', email = '', erased_at = now() WHERE id = $1`, p.ID); err != nil {
		t.Fatal(err)
	}

	done := make(chan error, 1)
	go func() {
		_, err := s.TransitionReferral(ctx, r.ID, backdesk.ReferralTransition{Action: backdesk.ReferralAccept, AcceptedBy: massage.ID},
			[]*backdesk.OutboxMessage{{Kind: "referral_accepted", ToPatient: p.ID, Subject: "Your referral", Greeting: "Hello ", Body: ",\n\nPlease book."}}, nil)
		done <- err
	}()
	// The acceptance either finishes (it did not wait) or is seen waiting
	// for the erasure's lock; then the erasure commits.
	awaitLockWait(t, raw, done, "INSERT INTO outbox%")
	if err := erasure.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("accept the referral: %v", err)
	}
	var n int
	var to, body string
	if err := raw.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(to_addr), ''), COALESCE(MAX(body), '') FROM outbox`).Scan(&n, &to, &body); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d emails stored for a patient erased meanwhile (to %q: %q), want none", n, to, body)
	}
}

// awaitLockWait returns once the statement running in another goroutine
// (its text LIKE query) is seen waiting for a lock in pg_stat_activity, or
// has finished (its error on done, put back), or after 10 s: so that what
// holds the lock is released only once the other is waiting for it. It
// polls PostgreSQL's view of its sessions, which says when a backend waits
// and has no way to be told.
func awaitLockWait(t *testing.T, raw *sql.DB, done chan error, query string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		select {
		case err := <-done:
			done <- err
			return // finished without waiting
		default:
		}
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
	}
}

// lockRace is a fresh PostgreSQL store (the test is skipped without one)
// with a location, a physiotherapy service and a physiotherapist: the
// setting of the tests of one change waiting for another's lock.
type lockRace struct {
	store    backdesk.Store
	url      string
	location *backdesk.Location
	offering *backdesk.Offering
	physio   *backdesk.Practitioner
}

func newLockRace(t *testing.T) lockRace {
	t.Helper()
	if storetest.PostgresURL() == "" {
		t.Skip("BACKDESK_TEST_POSTGRES_URL not set")
	}
	s, u := openPostgres(t)
	l := storetest.MustCreateLocation(t, s)
	o := storetest.MustCreateOffering(t, s, "Physiotherapy initial assessment", backdesk.DisciplinePhysiotherapist)
	return lockRace{store: s, url: u, location: l, offering: o,
		physio: storetest.MustCreatePractitioner(t, s, "P One", backdesk.DisciplinePhysiotherapist, o, l)}
}

// lockRecord begins, on raw, what an erasure or a merge begins with: a
// transaction holding the patient's record locked for update.
func lockRecord(t *testing.T, raw *sql.DB, patientID int64) *sql.Tx {
	t.Helper()
	tx, err := raw.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback() })
	if _, err := tx.Exec(`SELECT id FROM patients WHERE id = $1 FOR UPDATE`, patientID); err != nil {
		t.Fatal(err)
	}
	return tx
}
