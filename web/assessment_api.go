package web

import (
	"encoding/json"
	"net/http"
	"time"

	"backdesk"
)

func (s *Server) apiQuestionnaire(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.svcs.Assessments.Questionnaire(r.Context()))
}

func (s *Server) apiRulebook(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.svcs.Assessments.Rulebook(r.Context()))
}

type assessmentRequest struct {
	Answers json.RawMessage `json:"answers"`
}

type assessmentResponse struct {
	ID        string                    `json:"id"`
	CreatedAt *time.Time                `json:"created_at,omitempty"`
	Answers   json.RawMessage           `json:"answers,omitempty"`
	Result    backdesk.AssessmentResult `json:"result"`
}

func (s *Server) apiAssessmentCreate(w http.ResponseWriter, r *http.Request) error {
	var req assessmentRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if len(req.Answers) == 0 {
		return backdesk.FieldError("answers", "answers is required: send {\"answers\": {…}}")
	}
	a, err := s.svcs.Assessments.CreateAssessment(r.Context(), req.Answers)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/assessments/"+a.ID)
	return writeJSON(w, http.StatusCreated, assessmentResponse{ID: a.ID, Result: a.Result})
}

func (s *Server) apiAssessmentGet(w http.ResponseWriter, r *http.Request) error {
	a, err := s.svcs.Assessments.FindAssessmentByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, assessmentResponse{ID: a.ID, CreatedAt: &a.CreatedAt, Answers: a.Answers, Result: a.Result})
}
