package web

import (
	"net/http"

	"backdesk"
)

func (s *Server) apiOfferingList(w http.ResponseWriter, r *http.Request) error {
	f := backdesk.OfferingFilter{Discipline: backdesk.Discipline(r.URL.Query().Get("discipline")), ActiveOnly: r.URL.Query().Get("all") != "true"}
	if f.Discipline != "" && !f.Discipline.Valid() {
		return backdesk.FieldError("discipline", "discipline must be one of physiotherapist, sports_therapist, massage_therapist")
	}
	list, err := s.svcs.Offerings.FindOfferings(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"services": listOf(list)})
}

func (s *Server) apiOfferingGet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.svcs.Offerings.FindOfferingByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

func (s *Server) apiOfferingCreate(w http.ResponseWriter, r *http.Request) error {
	var o backdesk.Offering
	if err := decodeJSON(r, &o); err != nil {
		return err
	}
	if err := s.svcs.Offerings.CreateOffering(r.Context(), &o); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, o)
}

func (s *Server) apiOfferingUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var upd backdesk.OfferingUpdate
	if err := decodeJSON(r, &upd); err != nil {
		return err
	}
	o, err := s.svcs.Offerings.UpdateOffering(r.Context(), id, upd)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}
