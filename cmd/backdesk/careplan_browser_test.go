package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPlanOnAPhone: on a 375-pixel phone the patient opens their
// plan from the menu, marks two exercises done (one with a pain rating),
// fills in a pain score and sees the chart change, with the page never
// wider than the screen; the practitioner then sees the adherence on the
// plan and on the patient's record.
func TestBrowserPlanOnAPhone(t *testing.T) {
	app := demoApp(t)
	f := newPlanFixture(t, app)
	// A score recorded in clinic at the first visit, for the chart to start from.
	if status, body := f.amira.PostJSON("/api/v1/patients/"+f.patientID+"/outcomes", `{"pain_now":7}`); status != 201 {
		t.Fatalf("clinic score = %d %s", status, body)
	}
	ctx := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulatePortrait, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	browserSignIn(t, ctx, app, "sam.taylor@example.org")
	notWider := func(where string) {
		t.Helper()
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil || w > 375 {
			t.Errorf("%s: the page is %d pixels wide on a 375-pixel screen (%v)", where, w, err)
		}
	}
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
		if err != nil {
			t.Fatalf("count %s: %v", sel, err)
		}
		return n
	}

	if resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("nav-plan"))); err != nil || resp.Status != 200 {
		t.Fatalf("open the plan from the menu: %v %v", resp, err)
	}
	if got := text(t, ctx, "h1"); got != "Your treatment plan" {
		t.Fatalf("plan page heading = %q", got)
	}
	if got := text(t, ctx, "#today"); !strings.Contains(got, "Knee to chest") || !strings.Contains(got, "2 sets of 10, twice a day") || !strings.Contains(got, "Bridge") {
		t.Errorf("today's exercises = %.400q", got)
	}
	if n := count(`#ex-bridge img.drawing`); n != 1 {
		t.Errorf("the bridge has %d drawings", n)
	}
	notWider("the plan")
	screenshot(t, ctx, "plan_phone")
	before := count(`#chart-pain circle.point`)

	// Two exercises done, the first with how much it hurt.
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("pain-knee-to-chest"), "3")); err != nil {
		t.Fatal(err)
	}
	if resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("done-knee-to-chest"))); err != nil || resp.Status != 200 {
		t.Fatalf("done: %v %v", resp, err)
	}
	if got := text(t, ctx, "p.flash"); !strings.Contains(got, "Done: Knee to chest") {
		t.Errorf("status line = %q", got)
	}
	if got := text(t, ctx, "#ex-knee-to-chest .done-count"); got != "Done today: 1 of 2" {
		t.Errorf("knee to chest after one = %q", got)
	}
	if resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("done-bridge"))); err != nil || resp.Status != 200 {
		t.Fatalf("done: %v %v", resp, err)
	}
	if got := text(t, ctx, "#ex-bridge"); !strings.Contains(got, "All done for today") {
		t.Errorf("bridge after it is done = %.300q", got)
	}
	if got := text(t, ctx, "#week-done"); got != "2" {
		t.Errorf("this week's sessions done = %q", got)
	}

	// A pain score: the chart gains a point, ringed (7 → 4 is at least 2 points).
	err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.ID("pain-form")), chromedp.Click(chromedp.CSS(`label[for="pain-now-4"]`)))
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("save-pain"))); err != nil || resp.Status != 200 {
		t.Fatalf("save the pain score: %v %v", resp, err)
	}
	if after := count(`#chart-pain circle.point`); after != before+1 {
		t.Errorf("the chart has %d points after the score, %d before", after, before)
	}
	if n := count(`#chart-pain circle.mcid`); n != 1 {
		t.Errorf("%d changes ringed, want 1 (7 to 4)", n)
	}
	if got := text(t, ctx, "#changes-pain"); !strings.Contains(got, "3 points lower than the first score") {
		t.Errorf("the change in words = %q", got)
	}
	if got := text(t, ctx, "#table-pain"); !strings.Contains(got, "4") || !strings.Contains(got, "In clinic") {
		t.Errorf("the chart's table = %q", got)
	}
	notWider("the plan with the chart")
	screenshot(t, ctx, "plan_phone_after")
	for _, path := range []string{"/care-plans/" + f.planID + "/week", "/patients/" + f.patientID + "/outcomes"} {
		if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(app.URL+path)); err != nil {
			t.Fatal(err)
		}
		notWider(path)
	}
	screenshot(t, ctx, "outcomes_phone")

	// The practitioner sees the adherence.
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1100, 900)); err != nil {
		t.Fatal(err)
	}
	browserSignIn(t, ctx, app, "amira.shah@riverside.example")
	if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(app.URL+"/patients/"+f.patientID)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "#adherence-summary"); !strings.Contains(got, "this week so far: 2 of") {
		t.Errorf("adherence on the patient's record = %q", got)
	}
	if resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("open-plan"))); err != nil || resp.Status != 200 {
		t.Fatalf("open the plan: %v %v", resp, err)
	}
	got := text(t, ctx, "#adherence")
	if !strings.Contains(got, "2 of ") || !strings.Contains(got, "Knee to chest: 1/") || !strings.Contains(got, "Bridge: 1/") {
		t.Errorf("adherence on the plan = %q", got)
	}
	screenshot(t, ctx, "plan_practitioner")
}
