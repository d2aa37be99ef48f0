package backdesk

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// Code is the category of an error a user can see. The categories and their
// spelling are fixed by spec/interfaces.md.
type Code string

const (
	CodeInvalid      Code = "invalid"      // 400; 422 when re-rendering a form
	CodeUnauthorized Code = "unauthorized" // 401: not signed in
	CodeForbidden    Code = "forbidden"    // 403
	CodeNotFound     Code = "not_found"    // 404, also "exists but you may not see it"
	CodeConflict     Code = "conflict"     // 409: slot taken, duplicate
	CodeRateLimited  Code = "rate_limited" // 429, with Retry-After
	CodeUnavailable  Code = "unavailable"  // 503: something it needs (the database) does not answer; try again
	CodeInternal     Code = "internal"     // 500: default for anything unclassified
)

// Error is a failure that can be shown to a patient or clinician. Message is
// safe to show; Err is the cause, for logs only.
type Error struct {
	Code    Code
	Message string
	// Field names the input at fault, as the client spelled it ("pain_now",
	// "red_flags.fever"), when there is one.
	Field string
	// Fields holds per-field problems for forms.
	Fields map[string]string
	// RetryAfter is how long to wait before trying again (CodeRateLimited).
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns a CodeInvalid error naming one input field.
func FieldError(field, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: CodeInvalid, Message: msg, Field: field, Fields: map[string]string{field: msg}}
}

// ErrorCode returns the code of err: "" for nil, CodeInternal for anything
// that is not an *Error.
func ErrorCode(err error) Code {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the safe message of err; anything that is not an
// *Error gives "Internal error." so that no cause leaks.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorField returns the field named by err, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ErrorRetryAfter returns how long err asks the caller to wait, if at all.
func ErrorRetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// Problems collects what is wrong with the fields of one input (a form, a
// request body): the first problem of each field, in the order found, so
// that all of them are reported at once.
type Problems struct {
	fields map[string]string
	order  []string
}

// Add records a problem of field, unless it already has one.
func (p *Problems) Add(field, format string, args ...any) {
	if p.fields == nil {
		p.fields = map[string]string{}
	}
	if _, ok := p.fields[field]; !ok {
		p.fields[field] = fmt.Sprintf(format, args...)
		p.order = append(p.order, field)
	}
}

// AddError records the field problems of err (a CodeInvalid *Error); it
// reports false for any other error, which it does not record.
func (p *Problems) AddError(err error) bool {
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeInvalid {
		return false
	}
	if e.Field != "" {
		if msg, ok := e.Fields[e.Field]; ok {
			p.Add(e.Field, "%s", msg)
		} else {
			p.Add(e.Field, "%s", e.Message)
		}
	}
	keys := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		keys = append(keys, f)
	}
	sort.Strings(keys)
	for _, f := range keys {
		p.Add(f, "%s", e.Fields[f])
	}
	return true
}

// Err is nil when nothing was recorded, else a CodeInvalid error naming
// the first field (Field, Message) and holding every problem (Fields).
func (p *Problems) Err() error {
	if len(p.order) == 0 {
		return nil
	}
	first := p.order[0]
	return &Error{Code: CodeInvalid, Message: p.fields[first], Field: first, Fields: p.fields}
}
