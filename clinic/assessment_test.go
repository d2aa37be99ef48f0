package clinic_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"backdesk"
	"backdesk/clinic"
	"backdesk/mock"
	"backdesk/triage"
)

func newAssessments(t *testing.T, store *mock.AssessmentStore, country string) *clinic.AssessmentService {
	t.Helper()
	locs := &mock.LocationStore{FindLocationsFn: func(context.Context) ([]*backdesk.Location, error) {
		if country == "" {
			return nil, nil
		}
		return []*backdesk.Location{{Country: country}}, nil
	}}
	s, err := clinic.NewAssessmentService(store, &mock.AuditWriter{}, locs, triage.V1, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func as(role backdesk.Role, patientID int64) context.Context {
	return backdesk.NewContextWithActor(context.Background(), backdesk.Actor{UserID: 9, Role: role, PatientID: patientID})
}

const redFlag = `{"age":40,"duration_weeks":1,"episode":"first","pain_now":5,"red_flags":{"leg_weakness":true}}`

func TestCreateAssessment(t *testing.T) {
	var stored []*backdesk.Assessment
	store := &mock.AssessmentStore{InsertAssessmentFn: func(_ context.Context, a *backdesk.Assessment, _ *backdesk.AuditEntry) error {
		stored = append(stored, a)
		return nil
	}}
	s := newAssessments(t, store, "CA")

	a, err := s.CreateAssessment(as(backdesk.RolePatient, 42), json.RawMessage(redFlag))
	if err != nil {
		t.Fatal(err)
	}
	if a.PatientID != 42 || len(a.ID) != 32 || !strings.Contains(a.Result.Headline, "911") {
		t.Errorf("patient assessment = id %q patient %d headline %q", a.ID, a.PatientID, a.Result.Headline)
	}
	b, err := s.CreateAssessment(context.Background(), json.RawMessage(redFlag))
	if err != nil {
		t.Fatal(err)
	}
	if b.PatientID != 0 || b.ID == a.ID {
		t.Errorf("anonymous assessment = %+v", b)
	}
	// Staff filling it in do not file it on their own (non-existent) record.
	c, _ := s.CreateAssessment(as(backdesk.RoleReception, 0), json.RawMessage(redFlag))
	if c.PatientID != 0 {
		t.Errorf("reception's assessment filed on patient %d", c.PatientID)
	}
	// The canonical answers are stored, and decode back to the same result.
	again, err := triage.DecodeAnswers(a.Answers)
	if err != nil || triage.Evaluate(triage.V1, again, "CA").Disposition != a.Result.Disposition {
		t.Errorf("stored answers %s do not reproduce the result: %v", a.Answers, err)
	}

	n := len(stored)
	_, err = s.CreateAssessment(context.Background(), json.RawMessage(`{"age":40}`))
	if backdesk.ErrorCode(err) != backdesk.CodeInvalid || len(stored) != n {
		t.Errorf("invalid answers: %v, stored %d more", err, len(stored)-n)
	}
}

func TestAssessmentIDsAreRandom(t *testing.T) {
	seen := map[string]bool{}
	store := &mock.AssessmentStore{InsertAssessmentFn: func(context.Context, *backdesk.Assessment, *backdesk.AuditEntry) error { return nil }}
	s := newAssessments(t, store, "")
	for range 1000 {
		a, err := s.CreateAssessment(context.Background(), json.RawMessage(redFlag))
		if err != nil {
			t.Fatal(err)
		}
		if seen[a.ID] || len(a.ID) != 32 {
			t.Fatalf("id %q repeated or not 128 bits", a.ID)
		}
		seen[a.ID] = true
	}
}

func TestFindAssessmentAccess(t *testing.T) {
	const owned, anon = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	store := &mock.AssessmentStore{FindAssessmentByIDFn: func(_ context.Context, id string) (*backdesk.Assessment, error) {
		switch id {
		case owned:
			return &backdesk.Assessment{ID: id, PatientID: 42}, nil
		case anon:
			return &backdesk.Assessment{ID: id}, nil
		}
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Assessment not found.")
	}}
	s := newAssessments(t, store, "GB")
	s.Care = treatsFunc(func(p, patient int64) bool { return p == 5 && patient == 42 })
	for _, tc := range []struct {
		name string
		ctx  context.Context
		id   string
		want backdesk.Code
	}{
		{"owner", as(backdesk.RolePatient, 42), owned, ""},
		{"other patient", as(backdesk.RolePatient, 43), owned, backdesk.CodeNotFound},
		{"anonymous holder of the id of a patient's", context.Background(), owned, backdesk.CodeNotFound},
		{"reception", as(backdesk.RoleReception, 0), owned, ""},
		{"practitioner who does not treat them", as(backdesk.RolePractitioner, 0), owned, backdesk.CodeNotFound},
		{"practitioner who treats them", backdesk.NewContextWithActor(context.Background(), backdesk.Actor{UserID: 3, Role: backdesk.RolePractitioner, PractitionerID: 5}), owned, ""},
		{"admin", as(backdesk.RoleAdmin, 0), owned, ""},
		{"anonymous one, by id", context.Background(), anon, ""},
		{"anonymous one, any patient", as(backdesk.RolePatient, 43), anon, ""},
		{"unknown", context.Background(), "cccccccccccccccccccccccccccccccc", backdesk.CodeNotFound},
		{"malformed id never reaches the store", context.Background(), "'; DROP TABLE assessments; --", backdesk.CodeNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.FindAssessmentByID(tc.ctx, tc.id)
			if got := backdesk.ErrorCode(err); got != tc.want {
				t.Errorf("FindAssessmentByID = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestFindAssessmentsScope: a list holds what the caller may see, whatever
// the filter asks: a patient's own, a named patient only when the caller
// may see them (not found otherwise), everyone's for the desk and a
// read-only token, nothing for nobody signed in.
func TestFindAssessmentsScope(t *testing.T) {
	var got backdesk.AssessmentFilter
	store := &mock.AssessmentStore{FindAssessmentsFn: func(_ context.Context, f backdesk.AssessmentFilter) ([]*backdesk.Assessment, int, error) {
		got = f
		return []*backdesk.Assessment{{ID: "x", PatientID: f.PatientID}}, 1, nil
	}}
	s := newAssessments(t, store, "GB")
	for _, tc := range []struct {
		name     string
		ctx      context.Context
		patient  int64
		want     backdesk.Code
		wantIDs  []int64
		wantName int64
	}{
		{"own, named", as(backdesk.RolePatient, 42), 42, "", nil, 42},
		{"own, unnamed", as(backdesk.RolePatient, 42), 0, "", []int64{42}, 0},
		{"another patient's", as(backdesk.RolePatient, 42), 43, backdesk.CodeNotFound, nil, 0},
		{"anonymous", context.Background(), 42, backdesk.CodeUnauthorized, nil, 0},
		{"reception, named", as(backdesk.RoleReception, 0), 42, "", nil, 42},
		{"reception, everyone's", as(backdesk.RoleReception, 0), 0, "", nil, 0},
		{"read-only token, everyone's", as(backdesk.RoleReadOnly, 0), 0, "", nil, 0},
		{"practitioner who treats nobody listable", as(backdesk.RolePractitioner, 0), 0, "", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got = backdesk.AssessmentFilter{PatientID: -1}
			_, _, err := s.FindAssessments(tc.ctx, backdesk.AssessmentFilter{PatientID: tc.patient})
			if code := backdesk.ErrorCode(err); code != tc.want {
				t.Fatalf("FindAssessments = %v, want %q", err, tc.want)
			}
			if err != nil || tc.name == "practitioner who treats nobody listable" {
				if got.PatientID != -1 {
					t.Errorf("the store was asked %+v", got)
				}
				return
			}
			if got.PatientID != tc.wantName || !slices.Equal(got.PatientIDs, tc.wantIDs) {
				t.Errorf("store filter = %+v, want patient %d, ids %v", got, tc.wantName, tc.wantIDs)
			}
		})
	}
}

// treatsFunc is a care relationship given by a function.
type treatsFunc func(practitionerID, patientID int64) bool

func (f treatsFunc) PractitionerTreats(_ context.Context, practitionerID, patientID int64) (bool, error) {
	return f(practitionerID, patientID), nil
}
