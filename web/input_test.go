package web

import (
	"net/url"
	"testing"

	"backdesk"
)

// TestCheckJSONText: every string of a JSON body, at any depth, is valid
// UTF-8 without control characters, except line breaks and tabs in free
// text; a refusal names the field by its path.
func TestCheckJSONText(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		field      string // "" when the body passes
	}{
		{"plain", `{"name":"Zoë Ng","email":"zoe@example.org","weekdays":["monday"]}`, ""},
		{"line breaks in a message body", `{"name":"Jo","body":"Line one\nline two\r\n\tindented"}`, ""},
		{"escaped non-ASCII and a pair", `{"name":"Jos\u00e9 \ud83d\ude00"}`, ""},
		{"a literal replacement character", `{"name":"a\ufffd b �"}`, ""},
		{"numbers and literals", `{"duration_minutes":45,"active":true,"x":null}`, ""},
		{"not JSON is left to the decoder", `{"name":`, ""},
		{"NUL in a name", `{"name":"a\u0000b"}`, "name"},
		{"NUL in a message body", `{"body":"hello\u0000"}`, "body"},
		{"line break in a name", `{"name":"Jo\nDoe"}`, "name"},
		{"tab in an email", `{"email":"jo@example.org\t"}`, "email"},
		{"escape character", `{"phone":"\u001b[31m"}`, "phone"},
		{"DEL", `{"name":"\u007f"}`, "name"},
		{"a C1 control", `{"name":"\u0085"}`, "name"},
		{"invalid UTF-8 bytes", "{\"name\":\"caf\xe9\"}", "name"},
		{"invalid UTF-8 in free text", "{\"body\":\"\xff\xfe\"}", "body"},
		{"a lone high surrogate", `{"name":"\ud800"}`, "name"},
		{"a lone low surrogate", `{"body":"x\udc00y"}`, "body"},
		{"a high surrogate without its pair", `{"name":"\ud83dA"}`, "name"},
		{"nested", `{"address":{"line1":"1 High St","city":"Ba\u0000th"}}`, "address.city"},
		{"in an array", `{"weekdays":["monday","tues\u0000day"]}`, "weekdays.1"},
		{"in an array of objects", `{"hours":[{"x":"ok"},{"x":"b\u0000"}]}`, "hours.1.x"},
		{"after a nested object", `{"address":{"city":"Bath"},"name":"a\u0000"}`, "name"},
		{"a key", `{"na\u0000me":"x"}`, ""},
		{"free text by its last part", `{"answers":{"notes":"a\nb"}}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkJSONText([]byte(tc.body))
			switch {
			case tc.name == "a key":
				if backdesk.ErrorCode(err) != backdesk.CodeInvalid {
					t.Errorf("checkJSONText(%q) = %v, want invalid", tc.body, err)
				}
			case tc.field == "" && err != nil:
				t.Errorf("checkJSONText(%q) = %v, want nil", tc.body, err)
			case tc.field != "" && (backdesk.ErrorCode(err) != backdesk.CodeInvalid || backdesk.ErrorField(err) != tc.field):
				t.Errorf("checkJSONText(%q) = %v (field %q), want invalid naming %q", tc.body, err, backdesk.ErrorField(err), tc.field)
			}
		})
	}
}

// TestCheckValues: forms and queries follow the same rules; passwords and
// the sign-in "next" may hold any character (they are never stored, and
// safeNext reads "next"), but must be UTF-8.
func TestCheckValues(t *testing.T) {
	for _, tc := range []struct {
		name  string
		v     url.Values
		field string
	}{
		{"plain", url.Values{"name": {"Sam"}, "q": {"tay"}}, ""},
		{"text area", url.Values{"opening_hours": {"monday 09:00-17:00\r\ntuesday 09:00-17:00"}, "hours.3": {"a\r\nb"}}, ""},
		{"password with a tab", url.Values{"password": {"pass\tword with tabs"}, "next": {"/\t/evil"}}, ""},
		{"NUL in a search", url.Values{"q": {"sam\x00"}}, "q"},
		{"invalid UTF-8 in a name", url.Values{"name": {"\xc3\x28"}}, "name"},
		{"line break in an email", url.Values{"email": {"a@b.org\r\nBcc: x@y.org"}}, "email"},
		{"invalid UTF-8 in a password", url.Values{"password": {"\xff"}}, "password"},
		{"bad field name", url.Values{"na\x00me": {"x"}}, "na?me"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkValues(tc.v)
			if tc.field == "" && err != nil || tc.field != "" && backdesk.ErrorField(err) != tc.field {
				t.Errorf("checkValues(%q) = %v, want field %q", tc.v, err, tc.field)
			}
		})
	}
}

func TestIsJSON(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/json": true, "application/json; charset=utf-8": true, "Application/JSON; charset=UTF-8": true,
		"application/fhir+json": true, "": false, "text/plain": false, "application/x-www-form-urlencoded": false,
		"application/json; charset=latin1": false, "text/json+json": false, "application/jsonx": false,
	} {
		if got := isJSON(ct); got != want {
			t.Errorf("isJSON(%q) = %v, want %v", ct, got, want)
		}
	}
}
