package web

import (
	"net/http"

	"backdesk"
)

func (s *Server) apiLocationList(w http.ResponseWriter, r *http.Request) error {
	ls, err := s.svcs.Locations.FindLocations(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"locations": listOf(ls)})
}

func (s *Server) apiLocationGet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	l, err := s.svcs.Locations.FindLocationByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}

func (s *Server) apiLocationCreate(w http.ResponseWriter, r *http.Request) error {
	var l backdesk.Location
	if err := decodeJSON(r, &l); err != nil {
		return err
	}
	if err := s.svcs.Locations.CreateLocation(r.Context(), &l); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, l)
}

func (s *Server) apiLocationUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var upd backdesk.LocationUpdate
	if err := decodeJSON(r, &upd); err != nil {
		return err
	}
	l, err := s.svcs.Locations.UpdateLocation(r.Context(), id, upd)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}
