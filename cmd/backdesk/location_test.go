package main

import (
	"net/url"
	"strings"
	"testing"
)

// TestClosureOverABookedDay: closing a day does not cancel what is booked
// on it; saving the closure says how many appointments reception must move.
func TestClosureOverABookedDay(t *testing.T) {
	app := demoApp(t)
	admin, sam := app.Client(t), app.Client(t)
	admin.Login("admin@riverside.example")
	sam.Login("sam.taylor@example.org")
	booked := bookFirstFree(t, sam, "1")
	day := booked.Start.In(london(t)).Format("2006-01-02")
	form := url.Values{"name": {"Riverside Back Clinic"}, "address.line1": {"12 Mill Lane"}, "address.city": {"Bristol"}, "phone": {"+44 117 496 0123"},
		"time_zone": {"Europe/London"}, "country": {"GB"}, "opening_hours": {"monday 08:00-20:00\ntuesday 08:00-20:00\nwednesday 08:00-20:00\nthursday 08:00-20:00\nfriday 08:00-20:00\nsaturday 09:00-13:00"},
		"closures": {day + " to " + day + " Staff training"}}
	status, _, h := admin.PostForm("/admin/locations/1", form)
	if status != 303 || !strings.Contains(admin.StatusLine(h), "1 appointment is still booked on its closed days") {
		t.Errorf("saving a closure over a booked day = %d → %q", status, h.Get("Location"))
	}
	if free := slotsOf(t, sam, "service=1&practitioner=1&"+window(14)); len(free) > 0 && free[0].Start.In(london(t)).Format("2006-01-02") == day {
		t.Errorf("times still offered on the closed day %s", day)
	}
	form.Set("closures", "")
	if status, _, h := admin.PostForm("/admin/locations/1", form); status != 303 || strings.Contains(admin.StatusLine(h), "still booked") {
		t.Errorf("saving without closures = %d → %q", status, h.Get("Location"))
	}
}
