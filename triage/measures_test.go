package triage_test

import (
	"encoding/json"
	"testing"

	"backdesk"
	"backdesk/triage"
)

// TestDecodeMeasures: pain now, STarT Back and Oswestry are checked as in
// the self-assessment, with its field names; each may be left out.
func TestDecodeMeasures(t *testing.T) {
	sb := `{"leg_pain":true,"shoulder_neck_pain":false,"walk_short_distances":true,"dressed_slowly":false,"not_safe_active":true,"worrying_thoughts":true,"terrible_never_better":true,"not_enjoyed":false,"bothersome":"very_much"}`
	for _, tc := range []struct {
		name                 string
		pain, startback, odi string
		field                string // of the error; "" for none
	}{
		{name: "nothing"},
		{name: "pain only", pain: "4"},
		{name: "pain 11", pain: "11", field: "pain_now"},
		{name: "pain -1", pain: "-1", field: "pain_now"},
		{name: "pain 4.5", pain: "4.5", field: "pain_now"},
		{name: "pain as text", pain: `"4"`, field: "pain_now"},
		{name: "all three", pain: "0", startback: sb, odi: "[1,2,3,4,5,0,1,2,null,3]"},
		{name: "odi section 6", odi: "[1,2,3,4,5,6,1,2,3,3]", field: "odi.5"},
		{name: "odi of 9", odi: "[1,2,3,4,5,0,1,2,3]", field: "odi"},
		{name: "startback missing an item", startback: `{"leg_pain":true,"bothersome":"slightly"}`, field: "startback.shoulder_neck_pain"},
		{name: "startback unknown key", startback: `{"mood":true}`, field: "startback.mood"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := func(s string) json.RawMessage { return json.RawMessage(s) }
			m, err := triage.DecodeMeasures(raw(tc.pain), raw(tc.startback), raw(tc.odi))
			if got := backdesk.ErrorField(err); got != tc.field || (err != nil) != (tc.field != "") {
				t.Fatalf("DecodeMeasures error %v (field %q), want field %q", err, got, tc.field)
			}
			if err != nil {
				return
			}
			if (tc.pain == "") != (m.PainNow == -1) || (tc.startback == "") != (m.StartBack == nil) || (tc.odi == "") != (m.ODI == nil) {
				t.Errorf("DecodeMeasures = %+v", m)
			}
		})
	}
	m, _ := triage.DecodeMeasures(nil, json.RawMessage(sb), json.RawMessage("[1,2,3,4,5,0,1,2,null,3]"))
	if s := triage.ScoreStartBack(m.StartBack); s.Total != 6 || s.Risk != "high" {
		t.Errorf("STarT Back scored %+v, want 6, high (as the assessment scores it)", s)
	}
	if o := triage.ScoreODI(m.ODI); o.Percent == nil || *o.Percent != 47 {
		t.Errorf("Oswestry scored %+v, want 47%%", o)
	}
	if got := string(triage.ODIAnswers(m.ODI)); got != "[1,2,3,4,5,0,1,2,null,3]" {
		t.Errorf("ODIAnswers = %s", got)
	}
}
