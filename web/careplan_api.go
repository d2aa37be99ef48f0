package web

import (
	"bytes"
	"net/http"
	"strconv"

	"backdesk"
)

func (s *Server) apiCarePlanCreate(w http.ResponseWriter, r *http.Request) error {
	var d backdesk.CarePlanDraft
	if err := decodeJSON(r, &d); err != nil {
		return err
	}
	p, err := s.svcs.CarePlans.CreateCarePlan(r.Context(), d)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}

func (s *Server) apiCarePlanGet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.svcs.CarePlans.FindCarePlanByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// apiCarePlanUpdate answers PUT /api/v1/care-plans/{id}: the next version.
func (s *Server) apiCarePlanUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var d backdesk.CarePlanDraft
	if err := decodeJSON(r, &d); err != nil {
		return err
	}
	p, err := s.svcs.CarePlans.ChangeCarePlan(r.Context(), id, d)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

type planVersions struct {
	Versions []*backdesk.CarePlanVersion `json:"versions"`
}

func (s *Server) apiCarePlanVersions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	vs, err := s.svcs.CarePlans.FindCarePlanVersions(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, planVersions{Versions: vs})
}

// queryInt reads an optional whole number from the query (0 when absent).
func queryInt(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, backdesk.FieldError(name, "%s must be a whole number", name)
	}
	return n, nil
}

func (s *Server) apiCarePlanChanges(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	from, err := queryInt(r, "from")
	if err != nil {
		return err
	}
	to, err := queryInt(r, "to")
	if err != nil {
		return err
	}
	d, err := s.svcs.CarePlans.DiffCarePlan(r.Context(), id, from, to)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// apiCarePlanLog answers POST /api/v1/care-plans/{id}/adherence: "done".
func (s *Server) apiCarePlanLog(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req backdesk.ExerciseLogRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	l, err := s.svcs.CarePlans.LogExercise(r.Context(), id, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, l)
}

func (s *Server) apiCarePlanAdherence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	weeks, err := queryInt(r, "weeks")
	if err != nil {
		return err
	}
	if weeks == 0 {
		weeks = 8
	}
	a, err := s.svcs.CarePlans.Adherence(r.Context(), id, weeks)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}

func (s *Server) apiCarePlanBook(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req backdesk.PlanBookingRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	res, err := s.svcs.CarePlans.BookPlannedSessions(r.Context(), id, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

func (s *Server) apiPatientCarePlan(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.svcs.CarePlans.FindCarePlanForPatient(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiPatientAdherence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sum, err := s.svcs.CarePlans.AdherenceSummary(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, sum)
}

// apiCarePlanHandout answers GET /api/v1/care-plans/{id}/handout.pdf.
func (s *Server) apiCarePlanHandout(w http.ResponseWriter, r *http.Request) error {
	pdf, err := s.handoutPDF(r)
	if err != nil {
		return err
	}
	return servePDF(w, pdf, "home-exercises.pdf")
}

func servePDF(w http.ResponseWriter, pdf *bytes.Buffer, name string) error {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err := pdf.WriteTo(w)
	return err
}

func (s *Server) apiReminderGet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	st, err := s.svcs.Reminders.FindReminderSettings(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, st)
}

// reminderRequest is the body of PUT /api/v1/patients/{id}/reminders.
type reminderRequest struct {
	Daily           bool `json:"daily"`
	Hour            *int `json:"hour"`
	OutcomeRequests bool `json:"outcome_requests"`
}

func (s *Server) apiReminderUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req reminderRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	st := &backdesk.ReminderSettings{PatientID: id, Daily: req.Daily, Hour: backdesk.DefaultReminderHour, OutcomeRequests: req.OutcomeRequests}
	if req.Hour != nil {
		st.Hour = *req.Hour
	}
	if err := s.svcs.Reminders.UpdateReminderSettings(r.Context(), st); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, st)
}
