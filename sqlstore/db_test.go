package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"backdesk"
	"backdesk/sqlstore"
	"backdesk/storetest"
)

// TestGenerations: Generation moves after every write but a new booking's,
// and SessionsEnded after every write that ends sessions (what
// clinic.CatalogueCache and clinic.SessionCache rely on to drop what they
// keep), on both databases.
func TestGenerations(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			db := b.store
			ctx := context.Background()
			l := storetest.MustCreateLocation(t, db)
			o := storetest.MustCreateOffering(t, db, "Physio", backdesk.DisciplinePhysiotherapist)
			p := storetest.MustCreatePractitioner(t, db, "Amira Shah", backdesk.DisciplinePhysiotherapist, o, l)
			u := &backdesk.User{Email: "sam@example.org", Name: "Sam Taylor", Role: backdesk.RolePatient}
			must(t, db.InsertUser(ctx, u, "hash", nil))
			u2 := &backdesk.User{Email: "kit@example.org", Name: "Kit Lane", Role: backdesk.RolePatient}
			must(t, db.InsertUser(ctx, u2, "hash", nil))
			at := time.Date(2030, 1, 7, 9, 0, 0, 0, time.UTC)
			for _, tc := range []struct {
				name              string
				write             func() error
				catalogue, ending bool // whether Generation, SessionsEnded move
			}{
				{"a catalogue change", func() error {
					_, err := db.UpdateOffering(ctx, o.ID, backdesk.OfferingUpdate{Name: ptr("Physiotherapy")}, nil)
					return err
				}, true, false},
				{"a new booking", func() error {
					_, err := db.InsertBooking(ctx, &backdesk.Booking{PatientID: u.PatientID, PractitionerID: p.ID, ServiceID: o.ID, LocationID: l.ID,
						Start: at, End: at.Add(45 * time.Minute), BlocksUntil: at.Add(time.Hour)}, nil, nil)
					return err
				}, false, false},
				{"a sign-in", func() error { return db.InsertSession(ctx, "h1", u.ID, at) }, true, false},
				{"a sign-out", func() error { return db.DeleteSession(ctx, "h1") }, true, true},
				{"a password reset", func() error {
					must(t, db.InsertPasswordReset(ctx, "r1", u.ID, time.Now().Add(time.Hour), &backdesk.OutboxMessage{Kind: "password_reset", To: u.Email, Subject: "s", Body: "b"}))
					_, err := db.ResetPassword(ctx, "r1", "hash2", time.Now(), nil)
					return err
				}, true, true},
				{"an address confirmed", func() error {
					must(t, db.InsertEmailVerification(ctx, "v1", u.ID, time.Now().Add(time.Hour), &backdesk.OutboxMessage{Kind: "email_verification", To: u.Email, Subject: "s", Body: "b"}))
					_, err := db.VerifyEmail(ctx, "v1", time.Now(), nil)
					return err
				}, true, true},
				{"an account erased", func() error { _, err := db.EraseUser(ctx, u.ID, nil); return err }, true, true},
				{"a patient erased", func() error { _, err := db.ErasePatient(ctx, u2.PatientID, nil); return err }, true, true},
			} {
				gen, ended := db.Generation(), db.SessionsEnded()
				if err := tc.write(); err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				if moved := db.Generation() != gen; moved != tc.catalogue {
					t.Errorf("%s: Generation moved %v, want %v", tc.name, moved, tc.catalogue)
				}
				if moved := db.SessionsEnded() != ended; moved != tc.ending {
					t.Errorf("%s: SessionsEnded moved %v, want %v", tc.name, moved, tc.ending)
				}
			}
		})
	}
}

var _ interface {
	Generation() uint64
	SessionsEnded() uint64
} = (*sqlstore.DB)(nil)

func ptr[T any](v T) *T { return &v }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
