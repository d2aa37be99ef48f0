package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"backdesk"
)

// deskActor is a receptionist, for audit lines.
var deskActor = backdesk.Actor{UserID: 3, Role: backdesk.RoleReception}

// created is the audit line of recording a patient.
func created() *backdesk.AuditEntry {
	return backdesk.NewAuditEntry(deskActor, backdesk.AuditPatientCreate, 0, "patient", "")
}

// testPatientCreateAndSearch: reception records a caller without an account
// and finds them again by part of the name, email or phone; a bad record
// changes nothing; erased records are not found; LIKE's wildcards in a
// search are plain text.
func testPatientCreateAndSearch(t *testing.T, s backdesk.Store) {
	desk := context.Background()
	caller := &backdesk.Patient{Name: "  Jo Caller ", Email: " Jo.Caller@Example.org", Phone: "+44 7700 900123", DateOfBirth: "1970-05-06"}
	must(t, s.InsertPatient(desk, caller, created()))
	if caller.ID == 0 || caller.Name != "Jo Caller" || caller.Email != "jo.caller@example.org" {
		t.Fatalf("created %+v", caller)
	}
	must(t, s.InsertPatient(desk, &backdesk.Patient{Name: "Phone Only", Phone: "01632 960 001"}, created()))
	must(t, s.InsertPatient(desk, &backdesk.Patient{Name: "100% Real_Name"}, created()))
	must(t, s.InsertPatient(desk, &backdesk.Patient{Name: "Élodie Ødegård"}, created()))
	got, err := s.FindPatientByID(desk, caller.ID)
	must(t, err)
	if got.Phone != caller.Phone || got.DateOfBirth != "1970-05-06" {
		t.Errorf("read back %+v", got)
	}

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"jo c", []string{"Jo Caller"}},
		{"CALLER@example", []string{"Jo Caller"}},
		{"7700 900", []string{"Jo Caller"}},
		{"960", []string{"Phone Only"}},
		{"7700900123", []string{"Jo Caller"}}, // however the number is spaced
		{"(01632) 960-001", []string{"Phone Only"}},
		{"+447700 9001", []string{"Jo Caller"}},
		{"100%", []string{"100% Real_Name"}},
		{"_", []string{"100% Real_Name"}},
		{"%", []string{"100% Real_Name"}},
		{"nobody at all", nil},
		{"élodie", []string{"Élodie Ødegård"}}, // letters beyond ASCII fold too
		{"ØDEGÅRD", []string{"Élodie Ødegård"}},
	} {
		list, total, err := s.FindPatients(desk, backdesk.PatientFilter{Query: tc.query})
		must(t, err)
		var names []string
		for _, p := range list {
			names = append(names, p.Name)
		}
		if total != len(tc.want) || len(names) != len(tc.want) || (len(names) > 0 && names[0] != tc.want[0]) {
			t.Errorf("search %q = %v (total %d), want %v", tc.query, names, total, tc.want)
		}
	}
	all, total, err := s.FindPatients(desk, backdesk.PatientFilter{Page: backdesk.Page{Limit: 2}})
	must(t, err)
	if len(all) != 2 || total < 4 {
		t.Errorf("a page of 2: %d of %d", len(all), total)
	}
	// A page past the end is empty, and still says how many there are
	// (it said 0: the count rode on the rows the page returned).
	past, pastTotal, err := s.FindPatients(desk, backdesk.PatientFilter{Page: backdesk.Page{Limit: 2, Offset: 1000}})
	must(t, err)
	if len(past) != 0 || pastTotal != total {
		t.Errorf("a page past the end: %d of %d, want 0 of %d", len(past), pastTotal, total)
	}
	refs, refTotal, err := s.FindReferrals(desk, backdesk.ReferralFilter{Page: backdesk.Page{Offset: 1000}})
	must(t, err)
	audit, auditTotal, err := s.FindAuditEntries(desk, backdesk.AuditFilter{Page: backdesk.Page{Offset: 1_000_000}})
	must(t, err)
	if _, all, err := s.FindAuditEntries(desk, backdesk.AuditFilter{}); err != nil || len(refs) != 0 || refTotal != 0 || len(audit) != 0 || auditTotal != all {
		t.Errorf("past the end: referrals %d of %d, audit %d of %d (of %d, %v)", len(refs), refTotal, len(audit), auditTotal, all, err)
	}

	// A creation's audit line names its record and its patient.
	entries, _, err := s.FindAuditEntries(desk, backdesk.AuditFilter{Action: backdesk.AuditPatientCreate, PatientID: caller.ID})
	must(t, err)
	if len(entries) != 1 || entries[0].ActorUserID != 3 || entries[0].ResourceID != fmt.Sprint(caller.ID) {
		t.Errorf("creation audit = %+v", entries)
	}

	// Bad records are refused whole, with no audit line.
	_, before, _ := s.FindAuditEntries(desk, backdesk.AuditFilter{})
	for _, bad := range []*backdesk.Patient{{Name: " "}, {Name: "X", Email: "not-an-email"}, {Name: "X", Phone: "call me"}, {Name: "X", DateOfBirth: "1970-13-01"}} {
		wantCode(t, s.InsertPatient(desk, bad, created()), backdesk.CodeInvalid)
	}
	if _, after, _ := s.FindAuditEntries(desk, backdesk.AuditFilter{}); after != before {
		t.Errorf("refused records wrote %d audit lines", after-before)
	}
	list, _, err := s.FindPatients(desk, backdesk.PatientFilter{Query: "X"})
	must(t, err)
	for _, p := range list {
		if p.Name == "X" {
			t.Errorf("a refused record was stored: %+v", p)
		}
	}

	// Erased records drop out of the search.
	u := mustPatient(t, s, "erase.me@example.org")
	list, _, err = s.FindPatients(desk, backdesk.PatientFilter{Query: "erase.me"})
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("before erasure: %d", len(list))
	}
	_, err = s.EraseUser(AdminContext(), u.ID, nil)
	must(t, err)
	list, _, err = s.FindPatients(desk, backdesk.PatientFilter{Query: "erase.me"})
	must(t, err)
	if len(list) != 0 {
		t.Errorf("an erased record is still found: %+v", list[0])
	}
}

// testPatientErase: a patient reception recorded is erased, and one with an
// account; personal details, waiting emails and the account go, the
// appointment stays, anonymised; only once, with one audit line.
func testPatientErase(t *testing.T, s backdesk.Store) {
	desk, admin := context.Background(), context.Background()
	caller := &backdesk.Patient{Name: "Erin Caller", Email: "erin@example.org", Phone: "01632 960 777"}
	must(t, s.InsertPatient(desk, caller, created()))
	l := MustCreateLocation(t, s)
	o := MustCreateOffering(t, s, "Physio", backdesk.DisciplinePhysiotherapist)
	p := MustCreatePractitioner(t, s, "P", backdesk.DisciplinePhysiotherapist, o, l)
	at := time.Date(2030, 1, 7, 10, 0, 0, 0, time.UTC)
	b := &backdesk.Booking{PatientID: caller.ID, PractitionerID: p.ID, ServiceID: o.ID, LocationID: l.ID, Start: at, End: at.Add(45 * time.Minute), BlocksUntil: at.Add(time.Hour)}
	_, err := s.InsertBooking(admin, b, []*backdesk.OutboxMessage{{Kind: "booking_reminder", To: caller.Email, Subject: "s", Body: "b", SendAfter: at.Add(-24 * time.Hour)}}, nil)
	must(t, err)

	erased := func(id int64) *backdesk.AuditEntry {
		return backdesk.NewAuditEntry(backdesk.Actor{UserID: 1, Role: backdesk.RoleAdmin}, backdesk.AuditPersonalErase, id, "patient", fmt.Sprint(id))
	}
	_, err = s.ErasePatient(admin, 987654, erased(987654))
	wantCode(t, err, backdesk.CodeNotFound)
	cancelled, err := s.ErasePatient(admin, caller.ID, erased(caller.ID))
	must(t, err)
	if len(cancelled) != 1 || cancelled[0].ID != b.ID || cancelled[0].Status != backdesk.BookingCancelled {
		t.Errorf("bookings the erasure cancelled = %+v, want the coming appointment", cancelled)
	}
	_, err = s.ErasePatient(admin, caller.ID, erased(caller.ID))
	wantCode(t, err, backdesk.CodeConflict)

	got, err := s.FindPatientByID(admin, caller.ID)
	must(t, err)
	if got.Name == "Erin Caller" || got.Email != "" || got.Phone != "" || got.ErasedAt == nil {
		t.Errorf("after erasure: %+v", got)
	}
	if list, _, err := s.FindPatients(desk, backdesk.PatientFilter{Query: "erin"}); err != nil || len(list) != 0 {
		t.Errorf("an erased patient is still found: %v %v", list, err)
	}
	msgs, _, err := s.FindOutboxMessages(admin, backdesk.Page{Limit: 1000})
	must(t, err)
	for _, m := range msgs {
		if m.To == "erin@example.org" {
			t.Errorf("an email to the erased patient is still waiting: %+v", m)
		}
	}
	if kept, err := s.FindBookingByID(admin, b.ID); err != nil || kept.PatientID != caller.ID || kept.Status != backdesk.BookingCancelled {
		t.Errorf("the appointment after erasure: %+v %v, want kept, cancelled", kept, err)
	}
	entries, _, err := s.FindAuditEntries(admin, backdesk.AuditFilter{Action: backdesk.AuditPersonalErase, PatientID: caller.ID})
	must(t, err)
	if len(entries) != 1 {
		t.Errorf("erasure audit lines = %d, want 1 (the refused second attempt writes none)", len(entries))
	}

	// A patient with an account loses the account too.
	u := mustPatient(t, s, "has.account@example.org")
	_, err = s.ErasePatient(admin, u.PatientID, erased(u.PatientID))
	must(t, err)
	_, _, err = s.FindUserByEmail(context.Background(), "has.account@example.org")
	wantCode(t, err, backdesk.CodeNotFound)
}
