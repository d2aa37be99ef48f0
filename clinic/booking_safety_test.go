package clinic

import (
	"context"
	"strings"
	"testing"

	"backdesk"
	"backdesk/mock"
	"backdesk/triage"
)

// TestBookingFromAssessment: a result that says to see a doctor first, or
// that massage is not safe, never leads a patient (or someone signed out)
// to book from it, and the refusal repeats the advice with the number to
// call; the front desk may book it. An assessment that is another
// patient's is not found.
func TestBookingFromAssessment(t *testing.T) {
	eval := func(answers, country string) backdesk.AssessmentResult {
		a, err := triage.DecodeAnswers([]byte(answers))
		if err != nil {
			t.Fatal(err)
		}
		return triage.Evaluate(triage.V1, a, country)
	}
	const (
		bladder = `{"age":45,"duration_weeks":2,"episode":"first","pain_now":7,"red_flags":{"urinary_difficulty":true,"saddle_numbness":true}}`
		fever   = `{"age":60,"duration_weeks":3,"episode":"first","pain_now":5,"red_flags":{"unwell_fever":true}}`
		desk    = `{"age":34,"duration_weeks":1,"episode":"recurring","pain_now":3,"trigger":"posture_desk","muscle_tension":true}`
		dvt     = `{"age":50,"duration_weeks":2,"episode":"recurring","pain_now":2,"conditions":["dvt"],"muscle_tension":true}`
	)
	results := map[string]backdesk.AssessmentResult{
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1": eval(bladder, "GB"),
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2": eval(fever, "GB"),
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3": eval(desk, "GB"),
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa4": eval(dvt, "GB"),
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa5": eval(desk, "GB"), // patient 9's own
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa6": eval(desk, "GB"), // patient 8's
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7": eval(bladder, "US"),
	}
	owner := map[string]int64{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa5": 9, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa6": 8}
	country := "GB"
	s := &BookingService{
		Assessments: &mock.AssessmentStore{FindAssessmentByIDFn: func(ctx context.Context, id string) (*backdesk.Assessment, error) {
			r, ok := results[id]
			if !ok {
				return nil, backdesk.Errorf(backdesk.CodeNotFound, "Assessment not found.")
			}
			return &backdesk.Assessment{ID: id, PatientID: owner[id], Result: r}, nil
		}},
		Locations: &mock.LocationStore{FindLocationsFn: func(ctx context.Context) ([]*backdesk.Location, error) {
			return []*backdesk.Location{{Country: country, Phone: "+44 117 496 0123"}}, nil
		}},
	}
	massage := &backdesk.Offering{Discipline: backdesk.DisciplineMassageTherapist}
	physio := &backdesk.Offering{Discipline: backdesk.DisciplinePhysiotherapist}
	patient := backdesk.Actor{UserID: 4, Role: backdesk.RolePatient, PatientID: 9}
	reception := backdesk.Actor{UserID: 1, Role: backdesk.RoleReception}
	anonymous := backdesk.Actor{}
	for _, tc := range []struct {
		name      string
		actor     backdesk.Actor
		patientID int64
		id        string
		o         *backdesk.Offering
		want      backdesk.Code
		says      []string // in the refusal
	}{
		{"no assessment", patient, 9, "", massage, "", nil},
		{"emergency, the patient books massage", patient, 9, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", massage, backdesk.CodeForbidden, []string{"emergency department", "call 999 (or 112)", "+44 117 496 0123"}},
		{"emergency, the patient books physiotherapy", patient, 9, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", physio, backdesk.CodeForbidden, []string{"call 999"}},
		{"emergency, someone signed out looks at a time", anonymous, 0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", massage, backdesk.CodeForbidden, []string{"call 999"}},
		{"emergency, reception books after talking to them", reception, 9, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", physio, "", nil},
		{"emergency in a US clinic", patient, 9, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7", physio, backdesk.CodeForbidden, []string{"call 911"}},
		{"urgent doctor", patient, 9, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2", physio, backdesk.CodeForbidden, []string{"doctor today or tomorrow", "NHS 111"}},
		{"massage suits, massage", patient, 9, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3", massage, "", nil},
		{"massage not safe, massage", patient, 9, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa4", massage, backdesk.CodeForbidden, []string{"massage is not safe"}},
		{"massage not safe, physiotherapy", patient, 9, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa4", physio, "", nil},
		{"the patient's own", patient, 9, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa5", massage, "", nil},
		{"another patient's", patient, 9, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa6", massage, backdesk.CodeInvalid, []string{"not found"}},
		{"another patient's, signed out", anonymous, 0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa6", massage, backdesk.CodeInvalid, []string{"not found"}},
		{"another patient's, reception", reception, 9, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa6", massage, backdesk.CodeInvalid, []string{"another patient"}},
		{"unknown", patient, 9, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", massage, backdesk.CodeInvalid, []string{"not found"}},
		{"not an id", patient, 9, "../etc", massage, backdesk.CodeInvalid, []string{"not found"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if strings.Contains(tc.name, "US") {
				country = "US"
				defer func() { country = "GB" }()
			}
			ctx := backdesk.NewContextWithActor(context.Background(), tc.actor)
			as, err := s.fromAssessment(ctx, tc.actor, tc.patientID, tc.id, tc.o)
			if got := backdesk.ErrorCode(err); got != tc.want {
				t.Fatalf("fromAssessment = %v, want code %q", err, tc.want)
			}
			for _, w := range tc.says {
				if !strings.Contains(backdesk.ErrorMessage(err), w) {
					t.Errorf("refusal %q does not say %q", backdesk.ErrorMessage(err), w)
				}
			}
			if err != nil && backdesk.ErrorField(err) != "assessment_id" {
				t.Errorf("refusal names field %q", backdesk.ErrorField(err))
			}
			if tc.want == "" && tc.id != "" && (as == nil || as.ID != tc.id) {
				t.Errorf("fromAssessment = %v, want the assessment", as)
			}
		})
	}
}
