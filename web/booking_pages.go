package web

import (
	"net/http"
	"net/url"
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
	// ReferralID is the referral being booked (?referral=), and Referral
	// the referral itself once the visitor is signed in.
	ReferralID int64
	Referral   *backdesk.Referral
}

type slotDay struct {
	Date  time.Time
	Slots []backdesk.Slot
}

// disciplineFor reads the discipline of a booking link: a discipline, or a
// self-assessment result's "book" entry; anything else is refused (it was
// shown as the page's heading, "Book bogus", with no times).
func disciplineFor(v string) (backdesk.Discipline, error) {
	if d, ok := backdesk.BookDiscipline(v); ok {
		return d, nil
	}
	if d := backdesk.Discipline(v); v == "" || d.Valid() {
		return d, nil
	}
	return "", backdesk.FieldError("discipline", "discipline must be one of physiotherapist, sports_therapist or massage_therapist")
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
	} else if patientID != 0 && page.Staff() {
		// Whom the desk is booking for (the service shows a record only to
		// whoever may see it); a patient's booking page is their own.
		if page.Patient, err = s.svcs.Patients.FindPatientByID(r.Context(), patientID); err != nil {
			return page, err
		}
	}
	if page.ReferralID, err = queryID(r, "referral"); err != nil {
		return page, err
	}
	if page.Discipline, err = disciplineFor(q.Get("discipline")); err != nil {
		return page, err
	}
	if page.ReferralID != 0 && !page.Actor.Anonymous() {
		// The referral fixes the discipline; an anonymous visitor who
		// followed the emailed link signs in first.
		if page.Referral, err = s.svcs.Referrals.FindReferralByID(r.Context(), page.ReferralID); err != nil {
			return page, err
		}
		if page.Referral.External() {
			return page, backdesk.Errorf(backdesk.CodeNotFound, "A referral outside the clinic is not booked here.")
		}
		page.Discipline = page.Referral.ToDiscipline
		if page.Patient == nil && page.Referral.PatientID != page.Actor.PatientID {
			// The desk booking a referral: for its patient.
			if page.Patient, err = s.svcs.Patients.FindPatientByID(r.Context(), page.Referral.PatientID); err != nil {
				return page, err
			}
		}
	}
	if serviceID != 0 {
		if page.Service = c.Offering(serviceID); page.Service == nil {
			return page, backdesk.Errorf(backdesk.CodeNotFound, "That service is not offered.")
		}
		if page.Referral == nil {
			page.Discipline = page.Service.Discipline
		} else if page.Service.Discipline != page.Discipline {
			page.Service = nil // the referral's discipline decides
		}
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
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	req := backdesk.BookingRequest{ServiceID: f.ID("service_id"), PractitionerID: f.ID("practitioner_id"), PatientID: f.ID("patient_id"),
		Start: f.Time("start", time.RFC3339, time.UTC, "choose a time from the list"), IdempotencyKey: f.Get("idempotency_key"),
		ReferralID: f.ID("referral_id")}
	var b *backdesk.Booking
	if err = f.Err(); err == nil {
		b, err = s.svcs.Bookings.CreateBooking(r.Context(), req)
	}
	if err != nil {
		if !formProblem(err) {
			return err
		}
		r.URL.RawQuery = url.Values{"service": {f.Get("service_id")}, "assessment": {f.Get("assessment")}, "patient": {f.Get("patient_id")},
			"referral": {f.Get("referral_id")}}.Encode()
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
	if b.ReferralID != 0 {
		msg += " The referral is booked."
	}
	s.redirect(w, r, "/appointments/"+itoa64(b.ID), msg)
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
	if page.Staff() {
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
			// The day in the clinic's (main location's) time zone.
			zone := zoneOf(backdesk.MainLocation(c.Locations))
			f.From, f.To = d.Start(zone), d.AddDays(1).Start(zone)
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
	// Notes are the versions of the appointment's clinical note, for
	// staff (without their text for reception); NoteForm is the new note's.
	Notes    []*backdesk.ClinicalNote
	NoteForm backdesk.NoteText
	Referral *backdesk.Referral // the referral it was booked from
	Err      *backdesk.Error
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
	if page.Staff() {
		page.Title = "Appointment"
		if p, err := s.svcs.Patients.FindPatientByID(r.Context(), b.PatientID); err == nil {
			page.Patient = p
		}
	}
	if l := c.Location(b.LocationID); l != nil {
		page.Late = l.Policy.IsLate(b.Start, s.now())
	}
	if page.Staff() {
		if page.Notes, err = s.svcs.Notes.FindNotes(r.Context(), b.ID); err != nil {
			return page, err
		}
	}
	if b.ReferralID != 0 {
		if ref, err := s.svcs.Referrals.FindReferralByID(r.Context(), b.ReferralID); err == nil {
			page.Referral = ref
		} else if backdesk.ErrorCode(err) != backdesk.CodeNotFound {
			return page, err
		}
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
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	if _, err := s.svcs.Bookings.CancelBooking(r.Context(), id, f.Get("reason")); err != nil {
		if !formProblem(err) {
			return err
		}
		page, perr := s.appointmentView(r)
		if perr != nil {
			return perr
		}
		return s.rerender(w, r, err, "appointment_view", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	s.redirect(w, r, "/appointments/"+itoa64(id), "Your appointment is cancelled.")
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
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	start, pid := f.Time("start", time.RFC3339, time.UTC, "choose a time from the list"), f.ID("practitioner_id")
	var nb *backdesk.Booking
	if err = f.Err(); err == nil {
		nb, err = s.svcs.Bookings.RescheduleBooking(r.Context(), id, start, pid)
	}
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
	s.redirect(w, r, "/appointments/"+itoa64(nb.ID), "Your appointment has moved.")
	return nil
}

// formProblem reports whether err is shown on the form (invalid input, or a
// time that has just gone) rather than as an error page or sign-in.
func formProblem(err error) bool {
	code := backdesk.ErrorCode(err)
	return code == backdesk.CodeInvalid || code == backdesk.CodeConflict
}
