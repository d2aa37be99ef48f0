package web

import (
	"net/http"

	"backdesk"
)

// Clinical note pages: one version of an appointment's note with all its
// versions beside it; the draft's form for its author, and the amendment
// form once it is signed.

type noteViewPage struct {
	Layout
	Catalogue
	Note     *backdesk.ClinicalNote
	Versions []*backdesk.ClinicalNote
	Booking  *backdesk.Booking
	Form     backdesk.NoteText // what the form shows (kept after a refusal)
	Reason   string
	Err      *backdesk.Error
}

func (s *Server) noteView(r *http.Request) (noteViewPage, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return noteViewPage{}, err
	}
	ctx := r.Context()
	n, err := s.svcs.Notes.FindNoteByID(ctx, id)
	if err != nil {
		return noteViewPage{}, err
	}
	versions, err := s.svcs.Notes.FindNotes(ctx, n.BookingID)
	if err != nil {
		return noteViewPage{}, err
	}
	c, err := s.loadCatalogue(ctx, false)
	if err != nil {
		return noteViewPage{}, err
	}
	page := noteViewPage{Layout: s.layout(r, "Clinical note"), Catalogue: c, Note: n, Versions: versions, Form: n.NoteText}
	page.NoIndex = true
	// The appointment, for those who may see it (a treating practitioner
	// who is not its own may read the note but not the diary entry).
	if b, err := s.svcs.Bookings.FindBookingByID(ctx, n.BookingID); err == nil {
		page.Booking = b
	}
	return page, nil
}

func (s *Server) pageNoteView(w http.ResponseWriter, r *http.Request) error {
	page, err := s.noteView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "note_view", page)
}

func noteForm(f *form) backdesk.NoteText {
	return backdesk.NoteText{Subjective: f.Get("subjective"), Objective: f.Get("objective"), Assessment: f.Get("assessment"), Plan: f.Get("plan")}
}

// pageNoteCreate starts the draft note of an appointment from its page.
func (s *Server) pageNoteCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	n, err := s.svcs.Notes.CreateNote(r.Context(), id, noteForm(f))
	if err != nil {
		if !formProblem(err) {
			return err
		}
		page, perr := s.appointmentView(r)
		if perr != nil {
			return perr
		}
		page.NoteForm = noteForm(f)
		return s.rerender(w, r, err, "appointment_view", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	s.redirect(w, r, "/notes/"+itoa64(n.ID), "Draft saved. Sign it when it is complete.")
	return nil
}

// noteRefused shows the note again with what was typed and the message.
func (s *Server) noteRefused(w http.ResponseWriter, r *http.Request, err error, f *form) error {
	if !formProblem(err) {
		return err
	}
	page, perr := s.noteView(r)
	if perr != nil {
		return perr
	}
	page.Form, page.Reason = noteForm(f), f.Get("reason")
	return s.rerender(w, r, err, "note_view", func(e *backdesk.Error) any { page.Err = e; return page })
}

// pageNoteUpdate saves a draft; with sign=1 it also signs it.
func (s *Server) pageNoteUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	if _, err := s.svcs.Notes.UpdateNote(r.Context(), id, noteForm(f)); err != nil {
		return s.noteRefused(w, r, err, f)
	}
	if f.Get("sign") != "" {
		if _, err := s.svcs.Notes.SignNote(r.Context(), id); err != nil {
			return s.noteRefused(w, r, err, f)
		}
		s.redirect(w, r, "/notes/"+itoa64(id), "Note saved and signed.")
		return nil
	}
	s.redirect(w, r, "/notes/"+itoa64(id), "Draft saved.")
	return nil
}

func (s *Server) pageNoteSign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	if _, err := s.svcs.Notes.SignNote(r.Context(), id); err != nil {
		return s.noteRefused(w, r, err, f)
	}
	s.redirect(w, r, "/notes/"+itoa64(id), "Note signed.")
	return nil
}

func (s *Server) pageNoteAmend(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	n, err := s.svcs.Notes.AmendNote(r.Context(), id, noteForm(f), f.Get("reason"))
	if err != nil {
		return s.noteRefused(w, r, err, f)
	}
	s.redirect(w, r, "/notes/"+itoa64(n.ID), "Amended: this is version "+itoa64(int64(n.Version))+".")
	return nil
}
