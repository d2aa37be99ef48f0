package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"backdesk/storetest"
)

// The patient's path in a real browser on a 375-pixel phone, against the
// real server: every page of each journey is screenshotted at 375 and 1280
// pixels (into screenshotDir), checked with axe-core for violations of
// serious or critical impact (no rule disabled), and measured at 320 pixels,
// where nothing may be wider than the screen.

// axeVersion is the axe-core release the tests run; .ci/run installs it
// from the npm registry into .axe/ (npm install --prefix .axe axe-core@…).
const axeVersion = "4.14.1"

// screenshotDir is where the journeys' screenshots go (git-ignored), unless
// BACKDESK_SCREENSHOTS names another folder.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("BACKDESK_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "screenshots", "patient-path")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// axeSource reads axe.min.js: BACKDESK_AXE, or where .ci/run installs it.
// Without it the journeys skip, unless BACKDESK_REQUIRE_BROWSER is set.
func axeSource(t *testing.T) string {
	path := os.Getenv("BACKDESK_AXE")
	if path == "" {
		path = filepath.Join("..", "..", ".axe", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("BACKDESK_REQUIRE_BROWSER") != "" {
			t.Fatalf("axe-core not found at %s (npm install --prefix .axe axe-core@%s): %v", path, axeVersion, err)
		}
		t.Skipf("axe-core not installed: npm install --prefix .axe axe-core@%s", axeVersion)
	}
	var pkg struct{ Version string }
	if raw, err := os.ReadFile(filepath.Join(filepath.Dir(path), "package.json")); err == nil && json.Unmarshal(raw, &pkg) == nil && pkg.Version != axeVersion {
		t.Fatalf("axe-core %s installed, the tests pin %s", pkg.Version, axeVersion)
	}
	return string(b)
}

// journey walks one person's path, checking every page it lands on.
type journey struct {
	t     *testing.T
	ctx   context.Context
	app   *App
	axe   string
	dir   string
	name  string
	n     int
	texts []string // every page's visible text, for checks over the path
}

func newJourney(t *testing.T, app *App, name string) *journey {
	j := &journey{t: t, ctx: browser(t), app: app, axe: axeSource(t), dir: screenshotDir(t), name: name}
	j.do(chromedp.EmulateViewport(375, 812))
	return j
}

func (j *journey) do(steps ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	if err := chromedp.Do(j.ctx, steps...); err != nil {
		j.t.Fatalf("%s: %v", j.name, err)
	}
}

// open navigates to path and checks the page; it returns the status.
func (j *journey) open(path, step string) int {
	j.t.Helper()
	resp, err := chromedp.RunResponse(j.ctx, chromedp.Navigate(j.app.URL+path))
	if err != nil {
		j.t.Fatalf("%s: open %s: %v", j.name, path, err)
	}
	j.check(step)
	return int(resp.Status)
}

// click clicks sel, waits for the page it leads to, and checks that page;
// it returns the status.
func (j *journey) click(sel, step string) int {
	j.t.Helper()
	resp, err := chromedp.RunResponse(j.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		j.t.Fatalf("%s: click %s: %v", j.name, sel, err)
	}
	j.check(step)
	return int(resp.Status)
}

func (j *journey) text(sel string) string {
	j.t.Helper()
	s, err := chromedp.Run(j.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		j.t.Fatalf("%s: text of %s: %v", j.name, sel, err)
	}
	return s
}

func (j *journey) count(sel string) int {
	j.t.Helper()
	n, err := chromedp.Run(j.ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
	if err != nil {
		j.t.Fatalf("%s: count %s: %v", j.name, sel, err)
	}
	return n
}

func (j *journey) location() string {
	loc, err := chromedp.Run(j.ctx, chromedp.Location())
	if err != nil {
		j.t.Fatal(err)
	}
	return strings.TrimPrefix(loc, j.app.URL)
}

// axeViolation is one failed axe rule, as the check reports it.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []string
}

// overflowScript lists what sticks out past the right edge of the page.
const overflowScript = `(() => { const w = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll('body *')) { const r = el.getBoundingClientRect();
    if (r.right > w + 0.5 && r.width > 0) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' ' + Math.round(r.right)); }
  return out.slice(0, 8); })()`

// check checks the page the browser is on: screenshots at 375 and 1280,
// axe-core at 375, and its width at 320 pixels.
func (j *journey) check(step string) {
	j.t.Helper()
	j.n++
	base := fmt.Sprintf("%s-%02d-%s", j.name, j.n, step)
	shot := func(suffix string) {
		png, err := chromedp.Run(j.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			j.t.Fatalf("%s: screenshot: %v", base, err)
		}
		if err := os.WriteFile(filepath.Join(j.dir, base+"-"+suffix+".png"), png, 0o644); err != nil {
			j.t.Fatal(err)
		}
	}
	shot("375")
	if _, err := chromedp.Run(j.ctx, chromedp.Evaluate[chromedp.Void](j.axe+"\n;undefined")); err != nil {
		j.t.Fatalf("%s: load axe-core: %v", base, err)
	}
	violations, err := chromedp.Run(j.ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {resultTypes: ['violations']}).then(r =>
		r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({ID: v.id, Impact: v.impact, Help: v.help,
			Nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\s+/g, ' '))})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		j.t.Fatalf("%s: axe.run: %v", base, err)
	}
	for _, v := range violations {
		j.t.Errorf("%s (%s): axe %s (%s): %s\n\t%s", base, j.location(), v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
	j.do(chromedp.EmulateViewport(320, 640))
	width, err := chromedp.Run(j.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		j.t.Fatal(err)
	}
	if width > 320 {
		wide, _ := chromedp.Run(j.ctx, chromedp.Evaluate[[]string](overflowScript))
		j.t.Errorf("%s (%s) is %d px wide at a 320-pixel viewport: %v", base, j.location(), width, wide)
	}
	j.do(chromedp.EmulateViewport(1280, 900))
	shot("1280")
	j.do(chromedp.EmulateViewport(375, 812))
	text, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		j.t.Fatal(err)
	}
	j.texts = append(j.texts, text)
}

// fill types into the fields named by id.
func (j *journey) fill(fields ...string) {
	j.t.Helper()
	for i := 0; i+1 < len(fields); i += 2 {
		j.do(chromedp.SendKeys(chromedp.ID(fields[i]), fields[i+1]))
	}
}

// tick clicks the labels of the choices, by their inputs' ids.
func (j *journey) tick(ids ...string) {
	j.t.Helper()
	for _, id := range ids {
		j.do(chromedp.Click(chromedp.CSS(`label[for="` + id + `"]`)))
	}
}

// registered follows a registration the browser has just sent: the
// sign-in page says to look for the email; the person signs in (at the
// step named signIn), then opens the link in that email, as its owner
// would, and presses its button (at the step named confirmed), which leads
// back to where they registered from (issue 10: no booking before the
// address is confirmed).
func (j *journey) registered(email, password, signIn, confirmed string) {
	j.t.Helper()
	if got := j.text("p.flash"); !strings.Contains(got, "We have sent an email to "+email) {
		j.t.Errorf("%s: after registering the page says %q", j.name, got)
	}
	j.fill("email", email, "password", password)
	j.click("#submit", signIn)
	j.open(j.app.EmailedLink(j.t, email, "email_verification", "/verify-email/"), signIn+"-email-link")
	j.click("#verify", confirmed)
	if got := j.text("p.flash"); !strings.Contains(got, "your email address is confirmed") {
		j.t.Errorf("%s: after confirming the page says %q", j.name, got)
	}
}

// The desk-tightness patient of ../shared/vignettes (and
// triage/testdata/cases/massage.txt): recurring, mild, from desk work,
// with tight muscles: massage.
func (j *journey) deskAnswers() {
	j.tick("q-pain_now-3", "q-episode-recurring", "q-trigger-posture_desk", "q-muscle_tension")
	j.fill("q-duration_weeks", "1", "q-age", "34")
}

// The bladder patient: difficulty passing urine and saddle numbness with
// new, severe pain: an emergency.
func (j *journey) bladderAnswers() {
	j.tick("q-red_flags-urinary_difficulty", "q-red_flags-saddle_numbness", "q-pain_now-7", "q-episode-first")
	j.fill("q-duration_weeks", "2", "q-age", "45")
}

var assessmentPath = regexp.MustCompile(`^/assessment/([0-9a-f]{32})$`)

// TestBrowserPatientPath: the desk-tightness patient does the
// self-assessment (meeting every missing answer at once first), books a
// massage through the review step after registering mid-way, answers the
// health questions, and sees the assessment on their account; the massage
// therapist (Elena Kowalska) sees it on the appointment.
func TestBrowserPatientPath(t *testing.T) {
	app := demoApp(t)
	j := newJourney(t, app, "uk-desk")
	// The public pages that lead to booking.
	j.open("/services", "services")
	if n := j.count(`a.button[href^="/book?service="]`); n < 5 {
		t.Errorf("services page has %d Book buttons", n)
	}
	j.open("/practitioners", "practitioners")
	j.click(`a[href="/practitioners/1"]`, "practitioner")
	if got := j.text("#book-with"); got != "Book with Amira" {
		t.Errorf("practitioner page button = %q", got)
	}
	j.click("#book-with", "book-with-amira")
	if got := j.text("h1"); got != "Book a physiotherapist" || j.count("a.slot") == 0 {
		t.Errorf("Book with Amira leads to %q with %d times", got, j.count("a.slot"))
	}
	j.open("/locations", "locations")
	if got := j.text("main"); !strings.Contains(got, "Parking") || !strings.Contains(got, "Getting in") || j.count("a.map-link") != 1 {
		t.Errorf("the location page lacks its visitor notes: %.300q", got)
	}
	j.open("/contact", "contact")
	j.open("/rules", "rules")
	j.open("/password-reset", "password-reset")
	if status := j.open("/no-such-page", "not-found"); status != 404 {
		t.Errorf("a missing page = %d", status)
	}
	j.open("/", "home")
	if n := j.count(`link[rel="icon"]`); n != 1 {
		t.Errorf("no favicon (%d)", n)
	}
	j.click(`a.button[href="/assessment"]`, "assessment")
	if status := j.click("#submit-assessment", "assessment-errors"); status != 422 {
		t.Fatalf("an empty assessment = %d, want 422", status)
	}
	if n := j.count("#form-error li a"); n != 4 {
		t.Errorf("the error summary lists %d problems, want the 4 missing answers at once", n)
	}
	if got := j.text("#err-q-age"); !strings.Contains(got, "How old are you?") {
		t.Errorf("age problem = %q", got)
	}
	if n := j.count(`[aria-describedby~="err-q-age"][aria-invalid="true"]`); n != 1 {
		t.Errorf("the age field is not tied to its problem (%d)", n)
	}
	j.deskAnswers()
	j.click("#submit-assessment", "result")
	if got := j.text("#headline"); got != "Massage therapy suits your back pain." {
		t.Fatalf("headline = %q", got)
	}
	m := assessmentPath.FindStringSubmatch(j.location())
	if m == nil {
		t.Fatalf("result at %s", j.location())
	}
	assessment := m[1]
	j.open("/assessment/"+assessment+"/print", "result-print")
	j.open("/assessment/"+assessment, "result-again")
	j.click(`a.button[href^="/book?discipline=massage_therapist"]`, "book")
	if got := j.text("#recommended"); !strings.Contains(got, "Recommended by your self-assessment") {
		t.Errorf("booking page says %q", got)
	}
	// Elena, then the first free time of the day shown.
	j.do(chromedp.SetValue(chromedp.ID("practitioner"), "4"))
	j.click("#show-times", "book-elena")
	if !strings.Contains(j.text("section.day"), "Elena Kowalska") || j.count("a.slot") == 0 {
		t.Fatalf("no times with Elena: %q", j.text("main"))
	}
	if status := j.click("a.slot", "review"); status != 200 {
		t.Fatalf("review = %d", status)
	}
	review := j.text("#review")
	for _, want := range []string{"Massage first visit", "Elena Kowalska", "£60.00", "late cancellation"} {
		if !strings.Contains(review, want) {
			t.Errorf("review lacks %q: %q", want, review)
		}
	}
	// Registering mid-way keeps the choice and the assessment.
	j.click("#register-to-book", "register")
	if !strings.Contains(j.text("#keeping-your-time"), "your chosen time is kept") {
		t.Error("the register page does not say the time is kept")
	}
	const dana, danaPassword = "dana.desk@example.org", "four quiet garden chairs"
	j.fill("name", "Dana Desk", "email", dana, "password", danaPassword, "password_again", danaPassword)
	// Registering signs nobody in (issue 10): the sign-in page says to
	// look for the email, and leads back to the review.
	j.click("#register", "registered")
	if got := j.text("p.flash"); !strings.Contains(got, "We have sent an email to "+dana) {
		t.Errorf("after registering the page says %q", got)
	}
	j.fill("email", dana, "password", danaPassword)
	j.click("#submit", "review-unconfirmed")
	if loc := j.location(); !strings.HasPrefix(loc, "/book/review?") || !strings.Contains(loc, "assessment="+assessment) {
		t.Fatalf("after signing in the browser is at %s, not back at the review", loc)
	}
	if j.count("#confirm-booking") != 0 || !strings.Contains(j.text("#confirm-email-first"), "not booked yet") {
		t.Errorf("an unconfirmed account is offered to book: %q", j.text("main"))
	}
	// The link in the email (as its owner opens it) confirms the address
	// and comes back to the review.
	j.open(j.app.EmailedLink(t, dana, "email_verification", "/verify-email/"), "email-link")
	j.click("#verify", "review-confirmed")
	if loc := j.location(); !strings.HasPrefix(loc, "/book/review?") || !strings.Contains(loc, "assessment="+assessment) {
		t.Fatalf("after confirming the browser is at %s, not back at the review", loc)
	}
	if got := j.text("p.flash"); !strings.Contains(got, "confirmed. You can book now") {
		t.Errorf("after confirming the page says %q", got)
	}
	j.click("#confirm-booking", "appointment")
	if got := j.text("main"); !strings.Contains(got, "Booked.") || !strings.Contains(got, "Add to calendar") || !strings.Contains(got, "Before your first visit") {
		t.Fatalf("confirmation = %q", got)
	}
	appointment := j.location()
	j.click("#start-intake", "intake")
	if j.count("#step-safety") != 0 {
		t.Error("the health questions ask again what the self-assessment answered")
	}
	if status := j.click("#submit-intake", "intake-errors"); status != 422 || j.count(`#form-error a[href="#consent_treatment"]`) != 1 {
		t.Errorf("health questions without consent = %d, summary %q", status, j.text("main"))
	}
	j.fill("phone", "0117 496 0777", "date_of_birth", "02011992", "family_doctor", "Dr Patel, Harbourside Surgery",
		"emergency_contact_name", "Jo Desk", "emergency_contact_phone", "0117 496 0778")
	j.tick("consent_treatment", "consent_email-yes")
	j.click("#submit-intake", "appointment-after-intake")
	if got := j.text("main"); !strings.Contains(got, "your answers are with your practitioner") {
		t.Errorf("after the health questions: %q", got)
	}
	j.open("/account", "account")
	if got := j.text("#assessments"); !strings.Contains(got, "Massage therapy suits your back pain.") {
		t.Errorf("the account does not show the assessment: %q", got)
	}
	j.click("#your-details", "details")
	j.open("/appointments", "appointments")
	if got := j.text("#coming"); !strings.Contains(got, "Massage first visit") || !strings.Contains(got, "Elena Kowalska") {
		t.Errorf("coming up = %q", got)
	}
	j.open("/waitlist", "waitlist")
	j.open(appointment+"/cancel", "cancel-confirm")
	j.click(`a[href="`+appointment+`"]`, "kept")
	// Moving it: the old appointment says where it went, and the list
	// shows it moved, not cancelled.
	j.click(`a[href="`+appointment+`/reschedule"]`, "reschedule")
	// The times offered are Elena's (late in the day the first time of
	// anyone's was another therapist's).
	elenaSlot := `a.slot[href*="practitioner=4&"]`
	if j.count(elenaSlot) == 0 || j.count("a.slot") != j.count(elenaSlot) {
		t.Fatalf("the move offers %d times, %d of them with Elena: %q", j.count("a.slot"), j.count(elenaSlot), j.text("main"))
	}
	j.click(elenaSlot, "reschedule-confirm")
	j.click("#confirm-reschedule", "moved")
	moved := j.location()
	if moved == appointment || !strings.HasPrefix(moved, "/appointments/") {
		t.Fatalf("after moving the browser is at %s", moved)
	}
	j.open(appointment, "old-time")
	if got := j.text("#moved"); !strings.Contains(got, "moved to its new time") || j.count(`#moved-to[href="`+moved+`"]`) != 1 {
		t.Errorf("the old time says %q", got)
	}
	j.open("/appointments", "appointments-after-move")
	if got := j.text("#cancelled"); !strings.Contains(got, "moved") || strings.Contains(got, "cancelled,") {
		t.Errorf("cancelled or moved = %q", got)
	}
	appointment = moved
	j.open("/referrals", "referrals")
	j.open("/plan", "plan")
	if _, err := chromedp.RunResponse(j.ctx, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`))); err != nil {
		t.Fatalf("sign out: %v", err)
	}

	// The therapist sees the assessment and the answers before treating.
	browserSignIn(t, j.ctx, app, "elena.kowalska@riverside.example")
	j.open(appointment, "therapist")
	summary := j.text("#assessment-summary")
	for _, want := range []string{"Latest self-assessment", "Massage therapy suits your back pain.", "Massage safe.", "No red flags"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the therapist's summary lacks %q: %q", want, summary)
		}
	}
	if got := j.text("#patient-details"); !strings.Contains(got, "Dr Patel, Harbourside Surgery") || !strings.Contains(got, "Jo Desk") {
		t.Errorf("the therapist does not see the details: %q", got)
	}
	for i, text := range j.texts {
		if strings.Contains(text, "physical therapy") || strings.Contains(text, "911") {
			t.Errorf("page %d of the UK path speaks American: %.300q", i+1, text)
		}
	}
}

// TestBrowserMassageHealthQuestions: a patient with no self-assessment
// books a first massage and, before it, answers its massage-safety
// questions with their details, meeting every problem at once first.
func TestBrowserMassageHealthQuestions(t *testing.T) {
	app := demoApp(t)
	j := newJourney(t, app, "uk-intake")
	browserSignIn(t, j.ctx, app, "sam.taylor@example.org")
	j.open("/book?service=4", "book")
	j.click("a.slot", "review")
	j.click("#confirm-booking", "appointment")
	j.click("#start-intake", "intake")
	if j.count("#step-safety input") < 10 {
		t.Fatalf("no massage-safety questions for someone without a self-assessment")
	}
	j.fill("phone", "not a phone")
	if status := j.click("#submit-intake", "intake-errors"); status != 422 {
		t.Fatalf("intake with problems = %d", status)
	}
	for _, field := range []string{"phone", "date_of_birth", "consent_treatment"} {
		if j.count(`#form-error a[href="#`+field+`"]`) != 1 || j.count(`#`+field+`[aria-describedby~="`+field+`-error"]`) != 1 {
			t.Errorf("the %s problem is not in the summary, or not tied to its field", field)
		}
	}
	j.do(chromedp.Evaluate[chromedp.Void](`document.getElementById("phone").value = ""; undefined`))
	j.fill("phone", "0117 496 0123", "date_of_birth", "03041980")
	j.tick("consent_treatment", "consent_email-no", "q-conditions-disc")
	j.click("#submit-intake", "appointment-after-intake")
	if got := j.text("#intake-summary"); !strings.Contains(got, "Massage not until assessed") || !strings.Contains(got, "disc") {
		t.Errorf("the answers on the appointment: %q", got)
	}
}

// TestBrowserEmergencyCannotBook: the bladder patient gets the emergency
// advice with 999, and no link carrying that result books anything: not
// the booking page, not the review, not the confirmation, signed out or in.
func TestBrowserEmergencyCannotBook(t *testing.T) {
	app := demoApp(t)
	j := newJourney(t, app, "uk-bladder")
	j.open("/assessment", "assessment")
	j.bladderAnswers()
	j.click("#submit-assessment", "result")
	if got := j.text("#headline"); !strings.Contains(got, "call 999") {
		t.Fatalf("headline = %q", got)
	}
	if got := j.text(`section[aria-labelledby="act-now"]`); !strings.Contains(got, "Call 999") || !strings.Contains(got, "nothing to book") {
		t.Errorf("emergency advice = %q", got)
	}
	m := assessmentPath.FindStringSubmatch(j.location())
	if m == nil {
		t.Fatalf("result at %s", j.location())
	}
	id := m[1]
	if n := j.count(`a[href^="/book"][href*="` + id + `"]`); n != 0 {
		t.Errorf("the emergency result links to booking %d times", n)
	}
	slot := slotsOf(t, app.Client(t), "service=4&practitioner=4&"+window(14))[0]
	review := "/book/review?" + url.Values{"service": {"4"}, "practitioner": {"4"}, "start": {slot.Start.Format(time.RFC3339)}, "assessment": {id}}.Encode()
	tryAll := func(who string) {
		for _, d := range []string{"massage_therapist", "physiotherapist"} {
			j.open("/book?discipline="+d+"&assessment="+id, who+"-book-"+d)
			if got := j.text("#doctor-first"); !strings.Contains(got, "999") || !strings.Contains(got, "Nothing can be booked") {
				t.Errorf("%s: /book for %s says %q", who, d, got)
			}
			if n := j.count("a.slot"); n != 0 {
				t.Errorf("%s: /book for %s offers %d times", who, d, n)
			}
		}
		if status := j.open(review, who+"-review"); status != 403 || !strings.Contains(j.text("#booking-refused"), "999") {
			t.Errorf("%s: review from the emergency result = %d %q", who, status, j.text("main"))
		}
		status, err := chromedp.Run(j.ctx, chromedp.Evaluate[int](fmt.Sprintf(`fetch('/book', {method: 'POST', redirect: 'manual',
			body: new URLSearchParams({service_id: '4', practitioner_id: '4', start: %q, assessment: %q})}).then(r => r.status)`,
			slot.Start.Format(time.RFC3339), id), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		want := 403
		if who == "signed-out" {
			want = 0 // a redirect to sign in, which fetch does not follow
		}
		if status != want {
			t.Errorf("%s: POST /book from the emergency result = %d, want %d", who, status, want)
		}
	}
	tryAll("signed-out")
	// Keeping the result on a new account does not make it bookable.
	j.open("/assessment/"+id, "result-again")
	j.click("#keep-register", "register")
	j.fill("name", "Bea Bladder", "email", "bea.bladder@example.org", "password", "seven amber lantern boats", "password_again", "seven amber lantern boats")
	j.click("#register", "registered")
	j.registered("bea.bladder@example.org", "seven amber lantern boats", "account-unconfirmed", "account")
	if loc := j.location(); loc != "/account" {
		t.Errorf("after confirming the browser is at %s, not the account it registered for", loc)
	}
	if got := j.text("#assessments"); !strings.Contains(got, "call 999") {
		t.Errorf("the account does not keep the emergency result: %q", got)
	}
	tryAll("signed-in")
	list, _ := chromedp.Run(j.ctx, chromedp.Evaluate[int](`fetch('/api/v1/appointments').then(r => r.json()).then(j => j.total)`, chromedp.EvalAwaitPromise))
	if list != 0 {
		t.Errorf("the bladder patient has %d appointments", list)
	}
}

// usBritish are words a US clinic's patients must not meet on their path.
var usBritish = regexp.MustCompile(`\bGP\b|A&E|\bNHS\b|\b999\b`)

// TestBrowserUSClinic: a US demo clinic speaks American English on every
// page of the path: physical therapy, 911, dollars, US dates and times, and
// no GP or A&E anywhere.
func TestBrowserUSClinic(t *testing.T) {
	app := MustRunMain(t, map[string]string{"BACKDESK_DB": "sqlite:" + filepath.Join(t.TempDir(), "us.db")}, "--demo=us")
	j := newJourney(t, app, "us")
	j.open("/", "home")
	if !strings.Contains(j.texts[0], "physical therapy") || !strings.Contains(j.texts[0], "911") {
		t.Errorf("US home page = %.600q", j.texts[0])
	}
	j.open("/services", "services")
	if got := j.text("main"); !strings.Contains(got, "Physical therapy initial evaluation") || !strings.Contains(got, "$140.00") {
		t.Errorf("US services = %.400q", got)
	}
	j.open("/practitioners", "practitioners")
	if got := j.text("main"); !strings.Contains(got, "Physical therapists") || !strings.Contains(got, "Colorado PT license") {
		t.Errorf("US practitioners = %.400q", got)
	}
	j.open("/locations", "locations")
	j.open("/assessment", "assessment")
	j.bladderAnswers()
	j.click("#submit-assessment", "emergency")
	if got := j.text(`section[aria-labelledby="act-now"]`); !strings.Contains(got, "call 911") || !strings.Contains(got, "Call 911") {
		t.Errorf("US emergency advice = %q", got)
	}
	j.open("/assessment", "assessment-again")
	j.tick("q-pain_now-5", "q-episode-first")
	j.fill("q-duration_weeks", "3", "q-age", "41")
	j.click("#submit-assessment", "result")
	if got := j.text("#headline"); !strings.Contains(got, "physical therapist") {
		t.Errorf("US headline = %q", got)
	}
	j.click(`a.button[href^="/book?discipline=physiotherapist"]`, "book")
	if got := j.text("h1"); got != "Book a physical therapist" {
		t.Errorf("US booking page heading = %q", got)
	}
	if got := j.text("ul.slots"); !strings.Contains(got, " AM") && !strings.Contains(got, " PM") {
		t.Errorf("US times are not in AM/PM: %q", got)
	}
	j.click("a.slot", "review")
	review := j.text("#review")
	if !regexp.MustCompile(`[A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}, 20\d\d, \d{1,2}:\d\d [AP]M M[SD]T`).MatchString(review) || !strings.Contains(review, "$140.00") {
		t.Errorf("US review = %q", review)
	}
	j.click("#sign-in-to-book", "login")
	j.click("#create-account", "register")
	// The longest name allowed, one unbroken word, in the header of a
	// 320-pixel page (check measures it).
	j.fill("name", strings.Repeat("Maximilian", 10), "email", "max@example.org", "password", "three tall pine windows", "password_again", "three tall pine windows")
	j.click("#register", "registered")
	j.registered("max@example.org", "three tall pine windows", "review-unconfirmed", "review-signed-in")
	if j.count("#confirm-booking") != 1 {
		t.Fatalf("after registering and confirming: %.300q", j.text("main"))
	}
	j.click("#confirm-booking", "appointment")
	j.click("#start-intake", "intake")
	if got := j.text("main"); !strings.Contains(got, "primary care doctor") {
		t.Errorf("the US health questions do not ask for the primary care doctor: %.400q", got)
	}
	j.open("/account", "account")
	j.open("/appointments", "appointments")
	j.open("/referrals", "referrals")
	// The emails of the path speak American too.
	rows, err := storetest.RawDB(t, app.DB).Query(`SELECT kind, subject, body FROM outbox WHERE to_addr = $1`, "max@example.org")
	if err != nil {
		t.Fatal(err)
	}
	emails := 0
	for rows.Next() {
		var kind, subject, body string
		if err := rows.Scan(&kind, &subject, &body); err != nil {
			t.Fatal(err)
		}
		emails++
		if m := usBritish.FindString(subject + "\n" + body); m != "" {
			t.Errorf("the US %s email says %q: %.300q", kind, m, body)
		}
	}
	rows.Close()
	if emails < 2 {
		t.Errorf("%d emails to the US patient, want the confirmation link and the booking", emails)
	}
	sawPT := false
	for i, text := range j.texts {
		if m := usBritish.FindString(text); m != "" {
			t.Errorf("page %d of the US path says %q: %.300q", i+1, m, text)
		}
		sawPT = sawPT || strings.Contains(text, "physical therapy")
	}
	if !sawPT {
		t.Error(`no page of the US path says "physical therapy"`)
	}
}
