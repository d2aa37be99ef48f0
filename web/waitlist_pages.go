package web

import (
	"net/http"

	"backdesk"
)

type waitlistPage struct {
	Layout
	Catalogue
	Entries []*backdesk.WaitlistEntry
	Offers  []*backdesk.WaitlistOffer
	Patient *backdesk.Patient // whom reception is adding
	// Me is a signed-in patient's own record, whose answer to email
	// decides how their offers reach them.
	Me   *backdesk.Patient
	Form waitlistForm
	Err  *backdesk.Error
}

type waitlistForm struct {
	Discipline, Practitioner, From, To, Earliest, Latest, ContactNote string
	Weekdays                                                          []string
}

// waitlistView is the page; patient, when reception or admin give one, is
// whom they are adding.
func (s *Server) waitlistView(r *http.Request, patient int64) (waitlistPage, error) {
	c, err := s.loadCatalogue(r.Context(), true)
	if err != nil {
		return waitlistPage{}, err
	}
	page := waitlistPage{Layout: s.layout(r, "Waitlist"), Catalogue: c,
		Form: waitlistForm{Discipline: r.URL.Query().Get("discipline"), Earliest: "08:00", Latest: "20:00",
			Weekdays: []string{"monday", "tuesday", "wednesday", "thursday", "friday"}}}
	if page.Entries, err = s.svcs.Waitlist.FindEntries(r.Context()); err != nil {
		return page, err
	}
	if page.Offers, err = s.svcs.Waitlist.FindOffers(r.Context()); err != nil {
		return page, err
	}
	if patient != 0 && page.Staff() { // whom the desk is adding; a patient's page is their own
		// A record the viewer may not see (a practitioner who does not
		// treat them) is left out, as if the link named nobody.
		if page.Patient, err = s.svcs.Patients.FindPatientByID(r.Context(), patient); backdesk.ErrorCode(err) == backdesk.CodeNotFound {
			page.Patient = nil
		} else if err != nil {
			return page, err
		}
	}
	if a := backdesk.ActorFromContext(r.Context()); a.PatientID != 0 {
		if page.Me, err = s.svcs.Patients.FindPatientByID(r.Context(), a.PatientID); err != nil {
			return page, err
		}
	}
	return page, nil
}

func (s *Server) pageWaitlist(w http.ResponseWriter, r *http.Request) error {
	patient, err := queryID(r, "patient")
	if err != nil {
		return err
	}
	page, err := s.waitlistView(r, patient)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "waitlist", page)
}

func (s *Server) pageWaitlistCreate(w http.ResponseWriter, r *http.Request) error {
	pf, err := parseForm(r)
	if err != nil {
		return err
	}
	f := waitlistForm{Discipline: pf.Get("discipline"), Practitioner: pf.Get("practitioner"), From: pf.Get("from"), To: pf.Get("to"),
		Earliest: pf.Get("earliest"), Latest: pf.Get("latest"), Weekdays: pf.Values["weekdays"], ContactNote: pf.Get("contact_note")}
	// patient_id: staff adding someone; a patient is always themselves.
	e := &backdesk.WaitlistEntry{Discipline: backdesk.Discipline(f.Discipline), PractitionerID: pf.ID("practitioner"), PatientID: pf.ID("patient_id"),
		From: pf.Date("from", "from must be a date"), To: pf.Date("to", "to must be a date"),
		Earliest: pf.Clock("earliest", "earliest must be a time such as 09:00"), Latest: pf.Clock("latest", "latest must be a time such as 17:00"),
		ContactNote: f.ContactNote}
	for _, d := range f.Weekdays {
		if wd, err := backdesk.ParseWeekday(d); err != nil {
			pf.problem("weekdays", "%v", err)
		} else {
			e.Weekdays = append(e.Weekdays, wd)
		}
	}
	if err = pf.Err(); err == nil {
		err = s.svcs.Waitlist.CreateEntry(r.Context(), e)
	} else {
		// Every problem at once: what could not be read, and what the
		// entry's own check says of the rest.
		var all backdesk.Problems
		all.AddError(err)
		all.AddError(e.Validate())
		err = all.Err()
	}
	if err != nil {
		if !formProblem(err) {
			return err
		}
		page, perr := s.waitlistView(r, pf.ID("patient_id"))
		if perr != nil {
			return perr
		}
		page.Form = f
		return s.rerender(w, r, err, "waitlist", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	if a := backdesk.ActorFromContext(r.Context()); e.PatientID != a.PatientID {
		msg := "Added to the waitlist."
		if p, err := s.svcs.Patients.FindPatientByID(r.Context(), e.PatientID); err == nil && p.Email == "" {
			msg = "Added to the waitlist. They have no email address, so offers cannot reach them: phone them when a time frees up."
		} else if err == nil && !p.TakesEmail() {
			msg = "Added to the waitlist. They have asked not to be emailed, so offers cannot reach them: phone them when a time frees up."
		}
		s.redirect(w, r, "/patients/"+itoa64(e.PatientID), msg)
		return nil
	}
	msg := "You are on the waitlist. We will email you when a time comes up."
	if me, err := s.svcs.Patients.FindPatientByID(r.Context(), e.PatientID); err == nil && me.Email == "" {
		msg = "You are on the waitlist. We have no email address for you, so when a time comes up it is offered on this page."
	} else if err == nil && !me.TakesEmail() {
		msg = "You are on the waitlist. You asked us not to email you, so when a time comes up it is offered on this page."
	}
	s.redirect(w, r, "/waitlist", msg)
	return nil
}

func (s *Server) pageWaitlistCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svcs.Waitlist.CancelEntry(r.Context(), id); err != nil {
		return err
	}
	s.redirect(w, r, "/waitlist", "Taken off the waitlist.")
	return nil
}

func (s *Server) pageWaitlistAccept(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.svcs.Waitlist.AcceptOffer(r.Context(), id)
	if err != nil {
		if backdesk.ErrorCode(err) != backdesk.CodeConflict {
			return err
		}
		s.redirect(w, r, "/waitlist", backdesk.ErrorMessage(err))
		return nil
	}
	s.redirect(w, r, "/appointments/"+itoa64(b.ID), "Booked from the waitlist.")
	return nil
}

func (s *Server) pageWaitlistDecline(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svcs.Waitlist.DeclineOffer(r.Context(), id); err != nil && backdesk.ErrorCode(err) != backdesk.CodeConflict {
		return err
	}
	http.Redirect(w, r, "/waitlist", http.StatusSeeOther)
	return nil
}
