package main

import (
	"crypto/sha256"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

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
// as an admin and as a patient, against a real server on SQLite and, when
// BACKDESK_TEST_POSTGRES_URL is set, on PostgreSQL. Whatever arrives (NUL,
// bytes that are not UTF-8, half a surrogate pair included), the answer is
// never a 500, and an answer that refuses (4xx) changes nothing stored. (The
// audit log, sign-in failures and sessions are left out of the comparison:
// they record attempts on purpose.)
func FuzzAPIBadInput(f *testing.F) {
	for i := range writeRoutes {
		for _, body := range []string{
			``, `{}`, `null`, `[]`, `"x"`, `{"start":"not a time"}`, `{"name":""}`,
			`{"service_id":"1","practitioner_id":"1","start":"2030-01-07T09:00:00Z","patient_id":"999999"}`,
			`{"answers":{"pain_now":11}}`, `{"discipline":"astrologer","from":"2030-01-10","to":"2030-01-01"}`,
			`{"name":"X","email":"not an email"}`, `{"name":"Fuzz Seed"}`, `{"time_zone":"Mars/Olympus"}`, `{"duration_minutes":-5}`,
			`{"start":"2030-01-01T09:00:00Z","end":"2029-01-01T09:00:00Z"}`, `{"id":"1","unknown_field":true}`,
			`{"name":` + strings.Repeat(`"a`, 3) + `}`, strings.Repeat(`[`, 500),
			// NUL, control characters, bytes that are not UTF-8 and lone
			// surrogates, one-line and free-text fields, nested and as a
			// key (PostgreSQL refuses NUL and invalid UTF-8 outright; SQLite
			// would store them).
			`{"name":"Nul\u0000Name","email":"nul@example.org","body":"hello","phone":"01632 960000"}`,
			`{"name":"Jo","email":"jo@example.org","body":"my sciatica\u0000 is bad","reason":"two\nlines\u001b"}`,
			"{\"name\":\"caf\xe9\",\"email\":\"x@example.org\",\"body\":\"hi\xff\xfe\"}",
			`{"name":"\ud800","email":"a@example.org","body":"x\udc00"}`,
			`{"email":"new\u0000@example.org","name":"New","password":"a long enough passphrase"}`,
			`{"address":{"line1":"1 High St\u0000","city":"Bath"},"bio":"two\nlines\u0000"}`,
			"{\"answers\":{\"\xff\":1},\"token\":\"\u0000\"}",
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
	type target struct {
		name           string
		app            *App
		raw            *sql.DB
		admin, patient *http.Client
		// stored is the fingerprint of what is stored, kept from one
		// request to the next (each one runs after the last has finished).
		mu     *sync.Mutex
		stored *[32]byte
	}
	dbs := []struct{ name, url string }{{"sqlite", "sqlite:" + filepath.Join(f.TempDir(), "fuzz.db")}}
	if storetest.PostgresURL() != "" {
		dbs = append(dbs, struct{ name, url string }{"postgres", storetest.FreshPostgresSchema(f)})
	}
	var targets []target
	for _, db := range dbs {
		app := MustRunMain(f, map[string]string{"BACKDESK_DB": db.url}, "--demo")
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
		tg := target{db.name, app, storetest.RawDB(f, db.url), signIn("admin@riverside.example"), signIn("sam.taylor@example.org"), &sync.Mutex{}, new([32]byte)}
		*tg.stored = fingerprint(f, tg.raw, tg.name)
		targets = append(targets, tg)
	}

	f.Fuzz(func(t *testing.T, route uint8, asAdmin bool, body string) {
		r := writeRoutes[int(route)%len(writeRoutes)]
		for _, tg := range targets {
			c := tg.patient
			if asAdmin {
				c = tg.admin
			}
			tg.mu.Lock()
			defer tg.mu.Unlock()
			before := *tg.stored
			req, _ := http.NewRequest(r.method, tg.app.URL+r.path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			answer, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				t.Fatalf("%s: %s %s %q = %d %s", tg.name, r.method, r.path, body, resp.StatusCode, answer)
			}
			after := fingerprint(t, tg.raw, tg.name)
			*tg.stored = after
			if resp.StatusCode >= 400 && after != before {
				t.Fatalf("%s: %s %s %q was refused (%d %s) but changed what is stored", tg.name, r.method, r.path, body, resp.StatusCode, answer)
			}
			if resp.StatusCode >= 400 && !strings.Contains(string(answer), `"error":{"code":`) {
				t.Fatalf("%s: %s %s %q = %d without the error shape: %s", tg.name, r.method, r.path, body, resp.StatusCode, answer)
			}
		}
	})
}

// fingerprint hashes every row of every table that holds records (rows in
// a stable order, whatever the database).
func fingerprint(t testing.TB, raw *sql.DB, kind string) [32]byte {
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
		switch n {
		case "audit_log", "login_failures", "sessions", "schema_migrations":
		default:
			tables = append(tables, n)
		}
	}
	rows.Close()
	sort.Strings(tables)
	h := sha256.New()
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
		var lines []string
		for rs.Next() {
			rs.Scan(ptrs...)
			lines = append(lines, fmt.Sprintf("%s %v", table, vals))
		}
		rs.Close()
		sort.Strings(lines)
		for _, l := range lines {
			fmt.Fprintln(h, l)
		}
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

// TestTextRefusedAlike: NUL, other control characters where they make no
// sense, and bytes that are not UTF-8 are refused in every text input —
// JSON bodies, forms, searches and the Idempotency-Key — with invalid
// naming the field, the same on SQLite (which would store them) and
// PostgreSQL (which refuses them outright, SQLSTATE 22021); nothing is
// stored. Free text keeps its line breaks.
func TestTextRefusedAlike(t *testing.T) {
	t.Parallel() // its own servers and databases
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			anon, desk, sam, admin := app.Client(t), app.Client(t), app.Client(t), app.Client(t)
			desk.Login("reception@riverside.example")
			sam.Login("sam.taylor@example.org")
			admin.Login("admin@riverside.example")
			first := slotsOf(t, anon, "service=1&practitioner=1&"+window(14))[0].Start
			slot := first.Format(time.RFC3339)
			find := `{"resourceType":"Parameters","parameter":[{"name":"service","valueReference":{"reference":"HealthcareService/1"}},` +
				`{"name":"start","valueDateTime":"` + slot + `"},{"name":"end","valueDateTime":"` + first.Add(time.Hour).Format(time.RFC3339) + `"}]}`
			const nul, badUTF8, surrogate = `\u0000`, "\xff\xfe", `\ud800`
			for _, tc := range []struct {
				name   string
				c      *Client
				method string
				path   string
				ctype  string
				body   string
				header []string
				status int
				field  string
			}{
				{"NUL in a message", anon, "POST", "/api/v1/messages", "application/json", `{"name":"Jo","email":"jo@example.org","body":"my back` + nul + `"}`, nil, 400, "body"},
				{"invalid UTF-8 in a message", anon, "POST", "/api/v1/messages", "application/json", `{"name":"Jo` + badUTF8 + `","email":"jo@example.org","body":"Hello"}`, nil, 400, "name"},
				{"half a surrogate pair in a message", anon, "POST", "/api/v1/messages", "application/json", `{"name":"Jo","email":"jo@example.org","body":"Hi ` + surrogate + `"}`, nil, 400, "body"},
				{"line break in a contact name", anon, "POST", "/api/v1/messages", "application/json", `{"name":"Jo\nBcc: x@example.org","email":"jo@example.org","body":"Hi"}`, nil, 400, "name"},
				{"NUL in a patient", desk, "POST", "/api/v1/patients", "application/json", `{"name":"Robin` + nul + `"}`, nil, 400, "name"},
				{"invalid UTF-8 in a patient's phone", desk, "POST", "/api/v1/patients", "application/json", `{"name":"Robin","phone":"01632` + badUTF8 + `"}`, nil, 400, "phone"},
				{"NUL in a search", desk, "GET", "/api/v1/patients?q=sam%00", "", "", nil, 400, "q"},
				{"invalid UTF-8 in a search", desk, "GET", "/api/v1/patients?q=%FF", "", "", nil, 400, "q"},
				{"NUL in a search page", desk, "GET", "/patients?q=%00", "", "", nil, 400, ""},
				{"NUL in a sign-in", anon, "POST", "/api/v1/auth/login", "application/json", `{"email":"sam` + nul + `@example.org","password":"whatever it is"}`, nil, 400, "email"},
				{"invalid UTF-8 in a sign-in", anon, "POST", "/api/v1/auth/login", "application/json", `{"email":"` + badUTF8 + `@example.org","password":"whatever it is"}`, nil, 400, "email"},
				{"NUL in the sign-in page", anon, "POST", "/login", "application/x-www-form-urlencoded", "email=sam%00%40example.org&password=x", nil, 400, ""},
				{"NUL in a registration", anon, "POST", "/api/v1/auth/register", "application/json", `{"email":"new@example.org","name":"N` + nul + `","password":"a long enough passphrase"}`, nil, 400, "name"},
				{"NUL in the contact form", anon, "POST", "/contact", "application/x-www-form-urlencoded", "name=Jo&email=jo%40example.org&body=hi%00", nil, 400, ""},
				{"invalid UTF-8 in the contact form", anon, "POST", "/contact", "application/x-www-form-urlencoded", "name=Jo%FF&email=jo%40example.org&body=hi", nil, 400, ""},
				{"NUL in an Idempotency-Key", sam, "POST", "/api/v1/appointments", "application/json", `{"service_id":"1","practitioner_id":"1","start":"` + slot + `"}`, []string{"Idempotency-Key", "k\xff"}, 400, "Idempotency-Key"},
				{"a body sent as text/plain", anon, "POST", "/api/v1/messages", "text/plain", `{"name":"Jo","email":"jo@example.org","body":"Hi"}`, nil, 415, "Content-Type"},
				{"a body sent without a type", desk, "POST", "/api/v1/patients", "", `{"name":"Robin"}`, nil, 415, "Content-Type"},
				{"a form sent to the API", anon, "POST", "/api/v1/auth/login", "application/x-www-form-urlencoded", "email=a%40b.org&password=x", nil, 415, "Content-Type"},
				// The FHIR facade and the integrations' API check the same,
				// FHIR answering with an OperationOutcome naming the field.
				{"NUL in a FHIR search", anon, "GET", "/fhir/Practitioner?name=a%00", "", "", nil, 400, "name"},
				{"invalid UTF-8 in a FHIR _search form", sam, "POST", "/fhir/Appointment/_search", "application/x-www-form-urlencoded", "status=booked%FF", nil, 400, "status"},
				{"a FHIR _search sent as JSON", sam, "POST", "/fhir/Appointment/_search", "application/json", `{"status":"booked"}`, nil, 415, "Content-Type"},
				{"NUL in a $book", sam, "POST", "/fhir/Appointment/$book", "application/fhir+json",
					`{"resourceType":"Parameters","parameter":[{"name":"appointment-reference","valueReference":{"reference":"Appointment/x` + nul + `"}}]}`, nil, 400, "parameter.0.valueReference.reference"},
				{"invalid UTF-8 in a $find", anon, "POST", "/fhir/Appointment/$find", "application/fhir+json",
					`{"resourceType":"Parameters","parameter":[{"name":"service","valueString":"` + badUTF8 + `"}]}`, nil, 400, "parameter.0.valueString"},
				{"a $book sent as text/plain", sam, "POST", "/fhir/Appointment/$book", "text/plain", `{"resourceType":"Parameters"}`, nil, 415, "Content-Type"},
				{"invalid UTF-8 in a $book's Idempotency-Key", sam, "POST", "/fhir/Appointment/$book", "application/fhir+json",
					`{"resourceType":"Parameters","parameter":[{"name":"appointment-reference","valueReference":{"reference":"Appointment/proposed-x"}}]}`, []string{"Idempotency-Key", "k\xff"}, 400, "Idempotency-Key"},
				{"a $find sent as application/fhir+json is read", anon, "POST", "/fhir/Appointment/$find", "application/fhir+json", find, nil, 200, ""},
				{"NUL in a token's name", admin, "POST", "/api/v1/tokens", "application/json", `{"name":"Reporting` + nul + `","role":"read_only"}`, nil, 400, "name"},
				{"a line break in a webhook's URL", admin, "POST", "/api/v1/webhooks", "application/json", `{"url":"https://hooks.example/a\nb","events":["appointment.booked"]}`, nil, 400, "url"},
				{"NUL in the tokens page", admin, "POST", "/admin/tokens", "application/x-www-form-urlencoded", "name=Reporting%00&role=read_only", nil, 400, ""},
				{"line breaks in a message body are kept", anon, "POST", "/api/v1/messages", "application/json", `{"name":"Jo","email":"jo@example.org","body":"Line one\nline two\ttab"}`, nil, 201, ""},
			} {
				t.Run(tc.name, func(t *testing.T) {
					status, body, _ := tc.c.Do(tc.method, tc.path, tc.ctype, tc.body, tc.header...)
					if status != tc.status {
						t.Fatalf("%s %s = %d, want %d: %.300s", tc.method, tc.path, status, tc.status, body)
					}
					if tc.status < 300 {
						return
					}
					if strings.HasPrefix(tc.path, "/api/") && (!strings.Contains(body, `"code":"invalid"`) || !strings.Contains(body, `"field":"`+tc.field+`"`)) {
						t.Errorf("%s %s = %s, want invalid naming %s", tc.method, tc.path, body, tc.field)
					}
					if strings.HasPrefix(tc.path, "/fhir/") && (!strings.Contains(body, `"resourceType":"OperationOutcome"`) || !strings.Contains(body, `"expression":["`+tc.field+`"]`)) {
						t.Errorf("%s %s = %s, want an OperationOutcome naming %s", tc.method, tc.path, body, tc.field)
					}
				})
			}
			var n int
			if err := db.raw(t).QueryRow(`SELECT COUNT(*) FROM contact_messages`).Scan(&n); err != nil || n != 1 {
				t.Errorf("contact messages stored = %d (%v), want only the one with line breaks", n, err)
			}
			var kept string
			db.raw(t).QueryRow(`SELECT body FROM contact_messages`).Scan(&kept)
			if kept != "Line one\nline two\ttab" {
				t.Errorf("the message body kept = %q", kept)
			}
		})
	}
}
