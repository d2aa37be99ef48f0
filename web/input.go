package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"backdesk"
)

// This file is the one place where text that arrives is checked, before
// any handler or service sees it: every string of a JSON body (keys and
// values, at any depth), every field of a submitted form, every query
// parameter, and the headers whose values are kept (Idempotency-Key).
// Text must be valid UTF-8 (a JSON \u escape of half a surrogate pair
// counts as invalid), and holds no control characters (NUL, ESC, DEL, the
// C1 range…), except that free text may keep line breaks and tabs. So the
// same bytes are refused the same way whichever database is behind: SQLite
// would store them, PostgreSQL refuses NUL and invalid UTF-8 outright.

// textKind is what a field may hold.
type textKind int

const (
	oneLine  textKind = iota // names, emails, ids, dates, search terms: no control character at all
	freeText                 // messages, notes, descriptions: line breaks and tabs too
	opaque                   // passwords, and the sign-in "next" (checked by safeNext): any character, valid UTF-8
)

// kinds names the fields that are not one line, by their last name part
// ("hours.3" is "hours", "address.line1" is "line1"). A new field of free
// text (a text area) is added here.
var kinds = map[string]textKind{
	"body": freeText, "answer": freeText, "description": freeText, "bio": freeText, "notes": freeText,
	"opening_hours": freeText, "closures": freeText, "qualifications": freeText, "hours": freeText,
	// Referrals and clinical notes.
	"subjective": freeText, "objective": freeText, "assessment": freeText, "plan": freeText,
	"findings": freeText, "reason": freeText, "recipient_address": freeText, "note": freeText,
	// Treatment plans and the clinic's exercises.
	"problem": freeText, "purpose": freeText, "steps": freeText, "stop_if": freeText, "cautions": freeText, "feel": freeText, "sources": freeText,
	"password": opaque, "password_again": opaque, "next": opaque,
}

// kindOf is the kind of the field at path: its last part that is not an
// index.
func kindOf(path string) textKind {
	parts := strings.Split(path, ".")
	for i := len(parts) - 1; i >= 0; i-- {
		if _, err := strconv.Atoi(parts[i]); err != nil || i == 0 {
			return kinds[parts[i]]
		}
	}
	return oneLine
}

// checkText refuses value for field when it is not valid UTF-8 or holds a
// control character the field may not hold: CodeInvalid naming the field.
func checkText(field, value string) error {
	if !utf8.ValidString(value) {
		return backdesk.FieldError(field, "%s is not valid text: it holds bytes that are not UTF-8", field)
	}
	kind := kindOf(field)
	if kind == opaque {
		return nil
	}
	for _, r := range value {
		if !unicode.IsControl(r) || kind == freeText && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		switch {
		case r == 0:
			return backdesk.FieldError(field, "%s holds a NUL character, which is not allowed", field)
		case kind == oneLine && (r == '\n' || r == '\r' || r == '\t'):
			return backdesk.FieldError(field, "%s must be one line, without tabs or line breaks", field)
		}
		return backdesk.FieldError(field, "%s holds a control character (%U), which is not allowed", field, r)
	}
	return nil
}

// checkValues checks every name and value of a form or query.
func checkValues(v url.Values) error {
	for name, vals := range v {
		if !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl) {
			return backdesk.FieldError(sanitizedName(name), "a field name holds characters that are not allowed")
		}
		for _, s := range vals {
			if err := checkText(name, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkQuery refuses a request whose query holds text that checkText
// refuses, before any handler reads it (search terms reach the database).
func (s *Server) checkQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			if err := checkValues(r.URL.Query()); err != nil {
				s.refuse(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// headerText reads a header whose value is kept, checked as a one-line
// field named by the header.
func headerText(r *http.Request, name string) (string, error) {
	v := r.Header.Get(name)
	return v, checkText(name, v)
}

// sanitizedName makes a refused field name safe to echo: its printable
// characters, "?" for the others.
func sanitizedName(name string) string {
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(name, "?"))
}

// checkJSONText walks a JSON body and checks every key and string value,
// naming the field by its path ("address.line1", "weekdays.0"). A body
// that is not JSON is left to the decoder to describe.
func checkJSONText(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	type frame struct {
		array   bool
		index   int
		key     string
		wantKey bool
	}
	var stack []*frame
	path := func(last string) string {
		parts := make([]string, 0, len(stack)+1)
		for _, f := range stack {
			if f.array {
				parts = append(parts, strconv.Itoa(f.index))
			} else if !f.wantKey {
				parts = append(parts, f.key)
			}
		}
		if last != "" {
			parts = append(parts, last)
		}
		return strings.Join(parts, ".")
	}
	advance := func() {
		if n := len(stack); n > 0 {
			if f := stack[n-1]; f.array {
				f.index++
			} else {
				f.wantKey = true
			}
		}
	}
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil // the end, or not JSON: decoding says which
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &frame{wantKey: true})
			case '[':
				stack = append(stack, &frame{array: true})
			default:
				stack = stack[:len(stack)-1]
				advance()
			}
		case string:
			raw := body[start:dec.InputOffset()]
			if n := len(stack); n > 0 && !stack[n-1].array && stack[n-1].wantKey {
				if !validJSONString(raw) || strings.ContainsFunc(t, unicode.IsControl) {
					return backdesk.FieldError(path(""), "a field name holds characters that are not allowed")
				}
				stack[n-1].key, stack[n-1].wantKey = t, false
				continue
			}
			field := path("")
			if field == "" {
				field = "body"
			}
			if !validJSONString(raw) {
				return backdesk.FieldError(field, "%s is not valid text: it holds bytes that are not UTF-8", field)
			}
			if err := checkText(field, t); err != nil {
				return err
			}
			advance()
		default:
			advance()
		}
	}
}

// validJSONString reports whether the raw text of one JSON string token
// (with whatever separators precede it) is valid UTF-8 and has no escape
// of half a surrogate pair: the decoder would turn either into U+FFFD
// without a word.
func validJSONString(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	i := bytes.IndexByte(raw, '"')
	if i < 0 {
		return true
	}
	s := raw[i+1:]
	for j := 0; j < len(s); j++ {
		if s[j] != '\\' || j+1 >= len(s) {
			continue
		}
		if s[j+1] != 'u' {
			j++
			continue
		}
		r, ok := hex4(s[j+2:])
		if !ok {
			return true // the decoder refuses it
		}
		j += 5
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return false // a low half alone
		case r >= 0xD800 && r <= 0xDBFF:
			if j+6 >= len(s) || s[j+1] != '\\' || s[j+2] != 'u' {
				return false
			}
			lo, ok := hex4(s[j+3:])
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return false
			}
			j += 6
		}
	}
	return true
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[:4]), 16, 32)
	return rune(n), err == nil
}
