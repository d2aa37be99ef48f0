package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// apiDoc is the served OpenAPI document, for checking real answers
// against what it describes.
type apiDoc map[string]any

func fetchAPIDoc(t *testing.T, c *Client) apiDoc {
	t.Helper()
	status, body := c.Get("/api/v1/openapi.json")
	var doc apiDoc
	if status != 200 || json.Unmarshal([]byte(body), &doc) != nil {
		t.Fatalf("openapi.json = %d", status)
	}
	return doc
}

// check compares an answer of the route pattern with the schema the
// document gives for that status: every field must be described, with its
// type. It returns what does not match; an undocumented status is one.
func (d apiDoc) check(pattern string, status int, body string) []string {
	method, path, _ := strings.Cut(pattern, " ")
	op, _ := dig(map[string]any(d), "paths", path, strings.ToLower(method)).(map[string]any)
	if op == nil {
		return []string{"no operation described"}
	}
	resp, _ := dig(op, "responses", fmt.Sprint(status)).(map[string]any)
	if resp == nil {
		return []string{fmt.Sprintf("status %d is not described", status)}
	}
	schema, _ := dig(resp, "content", "application/json", "schema").(map[string]any)
	if schema == nil {
		return nil // not JSON (a calendar file) or no body
	}
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		return []string{"the answer is not JSON"}
	}
	return d.validate("$", v, schema)
}

func (d apiDoc) validate(at string, v any, s map[string]any) []string {
	if ref, ok := s["$ref"].(string); ok {
		parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
		args := make([]string, len(parts))
		copy(args, parts)
		s, _ = dig(map[string]any(d), args...).(map[string]any)
		if s == nil {
			return []string{at + ": $ref " + ref + " does not resolve"}
		}
	}
	if v == nil {
		return nil // a null where a value may be absent
	}
	bad := func(want string) []string {
		return []string{fmt.Sprintf("%s: %T where the document says %s", at, v, want)}
	}
	switch s["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return bad("object")
		}
		props, _ := s["properties"].(map[string]any)
		extra, _ := s["additionalProperties"].(map[string]any)
		var out []string
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			switch p, ok := props[k].(map[string]any); {
			case ok:
				out = append(out, d.validate(at+"."+k, m[k], p)...)
			case extra != nil:
				out = append(out, d.validate(at+"."+k, m[k], extra)...)
			case props != nil:
				out = append(out, at+"."+k+": not described")
			}
		}
		return out
	case "array":
		a, ok := v.([]any)
		if !ok {
			return bad("array")
		}
		items, _ := s["items"].(map[string]any)
		var out []string
		for i, e := range a {
			if items != nil {
				out = append(out, d.validate(fmt.Sprintf("%s[%d]", at, i), e, items)...)
			}
		}
		return out
	case "string":
		str, ok := v.(string)
		if !ok {
			return bad("string")
		}
		if s["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339, str); err != nil {
				return bad("date-time")
			}
		}
	case "integer", "number":
		if _, ok := v.(float64); !ok {
			return bad(fmt.Sprint(s["type"]))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return bad("boolean")
		}
	}
	return nil
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
