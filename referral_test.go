package backdesk_test

import (
	"testing"

	"backdesk"
)

// TestReferralStateMachine: every (from, action) pair, inside the clinic
// and outside it. A legal pair moves to its status; every other pair is
// CodeConflict and leaves the status as it was.
func TestReferralStateMachine(t *testing.T) {
	const no = backdesk.ReferralStatus("") // refused
	var (
		req  = backdesk.ReferralRequested
		acc  = backdesk.ReferralAccepted
		dec  = backdesk.ReferralDeclined
		bkd  = backdesk.ReferralBooked
		done = backdesk.ReferralCompleted
		wd   = backdesk.ReferralWithdrawn
	)
	// The columns, in this order.
	actions := []backdesk.ReferralAction{backdesk.ReferralAccept, backdesk.ReferralDecline, backdesk.ReferralBook,
		backdesk.ReferralUnbook, backdesk.ReferralComplete, backdesk.ReferralWithdraw, backdesk.ReferralCreate}
	type row struct {
		from backdesk.ReferralStatus
		to   [7]backdesk.ReferralStatus // accept, decline, book, unbook, complete, withdraw, create
	}
	for _, tc := range []struct {
		name     string
		external bool
		rows     []row
	}{
		{"inside the clinic", false, []row{
			{req, [7]backdesk.ReferralStatus{acc, dec, no, no, no, wd, no}},
			{acc, [7]backdesk.ReferralStatus{no, no, bkd, no, no, wd, no}},
			{bkd, [7]backdesk.ReferralStatus{no, no, no, acc, done, no, no}},
			{dec, [7]backdesk.ReferralStatus{no, no, no, no, no, no, no}},
			{done, [7]backdesk.ReferralStatus{no, no, no, no, no, no, no}},
			{wd, [7]backdesk.ReferralStatus{no, no, no, no, no, no, no}},
		}},
		{"to a doctor outside", true, []row{
			{req, [7]backdesk.ReferralStatus{acc, dec, no, no, no, wd, no}},
			{acc, [7]backdesk.ReferralStatus{no, no, no, no, done, wd, no}},
			{bkd, [7]backdesk.ReferralStatus{no, no, no, no, no, no, no}}, // never reached
			{dec, [7]backdesk.ReferralStatus{no, no, no, no, no, no, no}},
			{done, [7]backdesk.ReferralStatus{no, no, no, no, no, no, no}},
			{wd, [7]backdesk.ReferralStatus{no, no, no, no, no, no, no}},
		}},
	} {
		if len(tc.rows) != len(backdesk.ReferralStatuses) {
			t.Fatalf("%s: %d rows for %d statuses", tc.name, len(tc.rows), len(backdesk.ReferralStatuses))
		}
		for _, r := range tc.rows {
			for i, act := range actions {
				t.Run(tc.name+"/"+string(r.from)+"/"+string(act), func(t *testing.T) {
					got, err := backdesk.NextReferralStatus(tc.external, r.from, act)
					if want := r.to[i]; want != no {
						if err != nil || got != want {
							t.Errorf("NextReferralStatus(%v, %s, %s) = %s, %v; want %s", tc.external, r.from, act, got, err, want)
						}
						return
					}
					if backdesk.ErrorCode(err) != backdesk.CodeConflict || got != r.from || backdesk.ErrorMessage(err) == "" {
						t.Errorf("NextReferralStatus(%v, %s, %s) = %s, %v; want conflict and %s unchanged", tc.external, r.from, act, got, err, r.from)
					}
				})
			}
		}
	}
	if len(actions)-1 != len(backdesk.ReferralActions) {
		t.Errorf("the table has %d transition columns, the domain %d actions", len(actions)-1, len(backdesk.ReferralActions))
	}
}

func TestReferralEventTypes(t *testing.T) {
	for _, tc := range []struct {
		act  backdesk.ReferralAction
		want backdesk.EventType
	}{
		{backdesk.ReferralCreate, "referral.created"},
		{backdesk.ReferralAccept, "referral.accepted"},
		{backdesk.ReferralDecline, "referral.declined"},
		{backdesk.ReferralBook, "referral.booked"},
		{backdesk.ReferralComplete, "referral.completed"},
		{backdesk.ReferralWithdraw, "referral.withdrawn"},
		{backdesk.ReferralUnbook, ""},
	} {
		if got := tc.act.EventType(); got != tc.want {
			t.Errorf("%s.EventType() = %q, want %q", tc.act, got, tc.want)
		}
		if tc.want != "" && !tc.want.Valid() {
			t.Errorf("%s.EventType() = %q is not one of EventTypes", tc.act, tc.want)
		}
	}
}

func TestReferralValidate(t *testing.T) {
	ok := func() *backdesk.Referral {
		return &backdesk.Referral{PatientID: 1, FromPractitionerID: 2, ToDiscipline: backdesk.DisciplinePhysiotherapist, Reason: "Numbness in the left foot"}
	}
	for _, tc := range []struct {
		name  string
		edit  func(r *backdesk.Referral)
		field string
	}{
		{"inside the clinic", func(r *backdesk.Referral) {}, ""},
		{"to a GP", func(r *backdesk.Referral) {
			r.ToDiscipline, r.ToExternal, r.RecipientName = "", backdesk.ExternalGP, "Dr Okoro, Redcliffe Surgery"
		}, ""},
		{"unknown discipline", func(r *backdesk.Referral) { r.ToDiscipline = "chiropractor" }, "to_discipline"},
		{"nowhere", func(r *backdesk.Referral) { r.ToDiscipline = "" }, "to_discipline"},
		{"both", func(r *backdesk.Referral) { r.ToExternal, r.RecipientName = backdesk.ExternalGP, "Dr X" }, "to_external"},
		{"unknown recipient", func(r *backdesk.Referral) { r.ToDiscipline, r.ToExternal = "", "dentist" }, "to_external"},
		{"outside without a name", func(r *backdesk.Referral) { r.ToDiscipline, r.ToExternal = "", backdesk.ExternalGP }, "recipient_name"},
		{"no reason", func(r *backdesk.Referral) { r.Reason = "  " }, "reason"},
		{"unknown urgency", func(r *backdesk.Referral) { r.Urgency = "whenever" }, "urgency"},
		{"no patient", func(r *backdesk.Referral) { r.PatientID = 0 }, "patient_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ok()
			tc.edit(r)
			err := r.Validate()
			if got := backdesk.ErrorField(err); got != tc.field || (tc.field != "") != (err != nil) {
				t.Errorf("Validate() = %v (field %q), want field %q", err, got, tc.field)
			}
			if err == nil && r.Urgency != backdesk.UrgencyRoutine {
				t.Errorf("urgency defaults to %q", r.Urgency)
			}
		})
	}
}
