package web

import (
	"net/http"

	"backdesk"
)

type tokenListPage struct {
	Layout
	Tokens []*backdesk.APIToken
	Roles  []backdesk.Role
	// New is the token just made, with its secret: shown on this page only.
	New  *backdesk.NewAPIToken
	Form tokenRequest
	Err  *backdesk.Error
}

func (s *Server) tokenPage(r *http.Request) (tokenListPage, error) {
	list, err := s.svcs.Tokens.FindAPITokens(r.Context())
	if err != nil {
		return tokenListPage{}, err
	}
	return tokenListPage{Layout: s.layout(r, "API tokens"), Tokens: list, Roles: backdesk.TokenRoles, Form: tokenRequest{TokenRole: backdesk.TokenRoles[0]}}, nil
}

// pageTokenList is the admin's list of integrations' API tokens, with the
// form that makes one.
func (s *Server) pageTokenList(w http.ResponseWriter, r *http.Request) error {
	page, err := s.tokenPage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "token_list", page)
}

// pageTokenCreate makes a token and shows its secret, this once (the page
// is not a redirect: the secret is in this answer and nowhere else).
func (s *Server) pageTokenCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	req := tokenRequest{Name: f.Get("name"), TokenRole: backdesk.Role(f.Get("role"))}
	t, err := s.svcs.Tokens.CreateAPIToken(r.Context(), req.Name, req.TokenRole)
	page, perr := s.tokenPage(r)
	if perr != nil {
		return perr
	}
	if err != nil {
		return s.rerender(w, r, err, "token_list", func(e *backdesk.Error) any {
			page.Form, page.Err = req, e
			return page
		})
	}
	page.New = t
	return s.render(w, r, http.StatusOK, "token_list", page)
}

// pageTokenRevoke switches a token off.
func (s *Server) pageTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svcs.Tokens.RevokeAPIToken(r.Context(), id); err != nil {
		return err
	}
	s.redirect(w, r, "/admin/tokens", "Token revoked: requests that carry it are refused from now on.")
	return nil
}
