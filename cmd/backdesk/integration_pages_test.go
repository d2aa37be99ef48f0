package main

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestIntegrationAdminPages: an admin manages integrations from the pages
// alone. A webhook endpoint added by its form shows its secret once; its
// page lists each delivery with its status, its attempts and their
// answers; a delivery resent from the page comes again with the same
// webhook-id; an endpoint switched off there is sent nothing more. A token
// made on its page and revoked there is refused at its next request.
func TestIntegrationAdminPages(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			var mu sync.Mutex
			got := map[string]int{} // webhook-id → times received
			answered := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				answered++
				if answered == 1 {
					w.WriteHeader(http.StatusInternalServerError) // the first attempt fails
					return
				}
				got[r.Header.Get("webhook-id")]++
				w.WriteHeader(http.StatusNoContent)
			}))
			defer srv.Close()
			received := func() (map[string]int, int) {
				mu.Lock()
				defer mu.Unlock()
				out := map[string]int{}
				for k, v := range got {
					out[k] = v
				}
				return out, answered
			}
			c := newClinic(t, db.url, map[string]string{"BACKDESK_WEBHOOK_ALLOW_PRIVATE": "true"}, "--webhook-interval", "50ms", "--webhook-first-retry", "200ms")

			status, page, _ := c.admin.PostForm("/admin/webhooks", url.Values{"url": {srv.URL + "/hook"}, "description": {"Calendar sync"},
				"events": {"appointment.booked"}, "enabled": {"on"}})
			m := regexp.MustCompile(`id="webhook-secret" readonly value="(whsec_[^"]+)"`).FindStringSubmatch(page)
			if status != 200 || m == nil {
				t.Fatalf("POST /admin/webhooks = %d, no secret shown:\n%.500s", status, page)
			}
			secret := html.UnescapeString(m[1])
			if _, list := c.admin.Get("/admin/webhooks"); strings.Contains(html.UnescapeString(list), secret) || !strings.Contains(list, srv.URL+"/hook") {
				t.Error("the endpoints page shows the secret again, or not the endpoint")
			}
			var eps struct {
				Endpoints []struct{ ID string } `json:"webhooks"`
			}
			_, body := c.admin.Get("/api/v1/webhooks")
			decode(t, body, &eps)
			if len(eps.Endpoints) != 1 {
				t.Fatalf("endpoints = %s", body)
			}
			ep := "/admin/webhooks/" + eps.Endpoints[0].ID

			bookFirstFree(t, c.sam, "1")
			wait := func(what string, done func(map[string]int) bool) map[string]int {
				t.Helper()
				for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
					if r, _ := received(); done(r) {
						return r
					}
				}
				r, n := received()
				t.Fatalf("%s: received %v after %d answers", what, r, n)
				return nil
			}
			first := wait("the booking's event after a retry", func(r map[string]int) bool { return len(r) == 1 })
			var id string
			for k := range first {
				id = k
			}
			// The receiver has the delivery before its sender records the
			// answer: the page says delivered once the worker has.
			_, view := c.admin.Get(ep)
			for deadline := time.Now().Add(30 * time.Second); !strings.Contains(view, "<td>delivered") && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				_, view = c.admin.Get(ep)
			}
			for _, want := range []string{"appointment.booked", id, "<td>delivered", "<td>2<br><small>", " 500 (", " 204 ("} {
				if !strings.Contains(view, want) {
					t.Errorf("the endpoint's page lacks %q (status, attempts and their answers):\n%s", want, view)
				}
			}
			resend := regexp.MustCompile(`action="(/admin/webhooks/deliveries/\d+/resend)"`).FindStringSubmatch(view)
			if resend == nil {
				t.Fatal("no resend button")
			}
			status, _, h := c.admin.PostForm(resend[1], nil)
			if status != http.StatusSeeOther || !strings.Contains(c.admin.StatusLine(h), "will be sent again") {
				t.Errorf("resend from the page = %d", status)
			}
			wait("the resent delivery", func(r map[string]int) bool { return r[id] == 2 })

			// Switched off: the next booking is announced to nobody.
			status, _, h = c.admin.PostForm(ep, url.Values{"url": {srv.URL + "/hook"}, "description": {"Calendar sync"}, "events": {"appointment.booked"}})
			if status != http.StatusSeeOther || c.admin.StatusLine(h) == "" {
				t.Errorf("switch off from the page = %d", status)
			}
			if _, view := c.admin.Get(ep); !strings.Contains(view, "disabled") {
				t.Error("the endpoint's page does not say it is disabled")
			}
			bookFirstFree(t, c.sam, "2")
			var ds struct{ Total int }
			_, body = c.admin.Get("/api/v1/webhooks/" + eps.Endpoints[0].ID + "/deliveries")
			decode(t, body, &ds)
			if ds.Total != 1 {
				t.Errorf("deliveries after switching off = %d, want the one before", ds.Total)
			}

			// A token made and revoked on its page.
			status, page, _ = c.admin.PostForm("/admin/tokens", url.Values{"name": {"Old reporting"}, "role": {"read_only"}})
			tm := regexp.MustCompile(`id="token-secret" readonly value="(bdk_[A-Za-z0-9_-]+)"`).FindStringSubmatch(page)
			if status != 200 || tm == nil {
				t.Fatalf("POST /admin/tokens = %d", status)
			}
			if st, _, _ := c.app.Client(t).Do("GET", "/fhir/Practitioner", "", "", bearer(tm[1])...); st != 200 {
				t.Fatalf("the new token = %d", st)
			}
			revoke := regexp.MustCompile(`action="(/admin/tokens/\d+/revoke)"`).FindStringSubmatch(page)
			if revoke == nil {
				t.Fatal("no revoke button")
			}
			if status, _, h := c.admin.PostForm(revoke[1], nil); status != http.StatusSeeOther || c.admin.StatusLine(h) == "" {
				t.Errorf("revoke from the page = %d", status)
			}
			if st, _, _ := c.app.Client(t).Do("GET", "/fhir/Practitioner", "", "", bearer(tm[1])...); st != 401 {
				t.Errorf("the revoked token = %d, want 401", st)
			}
			if _, list := c.admin.Get("/admin/tokens"); !strings.Contains(list, "Old reporting") || !strings.Contains(strings.ToLower(list), "revoked") {
				t.Error("the tokens page does not list the revoked token as revoked")
			}
		})
	}
}
