package web

import (
	"net/http"
	"strconv"
	"strings"

	"backdesk"
)

type waitlistPage struct {
	Layout
	Catalogue
	Entries []*backdesk.WaitlistEntry
	Offers  []*backdesk.WaitlistOffer
	Patient *backdesk.Patient // whom reception is adding
	Form    waitlistForm
	Err     *backdesk.Error
}

type waitlistForm struct {
	Discipline, Practitioner, From, To, Earliest, Latest string
	Weekdays                                             []string
}

// waitlistView is the page; patient, when reception or admin give one, is
// whom they are adding.
func (s *Server) waitlistView(r *http.Request, patient string) (waitlistPage, error) {
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
	if id, _ := strconv.ParseInt(patient, 10, 64); id != 0 && (page.Actor.Role == backdesk.RoleReception || page.Actor.Role == backdesk.RoleAdmin) {
		if page.Patient, err = s.svcs.Patients.FindPatientByID(r.Context(), id); err != nil {
			return page, err
		}
	}

	return page, nil
}

func (s *Server) pageWaitlist(w http.ResponseWriter, r *http.Request) error {
	page, err := s.waitlistView(r, r.URL.Query().Get("patient"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "waitlist", page)
}

func (s *Server) pageWaitlistCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return backdesk.Errorf(backdesk.CodeInvalid, "The form could not be read.")
	}
	pf := r.PostForm
	f := waitlistForm{Discipline: pf.Get("discipline"), Practitioner: pf.Get("practitioner"), From: pf.Get("from"), To: pf.Get("to"),
		Earliest: pf.Get("earliest"), Latest: pf.Get("latest"), Weekdays: pf["weekdays"]}
	e := &backdesk.WaitlistEntry{Discipline: backdesk.Discipline(f.Discipline)}
	err := func() error {
		var err error
		e.PractitionerID, _ = strconv.ParseInt(f.Practitioner, 10, 64)
		e.PatientID, _ = strconv.ParseInt(pf.Get("patient_id"), 10, 64) // staff adding someone; a patient is always themselves
		if e.From, err = backdesk.ParseDate(f.From); err != nil {
			return backdesk.FieldError("from", "from must be a date")
		}
		if e.To, err = backdesk.ParseDate(f.To); err != nil {
			return backdesk.FieldError("to", "to must be a date")
		}
		if e.Earliest, err = backdesk.ParseClockTime(strings.TrimSpace(f.Earliest)); err != nil {
			return backdesk.FieldError("earliest", "earliest must be a time such as 09:00")
		}
		if e.Latest, err = backdesk.ParseClockTime(strings.TrimSpace(f.Latest)); err != nil {
			return backdesk.FieldError("latest", "latest must be a time such as 17:00")
		}
		for _, d := range f.Weekdays {
			wd, err := backdesk.ParseWeekday(d)
			if err != nil {
				return backdesk.FieldError("weekdays", "%v", err)
			}
			e.Weekdays = append(e.Weekdays, wd)
		}
		return s.svcs.Waitlist.CreateEntry(r.Context(), e)
	}()
	if err != nil {
		if !formProblem(err) {
			return err
		}
		page, perr := s.waitlistView(r, pf.Get("patient_id"))
		if perr != nil {
			return perr
		}
		page.Form = f
		return s.rerender(w, r, err, "waitlist", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	if a := backdesk.ActorFromContext(r.Context()); a.Role != backdesk.RolePatient {
		http.Redirect(w, r, "/patients/"+itoa64(e.PatientID)+"?flash="+urlPart("Added to the waitlist."), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/waitlist?flash="+urlPart("You are on the waitlist. We will email you when a time comes up."), http.StatusSeeOther)
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
	http.Redirect(w, r, "/waitlist?flash="+urlPart("Taken off the waitlist."), http.StatusSeeOther)
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
		http.Redirect(w, r, "/waitlist?flash="+urlPart(backdesk.ErrorMessage(err)), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/appointments/"+itoa64(b.ID)+"?flash="+urlPart("Booked from the waitlist."), http.StatusSeeOther)
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
