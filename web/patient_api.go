package web

import (
	"net/http"

	"backdesk"
)

func (s *Server) apiPatientList(w http.ResponseWriter, r *http.Request) error {
	page, err := queryPage(r)
	if err != nil {
		return err
	}
	list, total, err := s.svcs.Patients.FindPatients(r.Context(), backdesk.PatientFilter{Query: r.URL.Query().Get("q"), Page: page})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"patients": list, "total": total})
}

// patientRequest is what a client may set on a new patient record.
type patientRequest struct {
	Name        string `json:"name"`
	Email       string `json:"email"`
	Phone       string `json:"phone"`
	DateOfBirth string `json:"date_of_birth"`
}

func (s *Server) apiPatientCreate(w http.ResponseWriter, r *http.Request) error {
	var req patientRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	p := backdesk.Patient{Name: req.Name, Email: req.Email, Phone: req.Phone, DateOfBirth: req.DateOfBirth}
	if err := s.svcs.Patients.CreatePatient(r.Context(), &p); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/patients/"+itoa64(p.ID))
	return writeJSON(w, http.StatusCreated, p)
}

func (s *Server) apiPatientGet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.svcs.Patients.FindPatientByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiPatientErase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svcs.Patients.ErasePatient(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiPatientUpdate changes a patient's details: the patient their own,
// reception and admin anyone's; the old values are kept in the record's
// history.
func (s *Server) apiPatientUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var upd backdesk.PatientUpdate
	if err := decodeJSON(r, &upd); err != nil {
		return err
	}
	p, err := s.svcs.Patients.UpdatePatient(r.Context(), id, upd)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// mergeRequest names the duplicate to merge into a record.
type mergeRequest struct {
	DuplicateID int64 `json:"duplicate_id,string"`
}

// apiPatientMerge merges the duplicate into the record {id}.
func (s *Server) apiPatientMerge(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req mergeRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.DuplicateID == 0 {
		return backdesk.FieldError("duplicate_id", "duplicate_id is required: the number of the record to merge in")
	}
	m, err := s.svcs.Patients.MergePatients(r.Context(), id, req.DuplicateID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}

// apiPatientMergeUndo undoes merge {id}.
func (s *Server) apiPatientMergeUndo(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.svcs.Patients.UndoPatientMerge(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}
