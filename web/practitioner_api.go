package web

import (
	"net/http"

	"backdesk"
)

func (s *Server) apiPractitionerList(w http.ResponseWriter, r *http.Request) error {
	f := backdesk.PractitionerFilter{Discipline: backdesk.Discipline(r.URL.Query().Get("discipline")), ActiveOnly: r.URL.Query().Get("all") != "true"}
	if f.Discipline != "" && !f.Discipline.Valid() {
		return backdesk.FieldError("discipline", "discipline must be one of physiotherapist, sports_therapist, massage_therapist")
	}
	var err error
	if f.ServiceID, err = queryID(r, "service"); err != nil {
		return err
	}
	if f.LocationID, err = queryID(r, "location"); err != nil {
		return err
	}
	ps, err := s.svcs.Practitioners.FindPractitioners(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"practitioners": listOf(ps)})
}

func (s *Server) apiPractitionerGet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.svcs.Practitioners.FindPractitionerByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiPractitionerCreate(w http.ResponseWriter, r *http.Request) error {
	var p backdesk.Practitioner
	if err := decodeJSON(r, &p); err != nil {
		return err
	}
	if err := s.svcs.Practitioners.CreatePractitioner(r.Context(), &p); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}

func (s *Server) apiPractitionerUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var upd backdesk.PractitionerUpdate
	if err := decodeJSON(r, &upd); err != nil {
		return err
	}
	p, err := s.svcs.Practitioners.UpdatePractitioner(r.Context(), id, upd)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}
