package main

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

type planJSON struct {
	ID        string `json:"id"`
	PatientID string `json:"patient_id"`
	Current   struct {
		Version   int `json:"version"`
		Exercises []struct {
			ExerciseID      string `json:"exercise_id"`
			ExerciseVersion string `json:"exercise_version"`
			Dosage          struct{ Sets, Reps int }
			Exercise        *struct {
				Name  string   `json:"name"`
				Steps []string `json:"steps"`
			} `json:"exercise"`
		} `json:"exercises"`
		Goals []struct {
			Measure string   `json:"measure"`
			Target  *float64 `json:"target"`
		} `json:"goals"`
	} `json:"current"`
}

// samplePlanBody is Sam's plan as Amira writes it.
func samplePlanBody(patientID string) string {
	return `{"patient_id":"` + patientID + `","problem":"Low back pain for six weeks, worse after sitting at work.",
		"goals":[{"text":"Oswestry under 20","measure":"odi","target":20,"by":"2027-03-01"},{"text":"Pain 3 or less","measure":"pain","target":3,"by":"2027-03-01"},
			{"text":"Walk 30 minutes to work","by":"2027-02-01"}],
		"sessions":[{"discipline":"physiotherapist","service_id":"2","count":6,"every_weeks":2},{"discipline":"massage_therapist","count":3,"every_weeks":3}],
		"exercises":[{"exercise_id":"knee-to-chest","dosage":{"sets":2,"reps":10,"times_per_day":2}},
			{"exercise_id":"bridge","dosage":{"sets":3,"reps":10,"times_per_day":1}},
			{"exercise_id":"walking-programme","dosage":{"minutes":20,"days_per_week":5}}]}`
}

// planFixture is the demo clinic with Sam booked with Amira (so that she
// treats him) and his plan written by her.
type planFixture struct {
	app                         *App
	sam, amira, reception, anon *Client
	patientID, planID           string
	booking                     bookingJSON
}

func newPlanFixture(t *testing.T, app *App) planFixture {
	t.Helper()
	f := planFixture{app: app, sam: app.Client(t), amira: app.Client(t), reception: app.Client(t), anon: app.Client(t)}
	f.sam.Login("sam.taylor@example.org")
	f.amira.Login("amira.shah@riverside.example")
	f.reception.Login("reception@riverside.example")
	_, me := f.sam.Get("/api/v1/me")
	var u struct {
		PatientID string `json:"patient_id"`
	}
	decode(t, me, &u)
	f.patientID = u.PatientID
	slot := slotsOf(t, f.sam, "service=1&practitioner=1&"+window(14))[0]
	status, body := f.sam.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s"}`, slot.Start.Format(time.RFC3339)))
	if status != 201 {
		t.Fatalf("book = %d %s", status, body)
	}
	decode(t, body, &f.booking)
	status, body = f.amira.PostJSON("/api/v1/care-plans", samplePlanBody(f.patientID))
	if status != 201 {
		t.Fatalf("write the plan = %d %s", status, body)
	}
	var p planJSON
	decode(t, body, &p)
	f.planID = p.ID
	return f
}

// TestCarePlanAPI: a practitioner who treats the patient writes the plan;
// bad dosages, another patient's plan and an old version are refused with
// a clear 4xx and nothing stored; a change is a new version whose changes
// are listed; the patient logs exercises against the current version and
// adherence counts them; the course is booked in one go through the
// ordinary booking path.
func TestCarePlanAPI(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			sam, amira, anon := app.Client(t), app.Client(t), app.Client(t)
			sam.Login("sam.taylor@example.org")
			amira.Login("amira.shah@riverside.example")
			elena := app.Client(t)
			elena.Login("elena.kowalska@riverside.example")
			other := app.RegisterPatient(t, "other.patient@example.org", "Other Patient")
			_, me := sam.Get("/api/v1/me")
			var u struct {
				PatientID string `json:"patient_id"`
			}
			decode(t, me, &u)

			// Before any appointment Amira does not treat Sam: his records are hidden.
			if status, _ := amira.PostJSON("/api/v1/care-plans", samplePlanBody(u.PatientID)); status != 404 {
				t.Errorf("a plan by a practitioner who does not treat the patient = %d, want 404", status)
			}
			slot := slotsOf(t, sam, "service=1&practitioner=1&"+window(14))[0]
			if status, body := sam.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s"}`, slot.Start.Format(time.RFC3339))); status != 201 {
				t.Fatalf("book = %d %s", status, body)
			}

			// Bad input: a clear 400 naming the field, and nothing stored.
			good := samplePlanBody(u.PatientID)
			for _, tc := range []struct{ name, from, to, field string }{
				{"dosage of 0", `"dosage":{"sets":3,"reps":10,"times_per_day":1}`, `"dosage":{"sets":0,"reps":0,"times_per_day":0}`, "exercises.1.dosage.reps"},
				{"10,000 repetitions", `"dosage":{"sets":3,"reps":10,"times_per_day":1}`, `"dosage":{"sets":3,"reps":10000,"times_per_day":1}`, "exercises.1.dosage.reps"},
				{"unknown exercise", `"bridge"`, `"no-such-exercise"`, "exercises.1.exercise_id"},
				{"goal out of its measure's range", `"target":20`, `"target":140`, "goals.0.target"},
				{"service of another discipline", `"service_id":"2"`, `"service_id":"4"`, "sessions.0.service_id"},
				{"no problem", `"problem":"Low back pain for six weeks, worse after sitting at work."`, `"problem":" "`, "problem"},
			} {
				body := strings.Replace(good, tc.from, tc.to, 1)
				status, resp := amira.PostJSON("/api/v1/care-plans", body)
				if status != 400 || !strings.Contains(resp, `"field":"`+tc.field+`"`) {
					t.Errorf("%s = %d %s, want 400 naming %s", tc.name, status, resp, tc.field)
				}
			}
			if status, _ := sam.Get("/api/v1/patients/" + u.PatientID + "/care-plan"); status != 404 {
				t.Errorf("a refused plan was stored: %d", status)
			}
			for who, c := range map[string]*Client{"the patient": sam, "reception": func() *Client { c := app.Client(t); c.Login("reception@riverside.example"); return c }()} {
				if status, _ := c.PostJSON("/api/v1/care-plans", good); status != 403 {
					t.Errorf("a plan written by %s = %d, want 403", who, status)
				}
			}

			status, body := amira.PostJSON("/api/v1/care-plans", good)
			var p planJSON
			decode(t, body, &p)
			if status != 201 || p.Current.Version != 1 || len(p.Current.Exercises) != 3 || p.Current.Exercises[1].ExerciseVersion != "2026.1" ||
				p.Current.Exercises[1].Exercise == nil || p.Current.Exercises[1].Exercise.Name != "Bridge" || len(p.Current.Exercises[1].Exercise.Steps) < 2 {
				t.Fatalf("create = %d %s", status, body)
			}
			if status, _ := amira.PostJSON("/api/v1/care-plans", good); status != 409 {
				t.Errorf("a second plan for the patient = %d, want 409", status)
			}
			// The patient reads their plan; another patient and a practitioner who does not treat him do not.
			for who, tc := range map[string]struct {
				c    *Client
				want int
			}{"sam": {sam, 200}, "other": {other, 404}, "elena": {elena, 404}, "anonymous": {anon, 401}, "amira": {amira, 200}} {
				if status, _ := tc.c.Get("/api/v1/care-plans/" + p.ID); status != tc.want {
					t.Errorf("GET the plan as %s = %d, want %d", who, status, tc.want)
				}
			}

			logOf := func(c *Client, version int, exercise string, pain string) (int, string) {
				b := fmt.Sprintf(`{"version":%d,"exercise_id":"%s"%s}`, version, exercise, pain)
				return c.PostJSON("/api/v1/care-plans/"+p.ID+"/adherence", b)
			}
			if status, body := logOf(sam, 1, "bridge", `,"pain":3`); status != 201 || !strings.Contains(body, `"pain":3`) {
				t.Fatalf("log = %d %s", status, body)
			}
			for _, tc := range []struct {
				name   string
				c      *Client
				v      int
				ex     string
				pain   string
				status int
			}{
				{"pain 11", sam, 1, "knee-to-chest", `,"pain":11`, 400},
				{"pain -1", sam, 1, "knee-to-chest", `,"pain":-1`, 400},
				{"an exercise not in the plan", sam, 1, "clam", ``, 400},
				{"a version that does not exist yet", sam, 2, "knee-to-chest", ``, 409},
				{"once more than planned today", sam, 1, "bridge", ``, 409},
				{"another patient's plan", other, 1, "knee-to-chest", ``, 404},
				{"the practitioner", amira, 1, "knee-to-chest", ``, 403},
				{"nobody", anon, 1, "knee-to-chest", ``, 401},
			} {
				if status, body := logOf(tc.c, tc.v, tc.ex, tc.pain); status != tc.status {
					t.Errorf("log %s = %d %s, want %d", tc.name, status, body, tc.status)
				}
			}

			// A change is the next version; one based on an old version is refused.
			changed := strings.Replace(strings.Replace(good, `"reps":10,"times_per_day":1`, `"reps":12,"times_per_day":2`, 1),
				`"patient_id":"`+u.PatientID+`",`, `"base_version":1,"change_note":"Bridge progressed.",`, 1)
			status, body = amira.Do2("PUT", "/api/v1/care-plans/"+p.ID, changed)
			var p2 planJSON
			decode(t, body, &p2)
			if status != 200 || p2.Current.Version != 2 || p2.Current.Exercises[1].Dosage.Reps != 12 {
				t.Fatalf("change = %d %s", status, body)
			}
			if status, body := amira.Do2("PUT", "/api/v1/care-plans/"+p.ID, changed); status != 409 || !strings.Contains(body, "version 2") {
				t.Errorf("a change based on version 1 after version 2 = %d %s", status, body)
			}
			if status, _ := sam.Do2("PUT", "/api/v1/care-plans/"+p.ID, changed); status != 403 {
				t.Errorf("the patient changing the plan = %d, want 403", status)
			}
			// Logging against the old version is refused, and nothing stored.
			if status, body := logOf(sam, 1, "knee-to-chest", ``); status != 409 || !strings.Contains(body, "changed") {
				t.Errorf("log against version 1 = %d %s", status, body)
			}
			if status, body := logOf(sam, 2, "knee-to-chest", ``); status != 201 {
				t.Errorf("log against version 2 = %d %s", status, body)
			}
			_, body = sam.Get("/api/v1/care-plans/" + p.ID + "/changes")
			var diff struct {
				From, To int
				Note     string `json:"change_note"`
				Changes  []struct{ Part, Kind, Before, After string }
			}
			decode(t, body, &diff)
			if diff.From != 1 || diff.To != 2 || diff.Note != "Bridge progressed." || len(diff.Changes) != 1 || diff.Changes[0].Part != "exercise" ||
				diff.Changes[0].Kind != "changed" || !strings.Contains(diff.Changes[0].Before, "3 sets of 10, once a day") || !strings.Contains(diff.Changes[0].After, "3 sets of 12, twice a day") {
				t.Errorf("changes = %s", body)
			}
			_, body = sam.Get("/api/v1/care-plans/" + p.ID + "/versions")
			var vs struct{ Versions []struct{ Version int } }
			decode(t, body, &vs)
			if len(vs.Versions) != 2 {
				t.Errorf("versions = %s", body)
			}

			// Adherence counts the two logs this week (one per version).
			_, body = amira.Get("/api/v1/care-plans/" + p.ID + "/adherence?weeks=2")
			var ad struct {
				Weeks []struct {
					InPlan    bool `json:"in_plan"`
					Done      int
					Planned   int
					Exercises []struct {
						ExerciseID string `json:"exercise_id"`
						Done       int
					}
				}
			}
			decode(t, body, &ad)
			if len(ad.Weeks) != 2 || ad.Weeks[0].InPlan || !ad.Weeks[1].InPlan || ad.Weeks[1].Done != 2 || ad.Weeks[1].Planned == 0 {
				t.Errorf("adherence = %s", body)
			}
			_, body = amira.Get("/api/v1/patients/" + u.PatientID + "/adherence")
			var sum struct {
				PlanID   string             `json:"plan_id"`
				ThisWeek struct{ Done int } `json:"this_week"`
				LastDone *time.Time         `json:"last_done"`
			}
			decode(t, body, &sum)
			if sum.PlanID != p.ID || sum.ThisWeek.Done != 2 || sum.LastDone == nil {
				t.Errorf("adherence summary = %s", body)
			}

			// Booking the planned follow-ups in one go: the second time is
			// already taken, so it is listed with its reason; the others are
			// booked, through the ordinary path (the confirmation emails).
			first := slotsOf(t, sam, "service=2&practitioner=1&"+window(7))[0].Start
			taken := first.In(london(t)).AddDate(0, 0, 14)
			if status, body := sam.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"2","practitioner_id":"1","start":"%s"}`, taken.Format(time.RFC3339))); status != 201 {
				t.Skipf("the slot two weeks on is not free in this week's calendar (%d %s)", status, body)
			}
			status, body = sam.PostJSON("/api/v1/care-plans/"+p.ID+"/bookings", fmt.Sprintf(`{"session":0,"practitioner_id":"1","start":"%s","count":3}`, first.Format(time.RFC3339)))
			var res struct {
				Booked    []bookingJSON
				NotBooked []struct {
					Start  time.Time
					Reason string
				} `json:"not_booked"`
			}
			decode(t, body, &res)
			if status != 200 || len(res.Booked) != 2 || len(res.NotBooked) != 1 || !res.NotBooked[0].Start.Equal(taken) || res.NotBooked[0].Reason == "" {
				t.Fatalf("book the course = %d %s", status, body)
			}
			if got := res.Booked[1].Start.In(london(t)); got.Hour() != first.In(london(t)).Hour() || got.Sub(first) < 27*24*time.Hour {
				t.Errorf("the third appointment is at %v, four weeks after %v at the same local time", got, first)
			}
			if status, _ := amira.PostJSON("/api/v1/care-plans/"+p.ID+"/bookings", fmt.Sprintf(`{"session":0,"practitioner_id":"1","start":"%s"}`, first.Format(time.RFC3339))); status != 403 {
				t.Errorf("a practitioner booking the course = %d, want 403 (bookings are made by the patient or reception)", status)
			}
			if status, body := sam.PostJSON("/api/v1/care-plans/"+p.ID+"/bookings", `{"session":1,"practitioner_id":"4","start":"2030-01-07T10:00:00Z"}`); status != 400 || !strings.Contains(body, `"field":"service_id"`) {
				t.Errorf("booking sessions without a service = %d %s", status, body)
			}
			// A first time further ahead than any clinic books: refused as
			// such, nothing booked (the course ran past the year 9999, whose
			// times JSON cannot write: a 500).
			for _, start := range []string{"9999-12-31T10:00:00Z", "2999-01-07T10:00:00Z"} {
				if status, body := sam.PostJSON("/api/v1/care-plans/"+p.ID+"/bookings", fmt.Sprintf(`{"session":0,"practitioner_id":"1","start":"%s"}`, start)); status != 400 || !strings.Contains(body, `"field":"start"`) {
					t.Errorf("booking a course from %s = %d %s, want 400 naming start", start, status, body)
				}
			}

			// A clinic's own exercise joins the library, versioned; a plan keeps
			// the version it was written with.
			ex := `{"id":"wall-lean","name":"Wall lean","category":"hip","purpose":"Strengthens the thighs.","steps":["Lean on a wall.","Slide down a little."],` +
				`"stop_if":["Pain in the knee."],"illustration":"wall-sit.svg","dosage":{"sets":1,"reps":10,"times_per_day":1}}`
			if status, body := amira.PostJSON("/api/v1/exercises", ex); status != 201 || !strings.Contains(body, `"custom":true`) || !strings.Contains(body, `"version":1`) {
				t.Fatalf("clinic exercise = %d %s", status, body)
			}
			if status, body := amira.PostJSON("/api/v1/exercises", strings.Replace(ex, `"illustration":"wall-sit.svg"`, `"illustration":"../etc/passwd.svg"`, 1)); status != 400 {
				t.Errorf("an exercise with a drawing that is not the library's = %d %s", status, body)
			}
			if status, body := sam.PostJSON("/api/v1/exercises", strings.Replace(ex, "wall-lean", "sams-own", 1)); status != 403 {
				t.Errorf("a patient adding an exercise = %d %s", status, body)
			}
			withOwn := strings.Replace(changed, `{"exercise_id":"walking-programme","dosage":{"minutes":20,"days_per_week":5}}`,
				`{"exercise_id":"wall-lean","dosage":{"sets":2,"reps":8,"times_per_day":1}}`, 1)
			withOwn = strings.Replace(withOwn, `"base_version":1`, `"base_version":2`, 1)
			if status, body := amira.Do2("PUT", "/api/v1/care-plans/"+p.ID, withOwn); status != 200 || !strings.Contains(body, `"exercise_id":"wall-lean","exercise_version":"1"`) {
				t.Fatalf("plan with the clinic exercise = %d %s", status, body)
			}
			if status, body := amira.Do2("PUT", "/api/v1/exercises/wall-lean", strings.Replace(ex, "Slide down a little.", "Slide down until your knees are bent a little.", 1)); status != 200 || !strings.Contains(body, `"version":2`) {
				t.Fatalf("change the clinic exercise = %d %s", status, body)
			}
			_, body = sam.Get("/api/v1/care-plans/" + p.ID)
			if !strings.Contains(body, `"exercise_version":"1"`) || !strings.Contains(body, "Slide down a little.") || strings.Contains(body, "until your knees") {
				t.Errorf("the plan does not keep the exercise's version 1: %s", body)
			}
			_, body = anon.Get("/api/v1/exercises")
			var lib struct {
				Version   string
				Exercises []struct {
					ID      string
					Custom  bool
					Version int
				}
			}
			decode(t, body, &lib)
			if n := len(lib.Exercises); lib.Version != "2026.1" || n != 36 || lib.Exercises[n-1].ID != "wall-lean" || !lib.Exercises[n-1].Custom || lib.Exercises[n-1].Version != 2 {
				t.Errorf("library = %s, %d exercises", lib.Version, n)
			}
			if status, _ := amira.Do2("PUT", "/api/v1/exercises/bridge", ex); status != 409 {
				t.Errorf("changing a library exercise = %d, want 409", status)
			}

			// The handout: a page and a PDF.
			if status, page := sam.Get("/care-plans/" + p.ID + "/handout"); status != 200 || !strings.Contains(page, "Bridge") || !strings.Contains(page, "3 sets of 12, twice a day") || !strings.Contains(page, "Wall lean") {
				t.Errorf("handout page = %d", status)
			}
			status, pdf, h := sam.Do("GET", "/care-plans/"+p.ID+"/handout.pdf", "", "")
			if status != 200 || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF-") {
				t.Errorf("handout PDF = %d %q", status, h.Get("Content-Type"))
			}
			if _, err := exec.LookPath("pdftotext"); err == nil || os.Getenv("BACKDESK_REQUIRE_PDFTOTEXT") != "" {
				text := strings.Join(strings.Fields(pdfText(t, []byte(pdf))), " ")
				for _, want := range []string{"Your home exercises", "For Sam Taylor", "Bridge", "Your dose: 3 sets of 12, twice a day", "Wall lean", "Stop if:"} {
					if !strings.Contains(text, want) {
						t.Errorf("the handout PDF does not say %q", want)
					}
				}
			}
			if status, _, _ := other.Do("GET", "/api/v1/care-plans/"+p.ID+"/handout.pdf", "", ""); status != 404 {
				t.Errorf("another patient's handout = %d", status)
			}

			// Everything is in the patient's export.
			_, body = sam.Get("/api/v1/me/export")
			var pd struct {
				CarePlans        []struct{ ID string }   `json:"care_plans"`
				CarePlanVersions []struct{ Version int } `json:"care_plan_versions"`
				ExerciseLogs     []struct {
					ExerciseID string `json:"exercise_id"`
				} `json:"exercise_logs"`
				ReminderSettings *struct{ Hour int } `json:"reminder_settings"`
			}
			decode(t, body, &pd)
			if len(pd.CarePlans) != 1 || pd.CarePlans[0].ID != p.ID || len(pd.CarePlanVersions) != 3 || len(pd.ExerciseLogs) != 2 || pd.ReminderSettings == nil {
				t.Errorf("export = %s", body)
			}
		})
	}
}

// Do2 sends a JSON body with any method.
func (c *Client) Do2(method, path, body string) (int, string) {
	c.tb.Helper()
	s, b, _ := c.Do(method, path, "application/json", body)
	return s, b
}

// TestCarePlanPages: the practitioner writes a plan in the form, the
// patient marks an exercise done on the page (an old version's form is
// refused), the week, the versions and what changed.
func TestCarePlanPages(t *testing.T) {
	app := demoApp(t)
	f := newPlanFixture(t, app)
	for _, path := range []string{"/care-plans/" + f.planID, "/care-plans/" + f.planID + "/week", "/care-plans/" + f.planID + "/handout", "/plan",
		"/patients/" + f.patientID + "/outcomes"} {
		status, body := f.sam.Get(path)
		if path == "/plan" {
			if status != 303 {
				t.Errorf("/plan = %d", status)
			}
			continue
		}
		if status != 200 || badHTML.FindString(body) != "" {
			t.Errorf("GET %s as the patient = %d %q", path, status, badHTML.FindString(body))
		}
	}
	for _, path := range []string{"/care-plans/" + f.planID, "/care-plans/" + f.planID + "/edit", "/care-plans/" + f.planID + "/versions/1",
		"/patients/" + f.patientID, "/patients/" + f.patientID + "/outcomes", "/exercises", "/exercises/bridge", "/exercises/new"} {
		status, body := f.amira.Get(path)
		if status != 200 || badHTML.FindString(body) != "" {
			t.Errorf("GET %s as the practitioner = %d %q", path, status, badHTML.FindString(body))
		}
	}
	if status, body := f.reception.Get("/care-plans/" + f.planID + "/book"); status != 200 || !strings.Contains(body, "Amira Shah") {
		t.Errorf("booking page for reception = %d", status)
	}

	// The form: a bad dosage re-renders with the problem and keeps the rows.
	v := url.Values{"base_version": {"1"}, "problem": {"Low back pain, easing."}, "goals.0.text": {"Oswestry under 20"}, "goals.0.measure": {"odi"},
		"goals.0.target": {"20"}, "goals.0.by": {"2027-03-01"}, "exercises.0.exercise_id": {"bridge"}, "exercises.0.dosage.sets": {"3"},
		"exercises.0.dosage.reps": {"10000"}, "exercises.0.dosage.times_per_day": {"1"}, "exercises.2.exercise_id": {"clam"},
		"exercises.2.dosage.sets": {"2"}, "exercises.2.dosage.reps": {"12"}, "exercises.2.dosage.days_per_week": {"3"}, "change_note": {"Fewer exercises."}}
	status, page, _ := f.amira.PostForm("/care-plans/"+f.planID+"/edit", v)
	if status != 422 || !strings.Contains(page, "reps must be at most 50") || !strings.Contains(page, `value="10000"`) {
		t.Errorf("bad dosage in the form = %d", status)
	}
	v.Set("exercises.0.dosage.reps", "12")
	status, _, h := f.amira.PostForm("/care-plans/"+f.planID+"/edit", v)
	if status != 303 || !strings.Contains(f.amira.StatusLine(h), "version 2") {
		t.Fatalf("change in the form = %d", status)
	}
	_, page = f.amira.Get("/care-plans/" + f.planID + "/changes")
	for _, want := range []string{"Fewer exercises.", "Exercise removed", "Knee to chest", "Exercise added", "Clam"} {
		if !strings.Contains(page, want) {
			t.Errorf("changes page lacks %q", want)
		}
	}
	// The patient's page still showing version 1: "done" is refused, nothing stored.
	status, page, _ = f.sam.PostForm("/care-plans/"+f.planID+"/done", url.Values{"version": {"1"}, "exercise_id": {"bridge"}})
	if status != 409 || !strings.Contains(page, "Your plan has changed") {
		t.Errorf("done against version 1 = %d", status)
	}
	status, _, h = f.sam.PostForm("/care-plans/"+f.planID+"/done", url.Values{"version": {"2"}, "exercise_id": {"clam"}, "pain": {"2"}})
	if status != 303 || !strings.Contains(f.sam.StatusLine(h), "Done: Clam") {
		t.Errorf("done = %d", status)
	}
	_, page = f.sam.Get("/care-plans/" + f.planID + "/week")
	if !strings.Contains(page, "1 of ") {
		t.Errorf("week page does not count the exercise done")
	}
	_, page = f.amira.Get("/patients/" + f.patientID)
	if !strings.Contains(page, `id="adherence-summary"`) || !strings.Contains(page, "Clam: 1 of") {
		t.Errorf("the patient record does not show the adherence")
	}
	// The practitioner's day shows it before the visit.
	day := f.booking.Start.In(london(t)).Format("2006-01-02")
	if status, page := f.amira.Get("/today?date=" + day); status != 200 || !strings.Contains(page, "Home exercises") || !strings.Contains(page, "this week so far 1 of") {
		t.Errorf("the day of the visit (%s) = %d, without the adherence", day, status)
	}
	// Emails: the daily reminder on, from 7:00.
	status, _, h = f.sam.PostForm("/care-plans/"+f.planID+"/reminders", url.Values{"daily": {"on"}, "hour": {"7"}, "outcome_requests": {"on"}})
	if status != 303 || !strings.Contains(f.sam.StatusLine(h), "from 7:00") {
		t.Errorf("reminders = %d", status)
	}
	_, body := f.sam.Get("/api/v1/patients/" + f.patientID + "/reminders")
	var st struct {
		Daily bool
		Hour  int
	}
	decode(t, body, &st)
	if !st.Daily || st.Hour != 7 {
		t.Errorf("reminder settings = %s", body)
	}
	if status, _ := f.amira.Get("/api/v1/patients/" + f.patientID + "/reminders"); status != 403 {
		t.Errorf("the practitioner reading the patient's email settings = %d, want 403", status)
	}
	// A first plan written in the form, for another patient Amira treats.
	c := app.RegisterPatient(t, "form.patient@example.org", "Form Patient")
	slot := slotsOf(t, c, "service=1&practitioner=1&"+window(14))[2]
	_, body = c.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s"}`, slot.Start.Format(time.RFC3339)))
	var b bookingJSON
	decode(t, body, &b)
	if status, page := f.amira.Get("/patients/" + b.PatientID + "/care-plan/new"); status != 200 || !strings.Contains(page, "Treatment plan for Form Patient") {
		t.Fatalf("new plan form = %d", status)
	}
	status, _, h = f.amira.PostForm("/patients/"+b.PatientID+"/care-plan/new", url.Values{"problem": {"Stiff back in the mornings."},
		"sessions.0.discipline": {"physiotherapist"}, "sessions.0.count": {"4"}, "sessions.0.every_weeks": {"2"},
		"exercises.0.exercise_id": {"cat-camel"}, "exercises.0.dosage.sets": {"1"}, "exercises.0.dosage.reps": {"10"}, "exercises.0.dosage.times_per_day": {"2"}})
	if status != 303 || !strings.HasPrefix(h.Get("Location"), "/care-plans/") {
		t.Fatalf("first plan in the form = %d", status)
	}
	if _, page := c.Get(h.Get("Location")); !strings.Contains(page, "Cat and camel") && !strings.Contains(page, "cat-camel") {
		t.Errorf("the new plan's page does not show its exercise")
	}
}

// A planned course booked for a patient whose record has been erased (the
// plan stays, a clinical record) is refused as a whole with the erasure's
// 409, and nothing is booked: it used to answer 200 with every time listed
// as "Not free: the practitioner is booked, away or not working then.",
// the reason of a time taken given for the record's.
func TestPlanCourseOfErasedRecord(t *testing.T) {
	app := demoApp(t)
	f := newPlanFixture(t, app)
	admin := app.Client(t)
	admin.Login("admin@riverside.example")
	if status, body, _ := admin.Do("DELETE", "/api/v1/patients/"+f.patientID, "", ""); status != 204 {
		t.Fatalf("erase = %d %s", status, body)
	}
	first := slotsOf(t, f.reception, "service=2&practitioner=1&"+window(7))[0].Start
	status, body := f.reception.PostJSON("/api/v1/care-plans/"+f.planID+"/bookings", fmt.Sprintf(`{"session":0,"practitioner_id":"1","start":"%s","count":2}`, first.Format(time.RFC3339)))
	if status != 409 || !strings.Contains(body, "erased") {
		t.Errorf("book the course of an erased record = %d %s, want 409 saying it is erased", status, body)
	}
	_, body = f.reception.Get("/api/v1/appointments?patient_id=" + f.patientID + "&status=booked")
	if strings.Contains(body, `"status":"booked"`) {
		t.Errorf("the erased record's live appointments: %s, want none", body)
	}
}
