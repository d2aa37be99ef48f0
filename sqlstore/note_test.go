package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"backdesk"
	"backdesk/storetest"
)

// TestSignedNoteFrozenInTheDatabase: the database itself refuses to change
// or remove a signed clinical note, whatever SQL reaches it, on both
// databases; a draft row it lets through.
func TestSignedNoteFrozenInTheDatabase(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := b.store
			l := storetest.MustCreateLocation(t, s)
			o := storetest.MustCreateOffering(t, s, "Physiotherapy initial assessment", backdesk.DisciplinePhysiotherapist)
			p := storetest.MustCreatePractitioner(t, s, "P One", backdesk.DisciplinePhysiotherapist, o, l)
			u := &backdesk.User{Email: "frozen@example.org", Name: "Frozen", Role: backdesk.RolePatient}
			if err := s.InsertUser(ctx, u, "hash", nil); err != nil {
				t.Fatal(err)
			}
			start := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
			bk := &backdesk.Booking{PatientID: u.PatientID, PractitionerID: p.ID, ServiceID: o.ID, LocationID: l.ID, Start: start,
				End: start.Add(45 * time.Minute), BlocksUntil: start.Add(time.Hour)}
			if _, err := s.InsertBooking(ctx, bk, nil, nil); err != nil {
				t.Fatal(err)
			}
			note := func() *backdesk.ClinicalNote {
				n := &backdesk.ClinicalNote{BookingID: bk.ID, PatientID: u.PatientID, PractitionerID: p.ID, NoteText: backdesk.NoteText{Subjective: "as written"}}
				return n
			}
			draft := note()
			if err := s.InsertNote(ctx, draft, nil); err != nil {
				t.Fatal(err)
			}
			raw := b.raw(t)
			if _, err := raw.ExecContext(ctx, `UPDATE clinical_notes SET plan = 'draft edit' WHERE id = $1`, draft.ID); err != nil {
				t.Fatalf("the database refused to change a draft: %v", err)
			}
			if _, err := s.SignNote(ctx, draft.ID, 1, 0, nil); err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{
				`UPDATE clinical_notes SET subjective = 'rewritten' WHERE id = $1`,
				`UPDATE clinical_notes SET status = 'draft', signed_at = NULL WHERE id = $1`,
				`UPDATE clinical_notes SET version = version WHERE id = $1`,
				`DELETE FROM clinical_notes WHERE id = $1`,
			} {
				if _, err := raw.ExecContext(ctx, q, draft.ID); err == nil {
					t.Errorf("the database let %q through on a signed note", q)
				}
			}
			if b.name == "postgres" {
				if _, err := raw.ExecContext(ctx, `TRUNCATE clinical_notes CASCADE`); err == nil {
					t.Error("the database let TRUNCATE remove signed notes")
				}
			}
			got, err := s.FindNoteByID(ctx, draft.ID)
			if err != nil || got.Subjective != "as written" || got.Plan != "draft edit" || got.Status != backdesk.NoteSigned {
				t.Errorf("signed note after the attempts = %+v, %v", got, err)
			}
			// The store's own error for a write the trigger refuses is a
			// conflict, not an internal error.
			if _, err := s.UpdateNote(ctx, draft.ID, backdesk.NoteText{Plan: "x"}, nil); backdesk.ErrorCode(err) != backdesk.CodeConflict {
				t.Errorf("UpdateNote of a signed note = %v, want conflict", err)
			}
		})
	}
}
