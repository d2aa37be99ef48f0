package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestCalendarFeed: a practitioner makes a private feed; a calendar app (no
// cookie) reads their appointments, with no patient named; renewing or
// revoking ends the old address; another practitioner cannot touch it.
func TestCalendarFeed(t *testing.T) {
	app := demoApp(t) // without --base-url: the address serve listens on
	sam := app.Client(t)
	sam.Login("sam.taylor@example.org")
	slot := slotsOf(t, sam, "service=1&practitioner=1&"+window(7))[0]
	if status, body := sam.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s"}`, slot.Start.Format(time.RFC3339))); status != 201 {
		t.Fatalf("book: %d %s", status, body)
	}
	amira := app.Client(t)
	amira.Login("amira.shah@riverside.example")
	status, body := amira.PostJSON("/api/v1/practitioners/1/calendar-feed", ``)
	var feed struct{ URL string }
	decode(t, body, &feed)
	if status != 201 || !strings.HasPrefix(feed.URL, app.URL+"/calendar/") {
		t.Fatalf("create feed = %d %s", status, body)
	}
	path := strings.TrimPrefix(feed.URL, app.URL)
	calendarApp := app.Client(t) // no session: the token is the credential
	status, ics, h := calendarApp.Do("GET", path, "", "")
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/calendar") || !strings.Contains(ics, "SUMMARY:Physiotherapy initial assessment (booking ") ||
		!strings.Contains(ics, "X-WR-CALNAME:Amira Shah") || !strings.Contains(ics, "BEGIN:VTIMEZONE") {
		t.Fatalf("feed = %d\n%s", status, ics)
	}
	if strings.Contains(ics, "Sam") || strings.Contains(ics, "Taylor") {
		t.Error("the feed names the patient")
	}
	// Another practitioner cannot make or revoke Amira's feed.
	elena := app.Client(t)
	elena.Login("elena.kowalska@riverside.example")
	if status, _ := elena.PostJSON("/api/v1/practitioners/1/calendar-feed", ``); status != 403 {
		t.Errorf("another practitioner's create = %d", status)
	}
	// Renewing ends the old address; revoking ends the new one.
	_, body = amira.PostJSON("/api/v1/practitioners/1/calendar-feed", ``)
	var renewed struct{ URL string }
	decode(t, body, &renewed)
	if status, _ := calendarApp.Get(path); status != 404 {
		t.Errorf("old feed after renewal = %d", status)
	}
	if status, _ := calendarApp.Get(strings.TrimPrefix(renewed.URL, app.URL)); status != 200 {
		t.Errorf("renewed feed = %d", status)
	}
	if status, _, _ := amira.Do("DELETE", "/api/v1/practitioners/1/calendar-feed", "", ""); status != 204 {
		t.Errorf("revoke = %d", status)
	}
	if status, _ := calendarApp.Get(strings.TrimPrefix(renewed.URL, app.URL)); status != 404 {
		t.Errorf("revoked feed = %d", status)
	}
	// The address is the clinic's own, whatever Host the request named.
	req, _ := http.NewRequest("POST", app.URL+"/api/v1/practitioners/1/calendar-feed", nil)
	req.Host = "evil.example"
	for _, c := range amira.Jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var hosted struct{ URL string }
	json.NewDecoder(resp.Body).Decode(&hosted)
	resp.Body.Close()
	if resp.StatusCode != 201 || !strings.HasPrefix(hosted.URL, app.URL+"/calendar/") {
		t.Errorf("feed made with Host: evil.example = %d %q, want under %s", resp.StatusCode, hosted.URL, app.URL)
	}
	// The account page makes one too, shown once.
	status, page, _ := amira.Do("POST", "/account/calendar-feed", "", "")
	if status != 200 || !strings.Contains(page, `id="feed-url" readonly value="`+app.URL+`/calendar/`) {
		t.Errorf("account page feed = %d", status)
	}
}
