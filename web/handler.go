package web

import (
	"net/http"

	"backdesk"
)

// handlerFunc is a handler that returns its failure instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// api adapts a JSON API handler: a returned error becomes the JSON error
// shape of spec/interfaces.md.
func (s *Server) api(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if err := h(w, r); err != nil {
			s.apiError(w, r, err)
		}
	})
}

// page adapts an HTML page handler: a returned error becomes an error page,
// or a redirect to sign in.
func (s *Server) page(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.pageError(w, r, err)
		}
	})
}

// requireSignIn sends anonymous visitors to sign in before h.
func (s *Server) requireSignIn(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if backdesk.ActorFromContext(r.Context()).Anonymous() {
			return backdesk.Errorf(backdesk.CodeUnauthorized, "Please sign in.")
		}
		return h(w, r)
	}
}

// precheck asks clinic whether the actor could be allowed op before h runs,
// so that a caller who may never do it is refused (401 or 403) before the
// request's body is read, whatever it holds. Every route whose handler
// reads a body with what to do names its operation in routes.go; the
// service that does it checks again, with the request in hand.
func (s *Server) precheck(op backdesk.Operation, h handlerFunc) handlerFunc {
	s.nextOp = op // the route being registered (routes.go) takes it: see Operations
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.svcs.Access.Precheck(r.Context(), op); err != nil {
			return err
		}
		return h(w, r)
	}
}
