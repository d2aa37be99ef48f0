package clinic

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"backdesk"
	"backdesk/schedule"
)

// Limits cap what one patient may hold when they book for themselves, so
// that one account cannot hoard a diary: live appointments that have not
// started, and waitlist requests still waiting. Reception books without
// them; 0 means no cap.
type Limits struct {
	FutureBookings int
	WaitingEntries int
}

// DefaultLimits are the caps a clinic gets unless it sets its own.
var DefaultLimits = Limits{FutureBookings: 4, WaitingEntries: 3}

// BookingService implements backdesk.BookingService and
// backdesk.AvailabilityService: it offers only slots that schedule computed,
// re-checks them when booking, and leaves overlaps to the database.
type BookingService struct {
	Bookings      backdesk.BookingStore
	Offerings     backdesk.OfferingStore
	Practitioners backdesk.PractitionerStore
	Locations     backdesk.LocationStore
	Patients      backdesk.PatientStore  // that staff book under a live record (bookable)
	Waitlist      backdesk.WaitlistStore // freed times are offered to it; nil: no waitlist
	// Assessments are the self-assessments bookings are made from; nil:
	// a booking naming one is refused.
	Assessments backdesk.AssessmentStore
	Referrals   backdesk.ReferralStore // accepted referrals are booked; nil: none are
	Audit       backdesk.AuditWriter
	Now         func() time.Time
	// Log receives problems that must not undo a change (offering a freed
	// time after a cancellation).
	Log func(msg string, args ...any)
	// Limits cap a patient's own bookings and waitlist requests.
	Limits Limits
	// BaseURL is the site's public address, for links in emails.
	BaseURL string

	gen atomic.Uint64 // bumped by every change this process makes
}

// Generation changes with every booking, cancellation, move or time-off
// change made through this service, so that AvailabilityCache knows its
// answers are out of date.
func (s *BookingService) Generation() uint64 { return s.gen.Load() }

func (s *BookingService) changed() { s.gen.Add(1) }

var (
	_ backdesk.BookingService      = (*BookingService)(nil)
	_ backdesk.AvailabilityService = (*BookingService)(nil)
)

// FindSlots returns free slots of a service, earliest first, in each
// location's time zone.
func (s *BookingService) FindSlots(ctx context.Context, q backdesk.AvailabilityQuery) ([]backdesk.Slot, error) {
	return s.slots(ctx, q, nil)
}

// exclusion is a booking whose own time does not count as busy (when it is
// being moved).
type exclusion struct {
	practitionerID int64
	iv             backdesk.Interval
}

// apply returns the practitioner's busy intervals without the excluded
// booking's (busy itself is not changed); a nil exclusion excludes nothing.
func (ex *exclusion) apply(practitionerID int64, busy []backdesk.Interval) []backdesk.Interval {
	if ex == nil || ex.practitionerID != practitionerID {
		return busy
	}
	return slices.DeleteFunc(slices.Clone(busy), func(iv backdesk.Interval) bool { return iv.Start.Equal(ex.iv.Start) && iv.End.Equal(ex.iv.End) })
}

// slotInput is what schedule needs for p's times of service o at l, busy
// being p's bookings and time off; From and To are the caller's.
func slotInput(o *backdesk.Offering, p *backdesk.Practitioner, l *backdesk.Location, busy []backdesk.Interval) (schedule.Input, error) {
	tz, err := l.Zone()
	if err != nil {
		return schedule.Input{}, err
	}
	var working []backdesk.WorkingHours
	for _, w := range p.Hours {
		if w.LocationID == l.ID {
			working = append(working, w)
		}
	}
	return schedule.Input{Loc: tz, Opening: l.Hours, Closures: l.Closures, Working: working, Busy: busy,
		Duration: o.Duration(), Buffer: time.Duration(o.BufferAfterMinutes) * time.Minute,
		Step: time.Duration(l.Policy.SlotStepMinutes) * time.Minute}, nil
}

func (s *BookingService) slots(ctx context.Context, q backdesk.AvailabilityQuery, ex *exclusion) ([]backdesk.Slot, error) {
	switch {
	case q.From.IsZero() || q.To.IsZero():
		return nil, backdesk.FieldError("from", "from and to are required, as RFC 3339 times")
	case !q.From.Before(q.To):
		return nil, backdesk.FieldError("to", "to must be after from")
	case q.To.Sub(q.From) > backdesk.MaxAvailabilityWindow:
		return nil, backdesk.FieldError("to", "the window from from to to is at most 31 days")
	}
	o, err := s.Offerings.FindOfferingByID(ctx, q.ServiceID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound || err == nil && !o.Active {
		return nil, backdesk.FieldError("service", "service is not one of the clinic's services")
	} else if err != nil {
		return nil, err
	}
	var ps []*backdesk.Practitioner
	if q.PractitionerID != 0 {
		p, err := s.Practitioners.FindPractitionerByID(ctx, q.PractitionerID)
		if err != nil {
			return nil, err
		}
		ps = []*backdesk.Practitioner{p}
	} else if ps, err = s.Practitioners.FindPractitioners(ctx, backdesk.PractitionerFilter{ServiceID: o.ID, ActiveOnly: true}); err != nil {
		return nil, err
	}
	now := s.Now()
	ids := make([]int64, 0, len(ps))
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	busy, err := s.Bookings.BusyIntervals(ctx, ids, q.From.Add(-24*time.Hour), q.To.Add(24*time.Hour))
	if err != nil {
		return nil, err
	}
	locs := map[int64]*backdesk.Location{}
	out := []backdesk.Slot{}
	for _, p := range ps {
		if !p.Active {
			continue
		}
		pBusy := ex.apply(p.ID, busy[p.ID])
		for _, offer := range p.Offers {
			if offer.ServiceID != o.ID {
				continue
			}
			l := locs[offer.LocationID]
			if l == nil {
				if l, err = s.Locations.FindLocationByID(ctx, offer.LocationID); err != nil {
					return nil, err
				}
				locs[l.ID] = l
			}
			in, err := slotInput(o, p, l, pBusy)
			if err != nil {
				return nil, err
			}
			in.From, in.To = schedule.Window(q.From, q.To, now, l.Policy)
			for _, iv := range schedule.Slots(in) {
				out = append(out, backdesk.Slot{Start: iv.Start.In(in.Loc), End: iv.End.In(in.Loc), PractitionerID: p.ID, ServiceID: o.ID, LocationID: l.ID})
			}
		}
	}
	slices.SortFunc(out, func(a, b backdesk.Slot) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return int(a.PractitionerID - b.PractitionerID)
	})
	return out, nil
}

// CreateBooking books after re-checking everything against the slots that
// schedule computes now; the database refuses an overlap that slips in
// between. A booking made from a self-assessment is checked against what
// it says (fromAssessment) and linked to it.
func (s *BookingService) CreateBooking(ctx context.Context, req backdesk.BookingRequest) (*backdesk.Booking, error) {
	a, patientID, err := bookingFor(ctx, req.PatientID)
	if err != nil {
		return nil, err
	}
	if may(a, backdesk.PermFrontDesk) && s.Patients != nil { // a patient's own record is live while they can sign in
		if err := bookable(ctx, s.Patients, patientID); err != nil {
			return nil, err
		}
	}
	key := strings.TrimSpace(req.IdempotencyKey)
	if len(key) > 200 {
		return nil, backdesk.FieldError("Idempotency-Key", "Idempotency-Key is at most 200 characters")
	}
	if key != "" {
		// A retry returns the first answer, before anything is re-checked
		// (its own booking now fills the slot).
		if first, err := s.Bookings.FindBookingByIdempotencyKey(ctx, a.UserID, a.TokenID, key); err == nil {
			return replay(req, first, patientID)
		} else if backdesk.ErrorCode(err) != backdesk.CodeNotFound {
			return nil, err
		}
	}
	o, err := s.bookableOffering(ctx, a, req.ServiceID)
	if err != nil {
		return nil, err
	}
	as, err := s.fromAssessment(ctx, a, patientID, req.AssessmentID, o)
	if err != nil {
		return nil, err
	}
	if req.ReferralID != 0 {
		if err := s.bookableReferral(ctx, req.ReferralID, patientID, o); err != nil {
			return nil, err
		}
	}
	// The insert refuses a time the practitioner's bookings or time off
	// overlap, in its own statement: the check need not read them first,
	// unless something is written before the insert (an anonymous
	// assessment's claim), which a time already gone must not leave behind.
	atInsert := as == nil || as.PatientID != 0
	slot, parts, err := s.checkSlot(ctx, o, req.PractitionerID, req.Start, nil, atInsert)
	if err == nil && !may(a, backdesk.PermFrontDesk) && o.FirstVisit && parts.location != nil && parts.location.Policy.MaxFirstVisits > 0 {
		err = s.firstVisitLimit(ctx, patientID, o, parts.location.Policy.MaxFirstVisits)
	}
	if backdesk.ErrorCode(err) == backdesk.CodeConflict && key != "" {
		// The time, or the patient's first visit, may have gone to this
		// request's own first try, made since the look above.
		if first, ferr := s.Bookings.FindBookingByIdempotencyKey(ctx, a.UserID, a.TokenID, key); ferr == nil {
			return replay(req, first, patientID)
		}
	}
	if err != nil {
		return nil, err
	}
	if as != nil && as.PatientID == 0 {
		// Booking from an anonymous result: it follows the patient (the
		// desk holds its id when the patient gave it to them).
		audit := backdesk.NewAuditEntry(a, backdesk.AuditAssessmentClaim, patientID, "assessment", as.ID)
		if err := s.Assessments.AttachAssessment(ctx, as.ID, patientID, audit); err != nil {
			return nil, err
		}
	}
	b := &backdesk.Booking{PatientID: patientID, PractitionerID: slot.PractitionerID, ServiceID: o.ID, LocationID: slot.LocationID,
		Start: slot.Start.UTC(), End: slot.End.UTC(), BlocksUntil: slot.End.UTC().Add(time.Duration(o.BufferAfterMinutes) * time.Minute),
		CreatedBy: a.UserID, CreatedByToken: a.TokenID, IdempotencyKey: key, ReferralID: req.ReferralID}
	if as != nil {
		b.AssessmentID = as.ID
	}
	if !may(a, backdesk.PermFrontDesk) { // a patient booking for themselves
		b.PatientLimit = s.Limits.FutureBookings
	}
	msgs, err := s.bookingMail(ctx, "booking_confirmation", b, parts)
	if err != nil {
		return nil, err
	}
	created, err := s.Bookings.InsertBooking(ctx, b, msgs, backdesk.NewAuditEntry(a, backdesk.AuditBookingCreate, patientID, "booking", ""))
	if errors.Is(err, backdesk.ErrLimitReached) {
		return nil, &backdesk.Error{Code: backdesk.CodeConflict, Err: err, Message: fmt.Sprintf(
			"You already have %s booked, the most that can be booked online at one time. "+
				"To book another, cancel one you no longer need, or call the clinic.", count(b.PatientLimit, "appointment"))}
	} else if err != nil {
		return nil, err
	}
	if !created { // a retry that raced its first request: b is that booking
		return replay(req, b, patientID)
	}
	s.changed()
	return b, nil
}

// bookableOffering is the service of a booking: one of the clinic's, and
// bookable online unless the front desk books it.
func (s *BookingService) bookableOffering(ctx context.Context, a backdesk.Actor, serviceID int64) (*backdesk.Offering, error) {
	o, err := s.Offerings.FindOfferingByID(ctx, serviceID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return nil, backdesk.FieldError("service_id", "service_id is not one of the clinic's services")
	} else if err != nil {
		return nil, err
	}
	if !may(a, backdesk.PermFrontDesk) && !o.BookableOnline {
		return nil, backdesk.FieldError("service_id", "%s is booked by phone", o.Name)
	}
	return o, nil
}

// fromAssessment reads the self-assessment a booking is made from and
// checks that it allows booking o. A result that says to see a doctor
// first (emergency or urgent doctor), or that massage is not safe, never
// leads to booking that: a patient (or someone signed out) is refused with
// the advice and the number to call; the front desk may book it, and is
// shown its red flags. An assessment that is neither anonymous nor the
// patient's is not found.
func (s *BookingService) fromAssessment(ctx context.Context, a backdesk.Actor, patientID int64, id string, o *backdesk.Offering) (*backdesk.Assessment, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, nil
	}
	notFound := backdesk.FieldError("assessment_id", "That self-assessment was not found.")
	if s.Assessments == nil || !validID(id) {
		return nil, notFound
	}
	as, err := s.Assessments.FindAssessmentByID(ctx, id)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return nil, notFound
	} else if err != nil {
		return nil, err
	}
	switch {
	case as.PatientID == 0, as.PatientID == patientID:
		// Anonymous (whoever holds the id books from it), or the patient's own.
	case mayBookDespiteDoctorFirst(a) && patientID != 0:
		return nil, backdesk.FieldError("assessment_id", "That self-assessment belongs to another patient.")
	case !mayBookDespiteDoctorFirst(a):
		return nil, notFound // another patient's record, not revealed
	}
	if mayBookDespiteDoctorFirst(a) {
		return as, nil
	}
	if err := s.assessmentAllows(ctx, as, o); err != nil {
		return nil, err
	}
	return as, nil
}

// assessmentAllows says whether a self-assessment lets its person book o:
// not when it says to see a doctor first, nor massage when massage is not
// safe for them. The refusal repeats the advice and the numbers to call.
func (s *BookingService) assessmentAllows(ctx context.Context, as *backdesk.Assessment, o *backdesk.Offering) error {
	r := as.Result
	phone := ""
	if ls, err := s.Locations.FindLocations(ctx); err == nil {
		if l := backdesk.MainLocation(ls); l != nil {
			phone = l.Phone
		}
	}
	callUs := ""
	if phone != "" {
		callUs = " If a doctor has already seen you about this, call us on " + phone + " and we will book you."
	}
	switch {
	case r.Disposition.NeedsDoctor():
		advice := r.Headline
		if r.Emergency != nil {
			advice = r.Emergency.Message
		}
		return &backdesk.Error{Code: backdesk.CodeForbidden, Field: "assessment_id",
			Message: "Your self-assessment says to see a doctor first, so nothing can be booked from it: " + advice + callUs}
	case o != nil && o.Discipline == backdesk.DisciplineMassageTherapist && r.Massage.Suitable == backdesk.MassageNo:
		return &backdesk.Error{Code: backdesk.CodeForbidden, Field: "assessment_id",
			Message: "Your self-assessment says massage is not safe for you until you have been assessed: " + r.Headline + callUs}
	}
	return nil
}

// count says n things in words: "1 appointment", "4 appointments".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// replay answers a retried request with the booking its Idempotency-Key
// first made, or refuses a different request under the same key.
func replay(req backdesk.BookingRequest, first *backdesk.Booking, patientID int64) (*backdesk.Booking, error) {
	if !req.Same(first, patientID) {
		return nil, backdesk.ErrIdempotencyKeyReused
	}
	return first, nil
}

// bookableReferral checks that the referral can be booked with service o
// for patientID: it is theirs (CodeNotFound otherwise), inside the clinic,
// accepted (the store checks again as it books) and for o's discipline.
func (s *BookingService) bookableReferral(ctx context.Context, id, patientID int64, o *backdesk.Offering) error {
	if s.Referrals == nil {
		return backdesk.FieldError("referral_id", "referrals cannot be booked here")
	}
	r, err := s.Referrals.FindReferralByID(ctx, id)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound || err == nil && r.PatientID != patientID {
		return backdesk.Errorf(backdesk.CodeNotFound, "Referral not found.")
	} else if err != nil {
		return err
	}
	if _, err := backdesk.NextReferralStatus(r.External(), r.Status, backdesk.ReferralBook); err != nil {
		return err
	}
	if o.Discipline != r.ToDiscipline {
		return backdesk.FieldError("service_id", "the referral is for %s: choose one of its services", r.ToDiscipline.Therapy())
	}
	return nil
}

// ReviewBooking checks a booking as CreateBooking would, books nothing,
// and returns what the person confirms: the time (CodeConflict when it has
// gone), the service, practitioner, place and price, when a cancellation
// becomes late, the patient's other first visit of the discipline, and the
// self-assessment it is made from (refused as CreateBooking refuses it).
func (s *BookingService) ReviewBooking(ctx context.Context, req backdesk.BookingRequest) (*backdesk.BookingReview, error) {
	a, patientID, err := reviewFor(ctx, req.PatientID)
	if err != nil {
		return nil, err
	}
	o, err := s.bookableOffering(ctx, a, req.ServiceID)
	if err != nil {
		return nil, err
	}
	as, err := s.fromAssessment(ctx, a, patientID, req.AssessmentID, o)
	if err != nil {
		return nil, err
	}
	if req.ReferralID != 0 && patientID != 0 {
		if err := s.bookableReferral(ctx, req.ReferralID, patientID, o); err != nil {
			return nil, err
		}
	}
	slot, parts, err := s.checkSlot(ctx, o, req.PractitionerID, req.Start, nil, false)
	if err != nil {
		return nil, err
	}
	p, l := parts.practitioner, parts.location
	rv := &backdesk.BookingReview{Request: req, Slot: *slot, Offering: o, Practitioner: p, Location: l, Assessment: as,
		LateFrom: slot.Start.Add(-time.Duration(l.Policy.LateCancelHours) * time.Hour)}
	rv.Request.PatientID = patientID
	if o.FirstVisit && patientID != 0 {
		if rv.EarlierFirstVisit, err = s.earlierFirstVisit(ctx, patientID, o); err != nil {
			return nil, err
		}
	}
	return rv, nil
}

// earlierFirstVisit is the patient's live first visit of o's discipline,
// past or coming, if they have one.
func (s *BookingService) earlierFirstVisit(ctx context.Context, patientID int64, o *backdesk.Offering) (*backdesk.Booking, error) {
	list, _, err := s.Bookings.FindBookings(ctx, backdesk.BookingFilter{PatientID: patientID, Status: backdesk.BookingBooked, Page: backdesk.Page{Limit: 1000}})
	if err != nil {
		return nil, err
	}
	if err := auditRead(ctx, s.Audit, backdesk.AuditBookingList, patientID, "booking", ""); err != nil {
		return nil, err
	}
	for _, b := range list {
		bo, err := s.Offerings.FindOfferingByID(ctx, b.ServiceID)
		if err != nil {
			return nil, err
		}
		if bo.FirstVisit && bo.Discipline == o.Discipline {
			return b, nil
		}
	}
	return nil, nil
}

// firstVisitLimit refuses a patient's first visit of o's discipline when
// they already have max of them coming (the location's first-visit
// limit); reception may book more, having talked to them.
func (s *BookingService) firstVisitLimit(ctx context.Context, patientID int64, o *backdesk.Offering, max int) error {
	list, _, err := s.Bookings.FindBookings(ctx, backdesk.BookingFilter{PatientID: patientID, Status: backdesk.BookingBooked,
		From: s.Now(), Page: backdesk.Page{Limit: 1000}})
	if err != nil {
		return err
	}
	n := 0
	for _, b := range list {
		bo, err := s.Offerings.FindOfferingByID(ctx, b.ServiceID)
		if err != nil {
			return err
		}
		if bo.FirstVisit && bo.Discipline == o.Discipline {
			n++
		}
	}
	if n >= max {
		return backdesk.Errorf(backdesk.CodeConflict, "You already have %s of %s booked, the most this clinic books at one time. "+
			"Change the time of the one you have, or book a follow-up after it.", count(n, "first visit"), o.Discipline.Therapy())
	}
	return nil
}

// findSlot checks that start is a free slot of the service now (notice,
// horizon, hours, grid, bookings), and returns it.
func (s *BookingService) findSlot(ctx context.Context, serviceID, practitionerID int64, start time.Time, ex *exclusion) (*backdesk.Slot, error) {
	slot, _, err := s.findServiceSlot(ctx, serviceID, practitionerID, start, ex)
	return slot, err
}

// findServiceSlot is findSlot, also returning the rows it read.
func (s *BookingService) findServiceSlot(ctx context.Context, serviceID, practitionerID int64, start time.Time, ex *exclusion) (*backdesk.Slot, bookingParts, error) {
	o, err := s.Offerings.FindOfferingByID(ctx, serviceID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return nil, bookingParts{}, errNotAService
	} else if err != nil {
		return nil, bookingParts{}, err
	}
	return s.checkSlot(ctx, o, practitionerID, start, ex, false)
}

var errNotAService = backdesk.FieldError("service_id", "service_id is not one of the clinic's services")

// bookingParts are the rows a booking is checked against and its emails
// describe, read once per request.
type bookingParts struct {
	offering     *backdesk.Offering
	practitioner *backdesk.Practitioner
	location     *backdesk.Location
}

// checkSlot checks that start is a free slot of service o with the
// practitioner now, with the practitioner's bookings and time off around
// start alone (less ex's): the same schedule computation that offers times
// (schedule.Offered), narrowed to this one. With atInsert it reads no
// bookings or time off: the caller goes straight to InsertBooking, which
// refuses a time they overlap in the insert itself (CodeConflict),
// atomically, as a read before it could not. It returns the slot and the
// rows it read.
func (s *BookingService) checkSlot(ctx context.Context, o *backdesk.Offering, practitionerID int64, start time.Time, ex *exclusion, atInsert bool) (*backdesk.Slot, bookingParts, error) {
	parts := bookingParts{offering: o}
	now := s.Now()
	switch {
	case practitionerID == 0:
		return nil, parts, backdesk.FieldError("practitioner_id", "practitioner_id is required")
	case start.IsZero():
		return nil, parts, backdesk.FieldError("start", "start is required, as an RFC 3339 time")
	case !start.After(now):
		return nil, parts, backdesk.FieldError("start", "start is in the past")
	case !o.Active:
		return nil, parts, errNotAService
	}
	p, err := s.Practitioners.FindPractitionerByID(ctx, practitionerID)
	if err != nil {
		return nil, parts, err
	}
	parts.practitioner = p
	if !p.Active {
		return nil, parts, errSlotGone
	}
	// What can overlap the appointment and its buffer.
	var pBusy []backdesk.Interval
	if !atInsert {
		busy, err := s.Bookings.BusyIntervals(ctx, []int64{p.ID}, start, start.Add(o.Duration()+time.Duration(o.BufferAfterMinutes)*time.Minute))
		if err != nil {
			return nil, parts, err
		}
		pBusy = ex.apply(p.ID, busy[p.ID])
	}
	for _, offer := range p.Offers {
		if offer.ServiceID != o.ID {
			continue
		}
		l := parts.location
		if l == nil || l.ID != offer.LocationID {
			if l, err = s.Locations.FindLocationByID(ctx, offer.LocationID); err != nil {
				return nil, parts, err
			}
		}
		parts.location = l
		in, err := slotInput(o, p, l, pBusy)
		if err != nil {
			return nil, parts, err
		}
		in.From, in.To = schedule.Window(start, start.Add(time.Minute), now, l.Policy)
		if iv, ok := schedule.Offered(in, start); ok {
			return &backdesk.Slot{Start: iv.Start.In(in.Loc), End: iv.End.In(in.Loc), PractitionerID: p.ID, ServiceID: o.ID, LocationID: l.ID}, parts, nil
		}
	}
	return nil, parts, errSlotGone
}

var errSlotGone = backdesk.Errorf(backdesk.CodeConflict, "That time is no longer available. Please choose another.")

var errNoBooking = backdesk.Errorf(backdesk.CodeNotFound, "Appointment not found.")

// FindBookingByID returns the booking if the actor may see it, and audits
// the read.
func (s *BookingService) FindBookingByID(ctx context.Context, id int64) (*backdesk.Booking, error) {
	b, err := s.Bookings.FindBookingByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !mayReadBooking(backdesk.ActorFromContext(ctx), b) {
		return nil, errNoBooking
	}
	if err := auditRead(ctx, s.Audit, backdesk.AuditBookingRead, b.PatientID, "booking", fmt.Sprint(b.ID)); err != nil {
		return nil, err
	}
	return b, nil
}

// FindBookings lists a patient's own bookings, a practitioner's diary, or,
// for the front desk, the clinic's.
func (s *BookingService) FindBookings(ctx context.Context, f backdesk.BookingFilter) ([]*backdesk.Booking, int, error) {
	a, err := signedIn(ctx)
	none := false
	switch {
	case err != nil:
		return nil, 0, err
	case readsClinic(a):
	case may(a, backdesk.PermBookForSelf):
		// A patient's own, whatever else the filter asks: another
		// patient's match nothing.
		none = f.PatientID != 0 && f.PatientID != a.PatientID
		f.PatientID = a.PatientID
	case may(a, backdesk.PermTreat) && a.PractitionerID != 0:
		none = f.PractitionerID != 0 && f.PractitionerID != a.PractitionerID
		f.PractitionerID = a.PractitionerID
	default:
		none = true
	}
	if none {
		return []*backdesk.Booking{}, 0, nil
	}
	list, total, err := s.Bookings.FindBookings(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if err := s.Audit.InsertAudit(ctx, backdesk.NewAuditEntry(a, backdesk.AuditBookingList, f.PatientID, "booking", "")); err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// CancelBooking cancels a future booking; one inside the location's late
// window is marked late.
func (s *BookingService) CancelBooking(ctx context.Context, id int64, reason string) (*backdesk.Booking, error) {
	a, b, l, err := s.ownFutureBooking(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	late := l.Policy.IsLate(b.Start, now)
	if len(reason) > 500 {
		return nil, backdesk.FieldError("reason", "reason is at most 500 characters")
	}
	cancelled := *b
	cancelled.LateCancellation = late
	msgs, err := s.bookingMail(ctx, "booking_cancelled", &cancelled, bookingParts{location: l})
	if err != nil {
		return nil, err
	}
	cb, err := s.Bookings.CancelBooking(ctx, id, now, strings.TrimSpace(reason), late, msgs,
		backdesk.NewAuditEntry(a, backdesk.AuditBookingCancel, b.PatientID, "booking", fmt.Sprint(b.ID)))
	if err != nil {
		return nil, err
	}
	s.changed()
	s.freed(ctx, cb)
	return cb, nil
}

// RescheduleBooking moves a future booking to a new free start, with the
// same or another practitioner of the service; the old time is released
// only if the new one is booked.
func (s *BookingService) RescheduleBooking(ctx context.Context, id int64, start time.Time, practitionerID int64) (*backdesk.Booking, error) {
	a, b, _, err := s.ownFutureBooking(ctx, id)
	if err != nil {
		return nil, err
	}
	if practitionerID == 0 {
		practitionerID = b.PractitionerID
	}
	slot, parts, err := s.findServiceSlot(ctx, b.ServiceID, practitionerID, start, &exclusion{practitionerID: b.PractitionerID, iv: backdesk.Interval{Start: b.Start, End: b.BlocksUntil}})
	if err != nil {
		return nil, err
	}
	nb := &backdesk.Booking{PatientID: b.PatientID, PractitionerID: slot.PractitionerID, ServiceID: b.ServiceID, LocationID: slot.LocationID,
		Start: slot.Start.UTC(), End: slot.End.UTC(), BlocksUntil: slot.End.UTC().Add(b.BlocksUntil.Sub(b.End)), CreatedBy: a.UserID, CreatedByToken: a.TokenID,
		AssessmentID: b.AssessmentID, SeriesID: b.CalendarSeries(), Sequence: b.Sequence + 1}
	msgs, err := s.bookingMail(ctx, "booking_changed", nb, parts)
	if err != nil {
		return nil, err
	}
	if err := s.Bookings.RescheduleBooking(ctx, b.ID, nb, s.Now(), msgs,
		backdesk.NewAuditEntry(a, backdesk.AuditBookingReschedule, b.PatientID, "booking", fmt.Sprint(b.ID))); err != nil {
		return nil, err
	}
	s.changed()
	s.freed(ctx, b)
	return nb, nil
}

// ownFutureBooking loads a live, future booking the actor may change: the
// patient's, the practitioner's it is with, or any for the front desk.
func (s *BookingService) ownFutureBooking(ctx context.Context, id int64) (backdesk.Actor, *backdesk.Booking, *backdesk.Location, error) {
	a, err := attempt(ctx, backdesk.OpChangeBooking)
	if err != nil {
		return a, nil, nil, err
	}
	b, err := s.Bookings.FindBookingByID(ctx, id)
	if err != nil {
		return a, nil, nil, err
	}
	if !mayReadBooking(a, b) {
		return a, nil, nil, errNoBooking
	}
	if err := changes(a); err != nil {
		return a, nil, nil, err
	}
	if !mayChangeBooking(a, b) {
		return a, nil, nil, errNoBooking
	}
	if b.Status != backdesk.BookingBooked {
		return a, nil, nil, backdesk.Errorf(backdesk.CodeConflict, "That appointment is already cancelled.")
	}
	if !b.Start.After(s.Now()) {
		return a, nil, nil, backdesk.Errorf(backdesk.CodeInvalid, "That appointment has already started; please call the clinic.")
	}
	if b.CheckedIn() && !may(a, backdesk.PermFrontDesk) && !may(a, backdesk.PermTreat) {
		// The patient is at the clinic (arrived up to two hours early):
		// the desk or the practitioner changes it now, if anyone does.
		return a, nil, nil, backdesk.ErrCheckedIn
	}
	l, err := s.Locations.FindLocationByID(ctx, b.LocationID)
	if err != nil {
		return a, nil, nil, err
	}
	return a, b, l, nil
}

var _ backdesk.TimeOffService = (*BookingService)(nil)

// mayManageTimeOff checks that the actor may manage practitionerID's time
// off, and returns them.
func mayManageTimeOff(ctx context.Context, practitionerID int64) (backdesk.Actor, error) {
	a, scope, err := timeOffScope(ctx)
	if err != nil {
		return a, err
	}
	if scope != 0 && scope != practitionerID {
		return a, backdesk.Errorf(backdesk.CodeForbidden, "You can manage only your own time off.")
	}
	return a, nil
}

// TimeOffPractitioners lists whose time off the actor manages.
func (s *BookingService) TimeOffPractitioners(ctx context.Context) ([]*backdesk.Practitioner, error) {
	_, scope, err := timeOffScope(ctx)
	if err != nil {
		return nil, err
	}
	if scope != 0 {
		p, err := s.Practitioners.FindPractitionerByID(ctx, scope)
		if err != nil {
			return nil, err
		}
		return []*backdesk.Practitioner{p}, nil
	}
	return s.Practitioners.FindPractitioners(ctx, backdesk.PractitionerFilter{})
}

// CreateTimeOff records that a practitioner is away; booked appointments in
// that span stay, for reception to move.
func (s *BookingService) CreateTimeOff(ctx context.Context, t *backdesk.TimeOff) error {
	a, err := mayManageTimeOff(ctx, t.PractitionerID)
	if err != nil {
		return err
	}
	if _, err := s.Practitioners.FindPractitionerByID(ctx, t.PractitionerID); err != nil {
		return err
	}
	t.Reason = strings.TrimSpace(t.Reason)
	switch {
	case t.Start.IsZero():
		return backdesk.FieldError("start", "time off needs a start")
	case t.End.IsZero() || !t.Start.Before(t.End):
		return backdesk.FieldError("end", "time off needs an end after its start")
	case t.End.Sub(t.Start) > maxTimeOff:
		return backdesk.FieldError("end", "time off can be at most a year at a time")
	case len(t.Reason) > 200:
		return backdesk.FieldError("reason", "the reason can be at most 200 characters")
	}
	// The patients of the appointments it falls on are told that theirs
	// must move, with the way to choose a new time; the appointments stay
	// booked, flagged, until moved or cancelled.
	var msgs []*backdesk.OutboxMessage
	under, _, err := s.Bookings.FindBookings(ctx, backdesk.BookingFilter{PractitionerID: t.PractitionerID, Status: backdesk.BookingBooked,
		From: maxTime(t.Start, s.Now()).Add(-maxAppointment), To: t.End, Page: backdesk.Page{Limit: 1000}})
	if err != nil {
		return err
	}
	for _, b := range under {
		if !b.End.After(maxTime(t.Start, s.Now())) || !b.Start.Before(t.End) {
			continue
		}
		mail, err := s.bookingMail(ctx, "booking_needs_moving", b, bookingParts{})
		if err != nil {
			return err
		}
		for _, m := range mail {
			m.BookingID = b.ID // dropped if the appointment is moved or cancelled first
		}
		msgs = append(msgs, mail...)
	}
	if err := s.Bookings.InsertTimeOff(ctx, t, msgs, backdesk.NewAuditEntry(a, backdesk.AuditTimeOffCreate, 0, "time_off", "")); err != nil {
		return err
	}
	s.changed()
	return nil
}

// maxAppointment is longer than any appointment, to find those that
// started before a time and run into it.
const maxAppointment = 24 * time.Hour

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// SetAttendance records whether the patient came; the front desk and the
// appointment's practitioner.
func (s *BookingService) SetAttendance(ctx context.Context, id int64, status backdesk.Attendance) (*backdesk.Booking, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	b, err := s.Bookings.FindBookingByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := mayMarkAttendance(a, b); err != nil {
		return nil, err
	}
	b, err = s.Bookings.SetAttendance(ctx, id, status, a.Name, s.Now(), backdesk.NewAuditEntry(a, backdesk.AuditBookingAttendance, b.PatientID, "booking", strconv.FormatInt(id, 10)))
	if err != nil {
		return nil, err
	}
	return b, nil
}

// FindBookingsToMove lists the appointments that need moving: every one
// for the front desk, a practitioner's own for them. Audited as a list of
// bookings.
func (s *BookingService) FindBookingsToMove(ctx context.Context, f backdesk.MoveFilter) ([]*backdesk.BookingToMove, error) {
	a, practitionerID, err := moveScope(ctx, f.PractitionerID)
	if err != nil {
		return nil, err
	}
	f.PractitionerID = practitionerID
	if f.From.IsZero() {
		f.From = s.Now()
	}
	list, err := s.Bookings.FindBookingsToMove(ctx, f)
	if err != nil {
		return nil, err
	}
	if err := s.Audit.InsertAudit(ctx, backdesk.NewAuditEntry(a, backdesk.AuditBookingList, 0, "booking", "to_move")); err != nil {
		return nil, err
	}
	return list, nil
}

// maxTimeOff bounds one span of time off (a typo in a year would otherwise
// close a diary for decades).
const maxTimeOff = 366 * 24 * time.Hour

// FindTimeOff lists a practitioner's time off.
func (s *BookingService) FindTimeOff(ctx context.Context, practitionerID int64, from, to time.Time) ([]*backdesk.TimeOff, error) {
	if _, err := mayManageTimeOff(ctx, practitionerID); err != nil {
		return nil, err
	}
	if from.IsZero() {
		from = s.Now()
	}
	if to.IsZero() {
		to = from.AddDate(2, 0, 0)
	}
	return s.Bookings.FindTimeOff(ctx, practitionerID, from, to)
}

// DeleteTimeOff removes time off: anyone's for the front desk, a
// practitioner's own for them (CodeNotFound for anyone else's).
func (s *BookingService) DeleteTimeOff(ctx context.Context, id int64) error {
	a, scope, err := timeOffScope(ctx)
	if err != nil {
		return err
	}
	t, err := s.Bookings.FindTimeOffByID(ctx, id)
	if err != nil {
		return err
	}
	if scope != 0 && t.PractitionerID != scope {
		return backdesk.Errorf(backdesk.CodeNotFound, "Time off not found.")
	}
	if err := s.Bookings.DeleteTimeOff(ctx, id, backdesk.NewAuditEntry(a, backdesk.AuditTimeOffDelete, 0, "time_off", fmt.Sprint(id))); err != nil {
		return err
	}
	s.changed()
	return nil
}

// Released offers the times of bookings cancelled other than by this
// service (an erasure) to the waitlist, as the system's waitlist job does
// after a cancellation, and marks this process's reused answers out of
// date.
func (s *BookingService) Released(ctx context.Context, cancelled []*backdesk.Booking) {
	if len(cancelled) == 0 {
		return
	}
	s.changed()
	for _, b := range cancelled {
		s.freed(ctx, b)
	}
}

// freed offers a released time to the waitlist; a failure is logged, since
// the cancellation or move itself has already been made.
func (s *BookingService) freed(ctx context.Context, b *backdesk.Booking) {
	if err := s.offerFreedTime(ctx, b); err != nil && s.Log != nil {
		s.Log("waitlist offer failed", "booking_id", b.ID, "err", err)
	}
}
