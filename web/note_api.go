package web

import (
	"net/http"

	"backdesk"
)

func (s *Server) apiNoteCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var text backdesk.NoteText
	if err := decodeJSON(r, &text); err != nil {
		return err
	}
	n, err := s.svcs.Notes.CreateNote(r.Context(), id, text)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/notes/"+itoa64(n.ID))
	return writeJSON(w, http.StatusCreated, n)
}

func (s *Server) apiNoteList(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.svcs.Notes.FindNotes(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"notes": listOf(list)})
}

func (s *Server) apiNoteGet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.svcs.Notes.FindNoteByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, n)
}

func (s *Server) apiNoteUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	// A PATCH changes the sections it names: the body is read over the
	// note's text as it is, so a section left out stays as it was.
	cur, err := s.svcs.Notes.FindNoteByID(r.Context(), id)
	if err != nil {
		return err
	}
	text := cur.NoteText
	if err := decodeJSON(r, &text); err != nil {
		return err
	}
	n, err := s.svcs.Notes.UpdateNote(r.Context(), id, text)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, n)
}

func (s *Server) apiNoteSign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.svcs.Notes.SignNote(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, n)
}

// amendRequest is the new text of a signed note and why it changes.
type amendRequest struct {
	backdesk.NoteText
	Reason string `json:"reason"`
}

func (s *Server) apiNoteAmend(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	// A section the amendment leaves out is the amended version's.
	cur, err := s.svcs.Notes.FindNoteByID(r.Context(), id)
	if err != nil {
		return err
	}
	req := amendRequest{NoteText: cur.NoteText}
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	n, err := s.svcs.Notes.AmendNote(r.Context(), id, req.NoteText, req.Reason)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/notes/"+itoa64(n.ID))
	return writeJSON(w, http.StatusCreated, n)
}
