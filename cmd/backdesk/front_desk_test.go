package main

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"backdesk"
	"backdesk/sqlstore"
	"backdesk/storetest"
)

// catalogueIDs reads the demo's practitioner and service ids by name.
func catalogueIDs(t *testing.T, c *Client) (practitioners, services map[string]string) {
	t.Helper()
	var ps struct {
		Practitioners []struct{ ID, Name string }
	}
	_, body := c.Get("/api/v1/practitioners")
	decode(t, body, &ps)
	var ss struct {
		Services []struct{ ID, Name string }
	}
	_, body = c.Get("/api/v1/services")
	decode(t, body, &ss)
	practitioners, services = map[string]string{}, map[string]string{}
	for _, p := range ps.Practitioners {
		practitioners[p.Name] = p.ID
	}
	for _, s := range ss.Services {
		services[s.Name] = s.ID
	}
	return practitioners, services
}

// TestFrontDeskFindings: what a new receptionist and practitioner ran into.
func TestFrontDeskFindings(t *testing.T) {
	app := demoApp(t)
	desk, amira, elena, admin := app.Client(t), app.Client(t), app.Client(t), app.Client(t)
	desk.Login("reception@riverside.example")
	amira.Login("amira.shah@riverside.example")
	elena.Login("elena.kowalska@riverside.example")
	admin.Login("admin@riverside.example")
	pract, svc := catalogueIDs(t, desk)
	physio, massage := svc["Physiotherapy initial assessment"], svc["Massage first visit"]
	if physio == "" || massage == "" || pract["Elena Kowalska"] == "" {
		t.Fatalf("demo catalogue: %v %v", pract, svc)
	}

	t.Run("the booking form's service and practitioner agree", func(t *testing.T) {
		// The service changed to physiotherapy with Elena, a massage
		// therapist, still chosen: the times of those who offer it, and why.
		status, body := desk.Get("/book?service=" + physio + "&practitioner=" + pract["Elena Kowalska"])
		body = html.UnescapeString(body)
		if status != 200 || !strings.Contains(body, "Elena Kowalska does not offer Physiotherapy initial assessment") {
			t.Errorf("a practitioner who does not offer the service = %d, without saying so", status)
		}
		if strings.Contains(body, `id="no-times"`) || !strings.Contains(body, `class="slot"`) {
			t.Error("the page says there are no free times, though others offer the service")
		}
		if strings.Contains(body, `value="`+pract["Elena Kowalska"]+`" selected`) {
			t.Error("Elena is still chosen for a service she does not offer")
		}
		// A practitioner named without a service: a service they offer.
		status, body = desk.Get("/book?practitioner=" + pract["Elena Kowalska"])
		if status != 200 || !strings.Contains(body, `value="`+massage+`" selected`) || strings.Contains(body, "does not offer") {
			t.Errorf("Elena's booking page = %d, without her first visit", status)
		}
	})

	t.Run("staff land on a staff page after signing in", func(t *testing.T) {
		for _, tc := range []struct{ email, want string }{
			{"reception@riverside.example", "/appointments"},
			{"admin@riverside.example", "/appointments"},
			{"amira.shah@riverside.example", "/today"},
			{"sam.taylor@example.org", "/"},
		} {
			c := app.Client(t)
			status, _, h := c.PostForm("/login", url.Values{"email": {tc.email}, "password": {DemoPassword}})
			if status != 303 || h.Get("Location") != tc.want {
				t.Errorf("signing in as %s leads to %d %q, want %q", tc.email, status, h.Get("Location"), tc.want)
			}
			// A page asked for still wins.
			status, _, h = c.PostForm("/login", url.Values{"email": {tc.email}, "password": {DemoPassword}, "next": {"/contact"}})
			if status != 303 || h.Get("Location") != "/contact" {
				t.Errorf("signing in as %s with next=/contact leads to %q", tc.email, h.Get("Location"))
			}
		}
	})

	// A caller booked with Amira: her patient, not Elena's.
	status, _, h := desk.PostForm("/patients", url.Values{"name": {"Rowan Finch"}, "phone": {"01632 960 321"}})
	if status != 303 {
		t.Fatalf("recording a caller = %d", status)
	}
	caller := strings.TrimPrefix(h.Get("Location"), "/patients/")
	slot := slotsOf(t, desk, "service="+physio+"&practitioner="+pract["Amira Shah"]+"&"+window(14))[0]
	if status, _, h := desk.PostForm("/book", url.Values{"service_id": {physio}, "practitioner_id": {pract["Amira Shah"]},
		"start": {slot.Start.Format(time.RFC3339)}, "patient_id": {caller}}); status != 303 {
		t.Fatalf("booking the caller = %d %v", status, h)
	}

	t.Run("practitioners list their own patients", func(t *testing.T) {
		status, body := amira.Get("/patients")
		if status != 200 || !strings.Contains(body, `href="/patients/`+caller+`">Rowan Finch`) {
			t.Errorf("Amira's patients = %d, without the caller she treats", status)
		}
		if strings.Contains(body, `action="/patients"`) && strings.Contains(body, `id="add-patient"`) {
			t.Error("a practitioner is offered the form to record a patient")
		}
		status, body = elena.Get("/patients?q=rowan")
		if status != 200 || strings.Contains(body, "Rowan Finch") {
			t.Errorf("Elena's patients = %d, or they include a patient she does not treat", status)
		}
		status, body = amira.Get("/api/v1/patients?q=finch")
		if status != 200 || !strings.Contains(body, "Rowan Finch") {
			t.Errorf("Amira's API search = %d %s", status, body)
		}
	})

	t.Run("the waitlist is no 403 for practitioners", func(t *testing.T) {
		for who, c := range map[string]*Client{"Amira": amira, "Elena": elena} {
			status, body := c.Get("/appointments")
			if status != 200 || !strings.Contains(body, `href="/waitlist"`) {
				t.Fatalf("%s's diary = %d, without the waitlist link", who, status)
			}
			if status, _ := c.Get("/waitlist"); status != 200 {
				t.Errorf("%s's waitlist = %d, want 200", who, status)
			}
		}
		// Reception puts the caller, who has no email, on the waitlist for
		// physiotherapy: warned, with a note on how to reach them.
		status, body := desk.Get("/waitlist?patient=" + caller)
		if status != 200 || !strings.Contains(body, `id="no-email-warning"`) || !strings.Contains(body, `href="/patients/`+caller+`#details"`) {
			t.Errorf("the waitlist form for a patient without email = %d, without the warning and the way to add one", status)
		}
		status, _, h := desk.PostForm("/waitlist", url.Values{"patient_id": {caller}, "discipline": {"physiotherapist"}, "from": {"2030-02-01"},
			"to": {"2030-02-28"}, "weekdays": {"tuesday"}, "earliest": {"09:00"}, "latest": {"12:00"}, "contact_note": {"Phone after 5 pm"}})
		if status != 303 || !strings.Contains(desk.StatusLine(h), "They have no email address, so offers cannot reach them") {
			t.Errorf("adding the caller to the waitlist = %d, without saying that offers cannot reach them", status)
		}
		status, body = amira.Get("/waitlist")
		if status != 200 || !strings.Contains(body, "Rowan Finch") || !strings.Contains(body, "Phone after 5 pm") {
			t.Errorf("Amira's waitlist = %d, without the physiotherapy request and its note", status)
		}
		if status, body := elena.Get("/waitlist"); status != 200 || strings.Contains(body, "Rowan Finch") {
			t.Errorf("Elena's waitlist = %d, or it shows a physiotherapy request", status)
		}
		// The desk adds the email from the record; the change is kept.
		status, body, _ = desk.PostForm("/patients/"+caller+"/details", url.Values{"email": {"Rowan.Finch@example.org"}, "phone": {"01632 960 321"}})
		if status != 303 {
			t.Fatalf("adding an email = %d %s", status, body)
		}
		status, body = desk.Get("/patients/" + caller)
		if status != 200 || !strings.Contains(body, "rowan.finch@example.org") || !strings.Contains(body, "Email") {
			t.Errorf("the record after adding the email = %d", status)
		}
		if status, body := desk.Get("/waitlist?patient=" + caller); status != 200 || strings.Contains(body, `id="no-email-warning"`) {
			t.Errorf("the warning stays once the patient has an email: %d", status)
		}
	})

	t.Run("a service's discipline agrees with its practitioners'", func(t *testing.T) {
		form := url.Values{"name": {"Elena Kowalska"}, "discipline": {"massage_therapist"}, "active": {"on"},
			"offer": {physio + ":1"}}
		status, body, _ := admin.PostForm("/admin/practitioners/"+pract["Elena Kowalska"], form)
		if status != 422 || !strings.Contains(html.UnescapeString(body), "Elena Kowalska is a massage therapist and cannot offer Physiotherapy initial assessment") {
			t.Errorf("giving a massage therapist a physiotherapy service = %d, without a clear refusal", status)
		}
		status, body = admin.Do2("PATCH", "/api/v1/services/"+massage, `{"discipline":"physiotherapist"}`)
		if status != 400 || !strings.Contains(body, "is not a physiotherapist") {
			t.Errorf("making a massage service physiotherapy = %d %s", status, body)
		}
	})

	t.Run("booking rules are edited on the location page and shown in plain words", func(t *testing.T) {
		status, body := admin.Get("/admin/locations/1")
		if status != 200 || !strings.Contains(body, `name="booking_policy.late_cancel_hours" inputmode="numeric" value="24"`) {
			t.Fatalf("the location page = %d, without the booking rules", status)
		}
		form := locationFormOf(t, body)
		form.Set("booking_policy.min_notice_hours", "0.1")
		form.Set("booking_policy.slot_step_minutes", "7")
		status, body, _ = admin.PostForm("/admin/locations/1", form)
		if status != 422 || !strings.Contains(body, "slot_step_minutes must divide a day") {
			t.Errorf("a grid of 7 minutes = %d, want 422 naming it", status)
		}
		form.Set("booking_policy.min_notice_hours", "4")
		form.Set("booking_policy.slot_step_minutes", "30")
		form.Set("booking_policy.late_cancel_hours", "48")
		form.Set("booking_policy.max_first_visits", "1")
		if status, body, _ := admin.PostForm("/admin/locations/1", form); status != 303 {
			t.Fatalf("saving the rules = %d %s", status, body)
		}
		anyone := app.Client(t)
		for _, page := range []string{"/locations", "/book"} {
			status, body := anyone.Get(page)
			for _, want := range []string{"Book at least 4 hours before the appointment.", "up to 2 days before it starts",
				"Appointments start every 30 minutes", "one first visit of each kind"} {
				if status != 200 || !strings.Contains(html.UnescapeString(body), want) {
					t.Errorf("%s = %d, without %q", page, status, want)
				}
			}
		}
		// The first-visit limit: a patient with a first physiotherapy visit
		// coming cannot book a second; reception can.
		sam := app.RegisterPatient(t, "limit.patient@example.org", "Lee Limit")
		slots := slotsOf(t, sam, "service="+physio+"&"+window(21))
		book := func(c *Client, i int, patient string) (int, string) {
			body := `{"service_id":"` + physio + `","practitioner_id":"` + slots[i].PractitionerID + `","start":"` + slots[i].Start.Format(time.RFC3339) + `"` + patient + `}`
			return c.PostJSON("/api/v1/appointments", body)
		}
		if status, body := book(sam, 0, ""); status != 201 {
			t.Fatalf("the first first visit = %d %s", status, body)
		}
		if status, body := book(sam, len(slots)-1, ""); status != 409 || !strings.Contains(body, "1 first visit of physiotherapy booked") {
			t.Errorf("a second first visit = %d %s, want 409", status, body)
		}
	})
}

// locationFormOf reads the location form's fields from its page.
func locationFormOf(t *testing.T, body string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range inputRE.FindAllStringSubmatch(body, -1) {
		v.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	for _, m := range textareaRE.FindAllStringSubmatch(body, -1) {
		v.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	if v.Get("name") == "" {
		t.Fatalf("no location form in %s", body)
	}
	return v
}

var (
	inputRE    = regexp.MustCompile(`<input[^>]* name="([^"]+)"[^>]* value="([^"]*)"`)
	textareaRE = regexp.MustCompile(`<textarea[^>]* name="([^"]+)"[^>]*>([^<]*)</textarea>`)
)

// TestDuplicatePatients: Siobhán phones twice and is typed two ways. The
// desk is warned of the look-alike, finds her by a plain "siobhan", and,
// when a second record was made anyway, merges it (audited) and can undo
// the merge.
func TestDuplicatePatients(t *testing.T) {
	app := demoApp(t)
	desk, admin := app.Client(t), app.Client(t)
	desk.Login("reception@riverside.example")
	admin.Login("admin@riverside.example")
	status, _, h := desk.PostForm("/patients", url.Values{"name": {"Siobhán Ó Briain"}, "phone": {"07700 900456"}, "date_of_birth": {"1984-03-09"}})
	if status != 303 {
		t.Fatalf("recording Siobhán = %d", status)
	}
	first := strings.TrimPrefix(h.Get("Location"), "/patients/")

	second := url.Values{"name": {"Siobhan O Briain"}, "phone": {"+44 7700 900456"}}
	status, body, _ := desk.PostForm("/patients", second)
	if status != 409 || !strings.Contains(body, `id="look-alikes"`) || !strings.Contains(body, `href="/patients/`+first+`" id="use-record-`+first+`"`) ||
		!strings.Contains(body, "the same phone number") {
		t.Fatalf("recording her again = %d, without the look-alike and the way to use it", status)
	}
	if n := strings.Count(body, `id="record-anyway"`); n != 1 {
		t.Errorf("the warning offers %d ways to record a new patient anyway, want 1", n)
	}
	for _, q := range []string{"siobhan", "SIOBHAN O BRIAIN", "07700900456", "+44 7700 900456"} {
		status, body := desk.Get("/patients?q=" + url.QueryEscape(q))
		if status != 200 || !strings.Contains(body, `href="/patients/`+first+`"`) {
			t.Errorf("searching %q = %d, without Siobhán", q, status)
		}
	}
	// Recorded anyway (the caller insisted), then found to be her.
	second.Set("confirm_new", "1")
	status, _, h = desk.PostForm("/patients", second)
	if status != 303 {
		t.Fatalf("recording anyway = %d", status)
	}
	dup := strings.TrimPrefix(h.Get("Location"), "/patients/")
	_, svc := catalogueIDs(t, desk)
	physio := svc["Physiotherapy initial assessment"]
	slot := slotsOf(t, desk, "service="+physio+"&"+window(14))[0]
	if status, _, _ := desk.PostForm("/book", url.Values{"service_id": {physio}, "practitioner_id": {slot.PractitionerID},
		"start": {slot.Start.Format(time.RFC3339)}, "patient_id": {dup}}); status != 303 {
		t.Fatalf("booking the duplicate = %d", status)
	}
	status, body = desk.Get("/patients/" + first)
	if status != 200 || !strings.Contains(body, `id="duplicates"`) || !strings.Contains(body, `/patients/`+first+`/merge?duplicate=`+dup) {
		t.Fatalf("Siobhán's record = %d, without the possible duplicate", status)
	}
	status, body = desk.Get("/patients/" + first + "/merge?duplicate=" + dup)
	if status != 200 || !strings.Contains(body, "Merge no. "+dup+" into no. "+first) || !strings.Contains(body, "Physiotherapy initial assessment") {
		t.Fatalf("the merge page = %d, without both records and the appointment that moves", status)
	}
	status, _, h = desk.PostForm("/patients/"+first+"/merge", url.Values{"duplicate_id": {dup}})
	if status != 303 || !strings.Contains(desk.StatusLine(h), "Merged patient no. "+dup+" into this record (1 record moved)") {
		t.Fatalf("merging = %d", status)
	}
	status, body = desk.Get("/patients/" + first)
	if status != 200 || !strings.Contains(body, "Physiotherapy initial assessment") || !strings.Contains(body, `id="merges"`) {
		t.Errorf("the record kept = %d, without the duplicate's appointment or the merge", status)
	}
	if status, body := desk.Get("/patients/" + dup); status != 200 || !strings.Contains(body, `id="merged-into"`) {
		t.Errorf("the duplicate's page = %d, without saying where it went", status)
	}
	if status, body := desk.Get("/patients?q=briain"); status != 200 || strings.Contains(body, `href="/patients/`+dup+`"`) {
		t.Errorf("the merged record is still found: %d", status)
	}
	status, body = admin.Get("/api/v1/audit?action=patient.merge&patient=" + first)
	var audit struct {
		Entries []struct {
			ResourceID string `json:"resource_id"`
		} `json:"entries"`
	}
	decode(t, body, &audit)
	if status != 200 || len(audit.Entries) != 1 {
		t.Fatalf("the merge's audit = %d %s", status, body)
	}
	// Undone from the record: the appointment goes back.
	status, _, h = desk.PostForm("/patient-merges/"+audit.Entries[0].ResourceID+"/undo", nil)
	if status != 303 || h.Get("Location") != "/patients/"+dup {
		t.Fatalf("undoing = %d %q", status, h.Get("Location"))
	}
	if status, body := desk.Get("/patients/" + dup); status != 200 || strings.Contains(body, `id="merged-into"`) || !strings.Contains(body, "Physiotherapy initial assessment") {
		t.Errorf("the duplicate after the undo = %d, still merged or without its appointment", status)
	}
	if status, body := admin.Get("/api/v1/audit?action=patient.unmerge"); status != 200 || !strings.Contains(body, `"resource_id":"`+audit.Entries[0].ResourceID+`"`) {
		t.Errorf("the undo's audit = %d %s", status, body)
	}
}

// outboxKinds lists the kinds of the emails to addr, oldest first.
func outboxKinds(t *testing.T, app *App, addr string) []string {
	t.Helper()
	rows, err := storetest.RawDB(t, app.DB).Query(`SELECT kind FROM outbox WHERE to_addr = $1 ORDER BY id`, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		out = append(out, k)
	}
	return out
}

// TestNeedsMoving: time off over a booked appointment flags it in the
// diary, the practitioner's day and the "to move" list, and emails the
// patient; moving it clears the flag and emails the new time.
func TestNeedsMoving(t *testing.T) {
	app := demoApp(t)
	desk, amira := app.Client(t), app.Client(t)
	desk.Login("reception@riverside.example")
	amira.Login("amira.shah@riverside.example")
	pract, svc := catalogueIDs(t, desk)
	physio, amiraID := svc["Physiotherapy initial assessment"], pract["Amira Shah"]
	status, _, h := desk.PostForm("/patients", url.Values{"name": {"Noor Haddad"}, "email": {"noor@example.org"}, "phone": {"01632 960 777"}})
	if status != 303 {
		t.Fatalf("recording = %d", status)
	}
	patient := strings.TrimPrefix(h.Get("Location"), "/patients/")
	slot := slotsOf(t, desk, "service="+physio+"&practitioner="+amiraID+"&"+window(14))[0]
	status, _, h = desk.PostForm("/book", url.Values{"service_id": {physio}, "practitioner_id": {amiraID}, "start": {slot.Start.Format(time.RFC3339)}, "patient_id": {patient}})
	if status != 303 {
		t.Fatalf("booking = %d", status)
	}
	appt := strings.TrimPrefix(strings.SplitN(h.Get("Location"), "?", 2)[0], "/appointments/")
	flag := `id="needs-moving-` + appt + `"`
	if _, body := desk.Get("/appointments"); strings.Contains(body, flag) {
		t.Fatal("the appointment is flagged before anything stands in its way")
	}

	zone := london(t)
	from, to := slot.Start.In(zone).Add(-time.Hour), slot.End.In(zone).Add(time.Hour)
	status, _, _ = amira.PostForm("/time-off", url.Values{"practitioner": {amiraID}, "start": {from.Format("2006-01-02T15:04")},
		"end": {to.Format("2006-01-02T15:04")}, "reason": {"Course"}})
	if status != 303 {
		t.Fatalf("time off = %d", status)
	}
	day := slot.Start.In(zone).Format("2006-01-02")
	for _, tc := range []struct {
		who  string
		c    *Client
		page string
	}{
		{"the desk's diary", desk, "/appointments"},
		{"the desk's diary of the day", desk, "/appointments?practitioner=" + amiraID + "&date=" + day},
		{"Amira's diary", amira, "/appointments"},
		{"Amira's day", amira, "/today?date=" + day},
		{"the desk's view of Amira's day", desk, "/today?practitioner=" + amiraID + "&date=" + day},
	} {
		status, body := tc.c.Get(tc.page)
		if status != 200 || !strings.Contains(body, flag) || !strings.Contains(body, "the practitioner is away (Course)") {
			t.Errorf("%s = %d, without the appointment flagged", tc.who, status)
		}
	}
	status, body := desk.Get("/appointments/to-move")
	if status != 200 || !strings.Contains(body, `id="move-`+appt+`"`) || !strings.Contains(body, "Noor Haddad") {
		t.Fatalf("the list to move = %d, without the appointment", status)
	}
	if got := outboxKinds(t, app, "noor@example.org"); !slices.Contains(got, "booking_needs_moving") {
		t.Errorf("emails to the patient = %v, without the one saying it must move", got)
	}
	// Moving it offers the next free times; the new one is not flagged.
	status, body = desk.Get("/appointments/" + appt + "/reschedule")
	if status != 200 || !strings.Contains(body, `id="why-move"`) || !strings.Contains(body, `class="slot"`) {
		t.Fatalf("the move page = %d, without the reason or free times", status)
	}
	next := slotsOf(t, desk, "service="+physio+"&"+window(14))[0]
	status, _, _ = desk.PostForm("/appointments/"+appt+"/reschedule", url.Values{"start": {next.Start.Format(time.RFC3339)}, "practitioner_id": {next.PractitionerID}})
	if status != 303 {
		t.Fatalf("moving = %d", status)
	}
	if status, body := desk.Get("/appointments/to-move"); status != 200 || !strings.Contains(body, `id="nothing-to-move"`) {
		t.Errorf("the list after the move = %d, not empty", status)
	}
	if _, body := desk.Get("/appointments"); strings.Contains(body, "needs moving:") {
		t.Error("the diary still flags an appointment after the move")
	}
	if got := outboxKinds(t, app, "noor@example.org"); !slices.Contains(got, "booking_changed") {
		t.Errorf("emails to the patient = %v, without the new time", got)
	}
}

// bookDirect stores an appointment at start through the store itself, as
// the server's own booking path would not (it offers no time in the past
// or within the minimum notice): for marking attendance now.
func bookDirect(t *testing.T, app *App, patient, practitioner, service string, start time.Time) string {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), app.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id := func(s string) int64 {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	b := &backdesk.Booking{PatientID: id(patient), PractitionerID: id(practitioner), ServiceID: id(service), LocationID: 1,
		Start: start, End: start.Add(45 * time.Minute), BlocksUntil: start.Add(time.Hour)}
	if _, err := db.InsertBooking(context.Background(), b, nil, nil); err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(b.ID, 10)
}

// TestAttendance: the desk marks a patient arrived, the practitioner sees
// it with who and when on their day and completes it; a no-show counts on
// the patient's record; nothing is marked out of order.
func TestAttendance(t *testing.T) {
	app := demoApp(t)
	desk, amira, elena := app.Client(t), app.Client(t), app.Client(t)
	desk.Login("reception@riverside.example")
	amira.Login("amira.shah@riverside.example")
	elena.Login("elena.kowalska@riverside.example")
	pract, svc := catalogueIDs(t, desk)
	physio, amiraID := svc["Physiotherapy initial assessment"], pract["Amira Shah"]
	status, _, h := desk.PostForm("/patients", url.Values{"name": {"Ada Arrives"}, "phone": {"01632 960 888"}})
	if status != 303 {
		t.Fatalf("recording = %d", status)
	}
	patient := strings.TrimPrefix(h.Get("Location"), "/patients/")
	soon := bookDirect(t, app, patient, amiraID, physio, time.Now().Add(30*time.Minute).Truncate(time.Minute))
	earlier := bookDirect(t, app, patient, amiraID, physio, time.Now().Add(-3*time.Hour).Truncate(time.Minute))

	day := "/today?practitioner=" + amiraID
	if status, body := desk.Get(day); status != 200 || !strings.Contains(body, `id="mark-arrived-`+soon+`"`) {
		t.Fatalf("the day = %d, without the arrived button", status)
	}
	status, _, h = desk.PostForm("/appointments/"+soon+"/attendance", url.Values{"status": {"arrived"}, "back": {day}})
	if status != 303 || h.Get("Location") != day || !strings.Contains(desk.StatusLine(h), "Ada Arrives: arrived.") {
		t.Fatalf("marking arrived = %d %q", status, h.Get("Location"))
	}
	status, body := amira.Get("/today")
	if status != 200 || !strings.Contains(body, `id="attendance-state-`+soon+`">Arrived`) || !strings.Contains(body, "by Chris Doyle (reception)") {
		t.Errorf("Amira's day = %d, without who marked the patient arrived", status)
	}
	if status, _, _ := elena.PostForm("/appointments/"+soon+"/attendance", url.Values{"status": {"completed"}}); status != 404 {
		t.Errorf("another practitioner marking it = %d, want 404", status)
	}
	if status, _ := amira.PostJSON("/api/v1/appointments/"+soon+"/attendance", `{"status":"completed"}`); status != 409 {
		t.Errorf("completing before the start = %d, want 409", status)
	}
	if status, body := amira.PostJSON("/api/v1/appointments/"+earlier+"/attendance", `{"status":"no_show"}`); status != 200 || !strings.Contains(body, `"attendance":"no_show"`) {
		t.Errorf("a no-show = %d %s", status, body)
	}
	if status, body := desk.Get("/patients/" + patient); status != 200 || !strings.Contains(body, `<dd id="no-shows">Once</dd>`) {
		t.Errorf("the record = %d, without the no-show count", status)
	}
	if status, _ := desk.PostJSON("/api/v1/appointments/"+earlier+"/attendance", `{"status":"completed"}`); status != 409 {
		t.Errorf("completing a no-show = %d, want 409", status)
	}
}

// TestCheckedInNotChangedOnline: once the desk has checked a patient in,
// their appointment page offers no cancelling or moving, and the API
// refuses both; reception can still move it.
func TestCheckedInNotChangedOnline(t *testing.T) {
	app := demoApp(t)
	desk, sam := app.Client(t), app.Client(t)
	desk.Login("reception@riverside.example")
	sam.Login("sam.taylor@example.org")
	pract, svc := catalogueIDs(t, desk)
	physio, amiraID := svc["Physiotherapy initial assessment"], pract["Amira Shah"]
	soon := bookDirect(t, app, "1", amiraID, physio, time.Now().Add(40*time.Minute).Truncate(time.Minute))
	if _, page := sam.Get("/appointments/" + soon); !strings.Contains(page, `id="cancel"`) {
		t.Fatal("before check-in the appointment page offers no cancelling")
	}
	if status, _, _ := desk.PostForm("/appointments/"+soon+"/attendance", url.Values{"status": {"arrived"}}); status != 303 {
		t.Fatalf("checking in = %d", status)
	}
	if status, page := sam.Get("/appointments/" + soon); status != 200 || strings.Contains(page, `id="cancel"`) || strings.Contains(page, "/reschedule") || !strings.Contains(page, `id="checked-in"`) {
		t.Errorf("the checked-in patient's page = %d, still offering changes or not saying why", status)
	}
	for _, page := range []string{"/cancel", "/reschedule"} {
		if status, body := sam.Get("/appointments/" + soon + page); status != 409 || !strings.Contains(body, "speak to reception") || strings.Contains(body, `class="slot"`) {
			t.Errorf("the checked-in patient's %s page = %d, want 409 saying to speak to reception", page, status)
		}
	}
	if status, body := sam.PostJSON("/api/v1/appointments/"+soon+"/cancel", `{}`); status != 409 || !strings.Contains(body, "speak to reception") {
		t.Errorf("the checked-in patient cancelling = %d %s, want 409", status, body)
	}
	later := slotsOf(t, desk, "service="+physio+"&practitioner="+amiraID+"&"+window(14))[0]
	if status, _ := sam.PostJSON("/api/v1/appointments/"+soon+"/reschedule", `{"start":"`+later.Start.Format(time.RFC3339)+`"}`); status != 409 {
		t.Errorf("the checked-in patient moving it = %d, want 409", status)
	}
	if status, body := desk.PostJSON("/api/v1/appointments/"+soon+"/reschedule", `{"start":"`+later.Start.Format(time.RFC3339)+`"}`); status != 200 {
		t.Errorf("reception moving it = %d %s", status, body)
	}
}

// TestDiaryCalendar: the day at the location, one column per
// practitioner, with the appointment placed at its time, time off as a
// block, free times bookable in two clicks (the free time, then Confirm);
// a practitioner's week; a practitioner sees their own column only.
func TestDiaryCalendar(t *testing.T) {
	app := demoApp(t)
	desk, amira := app.Client(t), app.Client(t)
	desk.Login("reception@riverside.example")
	amira.Login("amira.shah@riverside.example")
	pract, svc := catalogueIDs(t, desk)
	physio, amiraID := svc["Physiotherapy initial assessment"], pract["Amira Shah"]
	status, _, h := desk.PostForm("/patients", url.Values{"name": {"Dee Diary"}, "phone": {"01632 960 999"}})
	if status != 303 {
		t.Fatalf("recording = %d", status)
	}
	patient := strings.TrimPrefix(h.Get("Location"), "/patients/")
	slots := slotsOf(t, desk, "service="+physio+"&practitioner="+amiraID+"&"+window(14))
	day := slots[0].Start.In(london(t)).Format("2006-01-02")
	status, body := desk.Get("/diary?date=" + day + "&patient=" + patient)
	if status != 200 || !strings.Contains(body, `<th scope="col">Amira Shah`) || !strings.Contains(body, `<th scope="col">Elena Kowalska`) {
		t.Fatalf("the day = %d, without a column per practitioner", status)
	}
	free := `/book/review?service=` + physio + `&amp;practitioner=` + amiraID + `&amp;start=` + url.QueryEscape(slots[0].Start.Format(time.RFC3339)) + `&amp;patient=` + patient
	if !strings.Contains(body, free) {
		t.Fatalf("the day has no link to book Amira's first free time for the patient: %s", free)
	}
	// Click 1: the free time; click 2: Confirm booking.
	status, body = desk.Get(html.UnescapeString(free))
	if status != 200 || !strings.Contains(body, `name="patient_id" inputmode="numeric" class="short" required value="`+patient+`"`) {
		t.Fatalf("the review page = %d, without the patient", status)
	}
	status, _, h = desk.PostForm("/book", url.Values{"service_id": {physio}, "practitioner_id": {amiraID}, "start": {slots[0].Start.Format(time.RFC3339)}, "patient_id": {patient}})
	if status != 303 {
		t.Fatalf("confirming = %d", status)
	}
	appt := strings.TrimPrefix(strings.SplitN(h.Get("Location"), "?", 2)[0], "/appointments/")
	status, body = desk.Get("/diary?date=" + day)
	if status != 200 || !strings.Contains(body, `id="appt-`+appt+`"`) || !strings.Contains(body, "Dee Diary") || strings.Contains(body, free) {
		t.Errorf("the day after booking = %d, without the appointment in place of the free time", status)
	}
	// Time off later that day: a block, the appointment flagged.
	zone := london(t)
	if status, _, _ := amira.PostForm("/time-off", url.Values{"practitioner": {amiraID}, "start": {slots[0].Start.In(zone).Format("2006-01-02T15:04")},
		"end": {slots[0].Start.In(zone).Add(2 * time.Hour).Format("2006-01-02T15:04")}, "reason": {"Training"}}); status != 303 {
		t.Fatalf("time off = %d", status)
	}
	status, body = desk.Get("/diary?date=" + day)
	if status != 200 || !strings.Contains(body, "Away: Training") || !strings.Contains(body, "needs moving") {
		t.Errorf("the day with time off = %d, without the block or the flag", status)
	}
	status, body = amira.Get("/diary?date=" + day)
	if status != 200 || !strings.Contains(body, `id="appt-`+appt+`"`) || strings.Contains(body, "Elena Kowalska</th>") || strings.Contains(body, `<th scope="col">Elena`) {
		t.Errorf("Amira's diary = %d, not her column alone", status)
	}
	status, body = desk.Get("/diary/week?practitioner=" + amiraID + "&date=" + day)
	if status != 200 || !strings.Contains(body, `id="appt-`+appt+`"`) || !strings.Contains(body, "Amira Shah, the week of") || strings.Count(body, `<th scope="col">`) != 7 {
		t.Errorf("Amira's week = %d, without seven days and the appointment: %v %v %d", status, strings.Contains(body, `id="appt-`+appt+`"`), strings.Contains(body, "Amira Shah, the week of"), strings.Count(body, `<th scope="col">`))
	}
	for _, link := range []string{`id="diary-prev"`, `id="diary-next"`, `id="diary-today"`, `type="date"`} {
		if !strings.Contains(body, link) {
			t.Errorf("the week has no %s", link)
		}
	}
}

// TestAuditLogNames: the audit log names people, filters by any action,
// by person and by day, in the clinic's time; the outbox shows each
// email's text.
func TestAuditLogNames(t *testing.T) {
	app := demoApp(t)
	desk, admin := app.Client(t), app.Client(t)
	desk.Login("reception@riverside.example")
	admin.Login("admin@riverside.example")
	if status, _, _ := desk.PostForm("/patients", url.Values{"name": {"Siobhán Ó Briain"}, "email": {"siobhan@example.org"}}); status != 303 {
		t.Fatalf("recording = %d", status)
	}
	today := time.Now().In(london(t)).Format("2006-01-02")
	status, body := admin.Get("/admin/audit?person=siobhan&action=patient.create&from=" + today)
	body = html.UnescapeString(body)
	if status != 200 || !strings.Contains(body, "Chris Doyle (reception)") || !strings.Contains(body, "Siobhán Ó Briain") || !strings.Contains(body, "1 entry.") {
		t.Errorf("the audit log = %d, without the names or the one entry", status)
	}
	for _, action := range []string{"patient.merge", "booking.attendance", "note.sign", "waitlist.offer"} {
		if !strings.Contains(body, `<option value="`+action+`"`) {
			t.Errorf("the action filter lacks %s", action)
		}
	}
	if strings.Contains(body, "user 3") || strings.Contains(body, "(UTC)") {
		t.Error("the audit log still shows ids or UTC")
	}
	status, body = admin.Get("/api/v1/audit?person=siobhan")
	if status != 200 || !strings.Contains(body, `"names":{"users":{`) || !strings.Contains(body, "Siobhán Ó Briain") {
		t.Errorf("the API's audit = %d %s", status, body)
	}
	app.RegisterPatient(t, "outbox.reader@example.org", "Olive Outbox")
	status, body = desk.Get("/admin/outbox")
	if status != 200 || !strings.Contains(body, `<pre class="mail">`) || strings.Contains(body, "Written (UTC)") {
		t.Errorf("the outbox = %d, without the emails' text or in UTC", status)
	}
}

// TestDiaryOddDates: a diary date in the distant past is a date to
// correct (400, "Choose a date"), on both databases (PostgreSQL answered
// 500: it has no timestamp before the year 1); yesterday, last week and
// the far future are diaries like any other.
func TestDiaryOddDates(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			desk := app.Client(t)
			desk.Login("reception@riverside.example")
			yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
			lastWeek := time.Now().AddDate(0, 0, -8).Format(time.DateOnly)
			for _, c := range []struct {
				path string
				want int
			}{
				{"/diary?date=0000-01-01", 400}, {"/diary?date=0001-01-01", 400}, {"/diary/week?date=0001-01-03", 400},
				{"/diary?date=0001-01-08", 400}, {"/diary/week?date=1899-12-31", 400},
				{"/diary?date=9999-12-31", 200}, {"/diary/week?date=9999-12-31", 200}, {"/diary/week?date=1900-01-01", 200},
				// Days and weeks already over (they answered 400: no free
				// times to look for between now and their end).
				{"/diary?date=" + yesterday, 200}, {"/diary/week?date=" + lastWeek, 200}, {"/diary?date=2020-01-01", 200},
			} {
				status, body := desk.Get(c.path)
				if status != c.want || c.want == 400 && !strings.Contains(body, "Choose a date") {
					t.Errorf("GET %s = %d, want %d with the date to choose", c.path, status, c.want)
				}
			}
		})
	}
}

// TestBookingMergedRecord: the desk books nothing under a record merged
// into another, nor changes its details (409, naming the record kept): an
// appointment, waitlist request or new phone number there was hidden with
// the duplicate, off the record kept.
func TestBookingMergedRecord(t *testing.T) {
	app := demoApp(t)
	desk := app.Client(t)
	desk.Login("reception@riverside.example")
	kept := mustCreate(t, desk, "/api/v1/patients", `{"name":"Cy Merge"}`)
	dup := mustCreate(t, desk, "/api/v1/patients", `{"name":"Cy Merge"}`)
	if status, body := desk.PostJSON("/api/v1/patients/"+kept+"/merge", `{"duplicate_id":"`+dup+`"}`); status != 201 {
		t.Fatalf("merge = %d %s", status, body)
	}
	start := slotsOf(t, desk, "service=1&practitioner=1&"+window(14))[3].Start.Format(time.RFC3339)
	for _, w := range []struct{ path, body string }{
		{"/api/v1/appointments", `{"service_id":"1","practitioner_id":"1","start":"` + start + `","patient_id":"` + dup + `"}`},
		{"/api/v1/waitlist", `{"patient_id":"` + dup + `","discipline":"physiotherapist","from":"2030-01-01","to":"2030-01-31","weekdays":["monday"],"earliest":"09:00","latest":"12:00"}`},
	} {
		if status, body := desk.PostJSON(w.path, w.body); status != 409 || !strings.Contains(body, "no. "+kept) {
			t.Errorf("POST %s for the merged record = %d %.200s, want 409 naming no. %s", w.path, status, body, kept)
		}
	}
	// Nor are its details changed: they would be lost with the duplicate.
	if status, body, _ := desk.Do("PATCH", "/api/v1/patients/"+dup, "application/json", `{"phone":"01234 567890"}`); status != 409 || !strings.Contains(body, "no. "+kept) {
		t.Errorf("PATCH the merged record = %d %.200s, want 409 naming no. %s", status, body, kept)
	}
	mustCreate(t, desk, "/api/v1/appointments", `{"service_id":"1","practitioner_id":"1","start":"`+start+`","patient_id":"`+kept+`"}`)
}
