package main

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"backdesk/mail/mailtest"

	"github.com/chromedp/chromedp"
)

// shared is the one Chromium every browser test opens its tabs in: each
// test gets a tab in a browser context of its own (its own cookies), and
// the browser starts once per test binary, which keeps CI time down.
var shared struct {
	once   sync.Once
	ctx    context.Context
	cancel func()
	dir    string
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.cancel != nil {
		shared.cancel()
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// browser returns a new tab of headless Chromium (Debian's package), in a
// browser context of its own, 1100×900 unless the test sets a viewport.
// Without Chromium the test skips, unless BACKDESK_REQUIRE_BROWSER is set
// (CI), when it fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("BACKDESK_REQUIRE_BROWSER") != "" {
			t.Fatal("chromium not found, and BACKDESK_REQUIRE_BROWSER is set")
		}
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	shared.once.Do(func() {
		if shared.dir, shared.err = os.MkdirTemp("", "backdesk-chromium-"); shared.err != nil {
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.UserDataDir(shared.dir),
			chromedp.WindowSize(1100, 900),
		)
		actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, cancelB := chromedp.NewContext(actx)
		shared.ctx, shared.cancel = bctx, func() { cancelB(); cancelA() }
		shared.err = chromedp.Do(bctx) // starts the browser and its first tab
	})
	if shared.err != nil {
		t.Fatalf("start chromium: %v", shared.err)
	}
	ctx, cancelC := chromedp.NewContext(shared.ctx, chromedp.WithNewBrowserContext())
	ctx, cancelT := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1100, 900)); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return ctx
}

// screenshot keeps a picture of the page for a person to look at, in
// BACKDESK_SCREENSHOTS when set.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil || len(png) == 0 {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if dir := os.Getenv("BACKDESK_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
}

// browserSignIn signs in through the sign-in page.
func browserSignIn(t *testing.T, ctx context.Context, app *App, email string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(app.URL+"/login"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), DemoPassword),
	)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("submit"))); err != nil || resp.Status != 200 {
		t.Fatalf("sign in %s: %v %v", email, resp, err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// TestBrowserRedFlagAndCorrection: a missing answer is shown next to its
// field with everything else kept; a red flag then gives the emergency
// message and nothing to book.
func TestBrowserRedFlagAndCorrection(t *testing.T) {
	app := demoApp(t)
	ctx := browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(app.URL+"/assessment"),
		chromedp.WaitVisible(chromedp.ID("assessment-form")),
		chromedp.Click(chromedp.CSS(`label[for="q-red_flags-urinary_difficulty"]`)),
		chromedp.Click(chromedp.CSS(`label[for="q-pain_now-7"]`)),
		chromedp.SendKeys(chromedp.ID("q-duration_weeks"), "2"),
		chromedp.Click(chromedp.CSS(`label[for="q-episode-first"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("submit-assessment")))
	if err != nil || resp.Status != 422 {
		t.Fatalf("submit without age: %v %v", resp, err)
	}
	if msg := text(t, ctx, "#err-q-age"); !strings.Contains(msg, "How old are you?") {
		t.Errorf("field error = %q", msg)
	}
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("q-red_flags-urinary_difficulty").checked && document.getElementById("q-pain_now-7").checked`))
	if err != nil || !checked {
		t.Errorf("answers were not kept after the error: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("q-age"), "45")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("submit-assessment"))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("act-now"))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "#headline"); !strings.Contains(got, "call 999") {
		t.Errorf("headline = %q", got)
	}
	screenshot(t, ctx, "assessment_emergency")
	bookButtons, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('a[href^="/practitioners?discipline"]').length`))
	if err != nil || bookButtons != 0 {
		t.Errorf("emergency result shows %d booking buttons (%v)", bookButtons, err)
	}
}

// TestBrowserAccountAndAudit: a patient signs in through the page (the
// browser's own Sec-Fetch-Site headers pass the cross-origin check), sees
// their assessment on their account page; an admin then finds the patient's
// activity in the audit log.
func TestBrowserAccountAndAudit(t *testing.T) {
	app := demoApp(t)
	ctx := browser(t)
	signIn := func(email string) { browserSignIn(t, ctx, app, email) }
	signIn("sam.taylor@example.org")
	err := chromedp.Do(ctx,
		chromedp.Navigate(app.URL+"/assessment"),
		chromedp.WaitVisible(chromedp.ID("assessment-form")),
		chromedp.Click(chromedp.CSS(`label[for="q-pain_now-5"]`)),
		chromedp.SendKeys(chromedp.ID("q-duration_weeks"), "3"),
		chromedp.Click(chromedp.CSS(`label[for="q-episode-first"]`)),
		chromedp.SendKeys(chromedp.ID("q-age"), "41"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("submit-assessment"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(app.URL+"/account")); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "main"); !strings.Contains(got, "Sam Taylor") || !strings.Contains(got, "See a physiotherapist first") || !strings.Contains(got, "Download my data") {
		t.Errorf("account page = %q", got)
	}
	screenshot(t, ctx, "account")
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`))); err != nil {
		t.Fatal(err)
	}
	signIn("admin@riverside.example")
	if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(app.URL+"/admin/audit?action=assessment.create")); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "table.audit"); !strings.Contains(got, "assessment.create") || !strings.Contains(got, "(patient)") {
		t.Errorf("audit page = %q", got)
	}
	screenshot(t, ctx, "audit")
}

// TestBrowserReceptionBooksACaller: reception records a caller who has no
// account, books them from their record, and sees them named on the
// appointment.
func TestBrowserReceptionBooksACaller(t *testing.T) {
	app := demoApp(t)
	ctx := browser(t)
	browserSignIn(t, ctx, app, "reception@riverside.example")
	err := chromedp.Do(ctx,
		chromedp.Navigate(app.URL+"/patients"),
		chromedp.WaitVisible(chromedp.ID("add-patient")),
		chromedp.SendKeys(chromedp.ID("name"), "Robin Caller"),
		chromedp.SendKeys(chromedp.ID("phone"), "01632 960 555"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("add-patient"))); err != nil || resp.Status != 200 {
		t.Fatalf("record the caller: %v %v", resp, err)
	}
	if got := text(t, ctx, "main"); !strings.Contains(got, "Robin Caller") || !strings.Contains(got, "Patient recorded") {
		t.Fatalf("patient page = %q", got)
	}
	screenshot(t, ctx, "patient")
	if resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("book-for-patient"))); err != nil || resp.Status != 200 {
		t.Fatalf("book for the caller: %v %v", resp, err)
	}
	if got := text(t, ctx, "#booking-for"); !strings.Contains(got, "Booking for Robin Caller") {
		t.Fatalf("booking page says %q", got)
	}
	screenshot(t, ctx, "book_for_patient")
	if resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("a.slot"))); err != nil || resp.Status != 200 {
		t.Fatalf("choose a time: %v %v", resp, err)
	}
	if v, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("patient_id"))); err != nil || v == "" {
		t.Errorf("the review does not carry the caller's patient number: %q %v", v, err)
	}
	if resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("confirm-booking"))); err != nil || resp.Status != 200 {
		t.Fatalf("confirm: %v %v", resp, err)
	}
	if got := text(t, ctx, "#patient"); !strings.Contains(got, "Robin Caller") || !strings.Contains(got, "01632 960 555") {
		t.Errorf("appointment names %q", got)
	}
	screenshot(t, ctx, "appointment_for_patient")
}

// TestBrowserRegisterConfirmAndBook: someone new registers from the
// booking page, is told to look for an email, signs in, is told on every
// page to confirm their address (and can have the link again), presses the
// button the link opens, and books.
func TestBrowserRegisterConfirmAndBook(t *testing.T) {
	app := demoApp(t)
	ctx := browser(t)
	const email, password = "nell.new@example.org", "nell's own long passphrase"
	err := chromedp.Do(ctx,
		chromedp.Navigate(app.URL+"/register?next=%2Fbook%3Fservice%3D1"),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), "Nell New"),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.SendKeys(chromedp.ID("password_again"), password),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("register"))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "p.flash"); !strings.Contains(got, "We have sent an email to "+email) {
		t.Errorf("after registering the page says %q", got)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("submit"))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "#confirm-email"); !strings.Contains(got, "Please confirm your email address") {
		t.Errorf("the booking page does not ask to confirm: %q", got)
	}
	screenshot(t, ctx, "confirm_email")
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("resend-confirmation"))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "p.flash"); !strings.Contains(got, "A new link") {
		t.Errorf("after asking again the page says %q", got)
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.Contains(loc, "/book?service=1") {
		t.Errorf("after asking again the browser is at %s, not back at the booking page", loc)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(app.URL+app.EmailedLink(t, email, "email_verification", "/verify-email/"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("verify"))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "p.flash"); !strings.Contains(got, "confirmed. You can book now") {
		t.Errorf("after confirming the page says %q", got)
	}
	// The link asked for again leads to the booking page (the first one
	// led back to the page the account was made from).
	if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(app.URL+"/book?service=1")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`a.slot`))); err != nil {
		t.Fatalf("choose a time: %v", err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID(`confirm-booking`))); err != nil {
		t.Fatalf("confirm the time: %v", err)
	}
	if got := text(t, ctx, "main"); !strings.Contains(got, "Booked.") {
		t.Errorf("confirmation page = %.400q", got)
	}
}

// browserSignOut signs out through the header's button.
func browserSignOut(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`))); err != nil {
		t.Fatalf("sign out: %v", err)
	}
}

// click clicks sel and waits for the page it leads to.
func click(t *testing.T, ctx context.Context, what string, sel chromedp.Action[chromedp.Void]) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, sel)
	if err != nil || resp.Status >= 400 {
		t.Fatalf("%s: %v %v", what, resp, err)
	}
}

var bookingLinkRE = regexp.MustCompile(`http://\S+/book\?\S+`)

// TestBrowserReferralToBooking: a massage therapist refers a patient to
// physiotherapy from their record; a physiotherapist accepts it from the
// inbox; the patient follows the link in the email (read from the test
// SMTP server), signs in and books; the referral shows booked to the
// patient and to the massage therapist who made it.
func TestBrowserReferralToBooking(t *testing.T) {
	box, smtpURL := mailtest.Start(t)
	app := demoAppWith(t, map[string]string{"BACKDESK_SMTP": smtpURL}, "--mail-interval", "50ms")
	sam := app.Client(t)
	sam.Login("sam.taylor@example.org")
	mustCreate(t, sam, "/api/v1/appointments", `{"service_id":"4","practitioner_id":"4","start":"`+slotsOf(t, sam, "service=4&practitioner=4&"+window(14))[0].Start.Format(time.RFC3339)+`"}`)
	ctx := browser(t)

	// Elena Kowalska, who gives Sam massage, refers Sam to physiotherapy.
	browserSignIn(t, ctx, app, "elena.kowalska@riverside.example")
	if err := chromedp.Do(ctx, chromedp.Navigate(app.URL+"/patients/1"), chromedp.WaitVisible(chromedp.ID("refer-patient"))); err != nil {
		t.Fatalf("the patient's record: %v", err)
	}
	click(t, ctx, "open the referral form", chromedp.Click(chromedp.ID("refer-patient")))
	err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("to_discipline"), "physiotherapist"),
		chromedp.SendKeys(chromedp.ID("reason"), "Numbness over the outer left foot after massage of the lower back"),
		chromedp.Click(chromedp.CSS(`label[for="urgency-soon"]`)),
		chromedp.SendKeys(chromedp.ID("findings"), "Reduced sensation, outer left foot; no weakness."),
	)
	if err != nil {
		t.Fatalf("fill in the referral: %v", err)
	}
	screenshot(t, ctx, "referral_new")
	click(t, ctx, "send the referral", chromedp.Click(chromedp.ID("send-referral")))
	if got := text(t, ctx, "#referral-status"); !strings.Contains(got, "Waiting for an answer") {
		t.Fatalf("after sending, the referral says %q", got)
	}
	referralURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	browserSignOut(t, ctx)

	// Amira Shah, a physiotherapist, accepts it from her inbox.
	browserSignIn(t, ctx, app, "amira.shah@riverside.example")
	click(t, ctx, "the inbox", chromedp.Navigate(app.URL+"/referrals"))
	if got := text(t, ctx, "#inbox"); !strings.Contains(got, "Numbness over the outer left foot") || !strings.Contains(got, "Sam Taylor") {
		t.Fatalf("the inbox shows %q", got)
	}
	screenshot(t, ctx, "referral_inbox")
	click(t, ctx, "open the referral", chromedp.Click(chromedp.CSS(`#inbox a.referral-link`)))
	click(t, ctx, "accept", chromedp.Click(chromedp.ID("accept")))
	if got := text(t, ctx, "#referral-status"); !strings.Contains(got, "Accepted") {
		t.Fatalf("after accepting, the referral says %q", got)
	}
	browserSignOut(t, ctx)

	// Sam follows the emailed link, signs in and books.
	var link string
	waitFor(t, "the referral email", func() bool {
		for _, b := range box.Bodies() {
			if m := bookingLinkRE.FindString(b); m != "" && strings.Contains(b, "accepted the referral") {
				link = m
				return true
			}
		}
		return false
	})
	u, err := url.Parse(link)
	if err != nil || u.Path != "/book" || u.Query().Get("discipline") != "physiotherapist" || u.Query().Get("referral") == "" {
		t.Fatalf("the emailed link %q does not open booking for physiotherapy: %v", link, err)
	}
	// The link names the public address, which defaults to --addr: here
	// 127.0.0.1:0, as the test server picks its port; follow it there.
	click(t, ctx, "follow the emailed link", chromedp.Navigate(app.URL+u.RequestURI()))
	if page := text(t, ctx, "main"); !strings.Contains(page, "Book a physiotherapist") {
		t.Errorf("the booking page = %.400q", page)
	}
	click(t, ctx, "choose a time", chromedp.Click(chromedp.CSS(`a.slot`)))
	click(t, ctx, "sign in to book", chromedp.Click(chromedp.ID("sign-in-to-book")))
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("email"), "sam.taylor@example.org"),
		chromedp.SendKeys(chromedp.ID("password"), DemoPassword),
	)
	if err != nil {
		t.Fatal(err)
	}
	click(t, ctx, "sign in", chromedp.Click(chromedp.ID("submit")))
	if got := text(t, ctx, "#booking-referral"); !strings.Contains(got, "referral to physiotherapy") || !strings.Contains(got, "Elena Kowalska") {
		t.Fatalf("the review says %q", got)
	}
	screenshot(t, ctx, "referral_book")
	click(t, ctx, "confirm", chromedp.Click(chromedp.ID("confirm-booking")))
	if got := text(t, ctx, "main"); !strings.Contains(got, "The referral is booked.") || !strings.Contains(got, "Physiotherapy initial assessment") {
		t.Fatalf("the confirmation says %.500q", got)
	}
	click(t, ctx, "the referral, as the patient", chromedp.Navigate(referralURL))
	if got := text(t, ctx, "#referral-status"); !strings.Contains(got, "Booked") {
		t.Errorf("the patient's referral says %q", got)
	}
	screenshot(t, ctx, "referral_booked_patient")
	browserSignOut(t, ctx)

	// The referrer sees what became of it.
	browserSignIn(t, ctx, app, "elena.kowalska@riverside.example")
	click(t, ctx, "the referrer's list", chromedp.Navigate(app.URL+"/referrals?status=all"))
	if got := text(t, ctx, "#sent"); !strings.Contains(got, "Booked") || !strings.Contains(got, "Numbness over the outer left foot") {
		t.Errorf("Elena's referrals show %q", got)
	}
	screenshot(t, ctx, "referral_booked_referrer")
}
