package main

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"backdesk/clinic"
)

// TestRegistrationTellsNothing: registering an address that already has an
// account answers exactly as registering a new one (in the API and on the
// page); the owner of the known address is emailed instead, and their
// account is untouched; only the new address gets a link to confirm it.
func TestRegistrationTellsNothing(t *testing.T) {
	t.Parallel() // its own servers and databases
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			answer := func(email string) (int, string) {
				status, body := app.Client(t).PostJSON("/api/v1/auth/register", `{"email":"`+email+`","name":"Someone New","password":"a long enough passphrase"}`)
				return status, strings.ReplaceAll(body, email, "EMAIL")
			}
			newStatus, newBody := answer("brand.new@example.org")
			knownStatus, knownBody := answer("sam.taylor@example.org")
			if newStatus != 202 || knownStatus != newStatus || knownBody != newBody {
				t.Errorf("register a new address = %d %s\nregister a known one = %d %s\nwant the same 202", newStatus, newBody, knownStatus, knownBody)
			}
			page := func(email string) (int, string, string) {
				c := app.Client(t)
				status, _, h := c.PostForm("/register", url.Values{"name": {"Someone New"}, "email": {email}, "password": {"another long passphrase"}, "password_again": {"another long passphrase"}, "next": {"/book"}})
				return status, h.Get("Location"), strings.ReplaceAll(c.StatusLine(h), email, "EMAIL")
			}
			s1, l1, line1 := page("page.new@example.org")
			s2, l2, line2 := page("sam.taylor@example.org")
			if s1 != 303 || s1 != s2 || l1 != l2 || line1 != line2 || !strings.Contains(line1, "We have sent an email to EMAIL") {
				t.Errorf("the page for a new address = %d %s %q; for a known one = %d %s %q", s1, l1, line1, s2, l2, line2)
			}
			raw := db.raw(t)
			kinds := func(to string) string {
				rows, err := raw.Query(`SELECT kind FROM outbox WHERE to_addr = $1 ORDER BY id`, to)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				var ks []string
				for rows.Next() {
					var k string
					rows.Scan(&k)
					ks = append(ks, k)
				}
				return strings.Join(ks, ",")
			}
			if got := kinds("brand.new@example.org"); got != "email_verification" {
				t.Errorf("emails to the new address: %s, want its confirmation link", got)
			}
			if got := kinds("sam.taylor@example.org"); got != "account_exists,account_exists" {
				t.Errorf("emails to the known address: %s, want two notices and no link", got)
			}
			var body string
			raw.QueryRow(`SELECT body FROM outbox WHERE to_addr = $1 AND kind = 'account_exists'`, "sam.taylor@example.org").Scan(&body)
			if !strings.Contains(body, "You already have one") || !strings.Contains(body, "/password-reset") || strings.Contains(body, "/verify-email/") {
				t.Errorf("the notice to the owner: %q", body)
			}
			sam := app.Client(t)
			sam.Login("sam.taylor@example.org") // the demo password still works
			if _, me := sam.Get("/api/v1/me"); !strings.Contains(me, `"name":"Sam Taylor"`) || !strings.Contains(me, `"email_verified":true`) {
				t.Errorf("the known account after the attempts: %s", me)
			}
			// The owner is not flooded: at most clinic.NoticeLimit notices a day.
			for range clinic.NoticeLimit + 2 {
				answer("sam.taylor@example.org")
			}
			if n := strings.Count(kinds("sam.taylor@example.org"), "account_exists"); n != clinic.NoticeLimit {
				t.Errorf("%d notices to the owner, want at most %d a day", n, clinic.NoticeLimit)
			}
		})
	}
}

// TestRegistrationLimited: registrations are counted by client address in
// the database: past the limit, 429 with Retry-After, also on a second
// process sharing PostgreSQL.
func TestRegistrationLimited(t *testing.T) {
	t.Parallel() // its own servers and databases
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			a := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			b := a
			if db.name == "postgres" {
				b = MustRunMain(t, map[string]string{"BACKDESK_DB": db.url})
			}
			register := func(app *App, i int) (int, string, string) {
				status, body, h := app.Client(t).Do("POST", "/api/v1/auth/register", "application/json",
					fmt.Sprintf(`{"email":"probe%d@example.org","name":"Probe","password":"a long enough passphrase"}`, i))
				return status, body, h.Get("Retry-After")
			}
			for i := range clinic.RegisterLimit {
				app := a
				if i%2 == 1 {
					app = b
				}
				if status, body, _ := register(app, i); status != 202 {
					t.Fatalf("registration %d = %d %s", i+1, status, body)
				}
			}
			for _, app := range []*App{a, b} {
				status, body, retry := register(app, 999)
				secs, _ := strconv.Atoi(retry)
				if status != 429 || !strings.Contains(body, `"code":"rate_limited"`) || secs < 1 || secs > int(clinic.RegisterWindow/time.Second) {
					t.Errorf("registration past the limit = %d %s, Retry-After %q", status, body, retry)
				}
			}
			status, page, h := a.Client(t).PostForm("/register", url.Values{"name": {"P"}, "email": {"page.probe@example.org"}, "password": {"another long passphrase"}, "password_again": {"another long passphrase"}})
			if status != 429 || h.Get("Retry-After") == "" || !strings.Contains(page, "Too many accounts") {
				t.Errorf("the register page past the limit = %d", status)
			}
		})
	}
}

// TestEmailVerification: a new account signs in but may not book or join
// the waitlist until it has confirmed its address; every page tells it so
// and sends the link again; opening the link shows a button and confirms
// nothing by itself (mail scanners open links); pressing it confirms, once;
// then the account books.
func TestEmailVerification(t *testing.T) {
	t.Parallel() // its own servers and databases
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			const email = "ivy.unconfirmed@example.org"
			c := app.Client(t)
			if status, body := c.PostJSON("/api/v1/auth/register", `{"email":"`+email+`","name":"Ivy Unconfirmed","password":"`+PatientPassword+`"}`); status != 202 {
				t.Fatalf("register = %d %s", status, body)
			}
			if status, _ := c.Get("/api/v1/me"); status != 401 {
				t.Errorf("registering signed someone in: %d", status)
			}
			if status, body := c.PostJSON("/api/v1/auth/login", `{"email":"`+email+`","password":"`+PatientPassword+`"}`); status != 200 || !strings.Contains(body, `"email_verified":false`) {
				t.Fatalf("sign in before confirming = %d %s", status, body)
			}
			slot := slotsOf(t, c, "service=1&practitioner=1&"+window(14))[0].Start.Format(time.RFC3339)
			booking := `{"service_id":"1","practitioner_id":"1","start":"` + slot + `"}`
			if status, body := c.PostJSON("/api/v1/appointments", booking); status != 403 || !strings.Contains(body, "confirm your email address") {
				t.Errorf("booking before confirming = %d %s", status, body)
			}
			if status, body := c.PostJSON("/api/v1/waitlist", `{"discipline":"physiotherapist","from":"2030-01-01","to":"2030-01-31","weekdays":["monday"],"earliest":"09:00","latest":"12:00"}`); status != 403 {
				t.Errorf("joining the waitlist before confirming = %d %s", status, body)
			}
			status, page := c.Get("/book?service=1")
			if status != 200 || !strings.Contains(page, "Please confirm your email address") || !strings.Contains(page, `id="resend-confirmation"`) {
				t.Errorf("the booking page does not tell the person to confirm: %d", status)
			}
			status, page, _ = c.PostForm("/book", url.Values{"service_id": {"1"}, "practitioner_id": {"1"}, "start": {slot}})
			if status != 403 || !strings.Contains(page, "open the link in the email we sent you") {
				t.Errorf("booking on the page before confirming = %d", status)
			}
			first := app.EmailedToken(t, email, "email_verification", "/verify-email/")
			status, _, h := c.PostForm("/account/verify-email", url.Values{"next": {"/book?service=1"}})
			if status != 303 || h.Get("Location") != "/book?service=1" || !strings.Contains(c.StatusLine(h), "A new link") {
				t.Errorf("send the link again = %d %q", status, h.Get("Location"))
			}
			second := app.EmailedToken(t, email, "email_verification", "/verify-email/")
			if second == first {
				t.Fatal("the link sent again is the first one")
			}
			// Opening the link confirms nothing; the button does.
			visitor := app.Client(t)
			if status, page := visitor.Get("/verify-email/" + first); status != 200 || !strings.Contains(page, `id="verify"`) {
				t.Errorf("the link's page = %d", status)
			}
			if status, _ := c.PostJSON("/api/v1/appointments", booking); status != 403 {
				t.Errorf("booking after the link was only opened = %d", status)
			}
			status, _, h = visitor.PostForm("/verify-email/"+first, nil)
			if status != 303 || !strings.HasPrefix(h.Get("Location"), "/login") || !strings.Contains(visitor.StatusLine(h), "confirmed") {
				t.Errorf("confirming = %d %q", status, h.Get("Location"))
			}
			if status, _ := c.PostJSON("/api/v1/auth/verify-email", `{"token":"`+second+`"}`); status != 400 {
				t.Errorf("the other link after confirming = %d, want 400 (every link ends)", status)
			}
			if status, page, _ := visitor.PostForm("/verify-email/"+first, nil); status != 422 || !strings.Contains(page, "expired or has already been used") {
				t.Errorf("the link used twice = %d", status)
			}
			if status, body := c.PostJSON("/api/v1/appointments", booking); status != 201 {
				t.Errorf("booking once confirmed = %d %s", status, body)
			}
			if _, page := c.Get("/book?service=1"); strings.Contains(page, "Please confirm your email address") {
				t.Error("the booking page still asks to confirm")
			}
			if status, _ := c.PostJSON("/api/v1/auth/verify-email/resend", ``); status != 409 {
				t.Errorf("asking for a link once confirmed = %d, want 409", status)
			}
			if status, body := c.PostJSON("/api/v1/auth/password-reset", `{"email":"`+email+`"}`); status != 202 {
				t.Errorf("reset = %d %s", status, body)
			}
			// A link sent again is limited too.
			d := app.RegisterPatientUnconfirmed(t, "many.links@example.org")
			for i := range clinic.ResendLimit {
				if status, body := d.PostJSON("/api/v1/auth/verify-email/resend", ``); status != 202 {
					t.Fatalf("resend %d = %d %s", i+1, status, body)
				}
			}
			if status, _, h := d.Do("POST", "/api/v1/auth/verify-email/resend", "", ""); status != 429 || h.Get("Retry-After") == "" {
				t.Errorf("resend past the limit = %d", status)
			}
			// A password reset reaches the address too: it confirms it.
			if status, _ := d.PostJSON("/api/v1/auth/password-reset", `{"email":"many.links@example.org"}`); status != 202 {
				t.Fatal("reset request")
			}
			token := app.EmailedToken(t, "many.links@example.org", "password_reset", "/password-reset/")
			if status, body := d.PostJSON("/api/v1/auth/password-reset/confirm", `{"token":"`+token+`","password":"a new passphrase for links"}`); status != 204 {
				t.Fatalf("reset = %d %s", status, body)
			}
			if status, body := app.Client(t).PostJSON("/api/v1/auth/login", `{"email":"many.links@example.org","password":"a new passphrase for links"}`); status != 200 || !strings.Contains(body, `"email_verified":true`) {
				t.Errorf("after a reset = %d %s, want the address confirmed", status, body)
			}
		})
	}
}

// TestConfirmLinkLeadsBack: an account made from the review of a time
// gets a link that leads back to that review once the address is
// confirmed (through sign-in when the browser is signed out), and the
// review shows an unconfirmed account its time without a Confirm button;
// a page to go back to that is not this site's is ignored.
func TestConfirmLinkLeadsBack(t *testing.T) {
	t.Parallel() // its own server and database
	app := demoApp(t)
	anon := app.Client(t)
	slot := slotsOf(t, anon, "service=1&practitioner=1&"+window(14))[0].Start.Format(time.RFC3339)
	review := "/book/review?" + url.Values{"service": {"1"}, "practitioner": {"1"}, "start": {slot}}.Encode()
	const email = "rowan.review@example.org"
	status, _, h := anon.PostForm("/register", url.Values{"name": {"Rowan Review"}, "email": {email},
		"password": {PatientPassword}, "password_again": {PatientPassword}, "next": {review}})
	if want := "/login?next=" + url.QueryEscape(review); status != 303 || h.Get("Location") != want {
		t.Fatalf("register from the review = %d %q, want %q", status, h.Get("Location"), want)
	}
	link := app.EmailedLink(t, email, "email_verification", "/verify-email/")
	if want := "?next=" + url.QueryEscape(review); !strings.HasSuffix(link, want) {
		t.Fatalf("the emailed link %q does not lead back to the review", link)
	}
	token := app.EmailedToken(t, email, "email_verification", "/verify-email/")

	// Signed in before confirming: the review, with no way to book it yet.
	c := app.Client(t)
	if status, body := c.PostJSON("/api/v1/auth/login", `{"email":"`+email+`","password":"`+PatientPassword+`"}`); status != 200 {
		t.Fatalf("sign in: %d %s", status, body)
	}
	if status, page := c.Get(review); status != 200 || strings.Contains(page, `id="confirm-booking"`) || !strings.Contains(page, `id="confirm-email-first"`) {
		t.Errorf("the review for an unconfirmed account = %d, offering to book or not saying why not", status)
	}
	// The link's page carries the way back; the button takes it.
	if status, page := c.Get(link); status != 200 || !strings.Contains(page, `name="next" value="`+strings.ReplaceAll(review, "&", "&amp;")+`"`) {
		t.Errorf("the link's page = %d, without the way back", status)
	}
	// Someone else's site is never the way back.
	signedOut := app.Client(t)
	if status, _, h := signedOut.PostForm("/verify-email/not-a-token", url.Values{"next": {"//evil.example/"}}); status != 422 {
		t.Errorf("a bad token = %d %q", status, h.Get("Location"))
	}
	status, _, h = signedOut.PostForm("/verify-email/"+token, url.Values{"next": {"https://evil.example/"}})
	if status != 303 || h.Get("Location") != "/login?next=%2Fbook" {
		t.Errorf("confirming with a foreign page to go back to = %d %q, want the sign-in page for /book", status, h.Get("Location"))
	}
	if status, page := c.Get(review); status != 200 || !strings.Contains(page, `id="confirm-booking"`) {
		t.Errorf("the review once confirmed = %d, without Confirm", status)
	}
}

// TestConfirmLinkSignedIn: confirming while signed in goes straight back
// to the page the link names.
func TestConfirmLinkSignedIn(t *testing.T) {
	t.Parallel()
	app := demoApp(t)
	const email = "sky.signedin@example.org"
	c := app.Client(t)
	if status, _, _ := c.PostForm("/register", url.Values{"name": {"Sky"}, "email": {email},
		"password": {PatientPassword}, "password_again": {PatientPassword}, "next": {"/account"}}); status != 303 {
		t.Fatalf("register = %d", status)
	}
	if status, body := c.PostJSON("/api/v1/auth/login", `{"email":"`+email+`","password":"`+PatientPassword+`"}`); status != 200 {
		t.Fatalf("sign in: %d %s", status, body)
	}
	token := app.EmailedToken(t, email, "email_verification", "/verify-email/")
	status, _, h := c.PostForm("/verify-email/"+token, url.Values{"next": {"/account"}})
	if status != 303 || h.Get("Location") != "/account" || !strings.Contains(c.StatusLine(h), "You can book now") {
		t.Errorf("confirming signed in = %d %q %q", status, h.Get("Location"), c.StatusLine(h))
	}
}
