package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"backdesk"
)

// statusOf maps an error code to its HTTP status (spec/interfaces.md).
func statusOf(code backdesk.Code) int {
	switch code {
	case backdesk.CodeInvalid:
		return http.StatusBadRequest
	case backdesk.CodeUnauthorized:
		return http.StatusUnauthorized
	case backdesk.CodeForbidden:
		return http.StatusForbidden
	case backdesk.CodeNotFound:
		return http.StatusNotFound
	case backdesk.CodeConflict:
		return http.StatusConflict
	case backdesk.CodeRateLimited:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

type apiErrorBody struct {
	Error apiErrorDetail `json:"error"`
}

type apiErrorDetail struct {
	Code    backdesk.Code `json:"code"`
	Message string        `json:"message"`
	Field   string        `json:"field,omitempty"`
}

// apiError writes err as {"error": {...}}; internal errors are logged with
// their cause and shown only as "Internal error.".
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	code := backdesk.ErrorCode(err)
	s.logError(r, code, err)
	setRetryAfter(w, err)
	writeJSON(w, statusOf(code), apiErrorBody{Error: apiErrorDetail{Code: code, Message: backdesk.ErrorMessage(err), Field: backdesk.ErrorField(err)}})
}

// pageError renders an error page, or sends an anonymous visitor to sign in.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	code := backdesk.ErrorCode(err)
	if code == backdesk.CodeUnauthorized {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.logError(r, code, err)
	setRetryAfter(w, err)
	status := statusOf(code)
	s.render(w, r, status, "error", errorPage{Layout: s.layout(r, "Something went wrong"), Status: status, Code: code, Message: backdesk.ErrorMessage(err)})
}

func (s *Server) logError(r *http.Request, code backdesk.Code, err error) {
	switch {
	case errors.Is(err, context.Canceled):
		// The client went away; nothing to fix.
	case code == backdesk.CodeForbidden:
		s.log.Info("forbidden", "request_id", requestIDFrom(r.Context()), "path", r.URL.Path, "err", err)
	case code == backdesk.CodeInternal:
		s.log.Error("internal error", "request_id", requestIDFrom(r.Context()), "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

type errorPage struct {
	Layout
	Status  int
	Code    backdesk.Code
	Message string
}

// crossOriginDenied answers a request refused by CrossOriginProtection.
func (s *Server) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	err := backdesk.Errorf(backdesk.CodeForbidden, "Cross-origin request refused.")
	if isFHIR(r) {
		s.fhirError(w, r, err)
		return
	}
	if isAPI(r) {
		s.apiError(w, r, err)
		return
	}
	s.pageError(w, r, err)
}

func isAPI(r *http.Request) bool {
	return len(r.URL.Path) >= 5 && r.URL.Path[:5] == "/api/" || isFHIR(r)
}

// isFHIR reports whether r is for the FHIR facade, whose errors are
// OperationOutcomes.
func isFHIR(r *http.Request) bool {
	return r.URL.Path == "/fhir" || strings.HasPrefix(r.URL.Path, "/fhir/")
}

// setRetryAfter tells a rate-limited client when to come back, in seconds.
func setRetryAfter(w http.ResponseWriter, err error) {
	if d := backdesk.ErrorRetryAfter(err); d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((d+time.Second-1)/time.Second)))
	}
}
