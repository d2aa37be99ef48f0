package storetest

import (
	"context"
	"sync"
	"testing"

	"backdesk"

	"github.com/google/go-cmp/cmp"
)

func (f bookingFixture) draft(t *testing.T, b *backdesk.Booking) *backdesk.ClinicalNote {
	t.Helper()
	n := &backdesk.ClinicalNote{BookingID: b.ID, PatientID: b.PatientID, PractitionerID: b.PractitionerID, AuthorUserID: 3,
		NoteText: backdesk.NoteText{Subjective: "Low back pain for three weeks, worse sitting.", Objective: "Flexion limited to knee level.",
			Assessment: "Non-specific low back pain.", Plan: "Graded walking; review in a week."}}
	must(t, f.s.InsertNote(context.Background(), n, &backdesk.AuditEntry{ActorUserID: 3, Action: backdesk.AuditNoteCreate, Resource: "note"}))
	return n
}

// testNoteVersions: a draft is edited and signed; a signed note cannot be
// changed by any store path; amending adds the next version, signed, and
// leaves every earlier version exactly as it was.
func testNoteVersions(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	b := f.mustBook(t, s, f.physio, ten)
	n := f.draft(t, b)
	if n.ID == 0 || n.Version != 1 || n.Status != backdesk.NoteDraft || n.SignedAt != nil {
		t.Fatalf("InsertNote filled %+v", n)
	}
	_, err := s.FindNoteByID(ctx, 999999)
	wantCode(t, err, backdesk.CodeNotFound)
	// One note per appointment.
	wantCode(t, s.InsertNote(ctx, &backdesk.ClinicalNote{BookingID: b.ID, PatientID: b.PatientID, PractitionerID: b.PractitionerID,
		NoteText: backdesk.NoteText{Plan: "again"}}, nil), backdesk.CodeConflict)
	// A draft is edited.
	edited, err := s.UpdateNote(ctx, n.ID, backdesk.NoteText{Subjective: "Edited.", Plan: "Walk daily."}, nil)
	must(t, err)
	if edited.Subjective != "Edited." || edited.Objective != "" || edited.Status != backdesk.NoteDraft {
		t.Errorf("edited draft = %+v", edited)
	}
	// Amending a draft is refused: a draft is edited.
	wantCode(t, s.AmendNote(ctx, n.ID, &backdesk.ClinicalNote{PractitionerID: f.physio.ID, AmendReason: "x", NoteText: backdesk.NoteText{Plan: "y"}}, nil), backdesk.CodeConflict)
	signed, err := s.SignNote(ctx, n.ID, 3, 0, nil)
	must(t, err)
	if signed.Status != backdesk.NoteSigned || signed.SignedAt == nil || signed.SignedBy != 3 {
		t.Fatalf("signed = %+v", signed)
	}
	// Nothing changes a signed note.
	_, err = s.UpdateNote(ctx, n.ID, backdesk.NoteText{Subjective: "Rewritten history."}, nil)
	wantCode(t, err, backdesk.CodeConflict)
	_, err = s.SignNote(ctx, n.ID, 4, 0, nil)
	wantCode(t, err, backdesk.CodeConflict)
	v1, err := s.FindNoteByID(ctx, n.ID)
	must(t, err)
	if diff := cmp.Diff(signed, v1); diff != "" {
		t.Errorf("the signed note changed:\n%s", diff)
	}
	// Amend: version 2, signed, with the reason; version 1 unchanged.
	a := &backdesk.ClinicalNote{PractitionerID: f.physio.ID, AuthorUserID: 3, AmendReason: "Wrong side recorded: the pain is on the right.",
		NoteText: backdesk.NoteText{Subjective: "Right-sided low back pain for three weeks.", Plan: "Walk daily."}}
	must(t, s.AmendNote(ctx, n.ID, a, &backdesk.AuditEntry{ActorUserID: 3, Action: backdesk.AuditNoteAmend, Resource: "note"}))
	if a.ID == 0 || a.Version != 2 || a.Amends != n.ID || a.Status != backdesk.NoteSigned || a.SignedAt == nil || a.BookingID != b.ID {
		t.Fatalf("amendment = %+v", a)
	}
	v1again, err := s.FindNoteByID(ctx, n.ID)
	must(t, err)
	if diff := cmp.Diff(v1, v1again); diff != "" {
		t.Errorf("amending changed version 1:\n%s", diff)
	}
	v2, err := s.FindNoteByID(ctx, a.ID)
	must(t, err)
	if v2.Version != 2 || v2.AmendReason != a.AmendReason || v2.Subjective != a.Subjective {
		t.Errorf("version 2 = %+v", v2)
	}
	// Only the latest version is amended; version 2 is as final as 1.
	wantCode(t, s.AmendNote(ctx, n.ID, &backdesk.ClinicalNote{PractitionerID: f.physio.ID, AmendReason: "late", NoteText: backdesk.NoteText{Plan: "z"}}, nil), backdesk.CodeConflict)
	_, err = s.UpdateNote(ctx, a.ID, backdesk.NoteText{Plan: "sneaky"}, nil)
	wantCode(t, err, backdesk.CodeConflict)
	a3 := &backdesk.ClinicalNote{PractitionerID: f.physio.ID, AmendReason: "Plan added.", NoteText: backdesk.NoteText{Plan: "Walk daily; swim twice a week."}}
	must(t, s.AmendNote(ctx, a.ID, a3, nil))
	versions, err := s.FindNotes(ctx, backdesk.NoteFilter{BookingID: b.ID})
	must(t, err)
	var got []int
	for _, v := range versions {
		got = append(got, v.Version)
	}
	if diff := cmp.Diff([]int{1, 2, 3}, got); diff != "" || versions[0].Subjective != "Edited." {
		t.Errorf("versions (-want +got):\n%s", diff)
	}
	byPatient, err := s.FindNotes(ctx, backdesk.NoteFilter{PatientID: b.PatientID})
	must(t, err)
	if len(byPatient) != 3 {
		t.Errorf("%d notes of the patient, want 3", len(byPatient))
	}
	entries, _, err := s.FindAuditEntries(ctx, backdesk.AuditFilter{Action: backdesk.AuditNoteAmend})
	must(t, err)
	if len(entries) != 1 || entries[0].ResourceID == "" {
		t.Errorf("amend audit lines = %+v", entries)
	}
}

// testNoteConcurrentAmend: two practitioners amend the same version at
// once; one amendment is version 2, the other is refused.
func testNoteConcurrentAmend(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	n := f.draft(t, f.mustBook(t, s, f.physio, ten))
	_, err := s.SignNote(ctx, n.ID, 3, 0, nil)
	must(t, err)
	const k = 10
	errs := make([]error, k)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range k {
		wg.Go(func() {
			<-start
			errs[i] = s.AmendNote(ctx, n.ID, &backdesk.ClinicalNote{PractitionerID: f.physio.ID, AmendReason: "typo", NoteText: backdesk.NoteText{Plan: "p"}}, nil)
		})
	}
	close(start)
	wg.Wait()
	if ok := successes(t, errs, backdesk.CodeConflict); ok != 1 {
		t.Errorf("%d of %d concurrent amendments succeeded, want 1", ok, k)
	}
	versions, err := s.FindNotes(ctx, backdesk.NoteFilter{BookingID: n.BookingID})
	must(t, err)
	if len(versions) != 2 {
		t.Errorf("%d versions, want 2", len(versions))
	}
}
