package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserLongWordsOnAPhone: a practitioner pastes a long link into the
// plan's problem and an exercise's note, and a referral's reason: on a
// 375-pixel phone the patient's pages still fit the screen (the words
// wrap) rather than running off it, as they did before the stylesheet let
// a long word break.
func TestBrowserLongWordsOnAPhone(t *testing.T) {
	app := demoApp(t)
	f := newPlanFixture(t, app)
	link := "https://www.nhs.uk/conditions/back-pain/" + strings.Repeat("exercises-for-lower-back-pain-", 6) + "printable-leaflet.pdf"
	body := strings.Replace(samplePlanBody(f.patientID), "Low back pain for six weeks, worse after sitting at work.", "Read "+link, 1)
	body = strings.Replace(body, `{"exercise_id":"bridge","dosage":{"sets":3,"reps":10,"times_per_day":1}}`,
		`{"exercise_id":"bridge","dosage":{"sets":3,"reps":10,"times_per_day":1},"note":"`+link+`"}`, 1)
	body = strings.Replace(body, `{"patient_id"`, `{"base_version":1,"patient_id"`, 1)
	if status, out := f.amira.Do2("PUT", "/api/v1/care-plans/"+f.planID, body); status != 200 {
		t.Fatalf("change the plan = %d %s", status, out)
	}
	if status, out := f.amira.PostJSON("/api/v1/referrals", `{"patient_id":"`+f.patientID+`","to_discipline":"massage_therapist","reason":"See `+link+`"}`); status != 201 {
		t.Fatalf("refer = %d %s", status, out)
	}
	ctx := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulatePortrait, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	browserSignIn(t, ctx, app, "sam.taylor@example.org")
	for _, path := range []string{"/plan", "/care-plans/" + f.planID + "/handout", "/referrals"} {
		if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(app.URL+path)); err != nil {
			t.Fatal(err)
		}
		if got := text(t, ctx, "main"); !strings.Contains(got, "printable-leaflet") {
			t.Errorf("%s does not show the link: %.300q", path, got)
		}
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil || w > 375 {
			t.Errorf("%s: the page is %d pixels wide on a 375-pixel screen (%v)", path, w, err)
		}
	}
}
