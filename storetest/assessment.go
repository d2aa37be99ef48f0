package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"backdesk"

	"github.com/google/go-cmp/cmp"
)

func sampleAssessment(id string, patientID int64) *backdesk.Assessment {
	pct, band := 36, "moderate"
	return &backdesk.Assessment{ID: id, PatientID: patientID,
		Answers: json.RawMessage(`{"age":47,"duration_weeks":3,"episode":"recurring","pain_now":3}`),
		Result: backdesk.AssessmentResult{Disposition: backdesk.DispositionPhysiotherapy, Headline: "See a physiotherapist first.",
			Reasons:  []backdesk.Reason{{Rule: "odi_moderate_or_worse", Text: "t", Answers: []string{"odi"}, Source: "s"}},
			RedFlags: []string{}, Chronicity: "acute", PainBand: "mild",
			Massage: backdesk.MassageAdvice{Suitable: backdesk.MassageYes, Contraindications: []string{}, Techniques: []backdesk.Technique{}},
			ODI:     &backdesk.ODIScore{Percent: &pct, Band: &band, Answered: 9}, Advice: []string{"Keep moving."},
			Book: []string{"physiotherapy"}, Fired: []string{"odi_moderate_or_worse"}, RulesVersion: "2026.1"}}
}

func testAssessmentRoundTrip(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	a := sampleAssessment("0123456789abcdef0123456789abcdef", 0)
	must(t, s.InsertAssessment(ctx, a, nil))
	got, err := s.FindAssessmentByID(ctx, a.ID)
	must(t, err)
	if diff := cmp.Diff(a, got); diff != "" {
		t.Errorf("FindAssessmentByID mismatch (-want +got):\n%s", diff)
	}
	_, err = s.FindAssessmentByID(ctx, "ffffffffffffffffffffffffffffffff")
	wantCode(t, err, backdesk.CodeNotFound)
	wantCode(t, s.InsertAssessment(ctx, sampleAssessment(a.ID, 0), nil), backdesk.CodeConflict)
}

func testAssessmentByPatient(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	u := &backdesk.User{Email: "p@example.org", Name: "P", Role: backdesk.RolePatient}
	must(t, s.InsertUser(ctx, u, "h", nil))
	must(t, s.InsertAssessment(ctx, sampleAssessment("a1", u.PatientID), nil))
	must(t, s.InsertAssessment(ctx, sampleAssessment("a2", u.PatientID), nil))
	must(t, s.InsertAssessment(ctx, sampleAssessment("anon", 0), nil))
	list, err := s.FindAssessmentsByPatient(ctx, u.PatientID)
	must(t, err)
	if len(list) != 2 || list[0].ID != "a2" && list[1].ID != "a2" {
		t.Errorf("FindAssessmentsByPatient = %d assessments", len(list))
	}
	wantCode(t, s.InsertAssessment(ctx, sampleAssessment("a3", u.PatientID+1000), nil), backdesk.CodeInvalid)
}
