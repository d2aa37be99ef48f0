package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"backdesk"
	"backdesk/r4"
)

// The FHIR R4 facade under /fhir: read and search of the resource types in
// fhirTypes, the CapabilityStatement at /fhir/metadata, and booking the
// IHE ITI Scheduling way ($find, $book, fhir_booking.go). Its handlers ask
// the same services as the JSON API, which decide who sees what; they
// parse FHIR's parameters, map the answers (package r4) and write them.
// Every error is an OperationOutcome with its status: 400 for a bad or
// unknown parameter, 401 without a valid sign-in or token, 403, 404 for an
// unknown type or id (or a record the caller may not see), 405 for an
// interaction the facade does not offer, 409, 429, 500.

// fhirNotSupported is an error of something the facade does not do, with
// its status (404 for a type it does not serve, 405 for an interaction).
type fhirNotSupported struct {
	status  int
	message string
}

func (e *fhirNotSupported) Error() string { return e.message }

// fhir adapts a FHIR handler: a returned error becomes an OperationOutcome.
func (s *Server) fhir(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if f := r.URL.Query().Get("_format"); f != "" && f != "json" && f != "application/json" && f != "application/fhir+json" {
			s.fhirError(w, r, &fhirNotSupported{http.StatusNotAcceptable, "Only JSON is served: _format must be json or application/fhir+json."})
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), fhirBaseKey{}, s.fhirBase(r)))
		if err := h(w, r); err != nil {
			s.fhirError(w, r, err)
		}
	})
}

type fhirBaseKey struct{}

// fhirBaseFrom is the facade's address for the request of ctx.
func fhirBaseFrom(ctx context.Context) string {
	b, _ := ctx.Value(fhirBaseKey{}).(string)
	return b
}

// fhirError writes err as an OperationOutcome with its status.
func (s *Server) fhirError(w http.ResponseWriter, r *http.Request, err error) {
	var ns *fhirNotSupported
	if errors.As(err, &ns) {
		writeFHIR(w, r, ns.status, r4.NotSupported(ns.message))
		return
	}
	err = s.unavailable(r, err)
	code := backdesk.ErrorCode(err)
	s.logError(r, code, err)
	setRetryAfter(w, err)
	if code == backdesk.CodeUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="backdesk"`)
	}
	writeFHIR(w, r, statusFor(err), r4.Outcome(code, backdesk.ErrorMessage(err), backdesk.ErrorField(err)))
}

// writeFHIR writes a resource as application/fhir+json, indented when the
// request asks _pretty=true.
func writeFHIR(w http.ResponseWriter, r *http.Request, status int, v any) error {
	var b []byte
	var err error
	if r.URL.Query().Get("_pretty") == "true" {
		b, err = json.MarshalIndent(v, "", "  ")
	} else {
		b, err = json.Marshal(v)
	}
	if err != nil {
		return fmt.Errorf("encode fhir: %w", err)
	}
	w.Header().Set("Content-Type", r4.ContentType)
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}

// fhirBase is the facade's address: the configured public address, or the
// one the request was made to.
func (s *Server) fhirBase(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimRight(s.cfg.BaseURL, "/") + "/fhir"
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/fhir"
}

// Paging: _count (default and maximum below) and _offset.
const (
	fhirDefaultCount = 50
	fhirMaxCount     = 500
)

// fhirQuery is a search's parameters, checked against what its type
// declares.
type fhirQuery struct {
	values url.Values
	page   backdesk.Page
}

// resultParams are the parameters of every search, beside its type's own.
var resultParams = []string{"_count", "_offset", "_format", "_pretty"}

// parseFHIRQuery reads the search parameters of r (the query, and for POST
// the form body as well) against params. An unknown parameter, a modifier,
// a list of values or a repeated parameter that is not a date is
// CodeInvalid: the facade does not guess what a search meant.
func parseFHIRQuery(r *http.Request, params []r4.SearchParam) (*fhirQuery, error) {
	values := url.Values{}
	for k, v := range r.URL.Query() {
		values[k] = append(values[k], v...)
	}
	if r.Method == http.MethodPost {
		// FHIR's POST _search sends its parameters as a form, checked as
		// every form is (web/input.go); the query was checked on arrival.
		if !isForm(r.Header.Get("Content-Type")) {
			return nil, errNotForm
		}
		f, err := parseForm(r)
		if err != nil {
			return nil, err
		}
		for k, v := range f.Values {
			values[k] = append(values[k], v...)
		}
	}
	known := map[string]string{}
	var names []string
	for _, p := range params {
		known[p.Name] = p.Type
		names = append(names, p.Name)
	}
	q := &fhirQuery{values: url.Values{}, page: backdesk.Page{Limit: fhirDefaultCount}}
	for k, vs := range values {
		name, modifier, _ := strings.Cut(k, ":")
		switch {
		case slices.Contains(resultParams, k):
			continue
		case known[name] == "":
			return nil, backdesk.FieldError(k, "%s is not a search parameter here; the parameters are %s, and _count, _offset", k, strings.Join(names, ", "))
		case modifier != "":
			return nil, backdesk.FieldError(k, "modifiers such as :%s are not supported", modifier)
		case len(vs) > 1 && known[name] != "date":
			return nil, backdesk.FieldError(k, "%s may be given once", k)
		}
		for _, v := range vs {
			if strings.Contains(v, ",") && known[name] != "string" {
				return nil, backdesk.FieldError(k, "lists of values (a,b) are not supported")
			}
			if v == "" {
				return nil, backdesk.FieldError(k, "%s has no value", k)
			}
		}
		q.values[k] = vs
	}
	if v := values.Get("_count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, backdesk.FieldError("_count", "_count must be a whole number from 0 to %d", fhirMaxCount)
		}
		q.page.Limit = min(n, fhirMaxCount)
	}
	if v := values.Get("_offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, backdesk.FieldError("_offset", "_offset must be zero or more")
		}
		q.page.Offset = n
	}
	return q, nil
}

func (q *fhirQuery) get(name string) string { return q.values.Get(name) }
func (q *fhirQuery) has(name string) bool   { return len(q.values[name]) > 0 }

// onlyID reports whether _id is given alone, as it must be.
func (q *fhirQuery) onlyID() (string, bool, error) {
	if !q.has("_id") {
		return "", false, nil
	}
	if len(q.values) > 1 {
		return "", false, backdesk.FieldError("_id", "_id is searched alone")
	}
	return q.get("_id"), true, nil
}

// reference reads a reference parameter to typ as a record id; 0 when it
// is not given. A reference to no record that could exist matches nothing:
// none reports it.
func (q *fhirQuery) reference(name, typ string) (id int64, none bool, err error) {
	v := q.get(name)
	if v == "" {
		return 0, false, nil
	}
	s, err := r4.Reference(v, typ)
	if err != nil {
		return 0, false, backdesk.FieldError(name, "%v", err)
	}
	n, ok := r4.NumericID(s)
	return n, !ok, nil
}

// dates reads a date parameter, every value of it, as one range (dates in
// zone, the clinic's).
func (q *fhirQuery) dates(name string, zone *time.Location) (r4.Range, error) {
	var out r4.Range
	for _, v := range q.values[name] {
		rg, err := r4.DateRange(v, zone)
		if err != nil {
			return out, backdesk.FieldError(name, "%v", err)
		}
		out = out.Intersect(rg)
	}
	return out, nil
}

// token reads a token parameter's code, checking it against codes (the
// value set of the element it searches); the system, if given, must be
// system.
func (q *fhirQuery) token(name, system string, codes []string) (string, error) {
	v := q.get(name)
	if v == "" {
		return "", nil
	}
	sys, code, hasSystem := r4.Token(v)
	if hasSystem && sys != "" && sys != system {
		return "", backdesk.FieldError(name, "%s codes are from %s", name, system)
	}
	if !slices.Contains(codes, code) {
		return "", backdesk.FieldError(name, "%s must be one of %s", name, strings.Join(codes, ", "))
	}
	return code, nil
}

// boolean reads a token parameter that is true or false.
func (q *fhirQuery) boolean(name string) (*bool, error) {
	switch q.get(name) {
	case "":
		return nil, nil
	case "true":
		return ptrTo(true), nil
	case "false":
		return ptrTo(false), nil
	}
	return nil, backdesk.FieldError(name, "%s must be true or false", name)
}

func ptrTo[T any](v T) *T { return &v }

// links are a searchset's self, first, previous and next links, as GET
// searches of this request's parameters.
func (q *fhirQuery) links(base string, returned, total int) []r4.Link {
	at := func(offset int) string {
		v := url.Values{}
		for k, vs := range q.values {
			v[k] = vs
		}
		v.Set("_count", strconv.Itoa(q.page.Limit))
		v.Set("_offset", strconv.Itoa(offset))
		return base + "?" + encodeSorted(v)
	}
	out := []r4.Link{{Relation: "self", URL: at(q.page.Offset)}, {Relation: "first", URL: at(0)}}
	if q.page.Offset > 0 {
		out = append(out, r4.Link{Relation: "previous", URL: at(max(0, q.page.Offset-q.page.Limit))})
	}
	if q.page.Limit > 0 && q.page.Offset+returned < total {
		out = append(out, r4.Link{Relation: "next", URL: at(q.page.Offset + q.page.Limit)})
	}
	return out
}

// encodeSorted is url.Values.Encode, which sorts by key, with each key's
// values in their order.
func encodeSorted(v url.Values) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, x := range v[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(x))
		}
	}
	return b.String()
}

// window is the page of all that q asks for.
func window[T any](all []T, p backdesk.Page) []T {
	if p.Offset >= len(all) {
		return nil
	}
	end := len(all)
	if p.Offset+p.Limit < end {
		end = p.Offset + p.Limit
	}
	return all[p.Offset:end]
}

// fhirRead serves GET /fhir/{Type}/{id}.
func (s *Server) fhirRead(t *fhirType) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if len(r.URL.Query()) > 0 {
			for k := range r.URL.Query() {
				if !slices.Contains(resultParams, k) {
					return backdesk.FieldError(k, "a read takes no parameters but _format and _pretty")
				}
			}
		}
		res, err := t.read(r.Context(), r.PathValue("id"))
		if err != nil {
			return err
		}
		w.Header().Set("Content-Location", s.fhirBase(r)+"/"+res.Type+"/"+res.ID)
		return writeFHIRRaw(w, r, http.StatusOK, res.JSON)
	}
}

// writeFHIRRaw writes an encoded resource.
func writeFHIRRaw(w http.ResponseWriter, r *http.Request, status int, b json.RawMessage) error {
	if r.URL.Query().Get("_pretty") == "true" {
		var v any
		if err := json.Unmarshal(b, &v); err == nil {
			return writeFHIR(w, r, status, v)
		}
	}
	w.Header().Set("Content-Type", r4.ContentType)
	w.WriteHeader(status)
	_, err := w.Write(append(b, '\n'))
	return err
}

// fhirSearch serves GET /fhir/{Type} and POST /fhir/{Type}/_search.
func (s *Server) fhirSearch(t *fhirType) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q, err := parseFHIRQuery(r, t.allParams())
		if err != nil {
			return err
		}
		var page []r4.Resource
		total := 0
		if id, ok, err := q.onlyID(); err != nil {
			return err
		} else if ok {
			res, err := t.read(r.Context(), id)
			switch backdesk.ErrorCode(err) {
			case "":
				total = 1
				page = window([]r4.Resource{res}, q.page)
			case backdesk.CodeNotFound:
			default:
				return err
			}
		} else {
			// _count=0 asks for the total only.
			countOnly := q.page.Limit == 0
			if countOnly {
				q.page.Limit = 1
			}
			if page, total, err = t.search(r.Context(), q); err != nil {
				return err
			}
			if countOnly {
				q.page.Limit, page = 0, nil
			}
		}
		base := s.fhirBase(r)
		return writeFHIR(w, r, http.StatusOK, r4.Searchset(base, page, total, q.links(base+"/"+t.name, len(page), total)))
	}
}

// fhirMetadata serves the CapabilityStatement.
func (s *Server) fhirMetadata(w http.ResponseWriter, r *http.Request) error {
	cs, err := r4.CapabilityStatement(s.capability(s.fhirBase(r)))
	if err != nil {
		return err
	}
	return writeFHIR(w, r, http.StatusOK, cs)
}

// fhirUnsupported answers what the facade does not serve: 404 for a type
// it does not know, 405 for an interaction it does not offer on one it
// does.
func (s *Server) fhirUnsupported(w http.ResponseWriter, r *http.Request) error {
	rest := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/fhir"), "/")
	typ, _, _ := strings.Cut(rest, "/")
	if rest == "" || typ == "metadata" || fhirTypeNamed(typ) != nil {
		w.Header().Set("Allow", "GET")
		return &fhirNotSupported{http.StatusMethodNotAllowed, fmt.Sprintf("%s %s is not offered: the facade reads and searches (see /fhir/metadata).", r.Method, r.URL.Path)}
	}
	return &fhirNotSupported{http.StatusNotFound, fmt.Sprintf("%q is not a resource type this server serves (see /fhir/metadata).", typ)}
}
