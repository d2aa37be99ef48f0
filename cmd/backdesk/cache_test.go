package main

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestEndedSessionsStopAtOnce: the server keeps a signed-in session's
// actor for a moment (clinic.SessionCache), but a session ended through
// this process stops working at once, even right after it was used: sign
// out, a password reset, the patient erasing their account, an admin
// erasing the patient. The old cookie is sent again by hand, as a copy of
// it would be.
func TestEndedSessionsStopAtOnce(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			admin := app.Client(t)
			admin.Login("admin@riverside.example")
			for i, end := range []struct {
				name string
				end  func(t *testing.T, c *Client, email, patientID string)
			}{
				{"sign out", func(t *testing.T, c *Client, _, _ string) {
					if status, _, _ := c.Do("POST", "/api/v1/auth/logout", "", ""); status != 204 {
						t.Fatalf("logout = %d", status)
					}
				}},
				{"password reset", func(t *testing.T, c *Client, email, _ string) {
					if status, _ := c.PostJSON("/api/v1/auth/password-reset", `{"email":"`+email+`"}`); status != 202 {
						t.Fatalf("reset request = %d", status)
					}
					var body string
					if err := db.raw(t).QueryRow(`SELECT body FROM outbox WHERE to_addr = $1 AND kind = 'password_reset'`, email).Scan(&body); err != nil {
						t.Fatal(err)
					}
					_, rest, _ := strings.Cut(body, "/password-reset/")
					token := strings.Fields(rest)[0]
					if status, body := app.Client(t).PostJSON("/api/v1/auth/password-reset/confirm", `{"token":"`+token+`","password":"a new passphrase entirely"}`); status != 204 && status != 200 {
						t.Fatalf("reset = %d %s", status, body)
					}
				}},
				{"the patient erases the account", func(t *testing.T, c *Client, _, _ string) {
					if status, body, _ := c.Do("DELETE", "/api/v1/me", "application/json", `{"password":"`+PatientPassword+`"}`); status != 204 {
						t.Fatalf("erase = %d %s", status, body)
					}
				}},
				{"an admin erases the patient", func(t *testing.T, _ *Client, _, patientID string) {
					if status, body, _ := admin.Do("DELETE", "/api/v1/patients/"+patientID, "", ""); status != 204 {
						t.Fatalf("erase = %d %s", status, body)
					}
				}},
			} {
				t.Run(end.name, func(t *testing.T) {
					email := fmt.Sprintf("patient%d@example.org", i)
					c := app.RegisterPatient(t, email, "Pat Lane")
					cookie := sessionCookie(t, c)
					status, body := c.Get("/api/v1/me") // the actor is now kept
					var me struct {
						PatientID string `json:"patient_id"`
					}
					decode(t, body, &me)
					if status != 200 || me.PatientID == "" {
						t.Fatalf("/api/v1/me = %d %s", status, body)
					}
					end.end(t, c, email, me.PatientID)
					if status, _, _ := app.Client(t).Do("GET", "/api/v1/me", "", "", "Cookie", cookie); status != 401 {
						t.Errorf("the ended session's cookie = %d, want 401", status)
					}
				})
			}
		})
	}
}

// sessionCookie is the client's session cookie, as a Cookie header value.
func sessionCookie(t *testing.T, c *Client) string {
	t.Helper()
	u, err := url.Parse(c.base)
	if err != nil {
		t.Fatal(err)
	}
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "backdesk_session" {
			return ck.Name + "=" + ck.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// TestCatalogueChangeCountsAtOnce: booking reads the catalogue through a
// cache (clinic.CatalogueCache), but a change made through this process
// counts for the very next booking: a practitioner switched off right after
// a booking with them takes no more.
func TestCatalogueChangeCountsAtOnce(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			admin, sam := app.Client(t), app.Client(t)
			admin.Login("admin@riverside.example")
			sam.Login("sam.taylor@example.org")
			free := slotsOf(t, sam, "service=1&practitioner=2&"+window(14))
			// Two times far enough apart that the first booking leaves the
			// second free.
			var times []time.Time
			for _, s := range free {
				if len(times) == 0 || s.Start.Sub(times[0]) >= 2*time.Hour {
					times = append(times, s.Start)
				}
			}
			if len(times) < 2 {
				t.Fatalf("%d free times", len(free))
			}
			book := func(i int) (int, string) {
				return sam.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"2","start":"%s"}`, times[i].Format(time.RFC3339)))
			}
			if status, body := book(0); status != 201 { // the practitioner is now kept
				t.Fatalf("booking = %d %s", status, body)
			}
			if status, body, _ := admin.Do("PATCH", "/api/v1/practitioners/2", "application/json", `{"active":false}`); status != 200 {
				t.Fatalf("switching the practitioner off = %d %s", status, body)
			}
			if status, body := book(1); status != 409 {
				t.Errorf("booking a practitioner just switched off = %d %s, want 409", status, body)
			}
		})
	}
}
