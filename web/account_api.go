package web

import (
	"net/http"
	"strings"
	"time"

	"backdesk"
)

type registerRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
}

// registered is the answer to a registration, the same whether or not the
// email already had an account.
func registered(email string) string {
	return "Thank you. We have sent an email to " + strings.TrimSpace(email) + ": open the link in it to confirm the address, then sign in. " +
		"You can book once the address is confirmed. (If that address already has an account, the email says so.)"
}

// apiAuthRegister makes a patient account and emails its address a link to
// confirm it; it answers 202 the same whether or not the email already had
// an account, and signs nobody in.
func (s *Server) apiAuthRegister(w http.ResponseWriter, r *http.Request) error {
	var req registerRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.svcs.Users.Register(r.Context(), backdesk.NewUser{Email: req.Email, Name: req.Name, Password: req.Password}); err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, map[string]string{"status": registered(req.Email)})
}

type verifyRequest struct {
	Token string `json:"token"`
}

// apiVerifyEmail confirms an account's address with its link's token.
func (s *Server) apiVerifyEmail(w http.ResponseWriter, r *http.Request) error {
	var req verifyRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.svcs.Users.VerifyEmail(r.Context(), req.Token); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiResendVerification emails the signed-in account a new link.
func (s *Server) apiResendVerification(w http.ResponseWriter, r *http.Request) error {
	if err := s.svcs.Users.ResendVerification(r.Context()); err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, map[string]string{"status": "A new link to confirm your email address is on its way."})
}

type resetRequest struct {
	Email string `json:"email"`
}

// apiPasswordResetRequest always answers 202, whether or not the email has
// an account.
func (s *Server) apiPasswordResetRequest(w http.ResponseWriter, r *http.Request) error {
	var req resetRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.svcs.Users.RequestPasswordReset(r.Context(), req.Email); err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, map[string]string{"status": "If that email has an account, a reset link is on its way."})
}

type resetConfirm struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

func (s *Server) apiPasswordResetConfirm(w http.ResponseWriter, r *http.Request) error {
	var req resetConfirm
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.svcs.Users.ResetPassword(r.Context(), req.Token, req.Password); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiMeExport returns everything held about the signed-in user.
func (s *Server) apiMeExport(w http.ResponseWriter, r *http.Request) error {
	pd, err := s.svcs.Users.ExportPersonalData(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="backdesk-my-data.json"`)
	return writeJSON(w, http.StatusOK, pd)
}

type eraseRequest struct {
	Password string `json:"password"`
}

// apiMeErase erases the signed-in patient's account; the body confirms the
// password.
func (s *Server) apiMeErase(w http.ResponseWriter, r *http.Request) error {
	var req eraseRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.svcs.Users.EraseAccount(r.Context(), req.Password); err != nil {
		return err
	}
	s.clearSessionCookie(w, r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// auditFilter reads the audit filters from the query.
func auditFilter(r *http.Request, zone *time.Location) (backdesk.AuditFilter, error) {
	q := r.URL.Query()
	f := backdesk.AuditFilter{Action: backdesk.AuditAction(q.Get("action")), Person: q.Get("person")}
	var err error
	if f.PatientID, err = queryID(r, "patient"); err != nil {
		return f, err
	}
	if f.ActorUserID, err = queryID(r, "actor"); err != nil {
		return f, err
	}
	for _, x := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		v := q.Get(x.name)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			if d, derr := backdesk.ParseDate(v); derr == nil {
				t = d.Start(zone) // a day in the clinic's time zone
			} else {
				return f, backdesk.FieldError(x.name, "%s must be a date (2026-11-24) or an RFC 3339 time", x.name)
			}
		}
		*x.dst = t
	}
	f.Page, err = queryPage(r)
	return f, err
}

func (s *Server) apiAuditList(w http.ResponseWriter, r *http.Request) error {
	f, err := auditFilter(r, zoneOf(s.mainLocation(r.Context())))
	if err != nil {
		return err
	}
	entries, total, err := s.svcs.Audit.FindAuditEntries(r.Context(), f)
	if err != nil {
		return err
	}
	names, err := s.svcs.Audit.AuditNames(r.Context(), entries)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, auditAnswer{Entries: entries, Total: total, Names: names})
}

func (s *Server) apiOutboxList(w http.ResponseWriter, r *http.Request) error {
	msgs, total, err := s.svcs.Outbox.FindOutboxMessages(r.Context(), backdesk.Page{Limit: 200})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"messages": msgs, "total": total})
}

// endOldSession signs out a session the request already carries, so that
// signing in or registering always starts from a fresh token.
func (s *Server) endOldSession(r *http.Request) {
	if old, err := r.Cookie(SessionCookie); err == nil {
		s.svcs.Users.EndSession(r.Context(), old.Value)
	}
}

// auditAnswer is a page of the audit log with the names it mentions.
type auditAnswer struct {
	Entries []*backdesk.AuditEntry `json:"entries"`
	Total   int                    `json:"total"`
	Names   *backdesk.AuditNames   `json:"names"`
}
