package web

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPI: every route of the JSON API is described and nothing else
// is; the document is OpenAPI 3.1 JSON whose references all resolve.
func TestOpenAPI(t *testing.T) {
	s, err := NewServer(Config{ClinicName: "Test"}, Services{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	var api []string
	for _, r := range s.Routes() {
		if _, path, ok := strings.Cut(r, " "); ok && strings.HasPrefix(path, "/api/") {
			api = append(api, r)
		}
	}
	slices.Sort(api)
	if documented := documentedRoutes(); !slices.Equal(api, documented) {
		for _, r := range api {
			if !slices.Contains(documented, r) {
				t.Errorf("route %q is not described in apiOps", r)
			}
		}
		for _, r := range documented {
			if !slices.Contains(api, r) {
				t.Errorf("apiOps describes %q, which is not a route", r)
			}
		}
	}

	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET openapi.json = %d %q, %v", resp.StatusCode, resp.Header.Get("Content-Type"), err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v", doc["openapi"])
	}
	paths := doc["paths"].(map[string]any)
	ops := 0
	for path, item := range paths {
		for method, op := range item.(map[string]any) {
			ops++
			o := op.(map[string]any)
			if o["summary"] == "" || o["operationId"] == "" || o["responses"] == nil {
				t.Errorf("%s %s lacks a summary, an id or responses", method, path)
			}
		}
	}
	if ops != len(api) {
		t.Errorf("%d operations described, %d API routes", ops, len(api))
	}
	// Every $ref points at something in the document.
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				var at any = doc
				for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
					m, _ := at.(map[string]any)
					at = m[part]
				}
				if at == nil {
					t.Errorf("$ref %s does not resolve", ref)
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(doc)
	// Ids are strings, as the API writes them.
	booking := doc["components"].(map[string]any)["schemas"].(map[string]any)["Booking"].(map[string]any)["properties"].(map[string]any)
	if booking["id"].(map[string]any)["type"] != "string" || booking["start"].(map[string]any)["format"] != "date-time" {
		t.Errorf("Booking schema: id %v, start %v", booking["id"], booking["start"])
	}
	if _, ok := booking["blocks_until"]; ok {
		t.Error("a field the API never writes (json:\"-\") is described")
	}
}
