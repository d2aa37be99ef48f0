package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"backdesk"
)

// findNames searches and returns the names found, in order.
func findNames(t *testing.T, s backdesk.Store, f backdesk.PatientFilter) []string {
	t.Helper()
	list, total, err := s.FindPatients(context.Background(), f)
	must(t, err)
	names := []string{}
	for _, p := range list {
		names = append(names, p.Name)
	}
	if total != len(names) {
		t.Errorf("FindPatients(%+v) total %d, listed %d", f, total, len(names))
	}
	return names
}

// testPatientSearchFolds: a search ignores accents and case, in the name
// as in the query; punctuation and spacing do not matter.
func testPatientSearchFolds(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	for _, name := range []string{"Siobhán Ó Briain", "Zoë Ødegård-Smith", "José Núñez", "Sean O'Brien"} {
		must(t, s.InsertPatient(ctx, &backdesk.Patient{Name: name}, created()))
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"siobhan", []string{"Siobhán Ó Briain"}},
		{"SIOBHAN O BRIAIN", []string{"Siobhán Ó Briain"}},
		{"Siobhán", []string{"Siobhán Ó Briain"}},
		{"o briain", []string{"Siobhán Ó Briain"}},
		{"zoe odegard", []string{"Zoë Ødegård-Smith"}},
		{"odegard smith", []string{"Zoë Ødegård-Smith"}},
		{"nunez", []string{"José Núñez"}},
		{"o'brien", []string{"Sean O'Brien"}},
		{"obrien", nil}, // a search is a part of the name, not a guess
		{"siobhan x", nil},
	} {
		got := findNames(t, s, backdesk.PatientFilter{Query: tc.query})
		if !slices.Equal(got, append([]string{}, tc.want...)) {
			t.Errorf("search %q = %v, want %v", tc.query, got, tc.want)
		}
	}
}

// testPatientPhoneMatching: a number finds a phone written nationally or
// with the country code, however spaced; part of a number finds it too.
func testPatientPhoneMatching(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	for _, p := range []*backdesk.Patient{
		{Name: "International UK", Phone: "+44 7700 900123"},
		{Name: "National UK", Phone: "07700 900456"},
		{Name: "US Number", Phone: "+1 (303) 555-0100"},
		{Name: "Landline", Phone: "0117 496 0123"},
	} {
		must(t, s.InsertPatient(ctx, p, created()))
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"07700 900123", []string{"International UK"}},
		{"07700900123", []string{"International UK"}},
		{"+44 7700 900123", []string{"International UK"}},
		{"0044 7700 900123", []string{"International UK"}},
		{"+44 7700 900456", []string{"National UK"}},
		{"+447700900456", []string{"National UK"}},
		{"07700 900456", []string{"National UK"}},
		{"303-555-0100", []string{"US Number"}},
		{"(303) 555 0100", []string{"US Number"}},
		{"+44 117 496 0123", []string{"Landline"}},
		{"900123", []string{"International UK"}},
		{"07700 900999", nil},
		{"+1 7700 900123", nil}, // another country's code
	} {
		got := findNames(t, s, backdesk.PatientFilter{Query: tc.query})
		if !slices.Equal(got, append([]string{}, tc.want...)) {
			t.Errorf("search %q = %v, want %v", tc.query, got, tc.want)
		}
	}
}

// testPatientLookAlikes: recording someone who looks like an existing
// record finds it: the same phone in another form, the same email, or the
// same date of birth with a similar name; a namesake born another day
// does not.
func testPatientLookAlikes(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	existing := &backdesk.Patient{Name: "Siobhán Ó Briain", Phone: "07700 900456", Email: "siobhan@example.org", DateOfBirth: "1984-03-09"}
	must(t, s.InsertPatient(ctx, existing, created()))
	must(t, s.InsertPatient(ctx, &backdesk.Patient{Name: "Siobhan O Briain", DateOfBirth: "1990-01-01"}, created()))
	for _, tc := range []struct {
		name string
		new  backdesk.Patient
		want []string // reasons of the look-alike found, none for no match
	}{
		{"the same phone, spaced otherwise", backdesk.Patient{Name: "S Briain", Phone: "07700900456"}, []string{backdesk.SamePhoneReason}},
		{"the same phone, international", backdesk.Patient{Name: "Someone", Phone: "+44 7700 900456"}, []string{backdesk.SamePhoneReason}},
		{"the same email", backdesk.Patient{Name: "Other Name", Email: " Siobhan@Example.org"}, []string{backdesk.SameEmailReason}},
		{"the same birth date, accents dropped", backdesk.Patient{Name: "Siobhan O Briain", DateOfBirth: "1984-03-09"}, []string{backdesk.SameBirthReason}},
		{"everything", backdesk.Patient{Name: "siobhan obriain", Phone: "+447700900456", Email: "siobhan@example.org", DateOfBirth: "1984-03-09"},
			[]string{backdesk.SamePhoneReason, backdesk.SameEmailReason, backdesk.SameBirthReason}},
		{"the same birth date, another name", backdesk.Patient{Name: "Robin Hart", DateOfBirth: "1984-03-09"}, nil},
		{"another number", backdesk.Patient{Name: "Someone", Phone: "07700 900457"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			candidates, _, err := s.FindPatients(ctx, backdesk.PatientFilter{LookAlike: &tc.new})
			must(t, err)
			got := backdesk.FindLookAlikes(&tc.new, candidates)
			if len(tc.want) == 0 {
				if len(got) != 0 {
					t.Errorf("look-alikes = %v, want none", got[0].Patient.Name)
				}
				return
			}
			if len(got) == 0 || got[0].Patient.ID != existing.ID || !slices.Equal(got[0].Reasons, tc.want) {
				t.Errorf("look-alikes = %+v, want %s for %v", got, existing.Name, tc.want)
			}
		})
	}
}

// testPatientMerge: merging a duplicate moves its appointments and other
// records to the record kept, takes it out of searches and is audited; the
// merge is undone exactly, once; what may not be merged is refused,
// changing nothing.
func testPatientMerge(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	kept := &backdesk.Patient{Name: "Siobhán Ó Briain", Phone: "07700 900456"}
	dup := &backdesk.Patient{Name: "Siobhan O Briain", Phone: "07700900456"}
	must(t, s.InsertPatient(ctx, kept, created()))
	must(t, s.InsertPatient(ctx, dup, created()))
	at := time.Date(2030, 1, 7, 10, 0, 0, 0, time.UTC)
	book := func(p *backdesk.Patient, start time.Time) *backdesk.Booking {
		b := &backdesk.Booking{PatientID: p.ID, PractitionerID: f.physio.ID, ServiceID: f.offering.ID, LocationID: f.location.ID,
			Start: start, End: start.Add(45 * time.Minute), BlocksUntil: start.Add(time.Hour)}
		_, err := s.InsertBooking(ctx, b, nil, nil)
		must(t, err)
		return b
	}
	onKept, onDup := book(kept, at), book(dup, at.Add(2*time.Hour))
	entry := &backdesk.WaitlistEntry{PatientID: dup.ID, Discipline: backdesk.DisciplinePhysiotherapist, ServiceID: f.offering.ID,
		From: backdesk.Date{Year: 2030, Month: 2, Day: 1}, To: backdesk.Date{Year: 2030, Month: 2, Day: 28},
		Weekdays: []backdesk.Weekday{2}, Earliest: backdesk.MustClockTime("09:00"), Latest: backdesk.MustClockTime("13:00")}
	must(t, s.InsertWaitlistEntry(ctx, entry, nil))

	audit := func(action backdesk.AuditAction) *backdesk.AuditEntry {
		return backdesk.NewAuditEntry(deskActor, action, 0, "patient_merge", "")
	}
	_, err := s.MergePatients(ctx, kept.ID, kept.ID, audit(backdesk.AuditPatientMerge))
	wantCode(t, err, backdesk.CodeInvalid)
	_, err = s.MergePatients(ctx, kept.ID, 987654, audit(backdesk.AuditPatientMerge))
	wantCode(t, err, backdesk.CodeNotFound)
	withAccount := mustPatient(t, s, "has.account.merge@example.org")
	_, err = s.MergePatients(ctx, kept.ID, withAccount.PatientID, audit(backdesk.AuditPatientMerge))
	wantCode(t, err, backdesk.CodeConflict)

	line := audit(backdesk.AuditPatientMerge)
	m, err := s.MergePatients(ctx, kept.ID, dup.ID, line)
	must(t, err)
	if m.KeptID != kept.ID || m.MergedID != dup.ID || len(m.Moved["bookings"]) != 1 || len(m.Moved["waitlist_entries"]) != 1 {
		t.Errorf("merge = %+v", m)
	}
	if b, _ := s.FindBookingByID(ctx, onDup.ID); b.PatientID != kept.ID {
		t.Errorf("the duplicate's appointment belongs to %d after the merge, want %d", b.PatientID, kept.ID)
	}
	if e, _ := s.FindWaitlistEntryByID(ctx, entry.ID); e.PatientID != kept.ID {
		t.Errorf("the duplicate's waitlist request belongs to %d after the merge", e.PatientID)
	}
	if got, _ := s.FindPatientByID(ctx, dup.ID); got.MergedInto != kept.ID || got.Name != dup.Name {
		t.Errorf("the duplicate after the merge: %+v", got)
	}
	if got := findNames(t, s, backdesk.PatientFilter{Query: "briain"}); !slices.Equal(got, []string{kept.Name}) {
		t.Errorf("search after the merge = %v, want only the record kept", got)
	}
	entries, _, err := s.FindAuditEntries(ctx, backdesk.AuditFilter{Action: backdesk.AuditPatientMerge, PatientID: kept.ID})
	must(t, err)
	if len(entries) != 1 || entries[0].ResourceID != fmt.Sprint(m.ID) || entries[0].Resource != "patient_merge" {
		t.Errorf("merge audit = %+v", entries)
	}
	_, err = s.MergePatients(ctx, kept.ID, dup.ID, audit(backdesk.AuditPatientMerge))
	wantCode(t, err, backdesk.CodeConflict) // already merged
	for _, id := range []int64{kept.ID, dup.ID} {
		list, err := s.FindPatientMerges(ctx, id)
		must(t, err)
		if len(list) != 1 || list[0].ID != m.ID {
			t.Errorf("merges of %d = %+v", id, list)
		}
	}

	// Something booked for the record kept after the merge stays with it
	// when the merge is undone.
	later := book(kept, at.Add(4*time.Hour))
	undone, err := s.UndoPatientMerge(ctx, m.ID, audit(backdesk.AuditPatientUnmerge))
	must(t, err)
	if undone.UndoneAt == nil {
		t.Error("the undone merge has no time")
	}
	for _, tc := range []struct {
		b    *backdesk.Booking
		want int64
	}{{onKept, kept.ID}, {onDup, dup.ID}, {later, kept.ID}} {
		if b, _ := s.FindBookingByID(ctx, tc.b.ID); b.PatientID != tc.want {
			t.Errorf("appointment %d belongs to %d after the undo, want %d", tc.b.ID, b.PatientID, tc.want)
		}
	}
	if e, _ := s.FindWaitlistEntryByID(ctx, entry.ID); e.PatientID != dup.ID {
		t.Errorf("the waitlist request belongs to %d after the undo", e.PatientID)
	}
	if got, _ := s.FindPatientByID(ctx, dup.ID); got.MergedInto != 0 {
		t.Errorf("the duplicate is still merged after the undo: %+v", got)
	}
	if got := findNames(t, s, backdesk.PatientFilter{Query: "briain"}); len(got) != 2 {
		t.Errorf("search after the undo = %v, want both records", got)
	}
	_, err = s.UndoPatientMerge(ctx, m.ID, audit(backdesk.AuditPatientUnmerge))
	wantCode(t, err, backdesk.CodeConflict)
	_, err = s.UndoPatientMerge(ctx, 987654, audit(backdesk.AuditPatientUnmerge))
	wantCode(t, err, backdesk.CodeNotFound)
	unmerges, _, err := s.FindAuditEntries(ctx, backdesk.AuditFilter{Action: backdesk.AuditPatientUnmerge})
	must(t, err)
	erasedUndos(t, s, audit)
	erasedWithDuplicates(t, s, audit)
	if len(unmerges) != 1 || unmerges[0].ResourceID != fmt.Sprint(m.ID) || unmerges[0].PatientID != dup.ID {
		t.Errorf("undo audit = %+v", unmerges)
	}
}

// testAuditNamesAndPerson: the audit log finds entries by part of the name
// of the actor or of the patient (accents aside), and gives their names.
func testAuditNamesAndPerson(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	staff := mustPatient(t, s, "seen.by@example.org") // an account, as actor
	p := &backdesk.Patient{Name: "Siobhán Ó Briain"}
	must(t, s.InsertPatient(ctx, p, backdesk.NewAuditEntry(backdesk.Actor{UserID: staff.ID, Role: backdesk.RoleReception}, backdesk.AuditPatientCreate, 0, "patient", "")))
	must(t, s.InsertAudit(ctx, backdesk.NewAuditEntry(backdesk.SystemActor("job"), backdesk.AuditPatientRead, 0, "patient", "")))
	for _, tc := range []struct {
		person string
		want   int
	}{{"siobhan", 1}, {"O BRIAIN", 1}, {staff.Name, 1}, {"seen.by@", 1}, {"nobody", 0}} {
		got, total, err := s.FindAuditEntries(ctx, backdesk.AuditFilter{Person: tc.person})
		must(t, err)
		if total != tc.want || len(got) != tc.want {
			t.Errorf("entries about %q = %d, want %d", tc.person, total, tc.want)
		}
	}
	names, err := s.AuditNames(ctx, []int64{staff.ID, 0, 987654}, []int64{p.ID})
	must(t, err)
	if names.Users[staff.ID] != staff.Name || names.Patients[p.ID] != p.Name || len(names.Users) != 1 {
		t.Errorf("names = %+v", names)
	}
}

// erasedUndos: a merge whose record kept or merged has been erased since is
// not undone (CodeConflict), and nothing moves: an undo would hand the
// erased record appointments that were the living one's (or give the
// duplicate back what the erasure blanked).
func erasedUndos(t *testing.T, s backdesk.Store, audit func(backdesk.AuditAction) *backdesk.AuditEntry) {
	t.Helper()
	ctx := context.Background()
	for _, erase := range []string{"merged", "kept"} {
		kept := &backdesk.Patient{Name: "Kept " + erase}
		dup := &backdesk.Patient{Name: "Duplicate " + erase}
		must(t, s.InsertPatient(ctx, kept, created()))
		must(t, s.InsertPatient(ctx, dup, created()))
		m, err := s.MergePatients(ctx, kept.ID, dup.ID, audit(backdesk.AuditPatientMerge))
		must(t, err)
		gone := dup.ID
		if erase == "kept" {
			gone = kept.ID
		}
		_, err = s.ErasePatient(ctx, gone, backdesk.NewAuditEntry(deskActor, backdesk.AuditPersonalErase, gone, "patient", ""))
		must(t, err)
		_, err = s.UndoPatientMerge(ctx, m.ID, audit(backdesk.AuditPatientUnmerge))
		wantCode(t, err, backdesk.CodeConflict)
		if got, _ := s.FindPatientByID(ctx, dup.ID); got.MergedInto != kept.ID {
			t.Errorf("the %s record erased, the duplicate after a refused undo: %+v", erase, got)
		}
	}
}

// erasedWithDuplicates: erasing a record erases the records merged into it
// (and theirs): a duplicate is the same person, and kept their name, phone
// and date of birth when the one they asked to erase was blanked.
func erasedWithDuplicates(t *testing.T, s backdesk.Store, audit func(backdesk.AuditAction) *backdesk.AuditEntry) {
	t.Helper()
	ctx := context.Background()
	kept := &backdesk.Patient{Name: "Róisín Kept", Phone: "07700 900111"}
	dup := &backdesk.Patient{Name: "Roisin Kept", Phone: "07700900111"}
	older := &backdesk.Patient{Name: "R Kept", Phone: "07700 900 111"}
	for _, p := range []*backdesk.Patient{kept, dup, older} {
		must(t, s.InsertPatient(ctx, p, created()))
	}
	_, err := s.MergePatients(ctx, dup.ID, older.ID, audit(backdesk.AuditPatientMerge))
	must(t, err)
	_, err = s.MergePatients(ctx, kept.ID, dup.ID, audit(backdesk.AuditPatientMerge))
	must(t, err)
	_, err = s.ErasePatient(ctx, kept.ID, backdesk.NewAuditEntry(deskActor, backdesk.AuditPersonalErase, kept.ID, "patient", ""))
	must(t, err)
	for _, p := range []*backdesk.Patient{kept, dup, older} {
		got, err := s.FindPatientByID(ctx, p.ID)
		must(t, err)
		if got.ErasedAt == nil || got.Phone != "" || strings.Contains(got.Name, "Kept") {
			t.Errorf("record %d (%s) after its person's erasure: %+v", p.ID, p.Name, got)
		}
	}
}
