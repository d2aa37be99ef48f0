package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"sort"
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
	t.Parallel() // its own servers and databases
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
			if status, body := sam.PostJSON("/api/v1/waitlist", waitlistFor(t, slots[8].Start, 2*time.Hour)); status != 201 {
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

// dumpAll returns every value of every table of a database as text, the
// audit log included, to search for what must not be kept.
func dumpAll(t *testing.T, raw *sql.DB, kind string) string {
	t.Helper()
	list := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if kind == "postgres" {
		list = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	rows, err := raw.Query(list)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	sort.Strings(tables)
	if len(tables) < 15 {
		t.Fatalf("only tables %v", tables)
	}
	var b strings.Builder
	for _, table := range tables {
		rs, err := raw.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rs.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rs.Next() {
			rs.Scan(ptrs...)
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%s.%s=%v\n", table, cols[i], v)
			}
		}
		rs.Close()
	}
	return b.String()
}

// leftBehind reports every line of dump that holds one of traces, in any
// case.
func leftBehind(dump string, traces ...string) []string {
	var out []string
	for _, line := range strings.Split(dump, "\n") {
		for _, tr := range traces {
			if strings.Contains(strings.ToLower(line), strings.ToLower(tr)) {
				out = append(out, line)
			}
		}
	}
	return out
}

// TestErasureLeavesNothing: a patient with everything a patient can leave
// behind (appointments to come, one cancelled with a reason in their own
// words, a waitlist request and an offer, contact messages signed in and
// not, an answer, emails of every kind) erases their account. Their future
// appointment is cancelled and its time offered to the waitlist, as the
// system; their request ends; reception's inbox no longer shows their
// messages; and no column of any table holds their name, email, phone or
// words. The same for a patient reception recorded, erased by an admin.
func TestErasureLeavesNothing(t *testing.T) {
	t.Parallel() // its own servers and databases
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			anon, desk, admin, sam := app.Client(t), app.Client(t), app.Client(t), app.Client(t)
			desk.Login("reception@riverside.example")
			admin.Login("admin@riverside.example")
			sam.Login("sam.taylor@example.org")
			slots := slotsOf(t, anon, "service=1&practitioner=1&"+window(14))
			at := func(i int) slotJSON { return slots[8*i] }
			book := func(c *Client, sl slotJSON) bookingJSON {
				t.Helper()
				status, body := c.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s"}`, sl.Start.Format(time.RFC3339)))
				var b bookingJSON
				decode(t, body, &b)
				if status != 201 {
					t.Fatalf("book = %d %s", status, body)
				}
				return b
			}
			waitFor := func(c *Client, sl slotJSON) {
				t.Helper()
				local := sl.Start.In(london(t))
				day := local.Format(time.DateOnly)
				if status, body := c.PostJSON("/api/v1/waitlist", fmt.Sprintf(`{"discipline":"physiotherapist","from":"%s","to":"%s","weekdays":["%s"],"earliest":"%s","latest":"%s"}`,
					day, day, strings.ToLower(local.Weekday().String()), local.Format("15:04"), local.Add(2*time.Hour).Format("15:04"))); status != 201 {
					t.Fatalf("join waitlist: %d %s", status, body)
				}
			}

			const (
				name, email, phone = "Zelda Quint", "zelda.quint@example.org", "07700 900123"
				words, more, why   = "My sciatica is bad since March", "The pain goes down my left leg", "Zelda cannot come: her knee"
			)
			zelda := app.RegisterPatient(t, email, name)
			kept := book(zelda, at(0))
			dropped := book(zelda, at(1))
			if status, body := zelda.PostJSON("/api/v1/appointments/"+dropped.ID+"/cancel", `{"reason":"`+why+`"}`); status != 200 {
				t.Fatalf("cancel = %d %s", status, body)
			}
			samBooking := book(sam, at(2))
			waitFor(zelda, at(2))
			sam.PostJSON("/api/v1/appointments/"+samBooking.ID+"/cancel", `{}`) // Zelda is offered the time
			if status, body := zelda.PostJSON("/api/v1/messages", `{"name":"`+name+`","email":"Zelda.Quint@Example.org","phone":"`+phone+`","body":"`+words+`"}`); status != 201 {
				t.Fatalf("message = %d %s", status, body)
			}
			if status, _, _ := anon.PostForm("/contact", url.Values{"name": {"Z. Quint"}, "email": {email}, "phone": {phone}, "body": {more}}); status != 303 {
				t.Fatalf("contact form = %d", status)
			}
			_, inbox := desk.Get("/api/v1/messages")
			var msgs struct{ Messages []struct{ ID string } }
			decode(t, inbox, &msgs)
			if len(msgs.Messages) != 2 {
				t.Fatalf("inbox = %s", inbox)
			}
			desk.PostJSON("/api/v1/messages/"+msgs.Messages[0].ID+"/answer", `{"answer":"Dear Zelda, come and see us."}`)
			anon.PostJSON("/api/v1/auth/password-reset", `{"email":"`+email+`"}`)
			wendy := app.RegisterPatient(t, "wendy.waits@example.org", "Wendy Waits")
			waitFor(wendy, at(0)) // she waits for the time Zelda holds

			raw := db.raw(t)
			if lines := leftBehind(dumpAll(t, raw, db.name), name, phone, words, more); len(lines) == 0 {
				t.Fatal("the dump does not hold the patient's details before erasure: the check looks in the wrong place")
			}
			if status, body, _ := zelda.Do("DELETE", "/api/v1/me", "application/json", `{"password":"`+PatientPassword+`"}`); status != 204 {
				t.Fatalf("erase = %d %s", status, body)
			}

			// The time she held is free again and offered to the waitlist.
			var status string
			raw.QueryRow(`SELECT status FROM bookings WHERE id = $1`, kept.ID).Scan(&status)
			if status != "cancelled" {
				t.Errorf("her coming appointment is %q after erasure, want cancelled", status)
			}
			free := false
			for _, s := range slotsOf(t, anon, "service=1&practitioner=1&"+window(14)) {
				free = free || s.Start.Equal(at(0).Start)
			}
			if !free {
				t.Error("the time she held is not offered again")
			}
			_, waiting := wendy.Get("/api/v1/waitlist")
			if !strings.Contains(waiting, `"offers":[{`) {
				t.Errorf("the waiting patient was not offered the freed time: %s", waiting)
			}
			_, offers := admin.Get("/api/v1/audit?action=waitlist.offer")
			if strings.Count(offers, `"actor_name":"waitlist"`) != 2 || strings.Contains(offers, `"actor_role":"patient"`) {
				t.Errorf("the offers are not the system's: %s", offers)
			}
			var waitingRequests, openOffers int
			raw.QueryRow(`SELECT COUNT(*) FROM waitlist_entries WHERE status = 'waiting' AND patient_id = (SELECT patient_id FROM bookings WHERE id = $1)`, kept.ID).Scan(&waitingRequests)
			raw.QueryRow(`SELECT COUNT(*) FROM waitlist_offers WHERE status = 'open' AND patient_id = (SELECT patient_id FROM bookings WHERE id = $1)`, kept.ID).Scan(&openOffers)
			if waitingRequests != 0 || openOffers != 0 {
				t.Errorf("after erasure: %d waiting requests, %d open offers, want none", waitingRequests, openOffers)
			}
			if _, inbox := desk.Get("/api/v1/messages"); strings.Contains(inbox, "Quint") || strings.Contains(inbox, "sciatica") {
				t.Errorf("reception's inbox still shows her messages: %s", inbox)
			}
			for _, line := range leftBehind(dumpAll(t, raw, db.name), name, "Zelda", "Quint", email, phone, words, more, why, "her knee") {
				t.Errorf("left behind after erasure: %s", line)
			}

			// A caller reception recorded, erased at their request by an admin.
			const caller, callerEmail, callerPhone = "Yannick Ruel", "y.ruel@example.org", "01632 960 444"
			status2, body := desk.PostJSON("/api/v1/patients", `{"name":"`+caller+`","email":"`+callerEmail+`","phone":"`+callerPhone+`","date_of_birth":"1961-02-03"}`)
			var p struct{ ID string }
			decode(t, body, &p)
			if status2 != 201 {
				t.Fatalf("record the caller = %d %s", status2, body)
			}
			if status, body := desk.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s","patient_id":"%s"}`, at(3).Start.Format(time.RFC3339), p.ID)); status != 201 {
				t.Fatalf("book the caller = %d %s", status, body)
			}
			anon.PostJSON("/api/v1/messages", `{"name":"Yannick","email":"Y.Ruel@example.org","phone":"`+callerPhone+`","body":"Please call me back about my disc"}`)
			if status, body, _ := admin.Do("DELETE", "/api/v1/patients/"+p.ID, "", ""); status != 204 {
				t.Fatalf("admin erasure = %d %s", status, body)
			}
			for _, line := range leftBehind(dumpAll(t, raw, db.name), caller, "Yannick", callerEmail, callerPhone, "1961-02-03", "about my disc") {
				t.Errorf("left behind after the admin's erasure: %s", line)
			}
			free = false
			for _, s := range slotsOf(t, anon, "service=1&practitioner=1&"+window(14)) {
				free = free || s.Start.Equal(at(3).Start)
			}
			if !free {
				t.Error("the time the erased caller held is not offered again")
			}
			// Nothing new is made under the erased record: the desk can no
			// longer book them or put them on the waitlist (it booked them,
			// under "Erased patient", taking a real time).
			if status, body := desk.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s","patient_id":"%s"}`, at(3).Start.Format(time.RFC3339), p.ID)); status != 409 || !strings.Contains(body, "erased") {
				t.Errorf("book the erased caller = %d %s, want 409", status, body)
			}
			if status, body := desk.PostJSON("/api/v1/waitlist", `{"patient_id":"`+p.ID+`","discipline":"physiotherapist","weekdays":["monday"],"earliest":"09:00","latest":"12:00","from":"`+at(3).Start.Format(time.DateOnly)+`","to":"`+at(3).Start.AddDate(0, 0, 7).Format(time.DateOnly)+`"}`); status != 409 || !strings.Contains(body, "erased") {
				t.Errorf("put the erased caller on the waitlist = %d %s, want 409", status, body)
			}
		})
	}
}
