package web

import (
	"net/http"

	"backdesk"
)

// tokenRequest is a new API token: the integration's name and its role.
type tokenRequest struct {
	Name      string        `json:"name"`
	TokenRole backdesk.Role `json:"role"`
}

// apiTokenCreate makes a token; the secret is in this answer only.
func (s *Server) apiTokenCreate(w http.ResponseWriter, r *http.Request) error {
	var req tokenRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	t, err := s.svcs.Tokens.CreateAPIToken(r.Context(), req.Name, req.TokenRole)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, t)
}

func (s *Server) apiTokenList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svcs.Tokens.FindAPITokens(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"tokens": list})
}

func (s *Server) apiTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svcs.Tokens.RevokeAPIToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
