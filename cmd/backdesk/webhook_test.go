package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a webhook receiver written from the Standard Webhooks
// specification alone: it checks each request's signature (HMAC-SHA256,
// keyed with the secret's base64 bytes, over "id.timestamp.body", among the
// space-separated "v1,…" signatures) and refuses a timestamp more than five
// minutes from its clock.
type receiver struct {
	mu       sync.Mutex
	secret   string
	skew     time.Duration // added to the receiver's clock (to replay "later")
	failOnce map[string]bool
	failed   map[string]bool
	got      []delivery // every request that verified, in order
	refused  []string   // why requests were refused
}

type delivery struct {
	ID, Timestamp string
	Header        http.Header
	Body          []byte
	Payload       struct {
		Type      string    `json:"type"`
		Timestamp time.Time `json:"timestamp"`
		Data      struct {
			ID              string `json:"id"`
			PatientID       string `json:"patient_id"`
			Status          string `json:"status"`
			RescheduledFrom string `json:"rescheduled_from"`
			AppointmentID   string `json:"appointment_id"`
			Links           struct{ API, FHIR, Patient string }
		} `json:"data"`
	}
	Status int // what the receiver answered
}

// verify is the specification's check.
func (rc *receiver) verify(h http.Header, body []byte, now time.Time) string {
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" {
		return "missing headers"
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "bad timestamp"
	}
	if d := now.Sub(time.Unix(sec, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return "timestamp outside the tolerance: a replay"
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(rc.secret, "whsec_"))
	if err != nil || !strings.HasPrefix(rc.secret, "whsec_") {
		return "bad secret"
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(body)
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	for _, s := range strings.Fields(sigs) {
		if v, sig, ok := strings.Cut(s, ","); ok && v == "v1" && hmac.Equal([]byte(sig), []byte(want)) {
			return ""
		}
	}
	return "no signature matches"
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if why := rc.verify(r.Header, body, time.Now().Add(rc.skew)); why != "" {
		rc.refused = append(rc.refused, why)
		http.Error(w, why, http.StatusBadRequest)
		return
	}
	d := delivery{ID: r.Header.Get("webhook-id"), Timestamp: r.Header.Get("webhook-timestamp"), Header: r.Header.Clone(), Body: body, Status: http.StatusNoContent}
	json.Unmarshal(body, &d.Payload)
	if rc.failOnce[d.Payload.Type] && !rc.failed[d.Payload.Type] {
		rc.failed[d.Payload.Type] = true
		d.Status = http.StatusInternalServerError
	}
	rc.got = append(rc.got, d)
	w.WriteHeader(d.Status)
}

func (rc *receiver) deliveries() []delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivery(nil), rc.got...)
}

// TestWebhooks: a real receiver verifies the signature of every delivery
// with the specification's algorithm, refuses a delivery replayed more than
// five minutes later (and one whose timestamp is changed to pass), sees each
// event exactly once, whichever server process made the change and
// whether through the JSON API or FHIR (two processes on PostgreSQL), and
// sees a delivery again after it answered 500; payloads hold ids and links,
// no clinical text; a resend comes with the same webhook-id.
func TestWebhooks(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			rc := &receiver{failOnce: map[string]bool{"referral.created": true}, failed: map[string]bool{}}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			// Every process has the site's public address, as behind a load
			// balancer: a payload's links, and so its bytes, are the same
			// whichever process sends it.
			env := map[string]string{"BACKDESK_WEBHOOK_ALLOW_PRIVATE": "true", "BACKDESK_BASE_URL": "http://clinic.example"}
			flags := []string{"--webhook-interval", "50ms", "--webhook-first-retry", "300ms"}
			c := newClinic(t, db.url, env, flags...)
			second := c
			if db.name == "postgres" {
				e := map[string]string{"BACKDESK_DB": db.url}
				for k, v := range env {
					e[k] = v
				}
				app2 := MustRunMain(t, e, flags...)
				second = clinicSetup{app: app2}
				for _, who := range []struct {
					c     **Client
					email string
				}{{&second.sam, "sam.taylor@example.org"}, {&second.elena, "elena.kowalska@riverside.example"}, {&second.amira, "amira.shah@riverside.example"}} {
					*who.c = app2.Client(t)
					(*who.c).Login(who.email)
				}
			}
			status, body := c.admin.PostJSON("/api/v1/webhooks", `{"url":"`+srv.URL+`/hooks/backdesk","description":"Test receiver","events":[`+
				`"appointment.booked","appointment.rescheduled","appointment.cancelled","referral.created","referral.accepted","referral.declined",`+
				`"referral.booked","referral.withdrawn","assessment.completed","care_plan.changed","outcome.recorded"]}`)
			var ep struct {
				ID     string `json:"id"`
				Secret string `json:"secret"`
			}
			decode(t, body, &ep)
			if status != 201 || !strings.HasPrefix(ep.Secret, "whsec_") {
				t.Fatalf("create endpoint = %d %s", status, body)
			}
			rc.mu.Lock()
			rc.secret = ep.Secret
			rc.mu.Unlock()
			if _, again := c.admin.Get("/api/v1/webhooks/" + ep.ID); strings.Contains(again, ep.Secret) {
				t.Error("the endpoint's secret is shown again")
			}

			// Changes, in both processes, through the JSON API and FHIR.
			slots := slotsOf(t, c.sam, "service=1&practitioner=1&"+window(14))
			at := func(i int) string { return slots[8*i+8].Start.Format(time.RFC3339) }
			viaAPI := mustCreate(t, c.sam, "/api/v1/appointments", `{"service_id":"1","practitioner_id":"1","start":"`+at(1)+`"}`)
			proposed := "proposed-p1-s1-l1-" + slots[8*2+8].Start.UTC().Format("20060102T150405Z")
			st, bookBody := fhirCall(t, second.sam, "POST", "/fhir/Appointment/$book",
				`{"resourceType":"Parameters","parameter":[{"name":"appointment-reference","valueReference":{"reference":"Appointment/`+proposed+`"}}]}`)
			if st != 200 {
				t.Fatalf("$book = %d %s", st, bookBody)
			}
			var booked fhirBundle
			decode(t, bookBody, &booked)
			var viaFHIR fhirResource
			decode(t, string(booked.Entry[0].Resource), &viaFHIR)
			if st, body := second.sam.PostJSON("/api/v1/appointments/"+viaAPI+"/reschedule", `{"start":"`+at(3)+`"}`); st != 200 {
				t.Fatalf("reschedule = %d %s", st, body)
			}
			if st, body := c.sam.PostJSON("/api/v1/appointments/"+viaFHIR.ID+"/cancel", `{"reason":"Away"}`); st != 200 {
				t.Fatalf("cancel = %d %s", st, body)
			}
			const reason = "Tight lumbar muscles after a long drive"
			toMassage := mustCreate(t, c.amira, "/api/v1/referrals", `{"patient_id":"1","to_discipline":"massage_therapist","reason":"`+reason+`","urgency":"soon","findings":"Spasm at L4"}`)
			declined := mustCreate(t, second.amira, "/api/v1/referrals", `{"patient_id":"1","to_discipline":"massage_therapist","reason":"Second opinion","urgency":"routine"}`)
			withdrawn := mustCreate(t, c.amira, "/api/v1/referrals", `{"patient_id":"1","to_discipline":"sports_therapist","reason":"Running","urgency":"routine"}`)
			for _, step := range []struct {
				who  *Client
				path string
			}{{second.elena, "/api/v1/referrals/" + toMassage + "/accept"}, {c.elena, "/api/v1/referrals/" + declined + "/decline"},
				{second.amira, "/api/v1/referrals/" + withdrawn + "/withdraw"}} {
				if st, body := step.who.PostJSON(step.path, `{"reason":"Not now"}`); st != 200 {
					t.Fatalf("POST %s = %d %s", step.path, st, body)
				}
			}
			massage := slotsOf(t, c.sam, "service=4&practitioner=4&"+window(14))
			fromReferral := mustCreate(t, second.sam, "/api/v1/appointments", `{"service_id":"4","practitioner_id":"4","start":"`+
				massage[len(massage)-1].Start.Format(time.RFC3339)+`","referral_id":"`+toMassage+`"}`)
			assessment := mustCreate(t, c.sam, "/api/v1/assessments", someAnswers)
			plan := mustCreate(t, second.amira, "/api/v1/care-plans", samplePlanBody("1"))
			if st, body, _ := c.amira.Do("PUT", "/api/v1/care-plans/"+plan, "application/json", strings.Replace(samplePlanBody("1"), `"reps":10,`, `"reps":12,`, 1)); st != 200 {
				t.Fatalf("change plan = %d %s", st, body)
			}
			if st, body := second.sam.PostJSON("/api/v1/patients/1/outcomes", `{"pain_now":3,"psfs":[{"activity":"Gardening","score":6}]}`); st != 201 {
				t.Fatalf("record outcomes = %d %s", st, body)
			}
			mustCreate(t, c.app.Client(t), "/api/v1/assessments", someAnswers) // anonymous: no one's record, no event

			want := map[string]int{"appointment.booked": 3, "appointment.rescheduled": 1, "appointment.cancelled": 1, "referral.created": 3,
				"referral.accepted": 1, "referral.declined": 1, "referral.withdrawn": 1, "referral.booked": 1, "assessment.completed": 1,
				"care_plan.changed": 2, "outcome.recorded": 2}
			total := 0
			for _, n := range want {
				total += n
			}
			// Wait for every event (the referral.created that was answered
			// 500 comes again after the first retry's wait).
			seen := func() map[string]int {
				ok := map[string]int{}
				for _, d := range rc.deliveries() {
					if d.Status < 300 {
						ok[d.ID]++
					}
				}
				return ok
			}
			deadline := time.Now().Add(60 * time.Second)
			for len(seen()) < total && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			// A while longer, many worker rounds in every process, for any
			// duplicate to arrive.
			time.Sleep(time.Second)
			got := rc.deliveries()
			byType := map[string]int{}
			for id, n := range seen() {
				if n != 1 {
					t.Errorf("event %s received %d times", id, n)
				}
			}
			for _, d := range got {
				if d.Status < 300 {
					byType[d.Payload.Type]++
				}
			}
			for typ, n := range want {
				if byType[typ] != n {
					t.Errorf("%s received %d times, want %d (all: %v)", typ, byType[typ], n, byType)
				}
			}
			if len(rc.refused) != 0 {
				t.Errorf("deliveries that did not verify: %v", rc.refused)
			}
			// Each event names what changed, with links and no clinical text.
			var retried delivery
			for _, d := range got {
				if bytes.Contains(d.Body, []byte(reason)) || bytes.Contains(d.Body, []byte("Spasm")) || bytes.Contains(d.Body, []byte("Sam Taylor")) ||
					bytes.Contains(d.Body, []byte("Gardening")) || bytes.Contains(d.Body, []byte("sitting at work")) {
					t.Errorf("%s payload holds clinical text or a name: %s", d.Payload.Type, d.Body)
				}
				if d.Payload.Data.ID == "" || !strings.HasPrefix(d.Payload.Data.Links.FHIR, "http://clinic.example/fhir/") || d.Payload.Data.PatientID != "1" || d.Payload.Timestamp.IsZero() {
					t.Errorf("%s payload lacks ids or links: %s", d.Payload.Type, d.Body)
				}
				if d.Payload.Type == "referral.created" && d.Status == 500 {
					retried = d
				}
			}
			checks := map[string]func(delivery) bool{
				"appointment.rescheduled": func(d delivery) bool { return d.Payload.Data.RescheduledFrom == viaAPI },
				"appointment.cancelled":   func(d delivery) bool { return d.Payload.Data.ID == viaFHIR.ID && d.Payload.Data.Status == "cancelled" },
				"referral.booked": func(d delivery) bool {
					return d.Payload.Data.ID == toMassage && d.Payload.Data.AppointmentID == fromReferral
				},
				"assessment.completed": func(d delivery) bool { return d.Payload.Data.ID == assessment },
				"care_plan.changed": func(d delivery) bool {
					return d.Payload.Data.ID == plan && strings.HasSuffix(d.Payload.Data.Links.FHIR, "/fhir/CarePlan/"+plan)
				},
				"outcome.recorded": func(d delivery) bool {
					return strings.HasPrefix(d.Payload.Data.ID, "1-o") && strings.HasSuffix(d.Payload.Data.Links.FHIR, "/fhir/Observation/"+d.Payload.Data.ID)
				},
			}
			for typ, ok := range checks {
				for _, d := range got {
					if d.Payload.Type == typ && !ok(d) {
						t.Errorf("%s: %s", typ, d.Body)
					}
				}
			}
			// The link reads the record, with a token.
			tok := fhirToken(t, c.admin, "Webhook reader", "read_only")
			for _, d := range got {
				if d.Payload.Type == "referral.booked" || d.Payload.Type == "outcome.recorded" || d.Payload.Type == "care_plan.changed" {
					if st, body := fhirCall(t, c.app.Client(t), "GET", d.Payload.Data.Links.FHIR, "", bearer(tok)...); st != 200 {
						t.Errorf("GET %s = %d %s", d.Payload.Data.Links.FHIR, st, body)
					}
				}
			}

			// Retried after the 500: the same webhook-id, a later attempt,
			// both in the delivery's history.
			if retried.ID == "" {
				t.Fatal("the receiver never answered 500")
			}
			var again delivery
			for _, d := range got {
				if d.ID == retried.ID && d.Status < 300 {
					again = d
				}
			}
			if again.ID == "" || again.Timestamp < retried.Timestamp || !bytes.Equal(again.Body, retried.Body) {
				t.Errorf("the retry of %s: %+v", retried.ID, again)
			}
			_, body = c.admin.Get("/api/v1/webhooks/" + ep.ID + "/deliveries?limit=100")
			var ds struct {
				Deliveries []struct {
					ID       string `json:"id"`
					EventID  string `json:"event_id"`
					Status   string `json:"status"`
					Attempts int    `json:"attempts"`
					History  []struct {
						StatusCode int `json:"status_code"`
					} `json:"history"`
				} `json:"deliveries"`
				Total int `json:"total"`
			}
			decode(t, body, &ds)
			if ds.Total != total {
				t.Errorf("%d deliveries listed, want %d", ds.Total, total)
			}
			resendID := ""
			for _, d := range ds.Deliveries {
				want := 1
				if d.EventID == retried.ID {
					want, resendID = 2, d.ID
					if len(d.History) != 2 || d.History[0].StatusCode != 500 || d.History[1].StatusCode != 204 {
						t.Errorf("the retried delivery's history: %+v", d.History)
					}
				}
				if d.Status != "delivered" || d.Attempts != want {
					t.Errorf("delivery %s: %s after %d attempts, want delivered after %d", d.ID, d.Status, d.Attempts, want)
				}
			}

			// A replay more than five minutes later is refused; so is one
			// whose timestamp was changed to look fresh.
			replay := func(d delivery, change func(http.Header)) int {
				h := d.Header.Clone()
				change(h)
				req, _ := http.NewRequest("POST", srv.URL+"/hooks/backdesk", bytes.NewReader(d.Body))
				req.Header = h
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			rc.mu.Lock()
			rc.skew = 6 * time.Minute
			rc.mu.Unlock()
			if st := replay(got[0], func(http.Header) {}); st != 400 {
				t.Errorf("a replay six minutes later = %d, want 400", st)
			}
			rc.mu.Lock()
			rc.skew = 0
			rc.mu.Unlock()
			if st := replay(got[0], func(h http.Header) { h.Set("webhook-timestamp", strconv.FormatInt(time.Now().Unix(), 10)) }); st != 400 {
				t.Errorf("a replay with a new timestamp = %d, want 400", st)
			}
			rc.mu.Lock()
			refused := append([]string(nil), rc.refused...)
			rc.mu.Unlock()
			if len(refused) != 2 || !strings.Contains(refused[0], "replay") || refused[1] != "no signature matches" {
				t.Errorf("refusals = %v", refused)
			}

			// Resend: the same webhook-id again.
			if st, body := c.admin.PostJSON("/api/v1/webhooks/deliveries/"+resendID+"/resend", ``); st != 200 {
				t.Fatalf("resend = %d %s", st, body)
			}
			deadline = time.Now().Add(30 * time.Second)
			for seen()[retried.ID] < 2 && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			if n := seen()[retried.ID]; n != 2 {
				t.Errorf("after a resend, %s received %d times, want 2", retried.ID, n)
			}
			// The admin's page lists the deliveries.
			if st, page := c.admin.Get("/admin/webhooks/" + ep.ID); st != 200 || !strings.Contains(page, retried.ID) || !strings.Contains(page, "referral.created") {
				t.Errorf("GET /admin/webhooks/%s = %d", ep.ID, st)
			}
		})
	}
}
