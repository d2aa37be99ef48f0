package web

import (
	"net/http"
	"strings"

	"backdesk"
)

type practitionerListPage struct {
	Layout
	Catalogue
	// Discipline narrows the list, as the "book" buttons of a result do.
	Discipline backdesk.Discipline
}

func (s *Server) pagePractitionerList(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCatalogue(r.Context(), true)
	if err != nil {
		return err
	}
	page := practitionerListPage{Layout: s.layout(r, "Our practitioners")}
	if d := backdesk.Discipline(r.URL.Query().Get("discipline")); d.Valid() {
		page.Discipline = d
		var keep []*backdesk.Practitioner
		for _, p := range c.Practitioners {
			if p.Discipline == d {
				keep = append(keep, p)
			}
		}
		c.Practitioners = keep
	}
	page.Catalogue = c
	return s.render(w, r, http.StatusOK, "practitioner_list", page)
}

type practitionerViewPage struct {
	Layout
	Catalogue
	Practitioner *backdesk.Practitioner
}

func (s *Server) pagePractitionerView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.svcs.Practitioners.FindPractitionerByID(r.Context(), id)
	if err != nil {
		return err
	}
	c, err := s.loadCatalogue(r.Context(), false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "practitioner_view", practitionerViewPage{Layout: s.layout(r, p.Name), Catalogue: c, Practitioner: p})
}

type practitionerEditPage struct {
	Layout
	Catalogue
	Practitioner *backdesk.Practitioner
	Form         practitionerForm
	Err          *backdesk.Error
}

// practitionerForm is the edit form as text, so a rejected form is shown
// back exactly as typed.
type practitionerForm struct {
	Name, Discipline, Qualifications, RegistrationBody, RegistrationNumber, Bio, Languages string
	Active                                                                                 bool
	Offers                                                                                 []string         // "serviceID:locationID"
	Hours                                                                                  map[int64]string // location id -> lines
}

func practitionerToForm(p *backdesk.Practitioner) practitionerForm {
	f := practitionerForm{Name: p.Name, Discipline: string(p.Discipline), Qualifications: strings.Join(p.Qualifications, "\n"),
		RegistrationBody: p.Registration.Body, RegistrationNumber: p.Registration.Number, Bio: p.Bio,
		Languages: strings.Join(p.Languages, ", "), Active: p.Active, Hours: map[int64]string{}}
	for _, o := range p.Offers {
		f.Offers = append(f.Offers, offerKey(o))
	}
	byLoc := map[int64][]backdesk.WorkingHours{}
	for _, h := range p.Hours {
		byLoc[h.LocationID] = append(byLoc[h.LocationID], h)
	}
	for lid, hs := range byLoc {
		var periods []weeklyPeriod
		for _, h := range hs {
			periods = append(periods, weeklyPeriod{h.Weekday, h.Starts, h.Ends})
		}
		f.Hours[lid] = formatWeekly(periods)
	}
	return f
}

func (s *Server) pagePractitionerEdit(w http.ResponseWriter, r *http.Request) error {
	if err := s.svcs.Access.Authorize(r.Context(), backdesk.PermEditCatalogue); err != nil {
		return err
	}
	c, err := s.loadCatalogue(r.Context(), false)
	if err != nil {
		return err
	}
	p := &backdesk.Practitioner{Active: true, Discipline: backdesk.DisciplinePhysiotherapist}
	title := "New practitioner"
	if r.PathValue("id") != "" {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if p, err = s.svcs.Practitioners.FindPractitionerByID(r.Context(), id); err != nil {
			return err
		}
		title = "Edit " + p.Name
	}
	return s.render(w, r, http.StatusOK, "practitioner_edit", practitionerEditPage{Layout: s.layout(r, title), Catalogue: c, Practitioner: p, Form: practitionerToForm(p)})
}

func (s *Server) pagePractitionerSave(w http.ResponseWriter, r *http.Request) error {
	pf, err := parseForm(r)
	if err != nil {
		return err
	}
	c, err := s.loadCatalogue(r.Context(), false)
	if err != nil {
		return err
	}
	f := practitionerForm{Name: pf.Get("name"), Discipline: pf.Get("discipline"), Qualifications: pf.Get("qualifications"),
		RegistrationBody: pf.Get("registration_body"), RegistrationNumber: pf.Get("registration_number"),
		Bio: pf.Get("bio"), Languages: pf.Get("languages"), Active: pf.Get("active") != "",
		Offers: pf.Values["offer"], Hours: map[int64]string{}}
	p := &backdesk.Practitioner{Name: strings.TrimSpace(f.Name), Discipline: backdesk.Discipline(f.Discipline), Qualifications: lines(f.Qualifications),
		Registration: backdesk.Registration{Body: strings.TrimSpace(f.RegistrationBody), Number: strings.TrimSpace(f.RegistrationNumber)},
		Bio:          strings.TrimSpace(f.Bio), Languages: commaList(f.Languages), Active: f.Active, Offers: []backdesk.Offer{}, Hours: []backdesk.WorkingHours{}}
	var formErr error
	for _, v := range f.Offers {
		o, err := parseOfferKey(v)
		if err != nil {
			formErr = err
			break
		}
		p.Offers = append(p.Offers, o)
	}
	for _, l := range c.Locations {
		text := pf.Get(hoursField(l.ID))
		f.Hours[l.ID] = text
		periods, err := parseWeekly(hoursField(l.ID), text)
		if err != nil && formErr == nil {
			formErr = err
		}
		for _, pd := range periods {
			p.Hours = append(p.Hours, backdesk.WorkingHours{LocationID: l.ID, Weekday: pd.Weekday, Starts: pd.From, Ends: pd.To})
		}
	}
	id := int64(0)
	if r.PathValue("id") != "" {
		if id, err = pathID(r, "id"); err != nil {
			return err
		}
	}
	if formErr == nil {
		if id == 0 {
			formErr = s.svcs.Practitioners.CreatePractitioner(r.Context(), p)
		} else {
			upd := backdesk.PractitionerUpdate{Name: &p.Name, Discipline: &p.Discipline, Qualifications: &p.Qualifications,
				Registration: &p.Registration, Bio: &p.Bio, Languages: &p.Languages, Active: &p.Active, Offers: &p.Offers, Hours: &p.Hours}
			var saved *backdesk.Practitioner
			if saved, formErr = s.svcs.Practitioners.UpdatePractitioner(r.Context(), id, upd); formErr == nil {
				p = saved
			}
		}
	}
	if formErr != nil {
		return s.rerender(w, r, formErr, "practitioner_edit", func(e *backdesk.Error) any {
			p.ID = id
			return practitionerEditPage{Layout: s.layout(r, "Edit practitioner"), Catalogue: c, Practitioner: p, Form: f, Err: e}
		})
	}
	msg := "Saved " + p.Name + "."
	if !p.Active && p.ID != 0 {
		// Not taking appointments stops new bookings only.
		_, n, err := s.svcs.Bookings.FindBookings(r.Context(), backdesk.BookingFilter{PractitionerID: p.ID, From: s.now(), Status: backdesk.BookingBooked, Page: backdesk.Page{Limit: 1}})
		if err != nil {
			return err
		}
		if n > 0 {
			msg += " " + p.Name + " no longer takes new appointments, but " + plural(n, "appointment is", "appointments are") +
				" still booked: move or cancel them from the diary (Appointments, filtered to " + p.Name + ")."
		}
	}
	s.redirect(w, r, "/admin", msg)
	return nil
}
