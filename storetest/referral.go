package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"backdesk"

	"github.com/google/go-cmp/cmp"
)

type referralFixture struct {
	bookingFixture
	massage *backdesk.Practitioner
}

func newReferralFixture(t *testing.T, s backdesk.Store) referralFixture {
	f := newBookingFixture(t, s)
	o := MustCreateOffering(t, s, "Massage first visit", backdesk.DisciplineMassageTherapist)
	return referralFixture{bookingFixture: f, massage: MustCreatePractitioner(t, s, "M One", backdesk.DisciplineMassageTherapist, o, f.location)}
}

// internal is a referral from the massage therapist to physiotherapy.
func (f referralFixture) internal() *backdesk.Referral {
	return &backdesk.Referral{PatientID: f.patient.PatientID, FromPractitionerID: f.massage.ID, ToDiscipline: backdesk.DisciplinePhysiotherapist,
		Reason: "Numbness over the outer left foot", Urgency: backdesk.UrgencySoon, Findings: "Reduced ankle reflex on the left.",
		RedFlags: []string{}, CreatedBy: 7}
}

// external is a referral from the physiotherapist to the patient's GP.
func (f referralFixture) external() *backdesk.Referral {
	return &backdesk.Referral{PatientID: f.patient.PatientID, FromPractitionerID: f.physio.ID, ToExternal: backdesk.ExternalGP,
		RecipientName: "Dr A Okoro, Redcliffe Surgery", RecipientAddress: "1 Church St, Bristol BS1 6AA",
		Reason: "New weakness lifting the left foot", Urgency: backdesk.UrgencyUrgent, RedFlags: []string{"leg_weakness"}, CreatedBy: 8}
}

func (f referralFixture) mustInsert(t *testing.T, r *backdesk.Referral) *backdesk.Referral {
	t.Helper()
	must(t, f.s.InsertReferral(context.Background(), r, nil))
	return r
}

// actor is an audit line whose actor the referral's events take.
func actor(userID int64, role backdesk.Role, action backdesk.AuditAction) *backdesk.AuditEntry {
	return &backdesk.AuditEntry{ActorUserID: userID, ActorRole: role, Action: action, Resource: "referral"}
}

func testReferralRoundTrip(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newReferralFixture(t, s)
	for _, r := range []*backdesk.Referral{f.internal(), f.external()} {
		audit := actor(r.CreatedBy, backdesk.RolePractitioner, backdesk.AuditReferralCreate)
		audit.PatientID = r.PatientID
		must(t, s.InsertReferral(ctx, r, audit))
		if r.ID == 0 || r.Status != backdesk.ReferralRequested || r.CreatedAt.IsZero() {
			t.Fatalf("InsertReferral filled %+v", r)
		}
		got, err := s.FindReferralByID(ctx, r.ID)
		must(t, err)
		want := *r
		want.PatientName = "Pat booker@example.org"
		want.History = []backdesk.ReferralEvent{{At: r.CreatedAt, Action: backdesk.ReferralCreate, To: backdesk.ReferralRequested,
			ActorUserID: r.CreatedBy, ActorRole: backdesk.RolePractitioner}}
		want.Actions = []backdesk.ReferralAction{}
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("FindReferralByID (-stored +read):\n%s", diff)
		}
		entries, _, err := s.FindAuditEntries(ctx, backdesk.AuditFilter{Action: backdesk.AuditReferralCreate})
		must(t, err)
		if len(entries) == 0 || entries[0].ResourceID != fmt.Sprint(r.ID) {
			t.Errorf("audit line of the creation = %+v", entries)
		}
	}
	_, err := s.FindReferralByID(ctx, 999999)
	wantCode(t, err, backdesk.CodeNotFound)
	// The database refuses what Validate would: a referral to nowhere.
	bad := f.internal()
	bad.ToDiscipline = ""
	wantCode(t, s.InsertReferral(ctx, bad, nil), backdesk.CodeInvalid)
	bad = f.internal()
	bad.PatientID = 999999
	wantCode(t, s.InsertReferral(ctx, bad, nil), backdesk.CodeInvalid)
}

// pathTo is how a referral reaches each status, from requested.
var pathTo = map[backdesk.ReferralStatus][]backdesk.ReferralAction{
	backdesk.ReferralRequested: nil,
	backdesk.ReferralAccepted:  {backdesk.ReferralAccept},
	backdesk.ReferralDeclined:  {backdesk.ReferralDecline},
	backdesk.ReferralBooked:    {backdesk.ReferralAccept, backdesk.ReferralBook},
	backdesk.ReferralCompleted: {backdesk.ReferralAccept, backdesk.ReferralBook, backdesk.ReferralComplete},
	backdesk.ReferralWithdrawn: {backdesk.ReferralWithdraw},
}

var externalPathTo = map[backdesk.ReferralStatus][]backdesk.ReferralAction{
	backdesk.ReferralCompleted: {backdesk.ReferralAccept, backdesk.ReferralComplete},
}

// testReferralStateMachine: through the store, every (from, action)
// pair, inside the clinic and outside: a legal one moves the referral and
// records the event; any other is CodeConflict and changes nothing.
func testReferralStateMachine(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newReferralFixture(t, s)
	b := f.mustBook(t, s, f.physio, ten)
	for _, external := range []bool{false, true} {
		for _, from := range backdesk.ReferralStatuses {
			path := pathTo[from]
			if p, ok := externalPathTo[from]; ok && external {
				path = p
			}
			if external && from == backdesk.ReferralBooked {
				continue // a referral outside the clinic is never booked
			}
			for _, act := range backdesk.ReferralActions {
				t.Run(fmt.Sprintf("external=%v/%s/%s", external, from, act), func(t *testing.T) {
					r := f.internal()
					if external {
						r = f.external()
					}
					f.mustInsert(t, r)
					step := func(a backdesk.ReferralAction) (*backdesk.Referral, error) {
						return s.TransitionReferral(ctx, r.ID, backdesk.ReferralTransition{Action: a, AcceptedBy: f.physio.ID, BookingID: b.ID, Reason: "because"},
							nil, actor(3, backdesk.RolePractitioner, backdesk.AuditReferralAnswer))
					}
					for _, a := range path {
						_, err := step(a)
						must(t, err)
					}
					before, err := s.FindReferralByID(ctx, r.ID)
					must(t, err)
					if before.Status != from {
						t.Fatalf("path to %s reached %s", from, before.Status)
					}
					want, legal := backdesk.NextReferralStatus(external, from, act)
					got, err := step(act)
					if legal != nil {
						wantCode(t, err, backdesk.CodeConflict)
						after, err := s.FindReferralByID(ctx, r.ID)
						must(t, err)
						if diff := cmp.Diff(before, after); diff != "" {
							t.Errorf("a refused %s from %s changed the referral:\n%s", act, from, diff)
						}
						return
					}
					must(t, err)
					last := got.History[len(got.History)-1]
					if got.Status != want || len(got.History) != len(before.History)+1 || last.Action != act || last.From != from || last.To != want ||
						last.ActorUserID != 3 || last.ActorRole != backdesk.RolePractitioner {
						t.Errorf("%s from %s: status %s, last event %+v; want %s", act, from, got.Status, last, want)
					}
					switch act {
					case backdesk.ReferralAccept:
						if got.AcceptedBy != f.physio.ID {
							t.Errorf("accepted by %d", got.AcceptedBy)
						}
					case backdesk.ReferralDecline, backdesk.ReferralWithdraw:
						if got.StatusReason != "because" {
							t.Errorf("status reason %q", got.StatusReason)
						}
					case backdesk.ReferralBook:
						if got.BookingID != b.ID {
							t.Errorf("booked on %d, want %d", got.BookingID, b.ID)
						}
					case backdesk.ReferralUnbook:
						if got.BookingID != 0 {
							t.Errorf("unbooked, still on %d", got.BookingID)
						}
					}
				})
			}
		}
	}
}

// testReferralConcurrentAccept: many practitioners accept one referral at
// once; exactly one wins and the others get CodeConflict.
func testReferralConcurrentAccept(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newReferralFixture(t, s)
	r := f.mustInsert(t, f.internal())
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			by := f.physio.ID
			if i%2 == 1 {
				by = f.other.ID
			}
			_, errs[i] = s.TransitionReferral(ctx, r.ID, backdesk.ReferralTransition{Action: backdesk.ReferralAccept, AcceptedBy: by}, nil,
				actor(int64(100+i), backdesk.RolePractitioner, backdesk.AuditReferralAnswer))
		})
	}
	close(start)
	wg.Wait()
	if ok := successes(t, errs, backdesk.CodeConflict); ok != 1 {
		t.Fatalf("%d of %d concurrent accepts succeeded, want exactly 1", ok, n)
	}
	got, err := s.FindReferralByID(ctx, r.ID)
	must(t, err)
	accepts := 0
	for _, ev := range got.History {
		if ev.Action == backdesk.ReferralAccept {
			accepts++
		}
	}
	if got.Status != backdesk.ReferralAccepted || accepts != 1 || (got.AcceptedBy != f.physio.ID && got.AcceptedBy != f.other.ID) {
		t.Errorf("after the race: %s, %d accept events, accepted by %d", got.Status, accepts, got.AcceptedBy)
	}
}

// testReferralBooking: an appointment booked from an accepted referral
// books it in the same transaction and names it; one from a referral that
// is not accepted is refused and stores nothing; cancelling the
// appointment gives the referral back, moving it carries the link, and
// signing the visit's note can complete it.
func testReferralBooking(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newReferralFixture(t, s)
	r := f.mustInsert(t, f.internal())
	book := func(start time.Time) (*backdesk.Booking, error) {
		b := f.booking(f.physio, start)
		b.ReferralID = r.ID
		_, err := s.InsertBooking(ctx, b, []*backdesk.OutboxMessage{{Kind: "booking_confirmation", To: "booker@example.org", Subject: "s", Body: "b"}},
			&backdesk.AuditEntry{ActorUserID: f.patient.ID, ActorRole: backdesk.RolePatient, Action: backdesk.AuditBookingCreate, Resource: "booking"})
		return b, err
	}
	count := func() int {
		_, n, err := s.FindBookings(ctx, backdesk.BookingFilter{PatientID: f.patient.PatientID})
		must(t, err)
		return n
	}
	if _, err := book(ten); backdesk.ErrorCode(err) != backdesk.CodeConflict || count() != 0 {
		t.Fatalf("booking a requested referral = %v, %d bookings stored; want conflict and none", err, count())
	}
	_, err := s.TransitionReferral(ctx, r.ID, backdesk.ReferralTransition{Action: backdesk.ReferralAccept, AcceptedBy: f.physio.ID}, nil, nil)
	must(t, err)
	b, err := book(ten)
	must(t, err)
	got, err := s.FindReferralByID(ctx, r.ID)
	must(t, err)
	stored, err := s.FindBookingByID(ctx, b.ID)
	must(t, err)
	if got.Status != backdesk.ReferralBooked || got.BookingID != b.ID || stored.ReferralID != r.ID || got.History[len(got.History)-1].ActorRole != backdesk.RolePatient {
		t.Fatalf("after booking: referral %s on %d, booking names %d", got.Status, got.BookingID, stored.ReferralID)
	}
	// A second booking of the same referral, and a booking whose time has
	// gone, are refused whole.
	if _, err := book(ten.Add(3 * time.Hour)); backdesk.ErrorCode(err) != backdesk.CodeConflict || count() != 1 {
		t.Errorf("booking a booked referral again = %v, %d bookings", err, count())
	}
	// Moving the appointment: the referral follows it.
	moved := f.booking(f.physio, ten.Add(2*time.Hour))
	must(t, s.RescheduleBooking(ctx, b.ID, moved, ten.Add(-time.Hour), nil, nil))
	got, err = s.FindReferralByID(ctx, r.ID)
	must(t, err)
	if got.Status != backdesk.ReferralBooked || got.BookingID != moved.ID || moved.ReferralID != r.ID {
		t.Errorf("after the move: referral %s on %d (new booking %d names %d)", got.Status, got.BookingID, moved.ID, moved.ReferralID)
	}
	// Cancelling it: the referral is accepted again, to be booked anew.
	_, err = s.CancelBooking(ctx, moved.ID, ten.Add(-time.Hour), "ill", false, nil, nil)
	must(t, err)
	got, err = s.FindReferralByID(ctx, r.ID)
	must(t, err)
	if got.Status != backdesk.ReferralAccepted || got.BookingID != 0 || got.History[len(got.History)-1].Action != backdesk.ReferralUnbook {
		t.Errorf("after the cancellation: %s on %d", got.Status, got.BookingID)
	}
	// Booked again, then the visit's signed note completes it.
	again, err := book(ten.Add(4 * time.Hour))
	must(t, err)
	n := &backdesk.ClinicalNote{BookingID: again.ID, PatientID: f.patient.PatientID, PractitionerID: f.physio.ID, AuthorUserID: 3,
		NoteText: backdesk.NoteText{Subjective: "Numb foot since Monday."}}
	must(t, s.InsertNote(ctx, n, nil))
	if _, err := s.SignNote(ctx, n.ID, 3, r.ID, nil); err != nil {
		t.Fatal(err)
	}
	got, err = s.FindReferralByID(ctx, r.ID)
	must(t, err)
	if got.Status != backdesk.ReferralCompleted || got.BookingID != again.ID {
		t.Errorf("after the signed visit: %s on %d", got.Status, got.BookingID)
	}
	// A note that would complete a referral that cannot be completed is
	// refused whole: the note stays a draft.
	other := f.mustInsert(t, f.internal())
	n2 := &backdesk.ClinicalNote{BookingID: f.mustBook(t, s, f.physio, ten.Add(6*time.Hour)).ID, PatientID: f.patient.PatientID, PractitionerID: f.physio.ID,
		NoteText: backdesk.NoteText{Plan: "Review in two weeks."}}
	must(t, s.InsertNote(ctx, n2, nil))
	_, err = s.SignNote(ctx, n2.ID, 3, other.ID, nil)
	wantCode(t, err, backdesk.CodeConflict)
	if stillDraft, err := s.FindNoteByID(ctx, n2.ID); err != nil || stillDraft.Status != backdesk.NoteDraft {
		t.Errorf("a refused signature left the note %+v, %v", stillDraft, err)
	}
}

// testReferralFind: the inbox order (urgent first, then soon, then
// routine; oldest first in each) and every filter.
func testReferralFind(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newReferralFixture(t, s)
	mk := func(u backdesk.ReferralUrgency, to backdesk.Discipline, from *backdesk.Practitioner) *backdesk.Referral {
		r := f.internal()
		r.Urgency, r.ToDiscipline, r.FromPractitionerID = u, to, from.ID
		return f.mustInsert(t, r)
	}
	physio, massage := backdesk.DisciplinePhysiotherapist, backdesk.DisciplineMassageTherapist
	r1 := mk(backdesk.UrgencyRoutine, physio, f.massage)
	r2 := mk(backdesk.UrgencyUrgent, physio, f.massage)
	r3 := mk(backdesk.UrgencySoon, physio, f.massage)
	r4 := mk(backdesk.UrgencyUrgent, physio, f.massage)
	r5 := mk(backdesk.UrgencyRoutine, massage, f.physio)
	r6 := f.mustInsert(t, f.external())
	named := f.internal()
	named.ToDiscipline, named.ToPractitionerID, named.FromPractitionerID = massage, f.massage.ID, f.other.ID
	r7 := f.mustInsert(t, named)
	_, err := s.TransitionReferral(ctx, r3.ID, backdesk.ReferralTransition{Action: backdesk.ReferralDecline, Reason: "not for us"}, nil, nil)
	must(t, err)
	ids := func(f backdesk.ReferralFilter) []int64 {
		t.Helper()
		list, total, err := s.FindReferrals(ctx, f)
		must(t, err)
		out := []int64{}
		for _, r := range list {
			out = append(out, r.ID)
		}
		if total != len(out) && f.Limit == 0 {
			t.Errorf("total %d, %d listed", total, len(out))
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		filter backdesk.ReferralFilter
		want   []int64
	}{
		{"physiotherapy inbox, oldest urgent first", backdesk.ReferralFilter{Discipline: physio}, []int64{r2.ID, r4.ID, r3.ID, r1.ID}},
		{"open only", backdesk.ReferralFilter{Discipline: physio, Open: true}, []int64{r2.ID, r4.ID, r1.ID}},
		{"by status", backdesk.ReferralFilter{Status: backdesk.ReferralDeclined}, []int64{r3.ID}},
		{"outside the clinic", backdesk.ReferralFilter{External: true}, []int64{r6.ID}},
		{"sent by", backdesk.ReferralFilter{FromPractitionerID: f.physio.ID, NewestFirst: true}, []int64{r6.ID, r5.ID}},
		{"a massage therapist's part: sent, and to massage", backdesk.ReferralFilter{Party: &backdesk.ReferralParty{PractitionerID: f.massage.ID, Discipline: massage}, NewestFirst: true},
			[]int64{r7.ID, r5.ID, r4.ID, r3.ID, r2.ID, r1.ID}},
		{"a physiotherapist's part: to physiotherapy, and what they sent", backdesk.ReferralFilter{Party: &backdesk.ReferralParty{PractitionerID: f.other.ID, Discipline: physio}, Open: true},
			[]int64{r2.ID, r4.ID, r7.ID, r1.ID}}, // r7 is soon
		{"by patient, a page", backdesk.ReferralFilter{PatientID: f.patient.PatientID, NewestFirst: true, Page: backdesk.Page{Limit: 2}}, []int64{r7.ID, r6.ID}},
		{"another patient", backdesk.ReferralFilter{PatientID: 999999}, []int64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, ids(tc.filter)); diff != "" {
				t.Errorf("FindReferrals(%+v) (-want +got):\n%s", tc.filter, diff)
			}
		})
	}
	_, total, err := s.FindReferrals(ctx, backdesk.ReferralFilter{Page: backdesk.Page{Limit: 1}})
	must(t, err)
	if total != 7 {
		t.Errorf("total with a page of 1 = %d, want 7", total)
	}
}

// testReferralOneOpenPerAssessment: an assessment is attached to at most
// one open referral per destination.
func testReferralOneOpenPerAssessment(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newReferralFixture(t, s)
	a := &backdesk.Assessment{ID: "0123456789abcdef0123456789abcdef", PatientID: f.patient.PatientID, Answers: json.RawMessage(`{}`),
		Result: backdesk.AssessmentResult{Disposition: backdesk.DispositionPhysiotherapyAndMassage, RulesVersion: "test"}}
	must(t, s.InsertAssessment(ctx, a, nil))
	withAssessment := func(to backdesk.Discipline) *backdesk.Referral {
		r := f.internal()
		r.ToDiscipline, r.AssessmentID = to, a.ID
		return r
	}
	first := f.mustInsert(t, withAssessment(backdesk.DisciplineMassageTherapist))
	wantCode(t, s.InsertReferral(ctx, withAssessment(backdesk.DisciplineMassageTherapist), nil), backdesk.CodeConflict)
	f.mustInsert(t, withAssessment(backdesk.DisciplinePhysiotherapist))
	_, err := s.TransitionReferral(ctx, first.ID, backdesk.ReferralTransition{Action: backdesk.ReferralWithdraw, Reason: "wrong"}, nil, nil)
	must(t, err)
	f.mustInsert(t, withAssessment(backdesk.DisciplineMassageTherapist)) // the first is no longer open
}
