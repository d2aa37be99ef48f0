package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"backdesk"
)

// testAssessmentAttach: an anonymous assessment is attached to a patient
// once; of two patients claiming it at once, one gets it.
func testAssessmentAttach(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	a, b := mustPatient(t, s, "claim-a@example.org"), mustPatient(t, s, "claim-b@example.org")
	must(t, s.InsertAssessment(ctx, sampleAssessment("c1", 0), nil))
	audit := &backdesk.AuditEntry{ActorUserID: a.ID, ActorRole: backdesk.RolePatient, Action: backdesk.AuditAssessmentClaim, PatientID: a.PatientID, Resource: "assessment", ResourceID: "c1"}
	must(t, s.AttachAssessment(ctx, "c1", a.PatientID, audit))
	got, err := s.FindAssessmentByID(ctx, "c1")
	must(t, err)
	if got.PatientID != a.PatientID {
		t.Fatalf("attached assessment belongs to %d, want %d", got.PatientID, a.PatientID)
	}
	wantCode(t, s.AttachAssessment(ctx, "c1", b.PatientID, nil), backdesk.CodeNotFound)
	wantCode(t, s.AttachAssessment(ctx, "nope", a.PatientID, nil), backdesk.CodeNotFound)
	list, _, err := s.FindAuditEntries(ctx, backdesk.AuditFilter{Action: backdesk.AuditAssessmentClaim})
	must(t, err)
	if len(list) != 1 || list[0].ResourceID != "c1" {
		t.Errorf("claim audit = %+v", list)
	}

	must(t, s.InsertAssessment(ctx, sampleAssessment("c2", 0), nil))
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, u := range []*backdesk.User{a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = s.AttachAssessment(ctx, "c2", u.PatientID, nil) }()
	}
	wg.Wait()
	if n := successes(t, errs, backdesk.CodeNotFound); n != 1 {
		t.Errorf("%d of two concurrent claims succeeded", n)
	}
}

// testBookingFromAssessment: a booking keeps the assessment it was made
// from, and a move keeps it, links both ways and counts the chain's
// sequence up under the first booking's series.
func testBookingFromAssessment(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	must(t, s.InsertAssessment(ctx, sampleAssessment("from-1", f.patient.PatientID), nil))
	b := f.booking(f.physio, ten)
	b.AssessmentID = "from-1"
	_, err := s.InsertBooking(ctx, b, nil, nil)
	must(t, err)
	got, err := s.FindBookingByID(ctx, b.ID)
	must(t, err)
	if got.AssessmentID != "from-1" || got.SeriesID != 0 || got.Sequence != 0 || got.CalendarSeries() != b.ID || got.Moved() {
		t.Fatalf("booked from an assessment: %+v", got)
	}
	next := f.booking(f.physio, ten.Add(2*time.Hour))
	next.AssessmentID, next.SeriesID, next.Sequence = got.AssessmentID, got.CalendarSeries(), got.Sequence+1
	must(t, s.RescheduleBooking(ctx, b.ID, next, ten.Add(-time.Hour), nil, nil))
	third := f.booking(f.physio, ten.Add(4*time.Hour))
	third.AssessmentID, third.SeriesID, third.Sequence = next.AssessmentID, next.CalendarSeries(), next.Sequence+1
	must(t, s.RescheduleBooking(ctx, next.ID, third, ten.Add(-time.Hour), nil, nil))
	old, err := s.FindBookingByID(ctx, b.ID)
	must(t, err)
	mid, err := s.FindBookingByID(ctx, next.ID)
	must(t, err)
	last, err := s.FindBookingByID(ctx, third.ID)
	must(t, err)
	switch {
	case old.RescheduledTo != next.ID || !old.Moved() || old.Status != backdesk.BookingCancelled:
		t.Errorf("first booking after two moves: %+v", old)
	case mid.RescheduledFrom != b.ID || mid.RescheduledTo != third.ID || mid.CalendarSeries() != b.ID || mid.Sequence != 1:
		t.Errorf("second booking: %+v", mid)
	case last.RescheduledFrom != next.ID || last.Moved() || last.CalendarSeries() != b.ID || last.Sequence != 2 || last.AssessmentID != "from-1":
		t.Errorf("third booking: %+v", last)
	}
	list, _, err := s.FindBookings(ctx, backdesk.BookingFilter{PatientID: f.patient.PatientID})
	must(t, err)
	if len(list) != 3 || list[0].RescheduledTo != next.ID {
		t.Errorf("FindBookings reads the move too: %+v", list)
	}
}

// testPatientUpdate: a change of details writes a history row per changed
// field with the old value, in the audit line's transaction; an invalid
// change writes nothing; erasure blanks the history.
func testPatientUpdate(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	u := mustPatient(t, s, "details@example.org")
	phone, dob, gp := "0117 496 0001", "1980-04-23", "Dr Lee, Mill Surgery"
	audit := &backdesk.AuditEntry{ActorUserID: u.ID, ActorRole: backdesk.RolePatient, Action: backdesk.AuditPatientUpdate, PatientID: u.PatientID, Resource: "patient"}
	p, err := s.UpdatePatient(ctx, u.PatientID, backdesk.PatientUpdate{Phone: &phone, DateOfBirth: &dob, FamilyDoctor: &gp}, audit)
	must(t, err)
	if p.Phone != phone || p.FamilyDoctor != gp {
		t.Fatalf("updated patient = %+v", p)
	}
	newPhone, yes, no := "0117 496 0002", true, false
	_, err = s.UpdatePatient(ctx, u.PatientID, backdesk.PatientUpdate{Phone: &newPhone, ConsentEmail: &no, ConsentTreatment: &yes}, audit)
	must(t, err)
	got, err := s.FindPatientByID(ctx, u.PatientID)
	must(t, err)
	if got.Phone != newPhone || got.DateOfBirth != dob || got.ConsentEmail == nil || *got.ConsentEmail || got.ConsentTreatmentAt == nil {
		t.Fatalf("read back %+v", got)
	}
	bad := "call me maybe"
	_, err = s.UpdatePatient(ctx, u.PatientID, backdesk.PatientUpdate{Phone: &bad, EmergencyContactPhone: &bad}, audit)
	wantCode(t, err, backdesk.CodeInvalid)
	var e *backdesk.Error
	if errors.As(err, &e); len(e.Fields) != 2 {
		t.Errorf("invalid update names %v, want both phones", e.Fields)
	}
	changes, err := s.FindPatientChanges(ctx, u.PatientID)
	must(t, err)
	old := map[string]string{}
	for _, c := range changes {
		if c.ByUserID != u.ID || c.ByRole != backdesk.RolePatient {
			t.Errorf("change %+v does not name its author", c)
		}
		if c.Field == "phone" && c.NewValue == newPhone {
			old["phone"] = c.OldValue
		}
	}
	if len(changes) != 6 || old["phone"] != phone || changes[0].Field == "family_doctor" {
		t.Errorf("history = %+v", changes)
	}
	entries, _, err := s.FindAuditEntries(ctx, backdesk.AuditFilter{Action: backdesk.AuditPatientUpdate})
	must(t, err)
	if len(entries) != 2 {
		t.Errorf("%d audit lines for two changes", len(entries))
	}
	_, err = s.UpdatePatient(ctx, 999999, backdesk.PatientUpdate{Phone: &phone}, audit)
	wantCode(t, err, backdesk.CodeNotFound)

	_, err = s.ErasePatient(ctx, u.PatientID, nil)
	must(t, err)
	changes, err = s.FindPatientChanges(ctx, u.PatientID)
	must(t, err)
	for _, c := range changes {
		if c.OldValue != "" || c.NewValue != "" {
			t.Errorf("after erasure the history keeps %+v", c)
		}
	}
	got, _ = s.FindPatientByID(ctx, u.PatientID)
	if got.Phone != "" || got.FamilyDoctor != "" || got.DateOfBirth != "" {
		t.Errorf("erased record keeps %+v", got)
	}
	_, err = s.UpdatePatient(ctx, u.PatientID, backdesk.PatientUpdate{Phone: &phone}, audit)
	wantCode(t, err, backdesk.CodeConflict)
}

// testIntake: an intake is stored with the patient's details in one
// transaction; a second for the same booking changes nothing.
func testIntake(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	b := f.mustBook(t, s, f.physio, ten)
	gp, yes := "Dr Lee", true
	safety := sampleAssessment("x", 0).Result
	in := &backdesk.Intake{BookingID: b.ID, PatientID: f.patient.PatientID, Answers: json.RawMessage(`{"pregnant":true}`), Safety: &safety}
	must(t, s.InsertIntake(ctx, in, backdesk.PatientUpdate{FamilyDoctor: &gp, ConsentTreatment: &yes},
		&backdesk.AuditEntry{Action: backdesk.AuditPatientUpdate, PatientID: f.patient.PatientID, Resource: "patient"},
		&backdesk.AuditEntry{Action: backdesk.AuditIntakeCreate, PatientID: f.patient.PatientID, Resource: "intake"}))
	got, err := s.FindIntakeByBooking(ctx, b.ID)
	must(t, err)
	if got.ID != in.ID || string(got.Answers) != `{"pregnant":true}` || got.Safety == nil || got.Safety.Massage.Suitable != backdesk.MassageYes {
		t.Errorf("intake read back %+v", got)
	}
	p, _ := s.FindPatientByID(ctx, f.patient.PatientID)
	if p.FamilyDoctor != gp || p.ConsentTreatmentAt == nil {
		t.Errorf("intake did not update the record: %+v", p)
	}
	other := "Dr Someone Else"
	wantCode(t, s.InsertIntake(ctx, &backdesk.Intake{BookingID: b.ID, PatientID: f.patient.PatientID}, backdesk.PatientUpdate{FamilyDoctor: &other}), backdesk.CodeConflict)
	p, _ = s.FindPatientByID(ctx, f.patient.PatientID)
	if p.FamilyDoctor != gp {
		t.Errorf("a refused intake changed the record: %+v", p)
	}
	list, err := s.FindIntakesByPatient(ctx, f.patient.PatientID)
	must(t, err)
	if len(list) != 1 {
		t.Errorf("FindIntakesByPatient = %d", len(list))
	}
	_, err = s.FindIntakeByBooking(ctx, 999999)
	wantCode(t, err, backdesk.CodeNotFound)
}

// testLocationVisitorNotes: the map link, parking and access notes round
// trip, and a map link that is not https is refused.
func testLocationVisitorNotes(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	l := NewLocation()
	l.MapURL, l.Parking, l.Access = "https://maps.example/riverside", "Pay and display on Mill Lane.", "Step-free entrance at the side; lift to all floors."
	must(t, s.InsertLocation(ctx, l, nil))
	got, err := s.FindLocationByID(ctx, l.ID)
	must(t, err)
	if got.MapURL != l.MapURL || got.Parking != l.Parking || got.Access != l.Access {
		t.Errorf("read back %+v", got)
	}
	bad := "javascript:alert(1)"
	_, err = s.UpdateLocation(ctx, l.ID, backdesk.LocationUpdate{MapURL: &bad}, nil)
	wantCode(t, err, backdesk.CodeInvalid)
	notes := "Two spaces reserved for patients."
	got, err = s.UpdateLocation(ctx, l.ID, backdesk.LocationUpdate{Parking: &notes}, nil)
	must(t, err)
	if got.Parking != notes || got.MapURL != l.MapURL {
		t.Errorf("updated %+v", got)
	}
}
