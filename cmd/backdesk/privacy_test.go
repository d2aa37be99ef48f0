package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"backdesk/clinic"
)

// TestSignInRateLimit: after 5 failures for one account, even the right
// password gets 429 with Retry-After; other accounts are unaffected. On
// PostgreSQL the count is shared by two server processes.
func TestSignInRateLimit(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			a := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			b := a
			if db.name == "postgres" {
				b = MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}) // a second process on the same database
			}
			wrong := `{"email":"sam.taylor@example.org","password":"not my password at all"}`
			for i, app := range []*App{a, b, a, b, a} {
				if status, body := app.Client(t).PostJSON("/api/v1/auth/login", wrong); status != 401 {
					t.Fatalf("failure %d = %d %s", i+1, status, body)
				}
			}
			for _, app := range []*App{a, b} {
				status, body, h := app.Client(t).Do("POST", "/api/v1/auth/login", "application/json", `{"email":"sam.taylor@example.org","password":"`+DemoPassword+`"}`)
				retry, _ := strconv.Atoi(h.Get("Retry-After"))
				if status != 429 || !strings.Contains(body, `"code":"rate_limited"`) || retry < 60 || retry > 15*60 {
					t.Errorf("right password after 5 failures = %d %s, Retry-After %q", status, body, h.Get("Retry-After"))
				}
			}
			if status, _ := a.Client(t).PostJSON("/api/v1/auth/login", `{"email":"admin@riverside.example","password":"`+DemoPassword+`"}`); status != 200 {
				t.Errorf("another account was locked too: %d", status)
			}
			// The sign-in page says so too, with the same status.
			status, body, h := a.Client(t).PostForm("/login", url.Values{"email": {"sam.taylor@example.org"}, "password": {DemoPassword}})
			if status != 429 || !strings.Contains(body, "Too many wrong passwords") || h.Get("Retry-After") == "" {
				t.Errorf("sign-in page when locked = %d", status)
			}
		})
	}
}

// TestErasurePasswordLimited: the password that confirms an erasure
// cannot be guessed without limit: wrong ones count as failed sign-ins, so
// after 5 even the right one is refused with 429 (and so is signing in),
// and the account stays.
func TestErasurePasswordLimited(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			sam := app.Client(t)
			sam.Login("sam.taylor@example.org")
			for i := range clinic.AccountLoginLimit {
				if status, body, _ := sam.Do("DELETE", "/api/v1/me", "application/json", fmt.Sprintf(`{"password":"guess number %d"}`, i)); status != 400 {
					t.Fatalf("wrong password %d = %d %s", i+1, status, body)
				}
			}
			status, body, h := sam.Do("DELETE", "/api/v1/me", "application/json", `{"password":"`+DemoPassword+`"}`)
			if status != 429 || !strings.Contains(body, `"code":"rate_limited"`) || h.Get("Retry-After") == "" {
				t.Errorf("the right password after %d wrong ones = %d %s", clinic.AccountLoginLimit, status, body)
			}
			status, page, _ := sam.PostForm("/account/erase", url.Values{"password": {DemoPassword}, "confirm": {"ERASE"}})
			if status != 429 || !strings.Contains(page, "Too many wrong passwords") {
				t.Errorf("the erase form = %d", status)
			}
			if status, _ := app.Client(t).PostJSON("/api/v1/auth/login", `{"email":"sam.taylor@example.org","password":"`+DemoPassword+`"}`); status != 429 {
				t.Errorf("signing in after the guesses = %d, want 429", status)
			}
			if status, _ := sam.Get("/api/v1/me"); status != 200 {
				t.Errorf("the account after the refused erasures = %d", status)
			}
		})
	}
}

// TestSignInLimitBehindProxy: behind a trusted reverse proxy the per-address
// sign-in limit applies to each client the proxy names, not to the proxy,
// so one client's failures do not lock out the clinic; without the setting
// the header is ignored, so a client cannot escape the limit by writing its
// own X-Forwarded-For.
func TestSignInLimitBehindProxy(t *testing.T) {
	fail := func(app *App, from string, i int) int {
		status, _, _ := app.Client(t).Do("POST", "/api/v1/auth/login", "application/json",
			fmt.Sprintf(`{"email":"nobody%d@example.org","password":"not a password at all"}`, i), "X-Forwarded-For", from)
		return status
	}
	signIn := func(app *App, from string) int {
		status, _, _ := app.Client(t).Do("POST", "/api/v1/auth/login", "application/json",
			`{"email":"sam.taylor@example.org","password":"`+DemoPassword+`"}`, "X-Forwarded-For", from)
		return status
	}

	behind := MustRunMain(t, map[string]string{"BACKDESK_DB": "sqlite:" + filepath.Join(t.TempDir(), "p.db"), "BACKDESK_TRUSTED_PROXIES": "127.0.0.1/32, ::1"}, "--demo")
	for i := range clinic.AddressLoginLimit {
		if status := fail(behind, "198.51.100.1", i); status != 401 {
			t.Fatalf("failure %d = %d", i+1, status)
		}
	}
	if status := signIn(behind, "198.51.100.1"); status != 429 {
		t.Errorf("the failing client after %d failures = %d, want 429", clinic.AddressLoginLimit, status)
	}
	if status := signIn(behind, "198.51.100.2"); status != 200 {
		t.Errorf("another client behind the same proxy = %d, want 200", status)
	}
	if !strings.Contains(behind.Stderr.String(), "remote=198.51.100.2") {
		t.Errorf("the access log does not name the forwarded client")
	}

	direct := MustRunMain(t, map[string]string{"BACKDESK_DB": "sqlite:" + filepath.Join(t.TempDir(), "d.db")}, "--demo")
	for i := range clinic.AddressLoginLimit {
		if status := fail(direct, fmt.Sprintf("198.51.100.%d", i+1), i); status != 401 {
			t.Fatalf("failure %d = %d", i+1, status)
		}
	}
	if status := signIn(direct, "203.0.113.99"); status != 429 {
		t.Errorf("a made-up X-Forwarded-For escaped the limit: %d, want 429", status)
	}
}

// TestPasswordResetFlow: the emailed link works once, signs out every
// session, and the old password stops working.
func TestPasswordResetFlow(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url, "BACKDESK_BASE_URL": "https://clinic.example"}, "--demo")
			signedIn := app.Client(t)
			signedIn.Login("sam.taylor@example.org")
			c := app.Client(t)
			for _, email := range []string{"sam.taylor@example.org", "nobody@example.org"} {
				if status, body := c.PostJSON("/api/v1/auth/password-reset", `{"email":"`+email+`"}`); status != 202 || !strings.Contains(body, "If that email has an account") {
					t.Fatalf("reset request for %s = %d %s", email, status, body)
				}
			}
			// Asked for twice: every link ends when the password changes.
			c.PostJSON("/api/v1/auth/password-reset", `{"email":"sam.taylor@example.org"}`)
			var tokens []string
			rows, err := db.raw(t).Query(`SELECT body FROM outbox WHERE to_addr = $1 AND kind = 'password_reset' ORDER BY id`, "sam.taylor@example.org")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var body string
				rows.Scan(&body)
				i := strings.Index(body, "https://clinic.example/password-reset/")
				if i < 0 {
					t.Fatalf("reset email has no link: %q", body)
				}
				tokens = append(tokens, strings.Fields(body[i+len("https://clinic.example/password-reset/"):])[0])
			}
			rows.Close()
			if len(tokens) != 2 {
				t.Fatalf("%d reset emails, want 2", len(tokens))
			}
			older, token := tokens[0], tokens[1]
			// Staff see that an email went out, not its link.
			reception := app.Client(t)
			reception.Login("reception@riverside.example")
			if _, out := reception.Get("/api/v1/outbox"); strings.Contains(out, token) || !strings.Contains(out, "Reset your password") {
				t.Errorf("outbox as reception shows the link, or not the message: %s", out)
			}
			// The page form: a weak password is refused and the link still works.
			status, page, _ := c.PostForm("/password-reset/"+token, url.Values{"password": {"password1234"}, "password_again": {"password1234"}})
			if status != 422 || !strings.Contains(page, "most common") {
				t.Errorf("weak new password = %d", status)
			}
			const newPassword = "a brand new passphrase for sam"
			status, _, h := c.PostForm("/password-reset/"+token, url.Values{"password": {newPassword}, "password_again": {newPassword}})
			if status != 303 || !strings.HasPrefix(h.Get("Location"), "/login") {
				t.Fatalf("reset = %d → %q", status, h.Get("Location"))
			}
			if status, _ := c.PostJSON("/api/v1/auth/password-reset/confirm", `{"token":"`+token+`","password":"yet another passphrase"}`); status != 400 {
				t.Errorf("second use of the link = %d, want 400", status)
			}
			if status, _ := c.PostJSON("/api/v1/auth/password-reset/confirm", `{"token":"`+older+`","password":"yet another passphrase"}`); status != 400 {
				t.Errorf("the older link after the password changed = %d, want 400", status)
			}
			if status, _ := signedIn.Get("/api/v1/me"); status != 401 {
				t.Errorf("a session from before the reset still works: %d", status)
			}
			if status, _ := app.Client(t).PostJSON("/api/v1/auth/login", `{"email":"sam.taylor@example.org","password":"`+DemoPassword+`"}`); status != 401 {
				t.Errorf("the old password still works: %d", status)
			}
			if status, _ := app.Client(t).PostJSON("/api/v1/auth/login", `{"email":"sam.taylor@example.org","password":"`+newPassword+`"}`); status != 200 {
				t.Errorf("the new password does not work: %d", status)
			}
		})
	}
}

// TestExportAndErase: a patient downloads everything held about them, then
// erases their account; the clinic keeps the clinical record, anonymised,
// and the audit log shows both.
func TestExportAndErase(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			sam := app.Client(t)
			sam.Login("sam.taylor@example.org")
			_, body := sam.PostJSON("/api/v1/assessments", someAnswers)
			var a struct{ ID string }
			decode(t, body, &a)
			admin := app.Client(t)
			admin.Login("admin@riverside.example")
			admin.Get("/api/v1/assessments/" + a.ID) // a staff read, to appear in the trail
			// An appointment, a waitlist request with an offer (another
			// patient frees the time), and messages signed in and not.
			slots := slotsOf(t, sam, "service=1&practitioner=1&"+window(14))
			book := func(c *Client, start time.Time) string {
				status, body := c.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s"}`, start.Format(time.RFC3339)))
				var b struct{ ID string }
				decode(t, body, &b)
				if status != 201 {
					t.Fatalf("book = %d %s", status, body)
				}
				return b.ID
			}
			own := book(sam, slots[0].Start)
			other := app.RegisterPatient(t, "other.export@example.org", "Other Patient")
			theirs := book(other, slots[8].Start)
			local := slots[8].Start.In(london(t))
			if status, body := sam.PostJSON("/api/v1/waitlist", fmt.Sprintf(`{"discipline":"physiotherapist","from":"%s","to":"%s","weekdays":["%s"],"earliest":"%s","latest":"%s"}`,
				local.Format(time.DateOnly), local.Format(time.DateOnly), strings.ToLower(local.Weekday().String()), local.Format("15:04"), local.Add(2*time.Hour).Format("15:04"))); status != 201 {
				t.Fatalf("waitlist = %d %s", status, body)
			}
			other.PostJSON("/api/v1/appointments/"+theirs+"/cancel", `{}`)
			sam.PostJSON("/api/v1/messages", `{"name":"Sam Taylor","email":"sam.taylor@example.org","body":"Signed in: can I bring my MRI?"}`)
			app.Client(t).PostJSON("/api/v1/messages", `{"name":"Sam","email":"Sam.Taylor@example.org","body":"Not signed in: is there parking?"}`)
			app.Client(t).PostJSON("/api/v1/messages", `{"name":"Someone","email":"someone.else@example.org","body":"Not Sam's"}`)

			status, body, h := sam.Do("GET", "/api/v1/me/export", "", "")
			var pd struct {
				Account      struct{ Email string }
				Patient      struct{ ID, Name string }
				Assessments  []struct{ ID string }
				Appointments []struct{ ID, Status string }
				Entries      []struct{ ID, Status string } `json:"waitlist_entries"`
				Offers       []struct {
					ID    string
					Start time.Time
				} `json:"waitlist_offers"`
				Contact    []struct{ Body string } `json:"contact_messages"`
				AuditTrail []struct {
					Action    string `json:"action"`
					ActorRole string `json:"actor_role"`
				} `json:"audit_trail"`
			}
			if err := json.Unmarshal([]byte(body), &pd); err != nil || status != 200 {
				t.Fatalf("export = %d %v", status, err)
			}
			if pd.Account.Email != "sam.taylor@example.org" || pd.Patient.Name != "Sam Taylor" || len(pd.Assessments) != 1 || pd.Assessments[0].ID != a.ID ||
				!strings.Contains(h.Get("Content-Disposition"), "attachment") {
				t.Errorf("export = %+v", pd)
			}
			if len(pd.Appointments) != 1 || pd.Appointments[0].ID != own || len(pd.Entries) != 1 || pd.Entries[0].Status != "waiting" ||
				len(pd.Offers) != 1 || !pd.Offers[0].Start.Equal(slots[8].Start) {
				t.Errorf("the export's appointments %+v, waitlist requests %+v, offers %+v", pd.Appointments, pd.Entries, pd.Offers)
			}
			if len(pd.Contact) != 2 || !strings.Contains(body, "can I bring my MRI?") || !strings.Contains(body, "is there parking?") || strings.Contains(body, "Not Sam's") {
				t.Errorf("the export's contact messages = %+v", pd.Contact)
			}
			actions := map[string]bool{}
			for _, e := range pd.AuditTrail {
				actions[e.Action+"/"+e.ActorRole] = true
			}
			if !actions["assessment.create/patient"] || !actions["assessment.read/admin"] {
				t.Errorf("the audit trail in the export = %+v", pd.AuditTrail)
			}
			if strings.Contains(body, "argon2id") || strings.Contains(body, "password_hash") {
				t.Error("the export contains the password hash")
			}
			if status, _, _ := sam.Do("GET", "/account/export", "", ""); status != 200 {
				t.Errorf("export page = %d", status)
			}

			if status, body, _ := sam.Do("DELETE", "/api/v1/me", "application/json", `{"password":"not it at all"}`); status != 400 || !strings.Contains(body, `"field":"password"`) {
				t.Errorf("erase with a wrong password = %d %s", status, body)
			}
			if status, body, _ := sam.Do("DELETE", "/api/v1/me", "application/json", `{"password":"`+DemoPassword+`"}`); status != 204 {
				t.Fatalf("erase = %d %s", status, body)
			}
			if status, _ := sam.Get("/api/v1/me"); status != 401 {
				t.Errorf("the erased account's session works: %d", status)
			}
			if status, _ := app.Client(t).PostJSON("/api/v1/auth/login", `{"email":"sam.taylor@example.org","password":"`+DemoPassword+`"}`); status != 401 {
				t.Errorf("the erased account can sign in: %d", status)
			}
			if status, got := admin.Get("/api/v1/assessments/" + a.ID); status != 200 || !strings.Contains(got, `"disposition"`) {
				t.Errorf("the clinical record is gone after erasure: %d", status)
			}
			var name, email string
			if err := db.raw(t).QueryRow(`SELECT name, email FROM patients WHERE id = $1`, pd.Patient.ID).Scan(&name, &email); err != nil || name == "Sam Taylor" || email != "" {
				t.Errorf("patient after erasure: %q %q %v", name, email, err)
			}
			_, audit := admin.Get("/api/v1/audit?patient=" + pd.Patient.ID)
			for _, want := range []string{`"action":"patient.export"`, `"action":"patient.erase"`, `"action":"assessment.create"`, `"action":"assessment.read"`} {
				if !strings.Contains(audit, want) {
					t.Errorf("audit log lacks %s: %s", want, audit)
				}
			}
			// The admin page shows and filters it.
			status, page := admin.Get("/admin/audit?action=patient.erase")
			if status != 200 || !strings.Contains(page, "patient.erase") || strings.Contains(page, "<code>assessment.read</code>") {
				t.Errorf("audit page filtered by action = %d", status)
			}
		})
	}
}
