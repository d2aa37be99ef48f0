package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"backdesk"
)

type locationListPage struct {
	Layout
	Locations []*backdesk.Location
}

func (s *Server) pageLocationList(w http.ResponseWriter, r *http.Request) error {
	ls, err := s.svcs.Locations.FindLocations(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "location_list", locationListPage{Layout: s.layout(r, "Where to find us"), Locations: ls})
}

type locationEditPage struct {
	Layout
	ID   int64
	Form locationForm
	Err  *backdesk.Error
}

type locationForm struct {
	Name, Line1, Line2, City, Region, Postcode, Phone, Email, TimeZone, Country, Hours, Closures string
	MapURL, Parking, Access                                                                      string
	// The booking rules, as typed.
	MinNoticeHours, HorizonDays, LateCancelHours, SlotStepMinutes, MaxFirstVisits string
}

// policyForm is p as the form shows it.
func policyForm(f *locationForm, p backdesk.BookingPolicy) {
	f.MinNoticeHours = formatHours(p.MinNoticeMinutes)
	f.HorizonDays, f.LateCancelHours = strconv.Itoa(p.HorizonDays), strconv.Itoa(p.LateCancelHours)
	f.SlotStepMinutes, f.MaxFirstVisits = strconv.Itoa(p.SlotStepMinutes), strconv.Itoa(p.MaxFirstVisits)
}

// formatHours writes minutes as hours, with a decimal when needed (1.5).
func formatHours(minutes int) string {
	if minutes%60 == 0 {
		return strconv.Itoa(minutes / 60)
	}
	return strconv.FormatFloat(float64(minutes)/60, 'f', -1, 64)
}

func (s *Server) pageLocationEdit(w http.ResponseWriter, r *http.Request) error {
	if err := s.svcs.Access.Authorize(r.Context(), backdesk.PermEditCatalogue); err != nil {
		return err
	}
	page := locationEditPage{Layout: s.layout(r, "New location"), Form: locationForm{TimeZone: "Europe/London", Country: "GB",
		Hours: "monday 08:00-19:00\ntuesday 08:00-19:00\nwednesday 08:00-19:00\nthursday 08:00-19:00\nfriday 08:00-18:00\n"}}
	policyForm(&page.Form, backdesk.DefaultBookingPolicy)
	if r.PathValue("id") != "" {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		l, err := s.svcs.Locations.FindLocationByID(r.Context(), id)
		if err != nil {
			return err
		}
		var periods []weeklyPeriod
		for _, h := range l.Hours {
			periods = append(periods, weeklyPeriod{h.Weekday, h.Opens, h.Closes})
		}
		a := l.Address
		page = locationEditPage{Layout: s.layout(r, "Edit "+l.Name), ID: l.ID, Form: locationForm{Name: l.Name, Line1: a.Line1, Line2: a.Line2,
			City: a.City, Region: a.Region, Postcode: a.Postcode, Phone: l.Phone, Email: l.Email, TimeZone: l.TimeZone, Country: l.Country,
			Hours: formatWeekly(periods), Closures: formatClosures(l.Closures), MapURL: l.MapURL, Parking: l.Parking, Access: l.Access}}
		policyForm(&page.Form, l.Policy)
	}
	return s.render(w, r, http.StatusOK, "location_edit", page)
}

func (s *Server) pageLocationSave(w http.ResponseWriter, r *http.Request) error {
	pf, err := parseForm(r)
	if err != nil {
		return err
	}
	f := locationForm{Name: pf.Get("name"), Line1: pf.Get("address.line1"), Line2: pf.Get("address.line2"), City: pf.Get("address.city"),
		Region: pf.Get("address.region"), Postcode: pf.Get("address.postcode"), Phone: pf.Get("phone"), Email: pf.Get("email"),
		TimeZone: strings.TrimSpace(pf.Get("time_zone")), Country: strings.ToUpper(strings.TrimSpace(pf.Get("country"))),
		Hours: pf.Get("opening_hours"), Closures: pf.Get("closures"),
		MapURL: strings.TrimSpace(pf.Get("map_url")), Parking: strings.TrimSpace(pf.Get("parking")), Access: strings.TrimSpace(pf.Get("access")),
		MinNoticeHours: pf.Get("booking_policy.min_notice_hours"), HorizonDays: pf.Get("booking_policy.horizon_days"),
		LateCancelHours: pf.Get("booking_policy.late_cancel_hours"), SlotStepMinutes: pf.Get("booking_policy.slot_step_minutes"),
		MaxFirstVisits: pf.Get("booking_policy.max_first_visits")}
	// A form without the booking rules (an older page, a script) leaves
	// them as they are.
	var setPolicy *backdesk.BookingPolicy
	if f.MinNoticeHours+f.HorizonDays+f.LateCancelHours+f.SlotStepMinutes+f.MaxFirstVisits != "" {
		policy := backdesk.BookingPolicy{HorizonDays: pf.Int("booking_policy.horizon_days"),
			LateCancelHours: pf.Int("booking_policy.late_cancel_hours"), SlotStepMinutes: pf.Int("booking_policy.slot_step_minutes"),
			MaxFirstVisits: pf.Int("booking_policy.max_first_visits")}
		if h, err := strconv.ParseFloat(strings.TrimSpace(f.MinNoticeHours), 64); err != nil || h != h || h < 0 || h > 14*24 {
			pf.problem("booking_policy.min_notice_minutes", "Give the minimum notice in hours, such as 2 or 0.5.")
		} else {
			policy.MinNoticeMinutes = int(h*60 + 0.5)
		}
		setPolicy = &policy
	}
	id := int64(0)
	if r.PathValue("id") != "" {
		if id, err = pathID(r, "id"); err != nil {
			return err
		}
	}
	l := &backdesk.Location{Name: strings.TrimSpace(f.Name), Phone: strings.TrimSpace(f.Phone), Email: strings.TrimSpace(f.Email),
		TimeZone: f.TimeZone, Country: f.Country, Hours: []backdesk.OpeningHours{}, MapURL: f.MapURL, Parking: f.Parking, Access: f.Access,
		Address: backdesk.Address{Line1: strings.TrimSpace(f.Line1), Line2: strings.TrimSpace(f.Line2), City: strings.TrimSpace(f.City),
			Region: strings.TrimSpace(f.Region), Postcode: strings.TrimSpace(f.Postcode)}}
	if setPolicy != nil {
		l.Policy = *setPolicy
	}
	err = func() error {
		if err := pf.Err(); err != nil {
			return err
		}
		periods, err := parseWeekly("opening_hours", f.Hours)
		if err != nil {
			return err
		}
		for _, p := range periods {
			l.Hours = append(l.Hours, backdesk.OpeningHours{Weekday: p.Weekday, Opens: p.From, Closes: p.To})
		}
		if l.Closures, err = parseClosures("closures", f.Closures); err != nil {
			return err
		}
		if id == 0 {
			return s.svcs.Locations.CreateLocation(r.Context(), l)
		}
		_, err = s.svcs.Locations.UpdateLocation(r.Context(), id, backdesk.LocationUpdate{Name: &l.Name, Address: &l.Address, Phone: &l.Phone,
			Email: &l.Email, TimeZone: &l.TimeZone, Country: &l.Country, Hours: &l.Hours, Closures: &l.Closures,
			MapURL: &l.MapURL, Parking: &l.Parking, Access: &l.Access, Policy: setPolicy})
		return err
	}()
	if err != nil {
		return s.rerender(w, r, err, "location_edit", func(e *backdesk.Error) any {
			return locationEditPage{Layout: s.layout(r, "Edit location"), ID: id, Form: f, Err: e}
		})
	}
	if id == 0 {
		id = l.ID
	}
	msg := "Saved " + l.Name + "."
	n, err := s.bookedInClosures(r.Context(), l, id)
	if err != nil {
		return err
	}
	if n > 0 {
		msg += " " + plural(n, "appointment is", "appointments are") + " still booked on its closed days: move or cancel them from the diary."
	}
	s.redirect(w, r, "/admin", msg)
	return nil
}

// bookedInClosures counts the live appointments at location id, from now
// on, that fall on its closed days (in its time zone): closing a day does
// not cancel what is booked on it.
func (s *Server) bookedInClosures(ctx context.Context, l *backdesk.Location, id int64) (int, error) {
	zone, now, n := zoneOf(l), s.now(), 0
	for _, c := range l.Closures {
		from, to := c.From.Start(zone), c.To.AddDays(1).Start(zone)
		if !to.After(now) {
			continue
		}
		if from.Before(now) {
			from = now
		}
		list, _, err := s.svcs.Bookings.FindBookings(ctx, backdesk.BookingFilter{From: from, To: to, Status: backdesk.BookingBooked, Page: backdesk.Page{Limit: 1000}})
		if err != nil {
			return 0, err
		}
		for _, b := range list {
			if b.LocationID == id {
				n++
			}
		}
	}
	return n, nil
}
