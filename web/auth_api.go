package web

import (
	"net/http"

	"backdesk"
)

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
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
	return writeJSON(w, http.StatusOK, map[string]any{"user": u, "expires_at": sess.ExpiresAt})
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
