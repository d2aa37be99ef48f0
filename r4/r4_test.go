package r4_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"backdesk"
	"backdesk/r4"
)

func TestDateRange(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		v        string
		from, to string // "" for open
		err      bool
	}{
		{"2026-03-23", "2026-03-23T00:00:00Z", "2026-03-24T00:00:00Z", false},
		{"eq2026-07-01", "2026-06-30T23:00:00Z", "2026-07-01T23:00:00Z", false}, // a summer day in London
		{"ge2026-03", "2026-03-01T00:00:00Z", "", false},
		{"lt2026", "", "2026-01-01T00:00:00Z", false},
		{"gt2026-03-23", "2026-03-24T00:00:00Z", "", false},
		{"le2026-03-23", "", "2026-03-24T00:00:00Z", false},
		{"ge2026-03-23T09:00:00+01:00", "2026-03-23T08:00:00Z", "", false},
		{"lt2026-03-23T09:30Z", "", "2026-03-23T09:30:00Z", false},
		{"2026-03-23T09:00:00Z", "2026-03-23T09:00:00Z", "2026-03-23T09:00:01Z", false},
		{"ne2026-03-23", "", "", true},
		{"ap2026-03-23", "", "", true},
		{"23/03/2026", "", "", true},
		{"2026-03-23T09:00:00", "", "", true}, // a time needs its offset
		{"", "", "", true},
	} {
		got, err := r4.DateRange(tc.v, london)
		if tc.err {
			if err == nil {
				t.Errorf("DateRange(%q) = %v, want an error", tc.v, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("DateRange(%q): %v", tc.v, err)
			continue
		}
		var want r4.Range
		if tc.from != "" {
			want.From = at(tc.from)
		}
		if tc.to != "" {
			want.To = at(tc.to)
		}
		if !got.From.Equal(want.From) || !got.To.Equal(want.To) {
			t.Errorf("DateRange(%q) = [%v, %v), want [%v, %v)", tc.v, got.From, got.To, want.From, want.To)
		}
	}
	r := r4.Range{From: at("2026-03-01T00:00:00Z")}.Intersect(r4.Range{To: at("2026-03-02T00:00:00Z")})
	if r.Empty() || !r.To.Equal(at("2026-03-02T00:00:00Z")) {
		t.Errorf("Intersect = %v", r)
	}
	if !(r4.Range{From: at("2026-03-02T00:00:00Z"), To: at("2026-03-01T00:00:00Z")}).Empty() {
		t.Error("a reversed range is not empty")
	}
}

func TestReference(t *testing.T) {
	for _, tc := range []struct{ v, id string }{
		{"12", "12"}, {"Patient/12", "12"}, {"https://clinic.example/fhir/Patient/12", "12"},
		{"Practitioner/12", ""}, {"Patient/", ""}, {"Patient/1/_history/2", ""},
	} {
		got, err := r4.Reference(tc.v, "Patient")
		if got != tc.id || (tc.id == "") != (err != nil) {
			t.Errorf("Reference(%q) = %q, %v; want %q", tc.v, got, err, tc.id)
		}
	}
	for _, tc := range []struct {
		id string
		ok bool
	}{{"12", true}, {"012", false}, {"0", false}, {"-3", false}, {"1e3", false}, {"", false}} {
		if _, ok := r4.NumericID(tc.id); ok != tc.ok {
			t.Errorf("NumericID(%q) = %v", tc.id, ok)
		}
	}
}

// TestComputedIDs: schedules, slots and proposed appointments have ids
// that say what they are, and read back.
func TestComputedIDs(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	sl := backdesk.Slot{Start: time.Date(2026, 3, 23, 9, 0, 0, 0, london), End: time.Date(2026, 3, 23, 9, 45, 0, 0, london), PractitionerID: 1, ServiceID: 2, LocationID: 3}
	if id := r4.SlotID(sl); id != "p1-s2-l3-20260323T090000Z" {
		t.Errorf("SlotID = %q", id)
	}
	k, ok := r4.ParseSlotID(r4.SlotID(sl))
	if !ok || k.Schedule != (r4.ScheduleKey{1, 2, 3}) || !k.Start.Equal(sl.Start) {
		t.Errorf("ParseSlotID = %+v, %v", k, ok)
	}
	if k, ok := r4.ParseProposedID(r4.ProposedID(sl)); !ok || !k.Start.Equal(sl.Start) {
		t.Errorf("ParseProposedID = %+v, %v", k, ok)
	}
	for _, bad := range []string{"p1-s2", "p1-s2-l3-x", "p01-s2-l3", "x1-s2-l3", "p1-s2-l3-20261323T090000Z", "proposed-12"} {
		if _, ok := r4.ParseSlotID(bad); ok {
			t.Errorf("ParseSlotID(%q) accepted", bad)
		}
		if _, ok := r4.ParseProposedID(bad); ok {
			t.Errorf("ParseProposedID(%q) accepted", bad)
		}
	}
	if k, ok := r4.ParseScheduleID("p1-s2-l3"); !ok || k.ID() != "p1-s2-l3" {
		t.Errorf("ParseScheduleID = %+v, %v", k, ok)
	}
}

// TestQuestionnaireResponse: every answered question is an item of its
// step's group, with the FHIR type of its question; unanswered ones are
// left out.
func TestQuestionnaireResponse(t *testing.T) {
	q := &backdesk.Questionnaire{RulesVersion: "2026.1", Steps: []backdesk.QuestionStep{
		{ID: "pain", Title: "Pain", Questions: []backdesk.Question{
			{Key: "pain_now", Text: "Pain now", Type: backdesk.QuestionInteger},
			{Key: "episode", Text: "Episode", Type: backdesk.QuestionChoice, Options: []backdesk.Option{{Value: "first", Label: "New"}}},
			{Key: "trigger", Text: "Trigger", Type: backdesk.QuestionChoice}}},
		{ID: "legs", Title: "Legs", Questions: []backdesk.Question{{Key: "leg.numbness", Text: "Numb", Type: backdesk.QuestionBoolean}}},
		{ID: "about", Title: "About", Questions: []backdesk.Question{{Key: "conditions", Text: "Conditions", Type: backdesk.QuestionMulti}}},
		{ID: "odi", Title: "ODI", Questions: []backdesk.Question{{Key: "odi.0", Type: backdesk.QuestionScale}, {Key: "odi.1", Type: backdesk.QuestionScale}}},
	}}
	a := &backdesk.Assessment{ID: "0123456789abcdef0123456789abcdef", PatientID: 7, CreatedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		Answers: json.RawMessage(`{"pain_now":6,"episode":"first","leg":{"numbness":true},"conditions":["osteoporosis","pregnancy"],"odi":[null,3]}`)}
	r, err := r4.QuestionnaireResponse(a, q, "https://clinic.example/fhir/Questionnaire/self-assessment")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	got := string(b)
	for _, want := range []string{`"resourceType":"QuestionnaireResponse"`, `"subject":{"reference":"Patient/7"}`,
		`"questionnaire":"https://clinic.example/fhir/Questionnaire/self-assessment|2026.1"`,
		`{"linkId":"pain_now","text":"Pain now","answer":[{"valueInteger":6}]}`,
		`{"linkId":"episode","text":"Episode","answer":[{"valueCoding":{"code":"first","display":"New"}}]}`,
		`{"linkId":"leg.numbness","text":"Numb","answer":[{"valueBoolean":true}]}`,
		`"answer":[{"valueCoding":{"code":"osteoporosis"}},{"valueCoding":{"code":"pregnancy"}}]`,
		`{"linkId":"odi.1","answer":[{"valueInteger":3}]}`} {
		if !strings.Contains(got, want) {
			t.Errorf("QuestionnaireResponse lacks %s:\n%s", want, got)
		}
	}
	for _, absent := range []string{`"trigger"`, `"odi.0"`} {
		if strings.Contains(got, absent) {
			t.Errorf("QuestionnaireResponse has unanswered %s", absent)
		}
	}
	if r4.LOINCCode("startback.bothersome") != "91348-3" || r4.LOINCCode("age") != "" {
		t.Error("LOINC codes")
	}
}
