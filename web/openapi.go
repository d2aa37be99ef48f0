package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"backdesk"
)

// The OpenAPI 3.1 description of the JSON API, served at
// GET /api/v1/openapi.json. Each route has one entry in apiOps; the schemas
// are derived from the very Go types the handlers decode and encode, so
// they cannot drift from them. A test checks that every /api route has an
// entry, and the access test checks every JSON answer against it.

// apiOp describes one operation.
type apiOp struct {
	summary string
	who     string     // who may call it
	query   []apiParam // query parameters
	header  []apiParam // request headers
	body    any        // the request body (a zero value); nil for none
	status  int        // the success status
	result  any        // the response body (a zero value); nil for none; calendarFile for text/calendar
}

type apiParam struct{ name, typ, desc string }

// calendarFile marks a text/calendar response.
type calendarFile struct{}

// pdfFile marks an application/pdf response.
type pdfFile struct{}

// Response shapes that are not a single domain type.
type (
	sessionAnswer struct {
		User      backdesk.User `json:"user"`
		ExpiresAt time.Time     `json:"expires_at"`
	}
	statusAnswer struct {
		Status string `json:"status"`
	}
	createdAnswer struct {
		ID        string    `json:"id"`
		CreatedAt time.Time `json:"created_at"`
	}
	feedAnswer struct {
		URL string `json:"url"`
	}
)

var (
	pageParams = []apiParam{{"limit", "integer", "at most this many"}, {"offset", "integer", "skip this many"}}
	timeWindow = []apiParam{{"from", "date-time", "RFC 3339"}, {"to", "date-time", "RFC 3339, exclusive"}}
)

func withParams(lists ...[]apiParam) []apiParam {
	var out []apiParam
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// apiOps is every operation of the JSON API, by route pattern.
var apiOps = map[string]apiOp{
	"GET /api/v1/openapi.json": {summary: "This description of the API", who: "anyone", status: 200, result: map[string]any{}},

	"GET /api/v1/locations": {summary: "The clinic's locations", who: "anyone", status: 200, result: struct {
		Locations []backdesk.Location `json:"locations"`
	}{}},
	"POST /api/v1/locations":       {summary: "Create a location", who: "admin", body: backdesk.Location{}, status: 201, result: backdesk.Location{}},
	"GET /api/v1/locations/{id}":   {summary: "One location", who: "anyone", status: 200, result: backdesk.Location{}},
	"PATCH /api/v1/locations/{id}": {summary: "Change a location's set fields", who: "admin", body: backdesk.LocationUpdate{}, status: 200, result: backdesk.Location{}},
	"GET /api/v1/practitioners": {summary: "Practitioners, active ones unless all=true", who: "anyone", query: []apiParam{{"discipline", "string", "physiotherapist, sports_therapist or massage_therapist"}, {"service", "string", "a service id"}, {"location", "string", "a location id"}, {"all", "boolean", "include inactive"}}, status: 200, result: struct {
		Practitioners []backdesk.Practitioner `json:"practitioners"`
	}{}},
	"POST /api/v1/practitioners":       {summary: "Create a practitioner", who: "admin", body: backdesk.Practitioner{}, status: 201, result: backdesk.Practitioner{}},
	"GET /api/v1/practitioners/{id}":   {summary: "One practitioner", who: "anyone", status: 200, result: backdesk.Practitioner{}},
	"PATCH /api/v1/practitioners/{id}": {summary: "Change a practitioner's set fields", who: "admin", body: backdesk.PractitionerUpdate{}, status: 200, result: backdesk.Practitioner{}},
	"GET /api/v1/services": {summary: "Services, active ones unless all=true", who: "anyone", query: []apiParam{{"discipline", "string", "only this discipline's"}, {"all", "boolean", "include inactive"}}, status: 200, result: struct {
		Services []backdesk.Offering `json:"services"`
	}{}},
	"POST /api/v1/services":       {summary: "Create a service", who: "admin", body: backdesk.Offering{}, status: 201, result: backdesk.Offering{}},
	"GET /api/v1/services/{id}":   {summary: "One service", who: "anyone", status: 200, result: backdesk.Offering{}},
	"PATCH /api/v1/services/{id}": {summary: "Change a service's set fields", who: "admin", body: backdesk.OfferingUpdate{}, status: 200, result: backdesk.Offering{}},

	"GET /api/v1/questionnaire":    {summary: "The self-assessment's questions, with ids, wording and allowed values", who: "anyone", status: 200, result: backdesk.Questionnaire{}},
	"POST /api/v1/assessments":     {summary: "Assess answers: where to go first, with every reason", who: "anyone; kept on the patient's record when signed in", body: assessmentRequest{}, status: 201, result: assessmentResponse{}},
	"GET /api/v1/assessments/{id}": {summary: "One assessment", who: "its patient, clinic staff, or whoever holds the id of an anonymous one", status: 200, result: assessmentResponse{}},
	"GET /api/v1/rules":            {summary: "The rulebook the assessment applies", who: "anyone", status: 200, result: backdesk.Rulebook{}},

	"GET /api/v1/availability": {summary: "Free times of a service (a window of at most 31 days)", who: "anyone", query: withParams([]apiParam{{"service", "string", "a service id (required)"}, {"practitioner", "string", "only this practitioner"}}, timeWindow), status: 200, result: []backdesk.Slot{}},
	"POST /api/v1/appointments": {summary: "Book a time; 409 conflict when it has just gone, or when a patient already holds as many future appointments as the clinic allows online (4 unless it says otherwise)",
		who: "a patient whose email address is confirmed, for themselves; reception and admin for a patient_id", header: []apiParam{{"Idempotency-Key", "string", "a retry with the same key returns the first answer; the same key with another request is 422"}}, body: backdesk.BookingRequest{}, status: 201, result: backdesk.Booking{}},
	"GET /api/v1/appointments": {summary: "Appointments: a patient's own, a practitioner's diary, or the clinic's", who: "signed in", query: withParams(timeWindow, []apiParam{{"patient", "string", "a patient id"}, {"practitioner", "string", "a practitioner id"}, {"status", "string", "booked or cancelled"}}), status: 200, result: struct {
		Appointments []backdesk.Booking `json:"appointments"`
		Total        int                `json:"total"`
	}{}},
	"GET /api/v1/appointments/{id}":         {summary: "One appointment", who: "its patient, its practitioner, reception and admin", status: 200, result: backdesk.Booking{}},
	"POST /api/v1/appointments/{id}/cancel": {summary: "Cancel; inside the location's window it counts as late", who: "its patient, its practitioner, reception and admin", body: cancelRequest{}, status: 200, result: backdesk.Booking{}},
	"POST /api/v1/appointments/{id}/attendance": {summary: "Whether the patient came: arrived (from 2 hours before), no_show or completed (once started), with who and when; 409 for a cancelled appointment or a change out of order",
		who: "its practitioner, reception and admin", body: attendanceRequest{}, status: 200, result: backdesk.Booking{}},
	"POST /api/v1/appointments/{id}/reschedule":       {summary: "Move to another free time, atomically", who: "its patient, its practitioner, reception and admin", body: rescheduleRequest{}, status: 200, result: backdesk.Booking{}},
	"GET /api/v1/appointments/{id}/ics":               {summary: "The appointment as an iCalendar file, with its VTIMEZONE", who: "as the appointment", status: 200, result: calendarFile{}},
	"POST /api/v1/practitioners/{id}/calendar-feed":   {summary: "Make (or renew) a private calendar feed address", who: "the practitioner themselves, admin", status: 201, result: feedAnswer{}},
	"DELETE /api/v1/practitioners/{id}/calendar-feed": {summary: "Switch the calendar feed off", who: "the practitioner themselves, admin", status: 204},
	"POST /api/v1/practitioners/{id}/time-off":        {summary: "Record time off; nothing inside it is offered", who: "the practitioner themselves, reception, admin", body: backdesk.TimeOff{}, status: 201, result: backdesk.TimeOff{}},
	"GET /api/v1/practitioners/{id}/time-off": {summary: "Time off, from now on unless from/to say otherwise", who: "the practitioner themselves, reception, admin", query: timeWindow, status: 200, result: struct {
		TimeOff []backdesk.TimeOff `json:"time_off"`
	}{}},
	"DELETE /api/v1/time-off/{id}": {summary: "Remove time off", who: "the practitioner themselves, reception, admin", status: 204},

	"POST /api/v1/waitlist": {summary: "Ask to be offered a freed time; 409 for the same request already waiting, or past the requests a patient may have waiting (3 unless the clinic says otherwise)", who: "a patient whose email address is confirmed, for themselves; reception and admin for a patient_id", body: waitlistRequest{}, status: 201, result: backdesk.WaitlistEntry{}},
	"GET /api/v1/waitlist": {summary: "Waitlist requests and the times offered", who: "a patient their own; reception and admin all", status: 200, result: struct {
		Entries []backdesk.WaitlistEntry `json:"entries"`
		Offers  []backdesk.WaitlistOffer `json:"offers"`
	}{}},
	"DELETE /api/v1/waitlist/{id}":              {summary: "Leave the waitlist", who: "the patient, reception, admin", status: 204},
	"POST /api/v1/waitlist/offers/{id}/accept":  {summary: "Take an offered time; 409 if someone was quicker, or if it is accepted already", who: "the patient offered it", status: 201, result: backdesk.Booking{}},
	"POST /api/v1/waitlist/offers/{id}/decline": {summary: "Decline an offered time", who: "the patient offered it", status: 204},

	"POST /api/v1/referrals": {summary: "Refer a patient you treat: inside the clinic (to_discipline, optionally to_practitioner_id) or to a doctor outside it (to_external: gp, sports_doctor, other, with recipient_name)", who: "a practitioner who treats the patient", body: referralRequest{}, status: 201, result: backdesk.Referral{}},
	"GET /api/v1/referrals": {summary: "Referrals: a patient's own; a practitioner's inbox (to their discipline) and sent; every discipline's inbox for the desk. Urgent first, oldest first", who: "signed in", query: withParams([]apiParam{{"status", "string", "open, all, or one of requested, accepted, booked, completed, declined, withdrawn"}, {"discipline", "string", "physiotherapist, sports_therapist or massage_therapist"}, {"box", "string", "inbox or sent (a practitioner's)"}, {"patient", "string", "a patient id"}, {"external", "boolean", "only referrals to doctors outside the clinic"}}, pageParams), status: 200, result: struct {
		Referrals []backdesk.Referral `json:"referrals"`
		Total     int                 `json:"total"`
	}{}},
	"GET /api/v1/referrals/{id}":              {summary: "One referral with its history and what the caller may do with it (actions)", who: "its patient, the referrer, the receiving discipline's practitioners, reception, admin", status: 200, result: backdesk.Referral{}},
	"POST /api/v1/referrals/{id}/accept":      {summary: "Accept; inside the clinic the patient is emailed a link to book; 409 from any other status than requested", who: "the receiving side (the named practitioner, or one of the discipline); outside the clinic the referrer or reception records the doctor's answer", body: reasonRequest{}, status: 200, result: backdesk.Referral{}},
	"POST /api/v1/referrals/{id}/decline":     {summary: "Decline, with a reason", who: "as accept", body: reasonRequest{}, status: 200, result: backdesk.Referral{}},
	"POST /api/v1/referrals/{id}/complete":    {summary: "Mark done: inside the clinic once its appointment has started (signing that visit's note does it too); outside, once accepted", who: "as accept", body: reasonRequest{}, status: 200, result: backdesk.Referral{}},
	"POST /api/v1/referrals/{id}/withdraw":    {summary: "Withdraw, before it is booked", who: "the practitioner who made it", body: reasonRequest{}, status: 200, result: backdesk.Referral{}},
	"GET /api/v1/referrals/{id}/letter.pdf":   {summary: "The letter to the doctor of a referral outside the clinic, as a PDF", who: "as the referral", status: 200, result: pdfFile{}},
	"POST /api/v1/assessments/{id}/referrals": {summary: "Refer in one step from a self-assessment that recommends both physiotherapy and massage, with the result attached", who: "a practitioner who treats the patient", body: assessmentReferralRequest{}, status: 201, result: backdesk.Referral{}},
	"POST /api/v1/appointments/{id}/notes":    {summary: "Start the appointment's SOAP note, as a draft", who: "the appointment's practitioner", body: backdesk.NoteText{}, status: 201, result: backdesk.ClinicalNote{}},
	"GET /api/v1/appointments/{id}/notes": {summary: "Every version of the appointment's note, oldest first; without the text for reception", who: "practitioners who treat the patient, admin; reception sees that notes exist", status: 200, result: struct {
		Notes []backdesk.ClinicalNote `json:"notes"`
	}{}},
	"GET /api/v1/notes/{id}":        {summary: "One version of a note; without the text for reception", who: "practitioners who treat the patient, admin; reception sees that it exists", status: 200, result: backdesk.ClinicalNote{}},
	"PATCH /api/v1/notes/{id}":      {summary: "Change a draft: the sections named, the others kept; 409 once signed", who: "the note's author", body: backdesk.NoteText{}, status: 200, result: backdesk.ClinicalNote{}},
	"POST /api/v1/notes/{id}/sign":  {summary: "Sign a draft: it is final from then on", who: "the note's author", status: 200, result: backdesk.ClinicalNote{}},
	"POST /api/v1/notes/{id}/amend": {summary: "Amend the latest signed version: a new version, signed, with the reason (a section left out is the amended version's); 409 for a draft", who: "the note's author", body: amendRequest{}, status: 201, result: backdesk.ClinicalNote{}},
	"GET /api/v1/day":               {summary: "A practitioner's day: each appointment with the patient's latest self-assessment, open referrals and the previous visit's note", who: "a practitioner (their own); reception and admin (anyone's, with practitioner)", query: []apiParam{{"date", "string", "YYYY-MM-DD in the clinic's time zone; today when absent"}, {"practitioner", "string", "a practitioner id"}}, status: 200, result: backdesk.PractitionerDay{}},

	"POST /api/v1/messages": {summary: "Send the clinic a message", who: "anyone", body: messageRequest{}, status: 201, result: createdAnswer{}},
	"GET /api/v1/messages": {summary: "The reception inbox", who: "reception, admin", query: []apiParam{{"unanswered", "boolean", "only those waiting for an answer"}}, status: 200, result: struct {
		Messages []backdesk.ContactMessage `json:"messages"`
		Total    int                       `json:"total"`
	}{}},
	"POST /api/v1/messages/{id}/answer": {summary: "Answer a message (emailed through the outbox)", who: "reception, admin", body: answerRequest{}, status: 200, result: backdesk.ContactMessage{}},

	"POST /api/v1/auth/register": {summary: "Make a patient account and email its address a link to confirm it; the same answer whether or not the address already has an account (its owner is emailed instead); no session; 429 with Retry-After past the limit per client address",
		who: "anyone", body: registerRequest{}, status: 202, result: statusAnswer{}},
	"POST /api/v1/auth/verify-email":           {summary: "Confirm an account's email address with the token of its emailed link", who: "whoever holds the token", body: verifyRequest{}, status: 204},
	"POST /api/v1/auth/verify-email/resend":    {summary: "Email the signed-in account a new link to confirm its address; 409 when it is confirmed already", who: "signed in", status: 202, result: statusAnswer{}},
	"POST /api/v1/auth/login":                  {summary: "Sign in (sets a new session cookie); 429 with Retry-After past the limits", who: "anyone", body: loginRequest{}, status: 200, result: sessionAnswer{}},
	"POST /api/v1/auth/logout":                 {summary: "Sign out", who: "anyone", status: 204},
	"POST /api/v1/auth/password-reset":         {summary: "Email a reset link; the same answer whether or not the address has an account", who: "anyone", body: resetRequest{}, status: 202, result: statusAnswer{}},
	"POST /api/v1/auth/password-reset/confirm": {summary: "Set a new password with an emailed token", who: "whoever holds the token", body: resetConfirm{}, status: 204},
	"GET /api/v1/me":                           {summary: "The signed-in account", who: "signed in", status: 200, result: backdesk.User{}},
	"GET /api/v1/me/export":                    {summary: "Everything held about me, as one file", who: "signed in", status: 200, result: backdesk.PersonalData{}},
	"DELETE /api/v1/me":                        {summary: "Erase my account and personal details (password required; a wrong one counts as a failed sign-in); future appointments are cancelled", who: "a signed-in patient", body: eraseRequest{}, status: 204},

	"GET /api/v1/patients": {summary: "Find patients by part of the name, email or phone", who: "reception, admin", query: withParams([]apiParam{{"q", "string", "part of a name, email or phone number"}}, pageParams), status: 200, result: struct {
		Patients []backdesk.Patient `json:"patients"`
		Total    int                `json:"total"`
	}{}},
	"POST /api/v1/patients":        {summary: "Record a patient without an account", who: "reception, admin", body: patientRequest{}, status: 201, result: backdesk.Patient{}},
	"GET /api/v1/patients/{id}":    {summary: "One patient's record", who: "the patient, reception, admin, a practitioner who treats them", status: 200, result: backdesk.Patient{}},
	"PATCH /api/v1/patients/{id}":  {summary: "Change a patient's details (each change audited, its old value kept)", who: "the patient their own, reception, admin", body: backdesk.PatientUpdate{}, status: 200, result: backdesk.Patient{}},
	"DELETE /api/v1/patients/{id}": {summary: "Erase a patient's personal details at their request", who: "admin", status: 204},
	"POST /api/v1/patients/{id}/merge": {summary: "Merge a duplicate record into this one: its appointments and records move here, it is kept marked merged; 409 when either is erased or merged, the duplicate has an account, or both have a plan",
		who: "reception, admin", body: mergeRequest{}, status: 201, result: backdesk.PatientMerge{}},
	"POST /api/v1/patient-merges/{id}/undo": {summary: "Undo a merge: what it moved goes back; 409 if already undone", who: "reception, admin", status: 200, result: backdesk.PatientMerge{}},

	"GET /api/v1/audit": {summary: "The audit log, newest first, with the names of the accounts and patients it mentions; a date is a day in the clinic's time zone", who: "admin",
		query: withParams([]apiParam{{"patient", "string", "a patient id"}, {"actor", "string", "a user id"}, {"person", "string", "part of the actor's or the patient's name or email"},
			{"action", "string", "e.g. booking.create"}}, timeWindow, pageParams), status: 200, result: auditAnswer{}},
	"GET /api/v1/outbox": {summary: "Emails and their delivery state, newest first", who: "reception, admin", status: 200, result: struct {
		Messages []backdesk.OutboxMessage `json:"messages"`
		Total    int                      `json:"total"`
	}{}},

	"GET /api/v1/exercises":                {summary: "The home-exercise library: the shipped exercises (versioned as a whole) and the clinic's own", who: "anyone", status: 200, result: backdesk.ExerciseLibrary{}},
	"POST /api/v1/exercises":               {summary: "Add a clinic exercise (version 1); checked as the library's are", who: "practitioners, admin", body: backdesk.Exercise{}, status: 201, result: backdesk.Exercise{}},
	"GET /api/v1/exercises/{id}":           {summary: "One exercise; a clinic one at its current version", who: "anyone", status: 200, result: backdesk.Exercise{}},
	"PUT /api/v1/exercises/{id}":           {summary: "Change a clinic exercise: its next version (plans keep the version they were written with); the shipped library is frozen (409)", who: "practitioners, admin", body: backdesk.Exercise{}, status: 200, result: backdesk.Exercise{}},
	"POST /api/v1/care-plans":              {summary: "Write a patient's treatment plan (version 1); 409 if they have one; dosages checked (0 or 10,000 repetitions: 400)", who: "a practitioner who treats the patient", body: backdesk.CarePlanDraft{}, status: 201, result: backdesk.CarePlan{}},
	"GET /api/v1/care-plans/{id}":          {summary: "A plan with its current version, the exercises read with it", who: "its patient, practitioners who treat them, reception, admin", status: 200, result: backdesk.CarePlan{}},
	"PUT /api/v1/care-plans/{id}":          {summary: "Change a plan: the next version; 409 when base_version is no longer current", who: "a practitioner who treats the patient", body: backdesk.CarePlanDraft{}, status: 200, result: backdesk.CarePlan{}},
	"GET /api/v1/care-plans/{id}/versions": {summary: "Every version of a plan, oldest first", who: "as the plan", status: 200, result: planVersions{}},
	"GET /api/v1/care-plans/{id}/changes": {summary: "What changed between two versions (default: the current one and the one before)", who: "as the plan",
		query: []apiParam{{"from", "integer", "a version"}, {"to", "integer", "a later version"}}, status: 200, result: backdesk.PlanDiff{}},
	"POST /api/v1/care-plans/{id}/adherence": {summary: "An exercise done, against the version shown; 409 for an old version or when done as often today as planned; 404 for another patient's plan", who: "the plan's patient", body: backdesk.ExerciseLogRequest{}, status: 201, result: backdesk.ExerciseLog{}},
	"GET /api/v1/care-plans/{id}/adherence": {summary: "Sessions done against planned, per week (Monday to Sunday in the clinic's zone) and per exercise", who: "as the plan",
		query: []apiParam{{"weeks", "integer", "how many weeks back, 1–52 (8)"}}, status: 200, result: backdesk.Adherence{}},
	"POST /api/v1/care-plans/{id}/bookings":   {summary: "Book a planned course in one go, each through the ordinary booking path; says which times could not be booked", who: "the plan's patient, reception, admin", body: backdesk.PlanBookingRequest{}, status: 200, result: backdesk.PlanBookingResult{}},
	"GET /api/v1/care-plans/{id}/handout.pdf": {summary: "The home programme as a printable PDF", who: "as the plan", status: 200, result: pdfFile{}},
	"GET /api/v1/patients/{id}/care-plan":     {summary: "A patient's plan", who: "the patient, practitioners who treat them, reception, admin", status: 200, result: backdesk.CarePlan{}},
	"GET /api/v1/patients/{id}/adherence":     {summary: "A patient's adherence at a glance: this week so far and last week", who: "the patient, practitioners who treat them, reception, admin", status: 200, result: backdesk.AdherenceSummary{}},
	"POST /api/v1/patients/{id}/outcomes":     {summary: "Record scores (pain_now 0–10, odi, startback as in the assessment's answers, psfs); a score out of range is 400 and nothing is stored", who: "the patient (follow_up), a practitioner who treats them (clinic)", body: backdesk.OutcomeReport{}, status: 201, result: outcomesAnswer{}},
	"GET /api/v1/patients/{id}/outcomes":      {summary: "Scores over time, self-assessments' included, and each measure's series with its goal and important changes", who: "the patient, practitioners who treat them, reception, admin", status: 200, result: backdesk.OutcomeHistory{}},
	"GET /api/v1/patients/{id}/reminders":     {summary: "The patient's choice of emails: the daily reminder and the questionnaire before follow-ups", who: "the patient", status: 200, result: backdesk.ReminderSettings{}},
	"PUT /api/v1/patients/{id}/reminders":     {summary: "Choose the emails; switching one off drops those waiting", who: "the patient", body: reminderRequest{}, status: 200, result: backdesk.ReminderSettings{}},

	"POST /api/v1/tokens": {summary: "Make an API token for an integration (role read_only, reception or admin); the secret, token, is in this answer only: only its SHA-256 is kept", who: "admin", body: tokenRequest{}, status: 201, result: backdesk.NewAPIToken{}},
	"GET /api/v1/tokens": {summary: "Every API token, revoked ones too, newest first, with its last use (never its secret)", who: "admin", status: 200, result: struct {
		Tokens []backdesk.APIToken `json:"tokens"`
	}{}},
	"DELETE /api/v1/tokens/{id}": {summary: "Revoke a token: every request that carries it is refused from then on, in every process", who: "admin", status: 204},
	"POST /api/v1/webhooks":      {summary: "Add a Standard Webhooks endpoint (an http or https URL, the events it receives); its signing secret, whsec_…, is in this answer only", who: "admin", body: webhookRequest{}, status: 201, result: backdesk.NewWebhookEndpoint{}},
	"GET /api/v1/webhooks": {summary: "Every webhook endpoint", who: "admin", status: 200, result: struct {
		Webhooks []backdesk.WebhookEndpoint `json:"webhooks"`
	}{}},
	"GET /api/v1/webhooks/{id}":    {summary: "One webhook endpoint", who: "admin", status: 200, result: backdesk.WebhookEndpoint{}},
	"PATCH /api/v1/webhooks/{id}":  {summary: "Change an endpoint's set fields: url, description, events, enabled (enabling clears a 410 Gone)", who: "admin", body: backdesk.WebhookEndpointUpdate{}, status: 200, result: backdesk.WebhookEndpoint{}},
	"DELETE /api/v1/webhooks/{id}": {summary: "Remove an endpoint and its deliveries", who: "admin", status: 204},
	"GET /api/v1/webhooks/{id}/deliveries": {summary: "An endpoint's deliveries, newest first, each with its status and every attempt", who: "admin", query: pageParams, status: 200, result: struct {
		Deliveries []backdesk.WebhookDelivery `json:"deliveries"`
		Total      int                        `json:"total"`
	}{}},
	"POST /api/v1/webhooks/deliveries/{id}/resend": {summary: "Send a delivery again as soon as a worker can, with the same webhook-id", who: "admin", status: 200, result: backdesk.WebhookDelivery{}},
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// openAPIDocument builds the document for the registered API routes.
func openAPIDocument(routes []string) map[string]any {
	g := &schemaGen{components: map[string]any{}}
	paths := map[string]map[string]any{}
	for _, route := range routes {
		op, ok := apiOps[route]
		method, path, _ := strings.Cut(route, " ")
		if !ok || !strings.HasPrefix(path, "/api/") {
			continue
		}
		o := map[string]any{"summary": op.summary, "description": "Who: " + op.who + ".",
			"operationId": operationID(method, path)}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		for _, p := range op.query {
			params = append(params, map[string]any{"name": p.name, "in": "query", "description": p.desc, "schema": paramSchema(p.typ)})
		}
		for _, p := range op.header {
			params = append(params, map[string]any{"name": p.name, "in": "header", "description": p.desc, "schema": paramSchema(p.typ)})
		}
		if params != nil {
			o["parameters"] = params
		}
		if op.body != nil {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": g.of(reflect.TypeOf(op.body))}}}
		}
		ok2 := map[string]any{"description": http.StatusText(op.status)}
		switch op.result.(type) {
		case nil:
		case calendarFile:
			ok2["content"] = map[string]any{"text/calendar": map[string]any{"schema": map[string]any{"type": "string"}}}
		case pdfFile:
			ok2["content"] = map[string]any{"application/pdf": map[string]any{"schema": map[string]any{"type": "string", "contentMediaType": "application/pdf"}}}
		default:
			ok2["content"] = map[string]any{"application/json": map[string]any{"schema": g.of(reflect.TypeOf(op.result))}}
		}
		o["responses"] = map[string]any{strconv.Itoa(op.status): ok2, "default": map[string]any{"$ref": "#/components/responses/Error"}}
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(method)] = o
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "backdesk", "version": "1",
			"description": "The JSON API of backdesk, for clinics that treat lower back pain. Times are RFC 3339 with an offset; ids are strings. " +
				"Sign in with POST /api/v1/auth/login; the session cookie authenticates later calls. An integration sends its API token as Authorization: Bearer instead. " +
				"Every error has the shape of the Error schema, with the matching status. The FHIR R4 facade under /fhir describes itself at /fhir/metadata."},
		"paths": paths,
		"components": map[string]any{
			"schemas": g.components,
			"responses": map[string]any{"Error": map[string]any{"description": "An error: invalid 400 (415 for a body not sent as application/json, 422 for an Idempotency-Key reused with another request), unauthorized 401, forbidden 403, not_found 404, conflict 409, rate_limited 429 (with Retry-After), internal 500, unavailable 503 (with Retry-After)",
				"content": map[string]any{"application/json": map[string]any{"schema": g.of(reflect.TypeOf(errorBody{}))}}}},
			"securitySchemes": map[string]any{"session": map[string]any{"type": "apiKey", "in": "cookie", "name": SessionCookie},
				"token": map[string]any{"type": "http", "scheme": "bearer", "description": "An integration's API token (bdk_…), made by an admin at /admin/tokens or POST /api/v1/tokens; " +
					"it acts with its role (read_only, reception or admin). A request with a token and no cookie is not subject to the cross-origin check."}},
		},
		"security": []any{map[string]any{}, map[string]any{"session": []any{}}, map[string]any{"token": []any{}}},
	}
}

// errorBody is the shape of every error answer.
type errorBody struct {
	Error struct {
		Code    backdesk.Code `json:"code"`
		Message string        `json:"message"`
		Field   string        `json:"field,omitempty"`
		// Fields names every field at fault, with its problem, when there
		// are several (a form's answers).
		Fields map[string]string `json:"fields,omitempty"`
	} `json:"error"`
}

func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, part := range strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/") {
		part = strings.Trim(part, "{}")
		for _, w := range strings.FieldsFunc(part, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

func paramSchema(typ string) map[string]any {
	if typ == "date-time" {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	return map[string]any{"type": typ}
}

// schemaGen turns Go types into JSON Schema as encoding/json writes them.
// Named struct types of the domain become components, referenced by name.
type schemaGen struct{ components map[string]any }

var (
	timeType      = reflect.TypeOf(time.Time{})
	rawType       = reflect.TypeOf(json.RawMessage{})
	marshalerType = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
)

// special are the domain types with their own JSON form.
var special = map[reflect.Type]map[string]any{
	reflect.TypeOf(backdesk.Date{}):       {"type": "string", "format": "date"},
	reflect.TypeOf(backdesk.ClockTime(0)): {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$", "description": "a wall-clock time, HH:MM"},
	reflect.TypeOf(backdesk.Weekday(0)):   {"type": "string", "enum": []any{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}},
}

func (g *schemaGen) of(t reflect.Type) map[string]any {
	if s, ok := special[t]; ok {
		return s
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == rawType:
		return map[string]any{"description": "any JSON value"}
	case t.Implements(marshalerType) && t.Kind() != reflect.Struct:
		return map[string]any{"description": "see " + t.String()}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.of(t.Elem())
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "contentEncoding": "base64"}
		}
		return map[string]any{"type": "array", "items": g.of(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.of(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		if t.Implements(marshalerType) {
			return map[string]any{"description": "see " + t.String()}
		}
		name := t.Name()
		if t.PkgPath() != "backdesk" || name == "" {
			return g.object(t)
		}
		ref := map[string]any{"$ref": "#/components/schemas/" + name}
		if _, done := g.components[name]; !done {
			g.components[name] = map[string]any{} // placeholder against recursion
			g.components[name] = g.object(t)
		}
		return ref
	}
	return map[string]any{}
}

// object is a struct's schema: its JSON fields, embedded ones flattened.
func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	g.fields(t, props)
	return map[string]any{"type": "object", "properties": props}
}

func (g *schemaGen) fields(t reflect.Type, props map[string]any) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				g.fields(ft, props)
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		s := g.of(f.Type)
		if hasOpt(opts, "string") {
			s = map[string]any{"type": "string", "pattern": "^-?[0-9]+$"}
		}
		props[name] = s
	}
}

func hasOpt(opts, want string) bool {
	for _, o := range strings.Split(opts, ",") {
		if o == want {
			return true
		}
	}
	return false
}

// apiOpenAPI serves the document.
func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	s.openapiOnce.Do(func() {
		s.openapi, s.openapiErr = json.MarshalIndent(openAPIDocument(s.Routes()), "", " ")
	})
	if s.openapiErr != nil {
		return s.openapiErr
	}
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(s.openapi)
	return err
}

// documentedRoutes lists the operations apiOps describes, sorted.
func documentedRoutes() []string {
	out := make([]string, 0, len(apiOps))
	for r := range apiOps {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}
