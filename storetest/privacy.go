package storetest

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"backdesk"
)

func mustPatient(t *testing.T, s backdesk.Store, email string) *backdesk.User {
	t.Helper()
	u := &backdesk.User{Email: email, Name: "Pat " + email, Role: backdesk.RolePatient}
	must(t, s.InsertUser(context.Background(), u, "$argon2id$hash-of-"+email, nil))
	return u
}

func testAuditFilter(t *testing.T, s backdesk.Store) {
	ctx := AdminContext()
	for i, e := range []backdesk.AuditEntry{
		{ActorUserID: 1, ActorRole: backdesk.RoleAdmin, Action: backdesk.AuditAssessmentRead, PatientID: 10, Resource: "assessment", ResourceID: "a"},
		{ActorUserID: 2, ActorRole: backdesk.RolePatient, Action: backdesk.AuditAssessmentCreate, PatientID: 10, Resource: "assessment", ResourceID: "b", Source: "10.0.0.1"},
		{ActorRole: backdesk.RoleSystem, ActorName: "waitlist", Action: backdesk.AuditAssessmentRead, PatientID: 11, Resource: "assessment", ResourceID: "c"},
	} {
		must(t, s.InsertAudit(ctx, &e))
		if e.ID == 0 || e.At.IsZero() {
			t.Fatalf("entry %d: InsertAudit did not fill ID and At", i)
		}
	}
	for _, tc := range []struct {
		name string
		f    backdesk.AuditFilter
		want []string
	}{
		{"all, newest first", backdesk.AuditFilter{}, []string{"c", "b", "a"}},
		{"patient", backdesk.AuditFilter{PatientID: 10}, []string{"b", "a"}},
		{"actor", backdesk.AuditFilter{ActorUserID: 1}, []string{"a"}},
		{"action", backdesk.AuditFilter{Action: backdesk.AuditAssessmentCreate}, []string{"b"}},
		{"page", backdesk.AuditFilter{Page: backdesk.Page{Limit: 1, Offset: 1}}, []string{"b"}},
		{"future", backdesk.AuditFilter{From: time.Now().Add(time.Hour)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.FindAuditEntries(ctx, tc.f)
			must(t, err)
			var ids []string
			for _, e := range got {
				ids = append(ids, e.ResourceID)
			}
			if strings.Join(ids, ",") != strings.Join(tc.want, ",") {
				t.Errorf("FindAuditEntries(%+v) = %v, want %v", tc.f, ids, tc.want)
			}
			if tc.f.Limit == 0 && total != len(tc.want) {
				t.Errorf("total = %d, want %d", total, len(tc.want))
			}
		})
	}
	got, _, err := s.FindAuditEntries(ctx, backdesk.AuditFilter{PatientID: 11})
	must(t, err)
	if len(got) != 1 || got[0].ActorRole != backdesk.RoleSystem || got[0].ActorName != "waitlist" || got[0].ActorUserID != 0 {
		t.Errorf("a system actor's line reads back as %+v", got)
	}
}

// testAuditWithChange: the audit line given to a write is written in the
// change's transaction, and not at all when the change fails.
func testAuditWithChange(t *testing.T, s backdesk.Store) {
	u := mustPatient(t, s, "audit@example.org")
	ctx := context.Background()
	line := func() *backdesk.AuditEntry {
		return backdesk.NewAuditEntry(backdesk.Actor{UserID: u.ID, Role: backdesk.RolePatient, PatientID: u.PatientID, Source: "198.51.100.7"},
			backdesk.AuditAssessmentCreate, u.PatientID, "assessment", "x1")
	}
	must(t, s.InsertAssessment(ctx, sampleAssessment("x1", u.PatientID), line()))
	wantCode(t, s.InsertAssessment(ctx, sampleAssessment("x1", u.PatientID), line()), backdesk.CodeConflict)
	got, _, err := s.FindAuditEntries(ctx, backdesk.AuditFilter{PatientID: u.PatientID})
	must(t, err)
	if len(got) != 1 || got[0].Action != backdesk.AuditAssessmentCreate || got[0].ActorUserID != u.ID || got[0].Source != "198.51.100.7" {
		t.Errorf("audit after one success and one failure = %+v", got)
	}
}

func testLoginFailures(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for i := range 4 {
		must(t, s.RecordLoginFailure(ctx, []string{"account:a@example.org", "address:1.2.3.4"}, t0.Add(time.Duration(i)*time.Minute)))
	}
	n, oldest, err := s.CountLoginFailures(ctx, "account:a@example.org", t0.Add(time.Minute))
	must(t, err)
	if n != 3 || !oldest.Equal(t0.Add(time.Minute)) {
		t.Errorf("CountLoginFailures = %d, %v; want 3 since 10:01", n, oldest)
	}
	must(t, s.ClearLoginFailures(ctx, "account:a@example.org"))
	if n, _, _ := s.CountLoginFailures(ctx, "account:a@example.org", t0); n != 0 {
		t.Errorf("after clear: %d", n)
	}
	if n, _, _ := s.CountLoginFailures(ctx, "address:1.2.3.4", t0); n != 4 {
		t.Errorf("the address count was cleared too: %d", n)
	}
	// Failures older than a day are pruned when new ones are recorded.
	must(t, s.RecordLoginFailure(ctx, []string{"address:1.2.3.4"}, t0.Add(25*time.Hour)))
	if n, _, _ := s.CountLoginFailures(ctx, "address:1.2.3.4", t0.Add(-time.Hour)); n != 1 {
		t.Errorf("old failures not pruned: %d", n)
	}
}

func testPasswordResetSingleUse(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	u := mustPatient(t, s, "reset@example.org")
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	must(t, s.InsertSession(ctx, "sess-1", u.ID, now.Add(time.Hour)))
	msg := &backdesk.OutboxMessage{Kind: "password_reset", To: u.Email, Subject: "Reset", Body: "link with token", Sensitive: true}
	must(t, s.InsertPasswordReset(ctx, "reset-hash", u.ID, now.Add(time.Hour), msg))
	if msg.ID == 0 {
		t.Error("the reset email was not written")
	}
	id, err := s.ResetPassword(ctx, "reset-hash", "$argon2id$new", now.Add(time.Minute), nil)
	must(t, err)
	if id != u.ID {
		t.Errorf("ResetPassword user = %d", id)
	}
	if _, hash, _ := s.FindUserByEmail(ctx, u.Email); hash != "$argon2id$new" {
		t.Errorf("password hash = %q", hash)
	}
	_, err = s.FindSessionUser(ctx, "sess-1", now)
	wantCode(t, err, backdesk.CodeNotFound)
	_, err = s.ResetPassword(ctx, "reset-hash", "$argon2id$again", now.Add(2*time.Minute), nil)
	wantCode(t, err, backdesk.CodeInvalid)

	must(t, s.InsertPasswordReset(ctx, "old-hash", u.ID, now.Add(time.Hour), &backdesk.OutboxMessage{Kind: "password_reset", To: u.Email, Subject: "s", Body: "b"}))
	_, err = s.ResetPassword(ctx, "old-hash", "$argon2id$late", now.Add(61*time.Minute), nil)
	wantCode(t, err, backdesk.CodeInvalid)

	// Every link of the account ends when its password changes: asked for
	// twice, the second link used, the first no longer works, and its email
	// (not yet sent) is dropped without its link.
	first := &backdesk.OutboxMessage{Kind: "password_reset", To: u.Email, Subject: "Reset", Body: "first link", Sensitive: true}
	must(t, s.InsertPasswordReset(ctx, "first-hash", u.ID, now.Add(time.Hour), first))
	must(t, s.InsertPasswordReset(ctx, "second-hash", u.ID, now.Add(time.Hour), &backdesk.OutboxMessage{Kind: "password_reset", To: u.Email, Subject: "Reset", Body: "second link", Sensitive: true}))
	_, err = s.ResetPassword(ctx, "second-hash", "$argon2id$second", now.Add(time.Minute), nil)
	must(t, err)
	_, err = s.ResetPassword(ctx, "first-hash", "$argon2id$first", now.Add(2*time.Minute), nil)
	wantCode(t, err, backdesk.CodeInvalid)
	if _, hash, _ := s.FindUserByEmail(ctx, u.Email); hash != "$argon2id$second" {
		t.Errorf("password hash after the older link = %q, want the second reset's", hash)
	}
	if due, err := s.ClaimOutbox(ctx, now.Add(time.Hour), time.Minute, 100, "claim"); err != nil {
		t.Fatal(err)
	} else {
		for _, m := range due {
			if m.ID == first.ID {
				t.Errorf("the ended link's email is still to be sent: %+v", m)
			}
		}
	}
	_, err = s.ResetPassword(ctx, "no-such-hash", "$argon2id$x", now, nil)
	wantCode(t, err, backdesk.CodeInvalid)
}

// testPasswordResetRace: 20 uses of one token at once; exactly one wins.
func testPasswordResetRace(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	u := mustPatient(t, s, "race-reset@example.org")
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	must(t, s.InsertPasswordReset(ctx, "shared", u.ID, now.Add(time.Hour), &backdesk.OutboxMessage{Kind: "password_reset", To: u.Email, Subject: "s", Body: "b"}))
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.ResetPassword(ctx, "shared", "$argon2id$p", now, nil)
		}()
	}
	wg.Wait()
	ok := successes(t, errs, backdesk.CodeInvalid)
	if ok != 1 {
		t.Errorf("%d resets succeeded with one token, want 1", ok)
	}
}

func testExportPersonalData(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	u := mustPatient(t, s, "export@example.org")
	other := mustPatient(t, s, "other@example.org")
	must(t, s.InsertAssessment(ctx, sampleAssessment("mine", u.PatientID), nil))
	must(t, s.InsertAssessment(ctx, sampleAssessment("theirs", other.PatientID), nil))
	must(t, s.InsertSession(ctx, "secret-session-hash", u.ID, time.Now().Add(time.Hour)))
	e := backdesk.AuditEntry{ActorUserID: 1, ActorRole: backdesk.RoleAdmin, Action: backdesk.AuditAssessmentRead, PatientID: u.PatientID, Resource: "assessment", ResourceID: "mine"}
	must(t, s.InsertAudit(ctx, &e))
	must(t, s.InsertPasswordReset(ctx, "h", u.ID, time.Now().Add(time.Hour), &backdesk.OutboxMessage{Kind: "password_reset", To: u.Email, Subject: "Reset", Body: "secret link", Sensitive: true}))

	pd, err := s.ExportPersonalData(ctx, u.ID)
	must(t, err)
	if pd.User.ID != u.ID || pd.Patient == nil || pd.Patient.Email != u.Email || len(pd.Assessments) != 1 || pd.Assessments[0].ID != "mine" ||
		len(pd.Sessions) != 1 || len(pd.AuditTrail) != 1 || len(pd.Messages) != 1 {
		t.Fatalf("export = %+v", pd)
	}
	b, _ := json.Marshal(pd)
	for _, leak := range []string{"secret-session-hash", "$argon2id$", "secret link", "theirs", other.Email} {
		if strings.Contains(string(b), leak) {
			t.Errorf("export contains %q", leak)
		}
	}
}

func testEraseUser(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	u := mustPatient(t, s, "erase@example.org")
	must(t, s.InsertAssessment(ctx, sampleAssessment("kept", u.PatientID), nil))
	must(t, s.InsertSession(ctx, "erase-session", u.ID, time.Now().Add(time.Hour)))
	must(t, s.RecordLoginFailure(ctx, []string{backdesk.AccountLoginKey(u.Email)}, time.Now()))
	must(t, s.InsertPasswordReset(ctx, "erase-reset", u.ID, time.Now().Add(time.Hour), &backdesk.OutboxMessage{Kind: "password_reset", To: u.Email, Subject: "s", Body: "b"}))

	_, err := s.EraseUser(ctx, u.ID, backdesk.NewAuditEntry(backdesk.Actor{UserID: u.ID, Role: backdesk.RolePatient, PatientID: u.PatientID},
		backdesk.AuditPersonalErase, u.PatientID, "account", "x"))
	must(t, err)

	_, err = s.FindUserByID(ctx, u.ID)
	wantCode(t, err, backdesk.CodeNotFound)
	_, _, err = s.FindUserByEmail(ctx, u.Email)
	wantCode(t, err, backdesk.CodeNotFound)
	_, err = s.FindSessionUser(ctx, "erase-session", time.Now())
	wantCode(t, err, backdesk.CodeNotFound)
	if n, _, _ := s.CountLoginFailures(ctx, backdesk.AccountLoginKey(u.Email), time.Now().Add(-time.Hour)); n != 0 {
		t.Errorf("sign-in failures under the email survive: %d", n)
	}
	p, err := s.FindPatientByID(AdminContext(), u.PatientID)
	must(t, err)
	if p.Name == u.Name || p.Email != "" || p.ErasedAt == nil {
		t.Errorf("patient after erasure = %+v", p)
	}
	a, err := s.FindAssessmentByID(ctx, "kept")
	must(t, err)
	if a.PatientID != u.PatientID {
		t.Errorf("the clinical record lost its (anonymised) patient: %d", a.PatientID)
	}
	msgs, _, err := s.FindOutboxMessages(AdminContext(), backdesk.Page{})
	must(t, err)
	for _, m := range msgs {
		if m.To == u.Email {
			t.Errorf("an email to the erased address survives: %+v", m)
		}
	}
	audit, _, err := s.FindAuditEntries(AdminContext(), backdesk.AuditFilter{Action: backdesk.AuditPersonalErase})
	must(t, err)
	if len(audit) != 1 || audit[0].PatientID != u.PatientID {
		t.Errorf("erasure audit = %+v", audit)
	}
	// The email is free for a new account.
	must(t, s.InsertUser(ctx, &backdesk.User{Email: u.Email, Name: "New", Role: backdesk.RolePatient}, "h", nil))
	_, err = s.EraseUser(ctx, 99999, nil)
	wantCode(t, err, backdesk.CodeNotFound)
}

func testOutboxWithheld(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	u := mustPatient(t, s, "outbox@example.org")
	must(t, s.InsertPasswordReset(ctx, "oh", u.ID, time.Now().Add(time.Hour), &backdesk.OutboxMessage{Kind: "password_reset", To: u.Email, Subject: "Reset", Body: "https://x/reset/TOKEN", Sensitive: true}))
	msgs, total, err := s.FindOutboxMessages(ctx, backdesk.Page{})
	must(t, err)
	if total != 1 || strings.Contains(msgs[0].Body, "TOKEN") || msgs[0].Subject != "Reset" {
		t.Errorf("outbox = %+v", msgs)
	}
}

// testPatientRead: the store reads a record for whoever asks (who may is
// clinic's to decide, and clinic audits the read), and writes nothing when
// it reads.
func testPatientRead(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	u := mustPatient(t, s, "visible@example.org")
	p, err := s.FindPatientByID(ctx, u.PatientID)
	must(t, err)
	if p.ID != u.PatientID || p.Email != u.Email || p.Name != u.Name {
		t.Errorf("FindPatientByID = %+v", p)
	}
	if entries, _, _ := s.FindAuditEntries(ctx, backdesk.AuditFilter{PatientID: u.PatientID}); len(entries) != 0 {
		t.Errorf("a read by the store wrote audit lines: %+v", entries)
	}
	_, err = s.FindPatientByID(ctx, 987654)
	wantCode(t, err, backdesk.CodeNotFound)
}

// testEmailVerification: a confirmation link works once and not after it
// expires; confirming marks the account verified and ends every link of
// it, their emails losing the link; a password reset confirms too.
func testEmailVerification(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	u := &backdesk.User{Email: "confirm.me@example.org", Name: "Confirm Me", Role: backdesk.RolePatient}
	must(t, s.InsertUser(ctx, u, "$argon2id$h", nil))
	if got, _ := s.FindUserByID(ctx, u.ID); got.EmailVerified {
		t.Fatal("a registered account is verified before its link is used")
	}
	now := time.Now().UTC()
	first := &backdesk.OutboxMessage{Kind: "email_verification", To: u.Email, Subject: "Confirm", Body: "first link", Sensitive: true}
	must(t, s.InsertEmailVerification(ctx, "first", u.ID, now.Add(time.Hour), first))
	must(t, s.InsertEmailVerification(ctx, "second", u.ID, now.Add(time.Hour), &backdesk.OutboxMessage{Kind: "email_verification", To: u.Email, Subject: "Confirm", Body: "second link"}))
	must(t, s.InsertEmailVerification(ctx, "old", u.ID, now.Add(-time.Minute), &backdesk.OutboxMessage{Kind: "email_verification", To: u.Email, Subject: "Confirm", Body: "old link"}))
	_, err := s.VerifyEmail(ctx, "old", now, nil)
	wantCode(t, err, backdesk.CodeInvalid)
	_, err = s.VerifyEmail(ctx, "no-such", now, nil)
	wantCode(t, err, backdesk.CodeInvalid)
	audit := backdesk.NewAuditEntry(backdesk.Actor{}, backdesk.AuditEmailVerify, 0, "account", "")
	id, err := s.VerifyEmail(ctx, "second", now, audit)
	must(t, err)
	if id != u.ID || audit.ActorUserID != u.ID || audit.PatientID != u.PatientID {
		t.Errorf("VerifyEmail = %d, audit %+v", id, audit)
	}
	if got, _ := s.FindUserByID(ctx, u.ID); !got.EmailVerified {
		t.Error("the account is not verified after its link was used")
	}
	_, err = s.VerifyEmail(ctx, "first", now, nil)
	wantCode(t, err, backdesk.CodeInvalid) // every link ended
	due, err := s.ClaimOutbox(ctx, now.Add(time.Minute), time.Minute, 100, "c")
	must(t, err)
	for _, m := range due {
		if m.ID == first.ID {
			t.Errorf("an ended link's email is still to be sent: %+v", m)
		}
	}
	// A reset link reaches the address too.
	v := &backdesk.User{Email: "reset.confirms@example.org", Name: "Reset Confirms", Role: backdesk.RolePatient}
	must(t, s.InsertUser(ctx, v, "$argon2id$h", nil))
	must(t, s.InsertPasswordReset(ctx, "reset", v.ID, now.Add(time.Hour), &backdesk.OutboxMessage{Kind: "password_reset", To: v.Email, Subject: "s", Body: "b"}))
	_, err = s.ResetPassword(ctx, "reset", "$argon2id$new", now, nil)
	must(t, err)
	if got, _ := s.FindUserByID(ctx, v.ID); !got.EmailVerified {
		t.Error("a password reset did not confirm the address")
	}
	// An account the clinic makes is verified from the start.
	w := &backdesk.User{Email: "made.by.clinic@example.org", Name: "Made", Role: backdesk.RolePatient, EmailVerified: true}
	must(t, s.InsertUser(ctx, w, "$argon2id$h", nil))
	if got, _, _ := s.FindUserByEmail(ctx, w.Email); got == nil || !got.EmailVerified {
		t.Error("EmailVerified was not stored")
	}
}

// testPrivacyMailByPatient: the emails of a patient are those the outbox
// names them in, whatever address they went to, and not another patient's
// that went to the same address (two records may share one: a parent and
// a child). The export holds the emails of a duplicate merged into the
// record, sent to the duplicate's address; an erasure removes those, and
// leaves the other patient's reminder at the shared address waiting.
func testPrivacyMailByPatient(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	u := mustPatient(t, s, "shared@example.org")
	child := &backdesk.Patient{Name: "Kim Child", Email: "shared@example.org"}
	must(t, s.InsertPatient(ctx, child, nil))
	dup := &backdesk.Patient{Name: "Pat Before", Email: "pat.before@example.org"}
	must(t, s.InsertPatient(ctx, dup, nil))
	book := func(patientID int64, start time.Time) *backdesk.Booking {
		t.Helper()
		b := f.booking(f.physio, start)
		b.PatientID = patientID
		_, err := s.InsertBooking(ctx, b, []*backdesk.OutboxMessage{
			{Kind: "booking_confirmation", ToPatient: patientID, Subject: "Booked", Greeting: "Hello ", Body: ",\n\nBooked."},
			{Kind: "booking_reminder", ToPatient: patientID, Subject: "Reminder", Greeting: "Hello ", Body: ",\n\nTomorrow.", SendAfter: start.Add(-24 * time.Hour)},
		}, nil)
		must(t, err)
		return b
	}
	cb, db := book(child.ID, ten), book(dup.ID, ten.Add(2*time.Hour))
	// The confirmations are sent: the duplicate's to its own address.
	now := time.Now().UTC()
	claimed, err := s.ClaimOutbox(ctx, now, time.Minute, 100, "test")
	must(t, err)
	for _, m := range claimed {
		must(t, s.MarkOutboxSent(ctx, m.ID, "test", now))
	}
	_, err = s.MergePatients(ctx, u.PatientID, dup.ID, nil)
	must(t, err)

	pd, err := s.ExportPersonalData(ctx, u.ID)
	must(t, err)
	var exported []int64
	for _, m := range pd.Messages {
		exported = append(exported, m.BookingID)
	}
	slices.Sort(exported)
	if want := []int64{db.ID, db.ID}; !slices.Equal(exported, want) {
		t.Errorf("the export holds the emails of bookings %v, want %v (the merged duplicate's, not Kim's)", exported, want)
	}

	_, err = s.EraseUser(ctx, u.ID, nil)
	must(t, err)
	msgs, _, err := s.FindOutboxMessages(AdminContext(), backdesk.Page{})
	must(t, err)
	var left []int64
	for _, m := range msgs {
		left = append(left, m.BookingID)
	}
	if want := []int64{cb.ID, cb.ID}; !slices.Equal(left, want) {
		t.Errorf("after the erasure, the emails of bookings %v are left, want %v (Kim's)", left, want)
	}
}
