package web

import (
	"net/http"

	"backdesk"
)

type loginPage struct {
	Layout
	Email string
	Next  string
	Err   *backdesk.Error
}

func (s *Server) pageLogin(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "login", loginPage{Layout: s.layout(r, "Sign in"), Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) pageLoginSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	email, next := f.Get("email"), safeNext(f.Get("next"))
	s.endOldSession(r)
	sess, _, err := s.svcs.Users.Authenticate(r.Context(), email, f.Get("password"))
	if code := backdesk.ErrorCode(err); code == backdesk.CodeUnauthorized || code == backdesk.CodeRateLimited {
		status := http.StatusUnauthorized
		if code == backdesk.CodeRateLimited {
			status = http.StatusTooManyRequests
		}
		e := err.(*backdesk.Error)
		setRetryAfter(w, err)
		return s.render(w, r, status, "login", loginPage{Layout: s.layout(r, "Sign in"), Email: email, Next: next, Err: e})
	} else if err != nil {
		return err
	}
	s.setSessionCookie(w, r, sess)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) pageLogout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := s.svcs.Users.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
