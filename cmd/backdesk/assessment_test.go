package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"backdesk/triage"
)

const vignettesPath = "../../../shared/vignettes/examples.json"

type vignette struct {
	Name    string          `json:"name"`
	Answers json.RawMessage `json:"answers"`
	Expect  struct {
		Disposition string `json:"disposition"`
	} `json:"expect"`
}

func readVignettes(t *testing.T) []vignette {
	t.Helper()
	b, err := os.ReadFile(vignettesPath)
	if err != nil {
		t.Fatal(err)
	}
	var vs []vignette
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

// countAssessments reads the SQLite file directly: the test checks what is
// stored, not what the API says.
func countAssessments(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM assessments`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

var hexID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestAssessmentAPI(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "a.db")
	app := MustRunMain(t, map[string]string{"BACKDESK_DB": "sqlite:" + dbPath}, "--demo")
	c := app.Client(t)

	status, body := c.Get("/api/v1/questionnaire")
	var q struct {
		RulesVersion string `json:"rules_version"`
		Steps        []struct {
			ID        string `json:"id"`
			Licence   string `json:"licence"`
			Questions []struct {
				Key, Text string
			} `json:"questions"`
		} `json:"steps"`
	}
	decode(t, body, &q)
	if status != 200 || q.RulesVersion != triage.V1.Version || len(q.Steps) < 5 || q.Steps[0].ID != "urgent" ||
		q.Steps[0].Questions[0].Key != "red_flags.urinary_difficulty" || q.Steps[0].Questions[0].Text == "" {
		t.Fatalf("questionnaire = %d %+v", status, q)
	}
	for _, st := range q.Steps {
		if (st.ID == "startback" || st.ID == "odi") && st.Licence == "" {
			t.Errorf("step %s has no licence note", st.ID)
		}
	}

	for _, v := range readVignettes(t) {
		t.Run(v.Name, func(t *testing.T) {
			status, body := c.PostJSON("/api/v1/assessments", `{"answers":`+string(v.Answers)+`}`)
			var resp struct {
				ID     string `json:"id"`
				Result struct {
					Disposition string   `json:"disposition"`
					Reasons     []any    `json:"reasons"`
					Book        []string `json:"book"`
				} `json:"result"`
			}
			decode(t, body, &resp)
			if status != 201 || !hexID.MatchString(resp.ID) || resp.Result.Disposition != v.Expect.Disposition || len(resp.Result.Reasons) == 0 {
				t.Fatalf("POST = %d %s", status, body)
			}
			status, got := c.Get("/api/v1/assessments/" + resp.ID)
			if status != 200 || !strings.Contains(got, `"disposition":"`+v.Expect.Disposition+`"`) || !strings.Contains(got, `"answers":{`) {
				t.Errorf("GET = %d %s", status, got)
			}
		})
	}
	stored := countAssessments(t, dbPath)

	for _, tc := range []struct {
		name, body, field string
	}{
		{"missing answers", `{}`, "answers"},
		{"answers not an object", `{"answers":[1]}`, "answers"},
		{"pain out of range", `{"answers":{"age":40,"duration_weeks":1,"episode":"first","pain_now":12}}`, "pain_now"},
		{"unknown key", `{"answers":{"age":40,"duration_weeks":1,"episode":"first","pain_now":2,"mood":"ok"}}`, "mood"},
		{"unknown red flag", `{"answers":{"age":40,"duration_weeks":1,"episode":"first","pain_now":2,"red_flags":{"dizzy":true}}}`, "red_flags.dizzy"},
		{"wrapper unknown field", `{"answers":{},"extra":1}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := c.PostJSON("/api/v1/assessments", tc.body)
			if status != 400 || !strings.Contains(body, `"code":"invalid"`) || !strings.Contains(body, `"field":"`+tc.field+`"`) && tc.field != "" {
				t.Errorf("POST %s = %d %s, want 400 invalid naming %q", tc.body, status, body, tc.field)
			}
		})
	}
	if n := countAssessments(t, dbPath); n != stored {
		t.Errorf("rejected submissions stored %d assessments", n-stored)
	}

	for _, id := range []string{"nope", "00000000000000000000000000000000", "../../etc/passwd"} {
		if status, body := c.Get("/api/v1/assessments/" + url.PathEscape(id)); status != 404 || !strings.Contains(body, `"code":"not_found"`) {
			t.Errorf("GET assessment %q = %d %s", id, status, body)
		}
	}
}

func TestAssessmentOnPatientRecord(t *testing.T) {
	app := demoApp(t)
	patient := app.Client(t)
	patient.Login("sam.taylor@example.org")
	_, body := patient.PostJSON("/api/v1/assessments", `{"answers":{"age":34,"duration_weeks":1,"episode":"recurring","pain_now":3,"trigger":"posture_desk","muscle_tension":true}}`)
	var resp struct{ ID string }
	decode(t, body, &resp)
	path := "/api/v1/assessments/" + resp.ID
	if status, got := patient.Get(path); status != 200 || !strings.Contains(got, `"disposition":"massage"`) {
		t.Fatalf("owner GET = %d %s", status, got)
	}

	other := app.Client(t)
	if status, _ := other.PostJSON("/api/v1/auth/login", `{"email":"admin@riverside.example","password":"`+DemoPassword+`"}`); status != 200 {
		t.Fatal("admin login")
	}
	if status, _ := other.Get(path); status != 200 {
		t.Errorf("admin GET patient's assessment = %d", status)
	}
	reception := app.Client(t)
	reception.Login("reception@riverside.example")
	if status, _ := reception.Get(path); status != 200 {
		t.Errorf("reception GET = %d", status)
	}
	// A patient's result is not reachable by its id alone.
	anon := app.Client(t)
	if status, body := anon.Get(path); status != 404 {
		t.Errorf("anonymous GET of a patient's assessment = %d %s, want 404", status, body)
	}
	if status, _, _ := anon.Do("GET", "/assessment/"+resp.ID, "", ""); status != 404 {
		t.Errorf("anonymous page of a patient's assessment = %d, want 404", status)
	}
}

func TestAssessmentSecondPatient(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "p.db")
	if _, _, err := runCmd(t, "second patient password\n", "users", "add", "--db", "sqlite:"+dbPath, "--email", "alex@example.org", "--name", "Alex", "--role", "patient"); err != nil {
		t.Fatal(err)
	}
	app := MustRunMain(t, map[string]string{"BACKDESK_DB": "sqlite:" + dbPath}, "--demo")
	sam := app.Client(t)
	sam.Login("sam.taylor@example.org")
	_, body := sam.PostJSON("/api/v1/assessments", `{"answers":{"age":34,"duration_weeks":1,"episode":"first","pain_now":6}}`)
	var resp struct{ ID string }
	decode(t, body, &resp)
	alex := app.Client(t)
	if status, b := alex.PostJSON("/api/v1/auth/login", `{"email":"alex@example.org","password":"second patient password"}`); status != 200 {
		t.Fatalf("alex login = %d %s", status, b)
	}
	if status, _ := alex.Get("/api/v1/assessments/" + resp.ID); status != 404 {
		t.Errorf("another patient's GET = %d, want 404", status)
	}
}

func TestAssessmentPages(t *testing.T) {
	app := demoApp(t)
	c := app.Client(t)
	status, body := c.Get("/assessment")
	if status != 200 || !strings.Contains(body, `name="red_flags.saddle_numbness"`) || !strings.Contains(body, `name="odi.9"`) || !strings.Contains(body, "Keele University") {
		t.Fatalf("GET /assessment = %d", status)
	}
	if m := badHTML.FindString(body); m != "" {
		t.Errorf("form has %q", m)
	}
	// Every input has a label that names it.
	for _, id := range regexp.MustCompile(`<input[^>]* id="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if !strings.Contains(body, `for="`+id[1]+`"`) {
			t.Errorf("input %s has no label", id[1])
		}
	}
	// A red flag first in the form overrides everything: an emergency.
	form := url.Values{"red_flags.saddle_numbness": {"true"}, "pain_now": {"2"}, "duration_weeks": {"1"}, "episode": {"recurring"}, "age": {"45"},
		"startback.leg_pain": {""}, "odi.0": {""}}
	status, _, h := c.PostForm("/assessment", form)
	loc := h.Get("Location")
	if status != 303 || !strings.HasPrefix(loc, "/assessment/") {
		t.Fatalf("POST /assessment = %d → %q", status, loc)
	}
	_, body = c.Get(loc)
	for _, want := range []string{"Go to an emergency department now, or call 999 (or 112).", `href="tel:999"`, "Numbness or tingling in your genitals", "nothing to book here", "noindex"} {
		if !strings.Contains(body, want) {
			t.Errorf("emergency result page lacks %q", want)
		}
	}
	if strings.Contains(body, "Book a physiotherapist") || strings.Contains(body, "Book a massage therapist") {
		t.Error("emergency result offers booking")
	}
	if status, body := c.Get(loc + "/print"); status != 200 || !strings.Contains(body, "Back pain self-assessment") || strings.Contains(body, `<nav aria-label="Main">`) {
		t.Errorf("print page = %d", status)
	}

	// The full form, as a browser posts it, gives the same as the API.
	form = url.Values{"pain_now": {"4"}, "duration_weeks": {"20"}, "episode": {"recurring"}, "age": {"52"}, "muscle_tension": {"true"}, "stress": {"true"},
		"leg.side": {"none"}, "conditions": {}, "goals": {"pain_relief", "relaxation"},
		"startback.leg_pain": {"true"}, "startback.shoulder_neck_pain": {"false"}, "startback.walk_short_distances": {"true"}, "startback.dressed_slowly": {"false"},
		"startback.not_safe_active": {"false"}, "startback.worrying_thoughts": {"true"}, "startback.terrible_never_better": {"false"},
		"startback.not_enjoyed": {"true"}, "startback.bothersome": {"moderately"}}
	for i, v := range []string{"2", "1", "3", "2", "2", "1", "2", "", "1", "2"} {
		form.Set("odi."+string(rune('0'+i)), v)
	}
	_, _, h = c.PostForm("/assessment", form)
	_, body = c.Get(h.Get("Location"))
	for _, want := range []string{"See a physiotherapist first; massage alongside it will help too.", "STarT Back: medium risk", "36 %: moderate disability",
		"Book a physiotherapist", "Book a massage therapist", "/book?discipline=massage_therapist"} {
		if !strings.Contains(body, want) {
			t.Errorf("result page lacks %q", want)
		}
	}

	// A bad answer re-renders the form with 422, the message, and what was entered.
	form = url.Values{"pain_now": {"6"}, "duration_weeks": {"2"}, "episode": {"first"}, "stress": {"true"}}
	status, body, _ = c.PostForm("/assessment", form)
	if status != 422 || !strings.Contains(body, "Please answer “How old are you?” with a whole number from 0 to 120.") || !strings.Contains(body, `id="q-pain_now-6" name="pain_now" value="6" checked`) ||
		!strings.Contains(body, `name="stress" value="true" checked`) || !strings.Contains(body, `aria-invalid="true"`) {
		t.Errorf("invalid form = %d\n%s", status, body)
	}

	status, body = c.Get("/rules")
	if status != 200 || !strings.Contains(body, triage.V1.Version) {
		t.Fatalf("/rules = %d", status)
	}
	for _, r := range triage.V1.Rules {
		if !strings.Contains(body, `id="rule-`+r.ID+`"`) {
			t.Errorf("/rules lacks rule %s", r.ID)
		}
	}
	if status, body := c.Get("/practitioners?discipline=massage_therapist&assessment=x"); status != 200 || strings.Contains(body, "Amira Shah") || !strings.Contains(body, "Elena Kowalska") {
		t.Errorf("practitioners filtered by discipline = %d", status)
	}
}

func TestAssessCommand(t *testing.T) {
	for _, v := range readVignettes(t) {
		out, _, err := runCmd(t, string(v.Answers), "assess")
		if err != nil || !strings.Contains(out, `"disposition": "`+v.Expect.Disposition+`"`) {
			t.Errorf("assess %s = %v\n%s", v.Name, err, out)
		}
	}
	out, _, _ := runCmd(t, `{"age":40,"duration_weeks":1,"episode":"first","pain_now":5,"red_flags":{"leg_weakness":true}}`, "assess", "--country", "CA")
	if !strings.Contains(out, "call 911") {
		t.Errorf("assess --country CA does not give 911:\n%s", out)
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"assess"}, func(string) string { return "" }, strings.NewReader(`{"age":40,"pain_now":"high"}`), &stdout, &stderr)
	var ee exitError
	if !errors.As(err, &ee) || ee.code != 2 || stdout.Len() != 0 {
		t.Fatalf("assess with bad answers = %v, stdout %q", err, stdout.String())
	}
	var e struct {
		Error struct{ Code, Message, Field string } `json:"error"`
	}
	if err := json.Unmarshal(stderr.Bytes(), &e); err != nil || e.Error.Code != "invalid" || e.Error.Field == "" || e.Error.Message == "" {
		t.Errorf("assess stderr = %q", stderr.String())
	}
}
