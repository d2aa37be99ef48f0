package web

import (
	"net/http"

	"backdesk"
)

type adminPage struct {
	Layout
	Catalogue
}

// pageAdmin is the Catalogue overview for admins, with links to edit.
func (s *Server) pageAdmin(w http.ResponseWriter, r *http.Request) error {
	if err := s.svcs.Access.Authorize(r.Context(), backdesk.PermEditCatalogue); err != nil {
		return err
	}
	c, err := s.loadCatalogue(r.Context(), false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin", adminPage{Layout: s.layout(r, "Clinic administration"), Catalogue: c})
}
