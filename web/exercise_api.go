package web

import (
	"net/http"

	"backdesk"
)

// apiExerciseList answers GET /api/v1/exercises: the shipped library and
// the clinic's own exercises.
func (s *Server) apiExerciseList(w http.ResponseWriter, r *http.Request) error {
	lib, err := s.svcs.Exercises.FindExercises(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, lib)
}

func (s *Server) apiExerciseGet(w http.ResponseWriter, r *http.Request) error {
	e, err := s.svcs.Exercises.FindExerciseByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}

func (s *Server) apiExerciseCreate(w http.ResponseWriter, r *http.Request) error {
	var e backdesk.Exercise
	if err := decodeJSON(r, &e); err != nil {
		return err
	}
	if err := s.svcs.Exercises.CreateExercise(r.Context(), &e); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, e)
}

func (s *Server) apiExerciseUpdate(w http.ResponseWriter, r *http.Request) error {
	var e backdesk.Exercise
	if err := decodeJSON(r, &e); err != nil {
		return err
	}
	if err := s.svcs.Exercises.UpdateExercise(r.Context(), r.PathValue("id"), &e); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}
