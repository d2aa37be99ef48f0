package main

import (
	"crypto/sha256"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"strings"
	"testing"

	"backdesk/storetest"
)

// writeRoutes are the API's writing operations the fuzzer aims at, with
// the ids of demo records in their paths.
var writeRoutes = []struct{ method, path string }{
	{"POST", "/api/v1/appointments"},
	{"POST", "/api/v1/appointments/1/cancel"},
	{"POST", "/api/v1/appointments/1/reschedule"},
	{"POST", "/api/v1/assessments"},
	{"POST", "/api/v1/locations"},
	{"PATCH", "/api/v1/locations/1"},
	{"POST", "/api/v1/practitioners"},
	{"PATCH", "/api/v1/practitioners/1"},
	{"POST", "/api/v1/services"},
	{"PATCH", "/api/v1/services/1"},
	{"POST", "/api/v1/practitioners/1/time-off"},
	{"POST", "/api/v1/waitlist"},
	{"POST", "/api/v1/messages"},
	{"POST", "/api/v1/patients"},
	{"POST", "/api/v1/auth/register"},
	{"POST", "/api/v1/auth/password-reset/confirm"},
	{"POST", "/api/v1/exercises"},
	{"PUT", "/api/v1/exercises/bridge"},
	{"POST", "/api/v1/care-plans"},
	{"PUT", "/api/v1/care-plans/1"},
	{"POST", "/api/v1/care-plans/1/adherence"},
	{"POST", "/api/v1/care-plans/1/bookings"},
	{"POST", "/api/v1/patients/1/outcomes"},
	{"PUT", "/api/v1/patients/1/reminders"},
	{"POST", "/api/v1/referrals"},
	{"POST", "/api/v1/referrals/1/accept"},
	{"POST", "/api/v1/notes/1/amend"},
	{"POST", "/api/v1/tokens"},
	{"POST", "/api/v1/webhooks"},
}

// FuzzAPIBadInput sends arbitrary bodies to the API's writing operations,
// as an admin and as a patient, against a real server on SQLite. Whatever
// arrives, the answer is never a 500, and an answer that refuses (4xx)
// changes nothing stored. (The audit log, sign-in failures and sessions are
// left out of the comparison: they record attempts on purpose.)
func FuzzAPIBadInput(f *testing.F) {
	for i := range writeRoutes {
		for _, body := range []string{
			``, `{}`, `null`, `[]`, `"x"`, `{"start":"not a time"}`, `{"name":""}`,
			`{"service_id":"1","practitioner_id":"1","start":"2030-01-07T09:00:00Z","patient_id":"999999"}`,
			`{"answers":{"pain_now":11}}`, `{"discipline":"astrologer","from":"2030-01-10","to":"2030-01-01"}`,
			`{"name":"X","email":"not an email"}`, `{"name":"Fuzz Seed"}`, `{"time_zone":"Mars/Olympus"}`, `{"duration_minutes":-5}`,
			`{"start":"2030-01-01T09:00:00Z","end":"2029-01-01T09:00:00Z"}`, `{"id":"1","unknown_field":true}`,
			`{"name":` + strings.Repeat(`"a`, 3) + `}`, strings.Repeat(`[`, 500),
		} {
			f.Add(uint8(i), true, body)
			f.Add(uint8(i), false, body)
		}
	}
	// Bodies aimed at the routes of integrations alone.
	for i, r := range writeRoutes {
		if r.path != "/api/v1/tokens" && r.path != "/api/v1/webhooks" {
			continue
		}
		for _, body := range []string{
			`{"name":"x","role":"astrologer"}`, `{"name":"","role":"read_only"}`, `{"name":"x","role":"patient"}`,
			`{"url":"file:///etc/passwd","events":["booking.created"]}`, `{"url":"http://127.0.0.1:1/","events":["booking.created"]}`,
			`{"url":"https://user:pw@example.org/hook","events":["booking.created"]}`, `{"url":"https://example.org/hook","events":["no.such.event"]}`,
			`{"url":"https://example.org/hook","events":[]}`, `{"url":"https://[::1]/hook","events":["booking.created"],"enabled":"yes"}`,
		} {
			f.Add(uint8(i), true, body)
			f.Add(uint8(i), false, body)
		}
	}
	// Bodies aimed at the routes of exercises, plans and outcomes alone.
	for i, r := range writeRoutes {
		if !strings.Contains(r.path, "/exercises") && !strings.Contains(r.path, "/care-plans") && !strings.Contains(r.path, "/patients/1/") {
			continue
		}
		for _, body := range []string{
			`{"pain_now":11}`, `{"pain_now":4.5,"psfs":[{"activity":"","score":3}]}`, `{"odi":[1,2,3,4,5,6,1,2,3,3]}`, `{"hour":24}`,
			`{"patient_id":"1","problem":"p","exercises":[{"exercise_id":"bridge","dosage":{"sets":3,"reps":10000,"times_per_day":1}}]}`,
			`{"version":1,"exercise_id":"bridge","pain":11}`, `{"id":"wall-sit","name":"W","category":"hip","purpose":"p","steps":["a"],"stop_if":["x"]}`,
		} {
			f.Add(uint8(i), true, body)
			f.Add(uint8(i), false, body)
		}
	}
	dbPath := filepath.Join(f.TempDir(), "fuzz.db")
	app := MustRunMain(f, map[string]string{"BACKDESK_DB": "sqlite:" + dbPath}, "--demo")
	raw := storetest.RawDB(f, "sqlite:"+dbPath)
	signIn := func(email string) *http.Client {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		resp, err := c.Post(app.URL+"/api/v1/auth/login", "application/json", strings.NewReader(`{"email":"`+email+`","password":"`+DemoPassword+`"}`))
		if err != nil || resp.StatusCode != 200 {
			f.Fatalf("sign in %s: %v %v", email, resp, err)
		}
		resp.Body.Close()
		return c
	}
	admin, patient := signIn("admin@riverside.example"), signIn("sam.taylor@example.org")

	f.Fuzz(func(t *testing.T, route uint8, asAdmin bool, body string) {
		r := writeRoutes[int(route)%len(writeRoutes)]
		c := patient
		if asAdmin {
			c = admin
		}
		before := fingerprint(t, raw)
		req, _ := http.NewRequest(r.method, app.URL+r.path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %s %q = %d %s", r.method, r.path, body, resp.StatusCode, answer)
		}
		if resp.StatusCode >= 400 && fingerprint(t, raw) != before {
			t.Fatalf("%s %s %q was refused (%d %s) but changed what is stored", r.method, r.path, body, resp.StatusCode, answer)
		}
		if resp.StatusCode >= 400 && !strings.Contains(string(answer), `"error":{"code":`) {
			t.Fatalf("%s %s %q = %d without the error shape: %s", r.method, r.path, body, resp.StatusCode, answer)
		}
	})
}

// fingerprint hashes every row of every table that holds records.
func fingerprint(t *testing.T, raw *sql.DB) [32]byte {
	t.Helper()
	rows, err := raw.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'login_failures', 'sessions', 'schema_migrations') ORDER BY name`)
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
	h := sha256.New()
	for _, table := range tables {
		rs, err := raw.Query(`SELECT * FROM "` + table + `" ORDER BY rowid`)
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
			fmt.Fprintf(h, "%s %v\n", table, vals)
		}
		rs.Close()
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}
