package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tableText is every value of every table of the test database, as text,
// one "table: value" per line, to look for what must not be stored.
func tableText(t *testing.T, db testDB) string {
	t.Helper()
	raw := db.raw(t)
	q := `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	if strings.HasPrefix(db.url, "sqlite:") {
		q = `SELECT name FROM sqlite_master WHERE type = 'table'`
	}
	rows, err := raw.Query(q)
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
	if len(tables) < 20 {
		t.Fatalf("only %d tables found", len(tables))
	}
	var b strings.Builder
	for _, table := range tables {
		rows, err := raw.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if x, ok := v.([]byte); ok {
					v = string(x)
				}
				fmt.Fprintf(&b, "%s: %v\n", table, v)
			}
		}
		rows.Close()
	}
	return b.String()
}

// rowCounts counts the values (rows times columns) of every table the test
// database has but the audit log and the tokens' own (whose last use
// changes): a row added or removed changes its table's count.
func rowCounts(t *testing.T, db testDB) map[string]int {
	t.Helper()
	text := tableText(t, db)
	out := map[string]int{}
	for _, line := range strings.Split(text, "\n") {
		if table, _, ok := strings.Cut(line, ": "); ok && table != "audit_log" && table != "api_tokens" {
			out[table]++
		}
	}
	return out
}

// TestAPITokens: an admin makes named tokens with a role, shown once and
// stored only as a hash; each is accepted as Bearer on /api/v1 and /fhir,
// every use is audited under its name and updates its last use; a
// read-only token reads the clinic's records and writes nothing; a
// cookie-less token request is not subject to the cross-origin check, one
// with a cookie is; a revoked token is refused at its next request, in
// every process; no token is in any log or table. On both databases.
func TestAPITokens(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			c := newClinic(t, db.url, nil)
			// A reception token from the page, shown once.
			status, page, _ := c.admin.PostForm("/admin/tokens", map[string][]string{"name": {"Front desk system"}, "role": {"reception"}})
			m := regexp.MustCompile(`id="token-secret" readonly value="(bdk_[A-Za-z0-9_-]+)"`).FindStringSubmatch(page)
			if status != 200 || m == nil {
				t.Fatalf("POST /admin/tokens = %d, no token shown", status)
			}
			desk := m[1]
			if _, again := c.admin.Get("/admin/tokens"); strings.Contains(again, desk) || !strings.Contains(again, "Front desk system") {
				t.Error("the token list shows the secret again, or not the token")
			}
			reader := fhirToken(t, c.admin, "Reporting", "read_only")
			_, list := c.admin.Get("/api/v1/tokens")
			if strings.Contains(list, desk) || strings.Contains(list, reader) {
				t.Error("GET /api/v1/tokens holds a secret")
			}
			// call makes a request with a token and no cookie.
			call := func(tok, method, path, body string, header ...string) (int, string) {
				status, resp, _ := c.app.Client(t).Do(method, path, "application/json", body, append(bearer(tok), header...)...)
				return status, resp
			}

			// The read-only token reads the clinic's records …
			for _, path := range []string{"/api/v1/appointments", "/api/v1/patients", "/api/v1/referrals", "/fhir/Patient", "/fhir/Appointment?patient=Patient/1",
				"/api/v1/appointments/" + c.withAmira, "/fhir/Appointment/" + c.withAmira, "/api/v1/patients/1"} {
				if status, body := call(reader, "GET", path, ""); status != 200 {
					t.Errorf("read-only GET %s = %d %.200s", path, status, body)
				}
			}
			// … and writes nothing, not even what anyone may.
			before := rowCounts(t, db)
			start := slotsOf(t, c.sam, "service=1&practitioner=1&"+window(14))[12].Start.Format(time.RFC3339)
			for _, w := range []struct{ method, path, body string }{
				{"POST", "/api/v1/appointments", `{"service_id":"1","practitioner_id":"1","start":"` + start + `","patient_id":"1"}`},
				{"POST", "/api/v1/appointments/" + c.withAmira + "/cancel", `{}`},
				{"POST", "/api/v1/assessments", someAnswers},
				{"POST", "/api/v1/messages", `{"name":"N","email":"n@example.org","body":"Hello"}`},
				{"POST", "/api/v1/patients", `{"name":"Someone"}`},
				{"POST", "/api/v1/referrals", `{"patient_id":"1","to_discipline":"sports_therapist","reason":"x"}`},
				{"POST", "/api/v1/waitlist", `{"patient_id":"1","discipline":"physiotherapist","from":"2030-01-01","to":"2030-01-31","weekdays":["monday"],"earliest":"09:00","latest":"12:00"}`},
				{"PATCH", "/api/v1/locations/1", `{"phone":"0"}`},
				{"POST", "/api/v1/tokens", `{"name":"Escalated","role":"admin"}`},
				{"POST", "/api/v1/webhooks", `{"url":"https://x.example/h","events":["appointment.booked"]}`},
				{"POST", "/api/v1/auth/register", `{"email":"ro@example.org","name":"R O","password":"a long enough passphrase"}`},
				{"POST", "/api/v1/auth/password-reset", `{"email":"sam.taylor@example.org"}`},
				{"POST", "/fhir/Appointment/$book", `{"resourceType":"Parameters","parameter":[{"name":"appointment-resource","resource":{"resourceType":"Appointment","status":"proposed","start":"` + start + `","participant":[{"actor":{"reference":"Practitioner/1"},"status":"needs-action"},{"actor":{"reference":"HealthcareService/1"},"status":"needs-action"},{"actor":{"reference":"Patient/1"},"status":"needs-action"}]}}]}`},
			} {
				if status, body := call(reader, w.method, w.path, w.body); status != 403 {
					t.Errorf("read-only %s %s = %d %.200s, want 403", w.method, w.path, status, body)
				}
			}
			if after := rowCounts(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("a read-only token changed the database:\nbefore %v\nafter  %v", before, after)
			}

			// The reception token books (an integration's own idempotency
			// keys), through the API and FHIR; its uses are audited under
			// its name.
			status, body := call(desk, "POST", "/api/v1/appointments", `{"service_id":"1","practitioner_id":"1","start":"`+start+`","patient_id":"1"}`, "Idempotency-Key", "desk-1")
			var b bookingJSON
			decode(t, body, &b)
			if status != 201 {
				t.Fatalf("reception token books = %d %s", status, body)
			}
			if status, body := call(desk, "POST", "/api/v1/appointments", `{"service_id":"1","practitioner_id":"1","start":"`+start+`","patient_id":"1"}`, "Idempotency-Key", "desk-1"); status != 201 || !strings.Contains(body, `"id":"`+b.ID+`"`) {
				t.Errorf("retry with the token's key = %d %s", status, body)
			}
			_, audit := c.admin.Get("/api/v1/audit?action=api_token.use&limit=500")
			if !strings.Contains(audit, `"actor_name":"Front desk system"`) || !strings.Contains(audit, `"actor_name":"Reporting"`) || !strings.Contains(audit, `"resource_id":"POST /api/v1/appointments"`) {
				t.Errorf("token uses not audited under their names: %.500s", audit)
			}
			_, audit = c.admin.Get("/api/v1/audit?action=booking.create")
			if !strings.Contains(audit, `"actor_name":"Front desk system","action":"booking.create"`) {
				t.Errorf("the booking's audit line does not name the token: %.500s", audit)
			}
			_, list = c.admin.Get("/api/v1/tokens")
			if strings.Count(list, `"last_used_at"`) != 2 {
				t.Errorf("last use not recorded: %s", list)
			}

			// Cross-origin: a token without cookies passes; with a cookie the
			// check applies.
			evil := []string{"Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"}
			if status, body := call(desk, "POST", "/api/v1/patients", `{"name":"From the integration"}`, evil...); status != 201 {
				t.Errorf("cookie-less token POST from another origin = %d %s", status, body)
			}
			if status, body, _ := c.admin.Do("POST", "/api/v1/patients", "application/json", `{"name":"Cross"}`, append(bearer(desk), evil...)...); status != 403 {
				t.Errorf("token POST from another origin with a session cookie = %d %s, want 403", status, body)
			}
			// A bad token is refused, never served as anonymous.
			for _, bad := range []string{"bdk_not-a-token", "Basic dXNlcjpwYXNz"} {
				st, resp, h := c.app.Client(t).Do("GET", "/api/v1/practitioners", "", "", "Authorization", "Bearer "+bad)
				if strings.HasPrefix(bad, "Basic") {
					st, resp, h = c.app.Client(t).Do("GET", "/fhir/Practitioner", "", "", "Authorization", bad)
				}
				if st != 401 || !strings.Contains(h.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("Authorization %q = %d %.100s", bad, st, resp)
				}
			}

			// Revoked: refused at its next request, in this process and, on
			// PostgreSQL, in another serving the same database.
			others := []*App{c.app}
			if db.name == "postgres" {
				others = append(others, MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}))
			}
			for _, app := range others {
				if st, _, _ := app.Client(t).Do("GET", "/fhir/Appointment", "", "", bearer(desk)...); st != 200 {
					t.Errorf("before revoking, %s = %d", app.URL, st)
				}
			}
			var tokens struct{ Tokens []struct{ ID, Name string } }
			decode(t, list, &tokens)
			for _, tk := range tokens.Tokens {
				if tk.Name == "Front desk system" {
					if st, _, _ := c.admin.Do("DELETE", "/api/v1/tokens/"+tk.ID, "", ""); st != 204 {
						t.Fatalf("revoke = %d", st)
					}
				}
			}
			for _, app := range others {
				for _, path := range []string{"/fhir/Appointment", "/api/v1/appointments", "/api/v1/practitioners"} {
					if st, _, _ := app.Client(t).Do("GET", path, "", "", bearer(desk)...); st != 401 {
						t.Errorf("revoked token at %s%s = %d, want 401", app.URL, path, st)
					}
				}
			}

			// No token in clear in any table or log.
			stored := tableText(t, db)
			logs := c.app.Stdout.String() + c.app.Stderr.String()
			for _, app := range others {
				logs += app.Stdout.String() + app.Stderr.String()
			}
			for _, secret := range []string{desk, reader, strings.TrimPrefix(desk, "bdk_"), strings.TrimPrefix(reader, "bdk_")} {
				if strings.Contains(stored, secret) {
					t.Errorf("a token is stored in clear")
				}
				if strings.Contains(logs, secret) {
					t.Errorf("a token is in the logs")
				}
			}
			if !strings.Contains(stored, "api_tokens: Front desk system") {
				t.Error("the table dump does not hold the tokens table")
			}
		})
	}
}

// TestAPITokenOddPaths: a request with a token to a path that is not UTF-8,
// or whose use line is cut in the middle of a character, is answered as
// any unknown path is (404), never 500: the use is still audited, with
// the path made valid text (PostgreSQL refuses invalid UTF-8).
func TestAPITokenOddPaths(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			admin := app.Client(t)
			admin.Login("admin@riverside.example")
			tok := fhirToken(t, admin, "Odd paths", "read_only")
			for _, path := range []string{
				"/api/v1/%ff%fe",
				"/fhir/Patient/%ff",
				"/api/v1/" + strings.Repeat("a", 287) + strings.Repeat("é", 20),
			} {
				status, body, _ := app.Client(t).Do("GET", path, "", "", bearer(tok)...)
				if status != 404 {
					t.Errorf("GET %.40s… with a token = %d %.200s, want 404", path, status, body)
				}
			}
		})
	}
}
