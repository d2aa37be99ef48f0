package web

import (
	"net/http"

	"backdesk"
)

type messageRequest struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
	Body  string `json:"body"`
}

func (s *Server) apiMessageCreate(w http.ResponseWriter, r *http.Request) error {
	var req messageRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	m := &backdesk.ContactMessage{Name: req.Name, Email: req.Email, Phone: req.Phone, Body: req.Body}
	if err := s.svcs.Messages.CreateMessage(r.Context(), m); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"id": itoa64(m.ID), "created_at": m.CreatedAt})
}

func (s *Server) apiMessageList(w http.ResponseWriter, r *http.Request) error {
	list, total, err := s.svcs.Messages.FindMessages(r.Context(), backdesk.MessageFilter{Unanswered: r.URL.Query().Get("unanswered") == "true", Page: backdesk.Page{Limit: 200}})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"messages": list, "total": total})
}

type answerRequest struct {
	Answer string `json:"answer"`
}

func (s *Server) apiMessageAnswer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req answerRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	m, err := s.svcs.Messages.AnswerMessage(r.Context(), id, req.Answer)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}
