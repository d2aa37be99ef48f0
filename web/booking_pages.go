package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"backdesk"
)

// bookDays is how many days of times one booking page shows.
const bookDays = 7

type bookPage struct {
	Layout
	Catalogue
	Discipline   backdesk.Discipline
	Services     []*backdesk.Offering
	Service      *backdesk.Offering
	Practitioner int64
	Days         []slotDay
	AssessmentID string
	From, Next   string // RFC 3339 window start, and the next window's
	Prev         string
	Err          *backdesk.Error
	Booking      *backdesk.Booking // when rescheduling
	Patient      *backdesk.Patient // whom reception is booking for
}

type slotDay struct {
	Date  time.Time
	Slots []backdesk.Slot
}

// disciplineFor maps a result's "book" entries to disciplines.
func disciplineFor(v string) backdesk.Discipline {
	switch v {
	case "physiotherapy":
		return backdesk.DisciplinePhysiotherapist
	case "massage":
		return backdesk.DisciplineMassageTherapist
	}
	return backdesk.Discipline(v)
}

// slotsPage fills a booking page's times for a service over bookDays.
func (s *Server) slotsPage(r *http.Request, page *bookPage) error {
	from := s.now()
	if v := r.URL.Query().Get("from"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return backdesk.FieldError("from", "from must be an RFC 3339 time")
		}
		from = t
	}
	to := from.Add(bookDays * 24 * time.Hour)
	slots, err := s.svcs.Availability.FindSlots(r.Context(), backdesk.AvailabilityQuery{ServiceID: page.Service.ID, PractitionerID: page.Practitioner, From: from, To: to})
	if err != nil {
		return err
	}
	for _, sl := range slots {
		// The day's heading: noon of the slot's local date (a midnight may
		// not exist where clocks change at midnight).
		d := time.Date(sl.Start.Year(), sl.Start.Month(), sl.Start.Day(), 12, 0, 0, 0, sl.Start.Location())
		if n := len(page.Days); n == 0 || !page.Days[n-1].Date.Equal(d) {
			page.Days = append(page.Days, slotDay{Date: d})
		}
		page.Days[len(page.Days)-1].Slots = append(page.Days[len(page.Days)-1].Slots, sl)
	}
	q := r.URL.Query()
	q.Set("from", to.UTC().Format(time.RFC3339))
	page.Next = r.URL.Path + "?" + q.Encode()
	if v := r.URL.Query().Get("from"); v != "" {
		q.Set("from", from.Add(-bookDays*24*time.Hour).UTC().Format(time.RFC3339))
		page.Prev = r.URL.Path + "?" + q.Encode()
	}
	return nil
}

// pageBook shows the free times of a discipline's service, the first-visit
// service unless one is chosen.
func (s *Server) pageBook(w http.ResponseWriter, r *http.Request) error {
	page, err := s.bookView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "book", page)
}

func (s *Server) bookView(r *http.Request) (bookPage, error) {
	c, err := s.loadCatalogue(r.Context(), true)
	if err != nil {
		return bookPage{}, err
	}
	q := r.URL.Query()
	page := bookPage{Layout: s.layout(r, "Book an appointment"), Catalogue: c, AssessmentID: q.Get("assessment")}
	serviceID, err := queryID(r, "service")
	if err != nil {
		return page, err
	}
	if page.Practitioner, err = queryID(r, "practitioner"); err != nil {
		return page, err
	}
	if patientID, err := queryID(r, "patient"); err != nil {
		return page, err
	} else if patientID != 0 && (page.Actor.Role == backdesk.RoleReception || page.Actor.Role == backdesk.RoleAdmin) {
		if page.Patient, err = s.svcs.Patients.FindPatientByID(r.Context(), patientID); err != nil {
			return page, err
		}
	}
	page.Discipline = disciplineFor(q.Get("discipline"))
	if serviceID != 0 {
		if page.Service = c.Offering(serviceID); page.Service == nil {
			return page, backdesk.Errorf(backdesk.CodeNotFound, "That service is not offered.")
		}
		page.Discipline = page.Service.Discipline
	}
	for _, o := range c.Offerings {
		if o.BookableOnline && (page.Discipline == "" || o.Discipline == page.Discipline) {
			page.Services = append(page.Services, o)
			if page.Service == nil && o.FirstVisit {
				page.Service = o
			}
		}
	}
	if page.Service == nil && len(page.Services) > 0 {
		page.Service = page.Services[0]
	}
	if page.Service != nil {
		if err := s.slotsPage(r, &page); err != nil {
			return page, err
		}
	}
	return page, nil
}

// pageBookCreate books the chosen time; a time that has just gone shows the
// times again with the message (409).
func (s *Server) pageBookCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return backdesk.Errorf(backdesk.CodeInvalid, "The form could not be read.")
	}
	f := r.PostForm
	req := backdesk.BookingRequest{}
	req.ServiceID, _ = strconv.ParseInt(f.Get("service_id"), 10, 64)
	req.PractitionerID, _ = strconv.ParseInt(f.Get("practitioner_id"), 10, 64)
	req.PatientID, _ = strconv.ParseInt(f.Get("patient_id"), 10, 64)
	req.Start, _ = time.Parse(time.RFC3339, f.Get("start"))
	req.IdempotencyKey = f.Get("idempotency_key")
	b, err := s.svcs.Bookings.CreateBooking(r.Context(), req)
	if err != nil {
		if !formProblem(err) {
			return err
		}
		r.URL.RawQuery = url.Values{"service": {f.Get("service_id")}, "assessment": {f.Get("assessment")}, "patient": {f.Get("patient_id")}}.Encode()
		page, perr := s.bookView(r)
		if perr != nil {
			return perr
		}
		return s.rerender(w, r, err, "book", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	msg := "Booked. We look forward to seeing you."
	if backdesk.ActorFromContext(r.Context()).PatientID != b.PatientID {
		msg = "Booked."
	}
	http.Redirect(w, r, "/appointments/"+itoa64(b.ID)+"?flash="+urlPart(msg), http.StatusSeeOther)
	return nil
}

type appointmentListPage struct {
	Layout
	Catalogue
	Upcoming, Past []*backdesk.Booking
	Practitioner   int64  // the diary's filter, for staff
	Date           string // YYYY-MM-DD
}

// pageAppointmentList is a patient's appointments, or the diary for staff:
// from today on, or one day (?date=) and one practitioner (?practitioner=).
func (s *Server) pageAppointmentList(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCatalogue(r.Context(), false)
	if err != nil {
		return err
	}
	page := appointmentListPage{Layout: s.layout(r, "Appointments"), Catalogue: c}
	f := backdesk.BookingFilter{Page: backdesk.Page{Limit: 500}}
	if page.Actor.IsStaff() {
		f.From = s.now().Add(-24 * time.Hour) // the clinic's diary from today
		q := r.URL.Query()
		if page.Practitioner, err = queryID(r, "practitioner"); err != nil {
			return err
		}
		f.PractitionerID = page.Practitioner
		if page.Date = q.Get("date"); page.Date != "" {
			d, err := backdesk.ParseDate(page.Date)
			if err != nil {
				return backdesk.FieldError("date", "date must be a date such as 2026-11-24")
			}
			// The day in the clinic's (first location's) time zone.
			var zone *backdesk.Location
			if len(c.Locations) > 0 {
				zone = c.Locations[0]
			}
			f.From, f.To = d.Start(zoneOf(zone)), d.AddDays(1).Start(zoneOf(zone))
		}
	}
	list, _, err := s.svcs.Bookings.FindBookings(r.Context(), f)
	if err != nil {
		return err
	}
	page.Upcoming, page.Past = splitBookings(list, s.now())
	return s.render(w, r, http.StatusOK, "appointment_list", page)
}

type appointmentViewPage struct {
	Layout
	Catalogue
	Booking *backdesk.Booking
	Patient *backdesk.Patient // for staff
	Late    bool              // cancelling now would be late
	Err     *backdesk.Error
}

func (s *Server) appointmentView(r *http.Request) (appointmentViewPage, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return appointmentViewPage{}, err
	}
	b, err := s.svcs.Bookings.FindBookingByID(r.Context(), id)
	if err != nil {
		return appointmentViewPage{}, err
	}
	c, err := s.loadCatalogue(r.Context(), false)
	if err != nil {
		return appointmentViewPage{}, err
	}
	page := appointmentViewPage{Layout: s.layout(r, "Your appointment"), Catalogue: c, Booking: b}
	if page.Actor.IsStaff() {
		page.Title = "Appointment"
		if p, err := s.svcs.Patients.FindPatientByID(r.Context(), b.PatientID); err == nil {
			page.Patient = p
		}
	}
	if l := c.Location(b.LocationID); l != nil {
		page.Late = b.Start.Sub(s.now()) < time.Duration(l.Policy.LateCancelHours)*time.Hour
	}
	return page, nil
}

func (s *Server) pageAppointmentView(w http.ResponseWriter, r *http.Request) error {
	page, err := s.appointmentView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "appointment_view", page)
}

func (s *Server) pageAppointmentCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return backdesk.Errorf(backdesk.CodeInvalid, "The form could not be read.")
	}
	if _, err := s.svcs.Bookings.CancelBooking(r.Context(), id, r.PostForm.Get("reason")); err != nil {
		if !formProblem(err) {
			return err
		}
		page, perr := s.appointmentView(r)
		if perr != nil {
			return perr
		}
		return s.rerender(w, r, err, "appointment_view", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	http.Redirect(w, r, "/appointments/"+itoa64(id)+"?flash="+urlPart("Your appointment is cancelled."), http.StatusSeeOther)
	return nil
}

// pageAppointmentReschedule shows free times for the same service.
func (s *Server) pageAppointmentReschedule(w http.ResponseWriter, r *http.Request) error {
	page, err := s.rescheduleView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "book", page)
}

func (s *Server) rescheduleView(r *http.Request) (bookPage, error) {
	av, err := s.appointmentView(r)
	if err != nil {
		return bookPage{}, err
	}
	page := bookPage{Layout: s.layout(r, "Change your appointment"), Catalogue: av.Catalogue, Booking: av.Booking,
		Service: av.Catalogue.Offering(av.Booking.ServiceID)}
	if page.Service == nil {
		return page, backdesk.Errorf(backdesk.CodeNotFound, "That service is no longer offered; please call the clinic.")
	}
	page.Discipline = page.Service.Discipline
	return page, s.slotsPage(r, &page)
}

func (s *Server) pageAppointmentRescheduleSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return backdesk.Errorf(backdesk.CodeInvalid, "The form could not be read.")
	}
	start, _ := time.Parse(time.RFC3339, r.PostForm.Get("start"))
	pid, _ := strconv.ParseInt(r.PostForm.Get("practitioner_id"), 10, 64)
	nb, err := s.svcs.Bookings.RescheduleBooking(r.Context(), id, start, pid)
	if err != nil {
		if !formProblem(err) {
			return err
		}
		page, perr := s.rescheduleView(r)
		if perr != nil {
			return perr
		}
		return s.rerender(w, r, err, "book", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	http.Redirect(w, r, "/appointments/"+itoa64(nb.ID)+"?flash="+urlPart("Your appointment has moved."), http.StatusSeeOther)
	return nil
}

// formProblem reports whether err is shown on the form (invalid input, or a
// time that has just gone) rather than as an error page or sign-in.
func formProblem(err error) bool {
	code := backdesk.ErrorCode(err)
	return code == backdesk.CodeInvalid || code == backdesk.CodeConflict
}
