package web

import (
	"net/http"

	"backdesk"
)

type outcomesAnswer struct {
	Outcomes []*backdesk.Outcome `json:"outcomes"`
}

// apiOutcomeRecord answers POST /api/v1/patients/{id}/outcomes.
func (s *Server) apiOutcomeRecord(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var rep backdesk.OutcomeReport
	if err := decodeJSON(r, &rep); err != nil {
		return err
	}
	list, err := s.svcs.Outcomes.RecordOutcomes(r.Context(), id, rep)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, outcomesAnswer{Outcomes: list})
}

// apiOutcomeList answers GET /api/v1/patients/{id}/outcomes: the scores and
// the series.
func (s *Server) apiOutcomeList(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	h, err := s.svcs.Outcomes.FindOutcomes(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, h)
}
