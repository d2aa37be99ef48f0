package main

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"backdesk/storetest"
)

type referralJSON struct {
	ID            string   `json:"id"`
	PatientID     string   `json:"patient_id"`
	Status        string   `json:"status"`
	Urgency       string   `json:"urgency"`
	ToDiscipline  string   `json:"to_discipline"`
	AppointmentID string   `json:"appointment_id"`
	AcceptedBy    string   `json:"accepted_by"`
	AssessmentID  string   `json:"assessment_id"`
	Findings      string   `json:"findings"`
	RedFlags      []string `json:"red_flags"`
	Actions       []string `json:"actions"`
	History       []struct {
		Action, From, To string
	} `json:"history"`
}

type noteJSON struct {
	ID           string `json:"id"`
	Version      int    `json:"version"`
	Status       string `json:"status"`
	Subjective   string `json:"subjective"`
	Objective    string `json:"objective"`
	Plan         string `json:"plan"`
	Amends       string `json:"amends"`
	TextWithheld bool   `json:"text_withheld"`
}

// clinicSetup is the demo clinic with Sam booked with Elena (massage) and
// with Amira (physiotherapy), each client signed in.
type clinicSetup struct {
	app                               *App
	sam, elena, amira, ben, reception *Client
	admin                             *Client
	withElena, withAmira              string // appointment ids
}

func newClinic(t *testing.T, dbURL string, env map[string]string, args ...string) clinicSetup {
	t.Helper()
	e := map[string]string{"BACKDESK_DB": dbURL}
	for k, v := range env {
		e[k] = v
	}
	app := MustRunMain(t, e, append([]string{"--demo"}, args...)...)
	c := clinicSetup{app: app}
	for _, who := range []struct {
		c     **Client
		email string
	}{{&c.sam, "sam.taylor@example.org"}, {&c.elena, "elena.kowalska@riverside.example"}, {&c.amira, "amira.shah@riverside.example"},
		{&c.ben, "ben.okafor@riverside.example"}, {&c.reception, "reception@riverside.example"}, {&c.admin, "admin@riverside.example"}} {
		*who.c = app.Client(t)
		(*who.c).Login(who.email)
	}
	c.withElena = mustCreate(t, c.sam, "/api/v1/appointments", `{"service_id":"4","practitioner_id":"4","start":"`+slotsOf(t, c.sam, "service=4&practitioner=4&"+window(14))[0].Start.Format(time.RFC3339)+`"}`)
	c.withAmira = mustCreate(t, c.sam, "/api/v1/appointments", `{"service_id":"1","practitioner_id":"1","start":"`+slotsOf(t, c.sam, "service=1&practitioner=1&"+window(14))[0].Start.Format(time.RFC3339)+`"}`)
	return c
}

// mustCreate posts body and returns the new record's id (201 required).
func mustCreate(t *testing.T, c *Client, path, body string) string {
	t.Helper()
	status, resp := c.PostJSON(path, body)
	var r struct{ ID string }
	decode(t, resp, &r)
	if status != 201 || r.ID == "" {
		t.Fatalf("POST %s = %d %s", path, status, resp)
	}
	return r.ID
}

func getReferral(t *testing.T, c *Client, id string) referralJSON {
	t.Helper()
	status, body := c.Get("/api/v1/referrals/" + id)
	if status != 200 {
		t.Fatalf("GET referral %s = %d %s", id, status, body)
	}
	var r referralJSON
	decode(t, body, &r)
	return r
}

func listReferrals(t *testing.T, c *Client, query string) []referralJSON {
	t.Helper()
	status, body := c.Get("/api/v1/referrals?" + query)
	if status != 200 {
		t.Fatalf("GET referrals?%s = %d %s", query, status, body)
	}
	var l struct{ Referrals []referralJSON }
	decode(t, body, &l)
	return l.Referrals
}

func ids(rs []referralJSON) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// TestReferralLifecycle: a massage therapist refers a patient to
// physiotherapy; it shows in the physiotherapists' inbox (oldest urgent
// first), in the referrer's sent list and on the patient's own; a
// physiotherapist accepts; the patient books it through the ordinary
// booking path, which books the referral and links the appointment back;
// cancelling the appointment gives the referral back to be booked anew;
// and two accepts of one referral at once: exactly one wins.
func TestReferralLifecycle(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			c := newClinic(t, db.url, nil)
			routine := mustCreate(t, c.elena, "/api/v1/referrals", `{"patient_id":"1","to_discipline":"physiotherapist","reason":"Stiff lower back","urgency":"routine"}`)
			soon := mustCreate(t, c.elena, "/api/v1/referrals", `{"patient_id":"1","to_discipline":"physiotherapist","reason":"Tingling in the left calf","urgency":"soon"}`)
			urgent := mustCreate(t, c.elena, "/api/v1/referrals", `{"patient_id":"1","to_discipline":"physiotherapist","reason":"Numbness over the outer left foot","urgency":"urgent","findings":"Reduced left ankle reflex","red_flags":["leg_weakness"]}`)
			if got, want := ids(listReferrals(t, c.amira, "box=inbox")), []string{urgent, soon, routine}; strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("physiotherapy inbox = %v, want oldest urgent first %v", got, want)
			}
			if got := ids(listReferrals(t, c.elena, "box=sent")); len(got) != 3 {
				t.Errorf("Elena's sent list = %v", got)
			}
			if got := ids(listReferrals(t, c.sam, "")); len(got) != 3 {
				t.Errorf("Sam's referrals = %v", got)
			}
			if got := ids(listReferrals(t, c.ben, "box=inbox")); len(got) != 0 {
				t.Errorf("the massage inbox holds %v", got)
			}
			// The inbox page flags the urgent one.
			_, page := c.amira.Get("/referrals")
			if !strings.Contains(page, `<tr class="urgent">`) || !strings.Contains(page, "Numbness over the outer left foot") {
				t.Errorf("the inbox page does not flag the urgent referral")
			}
			// Two physiotherapists accept at once: exactly one wins.
			tom := c.app.Client(t) // a second physiotherapist with an account
			mustCreateUser(t, db.url, "tom.gallagher@riverside.example", "Tom Gallagher", "2")
			if status, body := tom.PostJSON("/api/v1/auth/login", `{"email":"tom.gallagher@riverside.example","password":"a long enough passphrase"}`); status != 200 {
				t.Fatalf("sign in Tom: %d %s", status, body)
			}
			results := make(chan int, 2)
			for _, who := range []*Client{c.amira, tom} {
				go func() {
					status, _, _ := who.Do("POST", "/api/v1/referrals/"+urgent+"/accept", "", "")
					results <- status
				}()
			}
			a, b := <-results, <-results
			if !(a == 200 && b == 409 || a == 409 && b == 200) {
				t.Fatalf("two accepts = %d and %d, want one 200 and one 409", a, b)
			}
			r := getReferral(t, c.sam, urgent)
			if r.Status != "accepted" || !contains(r.Actions, "book") {
				t.Fatalf("after accepting: %+v", r)
			}
			// The patient is emailed how to book it, unless they have said no
			// to email about their care: then accepting tells them nothing by
			// email (they see it when they sign in).
			invitations := func() (n int) {
				t.Helper()
				if err := db.raw(t).QueryRow(`SELECT COUNT(*) FROM outbox WHERE kind = 'referral_accepted' AND to_addr = 'sam.taylor@example.org'`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			if n := invitations(); n != 1 {
				t.Errorf("%d emails to book the accepted referral, want 1", n)
			}
			if status, body := c.sam.Do2("PATCH", "/api/v1/patients/1", `{"consent_email":false}`); status != 200 {
				t.Fatalf("answer no to email: %d %s", status, body)
			}
			quiet := mustCreate(t, c.elena, "/api/v1/referrals", `{"patient_id":"1","to_discipline":"physiotherapist","reason":"Aching after long drives","urgency":"routine"}`)
			if status, body := c.amira.PostJSON("/api/v1/referrals/"+quiet+"/accept", ``); status != 200 {
				t.Fatalf("accept another referral = %d %s", status, body)
			}
			if n := invitations(); n != 1 {
				t.Errorf("%d emails to book after the patient said no to email, want still 1", n)
			}
			if status, body := c.sam.Do2("PATCH", "/api/v1/patients/1", `{"consent_email":true}`); status != 200 {
				t.Fatalf("answer yes to email: %d %s", status, body)
			}
			// The patient books through the ordinary path.
			slots := slotsOf(t, c.sam, "service=1&practitioner="+r.AcceptedBy+"&"+window(14))
			booking := mustCreate(t, c.sam, "/api/v1/appointments", `{"service_id":"1","practitioner_id":"`+r.AcceptedBy+`","start":"`+slots[8].Start.Format(time.RFC3339)+`","referral_id":"`+urgent+`"}`)
			r = getReferral(t, c.elena, urgent)
			_, body := c.sam.Get("/api/v1/appointments/" + booking)
			if r.Status != "booked" || r.AppointmentID != booking || !strings.Contains(body, `"referral_id":"`+urgent+`"`) {
				t.Fatalf("after booking: referral %+v, appointment %s", r, body)
			}
			// A second booking of it, or a booking of a referral not yet
			// accepted, is refused and stores nothing.
			for _, tc := range []struct{ referral, service string }{{urgent, "1"}, {soon, "1"}} {
				status, resp := c.sam.PostJSON("/api/v1/appointments", `{"service_id":"`+tc.service+`","practitioner_id":"1","start":"`+slots[16].Start.Format(time.RFC3339)+`","referral_id":"`+tc.referral+`"}`)
				if status != 409 {
					t.Errorf("booking referral %s again = %d %s", tc.referral, status, resp)
				}
			}
			// The other patient cannot book Sam's referral.
			alex := c.app.RegisterPatient(t, "alex@example.org", "Alex Morgan")
			if status, resp := alex.PostJSON("/api/v1/appointments", `{"service_id":"1","practitioner_id":"1","start":"`+slots[16].Start.Format(time.RFC3339)+`","referral_id":"`+urgent+`"}`); status != 404 {
				t.Errorf("another patient books the referral = %d %s", status, resp)
			}
			// Cancelling the appointment gives the referral back.
			if status, resp := c.sam.PostJSON("/api/v1/appointments/"+booking+"/cancel", `{"reason":"away"}`); status != 200 {
				t.Fatalf("cancel = %d %s", status, resp)
			}
			if r = getReferral(t, c.elena, urgent); r.Status != "accepted" || r.AppointmentID != "" {
				t.Errorf("after the cancellation: %+v", r)
			}
			mustCreate(t, c.sam, "/api/v1/appointments", `{"service_id":"1","practitioner_id":"`+r.AcceptedBy+`","start":"`+slots[20].Start.Format(time.RFC3339)+`","referral_id":"`+urgent+`"}`)
			if r = getReferral(t, c.sam, urgent); r.Status != "booked" {
				t.Errorf("booked again: %+v", r)
			}
			var actions []string
			for _, h := range r.History {
				actions = append(actions, h.Action)
			}
			if got := strings.Join(actions, " "); got != "create accept book unbook book" {
				t.Errorf("history = %s", got)
			}
			// Declining needs a reason; the referrer sees it.
			if status, _ := c.amira.PostJSON("/api/v1/referrals/"+routine+"/decline", `{}`); status != 400 {
				t.Errorf("decline without a reason = %d", status)
			}
			c.amira.PostJSON("/api/v1/referrals/"+routine+"/decline", `{"reason":"Massage first, then review"}`)
			if got := listReferrals(t, c.elena, "box=sent&status=declined"); len(got) != 1 || got[0].ID != routine {
				t.Errorf("Elena's declined referrals = %v", ids(got))
			}
		})
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// mustCreateUser makes an account for practitioner id with backdesk users
// add, beside the running server.
func mustCreateUser(t *testing.T, dbURL, email, name, practitioner string) {
	t.Helper()
	if _, stderr, err := runCmd(t, "a long enough passphrase\n", "users", "add", "--db", dbURL, "--email", email, "--name", name,
		"--role", "practitioner", "--practitioner", practitioner); err != nil {
		t.Fatalf("users add: %v %s", err, stderr)
	}
}

// TestReferralLetterPDF: the letter to a doctor is a real PDF; a reader
// finds in it the patient's name as written (Siobhán Ó Briain), the
// reason, the practitioner's registration and, for an urgent red-flag
// referral, that the patient was told to seek care the same day. The
// printable page says the same.
func TestReferralLetterPDF(t *testing.T) {
	c := newClinic(t, "sqlite:"+filepath.Join(t.TempDir(), "letter.db"), nil)
	siobhan := mustCreate(t, c.reception, "/api/v1/patients", `{"name":"Siobhán Ó Briain","phone":"07700 900456","date_of_birth":"1984-03-12"}`)
	slots := slotsOf(t, c.reception, "service=1&practitioner=1&"+window(14))
	mustCreate(t, c.reception, "/api/v1/appointments", `{"service_id":"1","practitioner_id":"1","patient_id":"`+siobhan+`","start":"`+slots[12].Start.Format(time.RFC3339)+`"}`)
	id := mustCreate(t, c.amira, "/api/v1/referrals", `{"patient_id":"`+siobhan+`","to_external":"gp","recipient_name":"Dr A Okoro, Redcliffe Surgery","recipient_address":"1 Church Street\nBristol BS1 6AA",
		"reason":"New weakness lifting the left foot since yesterday","urgency":"urgent","findings":"Left ankle dorsiflexion 3/5","red_flags":["leg_weakness"]}`)
	status, pdf, h := c.amira.Do("GET", "/api/v1/referrals/"+id+"/letter.pdf", "", "")
	if status != 200 || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("letter.pdf = %d %q %.20q", status, h.Get("Content-Type"), pdf)
	}
	text := strings.Join(strings.Fields(pdfText(t, []byte(pdf))), " ")
	for _, want := range []string{"Siobhán Ó Briain", "born 12 March 1984", "New weakness lifting the left foot since yesterday", "PH104233", "Amira Shah",
		"Riverside Back Clinic", "12 Mill Lane", "Dr A Okoro, Redcliffe Surgery", "seek medical care the same day", "Weakness or a feeling of floppiness in your legs"} {
		if !strings.Contains(text, want) {
			t.Errorf("the letter's text lacks %q:\n%s", want, text)
		}
	}
	_, page := c.amira.Get("/referrals/" + id + "/letter")
	for _, want := range []string{"Siobhán Ó Briain", "PH104233", "seek medical care the same day", `id="same-day"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the printable letter lacks %q", want)
		}
	}
	// Reception (who posts it) and the patient's practitioner read it; an
	// internal referral has no letter.
	if status, _, _ := c.reception.Do("GET", "/api/v1/referrals/"+id+"/letter.pdf", "", ""); status != 200 {
		t.Errorf("reception's letter = %d", status)
	}
	internal := mustCreate(t, c.amira, "/api/v1/referrals", `{"patient_id":"`+siobhan+`","to_discipline":"massage_therapist","reason":"Tight muscles"}`)
	if status, _, _ := c.amira.Do("GET", "/api/v1/referrals/"+internal+"/letter.pdf", "", ""); status != 404 {
		t.Errorf("letter of an internal referral = %d", status)
	}
}

// pdfText reads a PDF's text with poppler's pdftotext; without it the test
// skips, unless BACKDESK_REQUIRE_PDFTOTEXT is set (CI), when it fails.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("BACKDESK_REQUIRE_PDFTOTEXT") != "" {
			t.Fatal("pdftotext not found, and BACKDESK_REQUIRE_PDFTOTEXT is set")
		}
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	cmd := exec.Command(path, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil || errb.Len() > 0 {
		t.Fatalf("pdftotext: %v %s", err, errb.String())
	}
	return out.String()
}

// TestNotesVersionsAndReaders: a practitioner writes, edits and signs the
// note of their appointment and amends it; every version stays readable;
// reception learns only that the note exists, through every page and
// answer; patients read their notes only in their export; every read by
// staff is in the audit log.
func TestNotesVersionsAndReaders(t *testing.T) {
	const secret = "Describes a zebra-striped bruise"
	c := newClinic(t, "sqlite:"+filepath.Join(t.TempDir(), "notes.db"), nil)
	noteID := mustCreate(t, c.amira, "/api/v1/appointments/"+c.withAmira+"/notes", `{"subjective":"`+secret+`","plan":"Walk daily"}`)
	if status, body, _ := c.amira.Do("PATCH", "/api/v1/notes/"+noteID, "application/json", `{"subjective":"`+secret+`, fading","plan":"Walk daily"}`); status != 200 {
		t.Fatalf("edit draft = %d %s", status, body)
	}
	// A PATCH changes the sections it names and keeps the others (it
	// blanked them: a client sending one section wiped the rest).
	if status, body, _ := c.amira.Do("PATCH", "/api/v1/notes/"+noteID, "application/json", `{"objective":"Flexion to 60 degrees"}`); status != 200 ||
		!strings.Contains(body, `"subjective":"`+secret+`, fading"`) || !strings.Contains(body, `"plan":"Walk daily"`) || !strings.Contains(body, `"objective":"Flexion to 60 degrees"`) {
		t.Errorf("edit one section = %d %s", status, body)
	}
	if status, body := c.amira.PostJSON("/api/v1/notes/"+noteID+"/sign", ``); status != 200 {
		t.Fatalf("sign = %d %s", status, body)
	}
	if status, body, _ := c.amira.Do("PATCH", "/api/v1/notes/"+noteID, "application/json", `{"subjective":"rewritten"}`); status != 409 {
		t.Errorf("edit after signing = %d %s", status, body)
	}
	// An amendment that names one section keeps the others of the version it amends.
	v2 := mustCreate(t, c.amira, "/api/v1/notes/"+noteID+"/amend", `{"plan":"Walk daily; swim twice a week","reason":"Swimming added"}`)
	_, body := c.amira.Get("/api/v1/appointments/" + c.withAmira + "/notes")
	var list struct{ Notes []noteJSON }
	decode(t, body, &list)
	if len(list.Notes) != 2 || list.Notes[0].Version != 1 || list.Notes[0].Plan != "Walk daily" || list.Notes[1].Version != 2 || list.Notes[1].ID != v2 || list.Notes[1].Status != "signed" || list.Notes[1].Amends != noteID ||
		list.Notes[1].Subjective != secret+", fading" || list.Notes[1].Objective != "Flexion to 60 degrees" || list.Notes[1].Plan != "Walk daily; swim twice a week" {
		t.Fatalf("versions = %+v", list.Notes)
	}
	// Admin reads the text; reception never does.
	if _, body := c.admin.Get("/api/v1/notes/" + noteID); !strings.Contains(body, secret) {
		t.Errorf("admin's note lacks its text: %s", body)
	}
	for _, path := range []string{"/api/v1/notes/" + noteID, "/api/v1/notes/" + v2, "/api/v1/appointments/" + c.withAmira + "/notes",
		"/notes/" + noteID, "/notes/" + v2, "/appointments/" + c.withAmira, "/api/v1/appointments/" + c.withAmira, "/patients/1",
		"/today?practitioner=1", "/api/v1/day?practitioner=1", "/api/v1/outbox", "/admin/outbox", "/referrals", "/api/v1/me/export"} {
		status, body := c.reception.Get(path)
		if status != 200 {
			t.Errorf("reception GET %s = %d", path, status)
		}
		if strings.Contains(body, "zebra") || strings.Contains(body, "Swimming added") || strings.Contains(body, "swim twice") {
			t.Errorf("reception sees the note's text at %s", path)
		}
	}
	if _, body := c.reception.Get("/api/v1/notes/" + noteID); !strings.Contains(body, `"text_withheld":true`) || !strings.Contains(body, `"status":"signed"`) {
		t.Errorf("reception's note does not say it exists, signed: %s", body)
	}
	if _, page := c.reception.Get("/appointments/" + c.withAmira); !strings.Contains(page, "Version 2") {
		t.Errorf("the appointment page does not show reception that the note exists")
	}
	// Patients: not through the API or pages; in their export, every version.
	for _, path := range []string{"/api/v1/notes/" + noteID, "/notes/" + noteID, "/api/v1/appointments/" + c.withAmira + "/notes"} {
		if status, _ := c.sam.Get(path); status != 404 {
			t.Errorf("the patient GET %s = %d, want 404", path, status)
		}
	}
	_, export := c.sam.Get("/api/v1/me/export")
	var pd struct {
		Notes     []noteJSON     `json:"clinical_notes"`
		Referrals []referralJSON `json:"referrals"`
	}
	decode(t, export, &pd)
	if len(pd.Notes) != 2 || !strings.Contains(pd.Notes[0].Subjective, secret) {
		t.Errorf("the export's notes = %+v", pd.Notes)
	}
	// Every read by staff is audited, reception's included.
	c.amira.Get("/notes/" + v2)
	_, audit := c.admin.Get("/api/v1/audit?action=note.read&limit=100")
	for _, role := range []string{"practitioner", "reception", "admin"} {
		if !strings.Contains(audit, `"actor_role":"`+role+`"`) {
			t.Errorf("no note.read audit line by %s: %s", role, audit)
		}
	}
}

// TestReferralAndNoteBadInput: each refusal is a clear 4xx and stores
// nothing: an unknown discipline, a patient the practitioner does not
// treat, amending a draft, signing someone else's note.
func TestReferralAndNoteBadInput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.db")
	c := newClinic(t, "sqlite:"+path, nil)
	raw := storetest.RawDB(t, "sqlite:"+path)
	ben := mustCreate(t, c.sam, "/api/v1/appointments", `{"service_id":"4","practitioner_id":"5","start":"`+slotsOf(t, c.sam, "service=4&practitioner=5&"+window(14))[0].Start.Format(time.RFC3339)+`"}`)
	draft := mustCreate(t, c.amira, "/api/v1/appointments/"+c.withAmira+"/notes", `{"subjective":"Draft"}`)
	bensDraft := mustCreate(t, c.ben, "/api/v1/appointments/"+ben+"/notes", `{"subjective":"Ben's draft"}`)
	stranger := mustCreate(t, c.reception, "/api/v1/patients", `{"name":"Robin Stranger"}`)
	for _, tc := range []struct {
		name         string
		who          *Client
		method, path string
		body         string
		status       int
		field, words string
	}{
		{"unknown discipline", c.elena, "POST", "/api/v1/referrals", `{"patient_id":"1","to_discipline":"chiropractor","reason":"Stiff back"}`, 400, "to_discipline", "must be one of physiotherapist"},
		{"unknown recipient", c.elena, "POST", "/api/v1/referrals", `{"patient_id":"1","to_external":"dentist","recipient_name":"Dr X","reason":"Stiff back"}`, 400, "to_external", "gp, sports_doctor, other"},
		{"a patient the practitioner does not treat", c.elena, "POST", "/api/v1/referrals", `{"patient_id":"` + stranger + `","to_discipline":"physiotherapist","reason":"Stiff back"}`, 404, "", "you can refer the patients you treat"},
		{"a named practitioner of another discipline", c.elena, "POST", "/api/v1/referrals", `{"patient_id":"1","to_discipline":"physiotherapist","to_practitioner_id":"5","reason":"Stiff back"}`, 400, "to_practitioner_id", "massage therapist"},
		{"another patient's assessment", c.elena, "POST", "/api/v1/referrals", `{"patient_id":"1","to_discipline":"physiotherapist","assessment_id":"0123456789abcdef0123456789abcdef","reason":"x"}`, 400, "assessment_id", ""},
		{"reception refers", c.reception, "POST", "/api/v1/referrals", `{"patient_id":"1","to_discipline":"physiotherapist","reason":"x"}`, 403, "", "practitioners"},
		{"amending a draft", c.amira, "POST", "/api/v1/notes/" + draft + "/amend", `{"plan":"x","reason":"y"}`, 409, "", "A draft is edited"},
		{"signing someone else's note", c.amira, "POST", "/api/v1/notes/" + bensDraft + "/sign", ``, 403, "", "Only the note's author signs it"},
		{"editing someone else's note", c.amira, "PATCH", "/api/v1/notes/" + bensDraft, `{"plan":"x"}`, 403, "", "author"},
		{"a note of someone else's appointment", c.amira, "POST", "/api/v1/appointments/" + ben + "/notes", `{"plan":"x"}`, 404, "", "Appointment not found"},
		{"an empty note", c.amira, "PATCH", "/api/v1/notes/" + draft, `{"subjective":"  "}`, 400, "subjective", "empty"},
		{"an id sent as a number", c.elena, "POST", "/api/v1/referrals", `{"patient_id":1,"to_discipline":"physiotherapist","reason":"x"}`, 400, "", `ids are strings of digits, such as "12"`},
		{"an id that is not digits", c.elena, "POST", "/api/v1/referrals", `{"patient_id":"one","to_discipline":"physiotherapist","reason":"x"}`, 400, "", `ids are strings of digits`},
		{"amending without a reason", c.amira, "POST", "/api/v1/notes/" + draft + "/amend", `{"plan":"x"}`, 409, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := fingerprint(t, raw, "sqlite")
			status, body, _ := tc.who.Do(tc.method, tc.path, "application/json", tc.body)
			var e struct {
				Error struct{ Code, Message, Field string } `json:"error"`
			}
			json.Unmarshal([]byte(body), &e)
			if status != tc.status || e.Error.Field != tc.field || !strings.Contains(e.Error.Message, tc.words) {
				t.Errorf("%s %s = %d %s; want %d field %q saying %q", tc.method, tc.path, status, body, tc.status, tc.field, tc.words)
			}
			if fingerprint(t, raw, "sqlite") != before {
				t.Errorf("the refused request changed what is stored")
			}
		})
	}
}

// TestOneStepReferralAndDay: a result of both physiotherapy and massage
// becomes an internal referral in one step for the treating practitioner,
// with the result attached (once: a second press is refused); the
// practitioner's day shows each patient's latest result, open referrals
// and whether the previous visit's note is signed.
func TestOneStepReferralAndDay(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			c := newClinic(t, db.url, nil)
			both := mustCreate(t, c.sam, "/api/v1/assessments", bothAnswers)
			// Not for the patient, nor for a practitioner who does not treat them.
			if status, _ := c.sam.PostJSON("/api/v1/assessments/"+both+"/referrals", `{"to_discipline":"massage_therapist"}`); status != 403 {
				t.Errorf("the patient refers themselves = %d", status)
			}
			if status, _ := c.ben.PostJSON("/api/v1/assessments/"+both+"/referrals", `{"to_discipline":"physiotherapist"}`); status != 404 {
				t.Errorf("a practitioner who does not treat the patient = %d", status)
			}
			_, page := c.amira.Get("/assessment/" + both)
			if !strings.Contains(page, `id="refer-from-result"`) || !strings.Contains(page, "Refer to massage therapy") {
				t.Fatalf("the result page offers no one-step referral to the treating practitioner")
			}
			if _, page := c.sam.Get("/assessment/" + both); strings.Contains(page, `id="refer-from-result"`) {
				t.Errorf("the patient is offered the staff's one-step referral")
			}
			status, _, h := c.amira.PostForm("/assessment/"+both+"/refer", url.Values{"to_discipline": {"massage_therapist"}})
			if status != 303 || !strings.HasPrefix(h.Get("Location"), "/referrals/") {
				t.Fatalf("one-step referral = %d %s", status, h.Get("Location"))
			}
			if msg := c.amira.StatusLine(h); msg != "Referral sent: Massage therapy." {
				t.Errorf("status line = %q", msg)
			}
			r := getReferral(t, c.amira, strings.TrimPrefix(h.Get("Location"), "/referrals/"))
			if r.ToDiscipline != "massage_therapist" || r.AssessmentID != both || !strings.Contains(r.Findings, "Self-assessment of") || r.Status != "requested" {
				t.Errorf("the one-step referral = %+v", r)
			}
			if status, _, _ := c.amira.PostForm("/assessment/"+both+"/refer", url.Values{"to_discipline": {"massage_therapist"}}); status != 409 {
				t.Errorf("a second press = %d, want 409", status)
			}
			// Through the referral, the massage therapists now treat Sam.
			if status, _ := c.ben.Get("/api/v1/patients/1"); status != 200 {
				t.Errorf("a massage therapist reading the referred patient = %d", status)
			}
			// The day: two visits with Amira; the first one's note a draft.
			slots := slotsOf(t, c.sam, "service=2&practitioner=1&"+window(14))
			var later slotJSON
			for _, s := range slots {
				if s.Start.Sub(slots[0].Start) > 24*time.Hour {
					later = s
					break
				}
			}
			second := mustCreate(t, c.sam, "/api/v1/appointments", `{"service_id":"2","practitioner_id":"1","start":"`+later.Start.Format(time.RFC3339)+`"}`)
			draft := mustCreate(t, c.amira, "/api/v1/appointments/"+c.withAmira+"/notes", `{"subjective":"First visit"}`)
			day := func() map[string]any {
				t.Helper()
				date := later.Start.In(london(t)).Format(time.DateOnly)
				status, body := c.amira.Get("/api/v1/day?date=" + date)
				var d struct {
					Appointments []map[string]any `json:"appointments"`
				}
				decode(t, body, &d)
				for _, a := range d.Appointments {
					if a["appointment"].(map[string]any)["id"] == second {
						return a
					}
				}
				t.Fatalf("day %s = %d %s: the second visit is missing", date, status, body)
				return nil
			}
			d := day()
			if d["previous_note"] != "unsigned" || d["latest_assessment"].(map[string]any)["disposition"] != "physiotherapy_and_massage" || len(d["open_referrals"].([]any)) != 1 {
				t.Errorf("the day's entry = %v", d)
			}
			c.amira.PostJSON("/api/v1/notes/"+draft+"/sign", ``)
			if d := day(); d["previous_note"] != "signed" {
				t.Errorf("after signing: previous note %v", d["previous_note"])
			}
			date := later.Start.In(london(t)).Format(time.DateOnly)
			if _, page := c.amira.Get("/today?date=" + date); !strings.Contains(page, "Sam Taylor") || !strings.Contains(page, "note signed") {
				t.Errorf("the day page lacks the patient or the note's state")
			}
		})
	}
}
