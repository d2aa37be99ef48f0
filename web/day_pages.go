package web

import (
	"net/http"

	"backdesk"
)

type dayPage struct {
	Layout
	Catalogue
	Day          *backdesk.PractitionerDay
	Practitioner int64 // the desk's choice
	// Adherence is each patient's home programme at a glance, by patient,
	// for those with a treatment plan.
	Adherence map[int64]*backdesk.AdherenceSummary
	// ToMove flags the appointments that need moving.
	ToMove map[int64]*backdesk.BookingToMove
	Err    *backdesk.Error
}

// pageDay is a practitioner's day (/today): their own, or for the desk
// the practitioner chosen (?practitioner=), on ?date= or today.
func (s *Server) pageDay(w http.ResponseWriter, r *http.Request) error {
	pid, d, err := dayQuery(r)
	if err != nil {
		return err
	}
	c, err := s.loadCatalogue(r.Context(), false)
	if err != nil {
		return err
	}
	page := dayPage{Layout: s.layout(r, "Today"), Catalogue: c, Practitioner: pid}
	page.Day, err = s.svcs.Day.FindDay(r.Context(), pid, d)
	if backdesk.ErrorField(err) == "practitioner" {
		// The desk has not chosen whose day yet: show the choice.
		page.Err = &backdesk.Error{Code: backdesk.CodeInvalid, Message: backdesk.ErrorMessage(err)}
		return s.render(w, r, http.StatusOK, "day", page)
	} else if err != nil {
		return err
	}
	if p := c.Practitioner(page.Day.PractitionerID); p != nil {
		page.Title = "The day of " + p.Name
	}
	if page.ToMove, err = s.toMove(r, page.Day.PractitionerID); err != nil {
		return err
	}
	page.Adherence = map[int64]*backdesk.AdherenceSummary{}
	for _, a := range page.Day.Appointments {
		id := a.Booking.PatientID
		if _, done := page.Adherence[id]; done {
			continue
		}
		sum, err := s.svcs.CarePlans.AdherenceSummary(r.Context(), id)
		if err != nil && backdesk.ErrorCode(err) != backdesk.CodeNotFound {
			return err
		}
		page.Adherence[id] = sum // nil: no plan
	}
	return s.render(w, r, http.StatusOK, "day", page)
}
