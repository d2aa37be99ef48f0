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
	case backdesk.CodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// statusFor is err's HTTP status: its code's, except where HTTP has a more
// exact answer for one refusal: 415 for a body that is not JSON (or, on
// /fhir, not FHIR JSON or not the form of a POST _search), and 422
// for an Idempotency-Key reused with another request (the IETF
// Idempotency-Key draft).
func statusFor(err error) int {
	switch {
	case errors.Is(err, errNotJSON), errors.Is(err, errNotFHIRJSON), errors.Is(err, errNotForm):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, backdesk.ErrIdempotencyKeyReused):
		return http.StatusUnprocessableEntity
	}
	return statusOf(backdesk.ErrorCode(err))
}

type apiErrorBody struct {
	Error apiErrorDetail `json:"error"`
}

type apiErrorDetail struct {
	Code    backdesk.Code `json:"code"`
	Message string        `json:"message"`
	Field   string        `json:"field,omitempty"`
	// Fields is every field at fault with its problem, when more than one.
	Fields map[string]string `json:"fields,omitempty"`
}

// recordsDown is the answer while the database does not answer: 503, to
// try again, and to someone signed in that they still are.
func recordsDown(r *http.Request, cause error) error {
	msg := "We cannot reach the clinic's records just now. Please try again in a moment."
	if !backdesk.ActorFromContext(r.Context()).Anonymous() || hasSessionCookie(r) {
		msg = "We cannot reach the clinic's records just now. You are still signed in: please try again in a moment."
	}
	return &backdesk.Error{Code: backdesk.CodeUnavailable, RetryAfter: 5 * time.Second, Message: msg, Err: cause}
}

func hasSessionCookie(r *http.Request) bool {
	c, err := r.Cookie(SessionCookie)
	return err == nil && c.Value != ""
}

// unavailable turns an internal error into recordsDown when the database
// does not answer (Services.Ready): the request failed because the
// clinic's records cannot be reached, not because something is broken.
func (s *Server) unavailable(r *http.Request, err error) error {
	if backdesk.ErrorCode(err) != backdesk.CodeInternal || s.svcs.Ready == nil || errors.Is(err, context.Canceled) {
		return err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), time.Second)
	defer cancel()
	if s.svcs.Ready(ctx) == nil {
		return err
	}
	return recordsDown(r, err)
}

// apiError writes err as {"error": {...}}; internal errors are logged with
// their cause and shown only as "Internal error.".
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	err = s.unavailable(r, err)
	code := backdesk.ErrorCode(err)
	s.logError(r, code, err)
	setRetryAfter(w, err)
	detail := apiErrorDetail{Code: code, Message: backdesk.ErrorMessage(err), Field: backdesk.ErrorField(err)}
	var e *backdesk.Error
	if errors.As(err, &e) && len(e.Fields) > 1 {
		detail.Fields = e.Fields
	}
	writeJSON(w, statusFor(err), apiErrorBody{Error: detail})
}

// pageError renders an error page, or sends an anonymous visitor to sign in.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	err = s.unavailable(r, err)
	code := backdesk.ErrorCode(err)
	if code == backdesk.CodeUnauthorized {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.logError(r, code, err)
	setRetryAfter(w, err)
	status := statusFor(err)
	s.render(w, r, status, "error", errorPage{Layout: s.layout(r, "Something went wrong"), Status: status, Code: code, Message: backdesk.ErrorMessage(err)})
}

func (s *Server) logError(r *http.Request, code backdesk.Code, err error) {
	switch {
	case errors.Is(err, context.Canceled):
		// The client went away; nothing to fix.
	case code == backdesk.CodeForbidden:
		s.log.Info("forbidden", "request_id", requestIDFrom(r.Context()), "path", r.URL.Path, "err", err)
	case code == backdesk.CodeInternal, code == backdesk.CodeUnavailable:
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
	s.refuse(w, r, backdesk.Errorf(backdesk.CodeForbidden, "Cross-origin request refused."))
}

// refuse answers err in the shape the request's path expects: an
// OperationOutcome on /fhir, the JSON error on /api, a page elsewhere. It
// is for the middleware, which answers before any handler runs.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case isFHIR(r):
		s.fhirError(w, r, err)
	case isAPI(r):
		s.apiError(w, r, err)
	default:
		s.pageError(w, r, err)
	}
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
