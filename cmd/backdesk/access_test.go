package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"backdesk"
	"backdesk/clinic"
	"backdesk/web"
)

// accessActors are the actors of the table's roles as clinic sees them,
// to ask it which refusals come before a request's body is read.
var accessActors = map[string]backdesk.Actor{
	"anonymous": {}, "patient": {UserID: 5, Role: backdesk.RolePatient, PatientID: 1}, "patient2": {UserID: 8, Role: backdesk.RolePatient, PatientID: 2},
	"practitioner": {UserID: 3, Role: backdesk.RolePractitioner, PractitionerID: 1}, "practitioner2": {UserID: 4, Role: backdesk.RolePractitioner, PractitionerID: 3},
	"reception": {UserID: 2, Role: backdesk.RoleReception}, "admin": {UserID: 1, Role: backdesk.RoleAdmin},
}

// The roles of the access table, in column order: two patients (the first
// has appointments with the first practitioner, Amira Shah, a
// physiotherapist, who so treats them); practitioner2 is Elena Kowalska, a
// massage therapist, who treats neither (no row refers anyone to massage
// therapy, which would make her treat them).
var accessRoles = []string{"anonymous", "patient", "patient2", "practitioner", "practitioner2", "reception", "admin"}

// accessCase is one endpoint and the status each role must get.
type accessCase struct {
	pattern string // the route pattern it exercises, as registered
	method  string
	path    string // may use {own} (patient's assessment) and {anon} (an anonymous one)
	body    string // may use {role}, and {n} (the role's column, 1 to 7)
	want    [7]int // by accessRoles
	relogin bool   // the call ends the caller's session: sign in again after
}

const (
	newLocation     = `{"name":"North","address":{"line1":"1 High St","city":"Bath","postcode":"BA1 1AA"},"phone":"+44 1225 000000","time_zone":"Europe/London","country":"GB"}`
	newPractitioner = `{"name":"New Physio","discipline":"physiotherapist","active":true}`
	newService      = `{"name":"Back class","discipline":"physiotherapist","duration_minutes":60,"price_minor":1500,"currency":"GBP","active":true}`
	someAnswers     = `{"answers":{"age":40,"duration_weeks":2,"episode":"first","pain_now":5}}`
	// bothAnswers give a result of physiotherapy and massage.
	bothAnswers = `{"answers":{"age":40,"duration_weeks":2,"episode":"first","pain_now":5,"muscle_tension":true}}`
	soapNote    = `{"subjective":"Low back pain for two weeks","objective":"Flexion to mid-shin","assessment":"Mechanical","plan":"Walk daily"}`
)

func accessTable() []accessCase {
	all := func(s int) [7]int { return [7]int{s, s, s, s, s, s, s} }
	adminOnly := func(ok int) [7]int { return [7]int{401, 403, 403, 403, 403, 403, ok} }
	signedIn := func(ok int) [7]int { return [7]int{401, ok, ok, ok, ok, ok, ok} }
	pageAdmin := [7]int{303, 403, 403, 403, 403, 403, 200}
	rows := []accessCase{
		// Operations.
		{pattern: "GET /healthz", method: "GET", path: "/healthz", want: all(200)},
		{pattern: "GET /readyz", method: "GET", path: "/readyz", want: all(200)},
		// Metrics are the operators', read with their token (TestMetricsAccess), never with a role.
		{pattern: "GET /metrics", method: "GET", path: "/metrics", want: all(401)},
		{pattern: "GET /api/v1/openapi.json", method: "GET", path: "/api/v1/openapi.json", want: all(200)},
		{pattern: "GET /static/", method: "GET", path: "/static/nothing.css", want: all(404)},
		// The catalogue: anyone reads, admins write.
		{pattern: "GET /api/v1/locations", method: "GET", path: "/api/v1/locations", want: all(200)},
		{pattern: "POST /api/v1/locations", method: "POST", path: "/api/v1/locations", body: newLocation, want: adminOnly(201)},
		{pattern: "GET /api/v1/locations/{id}", method: "GET", path: "/api/v1/locations/1", want: all(200)},
		{pattern: "PATCH /api/v1/locations/{id}", method: "PATCH", path: "/api/v1/locations/1", body: `{"phone":"+44 117 496 0999"}`, want: adminOnly(200)},
		{pattern: "GET /api/v1/practitioners", method: "GET", path: "/api/v1/practitioners", want: all(200)},
		{pattern: "POST /api/v1/practitioners", method: "POST", path: "/api/v1/practitioners", body: newPractitioner, want: adminOnly(201)},
		{pattern: "GET /api/v1/practitioners/{id}", method: "GET", path: "/api/v1/practitioners/1", want: all(200)},
		{pattern: "PATCH /api/v1/practitioners/{id}", method: "PATCH", path: "/api/v1/practitioners/1", body: `{"bio":"Updated."}`, want: adminOnly(200)},
		{pattern: "GET /api/v1/services", method: "GET", path: "/api/v1/services", want: all(200)},
		{pattern: "POST /api/v1/services", method: "POST", path: "/api/v1/services", body: newService, want: adminOnly(201)},
		{pattern: "GET /api/v1/services/{id}", method: "GET", path: "/api/v1/services/1", want: all(200)},
		{pattern: "PATCH /api/v1/services/{id}", method: "PATCH", path: "/api/v1/services/1", body: `{"price_minor":7000}`, want: adminOnly(200)},
		// The self-assessment: anyone; a patient's own result is theirs and the clinic's.
		{pattern: "GET /api/v1/questionnaire", method: "GET", path: "/api/v1/questionnaire", want: all(200)},
		{pattern: "POST /api/v1/assessments", method: "POST", path: "/api/v1/assessments", body: someAnswers, want: all(201)},
		// Amira (practitioner 1) treats the first patient: they have appointments.
		{pattern: "GET /api/v1/assessments/{id}", method: "GET", path: "/api/v1/assessments/{own}", want: [7]int{404, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /api/v1/assessments/{id}", method: "GET", path: "/api/v1/assessments/{anon}", want: all(200)},
		{pattern: "GET /api/v1/rules", method: "GET", path: "/api/v1/rules", want: all(200)},
		// Availability and appointments: patients book for themselves,
		// reception and admin for a named patient; each role books its own
		// free time ({start}); {b1} {b2} {b3} are the first patient's bookings
		// with Amira (practitioner 1).
		{pattern: "GET /api/v1/availability", method: "GET", path: "/api/v1/availability?service=1&{window}", want: all(200)},
		{pattern: "POST /api/v1/appointments", method: "POST", path: "/api/v1/appointments", body: `{"service_id":"1","practitioner_id":"1","start":"{start}"}`, want: [7]int{401, 201, 201, 403, 403, 400, 400}},
		{pattern: "GET /api/v1/appointments", method: "GET", path: "/api/v1/appointments", want: signedIn(200)},
		// The appointments that need moving: the desk every one, a practitioner their own.
		{pattern: "GET /appointments/to-move", method: "GET", path: "/appointments/to-move", want: [7]int{303, 403, 403, 200, 200, 200, 200}},
		// The diary as a calendar: the desk everyone's, a practitioner their own.
		{pattern: "GET /diary", method: "GET", path: "/diary", want: [7]int{303, 403, 403, 200, 200, 200, 200}},
		{pattern: "GET /diary", method: "GET", path: "/diary?date=2030-01-07&patient=1", want: [7]int{303, 403, 403, 200, 404, 200, 200}},
		{pattern: "GET /diary/week", method: "GET", path: "/diary/week?practitioner=1", want: [7]int{303, 403, 403, 200, 200, 200, 200}},
		// Whether the patient came: the desk and the appointment's
		// practitioner ({b1} is days ahead: too early to mark arrived).
		{pattern: "POST /api/v1/appointments/{id}/attendance", method: "POST", path: "/api/v1/appointments/{b1}/attendance", body: `{"status":"arrived"}`, want: [7]int{401, 403, 404, 409, 404, 409, 409}},
		{pattern: "POST /api/v1/appointments/{id}/attendance", method: "POST", path: "/api/v1/appointments/{b1}/attendance", body: `{"status":"late"}`, want: [7]int{401, 403, 404, 400, 404, 400, 400}},
		{pattern: "POST /appointments/{id}/attendance", method: "POST", path: "/appointments/{b1}/attendance", body: "form:status=no_show", want: [7]int{303, 403, 404, 409, 404, 409, 409}},
		{pattern: "GET /api/v1/appointments/{id}", method: "GET", path: "/api/v1/appointments/{b1}", want: [7]int{404, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /api/v1/appointments/{id}/ics", method: "GET", path: "/api/v1/appointments/{b1}/ics", want: [7]int{404, 200, 404, 200, 404, 200, 200}},
		{pattern: "POST /api/v1/appointments/{id}/cancel", method: "POST", path: "/api/v1/appointments/{b2}/cancel", body: `{"reason":"r"}`, want: [7]int{401, 200, 404, 409, 404, 409, 409}},
		{pattern: "POST /api/v1/appointments/{id}/reschedule", method: "POST", path: "/api/v1/appointments/{b3}/reschedule", body: `{"start":"{later}"}`, want: [7]int{401, 200, 404, 409, 404, 409, 409}},
		{pattern: "POST /api/v1/practitioners/{id}/calendar-feed", method: "POST", path: "/api/v1/practitioners/1/calendar-feed", want: [7]int{401, 403, 403, 201, 403, 403, 201}},
		{pattern: "DELETE /api/v1/practitioners/{id}/calendar-feed", method: "DELETE", path: "/api/v1/practitioners/1/calendar-feed", want: [7]int{401, 403, 403, 204, 403, 403, 204}},
		{pattern: "GET /calendar/{file}", method: "GET", path: "/calendar/{feed}.ics", want: all(200)},
		{pattern: "GET /calendar/{file}", method: "GET", path: "/calendar/not-a-feed.ics", want: all(404)},
		{pattern: "POST /account/calendar-feed", method: "POST", path: "/account/calendar-feed", want: [7]int{303, 403, 403, 200, 200, 403, 404}},
		{pattern: "POST /account/calendar-feed/revoke", method: "POST", path: "/account/calendar-feed/revoke", want: [7]int{303, 403, 403, 303, 303, 403, 303}},
		{pattern: "POST /api/v1/practitioners/{id}/time-off", method: "POST", path: "/api/v1/practitioners/2/time-off", body: `{"start":"2030-01-01T09:00:00Z","end":"2030-01-02T09:00:00Z","reason":"Course"}`, want: [7]int{401, 403, 403, 403, 403, 201, 201}},
		{pattern: "GET /api/v1/practitioners/{id}/time-off", method: "GET", path: "/api/v1/practitioners/2/time-off", want: [7]int{401, 403, 403, 403, 403, 200, 200}},
		// Patients: reception and admin find and record them; a record is
		// seen by its patient, the clinic's desk and a practitioner who
		// treats them (Amira treats the first patient).
		{pattern: "GET /api/v1/patients", method: "GET", path: "/api/v1/patients", want: [7]int{401, 403, 403, 200, 200, 200, 200}},
		{pattern: "GET /api/v1/patients", method: "GET", path: "/api/v1/patients?q=sam&limit=5", want: [7]int{401, 403, 403, 200, 200, 200, 200}},
		{pattern: "GET /api/v1/patients", method: "GET", path: "/api/v1/patients?limit=0", want: [7]int{400, 400, 400, 400, 400, 400, 400}},
		{pattern: "POST /api/v1/patients", method: "POST", path: "/api/v1/patients", body: `{"name":"Caller for {role}","phone":"01632 960 000"}`, want: [7]int{401, 403, 403, 403, 403, 201, 201}},
		{pattern: "POST /api/v1/patients", method: "POST", path: "/api/v1/patients", body: `{"name":" ","email":"x"}`, want: [7]int{401, 403, 403, 403, 403, 400, 400}},
		{pattern: "GET /api/v1/patients/{id}", method: "GET", path: "/api/v1/patients/1", want: [7]int{404, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /patients", method: "GET", path: "/patients?q=taylor", want: [7]int{303, 403, 403, 200, 200, 200, 200}},
		{pattern: "POST /patients", method: "POST", path: "/patients", body: "form:name=Walk+In+{role}&phone=01632+960+001&confirm_new=1", want: [7]int{303, 403, 403, 403, 403, 303, 303}},
		// Someone with the phone of a record already kept: the desk is shown it first.
		{pattern: "POST /patients", method: "POST", path: "/patients", body: "form:name=Another+Caller&phone=%2B44+1632+960001", want: [7]int{303, 403, 403, 403, 403, 409, 409}},
		{pattern: "POST /patients", method: "POST", path: "/patients", body: "form:name=+&date_of_birth=yesterday", want: [7]int{303, 403, 403, 403, 403, 422, 422}},
		{pattern: "GET /patients/{id}", method: "GET", path: "/patients/1", want: [7]int{303, 200, 404, 200, 404, 200, 200}},
		// The desk changes a record's contact details from it; nobody else
		// there (a patient changes their own at /account/details).
		{pattern: "POST /patients/{id}/details", method: "POST", path: "/patients/{p5}/details", body: "form:email=desk-{role}@example.org&phone=01632+960+002", want: [7]int{303, 404, 404, 404, 404, 303, 303}},
		{pattern: "POST /patients/{id}/details", method: "POST", path: "/patients/{p5}/details", body: "form:email=not-an-email", want: [7]int{303, 404, 404, 404, 404, 422, 422}},
		// Merging a duplicate record, and undoing it: reception and admin
		// (the second attempt finds it already merged or undone).
		{pattern: "GET /patients/{id}/merge", method: "GET", path: "/patients/{p6}/merge?duplicate={p7}", want: [7]int{303, 403, 403, 403, 403, 200, 200}},
		{pattern: "POST /patients/{id}/merge", method: "POST", path: "/patients/{p6}/merge", body: "form:duplicate_id={p7}", want: [7]int{303, 403, 403, 403, 403, 303, 409}},
		{pattern: "POST /api/v1/patients/{id}/merge", method: "POST", path: "/api/v1/patients/{p8}/merge", body: `{"duplicate_id":"{p9}"}`, want: [7]int{401, 403, 403, 403, 403, 201, 409}},
		{pattern: "POST /api/v1/patient-merges/{id}/undo", method: "POST", path: "/api/v1/patient-merges/{pm1}/undo", want: [7]int{401, 403, 403, 403, 403, 200, 409}},
		{pattern: "POST /patient-merges/{id}/undo", method: "POST", path: "/patient-merges/{pm2}/undo", want: [7]int{303, 403, 403, 403, 403, 303, 409}},
		// Erasing a patient's personal details: admins only ({p1} {p2} {p3}
		// are callers reception recorded).
		{pattern: "DELETE /api/v1/patients/{id}", method: "DELETE", path: "/api/v1/patients/{p1}", want: [7]int{401, 403, 403, 403, 403, 403, 204}},
		{pattern: "POST /patients/{id}/erase", method: "POST", path: "/patients/{p2}/erase", body: "form:confirm=ERASE", want: [7]int{303, 403, 403, 403, 403, 403, 303}},
		// Changing a patient's details: the patient their own, the desk anyone's.
		{pattern: "PATCH /api/v1/patients/{id}", method: "PATCH", path: "/api/v1/patients/1", body: `{"family_doctor":"Dr Lee, Mill Surgery"}`, want: [7]int{401, 200, 404, 404, 404, 200, 200}},
		{pattern: "PATCH /api/v1/patients/{id}", method: "PATCH", path: "/api/v1/patients/1", body: `{"phone":"call me"}`, want: [7]int{401, 400, 404, 404, 404, 400, 400}},
		{pattern: "POST /patients/{id}/erase", method: "POST", path: "/patients/{p3}/erase", body: "form:confirm=erase", want: [7]int{303, 403, 403, 403, 403, 403, 422}},
		// Time off: reception and admin for anyone, Amira for herself only.
		{pattern: "POST /api/v1/practitioners/{id}/time-off", method: "POST", path: "/api/v1/practitioners/1/time-off", body: `{"start":"2030-01-01T09:00:00Z","end":"2030-01-02T09:00:00Z"}`, want: [7]int{401, 403, 403, 201, 403, 201, 201}},
		{pattern: "GET /api/v1/practitioners/{id}/time-off", method: "GET", path: "/api/v1/practitioners/1/time-off", want: [7]int{401, 403, 403, 200, 403, 200, 200}},
		{pattern: "DELETE /api/v1/time-off/{id}", method: "DELETE", path: "/api/v1/time-off/{t1}", want: [7]int{401, 403, 403, 404, 404, 204, 404}},
		{pattern: "DELETE /api/v1/time-off/{id}", method: "DELETE", path: "/api/v1/time-off/{t2}", want: [7]int{401, 403, 403, 204, 404, 404, 404}},
		{pattern: "GET /time-off", method: "GET", path: "/time-off", want: [7]int{303, 403, 403, 200, 200, 200, 200}},
		{pattern: "GET /time-off", method: "GET", path: "/time-off?practitioner=2", want: [7]int{303, 403, 403, 200, 200, 200, 200}},
		{pattern: "POST /time-off", method: "POST", path: "/time-off", body: "form:practitioner=1&start=2030-04-01T09:00&end=2030-04-01T17:00&reason=Course", want: [7]int{303, 403, 403, 303, 303, 303, 303}},
		{pattern: "POST /time-off", method: "POST", path: "/time-off", body: "form:practitioner=1&start=2030-04-01T09:00&end=2030-04-01T08:00", want: [7]int{303, 403, 403, 422, 422, 422, 422}},
		{pattern: "POST /time-off/{id}/delete", method: "POST", path: "/time-off/{t3}/delete", body: "form:practitioner=1", want: [7]int{303, 403, 403, 303, 404, 404, 404}},
		// Waitlist: patients for themselves, reception and admin for a named patient.
		{pattern: "POST /api/v1/waitlist", method: "POST", path: "/api/v1/waitlist", body: `{"discipline":"physiotherapist","from":"2030-01-01","to":"2030-01-2{n}","weekdays":["monday"],"earliest":"09:00","latest":"12:00"}`, want: [7]int{401, 201, 201, 403, 403, 400, 400}},
		{pattern: "GET /api/v1/waitlist", method: "GET", path: "/api/v1/waitlist", want: [7]int{401, 200, 200, 200, 200, 200, 200}},
		{pattern: "DELETE /api/v1/waitlist/{id}", method: "DELETE", path: "/api/v1/waitlist/{w1}", want: [7]int{401, 204, 404, 404, 404, 204, 204}},
		{pattern: "POST /api/v1/waitlist/offers/{id}/accept", method: "POST", path: "/api/v1/waitlist/offers/999999/accept", want: [7]int{401, 404, 404, 404, 404, 404, 404}},
		{pattern: "POST /api/v1/waitlist/offers/{id}/decline", method: "POST", path: "/api/v1/waitlist/offers/999999/decline", want: [7]int{401, 404, 404, 404, 404, 404, 404}},
		{pattern: "GET /waitlist", method: "GET", path: "/waitlist", want: [7]int{303, 200, 200, 200, 200, 200, 200}},
		// A patient's waitlist page is their own, whatever patient it names.
		{pattern: "GET /waitlist", method: "GET", path: "/waitlist?patient=1", want: [7]int{303, 200, 200, 200, 200, 200, 200}},
		{pattern: "POST /waitlist", method: "POST", path: "/waitlist", body: "form:patient_id=1&discipline=massage_therapist&from=2030-02-01&to=2030-02-2{n}&weekdays=tuesday&earliest=09:00&latest=12:00", want: [7]int{303, 303, 303, 403, 403, 303, 303}},
		{pattern: "POST /waitlist", method: "POST", path: "/waitlist", body: "form:discipline=physiotherapist&from=2030-02-01&to=2030-02-28&weekdays=tuesday&earliest=09:00&latest=12:00", want: [7]int{303, 303, 303, 403, 403, 422, 422}},
		{pattern: "POST /waitlist/{id}/cancel", method: "POST", path: "/waitlist/{w2}/cancel", want: [7]int{303, 303, 404, 404, 404, 303, 303}},
		{pattern: "POST /waitlist/offers/{id}/accept", method: "POST", path: "/waitlist/offers/999999/accept", want: [7]int{303, 404, 404, 404, 404, 404, 404}},
		{pattern: "POST /waitlist/offers/{id}/decline", method: "POST", path: "/waitlist/offers/999999/decline", want: [7]int{303, 404, 404, 404, 404, 404, 404}},
		// Contact messages: anyone writes; reception and admin read and answer.
		{pattern: "POST /api/v1/messages", method: "POST", path: "/api/v1/messages", body: `{"name":"N","email":"n-{role}@example.org","body":"Hello"}`, want: all(201)},
		{pattern: "GET /api/v1/messages", method: "GET", path: "/api/v1/messages", want: [7]int{401, 403, 403, 403, 403, 200, 200}},
		{pattern: "POST /api/v1/messages/{id}/answer", method: "POST", path: "/api/v1/messages/{m1}/answer", body: `{"answer":"Thanks"}`, want: [7]int{401, 403, 403, 403, 403, 200, 409}},
		{pattern: "GET /contact", method: "GET", path: "/contact", want: all(200)},
		{pattern: "POST /contact", method: "POST", path: "/contact", body: "form:name=N&email=f-{role}@example.org&body=Hi", want: all(303)},
		{pattern: "GET /admin/messages", method: "GET", path: "/admin/messages", want: [7]int{303, 403, 403, 403, 403, 200, 200}},
		{pattern: "GET /admin/messages/{id}", method: "GET", path: "/admin/messages/{m2}", want: [7]int{303, 403, 403, 403, 403, 200, 200}},
		{pattern: "POST /admin/messages/{id}/answer", method: "POST", path: "/admin/messages/{m2}/answer", body: "form:answer=Thanks", want: [7]int{303, 403, 403, 403, 403, 303, 409}},
		// Accounts and patient data.
		// Registering answers the same for a new address and a known one
		// (TestRegistrationTellsNothing): an email is on its way either way.
		{pattern: "POST /api/v1/auth/register", method: "POST", path: "/api/v1/auth/register", body: `{"email":"new-{role}@example.org","name":"New","password":"a long enough passphrase"}`, want: all(202)},
		{pattern: "POST /api/v1/auth/verify-email", method: "POST", path: "/api/v1/auth/verify-email", body: `{"token":"not-a-token"}`, want: all(400)},
		// Everyone here has confirmed their address (TestEmailVerification sends a link again).
		{pattern: "POST /api/v1/auth/verify-email/resend", method: "POST", path: "/api/v1/auth/verify-email/resend", want: [7]int{401, 409, 409, 409, 409, 409, 409}},
		{pattern: "POST /api/v1/auth/login", method: "POST", path: "/api/v1/auth/login", body: `{"email":"nobody-{role}@example.org","password":"wrong wrong wrong"}`, want: all(401)},
		{pattern: "POST /api/v1/auth/logout", method: "POST", path: "/api/v1/auth/logout", want: all(204), relogin: true},
		{pattern: "POST /api/v1/auth/password-reset", method: "POST", path: "/api/v1/auth/password-reset", body: `{"email":"nobody@example.org"}`, want: all(202)},
		{pattern: "POST /api/v1/auth/password-reset/confirm", method: "POST", path: "/api/v1/auth/password-reset/confirm", body: `{"token":"not-a-token","password":"a long enough passphrase"}`, want: all(400)},
		{pattern: "GET /api/v1/me", method: "GET", path: "/api/v1/me", want: signedIn(200)},
		{pattern: "GET /api/v1/me/export", method: "GET", path: "/api/v1/me/export", want: signedIn(200)},
		{pattern: "DELETE /api/v1/me", method: "DELETE", path: "/api/v1/me", body: `{"password":"not the password"}`, want: [7]int{401, 400, 400, 403, 403, 403, 403}},
		{pattern: "GET /api/v1/audit", method: "GET", path: "/api/v1/audit", want: adminOnly(200)},
		{pattern: "GET /api/v1/outbox", method: "GET", path: "/api/v1/outbox", want: [7]int{401, 403, 403, 403, 403, 200, 200}},
		// Home exercises: anyone reads the library; practitioners and admins
		// add the clinic's own ({ex} is one); staff browse the pages.
		{pattern: "GET /api/v1/exercises", method: "GET", path: "/api/v1/exercises", want: all(200)},
		{pattern: "POST /api/v1/exercises", method: "POST", path: "/api/v1/exercises", body: clinicExercise("api-{role}"), want: [7]int{401, 403, 403, 201, 201, 403, 201}},
		{pattern: "POST /api/v1/exercises", method: "POST", path: "/api/v1/exercises", body: `{"id":"bridge","name":"Mine","category":"hip","purpose":"p","steps":["a","b"],"stop_if":["x"],"dosage":{"sets":1,"reps":5,"times_per_day":1}}`, want: [7]int{401, 403, 403, 409, 409, 403, 409}},
		{pattern: "GET /api/v1/exercises/{id}", method: "GET", path: "/api/v1/exercises/bridge", want: all(200)},
		{pattern: "GET /api/v1/exercises/{id}", method: "GET", path: "/api/v1/exercises/{ex}", want: all(200)},
		{pattern: "GET /api/v1/exercises/{id}", method: "GET", path: "/api/v1/exercises/no-such-exercise", want: all(404)},
		{pattern: "PUT /api/v1/exercises/{id}", method: "PUT", path: "/api/v1/exercises/{ex}", body: clinicExercise("{ex}"), want: [7]int{401, 403, 403, 200, 200, 403, 200}},
		{pattern: "PUT /api/v1/exercises/{id}", method: "PUT", path: "/api/v1/exercises/bridge", body: clinicExercise("bridge"), want: [7]int{401, 403, 403, 409, 409, 403, 409}},
		// Treatment plans: written by a practitioner who treats the patient
		// (Amira treats the first patient, whose plan {plan} is); read by the
		// patient, those practitioners and the desk; followed by the patient.
		// Whoever's role may never do what a route does is told so (403)
		// before their body is read, whatever record the path names; a
		// refusal about the record comes after (404 to who may not see it).
		{pattern: "POST /api/v1/care-plans", method: "POST", path: "/api/v1/care-plans", body: samplePlanBody("1"), want: [7]int{401, 403, 403, 409, 404, 403, 403}},
		{pattern: "POST /api/v1/care-plans", method: "POST", path: "/api/v1/care-plans", body: strings.Replace(samplePlanBody("1"), `"reps":10,`, `"reps":10000,`, 1), want: [7]int{401, 403, 403, 400, 404, 403, 403}},
		{pattern: "GET /api/v1/care-plans/{id}", method: "GET", path: "/api/v1/care-plans/{plan}", want: [7]int{401, 200, 404, 200, 404, 200, 200}},
		{pattern: "POST /api/v1/care-plans/{id}/adherence", method: "POST", path: "/api/v1/care-plans/{plan}/adherence", body: `{"version":1,"exercise_id":"knee-to-chest","pain":2}`, want: [7]int{401, 201, 404, 403, 403, 403, 403}},
		{pattern: "POST /api/v1/care-plans/{id}/adherence", method: "POST", path: "/api/v1/care-plans/{plan}/adherence", body: `{"version":1,"exercise_id":"knee-to-chest","pain":11}`, want: [7]int{401, 400, 404, 403, 403, 403, 403}},
		{pattern: "PUT /api/v1/care-plans/{id}", method: "PUT", path: "/api/v1/care-plans/{plan}", body: strings.Replace(samplePlanBody("1"), `"reps":10,`, `"reps":12,`, 1), want: [7]int{401, 403, 403, 200, 404, 403, 403}},
		{pattern: "POST /api/v1/care-plans/{id}/adherence", method: "POST", path: "/api/v1/care-plans/{plan}/adherence", body: `{"version":1,"exercise_id":"knee-to-chest"}`, want: [7]int{401, 409, 404, 403, 403, 403, 403}},
		{pattern: "GET /api/v1/care-plans/{id}/versions", method: "GET", path: "/api/v1/care-plans/{plan}/versions", want: [7]int{401, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /api/v1/care-plans/{id}/changes", method: "GET", path: "/api/v1/care-plans/{plan}/changes", want: [7]int{401, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /api/v1/care-plans/{id}/changes", method: "GET", path: "/api/v1/care-plans/{plan}/changes?from=1&to=99", want: [7]int{401, 400, 404, 400, 404, 400, 400}},
		{pattern: "GET /api/v1/care-plans/{id}/adherence", method: "GET", path: "/api/v1/care-plans/{plan}/adherence?weeks=4", want: [7]int{401, 200, 404, 200, 404, 200, 200}},
		{pattern: "POST /api/v1/care-plans/{id}/bookings", method: "POST", path: "/api/v1/care-plans/{plan}/bookings", body: `{"session":0,"practitioner_id":"1","start":"{night}","count":1}`, want: [7]int{401, 200, 404, 403, 403, 200, 200}},
		{pattern: "GET /api/v1/care-plans/{id}/handout.pdf", method: "GET", path: "/api/v1/care-plans/{plan}/handout.pdf", want: [7]int{401, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /api/v1/patients/{id}/care-plan", method: "GET", path: "/api/v1/patients/1/care-plan", want: [7]int{401, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /api/v1/patients/{id}/adherence", method: "GET", path: "/api/v1/patients/1/adherence", want: [7]int{401, 200, 404, 200, 404, 200, 200}},
		// Outcome scores: the patient records their own, a practitioner who
		// treats them records in clinic; the desk reads.
		{pattern: "POST /api/v1/patients/{id}/outcomes", method: "POST", path: "/api/v1/patients/1/outcomes", body: `{"pain_now":4}`, want: [7]int{401, 201, 404, 201, 404, 403, 403}},
		{pattern: "POST /api/v1/patients/{id}/outcomes", method: "POST", path: "/api/v1/patients/1/outcomes", body: `{"pain_now":11}`, want: [7]int{401, 400, 404, 400, 404, 403, 403}},
		{pattern: "GET /api/v1/patients/{id}/outcomes", method: "GET", path: "/api/v1/patients/1/outcomes", want: [7]int{401, 200, 404, 200, 404, 200, 200}},
		// The plan's emails: the patient's own choice.
		{pattern: "GET /api/v1/patients/{id}/reminders", method: "GET", path: "/api/v1/patients/1/reminders", want: [7]int{401, 200, 404, 403, 404, 403, 403}},
		{pattern: "PUT /api/v1/patients/{id}/reminders", method: "PUT", path: "/api/v1/patients/1/reminders", body: `{"daily":false,"hour":8,"outcome_requests":true}`, want: [7]int{401, 200, 404, 403, 403, 403, 403}},
		{pattern: "PUT /api/v1/patients/{id}/reminders", method: "PUT", path: "/api/v1/patients/1/reminders", body: `{"daily":true,"hour":24}`, want: [7]int{401, 400, 404, 403, 403, 403, 403}},
		{pattern: "/api/", method: "GET", path: "/api/v1/nothing-here", want: all(404)},
		// Pages.
		{pattern: "GET /{$}", method: "GET", path: "/", want: all(200)},
		{pattern: "GET /practitioners", method: "GET", path: "/practitioners", want: all(200)},
		{pattern: "GET /practitioners/{id}", method: "GET", path: "/practitioners/1", want: all(200)},
		{pattern: "GET /services", method: "GET", path: "/services", want: all(200)},
		{pattern: "GET /locations", method: "GET", path: "/locations", want: all(200)},
		{pattern: "GET /assessment", method: "GET", path: "/assessment", want: all(200)},
		{pattern: "POST /assessment", method: "POST", path: "/assessment", body: "form:pain_now=2&duration_weeks=1&episode=recurring&age=33", want: all(303)},
		{pattern: "GET /assessment/{id}", method: "GET", path: "/assessment/{own}", want: [7]int{404, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /assessment/{id}/print", method: "GET", path: "/assessment/{own}/print", want: [7]int{404, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /assessment/{id}", method: "GET", path: "/assessment/{anon}", want: all(200)},
		{pattern: "GET /rules", method: "GET", path: "/rules", want: all(200)},
		{pattern: "GET /book", method: "GET", path: "/book?discipline=physiotherapy", want: all(200)},
		{pattern: "GET /book", method: "GET", path: "/book?discipline=chiropractor", want: all(400)}, // not a discipline: refused, not "Book chiropractor"
		// What a time would book: anyone may look, practitioners book through the desk.
		{pattern: "GET /book/review", method: "GET", path: "/book/review?service=1&practitioner=1&start={startq}", want: [7]int{200, 200, 200, 403, 403, 200, 200}},
		{pattern: "POST /book", method: "POST", path: "/book", body: "form:service_id=1&practitioner_id=1&start={start}", want: [7]int{303, 303, 303, 403, 403, 422, 422}},
		{pattern: "GET /appointments", method: "GET", path: "/appointments", want: [7]int{303, 200, 200, 200, 200, 200, 200}},
		{pattern: "GET /appointments", method: "GET", path: "/appointments?practitioner=1&date=2030-01-07", want: [7]int{303, 200, 200, 200, 200, 200, 200}},
		{pattern: "GET /appointments", method: "GET", path: "/appointments?date=tomorrow", want: [7]int{303, 200, 200, 400, 400, 400, 400}},
		{pattern: "GET /appointments/{id}", method: "GET", path: "/appointments/{b1}", want: [7]int{404, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /appointments/{id}/cancel", method: "GET", path: "/appointments/{b1}/cancel", want: [7]int{404, 200, 404, 200, 404, 200, 200}},
		{pattern: "POST /appointments/{id}/cancel", method: "POST", path: "/appointments/{b4}/cancel", body: "form:reason=r&confirm=yes", want: [7]int{303, 303, 404, 409, 404, 409, 409}},
		// Without confirm=yes nothing is cancelled: the page asks first.
		{pattern: "POST /appointments/{id}/cancel", method: "POST", path: "/appointments/{b1}/cancel", body: "form:reason=r", want: [7]int{303, 200, 404, 200, 404, 200, 200}},
		// Health questions before a first visit: its patient, or the desk with them.
		{pattern: "GET /appointments/{id}/intake", method: "GET", path: "/appointments/{b1}/intake", want: [7]int{303, 200, 404, 404, 404, 200, 200}},
		{pattern: "POST /appointments/{id}/intake", method: "POST", path: "/appointments/{b1}/intake", body: "form:phone=0117+496+0000", want: [7]int{303, 422, 404, 404, 404, 422, 422}},
		{pattern: "POST /appointments/{id}/intake", method: "POST", path: "/appointments/{b8}/intake", body: "form:phone=0117+496+0000&consent_treatment=yes&consent_email=yes", want: [7]int{303, 303, 404, 404, 404, 303, 303}},
		{pattern: "GET /appointments/{id}/reschedule", method: "GET", path: "/appointments/{b1}/reschedule", want: [7]int{404, 200, 404, 200, 404, 200, 200}},
		{pattern: "POST /appointments/{id}/reschedule", method: "POST", path: "/appointments/{b5}/reschedule", body: "form:practitioner_id=1&start={later2}", want: [7]int{303, 303, 404, 409, 404, 409, 409}},
		{pattern: "GET /register", method: "GET", path: "/register", want: all(200)},
		{pattern: "POST /register", method: "POST", path: "/register", body: "form:name=P&email=page-{role}@example.org&password=another+long+passphrase&password_again=another+long+passphrase", want: all(303)},
		{pattern: "GET /verify-email/{token}", method: "GET", path: "/verify-email/not-a-token", want: all(200)},
		{pattern: "POST /verify-email/{token}", method: "POST", path: "/verify-email/not-a-token", want: all(422)},
		{pattern: "POST /account/verify-email", method: "POST", path: "/account/verify-email", body: "form:next=/account", want: all(303)},
		{pattern: "GET /password-reset", method: "GET", path: "/password-reset", want: all(200)},
		{pattern: "POST /password-reset", method: "POST", path: "/password-reset", body: "form:email=nobody@example.org", want: all(200)},
		{pattern: "GET /password-reset/{token}", method: "GET", path: "/password-reset/abc", want: all(200)},
		{pattern: "POST /password-reset/{token}", method: "POST", path: "/password-reset/abc", body: "form:password=a+long+enough+passphrase&password_again=a+long+enough+passphrase", want: all(422)},
		{pattern: "GET /account", method: "GET", path: "/account", want: [7]int{303, 200, 200, 200, 200, 200, 200}},
		{pattern: "GET /account/export", method: "GET", path: "/account/export", want: [7]int{303, 200, 200, 200, 200, 200, 200}},
		// A patient's own details; staff have none of their own.
		{pattern: "GET /account/details", method: "GET", path: "/account/details", want: [7]int{303, 200, 200, 404, 404, 404, 404}},
		{pattern: "POST /account/details", method: "POST", path: "/account/details", body: "form:phone=0117+496+0000&family_doctor=Dr+Lee", want: [7]int{303, 303, 303, 404, 404, 404, 404}},
		{pattern: "POST /account/details", method: "POST", path: "/account/details", body: "form:phone=call+me", want: [7]int{303, 422, 422, 404, 404, 404, 404}},
		{pattern: "POST /account/erase", method: "POST", path: "/account/erase", body: "form:password=wrong&confirm=ERASE", want: [7]int{303, 422, 422, 403, 403, 403, 403}},
		// Exercise pages, plan pages, outcome pages and the emailed links.
		{pattern: "GET /exercises", method: "GET", path: "/exercises", want: [7]int{303, 403, 403, 200, 200, 200, 200}},
		{pattern: "GET /exercises/new", method: "GET", path: "/exercises/new", want: [7]int{303, 403, 403, 200, 200, 403, 200}},
		{pattern: "POST /exercises/new", method: "POST", path: "/exercises/new", body: "form:id=page-{role}&name=Wall+lean&category=hip&purpose=Strength.&steps=Lean.%0ASlide.&stop_if=Pain.&dosage.sets=1&dosage.reps=10&dosage.times_per_day=1", want: [7]int{303, 403, 403, 303, 303, 403, 303}},
		{pattern: "POST /exercises/new", method: "POST", path: "/exercises/new", body: "form:id=page-bad-{role}&name=Wall+lean&category=hip&purpose=Strength.&steps=Lean.%0ASlide.&stop_if=Pain.&dosage.sets=0&dosage.reps=0&dosage.times_per_day=0", want: [7]int{303, 403, 403, 422, 422, 403, 422}},
		{pattern: "GET /exercises/{id}", method: "GET", path: "/exercises/bridge", want: [7]int{303, 403, 403, 200, 200, 200, 200}},
		{pattern: "GET /exercises/{id}/edit", method: "GET", path: "/exercises/{ex}/edit", want: [7]int{303, 403, 403, 200, 200, 403, 200}},
		{pattern: "GET /exercises/{id}/edit", method: "GET", path: "/exercises/bridge/edit", want: [7]int{303, 403, 403, 409, 409, 403, 409}},
		{pattern: "POST /exercises/{id}/edit", method: "POST", path: "/exercises/{ex}/edit", body: "form:name=Wall+lean&category=hip&purpose=Strength.&steps=Lean.%0ASlide.&stop_if=Pain.&dosage.sets=1&dosage.reps=12&dosage.times_per_day=1", want: [7]int{303, 403, 403, 303, 303, 403, 303}},
		{pattern: "GET /exercise-drawings/{file}", method: "GET", path: "/exercise-drawings/bridge.svg", want: all(200)},
		{pattern: "GET /exercise-drawings/{file}", method: "GET", path: "/exercise-drawings/nothing.svg", want: all(404)},
		{pattern: "GET /plan", method: "GET", path: "/plan", want: [7]int{303, 303, 200, 200, 200, 200, 200}},
		{pattern: "GET /patients/{id}/care-plan/new", method: "GET", path: "/patients/1/care-plan/new", want: [7]int{303, 403, 403, 303, 404, 403, 403}},
		{pattern: "POST /patients/{id}/care-plan/new", method: "POST", path: "/patients/1/care-plan/new", body: "form:problem=Back+pain.", want: [7]int{303, 403, 403, 409, 404, 403, 403}},
		{pattern: "GET /care-plans/{id}", method: "GET", path: "/care-plans/{plan}", want: [7]int{303, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /care-plans/{id}/week", method: "GET", path: "/care-plans/{plan}/week", want: [7]int{303, 200, 404, 200, 404, 200, 200}},
		{pattern: "POST /care-plans/{id}/done", method: "POST", path: "/care-plans/{plan}/done", body: "form:version=2&exercise_id=bridge&pain=1", want: [7]int{303, 303, 404, 403, 403, 403, 403}},
		{pattern: "POST /care-plans/{id}/done", method: "POST", path: "/care-plans/{plan}/done", body: "form:version=1&exercise_id=walking-programme", want: [7]int{303, 409, 404, 403, 403, 403, 403}},
		{pattern: "POST /care-plans/{id}/reminders", method: "POST", path: "/care-plans/{plan}/reminders", body: "form:daily=on&hour=9&outcome_requests=on", want: [7]int{303, 303, 404, 403, 403, 403, 403}},
		{pattern: "GET /care-plans/{id}/edit", method: "GET", path: "/care-plans/{plan}/edit", want: [7]int{303, 403, 404, 200, 404, 403, 403}},
		{pattern: "POST /care-plans/{id}/edit", method: "POST", path: "/care-plans/{plan}/edit", body: "form:problem=Back+pain,+easing.&sessions.0.discipline=physiotherapist&sessions.0.service_id=2&sessions.0.count=6&sessions.0.every_weeks=2&exercises.0.exercise_id=bridge&exercises.0.dosage.sets=2&exercises.0.dosage.reps=10&exercises.0.dosage.times_per_day=1", want: [7]int{303, 403, 403, 303, 404, 403, 403}},
		{pattern: "POST /care-plans/{id}/edit", method: "POST", path: "/care-plans/{plan}/edit", body: "form:problem=Back+pain.&exercises.0.exercise_id=bridge&exercises.0.dosage.sets=2&exercises.0.dosage.reps=10000&exercises.0.dosage.times_per_day=1", want: [7]int{303, 403, 403, 422, 404, 403, 403}},
		{pattern: "GET /care-plans/{id}/versions/{version}", method: "GET", path: "/care-plans/{plan}/versions/1", want: [7]int{303, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /care-plans/{id}/changes", method: "GET", path: "/care-plans/{plan}/changes", want: [7]int{303, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /care-plans/{id}/book", method: "GET", path: "/care-plans/{plan}/book", want: [7]int{303, 200, 404, 200, 404, 200, 200}},
		{pattern: "POST /care-plans/{id}/book", method: "POST", path: "/care-plans/{plan}/book", body: "form:service_id=2&practitioner_id=1&date={nightdate}&time=03:00&count=1", want: [7]int{303, 200, 404, 403, 403, 200, 200}},
		{pattern: "GET /care-plans/{id}/handout", method: "GET", path: "/care-plans/{plan}/handout", want: [7]int{303, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /care-plans/{id}/handout.pdf", method: "GET", path: "/care-plans/{plan}/handout.pdf", want: [7]int{303, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /patients/{id}/outcomes", method: "GET", path: "/patients/1/outcomes", want: [7]int{303, 200, 404, 200, 404, 200, 200}},
		{pattern: "POST /patients/{id}/outcomes", method: "POST", path: "/patients/1/outcomes", body: "form:pain_now=3", want: [7]int{303, 303, 404, 303, 404, 403, 403}},
		{pattern: "POST /patients/{id}/outcomes", method: "POST", path: "/patients/1/outcomes", body: "form:pain_now=11", want: [7]int{303, 422, 404, 422, 404, 403, 403}},
		{pattern: "GET /patients/{id}/charts/{file}", method: "GET", path: "/patients/1/charts/pain.svg", want: [7]int{303, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /patients/{id}/charts/{file}", method: "GET", path: "/patients/1/charts/mood.svg", want: [7]int{303, 404, 404, 404, 404, 404, 404}},
		{pattern: "GET /outcomes/request/{token}", method: "GET", path: "/outcomes/request/v1.outcome.1.1.forged", want: all(404)},
		{pattern: "POST /outcomes/request/{token}", method: "POST", path: "/outcomes/request/v1.outcome.1.1.forged", body: "form:pain_now=3", want: all(404)},
		{pattern: "GET /emails/stop/{token}", method: "GET", path: "/emails/stop/v1.stop.1.plan_reminder.forged", want: all(404)},
		{pattern: "POST /emails/stop/{token}", method: "POST", path: "/emails/stop/v1.stop.1.plan_reminder.forged", want: all(404)},
		{pattern: "GET /login", method: "GET", path: "/login", want: all(200)},
		{pattern: "POST /login", method: "POST", path: "/login", body: "form:email=nobody-page-{role}@example.org&password=wrong+wrong+wrong", want: all(401)},
		{pattern: "POST /logout", method: "POST", path: "/logout", want: all(303), relogin: true},
		{pattern: "GET /admin", method: "GET", path: "/admin", want: pageAdmin},
		{pattern: "GET /admin/audit", method: "GET", path: "/admin/audit", want: pageAdmin},
		{pattern: "GET /admin/outbox", method: "GET", path: "/admin/outbox", want: [7]int{303, 403, 403, 403, 403, 200, 200}},
		{pattern: "GET /admin/services/new", method: "GET", path: "/admin/services/new", want: pageAdmin},
		{pattern: "POST /admin/services/new", method: "POST", path: "/admin/services/new", body: "form:name=Form+svc&discipline=physiotherapist&duration_minutes=30&buffer_after_minutes=0&price=10&currency=GBP&active=on", want: [7]int{303, 403, 403, 403, 403, 403, 303}},
		{pattern: "GET /admin/services/{id}", method: "GET", path: "/admin/services/1", want: pageAdmin},
		{pattern: "POST /admin/services/{id}", method: "POST", path: "/admin/services/1", body: "form:name=Physiotherapy+initial+assessment&discipline=physiotherapist&duration_minutes=45&buffer_after_minutes=15&price=65&currency=GBP&active=on&first_visit=on&bookable_online=on", want: [7]int{303, 403, 403, 403, 403, 403, 303}},
		{pattern: "GET /admin/practitioners/new", method: "GET", path: "/admin/practitioners/new", want: pageAdmin},
		{pattern: "POST /admin/practitioners/new", method: "POST", path: "/admin/practitioners/new", body: "form:name=Form+Physio&discipline=physiotherapist&active=on", want: [7]int{303, 403, 403, 403, 403, 403, 303}},
		{pattern: "GET /admin/practitioners/{id}", method: "GET", path: "/admin/practitioners/2", want: pageAdmin},
		{pattern: "POST /admin/practitioners/{id}", method: "POST", path: "/admin/practitioners/2", body: "form:name=Tom+Gallagher&discipline=physiotherapist&active=on&registration_body=HCPC&registration_number=PH118790&offer=1:1&hours.1=tuesday+12:00-20:00", want: [7]int{303, 403, 403, 403, 403, 403, 303}},
		{pattern: "GET /admin/locations/new", method: "GET", path: "/admin/locations/new", want: pageAdmin},
		{pattern: "POST /admin/locations/new", method: "POST", path: "/admin/locations/new", body: "form:name=South&address.line1=2+Low+St&address.city=Bath&phone=1&time_zone=Europe/London&country=GB&opening_hours=monday+09:00-17:00", want: [7]int{303, 403, 403, 403, 403, 403, 303}},
		{pattern: "GET /admin/locations/{id}", method: "GET", path: "/admin/locations/1", want: pageAdmin},
		{pattern: "POST /admin/locations/{id}", method: "POST", path: "/admin/locations/1", body: "form:name=Riverside+Back+Clinic&address.line1=12+Mill+Lane&address.city=Bristol&phone=%2B44+117+496+0123&time_zone=Europe/London&country=GB&opening_hours=monday+08:00-20:00", want: [7]int{303, 403, 403, 403, 403, 403, 303}},
		// Referrals. Amira treats the first patient (appointments); Ben Okafor
		// (a massage therapist, not a column) treats them too and sends
		// {r1}…{r5} to physiotherapy, Amira's discipline; Amira sends {r6}
		// to sports therapy and {r7} to the patient's GP; Elena is on no side
		// of any of them. Patients neither refer nor answer referrals, nor
		// write notes: refused for that (403) before anything is looked up.
		{pattern: "POST /api/v1/referrals", method: "POST", path: "/api/v1/referrals", body: `{"patient_id":"1","to_discipline":"sports_therapist","reason":"Hip stiffness limits running","urgency":"routine"}`, want: [7]int{401, 403, 403, 201, 404, 403, 403}},
		{pattern: "POST /api/v1/referrals", method: "POST", path: "/api/v1/referrals", body: `{"patient_id":"1","to_discipline":"chiropractor","reason":"x"}`, want: [7]int{401, 403, 403, 400, 404, 403, 403}},
		{pattern: "POST /api/v1/referrals", method: "POST", path: "/api/v1/referrals", body: `{"patient_id":"{p4}","to_external":"gp","recipient_name":"Dr X","reason":"x"}`, want: [7]int{401, 403, 403, 404, 404, 403, 403}},
		{pattern: "GET /api/v1/referrals", method: "GET", path: "/api/v1/referrals", want: signedIn(200)},
		{pattern: "GET /api/v1/referrals", method: "GET", path: "/api/v1/referrals?box=inbox&status=open", want: signedIn(200)},
		{pattern: "GET /api/v1/referrals", method: "GET", path: "/api/v1/referrals?box=sent", want: [7]int{401, 200, 200, 200, 200, 400, 400}},
		{pattern: "GET /api/v1/referrals", method: "GET", path: "/api/v1/referrals?status=lost", want: [7]int{401, 400, 400, 400, 400, 400, 400}},
		{pattern: "GET /api/v1/referrals/{id}", method: "GET", path: "/api/v1/referrals/{r1}", want: [7]int{401, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /api/v1/referrals/{id}", method: "GET", path: "/api/v1/referrals/999999", want: [7]int{401, 404, 404, 404, 404, 404, 404}},
		{pattern: "POST /api/v1/referrals/{id}/accept", method: "POST", path: "/api/v1/referrals/{r2}/accept", want: [7]int{401, 403, 403, 200, 404, 403, 403}},
		{pattern: "POST /api/v1/referrals/{id}/accept", method: "POST", path: "/api/v1/referrals/{r2}/accept", want: [7]int{401, 403, 403, 409, 404, 403, 403}},
		{pattern: "POST /api/v1/referrals/{id}/decline", method: "POST", path: "/api/v1/referrals/{r3}/decline", body: `{"reason":"A hip problem: sports therapy first"}`, want: [7]int{401, 403, 403, 200, 404, 403, 403}},
		{pattern: "POST /api/v1/referrals/{id}/decline", method: "POST", path: "/api/v1/referrals/{r5}/decline", body: `{}`, want: [7]int{401, 403, 403, 400, 404, 403, 403}},
		// {r4} is accepted and booked for a time still to come.
		{pattern: "POST /api/v1/referrals/{id}/complete", method: "POST", path: "/api/v1/referrals/{r4}/complete", want: [7]int{401, 403, 403, 409, 404, 403, 403}},
		{pattern: "POST /api/v1/referrals/{id}/withdraw", method: "POST", path: "/api/v1/referrals/{r6}/withdraw", body: `{"reason":"Better now"}`, want: [7]int{401, 403, 403, 200, 404, 403, 403}},
		{pattern: "POST /api/v1/referrals/{id}/withdraw", method: "POST", path: "/api/v1/referrals/{r1}/withdraw", want: [7]int{401, 403, 403, 403, 404, 403, 403}},
		{pattern: "GET /api/v1/referrals/{id}/letter.pdf", method: "GET", path: "/api/v1/referrals/{r7}/letter.pdf", want: [7]int{401, 200, 404, 200, 404, 200, 200}},
		{pattern: "GET /api/v1/referrals/{id}/letter.pdf", method: "GET", path: "/api/v1/referrals/{r1}/letter.pdf", want: [7]int{401, 404, 404, 404, 404, 404, 404}},
		// The one-step referral from a result of both physiotherapy and
		// massage: {both} is the second patient's, whom Amira treats.
		{pattern: "POST /api/v1/assessments/{id}/referrals", method: "POST", path: "/api/v1/assessments/{both}/referrals", body: `{"to_discipline":"physiotherapist"}`, want: [7]int{401, 403, 403, 201, 404, 403, 403}},
		{pattern: "POST /api/v1/assessments/{id}/referrals", method: "POST", path: "/api/v1/assessments/{own}/referrals", body: `{"to_discipline":"physiotherapist"}`, want: [7]int{401, 403, 403, 400, 404, 403, 403}},
		// Clinical notes: {b6} {b7} are appointments with Amira without a
		// note; {n1}…{n9} Amira's notes (drafts, and {n4} {n9} signed);
		// {n6} is Ben's draft, which Amira may read but not sign.
		{pattern: "POST /api/v1/appointments/{id}/notes", method: "POST", path: "/api/v1/appointments/{b6}/notes", body: soapNote, want: [7]int{401, 403, 403, 201, 404, 403, 403}},
		{pattern: "POST /api/v1/appointments/{id}/notes", method: "POST", path: "/api/v1/appointments/{b6}/notes", body: soapNote, want: [7]int{401, 403, 403, 409, 404, 403, 403}},
		{pattern: "GET /api/v1/appointments/{id}/notes", method: "GET", path: "/api/v1/appointments/{b1}/notes", want: [7]int{401, 404, 404, 200, 404, 200, 200}},
		{pattern: "GET /api/v1/notes/{id}", method: "GET", path: "/api/v1/notes/{n1}", want: [7]int{401, 404, 404, 200, 404, 200, 200}},
		{pattern: "PATCH /api/v1/notes/{id}", method: "PATCH", path: "/api/v1/notes/{n2}", body: soapNote, want: [7]int{401, 403, 403, 200, 404, 403, 403}},
		{pattern: "PATCH /api/v1/notes/{id}", method: "PATCH", path: "/api/v1/notes/{n4}", body: soapNote, want: [7]int{401, 403, 403, 409, 404, 403, 403}},
		{pattern: "POST /api/v1/notes/{id}/sign", method: "POST", path: "/api/v1/notes/{n3}/sign", want: [7]int{401, 404, 404, 200, 404, 403, 403}},
		{pattern: "POST /api/v1/notes/{id}/sign", method: "POST", path: "/api/v1/notes/{n6}/sign", want: [7]int{401, 404, 404, 403, 404, 403, 403}},
		{pattern: "POST /api/v1/notes/{id}/amend", method: "POST", path: "/api/v1/notes/{n4}/amend", body: `{"plan":"Walk daily; swim","reason":"Swimming added"}`, want: [7]int{401, 403, 403, 201, 404, 403, 403}},
		{pattern: "POST /api/v1/notes/{id}/amend", method: "POST", path: "/api/v1/notes/{n5}/amend", body: `{"plan":"x","reason":"y"}`, want: [7]int{401, 403, 403, 409, 404, 403, 403}},
		// The practitioner's day: their own; the desk names whose.
		{pattern: "GET /api/v1/day", method: "GET", path: "/api/v1/day", want: [7]int{401, 403, 403, 200, 200, 400, 400}},
		{pattern: "GET /api/v1/day", method: "GET", path: "/api/v1/day?practitioner=1&date=2030-01-07", want: [7]int{401, 403, 403, 200, 403, 200, 200}},
		{pattern: "GET /referrals", method: "GET", path: "/referrals", want: [7]int{303, 200, 200, 200, 200, 200, 200}},
		{pattern: "GET /referrals", method: "GET", path: "/referrals?status=all&discipline=physiotherapist", want: [7]int{303, 200, 200, 200, 200, 200, 200}},
		{pattern: "GET /referrals/new", method: "GET", path: "/referrals/new?patient=1", want: [7]int{303, 403, 403, 200, 404, 403, 403}},
		{pattern: "POST /referrals", method: "POST", path: "/referrals", body: "form:patient_id=1&where=inside&to_discipline=sports_therapist&reason=Hip+stiffness&urgency=soon", want: [7]int{303, 403, 403, 303, 404, 403, 403}},
		{pattern: "POST /referrals", method: "POST", path: "/referrals", body: "form:patient_id=1&where=outside&to_external=gp&reason=No+recipient&urgency=urgent", want: [7]int{303, 403, 403, 422, 404, 403, 403}},
		{pattern: "GET /referrals/{id}", method: "GET", path: "/referrals/{r1}", want: [7]int{303, 200, 404, 200, 404, 200, 200}},
		{pattern: "POST /referrals/{id}/accept", method: "POST", path: "/referrals/{r8}/accept", want: [7]int{303, 403, 403, 303, 404, 403, 403}},
		{pattern: "POST /referrals/{id}/decline", method: "POST", path: "/referrals/{r9}/decline", body: "form:reason=", want: [7]int{303, 403, 403, 422, 404, 403, 403}},
		{pattern: "POST /referrals/{id}/decline", method: "POST", path: "/referrals/{r9}/decline", body: "form:reason=Not+for+physiotherapy", want: [7]int{303, 403, 403, 303, 404, 403, 403}},
		{pattern: "POST /referrals/{id}/complete", method: "POST", path: "/referrals/{r4}/complete", want: [7]int{303, 403, 403, 409, 404, 403, 403}},
		{pattern: "POST /referrals/{id}/withdraw", method: "POST", path: "/referrals/{r10}/withdraw", body: "form:reason=", want: [7]int{303, 403, 403, 303, 404, 403, 403}},
		{pattern: "GET /referrals/{id}/letter", method: "GET", path: "/referrals/{r7}/letter", want: [7]int{303, 200, 404, 200, 404, 200, 200}},
		{pattern: "POST /assessment/{id}/refer", method: "POST", path: "/assessment/{both2}/refer", body: "form:to_discipline=physiotherapist", want: [7]int{303, 403, 403, 303, 404, 403, 403}},
		{pattern: "POST /appointments/{id}/notes", method: "POST", path: "/appointments/{b7}/notes", body: "form:subjective=Better+this+week", want: [7]int{303, 403, 403, 303, 404, 403, 403}},
		{pattern: "GET /notes/{id}", method: "GET", path: "/notes/{n1}", want: [7]int{303, 404, 404, 200, 404, 200, 200}},
		{pattern: "POST /notes/{id}", method: "POST", path: "/notes/{n7}", body: "form:subjective=Edited&plan=Walk", want: [7]int{303, 403, 403, 303, 404, 403, 403}},
		{pattern: "POST /notes/{id}/sign", method: "POST", path: "/notes/{n8}/sign", want: [7]int{303, 404, 404, 303, 404, 403, 403}},
		{pattern: "POST /notes/{id}/amend", method: "POST", path: "/notes/{n9}/amend", body: "form:plan=Swim+too&reason=Swimming+added", want: [7]int{303, 403, 403, 303, 404, 403, 403}},
		{pattern: "POST /notes/{id}/amend", method: "POST", path: "/notes/{n9}/amend", body: "form:plan=Swim+too&reason=Again", want: [7]int{303, 403, 403, 409, 404, 403, 403}},
		{pattern: "GET /today", method: "GET", path: "/today", want: [7]int{303, 403, 403, 200, 200, 200, 200}},
		{pattern: "GET /today", method: "GET", path: "/today?practitioner=1&date=2030-01-07", want: [7]int{303, 403, 403, 200, 403, 200, 200}},
		// Integrations: API tokens and webhooks, admins only; {tok1} {tok2}
		// are tokens and {wh1} {wh2} {wh3} (disabled) endpoints the admin made.
		{pattern: "POST /api/v1/tokens", method: "POST", path: "/api/v1/tokens", body: `{"name":"Integration of {role}","role":"read_only"}`, want: adminOnly(201)},
		{pattern: "POST /api/v1/tokens", method: "POST", path: "/api/v1/tokens", body: `{"name":"Bad role of {role}","role":"practitioner"}`, want: [7]int{401, 403, 403, 403, 403, 403, 400}},
		{pattern: "GET /api/v1/tokens", method: "GET", path: "/api/v1/tokens", want: adminOnly(200)},
		{pattern: "DELETE /api/v1/tokens/{id}", method: "DELETE", path: "/api/v1/tokens/{tok1}", want: adminOnly(204)},
		{pattern: "DELETE /api/v1/tokens/{id}", method: "DELETE", path: "/api/v1/tokens/999999", want: adminOnly(404)},
		{pattern: "POST /api/v1/webhooks", method: "POST", path: "/api/v1/webhooks", body: `{"url":"https://hooks.example/{role}","events":["appointment.booked"],"enabled":false}`, want: adminOnly(201)},
		{pattern: "POST /api/v1/webhooks", method: "POST", path: "/api/v1/webhooks", body: `{"url":"http://127.0.0.1:9/hook","events":["appointment.booked"]}`, want: [7]int{401, 403, 403, 403, 403, 403, 400}},
		{pattern: "POST /api/v1/webhooks", method: "POST", path: "/api/v1/webhooks", body: `{"url":"file:///etc/passwd","events":["appointment.booked"]}`, want: [7]int{401, 403, 403, 403, 403, 403, 400}},
		{pattern: "GET /api/v1/webhooks", method: "GET", path: "/api/v1/webhooks", want: adminOnly(200)},
		{pattern: "GET /api/v1/webhooks/{id}", method: "GET", path: "/api/v1/webhooks/{wh1}", want: adminOnly(200)},
		{pattern: "PATCH /api/v1/webhooks/{id}", method: "PATCH", path: "/api/v1/webhooks/{wh1}", body: `{"events":["appointment.booked","referral.created"]}`, want: adminOnly(200)},
		{pattern: "DELETE /api/v1/webhooks/{id}", method: "DELETE", path: "/api/v1/webhooks/{wh2}", want: adminOnly(204)},
		{pattern: "GET /api/v1/webhooks/{id}/deliveries", method: "GET", path: "/api/v1/webhooks/{wh1}/deliveries", want: adminOnly(200)},
		{pattern: "POST /api/v1/webhooks/deliveries/{id}/resend", method: "POST", path: "/api/v1/webhooks/deliveries/999999/resend", want: adminOnly(404)},
		{pattern: "GET /admin/tokens", method: "GET", path: "/admin/tokens", want: pageAdmin},
		{pattern: "POST /admin/tokens", method: "POST", path: "/admin/tokens", body: "form:name=Page+token+of+{role}&role=reception", want: [7]int{303, 403, 403, 403, 403, 403, 200}},
		{pattern: "POST /admin/tokens", method: "POST", path: "/admin/tokens", body: "form:name=+&role=reception", want: [7]int{303, 403, 403, 403, 403, 403, 422}},
		{pattern: "POST /admin/tokens/{id}/revoke", method: "POST", path: "/admin/tokens/{tok2}/revoke", want: [7]int{303, 403, 403, 403, 403, 403, 303}},
		{pattern: "GET /admin/webhooks", method: "GET", path: "/admin/webhooks", want: pageAdmin},
		{pattern: "POST /admin/webhooks", method: "POST", path: "/admin/webhooks", body: "form:url=https://hooks.example/page-{role}&events=appointment.booked", want: [7]int{303, 403, 403, 403, 403, 403, 200}},
		{pattern: "POST /admin/webhooks", method: "POST", path: "/admin/webhooks", body: "form:url=ftp://hooks.example/x&events=appointment.booked", want: [7]int{303, 403, 403, 403, 403, 403, 422}},
		{pattern: "GET /admin/webhooks/{id}", method: "GET", path: "/admin/webhooks/{wh1}", want: pageAdmin},
		{pattern: "POST /admin/webhooks/{id}", method: "POST", path: "/admin/webhooks/{wh1}", body: "form:url=https://hooks.example/changed&events=referral.created", want: [7]int{303, 403, 403, 403, 403, 403, 303}},
		{pattern: "POST /admin/webhooks/{id}/delete", method: "POST", path: "/admin/webhooks/{wh3}/delete", want: [7]int{303, 403, 403, 403, 403, 403, 303}},
		{pattern: "POST /admin/webhooks/deliveries/{id}/resend", method: "POST", path: "/admin/webhooks/deliveries/999999/resend", want: [7]int{303, 403, 403, 403, 403, 403, 404}},
		{pattern: "/", method: "GET", path: "/no/such/page", want: all(404)},
	}
	// The FHIR rows come first: later rows change the catalogue (the
	// location's opening hours), which the free slots they use depend on.
	return append(fhirAccessRows(), rows...)
}

// fhirAccessRows are the FHIR facade's routes: the catalogue and free
// slots are public; a patient's records follow the JSON API's rules (the
// same services decide): {b1} {own} {r1} are the first patient's, whom
// Amira (practitioner) treats; {slot} is a free time; each role books its
// own free time with $book ({proposed}).
func fhirAccessRows() []accessCase {
	all := func(s int) [7]int { return [7]int{s, s, s, s, s, s, s} }
	signedIn := [7]int{401, 200, 200, 200, 200, 200, 200}
	ownRecord := [7]int{404, 200, 404, 200, 404, 200, 200}
	rows := []accessCase{
		{pattern: "GET /fhir/metadata", method: "GET", path: "/fhir/metadata", want: all(200)},
		{pattern: "/fhir/", method: "GET", path: "/fhir/Medication", want: all(404)},
		{pattern: "/fhir/", method: "PUT", path: "/fhir/Patient/1", body: `{"resourceType":"Patient"}`, want: all(405)},
		{pattern: "GET /fhir/Appointment/$find", method: "GET", path: "/fhir/Appointment/$find?service=HealthcareService/1&{fhirwindow}", want: all(200)},
		{pattern: "GET /fhir/Appointment/$find", method: "GET", path: "/fhir/Appointment/$find?service=HealthcareService/1", want: all(400)},
		{pattern: "POST /fhir/Appointment/$find", method: "POST", path: "/fhir/Appointment/$find",
			body: `{"resourceType":"Parameters","parameter":[{"name":"service","valueReference":{"reference":"HealthcareService/1"}},{"name":"start","valueDateTime":"{from}"},{"name":"end","valueDateTime":"{to}"}]}`, want: all(200)},
		{pattern: "POST /fhir/Appointment/$book", method: "POST", path: "/fhir/Appointment/$book",
			body: `{"resourceType":"Parameters","parameter":[{"name":"appointment-reference","valueReference":{"reference":"Appointment/{proposed}"}}]}`, want: [7]int{401, 200, 200, 403, 403, 400, 400}},
	}
	for _, t := range []struct {
		name, read  string
		search, get [7]int
		missing     [7]int // reading an id that does not exist
	}{
		{"Patient", "1", signedIn, ownRecord, all(404)},
		{"Practitioner", "1", all(200), all(200), all(404)},
		{"PractitionerRole", "1", all(200), all(200), all(404)},
		{"HealthcareService", "1", all(200), all(200), all(404)},
		{"Location", "1", all(200), all(200), all(404)},
		{"Schedule", "p1-s1-l1", all(200), all(200), all(404)},
		{"Slot", "{slot}", all(200), all(200), all(404)},
		{"Appointment", "{b1}", signedIn, ownRecord, all(404)},
		{"Questionnaire", "self-assessment", all(200), all(200), all(404)},
		{"QuestionnaireResponse", "{own}", signedIn, ownRecord, all(404)},
		// A referral, a plan and scores are read signed in only, as in the
		// JSON API; {plan} is the first patient's plan, {obs} the pain score
		// of their self-assessment {own}.
		{"ServiceRequest", "{r1}", signedIn, [7]int{401, 200, 404, 200, 404, 200, 200}, [7]int{401, 404, 404, 404, 404, 404, 404}},
		{"CarePlan", "{plan}", signedIn, [7]int{401, 200, 404, 200, 404, 200, 200}, [7]int{401, 404, 404, 404, 404, 404, 404}},
		{"Observation", "{obs}", signedIn, [7]int{401, 200, 404, 200, 404, 200, 200}, [7]int{401, 404, 404, 404, 404, 404, 404}},
	} {
		rows = append(rows,
			accessCase{pattern: "GET /fhir/" + t.name, method: "GET", path: "/fhir/" + t.name, want: t.search},
			accessCase{pattern: "POST /fhir/" + t.name + "/_search", method: "POST", path: "/fhir/" + t.name + "/_search", body: "form:_count=5", want: t.search},
			accessCase{pattern: "GET /fhir/" + t.name + "/{id}", method: "GET", path: "/fhir/" + t.name + "/" + t.read, want: t.get},
			accessCase{pattern: "GET /fhir/" + t.name + "/{id}", method: "GET", path: "/fhir/" + t.name + "/9999999", want: t.missing})
	}
	// Another patient's appointment, record and referrals are not found
	// through a read, and match nothing in a search.
	rows = append(rows,
		accessCase{pattern: "GET /fhir/QuestionnaireResponse/{id}", method: "GET", path: "/fhir/QuestionnaireResponse/{anon}", want: all(200)},
		accessCase{pattern: "GET /fhir/Appointment", method: "GET", path: "/fhir/Appointment?patient=Patient/1&status=booked", want: signedIn},
		accessCase{pattern: "GET /fhir/Appointment", method: "GET", path: "/fhir/Appointment?colour=red", want: [7]int{400, 400, 400, 400, 400, 400, 400}},
		accessCase{pattern: "GET /fhir/Slot", method: "GET", path: "/fhir/Slot?schedule=Schedule/p1-s1-l1&start=ge{from}&start=lt{to}&status=free", want: all(200)},
		accessCase{pattern: "GET /fhir/Slot", method: "GET", path: "/fhir/Slot?start=ne2030-01-01", want: all(400)})
	return rows
}

// TestAccessTable: for every route, each role gets exactly the status the
// rules give; the table must name every route the server registers.
func TestAccessTable(t *testing.T) {
	srv, err := web.NewServer(web.Config{}, web.Services{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ops := srv.Operations()
	covered := map[string]bool{}
	for _, c := range accessTable() {
		covered[c.pattern] = true
	}
	for _, r := range srv.Routes() {
		if !covered[r] {
			t.Errorf("route %q is not in the access table: add a row with the status each role must get", r)
		}
	}

	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel() // the two databases share nothing; this table is the package's longest test
			// Patients here book and wait more than the caps a clinic sets
			// (TestPatientLimits checks those).
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url, "BACKDESK_METRICS_TOKEN": "operators-metrics-token",
				"BACKDESK_PATIENT_BOOKINGS": "50", "BACKDESK_PATIENT_WAITLIST": "50"}, "--demo")
			logins := map[string]struct{ email, password string }{
				"patient":       {"sam.taylor@example.org", DemoPassword},
				"patient2":      {"alex.morgan@example.org", PatientPassword},
				"practitioner":  {"amira.shah@riverside.example", DemoPassword},
				"practitioner2": {"elena.kowalska@riverside.example", DemoPassword},
				"ben":           {"ben.okafor@riverside.example", DemoPassword}, // not a column: the referrer
				"reception":     {"reception@riverside.example", DemoPassword},
				"admin":         {"admin@riverside.example", DemoPassword},
			}
			app.RegisterPatient(t, "alex.morgan@example.org", "Alex Morgan")
			clients := map[string]*Client{}
			signIn := func(role string) {
				c := app.Client(t)
				if l, ok := logins[role]; ok {
					if status, body := c.PostJSON("/api/v1/auth/login", `{"email":"`+l.email+`","password":"`+l.password+`"}`); status != 200 {
						t.Fatalf("sign in %s: %d %s", role, status, body)
					}
				}
				clients[role] = c
			}
			for _, role := range accessRoles {
				signIn(role)
			}
			var own, anon struct{ ID string }
			_, body := clients["patient"].PostJSON("/api/v1/assessments", someAnswers)
			decode(t, body, &own)
			_, body = clients["anonymous"].PostJSON("/api/v1/assessments", someAnswers)
			decode(t, body, &anon)
			// Bookings and time off to act on; free times an hour apart.
			slots := slotsOf(t, clients["anonymous"], "service=1&practitioner=1&"+window(14))
			free := func(i int) string { return slots[4*i].Start.Format(time.RFC3339) }
			// created posts body as role and returns the new record's id.
			created := func(role, path, body string) string {
				status, resp := clients[role].PostJSON(path, body)
				var r struct{ ID string }
				decode(t, resp, &r)
				if status != 201 || r.ID == "" {
					t.Fatalf("setup %s %s = %d %s", role, path, status, resp)
				}
				return r.ID
			}
			book := func(i int) string {
				return created("patient", "/api/v1/appointments", `{"service_id":"1","practitioner_id":"1","start":"`+free(i)+`"}`)
			}
			caller := func() string { return created("reception", "/api/v1/patients", `{"name":"Setup Caller"}`) }
			merged := func() string {
				return created("reception", "/api/v1/patients/"+caller()+"/merge", `{"duplicate_id":"`+caller()+`"}`)
			}
			timeOff := func() string {
				return created("admin", "/api/v1/practitioners/1/time-off", `{"start":"2030-02-03T09:00:00Z","end":"2030-02-04T09:00:00Z"}`)
			}
			message := func() string {
				return created("anonymous", "/api/v1/messages", `{"name":"Setup","email":"setup@example.org","body":"Question"}`)
			}
			waiting := 0
			waitEntry := func() string {
				waiting++
				return created("patient", "/api/v1/waitlist", fmt.Sprintf(`{"discipline":"physiotherapist","from":"2030-03-01","to":"2030-03-%d","weekdays":["friday"],"earliest":"09:00","latest":"12:00"}`, 10+waiting))
			}
			off := created("admin", "/api/v1/practitioners/2/time-off", `{"start":"2030-02-01T09:00:00Z","end":"2030-02-02T09:00:00Z"}`)
			_, body = clients["admin"].PostJSON("/api/v1/practitioners/2/calendar-feed", ``)
			var feed struct{ URL string }
			decode(t, body, &feed)
			feedToken := strings.TrimSuffix(feed.URL[strings.LastIndex(feed.URL, "/")+1:], ".ics")
			b1, b2, b3, b4, b5 := book(0), book(1), book(2), book(3), book(24)
			// A clinic exercise to change, and the first patient's plan, by
			// Amira, who treats him now.
			ex := "setup-exercise"
			created("admin", "/api/v1/exercises", clinicExercise(ex))
			plan := created("practitioner", "/api/v1/care-plans", samplePlanBody("1"))

			// Referrals and notes to act on. Ben Okafor, a massage therapist
			// who is not a column of the table, treats the first patient and
			// refers them to physiotherapy, Amira's discipline.
			signIn("ben")
			massage := slotsOf(t, clients["anonymous"], "service=4&practitioner=5&"+window(14))
			benBooking := created("patient", "/api/v1/appointments", `{"service_id":"4","practitioner_id":"5","start":"`+massage[0].Start.Format(time.RFC3339)+`"}`)
			benNote := created("ben", "/api/v1/appointments/"+benBooking+"/notes", soapNote)
			toPhysio := func() string {
				return created("ben", "/api/v1/referrals", `{"patient_id":"1","to_discipline":"physiotherapist","reason":"Numb outer left foot","urgency":"soon","findings":"Reduced ankle reflex"}`)
			}
			fromAmira := func(body string) string { return created("practitioner", "/api/v1/referrals", body) }
			toSports := `{"patient_id":"1","to_discipline":"sports_therapist","reason":"Running again","urgency":"routine"}`
			r4 := toPhysio()
			if status, body := clients["practitioner"].PostJSON("/api/v1/referrals/"+r4+"/accept", ``); status != 200 {
				t.Fatalf("setup: accept %s = %d %s", r4, status, body)
			}
			created("patient", "/api/v1/appointments", `{"service_id":"1","practitioner_id":"1","start":"`+free(30)+`","referral_id":"`+r4+`"}`)
			note := func(booking string) string {
				return created("practitioner", "/api/v1/appointments/"+booking+"/notes", soapNote)
			}
			signed := func(n string) string {
				if status, body := clients["practitioner"].PostJSON("/api/v1/notes/"+n+"/sign", ``); status != 200 {
					t.Fatalf("setup: sign %s = %d %s", n, status, body)
				}
				return n
			}
			// The second patient, whom Amira treats too, with two results of
			// physiotherapy and massage.
			created("patient2", "/api/v1/appointments", `{"service_id":"1","practitioner_id":"1","start":"`+free(40)+`"}`)
			both, both2 := created("patient2", "/api/v1/assessments", bothAnswers), created("patient2", "/api/v1/assessments", bothAnswers)

			// A time within every horizon that nobody works (03:00): booking a
			// course from it lists the times not booked and answers 200.
			night := time.Now().UTC().AddDate(0, 0, 30).Truncate(24 * time.Hour).Add(3 * time.Hour)
			// Integrations: tokens and (disabled) webhook endpoints to act on.
			token := func() string {
				return created("admin", "/api/v1/tokens", `{"name":"Setup token `+time.Now().Format(time.RFC3339Nano)+`","role":"reception"}`)
			}
			endpoint := func() string {
				return created("admin", "/api/v1/webhooks", `{"url":"https://hooks.example/setup","events":["appointment.booked"],"enabled":false}`)
			}
			from, to := time.Now().UTC().Truncate(24*time.Hour).Add(24*time.Hour), time.Now().UTC().Truncate(24*time.Hour).Add(8*24*time.Hour)
			fill := strings.NewReplacer("{tok1}", token(), "{tok2}", token(), "{wh1}", endpoint(), "{wh2}", endpoint(), "{wh3}", endpoint(),
				"{slot}", slotID(slots[4*45]), "{from}", from.Format(time.RFC3339), "{to}", to.Format(time.RFC3339),
				"{fhirwindow}", "start="+url.QueryEscape(from.Format(time.RFC3339))+"&end="+url.QueryEscape(to.Format(time.RFC3339)),
				"{w1}", waitEntry(), "{w2}", waitEntry(), "{feed}", feedToken, "{m1}", message(), "{m2}", message(), "{own}", own.ID, "{anon}", anon.ID, "{b1}", b1, "{b2}", b2, "{b3}", b3, "{b4}", b4, "{b5}", b5, "{t1}", off, "{p1}", caller(), "{p2}", caller(), "{p3}", caller(), "{p5}", caller(), "{p6}", caller(), "{p7}", caller(), "{p8}", caller(), "{p9}", caller(), "{pm1}", merged(), "{pm2}", merged(), "{t2}", timeOff(), "{t3}", timeOff(),
				"{later}", free(20), "{later2}", free(26), "{window}", window(14),
				"{r1}", toPhysio(), "{r2}", toPhysio(), "{r3}", toPhysio(), "{r4}", r4, "{r5}", toPhysio(), "{r8}", toPhysio(), "{r9}", toPhysio(),
				"{r6}", fromAmira(toSports), "{r10}", fromAmira(toSports),
				"{r7}", fromAmira(`{"patient_id":"1","to_external":"gp","recipient_name":"Dr A Okoro, Redcliffe Surgery","recipient_address":"1 Church St\nBristol BS1 6AA","reason":"New weakness lifting the left foot","urgency":"urgent","red_flags":["leg_weakness"]}`),
				"{p4}", caller(), "{both}", both, "{both2}", both2,
				"{n1}", note(b1), "{n2}", note(book(31)), "{n3}", note(book(32)), "{n4}", signed(note(book(33))), "{n5}", note(book(34)),
				"{plan}", plan, "{ex}", ex, "{obs}", "1-a"+own.ID+"-pain", "{night}", night.Format(time.RFC3339), "{nightdate}", night.Format(time.DateOnly),
				"{n6}", benNote, "{n7}", note(book(35)), "{n8}", note(book(36)), "{n9}", signed(note(book(37))), "{b6}", book(38), "{b7}", book(39),
				"{b8}", book(44), "{startq}", url.QueryEscape(free(46)))

			doc := fetchAPIDoc(t, clients["anonymous"])
			garbageSent := map[string]bool{}
			checked := 0
			for _, c := range accessTable() {
				path := fill.Replace(c.path)
				for i, role := range accessRoles {
					own := 4 + i + len(accessRoles)*bookingRow(c)
					body := strings.NewReplacer("{role}", role, "{n}", strconv.Itoa(i+1), "{start}", free(own), "{proposed}", proposedID(slots[4*own])).Replace(fill.Replace(c.body))
					ctype := "application/json"
					if strings.HasPrefix(body, "form:") {
						body, ctype = strings.TrimPrefix(body, "form:"), "application/x-www-form-urlencoded"
					}
					status, resp, h := clients[role].Do(c.method, path, ctype, body)
					if status != c.want[i] {
						t.Errorf("%s %s as %s = %d, want %d\n%.300s", c.method, path, role, status, c.want[i], resp)
					}
					// A caller who may not do what a route does is refused
					// before their body is read, whatever they send: nobody
					// signed in, on every route that needs someone, and
					// whoever clinic refuses the route's operation (its
					// Precheck); a refusal after the body is read is about
					// the record named. (Signing in answers 401 for what is
					// sent.)
					op, hasOp := ops[c.pattern]
					anonRefused := role == "anonymous" && (status == 401 || status == 303 && h.Get("Location") == "/login?next="+url.QueryEscape(path)) && !strings.Contains(c.pattern, "/login")
					prechecked := hasOp && clinic.Access{}.Precheck(backdesk.NewContextWithActor(context.Background(), accessActors[role]), op) != nil
					if (anonRefused || prechecked) && status == c.want[i] && c.method != "GET" && body != "" && !garbageSent[c.pattern+" "+role] {
						garbageSent[c.pattern+" "+role] = true // a route's refusal of a role is the same on every row
						garbage, gtype := "{not json \x00", "text/plain"
						if ctype != "application/json" {
							garbage, gtype = "name=%zz&email=\xff", ctype
						}
						if gstatus, gresp, _ := clients[role].Do(c.method, path, gtype, garbage); gstatus != status {
							t.Errorf("%s %s as %s = %d with its body but %d with a garbage one: the body was read before the caller was checked\n%.300s",
								c.method, path, role, status, gstatus, gresp)
						}
					}
					if status == 403 && c.method != "GET" && body != "" && !hasOp {
						t.Errorf("%s %s refuses %s (403) after reading its body: name the route's operation (precheck, routes.go)", c.method, path, role)
					}
					if status == http.StatusInternalServerError {
						t.Errorf("%s %s as %s: internal error", c.method, path, role)
					}
					// Every successful answer of the JSON API is what its
					// OpenAPI description says.
					if strings.HasPrefix(c.pattern, c.method+" /api/") && status < 300 && status == c.want[i] {
						for _, p := range doc.check(c.pattern, status, resp) {
							t.Errorf("%s %s as %s: the answer differs from openapi.json: %s", c.method, path, role, p)
						}
						checked++
					}
					if c.relogin {
						signIn(role)
					}
				}
			}
			t.Logf("%d API answers checked against openapi.json", checked)
			if checked < 100 {
				t.Errorf("only %d API answers checked against openapi.json", checked)
			}
		})
	}
}

// clinicExercise is the body of a clinic's own exercise with id.
func clinicExercise(id string) string {
	return `{"id":"` + id + `","name":"Wall lean","category":"hip","purpose":"Strengthens the thighs.","steps":["Lean on a wall.","Slide down a little."],` +
		`"stop_if":["Pain in the knee."],"dosage":{"sets":1,"reps":10,"times_per_day":1}}`
}

// bookingRow gives each booking row its own block of free times.
func bookingRow(c accessCase) int {
	switch c.pattern {
	case "POST /book":
		return 1
	case "POST /fhir/Appointment/$book":
		return 6 // free(46) … free(52): times no other row or setup takes
	}
	return 0
}

// slotID is the FHIR id of a free time of practitioner 1's first service
// at the demo's location, and proposedID that of its proposed appointment.
func slotID(s slotJSON) string {
	return "p" + s.PractitionerID + "-s" + s.ServiceID + "-l" + s.LocationID + "-" + s.Start.UTC().Format("20060102T150405Z")
}

func proposedID(s slotJSON) string { return "proposed-" + slotID(s) }
