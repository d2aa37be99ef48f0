package main

import (
	"net/url"
	"strings"
	"testing"
)

// TestPractitionerStopsTakingAppointments: switching "taking appointments"
// off stops new bookings only; saving says how many are still booked.
func TestPractitionerStopsTakingAppointments(t *testing.T) {
	app := demoApp(t)
	admin, sam := app.Client(t), app.Client(t)
	admin.Login("admin@riverside.example")
	sam.Login("sam.taylor@example.org")
	bookFirstFree(t, sam, "2")
	form := url.Values{"name": {"Tom Gallagher"}, "discipline": {"physiotherapist"}, "registration_body": {"HCPC"}, "registration_number": {"PH118790"},
		"offer": {"1:1"}, "hours.1": {"tuesday 12:00-20:00"}} // no "active": not taking appointments
	status, _, h := admin.PostForm("/admin/practitioners/2", form)
	if status != 303 || !strings.Contains(admin.StatusLine(h), "1 appointment is still booked") {
		t.Errorf("switching off a practitioner with a booking = %d → %q", status, h.Get("Location"))
	}
	if free := slotsOf(t, sam, "service=1&practitioner=2&"+window(14)); len(free) != 0 {
		t.Errorf("%d times still offered with a practitioner not taking appointments", len(free))
	}
}
