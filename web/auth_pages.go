package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"backdesk"
)

type loginPage struct {
	Layout
	Email string
	Next  string
	// Assessment is the anonymous self-assessment the person comes from,
	// kept on their account once they are signed in.
	Assessment string
	Err        *backdesk.Error
}

// Booking reports whether signing in finishes a booking (the page to go
// back to is its review).
func (p loginPage) Booking() bool { return strings.HasPrefix(p.Next, "/book/review") }

// Register is the registration page with the same way back.
func (p loginPage) Register() string { return authLink("/register", p.Next, p.Assessment) }

// authLink is a sign-in or registration page that goes back to next.
func authLink(page, next, assessment string) string {
	q := url.Values{}
	if next != "" && next != "/" {
		q.Set("next", next)
	}
	if assessment != "" {
		q.Set("assessment", assessment)
	}
	if len(q) == 0 {
		return page
	}
	return page + "?" + q.Encode()
}

func (s *Server) pageLogin(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	return s.render(w, r, http.StatusOK, "login", loginPage{Layout: s.layout(r, "Sign in"), Next: next,
		Assessment: assessmentOf(r.URL.Query().Get("assessment"), next)})
}

func (s *Server) pageLoginSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	email, next := f.Get("email"), safeNext(f.Get("next"))
	assessment := assessmentOf(f.Get("assessment"), next)
	s.endOldSession(r)
	sess, _, err := s.svcs.Users.Authenticate(r.Context(), email, f.Get("password"))
	if code := backdesk.ErrorCode(err); code == backdesk.CodeUnauthorized || code == backdesk.CodeRateLimited {
		status := http.StatusUnauthorized
		if code == backdesk.CodeRateLimited {
			status = http.StatusTooManyRequests
		}
		var e *backdesk.Error
		errors.As(err, &e)
		setRetryAfter(w, err)
		return s.render(w, r, status, "login", loginPage{Layout: s.layout(r, "Sign in"), Email: email, Next: next, Assessment: assessment, Err: e})
	} else if err != nil {
		return err
	}
	s.setSessionCookie(w, r, sess)
	s.claimFrom(r, sess, assessment)
	if next == "/" {
		// Nothing asked for another page: the one this person starts on
		// (the desk's diary, a practitioner's day).
		if a, err := s.svcs.Users.ActorForSession(r.Context(), sess.Token); err == nil {
			if start, err := s.svcs.Access.StartPage(backdesk.NewContextWithActor(r.Context(), a)); err == nil {
				next = start
			}
		}
	}
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
