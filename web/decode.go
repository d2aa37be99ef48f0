package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"backdesk"
)

// maxBody bounds every request body.
const maxBody = 1 << 20

// decodeJSON reads one JSON object from r into v, refusing a body that is
// not sent as JSON (errNotJSON), text that checkJSONText refuses, unknown
// fields, trailing data and bodies over maxBody, with a CodeInvalid error
// that says what was wrong. Handlers call it after the route's Precheck
// (routes.go), so that a caller who may not act never has a body read.
func decodeJSON(r *http.Request, v any) error {
	if !isJSON(r.Header.Get("Content-Type")) {
		return errNotJSON
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	if err := checkJSONText(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return backdesk.Errorf(backdesk.CodeInvalid, "The request body must hold one JSON object.")
	}
	return nil
}

// errNotJSON refuses a body of another media type: 415 Unsupported Media
// Type in the JSON error shape (web/errors.go).
var errNotJSON = backdesk.FieldError("Content-Type", "Send the request body as JSON, with the header Content-Type: application/json.")

// errNotFHIRJSON and errNotForm refuse, with 415 as errNotJSON does, the
// body of a FHIR operation that is not FHIR JSON and that of a POST
// _search that is not a form.
var (
	errNotFHIRJSON = backdesk.FieldError("Content-Type", "Send the request body as FHIR JSON, with the header Content-Type: application/fhir+json.")
	errNotForm     = backdesk.FieldError("Content-Type", "Send the search's parameters as a form, with the header Content-Type: application/x-www-form-urlencoded.")
)

// isForm reports whether a Content-Type header names a URL-encoded form.
func isForm(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// isJSON reports whether a Content-Type header names JSON:
// application/json, or a JSON-based application/…+json type, in UTF-8.
func isJSON(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return false
	}
	return mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")
}

// readBody reads the whole body, up to maxBody.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, &backdesk.Error{Code: backdesk.CodeInvalid, Message: "The request body could not be read.", Err: err}
	}
	if len(b) > maxBody {
		return nil, backdesk.Errorf(backdesk.CodeInvalid, "The request body is larger than %d bytes.", maxBody)
	}
	return b, nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return backdesk.Errorf(backdesk.CodeInvalid, "The request body is empty; send a JSON object.")
	case errors.As(err, &syn):
		return backdesk.Errorf(backdesk.CodeInvalid, "The request body is not valid JSON (at byte %d).", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return backdesk.Errorf(backdesk.CodeInvalid, "The request body must be a JSON object.")
		}
		return backdesk.FieldError(typ.Field, "%s must be %s", typ.Field, jsonKind(typ.Type.Kind().String()))
	}
	// Unknown fields and our own UnmarshalJSON errors have no type; their
	// text is safe to show.
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if strings.HasPrefix(msg, "invalid use of ,string struct tag") {
		// An id sent as a JSON number, or as a string that is not one: the
		// decoder's words name its struct tags, not the request.
		return &backdesk.Error{Code: backdesk.CodeInvalid, Message: `Bad request body: ids are strings of digits, such as "12" (not the number 12).`, Err: err}
	}
	return &backdesk.Error{Code: backdesk.CodeInvalid, Message: "Bad request body: " + msg + ".", Err: err}
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	if strings.HasPrefix(k, "int") || strings.HasPrefix(k, "uint") || strings.HasPrefix(k, "float") {
		return "a number"
	}
	return "of another type"
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	return writeBody(w, status, append(b, '\n'))
}

// writeBody writes an encoded JSON body with status.
func writeBody(w http.ResponseWriter, status int, body []byte) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}

// pathID reads a positive integer id from the path wildcard name.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, backdesk.Errorf(backdesk.CodeNotFound, "Not found.")
	}
	return id, nil
}

// queryID reads an optional positive integer id from the query.
func queryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, backdesk.FieldError(name, "%s must be an id", name)
	}
	return id, nil
}

// listOf makes a nil slice encode as [] rather than null.
func listOf[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// queryPage reads ?limit= and ?offset=.
func queryPage(r *http.Request) (backdesk.Page, error) {
	var p backdesk.Page
	var err error
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		if p.Limit, err = strconv.Atoi(v); err != nil || p.Limit < 1 {
			return p, backdesk.FieldError("limit", "limit must be a positive number")
		}
	}
	if v := q.Get("offset"); v != "" {
		if p.Offset, err = strconv.Atoi(v); err != nil || p.Offset < 0 {
			return p, backdesk.FieldError("offset", "offset must be zero or more")
		}
	}
	return p, nil
}
