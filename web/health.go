package web

import (
	"context"
	"net/http"
	"time"

	"backdesk"
)

// healthz says the process is alive.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz says whether the database answers within two seconds.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.svcs.Ready(ctx); err != nil {
		s.log.Error("not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "unreachable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "database": "ok"})
}

func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) error {
	return backdesk.Errorf(backdesk.CodeNotFound, "No such endpoint: %s %s.", r.Method, r.URL.Path)
}

func (s *Server) pageNotFound(w http.ResponseWriter, r *http.Request) error {
	return backdesk.Errorf(backdesk.CodeNotFound, "There is no page at this address.")
}
