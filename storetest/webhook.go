package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"backdesk"
)

func mustEndpoint(t *testing.T, s backdesk.Store, url string, enabled bool, events ...backdesk.EventType) *backdesk.WebhookEndpoint {
	t.Helper()
	e := &backdesk.WebhookEndpoint{URL: url, Events: events, Enabled: enabled}
	must(t, s.InsertWebhookEndpoint(context.Background(), e, "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0", nil))
	return e
}

// claimAll claims every due delivery at now as claim, keyed by endpoint,
// in the order of the claim.
func claimAll(t *testing.T, s backdesk.Store, now time.Time, claim string) map[int64][]*backdesk.WebhookDispatch {
	t.Helper()
	got, err := s.ClaimWebhookDeliveries(context.Background(), now, time.Minute, 1000, claim)
	must(t, err)
	out := map[int64][]*backdesk.WebhookDispatch{}
	for _, d := range got {
		out[d.Delivery.EndpointID] = append(out[d.Delivery.EndpointID], d)
	}
	return out
}

func types(ds []*backdesk.WebhookDispatch) []backdesk.EventType {
	var out []backdesk.EventType
	for _, d := range ds {
		out = append(out, d.Event.Type)
	}
	return out
}

// testWebhookEventsWithTheChange: the writes that book, move and cancel
// appointments, make and move referrals and complete a patient's
// self-assessment write their event in the same transaction, with one
// delivery for each enabled endpoint subscribed to its type; a write that
// fails writes none; nothing is written for nobody.
func testWebhookEventsWithTheChange(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newReferralFixture(t, s)
	later := time.Now().Add(time.Hour)
	// With no endpoint, a booking writes no event.
	f.mustBook(t, s, f.other, ten.Add(24*time.Hour))
	if got := claimAll(t, s, later, "w0"); len(got) != 0 {
		t.Fatalf("deliveries with no endpoint: %v", got)
	}
	all := mustEndpoint(t, s, "https://all.example/hook", true, backdesk.EventTypes...)
	booked := mustEndpoint(t, s, "https://booked.example/hook", true, backdesk.EventAppointmentBooked)
	off := mustEndpoint(t, s, "https://off.example/hook", false, backdesk.EventTypes...)

	b := f.booking(f.physio, ten)
	_, err := s.InsertBooking(ctx, b, []*backdesk.OutboxMessage{mail("booking_confirmation", time.Time{})}, nil)
	must(t, err)
	// The same time again fails, and announces nothing.
	_, err = s.InsertBooking(ctx, f.booking(f.physio, ten), nil, nil)
	wantCode(t, err, backdesk.CodeConflict)
	got := claimAll(t, s, later, "w1")
	if !slices.Equal(types(got[all.ID]), []backdesk.EventType{backdesk.EventAppointmentBooked}) ||
		!slices.Equal(types(got[booked.ID]), []backdesk.EventType{backdesk.EventAppointmentBooked}) || len(got[off.ID]) != 0 {
		t.Fatalf("after one booking: all %v, booked %v, disabled %v", types(got[all.ID]), types(got[booked.ID]), types(got[off.ID]))
	}
	d := got[all.ID][0]
	want := bookingEventData(b)
	if diff := eventDiff(d.Event.Data, want); diff != "" || d.URL != all.URL || d.Secret == "" || d.Event.ID == "" ||
		d.Event.ID != got[booked.ID][0].Event.ID {
		t.Errorf("dispatch %+v: %s", d, diff)
	}
	for _, ds := range got {
		for _, d := range ds {
			must(t, s.RecordWebhookAttempt(ctx, d.Delivery.ID, "w1", backdesk.WebhookAttempt{At: later, StatusCode: 200}, backdesk.WebhookOutcome{Delivered: true}))
		}
	}

	moved := f.booking(f.physio, ten.Add(2*time.Hour))
	must(t, s.RescheduleBooking(ctx, b.ID, moved, time.Now(), nil, nil))
	_, err = s.CancelBooking(ctx, moved.ID, time.Now(), "", false, nil, nil)
	must(t, err)
	r := f.mustInsert(t, f.internal())
	_, err = s.TransitionReferral(ctx, r.ID, backdesk.ReferralTransition{Action: backdesk.ReferralAccept, AcceptedBy: f.physio.ID}, nil, nil)
	must(t, err)
	rb := f.booking(f.physio, ten.Add(4*time.Hour))
	rb.ReferralID = r.ID
	_, err = s.InsertBooking(ctx, rb, nil, nil)
	must(t, err)
	_, err = s.CancelBooking(ctx, rb.ID, time.Now(), "", false, nil, nil) // unbooks the referral: no event of its own
	must(t, err)
	_, err = s.TransitionReferral(ctx, r.ID, backdesk.ReferralTransition{Action: backdesk.ReferralWithdraw, Reason: "Better"}, nil, nil)
	must(t, err)
	must(t, s.InsertAssessment(ctx, sampleAssessment("00000000000000000000000000000001", f.patient.PatientID), nil))
	must(t, s.InsertAssessment(ctx, sampleAssessment("00000000000000000000000000000002", 0), nil)) // anonymous: no event

	got = claimAll(t, s, later.Add(time.Minute), "w2")
	wantTypes := []backdesk.EventType{backdesk.EventAppointmentRescheduled, backdesk.EventAppointmentCancelled, backdesk.EventReferralCreated,
		backdesk.EventReferralAccepted, backdesk.EventAppointmentBooked, backdesk.EventReferralBooked, backdesk.EventAppointmentCancelled,
		backdesk.EventReferralWithdrawn, backdesk.EventAssessmentCompleted}
	if !slices.Equal(types(got[all.ID]), wantTypes) {
		t.Errorf("events to the endpoint of every type:\n got %v\nwant %v", types(got[all.ID]), wantTypes)
	}
	if !slices.Equal(types(got[booked.ID]), []backdesk.EventType{backdesk.EventAppointmentBooked}) {
		t.Errorf("events to the booked-only endpoint: %v", types(got[booked.ID]))
	}
	byType := map[backdesk.EventType][]backdesk.EventData{}
	for _, d := range got[all.ID] {
		byType[d.Event.Type] = append(byType[d.Event.Type], d.Event.Data)
	}
	if r := byType[backdesk.EventAppointmentRescheduled][0]; r.ID != strconv.FormatInt(moved.ID, 10) || r.RescheduledFrom != b.ID || r.Status != "booked" {
		t.Errorf("rescheduled: %+v", r)
	}
	if c := byType[backdesk.EventAppointmentCancelled][0]; c.ID != strconv.FormatInt(moved.ID, 10) || c.Status != "cancelled" {
		t.Errorf("cancelled: %+v", c)
	}
	if rbd := byType[backdesk.EventReferralBooked][0]; rbd.ID != strconv.FormatInt(r.ID, 10) || rbd.AppointmentID != rb.ID || rbd.Status != "booked" || rbd.PatientID != f.patient.PatientID {
		t.Errorf("referral booked: %+v", rbd)
	}
	if ab := byType[backdesk.EventAppointmentBooked][0]; ab.ReferralID != r.ID {
		t.Errorf("appointment booked from the referral: %+v", ab)
	}
	if a := byType[backdesk.EventAssessmentCompleted][0]; a.ID != "00000000000000000000000000000001" || a.PatientID != f.patient.PatientID {
		t.Errorf("assessment completed: %+v", a)
	}
	// The payload carries ids and links, never the referral's reason or
	// findings.
	for _, d := range got[all.ID] {
		body, err := d.Event.Payload("https://clinic.example")
		must(t, err)
		for _, secret := range []string{f.internal().Reason, f.internal().Findings, "See a physiotherapist first."} {
			if strings.Contains(string(body), secret) {
				t.Errorf("%s payload holds clinical text %q: %s", d.Event.Type, secret, body)
			}
		}
	}
}

func bookingEventData(b *backdesk.Booking) backdesk.EventData {
	start, end := b.Start, b.End
	return backdesk.EventData{ID: strconv.FormatInt(b.ID, 10), PatientID: b.PatientID, PractitionerID: b.PractitionerID, ServiceID: b.ServiceID,
		LocationID: b.LocationID, Start: &start, End: &end, Status: "booked"}
}

func eventDiff(got, want backdesk.EventData) string {
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		return fmt.Sprintf("got %s, want %s", g, w)
	}
	return ""
}

// testWebhookDeliveryLease: a claimed delivery is not claimed again while
// its lease lasts; only the holder records it; a failed attempt comes back
// at its retry time; a 410 Gone switches the endpoint off; a resend makes a
// delivery due again; every attempt is kept.
func testWebhookDeliveryLease(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	e := mustEndpoint(t, s, "https://crm.example/hook", true, backdesk.EventAppointmentBooked)
	f.mustBook(t, s, f.physio, ten)
	now := time.Now().UTC().Add(time.Second)
	first := claimAll(t, s, now, "w1")[e.ID]
	if len(first) != 1 || first[0].Delivery.Attempts != 0 || first[0].Delivery.Status != backdesk.DeliveryPending {
		t.Fatalf("first claim = %v", first)
	}
	id := first[0].Delivery.ID
	if again := claimAll(t, s, now, "w2"); len(again) != 0 {
		t.Errorf("a leased delivery was claimed again: %v", again)
	}
	fail := backdesk.WebhookAttempt{At: now, StatusCode: 500, Error: "500 Internal Server Error", DurationMS: 12}
	wantCode(t, s.RecordWebhookAttempt(ctx, id, "w2", fail, backdesk.WebhookOutcome{RetryAt: now}), backdesk.CodeConflict)
	must(t, s.RecordWebhookAttempt(ctx, id, "w1", fail, backdesk.WebhookOutcome{RetryAt: now.Add(time.Minute)}))
	if early := claimAll(t, s, now.Add(30*time.Second), "w3"); len(early) != 0 {
		t.Errorf("claimed before its retry time: %v", early)
	}
	retry := claimAll(t, s, now.Add(2*time.Minute), "w3")[e.ID]
	if len(retry) != 1 || retry[0].Delivery.Attempts != 1 || retry[0].Delivery.LastStatusCode != 500 {
		t.Fatalf("retry claim = %v", retry)
	}
	// A lease that runs out frees the delivery for another worker.
	again := claimAll(t, s, now.Add(4*time.Minute), "w4")[e.ID]
	if len(again) != 1 {
		t.Fatalf("an expired lease was not reclaimed: %v", again)
	}
	must(t, s.RecordWebhookAttempt(ctx, id, "w4", backdesk.WebhookAttempt{At: now.Add(4 * time.Minute), StatusCode: 204}, backdesk.WebhookOutcome{Delivered: true}))
	wantCode(t, s.RecordWebhookAttempt(ctx, id, "w3", fail, backdesk.WebhookOutcome{RetryAt: now}), backdesk.CodeConflict)
	got, err := s.FindWebhookDeliveryByID(ctx, id)
	must(t, err)
	if got.Status != backdesk.DeliveryDelivered || got.Attempts != 2 || got.DeliveredAt == nil || len(got.History) != 2 ||
		got.History[0].StatusCode != 500 || got.History[1].StatusCode != 204 || got.NextAttemptAt != nil {
		t.Fatalf("after delivery: %+v", got)
	}
	// Resend: due again, with the same event (webhook-id).
	resent, err := s.ResendWebhookDelivery(ctx, id, now.Add(5*time.Minute), nil)
	must(t, err)
	if resent.Status != backdesk.DeliveryPending || resent.EventID != got.EventID {
		t.Errorf("resent = %+v", resent)
	}
	wantCode(t, func() error { _, err := s.ResendWebhookDelivery(ctx, 999999, now, nil); return err }(), backdesk.CodeNotFound)
	gone := claimAll(t, s, now.Add(6*time.Minute), "w5")[e.ID]
	if len(gone) != 1 || gone[0].Event.ID != got.EventID {
		t.Fatalf("resent claim = %v", gone)
	}
	must(t, s.RecordWebhookAttempt(ctx, id, "w5", backdesk.WebhookAttempt{At: now.Add(6 * time.Minute), StatusCode: 410},
		backdesk.WebhookOutcome{Disable: "The endpoint answered 410 Gone."}))
	ep, err := s.FindWebhookEndpointByID(ctx, e.ID)
	must(t, err)
	if ep.Enabled || ep.DisabledReason == "" {
		t.Errorf("after 410: %+v", ep)
	}
	// A disabled endpoint's deliveries wait.
	f.mustBook(t, s, f.physio, ten.Add(2*time.Hour))
	if waiting := claimAll(t, s, now.Add(7*time.Minute), "w6"); len(waiting) != 0 {
		t.Errorf("claimed for a disabled endpoint: %v", waiting)
	}
	list, total, err := s.FindWebhookDeliveries(ctx, e.ID, backdesk.Page{})
	must(t, err)
	if total != 1 || len(list) != 1 || list[0].Status != backdesk.DeliveryFailed || len(list[0].History) != 3 {
		t.Errorf("deliveries = %d %+v", total, list)
	}
}

// testWebhookConcurrentClaims: workers claiming together (in several
// processes on PostgreSQL) never take the same delivery.
func testWebhookConcurrentClaims(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	mustEndpoint(t, s, "https://a.example/hook", true, backdesk.EventAppointmentBooked)
	mustEndpoint(t, s, "https://b.example/hook", true, backdesk.EventAppointmentBooked)
	for i := range 15 {
		f.mustBook(t, s, f.physio, ten.Add(time.Duration(i)*2*time.Hour))
	}
	now := time.Now().Add(time.Second)
	var mu sync.Mutex
	seen := map[int64]string{}
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			for range 10 {
				got, err := s.ClaimWebhookDeliveries(ctx, now, time.Minute, 3, fmt.Sprint("w", w))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, d := range got {
					if by, dup := seen[d.Delivery.ID]; dup {
						t.Errorf("delivery %d claimed by %s and w%d", d.Delivery.ID, by, w)
					}
					seen[d.Delivery.ID] = fmt.Sprint("w", w)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 30 {
		t.Errorf("%d deliveries claimed, want 30 (15 events × 2 endpoints)", len(seen))
	}
}

// testWebhookEndpoints: endpoints keep their events in the canonical order;
// an update replaces them; deleting an endpoint removes its deliveries.
func testWebhookEndpoints(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	e := mustEndpoint(t, s, "https://x.example/hook", true, backdesk.EventReferralCreated, backdesk.EventAppointmentBooked)
	got, err := s.FindWebhookEndpointByID(ctx, e.ID)
	must(t, err)
	if !slices.Equal(got.Events, []backdesk.EventType{backdesk.EventAppointmentBooked, backdesk.EventReferralCreated}) || !got.Enabled {
		t.Errorf("endpoint = %+v", got)
	}
	events, off := []backdesk.EventType{backdesk.EventAppointmentCancelled}, false
	upd, err := s.UpdateWebhookEndpoint(ctx, e.ID, backdesk.WebhookEndpointUpdate{Events: &events, Enabled: &off}, nil)
	must(t, err)
	if !slices.Equal(upd.Events, events) || upd.Enabled || upd.URL != e.URL {
		t.Errorf("updated = %+v", upd)
	}
	on := true
	_, err = s.UpdateWebhookEndpoint(ctx, e.ID, backdesk.WebhookEndpointUpdate{Enabled: &on}, nil)
	must(t, err)
	b := f.mustBook(t, s, f.physio, ten)
	_, err = s.CancelBooking(ctx, b.ID, time.Now(), "", false, nil, nil)
	must(t, err)
	if _, n, _ := s.FindWebhookDeliveries(ctx, e.ID, backdesk.Page{}); n != 1 {
		t.Errorf("%d deliveries, want the cancellation only", n)
	}
	list, err := s.FindWebhookEndpoints(ctx)
	must(t, err)
	if len(list) != 1 {
		t.Errorf("endpoints = %v", list)
	}
	must(t, s.DeleteWebhookEndpoint(ctx, e.ID, nil))
	wantCode(t, s.DeleteWebhookEndpoint(ctx, e.ID, nil), backdesk.CodeNotFound)
	_, err = s.FindWebhookEndpointByID(ctx, e.ID)
	wantCode(t, err, backdesk.CodeNotFound)
	if got := claimAll(t, s, time.Now().Add(time.Minute), "w"); len(got) != 0 {
		t.Errorf("deliveries of a deleted endpoint: %v", got)
	}
}

// testWebhookPlansAndOutcomes: writing and changing a treatment plan, and
// recording outcome scores (directly and as the answer of an emailed
// request), write their events with the change.
func testWebhookPlansAndOutcomes(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	e := mustEndpoint(t, s, "https://plans.example/hook", true, backdesk.EventCarePlanChanged, backdesk.EventOutcomeRecorded)
	p := mustPlan(t, s, f, "bridge")
	v2 := *p.Current
	v2.ChangeNote = "Harder"
	must(t, s.InsertCarePlanVersion(ctx, &v2, 1, nil))
	scores := []*backdesk.Outcome{{PatientID: f.patient.PatientID, Measure: backdesk.MeasurePain, Value: 4, Source: backdesk.SourceFollowUp},
		{PatientID: f.patient.PatientID, Measure: backdesk.MeasurePSFS, Value: 6, Source: backdesk.SourceFollowUp, Activities: []backdesk.PSFSActivity{{Activity: "Gardening", Score: 6}}}}
	must(t, s.InsertOutcomes(ctx, scores, nil))
	got := claimAll(t, s, time.Now().Add(time.Minute), "w")[e.ID]
	want := []backdesk.EventType{backdesk.EventCarePlanChanged, backdesk.EventCarePlanChanged, backdesk.EventOutcomeRecorded, backdesk.EventOutcomeRecorded}
	if !slices.Equal(types(got), want) {
		t.Fatalf("events = %v, want %v", types(got), want)
	}
	if d := got[1].Event.Data; d.ID != strconv.FormatInt(p.ID, 10) || d.Version != 2 || d.PatientID != f.patient.PatientID {
		t.Errorf("care_plan.changed: %+v", d)
	}
	if d := got[3].Event.Data; d.ID != scores[1].Key() || d.Measure != "psfs" || d.PatientID != f.patient.PatientID {
		t.Errorf("outcome.recorded: %+v", d)
	}
	for _, d := range got {
		body, err := d.Event.Payload("https://clinic.example")
		must(t, err)
		if strings.Contains(string(body), "Gardening") || strings.Contains(string(body), "Harder") || strings.Contains(string(body), "sitting") {
			t.Errorf("%s payload holds clinical text: %s", d.Event.Type, body)
		}
	}
}

// testWebhookErasure: a person's export lists the webhook events that
// named them and the endpoints they went to; their erasure announces the
// appointments it cancels, as any cancellation, and leaves every event that
// named them with only its type, its record's id and the links, while the
// events of others keep what they hold.
func testWebhookErasure(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	other := mustPatient(t, s, "kept.patient@example.org")
	all := mustEndpoint(t, s, "https://all.example/hook", true, backdesk.EventTypes...)
	coming := f.mustBook(t, s, f.physio, ten)
	past := f.mustBook(t, s, f.physio, time.Now().UTC().Truncate(time.Hour).Add(-48*time.Hour))
	theirs := f.booking(f.other, ten)
	theirs.PatientID, theirs.CreatedBy = other.PatientID, other.ID
	_, err := s.InsertBooking(ctx, theirs, nil, nil)
	must(t, err)

	pd, err := s.ExportPersonalData(ctx, f.patient.ID)
	must(t, err)
	var exported []string
	for _, n := range pd.WebhookNotices {
		if n.Type != backdesk.EventAppointmentBooked || len(n.Deliveries) != 1 || n.Deliveries[0].URL != all.URL || n.Deliveries[0].Status != backdesk.DeliveryPending {
			t.Errorf("exported webhook notice %+v", n)
		}
		exported = append(exported, n.ResourceID)
	}
	if want := []string{strconv.FormatInt(coming.ID, 10), strconv.FormatInt(past.ID, 10)}; !slices.Equal(exported, want) {
		t.Errorf("exported webhook notices about %v, want %v (not the other patient's)", exported, want)
	}

	_, err = s.EraseUser(ctx, f.patient.ID, backdesk.NewAuditEntry(backdesk.SystemActor("test"), backdesk.AuditPersonalErase, f.patient.PatientID, "account", ""))
	must(t, err)
	got := claimAll(t, s, time.Now().Add(time.Hour), "w1")[all.ID]
	var seen []string
	for _, d := range got {
		seen = append(seen, string(d.Event.Type)+" "+d.Event.Data.ID)
		want := backdesk.EventData{ID: d.Event.Data.ID}
		if d.Event.Data.ID == strconv.FormatInt(theirs.ID, 10) {
			want = bookingEventData(theirs)
		}
		if diff := eventDiff(d.Event.Data, want); diff != "" {
			t.Errorf("%s %s after the erasure: %s", d.Event.Type, d.Event.Data.ID, diff)
		}
	}
	id := func(b *backdesk.Booking) string { return strconv.FormatInt(b.ID, 10) }
	wantSeen := []string{"appointment.booked " + id(coming), "appointment.booked " + id(past), "appointment.booked " + id(theirs), "appointment.cancelled " + id(coming)}
	if !slices.Equal(seen, wantSeen) {
		t.Errorf("deliveries after the erasure:\n got %v\nwant %v", seen, wantSeen)
	}
}
