package main

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

const (
	deskAnswers    = `{"age":34,"duration_weeks":1,"episode":"recurring","pain_now":3,"trigger":"posture_desk","muscle_tension":true}`
	bladderAnswers = `{"age":45,"duration_weeks":2,"episode":"first","pain_now":7,"red_flags":{"urinary_difficulty":true,"saddle_numbness":true}}`
	feverAnswers   = `{"age":60,"duration_weeks":3,"episode":"first","pain_now":5,"red_flags":{"unwell_fever":true}}`
	dvtAnswers     = `{"age":50,"duration_weeks":2,"episode":"recurring","pain_now":2,"conditions":["dvt"],"muscle_tension":true}`
)

// assess posts answers as c and returns the new assessment's id.
func assess(t *testing.T, c *Client, answers string) string {
	t.Helper()
	status, body := c.PostJSON("/api/v1/assessments", `{"answers":`+answers+`}`)
	var r struct{ ID string }
	decode(t, body, &r)
	if status != 201 || r.ID == "" {
		t.Fatalf("assess = %d %s", status, body)
	}
	return r.ID
}

// TestBookingFromAssessment: through the API as through the pages, a result
// that says to see a doctor first (or that massage is not safe) books
// nothing for the patient, and the refusal repeats the advice with the
// number to call; reception may still book it; a result that recommends
// massage books it and is linked to the booking, and follows the patient
// who took it anonymously.
func TestBookingFromAssessment(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			anon, desk := app.Client(t), app.Client(t)
			desk.Login("reception@riverside.example")
			slots := slotsOf(t, anon, "service=4&practitioner=4&"+window(14))
			at := func(i int) string { return slots[4*i].Start.Format(time.RFC3339) }
			book := func(c *Client, assessment string, i int, extra string) (int, string) {
				return c.PostJSON("/api/v1/appointments", `{"service_id":"4","practitioner_id":"4","start":"`+at(i)+`","assessment_id":"`+assessment+`"`+extra+`}`)
			}
			bladder, fever, dvt := assess(t, anon, bladderAnswers), assess(t, anon, feverAnswers), assess(t, anon, dvtAnswers)

			patient := app.RegisterPatient(t, "rae@example.org", "Rae")
			for _, tc := range []struct {
				name, id string
				says     []string
			}{
				{"emergency", bladder, []string{"see a doctor first", "emergency department", "call 999 (or 112)", "+44 117 496 0123"}},
				{"urgent doctor", fever, []string{"doctor today or tomorrow", "NHS 111"}},
				{"massage not safe", dvt, []string{"massage is not safe"}},
			} {
				status, body := book(patient, tc.id, 0, "")
				if status != 403 || !strings.Contains(body, `"field":"assessment_id"`) {
					t.Errorf("%s: booking from it = %d %s, want 403", tc.name, status, body)
				}
				for _, w := range tc.says {
					if !strings.Contains(body, w) {
						t.Errorf("%s: refusal %s does not say %q", tc.name, body, w)
					}
				}
				// The page refuses the same, with the numbers to call.
				status, page, _ := patient.PostForm("/book", url.Values{"service_id": {"4"}, "practitioner_id": {"4"}, "start": {at(0)}, "assessment": {tc.id}})
				if status != 403 || !strings.Contains(page, `id="booking-refused"`) {
					t.Errorf("%s: POST /book = %d", tc.name, status)
				}
				review := "/book/review?" + url.Values{"service": {"4"}, "practitioner": {"4"}, "start": {at(0)}, "assessment": {tc.id}}.Encode()
				for who, c := range map[string]*Client{"signed out": anon, "the patient": patient} {
					if status, _ := c.Get(review); status != 403 {
						t.Errorf("%s: review as %s = %d, want 403", tc.name, who, status)
					}
				}
			}
			if status, body := patient.Get("/book?discipline=massage_therapist&assessment=" + bladder); status != 200 ||
				!strings.Contains(body, `id="doctor-first"`) || strings.Contains(body, `class="slot"`) || strings.Contains(body, "Recommended by") {
				t.Errorf("/book from the emergency result = %d, offering times or recommending", status)
			}
			if status, body := patient.Get("/book?discipline=physiotherapist&assessment=" + dvt); status != 200 || !strings.Contains(body, "Recommended by") {
				t.Errorf("/book for physiotherapy from a result that recommends it = %d", status)
			}
			// Reception may book it, after talking to the patient, and sees the red flags.
			if status, body := book(desk, bladder, 1, `,"patient_id":"1"`); status != 201 {
				t.Errorf("reception booking from the emergency result = %d %s", status, body)
			}
			review := "/book/review?" + url.Values{"service": {"4"}, "practitioner": {"4"}, "start": {at(7)}, "assessment": {bladder}, "patient": {"1"}}.Encode()
			if status, body := desk.Get(review); status != 200 || !strings.Contains(body, `id="red-flags"`) || !strings.Contains(body, "Numbness or tingling in your genitals") {
				t.Errorf("reception's review of the emergency result = %d", status)
			}

			// The desk patient's result, taken signed out, follows them
			// when they sign in with it, and the booking links to it.
			desk1 := assess(t, anon, deskAnswers)
			if status, body := patient.PostJSON("/api/v1/auth/login", `{"email":"rae@example.org","password":"`+PatientPassword+`","assessment_id":"`+desk1+`"}`); status != 200 {
				t.Fatalf("login with the assessment: %d %s", status, body)
			}
			status, body := book(patient, desk1, 3, "")
			var b struct {
				ID           string `json:"id"`
				AssessmentID string `json:"assessment_id"`
			}
			decode(t, body, &b)
			if status != 201 || b.AssessmentID != desk1 {
				t.Fatalf("booking from the desk result = %d %s", status, body)
			}
			if _, page := patient.Get("/account"); !strings.Contains(page, "Massage therapy suits your back pain.") {
				t.Error("the account does not list the claimed result")
			}
			// Now it is theirs: signed out, its id no longer opens it, and
			// another patient cannot claim it.
			if status, _ := anon.Get("/api/v1/assessments/" + desk1); status != 404 {
				t.Errorf("a claimed result by its id alone = %d, want 404", status)
			}
			other := app.RegisterPatient(t, "sol@example.org", "Sol")
			other.PostJSON("/api/v1/auth/login", `{"email":"sol@example.org","password":"`+PatientPassword+`","assessment_id":"`+desk1+`"}`)
			if status, _ := other.Get("/api/v1/assessments/" + desk1); status != 404 {
				t.Errorf("another patient's claim = %d, want 404", status)
			}
			if status, body := book(other, desk1, 5, ""); status != 400 || !strings.Contains(body, "not found") {
				t.Errorf("another patient booking from it = %d %s", status, body)
			}
			// The massage therapist sees it on the appointment.
			elena := app.Client(t)
			elena.Login("elena.kowalska@riverside.example")
			if status, page := elena.Get("/appointments/" + b.ID); status != 200 || !strings.Contains(page, `id="assessment-summary"`) || !strings.Contains(page, "Massage safe.") {
				t.Errorf("the therapist's appointment page = %d", status)
			}
			// And on the patient's record, with the red flags of one who has them.
			if status, page := desk.Get("/patients/1"); status != 200 || !strings.Contains(page, `id="assessment-summary"`) {
				t.Errorf("reception's record of Sam = %d", status)
			}
		})
	}
}

// TestReviewAndFirstVisit: the review page says what, when, where, for
// how much and what cancelling costs; a second first visit of the same
// discipline is warned of.
func TestReviewAndFirstVisit(t *testing.T) {
	app := demoApp(t)
	sam := app.Client(t)
	sam.Login("sam.taylor@example.org")
	// Times beyond the demo's 24-hour late-cancellation window, so the
	// review offers free cancelling whatever the hour the test runs at.
	var slots []slotJSON
	for _, s := range slotsOf(t, sam, "service=1&practitioner=1&"+window(14)) {
		if s.Start.After(time.Now().Add(25 * time.Hour)) {
			slots = append(slots, s)
		}
	}
	review := func(i int) (int, string) {
		return sam.Get("/book/review?" + url.Values{"service": {"1"}, "practitioner": {"1"}, "start": {slots[8*i].Start.Format(time.RFC3339)}}.Encode())
	}
	status, page := review(1)
	for _, want := range []string{"Physiotherapy initial assessment", "Amira Shah", "£65.00", "Cancel or change it for free until", "late cancellation", `id="confirm-booking"`} {
		if status != 200 || !strings.Contains(page, want) {
			t.Errorf("review = %d, lacks %q", status, want)
		}
	}
	if strings.Contains(page, "first-visit-warning") {
		t.Error("a first first visit is warned of")
	}
	key := regexp.MustCompile(`name="idempotency_key" value="([0-9a-f]{32})"`).FindStringSubmatch(page)
	if key == nil {
		t.Fatal("the confirmation has no idempotency key")
	}
	form := url.Values{"service_id": {"1"}, "practitioner_id": {"1"}, "start": {slots[8].Start.Format(time.RFC3339)}, "idempotency_key": {key[1]}}
	s1, _, h1 := sam.PostForm("/book", form)
	s2, _, h2 := sam.PostForm("/book", form) // a second tap
	if s1 != 303 || s2 != 303 || h1.Get("Location") != h2.Get("Location") {
		t.Errorf("two taps of Confirm = %d %q, %d %q: want the same booking", s1, h1.Get("Location"), s2, h2.Get("Location"))
	}
	if status, page = review(2); status != 200 || !strings.Contains(page, `id="first-visit-warning"`) {
		t.Errorf("a second first visit = %d, not warned of", status)
	}
	// A time that has just gone leads back to the times.
	other := app.RegisterPatient(t, "lee@example.org", "Lee")
	if status, page := other.Get("/book/review?" + url.Values{"service": {"1"}, "practitioner": {"1"}, "start": {slots[8].Start.Format(time.RFC3339)}}.Encode()); status != 409 || !strings.Contains(page, "Choose another time") {
		t.Errorf("reviewing a taken time = %d", status)
	}
}

// TestRescheduleKeepsTheEvent: a moved appointment links to its new time,
// shows under "Cancelled or moved", and its calendar event keeps its UID
// with SEQUENCE counting up, so that calendars move it.
func TestRescheduleKeepsTheEvent(t *testing.T) {
	app := demoApp(t)
	sam := app.Client(t)
	sam.Login("sam.taylor@example.org")
	slots := slotsOf(t, sam, "service=1&practitioner=1&"+window(14))
	status, body := sam.PostJSON("/api/v1/appointments", `{"service_id":"1","practitioner_id":"1","start":"`+slots[4].Start.Format(time.RFC3339)+`"}`)
	var first struct{ ID string }
	decode(t, body, &first)
	if status != 201 {
		t.Fatalf("book: %d %s", status, body)
	}
	uid := regexp.MustCompile(`UID:(\S+)`)
	seq := regexp.MustCompile(`SEQUENCE:(\d+)`)
	_, ics0 := sam.Get("/api/v1/appointments/" + first.ID + "/ics")
	moved := first.ID
	for i, want := range []string{"1", "2"} {
		status, body = sam.PostJSON("/api/v1/appointments/"+moved+"/reschedule", `{"start":"`+slots[12+8*i].Start.Format(time.RFC3339)+`"}`)
		var nb struct {
			ID              string
			RescheduledFrom string `json:"rescheduled_from"`
		}
		decode(t, body, &nb)
		if status != 200 || nb.RescheduledFrom != moved {
			t.Fatalf("reschedule: %d %s", status, body)
		}
		_, ics := sam.Get("/api/v1/appointments/" + nb.ID + "/ics")
		if uid.FindString(ics) != uid.FindString(ics0) || seq.FindStringSubmatch(ics)[1] != want || !strings.Contains(ics, "STATUS:CONFIRMED") {
			t.Errorf("after move %d the event is %s %s, first %s", i+1, uid.FindString(ics), seq.FindString(ics), uid.FindString(ics0))
		}
		// The old appointment's file is the same event, moved.
		if _, old := sam.Get("/api/v1/appointments/" + moved + "/ics"); !strings.Contains(old, "SEQUENCE:"+want) || strings.Contains(old, "STATUS:CANCELLED") {
			t.Errorf("the moved appointment's file: %s", old)
		}
		_, page := sam.Get("/appointments/" + moved)
		if !strings.Contains(page, `id="moved-to"`) || !strings.Contains(page, `href="/appointments/`+nb.ID+`"`) {
			t.Errorf("the moved appointment does not link to its new time %s", nb.ID)
		}
		var old struct {
			RescheduledTo string `json:"rescheduled_to"`
		}
		_, body = sam.Get("/api/v1/appointments/" + moved)
		decode(t, body, &old)
		if old.RescheduledTo != nb.ID {
			t.Errorf("API: rescheduled_to = %q, want %s", old.RescheduledTo, nb.ID)
		}
		moved = nb.ID
	}
	_, page := sam.Get("/appointments")
	coming, gone := strings.Index(page, `id="coming"`), strings.Index(page, `id="cancelled"`)
	if coming < 0 || gone < coming || strings.Count(page[gone:], "moved</span>") != 2 || !strings.Contains(page[coming:gone], `/appointments/`+moved+`"`) {
		t.Errorf("your appointments does not keep coming and moved apart")
	}
	// Cancelling asks first; the confirmation cancels.
	if status, page, _ := sam.PostForm("/appointments/"+moved+"/cancel", url.Values{"reason": {"x"}}); status != 200 || !strings.Contains(page, "Cancel your appointment?") {
		t.Errorf("cancel without confirming = %d", status)
	}
	if status, _, h := sam.PostForm("/appointments/"+moved+"/cancel", url.Values{"confirm": {"yes"}}); status != 303 || sam.StatusLine(h) != "Your appointment is cancelled." {
		t.Errorf("cancel = %d", status)
	}
	if _, ics := sam.Get("/api/v1/appointments/" + moved + "/ics"); !strings.Contains(ics, "STATUS:CANCELLED") || !strings.Contains(ics, "SEQUENCE:3") {
		t.Errorf("the cancelled event: %s", ics)
	}
}

// TestIntakeBeforeMassage: before a first massage, someone with no
// self-assessment answers its massage-safety questions with their details
// and consent, every problem at once; the therapist sees the answers and
// what they say; each change of details is kept with its old value.
func TestIntakeBeforeMassage(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			sam, elena := app.Client(t), app.Client(t)
			sam.Login("sam.taylor@example.org")
			elena.Login("elena.kowalska@riverside.example")
			slots := slotsOf(t, sam, "service=4&practitioner=4&"+window(14))
			status, body := sam.PostJSON("/api/v1/appointments", `{"service_id":"4","practitioner_id":"4","start":"`+slots[0].Start.Format(time.RFC3339)+`"}`)
			var b struct{ ID string }
			decode(t, body, &b)
			if status != 201 {
				t.Fatalf("book: %d %s", status, body)
			}
			if _, page := sam.Get("/appointments/" + b.ID); !strings.Contains(page, `id="start-intake"`) {
				t.Error("the first visit does not ask for the health questions")
			}
			status, page := sam.Get("/appointments/" + b.ID + "/intake")
			if status != 200 || !strings.Contains(page, `id="step-safety"`) || !strings.Contains(page, `name="red_flags.saddle_numbness"`) || !strings.Contains(page, "Your GP") {
				t.Fatalf("the intake form = %d, without the massage-safety questions", status)
			}
			status, page, _ = sam.PostForm("/appointments/"+b.ID+"/intake", url.Values{"phone": {"not a phone"}, "emergency_contact_phone": {"?"}})
			for _, want := range []string{`href="#phone"`, `href="#emergency_contact_phone"`, `href="#consent_treatment"`, `href="#date_of_birth"`,
				`aria-describedby="phone-error"`, `id="consent_treatment-error"`} {
				if status != 422 || !strings.Contains(page, want) {
					t.Errorf("intake with four problems = %d, lacks %s", status, want)
				}
			}
			form := url.Values{"phone": {"0117 496 0999"}, "date_of_birth": {"1984-06-02"}, "family_doctor": {"Dr Rao, Quay Surgery"},
				"emergency_contact_name": {"Kit Taylor"}, "emergency_contact_phone": {"0117 496 0998"}, "consent_treatment": {"yes"}, "consent_email": {"yes"},
				"conditions": {"anticoagulants"}, "leg.pins_and_needles": {"true"}}
			if status, _, h := sam.PostForm("/appointments/"+b.ID+"/intake", form); status != 303 || !strings.Contains(sam.StatusLine(h), "your answers are with your practitioner") {
				t.Fatalf("intake = %d", status)
			}
			status, page = elena.Get("/appointments/" + b.ID)
			for _, want := range []string{`id="intake-summary"`, "Massage not until assessed", "Blood thinners", "Pins and needles", "Dr Rao, Quay Surgery", "Kit Taylor"} {
				if status != 200 || !strings.Contains(page, want) {
					t.Errorf("the therapist's page = %d, lacks %q", status, want)
				}
			}
			// The patient changes a detail: audited, the old value kept.
			if status, _, _ := sam.PostForm("/account/details", url.Values{"phone": {"0117 496 0111"}, "family_doctor": {"Dr Rao, Quay Surgery"},
				"date_of_birth": {"1984-06-02"}, "emergency_contact_name": {"Kit Taylor"}, "emergency_contact_phone": {"0117 496 0998"}, "consent_email": {"yes"}}); status != 303 {
				t.Fatalf("change details = %d", status)
			}
			if _, page := sam.Get("/account/details"); !strings.Contains(page, "0117 496 0111") || !strings.Contains(page, "was “0117 496 0999”") {
				t.Error("the details page does not show the change with its old value")
			}
			admin := app.Client(t)
			admin.Login("admin@riverside.example")
			_, audit := admin.Get("/api/v1/audit?action=patient.update")
			if strings.Count(audit, `"action":"patient.update"`) < 2 {
				t.Errorf("patient.update not audited: %s", audit)
			}
			var export struct {
				DetailChanges []struct{ Field, OldValue string } `json:"detail_changes"`
				Intakes       []struct{ Answers map[string]any } `json:"intakes"`
			}
			_, body = sam.Get("/api/v1/me/export")
			decode(t, body, &export)
			if len(export.DetailChanges) < 6 || len(export.Intakes) != 1 || export.Intakes[0].Answers["conditions"] == nil {
				t.Errorf("export: %d changes, %d intakes", len(export.DetailChanges), len(export.Intakes))
			}
			raw := db.raw(t)
			var old string
			if err := raw.QueryRow(`SELECT old_value FROM patient_changes WHERE field = 'phone' AND new_value = '0117 496 0111'`).Scan(&old); err != nil || old != "0117 496 0999" {
				t.Errorf("stored old phone = %q, %v", old, err)
			}
		})
	}
}

// TestUSDemo: --demo=us is a clinic in Denver, in dollars, with American
// words in the API's questionnaire and the rulebook, and 911; --demo alone
// stays the UK clinic.
func TestUSDemo(t *testing.T) {
	us := demoAppWith(t, nil, "--demo=us")
	c := us.Client(t)
	_, body := c.Get("/api/v1/locations")
	if !strings.Contains(body, `"country":"US"`) || !strings.Contains(body, `"time_zone":"America/Denver"`) || !strings.Contains(us.Stdout.String(), "Denver (America/Denver)") {
		t.Errorf("US locations = %s", body)
	}
	_, body = c.Get("/api/v1/services")
	if strings.Contains(body, "GBP") || !strings.Contains(body, `"currency":"USD"`) {
		t.Errorf("US services = %.300s", body)
	}
	id := assess(t, c, bladderAnswers)
	_, body = c.Get("/api/v1/assessments/" + id)
	if !strings.Contains(body, `"numbers":["911"]`) || strings.Contains(body, "999") {
		t.Errorf("US emergency = %s", body)
	}
	_, body = c.Get("/api/v1/assessments/" + assess(t, c, `{"age":41,"duration_weeks":3,"episode":"first","pain_now":5}`))
	if !strings.Contains(body, "physical therapist") || strings.Contains(body, "See a physiotherapist") {
		t.Errorf("US result = %.400s", body)
	}
	for _, path := range []string{"/api/v1/questionnaire", "/api/v1/rules", "/rules", "/assessment", "/", "/services", "/locations"} {
		_, body := c.Get(path)
		if m := regexp.MustCompile(`\bGP\b|A&amp;E|A&E|NHS`).FindString(body); m != "" {
			t.Errorf("US %s says %q", path, m)
		}
	}
	_, body = c.Get("/api/v1/rules")
	if !strings.Contains(body, "NICE NG59") {
		t.Error("the US rulebook no longer cites its sources")
	}
	uk := demoApp(t)
	if _, body := uk.Client(t).Get("/api/v1/locations"); !strings.Contains(body, `"country":"GB"`) {
		t.Errorf("--demo alone = %s", body)
	}
	var stdout, stderr strings.Builder
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--demo=fr"}, func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	if err == nil || !strings.Contains(stderr.String()+err.Error(), "--demo") {
		t.Errorf("--demo=fr = %v %s", err, stderr.String())
	}
}

// TestNameLengthLimit: a 600-character name is refused where a person
// gives one (registration, the desk's record, the contact form), so that
// it cannot stretch the page header; the limit is 100 characters.
func TestNameLengthLimit(t *testing.T) {
	app := demoApp(t)
	c, desk := app.Client(t), app.Client(t)
	desk.Login("reception@riverside.example")
	long := strings.Repeat("x", 600)
	if status, body := c.PostJSON("/api/v1/auth/register", `{"email":"long@example.org","name":"`+long+`","password":"eight loud copper bells"}`); status != 400 || !strings.Contains(body, `"field":"name"`) {
		t.Errorf("registering a 600-character name = %d %.200s", status, body)
	}
	status, page, _ := c.PostForm("/register", url.Values{"name": {long}, "email": {"not-an-email"}, "password": {"short"}, "password_again": {"other"}})
	for _, f := range []string{"name", "email", "password", "password_again"} {
		if status != 422 || !strings.Contains(page, `href="#`+f+`"`) || !strings.Contains(page, `id="`+f+`-error"`) {
			t.Errorf("register with four problems = %d, does not name %s with a link and beside the field", status, f)
		}
	}
	if status, body := desk.PostJSON("/api/v1/patients", `{"name":"`+long+`"}`); status != 400 || !strings.Contains(body, "at most 100") {
		t.Errorf("recording a 600-character name = %d %.200s", status, body)
	}
	if status, body := c.PostJSON("/api/v1/auth/register", `{"email":"ok-long@example.org","name":"`+strings.Repeat("y", 100)+`","password":"eight loud copper bells"}`); status != 202 {
		t.Errorf("a 100-character name = %d %.200s", status, body)
	}
}

// TestBookingPageOneDay: the booking page shows one day of free times, not
// the fortnight: every time on it is on the day shown, which the date
// picker names, with a link to the next day that has times; a later day
// asked for shows that day (or the next with times); a day before today
// shows today; a date that is not one is a problem named in plain words.
func TestBookingPageOneDay(t *testing.T) {
	t.Parallel()
	app := demoApp(t)
	c := app.Client(t)
	startRE := regexp.MustCompile(`class="slot" href="/book/review\?[^"]*start=([^&"]+)`)
	dateRE := regexp.MustCompile(`id="date" name="date" type="date" value="(\d{4}-\d\d-\d\d)" min="(\d{4}-\d\d-\d\d)"`)
	nextRE := regexp.MustCompile(`href="([^"]+)" rel="next" id="next-day"`)
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	// day reads a booking page: the date picker's day, the days of its
	// times, and the next day's link.
	day := func(path string) (shown string, days map[string]int, next string) {
		t.Helper()
		status, page := c.Get(path)
		if status != 200 {
			t.Fatalf("%s = %d", path, status)
		}
		m := dateRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("%s has no date picker", path)
		}
		days = map[string]int{}
		for _, s := range startRE.FindAllStringSubmatch(page, -1) {
			v, err := url.QueryUnescape(s[1])
			if err != nil {
				t.Fatal(err)
			}
			at, err := time.Parse(time.RFC3339, v)
			if err != nil {
				t.Fatalf("time %q: %v", v, err)
			}
			days[at.In(london).Format("2006-01-02")]++
		}
		if n := nextRE.FindStringSubmatch(page); n != nil {
			next = strings.ReplaceAll(n[1], "&amp;", "&")
		}
		return m[1], days, next
	}
	all := len(slotsOf(t, c, "service=1&"+window(14)))
	_, days, next := day("/book?service=1")
	if len(days) != 1 || next == "" {
		t.Fatalf("the booking page shows times on %d days (%v), next %q; want one day and the next", len(days), days, next)
	}
	for _, n := range days {
		if n >= all {
			t.Errorf("one day shows %d times, the fortnight has %d", n, all)
		}
	}
	_, days2, _ := day(next)
	for d := range days2 {
		if _, same := days[d]; same || len(days2) != 1 {
			t.Errorf("the next day's page shows %v after %v", days2, days)
		}
	}
	later := time.Now().In(london).AddDate(0, 0, 9).Format("2006-01-02")
	shown, days3, _ := day("/book?service=1&date=" + later)
	for d := range days3 {
		if d < later || len(days3) != 1 {
			t.Errorf("asking for %s shows %v (picker %s)", later, days3, shown)
		}
	}
	today := time.Now().In(london).Format("2006-01-02")
	if shown, _, _ := day("/book?service=1&date=2001-01-01"); shown != today {
		t.Errorf("a day in the past shows %s, want today %s", shown, today)
	}
	if status, page := c.Get("/book?service=1&date=tomorrow"); status != 400 || !strings.Contains(page, "Choose a date, such as") {
		t.Errorf("a date that is not one = %d", status)
	}
}

// TestRescheduleKeepsThePractitioner: changing a time offers the same
// practitioner's times first, with "With" set to them; "Anyone" offers
// everyone's who takes the service.
func TestRescheduleKeepsThePractitioner(t *testing.T) {
	app := demoApp(t)
	sam := app.Client(t)
	sam.Login("sam.taylor@example.org")
	b := bookFirstFree(t, sam, "1")
	others := map[string]bool{}
	for _, s := range slotsOf(t, sam, "service=1&"+window(14)) {
		others[s.PractitionerID] = true
	}
	if len(others) < 2 {
		t.Fatalf("the demo has %d practitioners for service 1, want 2 or more", len(others))
	}
	withs := regexp.MustCompile(`class="slot" href="/appointments/` + b.ID + `/reschedule\?start=[^"]*&amp;practitioner=(\d+)&amp;`)
	shown := func(query string) map[string]bool {
		t.Helper()
		status, page := sam.Get("/appointments/" + b.ID + "/reschedule" + query)
		if status != 200 {
			t.Fatalf("the reschedule page%s = %d", query, status)
		}
		out := map[string]bool{}
		for _, m := range withs.FindAllStringSubmatch(page, -1) {
			out[m[1]] = true
		}
		// Each day shown, up to 14 days on: enough to see a second practitioner.
		for day := 1; day < 14 && len(out) < 2 && query != ""; day++ {
			_, page = sam.Get("/appointments/" + b.ID + "/reschedule" + query + "&date=" + time.Now().AddDate(0, 0, day).Format("2006-01-02"))
			for _, m := range withs.FindAllStringSubmatch(page, -1) {
				out[m[1]] = true
			}
		}
		return out
	}
	status, page := sam.Get("/appointments/" + b.ID + "/reschedule")
	if status != 200 || !regexp.MustCompile(`<option value="1" selected>Amira Shah</option>`).MatchString(page) {
		t.Errorf("the reschedule page = %d, without Amira chosen under With", status)
	}
	if got := shown(""); len(got) != 1 || !got["1"] {
		t.Errorf("times offered for a move = practitioners %v, want only Amira's (1)", got)
	}
	if got := shown("?practitioner="); len(got) < 2 {
		t.Errorf("times offered with Anyone = practitioners %v, want more than one", got)
	}
}
