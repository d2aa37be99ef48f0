package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"backdesk"
)

// bookWindow is how far ahead one booking page looks for the next day
// with free times.
const bookWindow = 14 * 24 * time.Hour

// The booking path: /book shows one day of free times at a time, with a
// date picker; a time leads to /book/review, which says what is booked,
// when, where, for how much and what cancelling costs, and has "Confirm
// booking" (POST /book). Signed out, the review page offers sign-in and
// registration that come back to it, with the choice and the
// self-assessment it came from.

type bookPage struct {
	Layout
	Catalogue
	Discipline   backdesk.Discipline
	Services     []*backdesk.Offering
	Service      *backdesk.Offering
	Practitioner int64
	Patient      *backdesk.Patient // whom reception is booking for
	// Assessment is the self-assessment the booking comes from, if the
	// link carries one the visitor may see.
	Assessment   *backdesk.Assessment
	AssessmentID string
	// RedFlags are the assessment's red flags in the patient's words, for
	// the desk.
	RedFlags    []string
	Day         *slotDay // the day shown; nil when no day in the window has times
	Date        string   // YYYY-MM-DD: the day asked for
	Today, Last string   // the date picker's bounds
	Prev, Next  string   // links to the day before and the next day with times
	NextLabel   string
	Later       string // the first day after the window, when nothing was free in it
	// NotOffered explains that the practitioner asked for does not offer
	// the service chosen, and that the times are everyone's who does.
	NotOffered string
	Booking    *backdesk.Booking // when rescheduling
	// ToMove says why the appointment being moved must move (staff).
	ToMove *backdesk.BookingToMove
	Move   *backdesk.Slot // the time chosen to move to, to confirm
	// ReferralID is the referral being booked (?referral=), and Referral
	// the referral itself once the visitor is signed in.
	ReferralID int64
	Referral   *backdesk.Referral
	Err        *backdesk.Error
}

// Recommended reports whether the self-assessment the page comes from
// recommends booking the page's discipline.
func (p bookPage) Recommended() bool {
	if p.Assessment == nil || p.Assessment.Result.Disposition.NeedsDoctor() {
		return false
	}
	for _, b := range p.Assessment.Result.Book {
		if d, ok := backdesk.BookDiscipline(b); ok && d == p.Discipline {
			return true
		}
	}
	return false
}

// DoctorFirst reports whether the self-assessment says to see a doctor
// before anything is booked.
func (p bookPage) DoctorFirst() bool {
	return p.Assessment != nil && p.Assessment.Result.Disposition.NeedsDoctor()
}

// MassageNotSafe reports whether the page books massage for someone whose
// self-assessment says massage is not safe yet.
func (p bookPage) MassageNotSafe() bool {
	return p.Assessment != nil && p.Discipline == backdesk.DisciplineMassageTherapist &&
		p.Assessment.Result.Massage.Suitable != backdesk.MassageYes
}

type slotDay struct {
	Date   time.Time
	Groups []slotGroup
	Count  int
}

// slotGroup is one practitioner's free times of a day, by part of the day.
type slotGroup struct {
	Practitioner *backdesk.Practitioner
	Periods      []slotPeriod
}

type slotPeriod struct {
	Name  string // Morning, Afternoon, Evening
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

// slotsPage fills a booking page with one day of free times: the day asked
// for (?date=, today by default), or the next day with times in the
// fortnight after it.
func (s *Server) slotsPage(r *http.Request, page *bookPage) error {
	zone := zoneOf(backdesk.MainLocation(page.Locations))
	now := s.now().In(zone)
	today := backdesk.DateOf(now)
	day := today
	if v := r.URL.Query().Get("date"); v != "" {
		d, err := backdesk.ParseDate(v)
		if err != nil {
			return backdesk.FieldError("date", "Choose a date, such as %s.", today)
		}
		if !d.Before(today) {
			day = d
		}
	}
	page.Date, page.Today = day.String(), today.String()
	if l := backdesk.MainLocation(page.Locations); l != nil {
		page.Last = today.AddDays(l.Policy.HorizonDays).String()
	}
	from := day.Start(zone)
	if from.Before(s.now()) {
		from = s.now()
	}
	to := day.Start(zone).Add(bookWindow)
	slots, err := s.svcs.Availability.FindSlots(r.Context(), backdesk.AvailabilityQuery{ServiceID: page.Service.ID, PractitionerID: page.Practitioner, From: from, To: to})
	if err != nil {
		return err
	}
	q := r.URL.Query()
	link := func(d backdesk.Date) string {
		q.Set("date", d.String())
		q.Del("start")
		return r.URL.Path + "?" + q.Encode()
	}
	var shown backdesk.Date
	for _, sl := range slots {
		d := backdesk.DateOf(sl.Start.In(zone))
		if page.Day == nil {
			shown = d
			page.Day = &slotDay{Date: time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, zone)}
		}
		if d != shown {
			page.Next, page.NextLabel = link(d), page.Locale.Day(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, zone))
			break
		}
		page.Day.add(sl, page.Catalogue)
	}
	if page.Day == nil {
		page.Later = link(backdesk.DateOf(to.In(zone)))
	}
	if today.Before(day) {
		page.Prev = link(day.AddDays(-1))
	}
	return nil
}

// add puts a slot under its practitioner and part of the day.
func (d *slotDay) add(sl backdesk.Slot, c Catalogue) {
	d.Count++
	var g *slotGroup
	for i := range d.Groups {
		if d.Groups[i].Practitioner.ID == sl.PractitionerID {
			g = &d.Groups[i]
		}
	}
	if g == nil {
		p := c.Practitioner(sl.PractitionerID)
		if p == nil {
			p = &backdesk.Practitioner{ID: sl.PractitionerID, Name: "A practitioner"}
		}
		d.Groups = append(d.Groups, slotGroup{Practitioner: p})
		g = &d.Groups[len(d.Groups)-1]
	}
	name := "Morning"
	switch h := sl.Start.Hour(); {
	case h >= 17:
		name = "Evening"
	case h >= 12:
		name = "Afternoon"
	}
	if n := len(g.Periods); n == 0 || g.Periods[n-1].Name != name {
		g.Periods = append(g.Periods, slotPeriod{Name: name})
	}
	g.Periods[len(g.Periods)-1].Slots = append(g.Periods[len(g.Periods)-1].Slots, sl)
}

// pageBook shows one day of free times of a discipline's service, the
// first-visit service unless one is chosen.
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
	page := bookPage{Layout: s.layout(r, "Book an appointment"), Catalogue: c}
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
	if id := q.Get("assessment"); id != "" {
		// The result the link carries, if the visitor may see it; one they
		// may not is left out, as if the link carried none.
		if a, err := s.svcs.Assessments.FindAssessmentByID(r.Context(), id); err == nil {
			page.Assessment, page.AssessmentID = a, a.ID
			page.RedFlags = s.summarise(r, a).RedFlags
		} else if backdesk.ErrorCode(err) != backdesk.CodeNotFound {
			return page, err
		}
	}
	if page.Discipline, err = disciplineFor(q.Get("discipline")); err != nil {
		return page, err
	}
	if page.Practitioner != 0 && page.Discipline == "" {
		if p := c.Practitioner(page.Practitioner); p != nil {
			page.Discipline = p.Discipline
		}
	}
	if page.ReferralID, err = queryID(r, "referral"); err != nil {
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
	// Without a service chosen, the first visit of the discipline that the
	// chosen practitioner offers, else any service they offer.
	withPractitioner := func(o *backdesk.Offering) bool {
		return page.Practitioner == 0 || c.Offers(page.Practitioner, o.ID)
	}
	for _, o := range c.Offerings {
		if o.BookableOnline && (page.Discipline == "" || o.Discipline == page.Discipline) {
			page.Services = append(page.Services, o)
			if page.Service == nil && o.FirstVisit && withPractitioner(o) {
				page.Service = o
			}
		}
	}
	for _, o := range page.Services {
		if page.Service == nil && withPractitioner(o) {
			page.Service = o
		}
	}
	if page.Service == nil && len(page.Services) > 0 {
		page.Service = page.Services[0]
	}
	// The service and the practitioner always agree: a practitioner who
	// does not offer the service chosen (the service was changed with the
	// old practitioner still chosen) gives way to everyone who does, and
	// the page says so, instead of "no free times".
	if page.Service != nil && page.Practitioner != 0 && !c.Offers(page.Practitioner, page.Service.ID) {
		if p := c.Practitioner(page.Practitioner); p != nil {
			page.NotOffered = p.Name + " does not offer " + page.Service.Name + ", so these are the times of everyone who does."
		}
		page.Practitioner = 0
	}
	if page.Service != nil {
		if err := s.slotsPage(r, &page); err != nil {
			return page, err
		}
	}
	return page, nil
}

type bookReviewPage struct {
	Layout
	Review *backdesk.BookingReview
	// Times links back to the times of the same day, to choose another.
	Times string
	// Key makes a second tap on "Confirm booking" the same booking.
	Key string
	// LateNow says the time is already inside the late-cancellation
	// window: cancelling it at all would be late.
	LateNow bool
	// RedFlags are the assessment's red flags in the patient's words.
	RedFlags []string
	// Referral is the referral being booked, once the visitor may see it,
	// and From the practitioner who made it.
	Referral *backdesk.Referral
	From     *backdesk.Practitioner
	Err      *backdesk.Error
}

// reviewRequest reads a chosen time from a review link or the confirm
// form.
func reviewRequest(get func(string) string, f *form) backdesk.BookingRequest {
	return backdesk.BookingRequest{ServiceID: f.ID("service_id"), PractitionerID: f.ID("practitioner_id"), PatientID: f.ID("patient_id"),
		Start:        f.Time("start", time.RFC3339, time.UTC, "Choose a time from the list."),
		AssessmentID: get("assessment"), IdempotencyKey: get("idempotency_key"), ReferralID: f.ID("referral_id")}
}

// pageBookReview shows what tapping a time would book, with "Confirm
// booking"; a time that has just gone says so and leads back to the times;
// a self-assessment that says to see a doctor first is refused with its
// advice.
func (s *Server) pageBookReview(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := &form{Values: url.Values{"service_id": {q.Get("service")}, "practitioner_id": {q.Get("practitioner")},
		"patient_id": {q.Get("patient")}, "start": {q.Get("start")}, "referral_id": {q.Get("referral")}}}
	req := reviewRequest(q.Get, f)
	if err := f.Err(); err != nil {
		return err
	}
	return s.renderReview(w, r, req, http.StatusOK, nil)
}

// renderReview renders the review of req, with err from a confirmation
// that failed.
func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, req backdesk.BookingRequest, status int, failed *backdesk.Error) error {
	page := bookReviewPage{Layout: s.layout(r, "Check and confirm your booking"), Err: failed, Key: req.IdempotencyKey}
	page.Layout.NoIndex = true
	times := url.Values{"service": {itoa64(req.ServiceID)}}
	if req.AssessmentID != "" {
		times.Set("assessment", req.AssessmentID)
	}
	if req.PatientID != 0 {
		times.Set("patient", itoa64(req.PatientID))
	}
	if req.ReferralID != 0 {
		times.Set("referral", itoa64(req.ReferralID))
	}
	if !req.Start.IsZero() {
		times.Set("date", backdesk.DateOf(req.Start.In(zoneOf(nil))).String())
	}
	rv, err := s.svcs.Bookings.ReviewBooking(r.Context(), req)
	if err != nil {
		if refused(err) {
			return s.renderRefused(w, r, req.AssessmentID, err)
		}
		var e *backdesk.Error
		if !errors.As(err, &e) || !formProblem(err) {
			return err
		}
		// The time has gone (or the request was bad): say so, and lead
		// back to the times.
		if status == http.StatusOK {
			status = statusOf(e.Code)
			if e.Code == backdesk.CodeConflict {
				status = http.StatusConflict
			}
		}
		page.Err, page.Times = e, "/book?"+times.Encode()
		return s.render(w, r, status, "book_review", page)
	}
	page.Review = rv
	if req.ReferralID != 0 && !page.Actor.Anonymous() {
		if page.Referral, err = s.svcs.Referrals.FindReferralByID(r.Context(), req.ReferralID); err != nil {
			return err
		}
		if p, err := s.svcs.Practitioners.FindPractitionerByID(r.Context(), page.Referral.FromPractitionerID); err == nil {
			page.From = p
		}
	}
	if rv.Assessment != nil {
		page.RedFlags = s.summarise(r, rv.Assessment).RedFlags
	}
	if l := rv.Location; l != nil {
		times.Set("date", backdesk.DateOf(inZone(rv.Slot.Start, l)).String())
		page.LateNow = l.Policy.IsLate(rv.Slot.Start, s.now())
	}
	page.Times = "/book?" + times.Encode()
	if page.Key == "" {
		page.Key = newKey()
	}
	return s.render(w, r, status, "book_review", page)
}

// refused reports whether err is clinic's refusal to book from a
// self-assessment (it says to see a doctor first): about the assessment,
// and not a mistake in the request.
func refused(err error) bool {
	return backdesk.ErrorField(err) == "assessment_id" && !formProblem(err) && backdesk.ErrorCode(err) != backdesk.CodeInternal
}

type bookRefusedPage struct {
	Layout
	Message    string
	Numbers    []string
	Assessment string // its id, to go back to the result
}

// renderRefused answers a booking from a self-assessment that says to see
// a doctor first: its advice, the numbers to call, and nothing to book
// (403).
func (s *Server) renderRefused(w http.ResponseWriter, r *http.Request, assessmentID string, err error) error {
	page := bookRefusedPage{Layout: s.layout(r, "See a doctor first"), Message: backdesk.ErrorMessage(err)}
	page.Layout.NoIndex = true
	page.Numbers = page.Locale.EmergencyNumbers
	if a, err := s.svcs.Assessments.FindAssessmentByID(r.Context(), assessmentID); err == nil {
		page.Assessment = a.ID
		if a.Result.Emergency != nil {
			page.Numbers = a.Result.Emergency.Numbers
		}
	}
	return s.render(w, r, http.StatusForbidden, "book_refused", page)
}

// newKey is an idempotency key for one confirmation form.
func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// pageBookCreate books the reviewed time. A time that has just gone shows
// the review again with the message (409); a missing patient number for
// the desk, 422; a self-assessment that says to see a doctor first, its
// advice (403).
func (s *Server) pageBookCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	req := reviewRequest(f.Get, f)
	var b *backdesk.Booking
	if err = f.Err(); err == nil {
		b, err = s.svcs.Bookings.CreateBooking(r.Context(), req)
	}
	if err != nil {
		if refused(err) {
			return s.renderRefused(w, r, req.AssessmentID, err)
		}
		if !formProblem(err) {
			return err
		}
		var e *backdesk.Error
		errors.As(err, &e)
		status := http.StatusUnprocessableEntity
		if e.Code == backdesk.CodeConflict {
			status = http.StatusConflict
		}
		return s.renderReview(w, r, req, status, e)
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
	Upcoming, Past, Cancelled []*backdesk.Booking
	Practitioner              int64  // the diary's filter, for staff
	Date                      string // YYYY-MM-DD
	// ToMove flags, by booking, the appointments that need moving (staff).
	ToMove map[int64]*backdesk.BookingToMove
}

// pageAppointmentList is a patient's appointments, or the diary for staff:
// from today on, or one day (?date=) and one practitioner (?practitioner=);
// coming, past and cancelled (or moved) apart.
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
	var live []*backdesk.Booking
	for _, b := range list {
		if b.Status == backdesk.BookingCancelled {
			page.Cancelled = append([]*backdesk.Booking{b}, page.Cancelled...)
		} else {
			live = append(live, b)
		}
	}
	page.Upcoming, page.Past = splitBookings(live, s.now())
	if page.Staff() {
		if page.ToMove, err = s.toMove(r, page.Practitioner); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "appointment_list", page)
}

// toMove is the appointments that need moving from now on, by booking:
// the clinic's for the desk (of practitioner, when not 0), a
// practitioner's own.
func (s *Server) toMove(r *http.Request, practitioner int64) (map[int64]*backdesk.BookingToMove, error) {
	list, err := s.svcs.Bookings.FindBookingsToMove(r.Context(), backdesk.MoveFilter{From: s.now(), PractitionerID: practitioner})
	if err != nil {
		return nil, err
	}
	out := map[int64]*backdesk.BookingToMove{}
	for _, m := range list {
		out[m.Booking.ID] = m
	}
	return out, nil
}

type toMovePage struct {
	Layout
	Catalogue
	List []*backdesk.BookingToMove
}

// pageToMove is the "needs moving" list: the appointments that can no
// longer go ahead as booked, until each is moved or cancelled.
func (s *Server) pageToMove(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCatalogue(r.Context(), false)
	if err != nil {
		return err
	}
	page := toMovePage{Layout: s.layout(r, "Appointments to move"), Catalogue: c}
	if page.List, err = s.svcs.Bookings.FindBookingsToMove(r.Context(), backdesk.MoveFilter{From: s.now()}); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "appointment_to_move", page)
}

type appointmentViewPage struct {
	Layout
	Catalogue
	Booking *backdesk.Booking
	Patient *backdesk.Patient // for staff
	Late    bool              // cancelling now would be late
	// For the practitioner and reception: the patient's latest
	// self-assessment, and the health questions answered for this visit.
	Assessment *assessmentSummary
	Intake     *backdesk.Intake
	IntakeView *intakeSummary
	// FirstVisit says whether this is a first visit (health questions are
	// asked before it).
	FirstVisit bool
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
	ctx := r.Context()
	b, err := s.svcs.Bookings.FindBookingByID(ctx, id)
	if err != nil {
		return appointmentViewPage{}, err
	}
	c, err := s.loadCatalogue(ctx, false)
	if err != nil {
		return appointmentViewPage{}, err
	}
	page := appointmentViewPage{Layout: s.layout(r, "Your appointment"), Catalogue: c, Booking: b}
	if o := c.Offering(b.ServiceID); o != nil {
		page.FirstVisit = o.FirstVisit
	}
	if in, err := s.svcs.Intakes.FindIntake(ctx, b.ID); err == nil {
		page.Intake = in
		page.IntakeView = s.intakeSummary(r, in)
	} else if backdesk.ErrorCode(err) != backdesk.CodeNotFound {
		return page, err
	}
	if page.Staff() {
		page.Title = "Appointment"
		if p, err := s.svcs.Patients.FindPatientByID(ctx, b.PatientID); err == nil {
			page.Patient = p
		}
		list, _, err := s.svcs.Assessments.FindAssessments(ctx, backdesk.AssessmentFilter{PatientID: b.PatientID, Page: backdesk.Page{Limit: 1}})
		if err != nil && backdesk.ErrorCode(err) != backdesk.CodeNotFound {
			return page, err
		}
		if len(list) > 0 {
			page.Assessment = s.summarise(r, list[0])
		} else if b.AssessmentID != "" {
			if a, err := s.svcs.Assessments.FindAssessmentByID(ctx, b.AssessmentID); err == nil {
				page.Assessment = s.summarise(r, a)
			}
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

// pageAppointmentCancelConfirm asks before cancelling: what is cancelled,
// whether it counts as late, and a reason.
func (s *Server) pageAppointmentCancelConfirm(w http.ResponseWriter, r *http.Request) error {
	page, err := s.appointmentView(r)
	if err != nil {
		return err
	}
	if !page.Staff() && page.Booking.CheckedIn() {
		return backdesk.ErrCheckedIn // the form would only be refused
	}
	page.Title = "Cancel your appointment?"
	return s.render(w, r, http.StatusOK, "appointment_cancel", page)
}

// pageAppointmentCancel cancels once confirmed (the confirmation page's
// button sends confirm=yes); without it, it asks first.
func (s *Server) pageAppointmentCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	if f.Get("confirm") != "yes" {
		return s.pageAppointmentCancelConfirm(w, r)
	}
	if _, err := s.svcs.Bookings.CancelBooking(r.Context(), id, f.Get("reason")); err != nil {
		if !formProblem(err) {
			return err
		}
		page, perr := s.appointmentView(r)
		if perr != nil {
			return perr
		}
		return s.rerender(w, r, err, "appointment_cancel", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	s.redirect(w, r, "/appointments/"+itoa64(id), "Your appointment is cancelled.")
	return nil
}

// pageAppointmentReschedule shows free times for the same service, a day
// at a time; a chosen time (?start=&practitioner=) is shown to confirm.
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
	if !page.Staff() && av.Booking.CheckedIn() {
		return page, backdesk.ErrCheckedIn // the times would only be refused
	}
	if page.Staff() {
		moves, err := s.toMove(r, 0)
		if err != nil {
			return page, err
		}
		page.ToMove = moves[av.Booking.ID]
	}
	if page.Service == nil {
		return page, backdesk.Errorf(backdesk.CodeNotFound, "That service is no longer offered; please call the clinic.")
	}
	page.Discipline = page.Service.Discipline
	q := r.URL.Query()
	// The times shown are the same practitioner's, as a patient changing
	// a time expects, while they take this service; "With: Anyone"
	// (practitioner=) shows everyone's.
	if q.Has("practitioner") {
		if page.Practitioner, err = queryID(r, "practitioner"); err != nil {
			return page, err
		}
	} else {
		page.Practitioner = av.Booking.PractitionerID
	}
	if p := page.Catalogue.Practitioner(page.Practitioner); p == nil || !p.Active || !page.Catalogue.Offers(p.ID, page.Service.ID) {
		page.Practitioner = 0
	}
	if v := q.Get("start"); v != "" {
		start, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return page, backdesk.FieldError("start", "Choose a time from the list.")
		}
		pid, err := queryID(r, "practitioner")
		if err != nil {
			return page, err
		}
		if pid == 0 {
			pid = av.Booking.PractitionerID
		}
		page.Move = &backdesk.Slot{Start: start, PractitionerID: pid, ServiceID: page.Service.ID, LocationID: av.Booking.LocationID}
	}
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
	start, pid := f.Time("start", time.RFC3339, time.UTC, "Choose a time from the list."), f.ID("practitioner_id")
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
		page.Move = nil
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

// pageAppointmentAttendance records whether the patient came, and goes
// back to the page it was asked from (the day, the diary) or the
// appointment.
func (s *Server) pageAppointmentAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	b, err := s.svcs.Bookings.SetAttendance(r.Context(), id, backdesk.Attendance(f.Get("status")))
	if err != nil {
		return err
	}
	back := "/appointments/" + itoa64(id)
	if v := f.Get("back"); v != "" {
		back = safeNext(v)
	}
	name := b.PatientName
	if name == "" {
		name = "The patient"
	}
	s.redirect(w, r, back, name+": "+strings.ToLower(b.Attendance.Label())+".")
	return nil
}
