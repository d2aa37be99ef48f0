package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"backdesk"
)

func mail(kind string, at time.Time) *backdesk.OutboxMessage {
	return &backdesk.OutboxMessage{Kind: kind, To: "p@example.org", Subject: kind, Body: "b", SendAfter: at}
}

func testOutboxClaimAndRetry(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	soon := time.Now().UTC().Add(time.Hour)
	_, err := s.InsertBooking(ctx, f.booking(f.physio, ten), []*backdesk.OutboxMessage{mail("booking_confirmation", time.Time{}), mail("booking_reminder", soon)}, nil)
	must(t, err)
	now := time.Now().UTC().Add(time.Second) // after the messages were written
	got, err := s.ClaimOutbox(ctx, now, time.Minute, 10, "w1")
	must(t, err)
	if len(got) != 1 || got[0].Kind != "booking_confirmation" || got[0].BookingID == 0 || got[0].Status != backdesk.OutboxPending {
		t.Fatalf("first claim = %+v", got)
	}
	if again, _ := s.ClaimOutbox(ctx, now, time.Minute, 10, "w2"); len(again) != 0 {
		t.Errorf("a leased message was claimed again: %+v", again)
	}
	wantCode(t, s.MarkOutboxSent(ctx, got[0].ID, "w2", now), backdesk.CodeConflict)
	// A failed attempt waits for its retry time, then comes back.
	must(t, s.MarkOutboxRetry(ctx, got[0].ID, "w1", "connection refused", now.Add(2*time.Minute), false))
	if early, _ := s.ClaimOutbox(ctx, now.Add(time.Minute), time.Minute, 10, "w3"); len(early) != 0 {
		t.Errorf("claimed before its retry time: %+v", early)
	}
	retry, err := s.ClaimOutbox(ctx, now.Add(3*time.Minute), time.Minute, 10, "w3")
	must(t, err)
	if len(retry) != 1 || retry[0].Attempts != 1 || retry[0].LastError != "connection refused" {
		t.Fatalf("retry claim = %+v", retry)
	}
	must(t, s.MarkOutboxSent(ctx, retry[0].ID, "w3", now.Add(3*time.Minute)))
	wantCode(t, s.MarkOutboxSent(ctx, retry[0].ID, "w3", now.Add(3*time.Minute)), backdesk.CodeConflict)
	// The reminder is due later; a lease that ran out frees a message.
	rem, _ := s.ClaimOutbox(ctx, now.Add(2*time.Hour), time.Minute, 10, "w4")
	if len(rem) != 1 || rem[0].Kind != "booking_reminder" {
		t.Fatalf("reminder claim = %+v", rem)
	}
	if again, _ := s.ClaimOutbox(ctx, now.Add(2*time.Hour+2*time.Minute), time.Minute, 10, "w5"); len(again) != 1 {
		t.Errorf("an expired lease was not reclaimed: %+v", again)
	}
	states := func() map[string]backdesk.OutboxStatus {
		msgs, _, err := s.FindOutboxMessages(AdminContext(), backdesk.Page{})
		must(t, err)
		out := map[string]backdesk.OutboxStatus{}
		for _, m := range msgs {
			out[m.Kind] = m.Status
		}
		return out
	}
	// w4's lease has passed to w5: w4's give-up changes nothing, w5's does.
	must(t, s.MarkOutboxRetry(ctx, rem[0].ID, "w4", "mailbox full", now, true))
	if st := states(); st["booking_confirmation"] != backdesk.OutboxSent || st["booking_reminder"] != backdesk.OutboxPending {
		t.Errorf("after a stale give-up: %v", st)
	}
	must(t, s.MarkOutboxRetry(ctx, rem[0].ID, "w5", "mailbox full", now, true))
	if st := states(); st["booking_reminder"] != backdesk.OutboxFailed {
		t.Errorf("after the holder's give-up: %v", st)
	}
}

// testOutboxRelease: a worker that stops mid-send gives its claim back
// without counting an attempt; any worker may take the message at once, and
// the one that let go can no longer record it. A stale release does nothing.
func testOutboxRelease(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	_, err := s.InsertBooking(ctx, f.booking(f.physio, ten), []*backdesk.OutboxMessage{mail("booking_confirmation", time.Time{})}, nil)
	must(t, err)
	now := time.Now().UTC().Add(time.Second)
	got, err := s.ClaimOutbox(ctx, now, time.Hour, 10, "w1")
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("claim = %+v", got)
	}
	id := got[0].ID
	must(t, s.ReleaseOutbox(ctx, id, "w2")) // not w2's to release
	if again, _ := s.ClaimOutbox(ctx, now, time.Hour, 10, "w2"); len(again) != 0 {
		t.Fatalf("claimed after a stale release: %+v", again)
	}
	must(t, s.ReleaseOutbox(ctx, id, "w1"))
	again, err := s.ClaimOutbox(ctx, now, time.Hour, 10, "w2")
	must(t, err)
	if len(again) != 1 || again[0].ID != id || again[0].Attempts != 0 || again[0].Status != backdesk.OutboxPending {
		t.Fatalf("claim after the release = %+v, want the message with no attempt counted", again)
	}
	wantCode(t, s.MarkOutboxSent(ctx, id, "w1", now), backdesk.CodeConflict)
	must(t, s.ReleaseOutbox(ctx, id, "w1")) // w1 let go: w2's lease stands
	if third, _ := s.ClaimOutbox(ctx, now, time.Hour, 10, "w3"); len(third) != 0 {
		t.Fatalf("w2's lease was broken by w1: %+v", third)
	}
	must(t, s.MarkOutboxSent(ctx, id, "w2", now))
	must(t, s.ReleaseOutbox(ctx, id, "w2")) // a sent message stays sent
	if late, _ := s.ClaimOutbox(ctx, now, time.Hour, 10, "w3"); len(late) != 0 {
		t.Fatalf("a sent message was claimed again: %+v", late)
	}
}

// testOutboxConcurrentClaims: workers claiming at once each get different
// messages, and together get every message exactly once.
func testOutboxConcurrentClaims(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	for i := range 30 {
		var msgs []*backdesk.OutboxMessage
		msgs = append(msgs, mail(fmt.Sprint("m", i), time.Time{}))
		_, err := s.InsertBooking(ctx, f.booking(f.physio, ten.Add(time.Duration(i)*time.Hour)), msgs, nil)
		must(t, err)
	}
	now := time.Now().UTC().Add(time.Second)
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := s.ClaimOutbox(ctx, now, time.Minute, 3, fmt.Sprint("w", w))
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				for _, m := range got {
					mu.Lock()
					seen[m.ID]++
					mu.Unlock()
					if err := s.MarkOutboxSent(ctx, m.ID, fmt.Sprint("w", w), now); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if len(seen) != 30 {
		t.Errorf("%d messages claimed, want 30", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("message %d claimed %d times", id, n)
		}
	}
}

func testOutboxBookingChanges(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	now := time.Now().UTC()
	a := f.booking(f.physio, ten)
	_, err := s.InsertBooking(ctx, a, []*backdesk.OutboxMessage{mail("booking_confirmation", time.Time{}), mail("booking_reminder", ten.Add(-24*time.Hour))}, nil)
	must(t, err)
	moved := f.booking(f.physio, ten.Add(4*time.Hour))
	must(t, s.RescheduleBooking(ctx, a.ID, moved, now, []*backdesk.OutboxMessage{mail("booking_changed", time.Time{}), mail("booking_reminder", ten.Add(-20*time.Hour))}, nil))
	_, err = s.CancelBooking(ctx, moved.ID, now, "", false, []*backdesk.OutboxMessage{mail("booking_cancelled", time.Time{})}, nil)
	must(t, err)
	msgs, _, err := s.FindOutboxMessages(AdminContext(), backdesk.Page{})
	must(t, err)
	got := map[string]backdesk.OutboxStatus{}
	for _, m := range msgs {
		got[fmt.Sprintf("%s/%d", m.Kind, m.BookingID)] = m.Status
	}
	want := map[string]backdesk.OutboxStatus{
		fmt.Sprintf("booking_confirmation/%d", a.ID):  backdesk.OutboxDropped,
		fmt.Sprintf("booking_reminder/%d", a.ID):      backdesk.OutboxDropped,
		fmt.Sprintf("booking_changed/%d", moved.ID):   backdesk.OutboxDropped,
		fmt.Sprintf("booking_reminder/%d", moved.ID):  backdesk.OutboxDropped,
		fmt.Sprintf("booking_cancelled/%d", moved.ID): backdesk.OutboxPending,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

// testOutboxAddressedAsStored: a message to a patient (ToPatient) is
// addressed in the statement that stores it, from the patient's record as
// it then stands: to the address changed after the message was composed,
// greeting them by the record's name; not at all to a patient who said no
// to email, who has no address, or who has been erased; the booking it
// comes with is stored either way, with its patient's name. Every path
// that writes booking emails does it: the booking's own chain, a move, a
// cancellation and time off.
func testOutboxAddressedAsStored(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	no, yes := false, true
	record := func(name, email string, consent *bool) *backdesk.Patient {
		p := &backdesk.Patient{Name: name, Email: email}
		must(t, s.InsertPatient(ctx, p, nil))
		if consent != nil {
			_, err := s.UpdatePatient(ctx, p.ID, backdesk.PatientUpdate{ConsentEmail: consent}, nil)
			must(t, err)
		}
		return p
	}
	moved := record("Mo Ved", "old@example.org", &yes)
	refused := record("Nora No", "nora@example.org", &no)
	none := record("Abe Sent", "", nil)
	erased := record("Eve Rased", "eve@example.org", nil)
	mails := func(kind, subject, body string, patientID int64) []*backdesk.OutboxMessage {
		return []*backdesk.OutboxMessage{
			{Kind: kind, ToPatient: patientID, Subject: subject, Greeting: "Hello ", Body: ",\n\n" + body},
			{Kind: "booking_reminder", ToPatient: patientID, Subject: "Reminder", Greeting: "Hello ", Body: ",\n\nTomorrow.", SendAfter: ten.Add(-24 * time.Hour)},
		}
	}
	book := func(p *backdesk.Patient, start time.Time) *backdesk.Booking {
		t.Helper()
		b := f.booking(f.physio, start)
		b.PatientID = p.ID
		created, err := s.InsertBooking(ctx, b, mails("booking_confirmation", "Booked", "Your appointment is booked.", p.ID), nil)
		must(t, err)
		if !created || b.ID == 0 || b.PatientName != p.Name {
			t.Fatalf("InsertBooking for %s = %v, id %d, patient name %q", p.Name, created, b.ID, b.PatientName)
		}
		return b
	}
	// The address changes after the emails were composed, before they are
	// stored: they follow it.
	newAddr := "new@example.org"
	_, err := s.UpdatePatient(ctx, moved.ID, backdesk.PatientUpdate{Email: &newAddr}, nil)
	must(t, err)
	a := book(moved, ten)
	book(refused, ten.Add(2*time.Hour))
	book(none, ten.Add(4*time.Hour))
	_, err = s.ErasePatient(ctx, erased.ID, nil)
	must(t, err)
	eb := f.booking(f.other, ten)
	eb.PatientID = erased.ID
	if _, err := s.InsertBooking(ctx, eb, mails("booking_confirmation", "Booked", "x", erased.ID), nil); backdesk.ErrorCode(err) != backdesk.CodeConflict {
		t.Errorf("booking an erased record: %v, want it refused (Booking/ClosedRecordRefused)", err)
	}

	next := f.booking(f.physio, ten.Add(6*time.Hour))
	next.PatientID = moved.ID
	must(t, s.RescheduleBooking(ctx, a.ID, next, time.Now().UTC(), mails("booking_changed", "Moved", "It has moved.", moved.ID), nil))
	if next.PatientName != moved.Name {
		t.Errorf("the moved booking's patient name = %q, want %q", next.PatientName, moved.Name)
	}
	must(t, s.InsertTimeOff(ctx, &backdesk.TimeOff{PractitionerID: f.physio.ID, Start: ten.Add(6 * time.Hour), End: ten.Add(7 * time.Hour)},
		[]*backdesk.OutboxMessage{{Kind: "booking_needs_moving", ToPatient: moved.ID, BookingID: next.ID, Subject: "Needs moving", Greeting: "Hello ", Body: ",\n\nPlease move it."}}, nil))
	_, err = s.CancelBooking(ctx, next.ID, time.Now().UTC(), "", false, mails("booking_cancelled", "Cancelled", "It is cancelled.", moved.ID)[:1], nil)
	must(t, err)

	all, _, err := s.FindOutboxMessages(AdminContext(), backdesk.Page{Limit: 100})
	must(t, err)
	got := map[string]string{}
	for _, m := range all {
		if m.To != newAddr {
			t.Errorf("%s email to %q (%q): only %s's new address gets one", m.Kind, m.To, m.Body, moved.Name)
		}
		got[m.Kind] = m.Body
	}
	for kind, body := range map[string]string{
		"booking_confirmation": "Hello Mo Ved,\n\nYour appointment is booked.",
		"booking_reminder":     "Hello Mo Ved,\n\nTomorrow.",
		"booking_changed":      "Hello Mo Ved,\n\nIt has moved.",
		"booking_needs_moving": "Hello Mo Ved,\n\nPlease move it.",
		"booking_cancelled":    "Hello Mo Ved,\n\nIt is cancelled.",
	} {
		if got[kind] != body {
			t.Errorf("%s body = %q, want %q", kind, got[kind], body)
		}
	}
	if len(all) != 6 { // confirmation and reminder; on the move, changed and reminder; needs moving; cancelled
		t.Errorf("%d emails stored, want 6: %v", len(all), got)
	}

	// An outcome questionnaire is not requested of a patient who gets no
	// email: neither the request nor its email is written, and it stays
	// due (asked again if they later say yes).
	soon := f.booking(f.other, time.Now().UTC().Add(20*time.Hour).Truncate(time.Minute))
	soon.PatientID = refused.ID
	_, err = s.InsertBooking(ctx, soon, nil, nil)
	must(t, err)
	ask := &backdesk.OutboxMessage{Kind: string(backdesk.EmailOutcomeRequest), ToPatient: refused.ID, Subject: "Before tomorrow", Greeting: "Hello ", Body: ",\n\nlink"}
	asked, err := s.InsertOutcomeRequest(ctx, &backdesk.OutcomeRequest{BookingID: soon.ID, PatientID: refused.ID}, ask, nil)
	must(t, err)
	if _, ferr := s.FindOutcomeRequest(ctx, soon.ID); asked || ask.ID != 0 || backdesk.ErrorCode(ferr) != backdesk.CodeNotFound {
		t.Errorf("outcome request of a patient who said no to email: written %v, email %d, request %v", asked, ask.ID, ferr)
	}
	if _, n, _ := s.FindOutboxMessages(AdminContext(), backdesk.Page{}); n != 6 {
		t.Errorf("%d emails after the refused questionnaire, want 6", n)
	}
}

// testOutboxWaitingFollowsRecord: the emails still waiting for a patient
// (a reminder stored at booking, for tomorrow) follow the record as it
// changes: a new address, an answer of no to email (dropped), and a merge
// into another record and its undo (the kept record's address, then the
// duplicate's own again). Sent emails, and other patients', stay as they
// were.
func testOutboxWaitingFollowsRecord(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	no := false
	record := func(name, email string) *backdesk.Patient {
		p := &backdesk.Patient{Name: name, Email: email}
		must(t, s.InsertPatient(ctx, p, nil))
		return p
	}
	wai, other, dup := record("Wai Ting", "wai.old@example.org"), record("Other Person", "other@example.org"), record("Dee Plicate", "dee@example.org")
	book := func(p *backdesk.Patient, practitioner *backdesk.Practitioner, start time.Time) *backdesk.Booking {
		t.Helper()
		b := f.booking(practitioner, start)
		b.PatientID = p.ID
		_, err := s.InsertBooking(ctx, b, []*backdesk.OutboxMessage{
			{Kind: "booking_confirmation", ToPatient: p.ID, Subject: "Booked", Greeting: "Hello ", Body: ",\n\nBooked."},
			{Kind: "booking_reminder", ToPatient: p.ID, Subject: "Reminder", Greeting: "Hello ", Body: ",\n\nTomorrow.", SendAfter: start.Add(-24 * time.Hour)},
		}, nil)
		must(t, err)
		return b
	}
	wb, ob, xb := book(wai, f.physio, ten), book(other, f.other, ten), book(dup, f.physio, ten.Add(2*time.Hour))
	// Everything due now is sent: the confirmations; the reminders wait.
	now := time.Now().UTC()
	claimed, err := s.ClaimOutbox(ctx, now, time.Minute, 100, "test")
	must(t, err)
	for _, m := range claimed {
		must(t, s.MarkOutboxSent(ctx, m.ID, "test", now))
	}
	type state struct {
		to     string
		status backdesk.OutboxStatus
	}
	mails := func() map[int64]map[string]state { // booking → kind → state
		t.Helper()
		all, _, err := s.FindOutboxMessages(AdminContext(), backdesk.Page{Limit: 100})
		must(t, err)
		out := map[int64]map[string]state{}
		for _, m := range all {
			if out[m.BookingID] == nil {
				out[m.BookingID] = map[string]state{}
			}
			out[m.BookingID][m.Kind] = state{m.To, m.Status}
		}
		return out
	}
	expect := func(when string, b *backdesk.Booking, confirmation, reminder state) {
		t.Helper()
		got := mails()[b.ID]
		if got["booking_confirmation"] != confirmation || got["booking_reminder"] != reminder {
			t.Errorf("%s: booking %d's emails = %+v, want confirmation %+v and reminder %+v", when, b.ID, got, confirmation, reminder)
		}
	}
	sent, pending, dropped := backdesk.OutboxSent, backdesk.OutboxPending, backdesk.OutboxDropped
	expect("before any change", wb, state{"wai.old@example.org", sent}, state{"wai.old@example.org", pending})

	newAddr := "wai.new@example.org"
	_, err = s.UpdatePatient(ctx, wai.ID, backdesk.PatientUpdate{Email: &newAddr}, nil)
	must(t, err)
	expect("after a new address", wb, state{"wai.old@example.org", sent}, state{newAddr, pending})
	expect("another patient's, after the new address", ob, state{"other@example.org", sent}, state{"other@example.org", pending})

	// Merged into Wai's record, the duplicate's waiting reminder goes to
	// the person's address on the record kept; the undo gives it back.
	m, err := s.MergePatients(ctx, wai.ID, dup.ID, nil)
	must(t, err)
	expect("after the merge", xb, state{"dee@example.org", sent}, state{newAddr, pending})
	_, err = s.UndoPatientMerge(ctx, m.ID, nil)
	must(t, err)
	expect("after the undo", xb, state{"dee@example.org", sent}, state{"dee@example.org", pending})

	_, err = s.UpdatePatient(ctx, wai.ID, backdesk.PatientUpdate{ConsentEmail: &no}, nil)
	must(t, err)
	expect("after no to email", wb, state{"wai.old@example.org", sent}, state{newAddr, dropped})
	expect("another patient's, after no to email", ob, state{"other@example.org", sent}, state{"other@example.org", pending})
	if claimed, err := s.ClaimOutbox(ctx, ten.Add(-time.Hour), time.Minute, 100, "later"); err != nil || len(claimed) != 2 {
		t.Errorf("claimed at the reminders' time: %d emails (%v), want the other two patients' reminders", len(claimed), err)
	}
}

// testOutboxUndoGivesBookingMailBack: the undo of a merge gives back, with
// the appointments it gives back, their emails stored since the merge (a
// "needs moving" stored when the practitioner took the day off), which
// named the record kept: they go to the duplicate's own address again, and
// a later change of the kept record's address does not reach them.
func testOutboxUndoGivesBookingMailBack(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	keep := &backdesk.Patient{Name: "Kay Kept", Email: "kay@example.org"}
	must(t, s.InsertPatient(ctx, keep, nil))
	dup := &backdesk.Patient{Name: "Dana Other", Email: "dana@example.org"}
	must(t, s.InsertPatient(ctx, dup, nil))
	b := f.booking(f.physio, ten)
	b.PatientID = dup.ID
	_, err := s.InsertBooking(ctx, b, nil, nil)
	must(t, err)
	m, err := s.MergePatients(ctx, keep.ID, dup.ID, nil)
	must(t, err)
	// Since the merge the appointment is Kay's, and its email names her.
	must(t, s.InsertTimeOff(ctx, &backdesk.TimeOff{PractitionerID: f.physio.ID, Start: ten.Add(-time.Hour), End: ten.Add(3 * time.Hour)},
		[]*backdesk.OutboxMessage{{Kind: "booking_needs_moving", ToPatient: keep.ID, BookingID: b.ID, Subject: "Needs moving",
			Greeting: "Hello ", Body: ",\n\nPlease choose a new time.", SendAfter: ten.Add(-48 * time.Hour)}}, nil))
	_, err = s.UndoPatientMerge(ctx, m.ID, nil)
	must(t, err)
	newAddr := "kay.new@example.org"
	_, err = s.UpdatePatient(ctx, keep.ID, backdesk.PatientUpdate{Email: &newAddr}, nil)
	must(t, err)
	all, _, err := s.FindOutboxMessages(AdminContext(), backdesk.Page{Limit: 100})
	must(t, err)
	if len(all) != 1 {
		t.Fatalf("%d emails, want the one of the appointment", len(all))
	}
	if got := all[0]; got.To != dup.Email || got.Status != backdesk.OutboxPending {
		t.Errorf("after the undo and Kay's new address, the email of Dana's appointment goes to %q (%s), want %q, pending", got.To, got.Status, dup.Email)
	}
}

// testOutboxTakesEmailAgrees: the store stores an email to a patient
// (OutboxMessage.ToPatient) exactly when Patient.TakesEmail, the rule the
// pages ask to tell staff whom to phone, says the patient takes email: the
// two statements of the one rule agree on every kind of record.
func testOutboxTakesEmailAgrees(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	yes, no := true, false
	for i, tc := range []struct {
		name, email string
		consent     *bool
		erase       bool
	}{
		{"not asked", "asked.not@example.org", nil, false},
		{"said yes", "said.yes@example.org", &yes, false},
		{"said no", "said.no@example.org", &no, false},
		{"no address", "", &yes, false},
		{"erased", "erased@example.org", &yes, true},
	} {
		p := &backdesk.Patient{Name: "Pat " + tc.name, Email: tc.email}
		must(t, s.InsertPatient(ctx, p, nil))
		if tc.consent != nil {
			_, err := s.UpdatePatient(ctx, p.ID, backdesk.PatientUpdate{ConsentEmail: tc.consent}, nil)
			must(t, err)
		}
		if tc.erase {
			_, err := s.ErasePatient(ctx, p.ID, nil)
			must(t, err)
		}
		rec, err := s.FindPatientByID(ctx, p.ID)
		must(t, err)
		// The time off's "needs moving" email: stored outside a booking,
		// for any record, erased ones included.
		msg := &backdesk.OutboxMessage{Kind: "booking_needs_moving", ToPatient: p.ID, Subject: "Needs moving", Greeting: "Hello ", Body: ",\n\nPlease move it."}
		start := ten.Add(time.Duration(i) * 2 * time.Hour)
		must(t, s.InsertTimeOff(ctx, &backdesk.TimeOff{PractitionerID: f.other.ID, Start: start, End: start.Add(time.Hour)}, []*backdesk.OutboxMessage{msg}, nil))
		if stored := msg.ID != 0; stored != rec.TakesEmail() {
			t.Errorf("%s: the store stored the email %v, TakesEmail says %v", tc.name, stored, rec.TakesEmail())
		}
	}
}
