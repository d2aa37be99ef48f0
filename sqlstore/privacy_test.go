package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"backdesk"
	"backdesk/clinic"
	"backdesk/sqlstore"
	"backdesk/storetest"
)

// TestAuditLogAppendOnly: the database itself refuses to change or remove
// audit entries, whatever code tries.
func TestAuditLogAppendOnly(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			e := backdesk.AuditEntry{Action: backdesk.AuditAssessmentRead, PatientID: 1, Resource: "assessment"}
			if err := b.store.InsertAudit(context.Background(), &e); err != nil {
				t.Fatal(err)
			}
			raw := b.raw(t)
			for _, q := range []string{
				`UPDATE audit_log SET action = 'nothing'`,
				`DELETE FROM audit_log`,
			} {
				if _, err := raw.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Errorf("%s: %v, want refused as append-only", q, err)
				}
			}
			var n int
			raw.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = $1`, backdesk.AuditAssessmentRead).Scan(&n)
			if n != 1 {
				t.Errorf("audit entries after the attempts = %d, want 1", n)
			}
		})
	}
}

// TestNoSecretsInPlainText signs up, signs in and resets a password through
// the real services, then reads every text column of every table: neither
// password, nor the session token, nor the reset token may appear.
func TestNoSecretsInPlainText(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now
			users := clinic.NewUserService(b.store, b.store, now)
			const first, second = "first-secret-passphrase-42", "second-secret-passphrase-43"
			if err := users.Register(ctx, backdesk.NewUser{Email: "owner@example.org", Name: "Sec Ret", Password: first}); err != nil {
				t.Fatal(err)
			}
			// The confirmation link sits in the outbox to be delivered, until
			// the address is confirmed (here: by the password reset below).
			verify := linkToken(t, dumpText(t, b), "/verify-email/")
			sess, _, err := users.Authenticate(ctx, "owner@example.org", first)
			if err != nil {
				t.Fatal(err)
			}
			sess2, _, err := users.Authenticate(ctx, "owner@example.org", first)
			if err != nil {
				t.Fatal(err)
			}
			if err := users.RequestPasswordReset(ctx, "owner@example.org"); err != nil {
				t.Fatal(err)
			}
			// The reset link must sit in the outbox to be delivered; take the
			// token from there, use it, and check it is then no secret.
			token := linkToken(t, dumpText(t, b), "/password-reset/")
			if err := users.ResetPassword(ctx, token, second); err != nil {
				t.Fatal(err)
			}
			sess3, _, err := users.Authenticate(ctx, "owner@example.org", second)
			if err != nil {
				t.Fatalf("sign in with the new password: %v", err)
			}
			dump := dumpText(t, b)
			for name, secret := range map[string]string{"first password": first, "second password": second,
				"session token": sess.Token, "second session token": sess2.Token, "third session token": sess3.Token, "reset token": token,
				"confirmation token": verify} {
				if strings.Contains(dump, secret) {
					t.Errorf("the %s is stored in plain text", name)
				}
			}
			if !strings.Contains(dump, "$argon2id$v=19$") || !strings.Contains(dump, clinic.TokenHash(sess3.Token)) {
				t.Error("the dump does not hold the hashes: the check looked in the wrong place")
			}
		})
	}
}

// linkToken finds the token of the first link to path in dump.
func linkToken(t *testing.T, dump, path string) string {
	t.Helper()
	i := strings.Index(dump, path)
	if i < 0 {
		t.Fatalf("no %s link in the outbox", path)
	}
	return strings.Fields(dump[i+len(path):])[0]
}

// dumpText returns every value of every table as text.
func dumpText(t *testing.T, b backend) string {
	t.Helper()
	raw := b.raw(t)
	listTables := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if b.name == "postgres" {
		listTables = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	var tables []string
	rows, err := raw.Query(listTables)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) < 10 {
		t.Fatalf("found only tables %v", tables)
	}
	var sb strings.Builder
	for _, table := range tables {
		rows, err := raw.Query(`SELECT * FROM ` + table)
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&sb, "%s.%s=%v\n", table, cols[i], v)
			}
		}
		rows.Close()
	}
	return sb.String()
}

// TestErasureLeavesNothing erases a patient who registered and one reception
// recorded, each with everything a patient can leave in the store
// (appointments past, coming and cancelled with a reason in their words,
// emails of each kind, a waitlist request and an offer, contact messages
// signed in and not, with an answer, a reset link, sessions and counts
// under their email), then reads every text column of every table: none
// holds their name, email, phone, date of birth or words, the audit log
// included. Their coming appointment is cancelled and returned (for the
// waitlist), the past one kept, anonymised.
func TestErasureLeavesNothing(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			s := b.store
			users := clinic.NewUserService(s, s, time.Now)
			l := storetest.MustCreateLocation(t, s)
			o := storetest.MustCreateOffering(t, s, "Physiotherapy initial assessment", backdesk.DisciplinePhysiotherapist)
			pr := storetest.MustCreatePractitioner(t, s, "P One", backdesk.DisciplinePhysiotherapist, o, l)
			now := time.Now().UTC().Truncate(time.Hour)
			book := func(patientID int64, start time.Time, to, name string) *backdesk.Booking {
				t.Helper()
				bk := &backdesk.Booking{PatientID: patientID, PractitionerID: pr.ID, ServiceID: o.ID, LocationID: l.ID, Start: start, End: start.Add(45 * time.Minute), BlocksUntil: start.Add(time.Hour)}
				var msgs []*backdesk.OutboxMessage
				if to != "" {
					msgs = []*backdesk.OutboxMessage{{Kind: "booking_confirmation", To: to, Subject: "Your appointment", Body: "Hello " + name + ", see you then."},
						{Kind: "booking_reminder", To: to, Subject: "Tomorrow", Body: "Hello " + name + ".", SendAfter: start.Add(-24 * time.Hour)}}
				}
				if _, err := s.InsertBooking(ctx, bk, msgs, nil); err != nil {
					t.Fatal(err)
				}
				return bk
			}
			message := func(m backdesk.ContactMessage, answer string) {
				t.Helper()
				if err := s.InsertMessage(ctx, &m, nil); err != nil {
					t.Fatal(err)
				}
				if answer != "" {
					reply := &backdesk.OutboxMessage{Kind: "message_answer", To: m.Email, Subject: "Your message", Body: "Hello " + m.Name + ",\n\n" + answer + "\n\n> " + m.Body}
					if _, err := s.AnswerMessage(ctx, m.ID, answer, 1, now, reply, nil); err != nil {
						t.Fatal(err)
					}
				}
			}

			// A patient who registered.
			const name, email, phone = "Zelda Quint", "zelda.quint@example.org", "07700 900123"
			const words, why = "My sciatica is bad since March", "Zelda cannot come: her knee"
			if err := users.Register(ctx, backdesk.NewUser{Email: email, Name: name, Password: "zelda's own passphrase"}); err != nil {
				t.Fatal(err)
			}
			if err := users.VerifyEmail(ctx, linkToken(t, dumpText(t, b), "/verify-email/")); err != nil {
				t.Fatal(err)
			}
			u, _, err := s.FindUserByEmail(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			person := backdesk.Actor{UserID: u.ID, Role: backdesk.RolePatient, PatientID: u.PatientID, Source: "198.51.100.23"}
			coming := book(u.PatientID, now.Add(72*time.Hour), email, name)
			past := book(u.PatientID, now.Add(-72*time.Hour), email, name)
			gone := book(u.PatientID, now.Add(96*time.Hour), email, name)
			if _, err := s.CancelBooking(ctx, gone.ID, now, why, false, nil, backdesk.NewAuditEntry(person, backdesk.AuditBookingCancel, u.PatientID, "booking", "")); err != nil {
				t.Fatal(err)
			}
			e := &backdesk.WaitlistEntry{PatientID: u.PatientID, Discipline: backdesk.DisciplinePhysiotherapist, ServiceID: o.ID,
				From: backdesk.DateOf(now), To: backdesk.DateOf(now.Add(30 * 24 * time.Hour)), Weekdays: []backdesk.Weekday{1, 2},
				Earliest: backdesk.MustClockTime("09:00"), Latest: backdesk.MustClockTime("17:00")}
			if err := s.InsertWaitlistEntry(ctx, e, backdesk.NewAuditEntry(person, backdesk.AuditWaitlistCreate, u.PatientID, "waitlist_entry", "")); err != nil {
				t.Fatal(err)
			}
			offer := &backdesk.WaitlistOffer{EntryID: e.ID, PatientID: u.PatientID, ServiceID: o.ID, PractitionerID: pr.ID, LocationID: l.ID, Start: now.Add(120 * time.Hour), End: now.Add(121 * time.Hour)}
			if err := s.InsertWaitlistOffers(ctx, []*backdesk.WaitlistOffer{offer}, []*backdesk.OutboxMessage{{Kind: "waitlist_offer", To: email, Subject: "A time", Body: "Hello " + name}}, nil); err != nil {
				t.Fatal(err)
			}
			message(backdesk.ContactMessage{Name: name, Email: "Zelda.Quint@Example.org", Phone: phone, Body: words, PatientID: u.PatientID}, "Dear Zelda, come and see us.")
			message(backdesk.ContactMessage{Name: "Z. Quint", Email: email, Phone: phone, Body: "The pain goes down my left leg"}, "")
			if err := users.RequestPasswordReset(ctx, email); err != nil {
				t.Fatal(err)
			}
			if err := users.Register(ctx, backdesk.NewUser{Email: email, Name: name, Password: "someone else's passphrase"}); err != nil {
				t.Fatal(err) // the owner is told by email, counted under their address
			}
			if err := s.InsertSession(ctx, "zelda-session", u.ID, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := s.RecordLoginFailure(ctx, []string{backdesk.AccountLoginKey(email), backdesk.AddressLoginKey("198.51.100.23")}, now); err != nil {
				t.Fatal(err)
			}
			traces := []string{name, "Zelda", "Quint", email, phone, words, why, "her knee", "left leg"}
			if len(leftBehind(dumpText(t, b), traces...)) == 0 {
				t.Fatal("nothing of the patient in the dump before erasure: the check looks in the wrong place")
			}
			cancelled, err := s.EraseUser(ctx, u.ID, backdesk.NewAuditEntry(person, backdesk.AuditPersonalErase, u.PatientID, "account", ""))
			if err != nil {
				t.Fatal(err)
			}
			if len(cancelled) != 1 || cancelled[0].ID != coming.ID || cancelled[0].Status != backdesk.BookingCancelled {
				t.Errorf("EraseUser cancelled %+v, want the coming appointment", cancelled)
			}
			if kept, err := s.FindBookingByID(ctx, past.ID); err != nil || kept.Status != backdesk.BookingBooked || kept.PatientName != sqlstore.ErasedName {
				t.Errorf("the past appointment after erasure = %+v %v, want kept, anonymised", kept, err)
			}
			if got, _ := s.FindWaitlistEntryByID(ctx, e.ID); got == nil || got.Status != backdesk.WaitlistCancelled {
				t.Errorf("the waitlist request after erasure = %+v", got)
			}
			if got, _ := s.FindWaitlistOfferByID(ctx, offer.ID); got == nil || got.Status == backdesk.OfferOpen {
				t.Errorf("the offer after erasure = %+v", got)
			}
			for _, line := range leftBehind(dumpText(t, b), traces...) {
				t.Errorf("left behind after EraseUser: %s", line)
			}

			// A caller reception recorded, erased at their request.
			caller := &backdesk.Patient{Name: "Yannick Ruel", Email: "Y.Ruel@example.org", Phone: "01632 960 444", DateOfBirth: "1961-02-03"}
			if err := s.InsertPatient(ctx, caller, nil); err != nil {
				t.Fatal(err)
			}
			book(caller.ID, now.Add(80*time.Hour), caller.Email, caller.Name)
			message(backdesk.ContactMessage{Name: "Yannick", Email: "y.ruel@EXAMPLE.org", Body: "Please call me back about my disc"}, "We will call.")
			callerTraces := []string{"Yannick", "Ruel", "y.ruel@example.org", "01632 960 444", "1961-02-03", "about my disc"}
			if _, err := s.ErasePatient(ctx, caller.ID, nil); err != nil {
				t.Fatal(err)
			}
			for _, line := range leftBehind(dumpText(t, b), callerTraces...) {
				t.Errorf("left behind after ErasePatient: %s", line)
			}
		})
	}
}

// leftBehind reports every line of dump that holds one of traces, in any
// case.
func leftBehind(dump string, traces ...string) []string {
	var out []string
	for _, line := range strings.Split(dump, "\n") {
		for _, tr := range traces {
			if strings.Contains(strings.ToLower(line), strings.ToLower(tr)) {
				out = append(out, line)
			}
		}
	}
	return out
}
