package web

import (
	"net/http"
	"net/url"

	"backdesk"
)

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	// AssessmentID is an anonymous self-assessment to keep on the account
	// (whoever holds its id may).
	AssessmentID string `json:"assessment_id,omitempty"`
}

// apiAuthLogin signs in and sets a new session cookie (a fresh token at
// every sign-in, so a planted cookie is never promoted).
func (s *Server) apiAuthLogin(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	s.endOldSession(r)
	sess, u, err := s.svcs.Users.Authenticate(r.Context(), req.Email, req.Password)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, r, sess)
	s.claimFrom(r, sess, req.AssessmentID)
	return writeJSON(w, http.StatusOK, map[string]any{"user": u, "expires_at": sess.ExpiresAt})
}

// claimFrom keeps the anonymous self-assessment id on the account just
// signed in to or registered with sess, when the person came from it. The
// id is the credential; an id that is not an anonymous assessment is left
// alone (sign-in does not fail for it, nor say whether it exists).
func (s *Server) claimFrom(r *http.Request, sess *backdesk.Session, id string) {
	if id == "" {
		return
	}
	a, err := s.svcs.Users.ActorForSession(r.Context(), sess.Token)
	if err != nil {
		s.log.Error("claim assessment: session", "request_id", requestIDFrom(r.Context()), "err", err)
		return
	}
	a.Source = s.clientAddr(r)
	_, err = s.svcs.Assessments.ClaimAssessment(backdesk.NewContextWithActor(r.Context(), a), id)
	if backdesk.ErrorCode(err) == backdesk.CodeInternal {
		s.log.Error("claim assessment", "request_id", requestIDFrom(r.Context()), "err", err)
	}
}

// assessmentOf is the self-assessment a sign-in comes from: the form's
// "assessment", or the one the page to go back to carries.
func assessmentOf(field, next string) string {
	if field != "" {
		return field
	}
	if u, err := url.Parse(next); err == nil {
		return u.Query().Get("assessment")
	}
	return ""
}

func (s *Server) apiAuthLogout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := s.svcs.Users.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w, r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	a := backdesk.ActorFromContext(r.Context())
	if a.Anonymous() {
		return backdesk.Errorf(backdesk.CodeUnauthorized, "Please sign in.")
	}
	u, err := s.svcs.Users.FindUserByID(r.Context(), a.UserID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}
