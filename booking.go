package backdesk

import (
	"context"
	"time"
)

// BookingStatus is where a booking stands.
type BookingStatus string

const (
	BookingBooked    BookingStatus = "booked"
	BookingCancelled BookingStatus = "cancelled"
)

// Booking is an appointment: a patient with a practitioner for a service at
// a location, stored as UTC instants.
type Booking struct {
	ID        int64 `json:"id,string"`
	PatientID int64 `json:"patient_id,string"`
	// PatientName is read with the booking, for those who may see it.
	PatientName    string    `json:"patient_name,omitempty"`
	PractitionerID int64     `json:"practitioner_id,string"`
	ServiceID      int64     `json:"service_id,string"`
	LocationID     int64     `json:"location_id,string"`
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
	// BlocksUntil is End plus the service's buffer: the practitioner is not
	// bookable again before it.
	BlocksUntil time.Time     `json:"-"`
	Status      BookingStatus `json:"status"`
	CreatedBy   int64         `json:"created_by,string,omitempty"`
	// CreatedByToken is the API token an integration booked with (then
	// CreatedBy is 0).
	CreatedByToken   int64      `json:"created_by_token,string,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	CancelledAt      *time.Time `json:"cancelled_at,omitempty"`
	CancelReason     string     `json:"cancel_reason,omitempty"`
	LateCancellation bool       `json:"late_cancellation"`
	RescheduledFrom  int64      `json:"rescheduled_from,string,omitempty"`
	// RescheduledTo is the booking this one was moved to (it is cancelled,
	// and the new one carries RescheduledFrom): read with the booking.
	RescheduledTo int64 `json:"rescheduled_to,string,omitempty"`
	// AssessmentID is the self-assessment the booking was made from, if
	// any; a reschedule keeps it.
	AssessmentID string `json:"assessment_id,omitempty"`
	// SeriesID is the first booking of a chain of reschedules (the booking
	// itself when it was never moved), and Sequence how many times the
	// chain has moved: a calendar event keeps its UID across a move and
	// counts its SEQUENCE up, so that calendars move it rather than add one.
	SeriesID int64 `json:"-"`
	Sequence int   `json:"-"`
	// ReferralID is the referral this appointment was booked from.
	ReferralID int64 `json:"referral_id,string,omitempty"`
	// IdempotencyKey makes a retried request return the first booking.
	IdempotencyKey string `json:"-"`
	// PatientLimit, when above 0, is the most live bookings that have not
	// started the patient may hold with this one: the store refuses it
	// with ErrLimitReached past that, whatever else is booked at once.
	PatientLimit int `json:"-"`
	// Attendance is whether the patient came, set by the desk or the
	// practitioner, by user AttendanceBy at AttendanceAt.
	Attendance   Attendance `json:"attendance,omitempty"`
	AttendanceBy int64      `json:"attendance_by,string,omitempty"`
	// AttendanceByName is that member of staff's name, as the diary
	// shows it.
	AttendanceByName string     `json:"attendance_by_name,omitempty"`
	AttendanceAt     *time.Time `json:"attendance_at,omitempty"`
}

// Attendance is whether the patient came to a live appointment.
type Attendance string

// Attendance states; "" until someone records one.
const (
	AttendanceArrived   Attendance = "arrived"
	AttendanceNoShow    Attendance = "no_show" // did not attend
	AttendanceCompleted Attendance = "completed"
)

// Label says the state in words.
func (a Attendance) Label() string {
	switch a {
	case AttendanceArrived:
		return "Arrived"
	case AttendanceNoShow:
		return "Did not attend"
	case AttendanceCompleted:
		return "Completed"
	}
	return "Booked"
}

// ArrivalWindow is how long before its start a patient may be marked
// arrived.
const ArrivalWindow = 2 * time.Hour

// CheckAttendance says whether an appointment that starts at start may be
// marked to at now, from its current state from: arrived from two hours
// before the start (or to correct a no-show), completed once it has
// started, did not attend once it has started and if they had not
// arrived. It returns a CodeConflict error saying why not.
func CheckAttendance(from, to Attendance, start, now time.Time) error {
	switch to {
	case AttendanceArrived:
		if from == AttendanceCompleted {
			return Errorf(CodeConflict, "This appointment is already completed.")
		}
		if now.Before(start.Add(-ArrivalWindow)) {
			return Errorf(CodeConflict, "It is too early to mark the patient arrived: the appointment is not until later.")
		}
	case AttendanceCompleted:
		if from == AttendanceNoShow {
			return Errorf(CodeConflict, "The patient did not attend: mark them arrived first if they came after all.")
		}
		if now.Before(start) {
			return Errorf(CodeConflict, "The appointment has not started yet.")
		}
	case AttendanceNoShow:
		if from == AttendanceArrived || from == AttendanceCompleted {
			return Errorf(CodeConflict, "The patient came: they cannot be marked as not attending.")
		}
		if now.Before(start) {
			return Errorf(CodeConflict, "The appointment has not started yet: wait before marking them as not attending.")
		}
	default:
		return FieldError("status", "status must be arrived, no_show or completed")
	}
	return nil
}

// Moved reports whether the booking was cancelled by moving it to another
// time.
func (b *Booking) Moved() bool { return b.RescheduledTo != 0 }

// CheckedIn reports whether the desk or the practitioner has recorded the
// patient's attendance (arrived, from two hours before the start; or, once
// it has started, completed or did not attend): from then on only staff
// change the appointment.
func (b *Booking) CheckedIn() bool { return b.Attendance != "" }

// ErrCheckedIn refuses a patient changing an appointment they are checked
// in for.
var ErrCheckedIn = Errorf(CodeConflict, "You have been checked in for this appointment, so it can no longer be changed online. Please speak to reception.")

// CalendarSeries is the id a calendar event of the booking is known by:
// the same across reschedules.
func (b *Booking) CalendarSeries() int64 {
	if b.SeriesID != 0 {
		return b.SeriesID
	}
	return b.ID
}

// ErrLimitReached is a store's refusal of a booking or waitlist request
// that would take a patient past the limit it was given (PatientLimit);
// clinic says in plain words what the limit is.
var ErrLimitReached = &Error{Code: CodeConflict, Message: "That is more than one patient may hold."}

// ErrRecordClosed is the refusal of a booking under a patient's record that
// was erased, or merged into another: the store's (which says so in these
// words) and clinic's (in its own, naming the record kept) are each it or
// wrap it, so that a caller booking several times (a plan's course) tells
// it from a time that has gone (errors.Is).
var ErrRecordClosed = &Error{Code: CodeConflict, Message: "This patient's record was erased or merged into another; nothing can be booked under it."}

// BookingRequest is what booking needs. PatientID is for staff booking for
// someone; a patient always books for themselves.
type BookingRequest struct {
	ServiceID      int64     `json:"service_id,string"`
	PractitionerID int64     `json:"practitioner_id,string"`
	Start          time.Time `json:"start"`
	PatientID      int64     `json:"patient_id,string,omitempty"`
	// ReferralID books an accepted referral inside the clinic: the service
	// must be of its discipline, and the referral moves to booked.
	ReferralID int64 `json:"referral_id,string,omitempty"`
	// AssessmentID links the booking to the self-assessment it is made
	// from. A patient cannot book from one that says to see a doctor first
	// (CodeForbidden, with the advice); an anonymous one is attached to the
	// patient booking from it.
	AssessmentID   string `json:"assessment_id,omitempty"`
	IdempotencyKey string `json:"-"`
}

// BookingReview is what a person confirms before booking: the time, still
// free, with its service, practitioner, place and price, the cancellation
// rule, and what they should know first.
type BookingReview struct {
	Request      BookingRequest
	Slot         Slot
	Offering     *Offering
	Practitioner *Practitioner
	Location     *Location
	// LateFrom is when a cancellation starts to count as late
	// (BookingPolicy.IsLate): the start less the location's window.
	LateFrom time.Time
	// EarlierFirstVisit is the patient's other live first visit of the
	// same discipline, when this service is a first visit too: a follow-up
	// may suit them better.
	EarlierFirstVisit *Booking
	// Assessment is the self-assessment the booking is made from, if any;
	// for staff it may say to see a doctor first (its red flags are shown
	// to them).
	Assessment *Assessment
}

// ErrIdempotencyKeyReused refuses a request that reuses an Idempotency-Key
// of the caller's with another request: a different service, practitioner,
// start, patient or referral than the booking the key first made. (HTTP answers 422,
// as the IETF Idempotency-Key draft says.)
var ErrIdempotencyKeyReused = &Error{Code: CodeInvalid, Field: "Idempotency-Key",
	Message: "This Idempotency-Key was already used for a different booking request; use a new key for a new request."}

// Same reports whether req, for patientID, asks for what b is: the retry
// of the request that made b.
func (req BookingRequest) Same(b *Booking, patientID int64) bool {
	return req.ServiceID == b.ServiceID && req.PractitionerID == b.PractitionerID && req.Start.Equal(b.Start) && patientID == b.PatientID &&
		req.ReferralID == b.ReferralID
}

// BookingFilter narrows FindBookings; zero fields match all.
type BookingFilter struct {
	PatientID      int64
	PractitionerID int64
	From, To       time.Time // bookings starting in [From, To)
	Status         BookingStatus
	Page
}

// BookingService books, reschedules and cancels appointments.
type BookingService interface {
	// CreateBooking books req after re-checking everything: the service,
	// the practitioner, notice and horizon, and that the time is one of the
	// free slots. CodeConflict when the time has just gone; CodeForbidden,
	// with the advice and the number to call, when a patient books from a
	// self-assessment that says to see a doctor first. A request with an
	// IdempotencyKey the caller has used returns the booking it first made,
	// or ErrIdempotencyKeyReused if it asks for something else.
	CreateBooking(ctx context.Context, req BookingRequest) (*Booking, error)
	// ReviewBooking checks req as CreateBooking would, for anyone (the
	// signed-out too), and returns what to confirm; it books nothing.
	ReviewBooking(ctx context.Context, req BookingRequest) (*BookingReview, error)
	// FindBookingByID returns CodeNotFound when there is no such booking or
	// the actor may not see it.
	FindBookingByID(ctx context.Context, id int64) (*Booking, error)
	// FindBookings lists what the actor may see: a patient their own, staff
	// the clinic's.
	FindBookings(ctx context.Context, f BookingFilter) ([]*Booking, int, error)
	// SetAttendance records whether the patient came (arrived, no_show,
	// completed): the front desk and the practitioner of the appointment;
	// CodeNotFound for anyone else, CodeConflict for a cancelled one or a
	// change CheckAttendance refuses. Audited.
	SetAttendance(ctx context.Context, id int64, status Attendance) (*Booking, error)
	// FindBookingsToMove lists the live appointments that can no longer
	// go ahead as booked (time off, a closed day, a practitioner not
	// taking appointments), earliest first: every one for the front desk,
	// a practitioner's own for them; CodeForbidden for anyone else.
	FindBookingsToMove(ctx context.Context, f MoveFilter) ([]*BookingToMove, error)
	// CancelBooking cancels; a cancellation inside the location's late
	// window is marked late.
	CancelBooking(ctx context.Context, id int64, reason string) (*Booking, error)
	// RescheduleBooking moves a booking to a new start (and optionally
	// another practitioner): the new booking is made and the old one
	// cancelled in one transaction, or neither.
	RescheduleBooking(ctx context.Context, id int64, start time.Time, practitionerID int64) (*Booking, error)
}

// BookingStore keeps bookings; the database refuses overlapping live
// bookings of one practitioner, and bookings over their time off.
type BookingStore interface {
	// InsertBooking stores b unless b, its buffer included (b.Start to
	// b.BlocksUntil), overlaps a live booking of its practitioner or
	// their time off (CodeConflict), or takes its patient past b.PatientLimit
	// (ErrLimitReached). With an idempotency key already used by
	// b.CreatedBy (or b.CreatedByToken) it returns that first booking
	// instead, and reports false.
	// msgs and the audit line are written in the same transaction, the
	// emails linked to the booking and the audit line naming it. A booking
	// with a ReferralID books that referral in the same transaction
	// (CodeConflict, and nothing stored, unless the referral is accepted).
	InsertBooking(ctx context.Context, b *Booking, msgs []*OutboxMessage, audit *AuditEntry) (created bool, err error)
	FindBookingByID(ctx context.Context, id int64) (*Booking, error) // CodeNotFound
	// FindBookingByIdempotencyKey returns the booking the user createdBy,
	// or the API token createdByToken when it is not 0, made with key;
	// CodeNotFound if none.
	FindBookingByIdempotencyKey(ctx context.Context, createdBy, createdByToken int64, key string) (*Booking, error)
	FindBookings(ctx context.Context, f BookingFilter) ([]*Booking, int, error)
	// BusyIntervals returns, per practitioner, the live bookings (start to
	// blocks_until) and time off that overlap [from, to).
	BusyIntervals(ctx context.Context, practitionerIDs []int64, from, to time.Time) (map[int64][]Interval, error)
	// CancelBooking marks a live booking cancelled, drops its pending
	// emails and writes msgs and the audit line, in one transaction;
	// CodeConflict if not live. A referral booked on it is accepted again
	// (unbooked), to be booked anew.
	CancelBooking(ctx context.Context, id int64, at time.Time, reason string, late bool, msgs []*OutboxMessage, audit *AuditEntry) (*Booking, error)
	// RescheduleBooking cancels old (dropping its pending emails) and inserts
	// b with msgs, in one transaction with the audit line; a referral
	// booked on old stays booked, on b.
	RescheduleBooking(ctx context.Context, oldID int64, b *Booking, at time.Time, msgs []*OutboxMessage, audit *AuditEntry) error
	// PractitionerTreats reports whether the practitioner has, or had, an
	// appointment with the patient (a live one, past or coming): part of
	// the care relation that lets a practitioner see the patient's
	// records (clinic.Care adds referrals).
	PractitionerTreats(ctx context.Context, practitionerID, patientID int64) (bool, error)
	// PractitionerPatients lists the patients the practitioner has, or had,
	// a live appointment with: the appointments part of the care relation,
	// as a list.
	PractitionerPatients(ctx context.Context, practitionerID int64) ([]int64, error)
	// SetAttendance reads the booking, checks the change (CheckAttendance
	// at now; CodeConflict for a cancelled booking) and records it with
	// its author (from the audit line), in one transaction with the audit
	// line. CodeNotFound.
	SetAttendance(ctx context.Context, id int64, status Attendance, byName string, now time.Time, audit *AuditEntry) (*Booking, error)
	// FindBookingsToMove lists the live appointments ending after f.From
	// (and starting before f.To, when set) that overlap their
	// practitioner's time off or a closed day of their location (in its
	// time zone), or whose practitioner is not taking appointments,
	// earliest first, each with every reason.
	FindBookingsToMove(ctx context.Context, f MoveFilter) ([]*BookingToMove, error)
	// Time off, each change with its audit line; msgs (the patients told
	// that their appointment must move) are written with it.
	InsertTimeOff(ctx context.Context, t *TimeOff, msgs []*OutboxMessage, audit *AuditEntry) error
	FindTimeOffByID(ctx context.Context, id int64) (*TimeOff, error) // CodeNotFound
	FindTimeOff(ctx context.Context, practitionerID int64, from, to time.Time) ([]*TimeOff, error)
	DeleteTimeOff(ctx context.Context, id int64, audit *AuditEntry) error // CodeNotFound
}

// TimeOffService manages practitioners' time off: reception and admin for
// anyone, each practitioner for themselves.
type TimeOffService interface {
	// TimeOffPractitioners lists whose time off the actor manages: their own
	// for a practitioner, everyone's for the front desk; CodeForbidden for
	// anyone else.
	TimeOffPractitioners(ctx context.Context) ([]*Practitioner, error)
	CreateTimeOff(ctx context.Context, t *TimeOff) error
	// FindTimeOff lists time off overlapping [from, to); zero times mean
	// from now on.
	FindTimeOff(ctx context.Context, practitionerID int64, from, to time.Time) ([]*TimeOff, error)
	DeleteTimeOff(ctx context.Context, id int64) error
}

// MoveReason says why a booked appointment can no longer go ahead as
// booked.
type MoveReason string

// Why an appointment needs moving.
const (
	MoveTimeOff         MoveReason = "time_off"         // the practitioner is away
	MoveClosed          MoveReason = "closed"           // the location is closed that day
	MovePractitionerOff MoveReason = "practitioner_off" // the practitioner takes no appointments
)

// Label says the reason in words.
func (r MoveReason) Label() string {
	switch r {
	case MoveTimeOff:
		return "the practitioner is away"
	case MoveClosed:
		return "the clinic is closed that day"
	case MovePractitionerOff:
		return "the practitioner is not taking appointments"
	}
	return string(r)
}

// BookingToMove is a live appointment that needs moving, and why. It
// stays on the list (and flagged in the diary) until it is moved or
// cancelled, or what stands in its way is removed.
type BookingToMove struct {
	Booking *Booking     `json:"appointment"`
	Reasons []MoveReason `json:"reasons"`
	// Note is what the clinic wrote of the time off or closure ("Course").
	Note string `json:"note,omitempty"`
}

// MoveFilter narrows FindBookingsToMove; From is required (usually now).
type MoveFilter struct {
	From, To       time.Time
	PractitionerID int64
}
