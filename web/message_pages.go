package web

import (
	"net/http"

	"backdesk"
)

type contactPage struct {
	Layout
	Locations []*backdesk.Location
	Form      messageRequest
	Err       *backdesk.Error
}

func (s *Server) contactView(r *http.Request) (contactPage, error) {
	ls, err := s.svcs.Locations.FindLocations(r.Context())
	return contactPage{Layout: s.layout(r, "Contact us"), Locations: ls}, err
}

func (s *Server) pageContact(w http.ResponseWriter, r *http.Request) error {
	page, err := s.contactView(r)
	if err != nil {
		return err
	}
	if a := backdesk.ActorFromContext(r.Context()); !a.Anonymous() {
		page.Form.Name = a.Name
		if u, err := s.svcs.Users.FindUserByID(r.Context(), a.UserID); err == nil {
			page.Form.Email = u.Email
		}
	}
	return s.render(w, r, http.StatusOK, "contact", page)
}

func (s *Server) pageContactSubmit(w http.ResponseWriter, r *http.Request) error {
	pf, err := parseForm(r)
	if err != nil {
		return err
	}
	f := messageRequest{Name: pf.Get("name"), Email: pf.Get("email"), Phone: pf.Get("phone"), Body: pf.Get("body")}
	m := &backdesk.ContactMessage{Name: f.Name, Email: f.Email, Phone: f.Phone, Body: f.Body}
	if err := s.svcs.Messages.CreateMessage(r.Context(), m); err != nil {
		page, perr := s.contactView(r)
		if perr != nil {
			return perr
		}
		page.Form = f
		return s.rerender(w, r, err, "contact", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	s.redirect(w, r, "/contact", "Thank you: your message has reached reception, and we will answer by email.")
	return nil
}

type messageListPage struct {
	Layout
	Messages   []*backdesk.ContactMessage
	Total      int
	Unanswered bool
}

func (s *Server) pageMessageList(w http.ResponseWriter, r *http.Request) error {
	unanswered := r.URL.Query().Get("all") == ""
	list, total, err := s.svcs.Messages.FindMessages(r.Context(), backdesk.MessageFilter{Unanswered: unanswered, Page: backdesk.Page{Limit: 200}})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "message_list", messageListPage{Layout: s.layout(r, "Messages"), Messages: list, Total: total, Unanswered: unanswered})
}

type messageViewPage struct {
	Layout
	Message *backdesk.ContactMessage
	Answer  string
	Err     *backdesk.Error
}

func (s *Server) pageMessageView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.svcs.Messages.FindMessageByID(r.Context(), id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "message_view", messageViewPage{Layout: s.layout(r, "Message from "+m.Name), Message: m})
}

func (s *Server) pageMessageAnswer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	answer := f.Get("answer")
	if _, err := s.svcs.Messages.AnswerMessage(r.Context(), id, answer); err != nil {
		if !formProblem(err) {
			return err
		}
		m, ferr := s.svcs.Messages.FindMessageByID(r.Context(), id)
		if ferr != nil {
			return ferr
		}
		return s.rerender(w, r, err, "message_view", func(e *backdesk.Error) any {
			return messageViewPage{Layout: s.layout(r, "Message from "+m.Name), Message: m, Answer: answer, Err: e}
		})
	}
	s.redirect(w, r, "/admin/messages", "Answered: the reply is on its way by email.")
	return nil
}
