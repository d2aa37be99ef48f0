package backdesk

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// WaitlistEntry is a patient's request to be offered a time that frees up:
// a discipline or one practitioner, between two dates, on chosen weekdays,
// between two times of day (in the location's zone).
type WaitlistEntry struct {
	ID             int64          `json:"id,string"`
	PatientID      int64          `json:"patient_id,string"`
	PatientName    string         `json:"patient_name,omitempty"`
	Discipline     Discipline     `json:"discipline"`
	PractitionerID int64          `json:"practitioner_id,string,omitempty"`
	ServiceID      int64          `json:"service_id,string"`
	From           Date           `json:"from"`
	To             Date           `json:"to"` // inclusive
	Weekdays       []Weekday      `json:"weekdays"`
	Earliest       ClockTime      `json:"earliest"`
	Latest         ClockTime      `json:"latest"` // the appointment ends by then
	Status         WaitlistStatus `json:"status"`
	BookingID      int64          `json:"booking_id,string,omitempty"`
	CreatedAt      time.Time      `json:"created_at"`
	// ContactNote is how reception reaches the patient when a time frees
	// up, for one whom offers cannot reach by email
	// ("phone 07700 900123 after 5 pm").
	ContactNote string `json:"contact_note,omitempty"`
	// NoEmail says offers cannot reach the patient by email (they have no
	// address, or asked not to be emailed): reception phones them.
	NoEmail bool `json:"no_email,omitempty"`
	// PatientLimit, when above 0, is the most requests the patient may
	// have waiting with this one (ErrLimitReached past it).
	PatientLimit int `json:"-"`
}

// WaitlistStatus is where a waitlist request stands.
type WaitlistStatus string

// Waitlist request states.
const (
	WaitlistWaiting   WaitlistStatus = "waiting"
	WaitlistBooked    WaitlistStatus = "booked"
	WaitlistCancelled WaitlistStatus = "cancelled"
)

// Validate checks an entry's own fields, naming every problem at once.
func (e *WaitlistEntry) Validate() error {
	var p Problems
	if e.From.IsZero() || e.To.IsZero() || e.To.Before(e.From) {
		p.Add("to", "give the dates as from and to (YYYY-MM-DD), to not before from")
	}
	if len(e.Weekdays) == 0 {
		p.Add("weekdays", "choose at least one weekday")
	}
	if e.Earliest < 0 || e.Latest > 24*60 || e.Earliest >= e.Latest {
		p.Add("latest", "latest must be after earliest, within one day")
	}
	for _, d := range e.Weekdays {
		if err := checkWeekday(d); err != nil {
			p.Add("weekdays", "%v", err)
		}
	}
	e.ContactNote = strings.TrimSpace(e.ContactNote)
	if utf8.RuneCountInString(e.ContactNote) > 300 {
		p.Add("contact_note", "the note can be at most 300 characters")
	}
	return p.Err()
}

// Wants reports whether a time at local wall time t suits the entry.
func (e *WaitlistEntry) Wants(local time.Time, length time.Duration) bool {
	d := DateOf(local)
	if d.Before(e.From) || e.To.Before(d) {
		return false
	}
	day := false
	for _, w := range e.Weekdays {
		day = day || w == Weekday(local.Weekday())
	}
	start := ClockTime(local.Hour()*60 + local.Minute())
	end := start + ClockTime(length/time.Minute)
	return day && start >= e.Earliest && end <= e.Latest
}

// WaitlistOffer is a freed time offered to a waiting patient.
type WaitlistOffer struct {
	ID             int64       `json:"id,string"`
	EntryID        int64       `json:"entry_id,string"`
	PatientID      int64       `json:"patient_id,string"`
	ServiceID      int64       `json:"service_id,string"`
	PractitionerID int64       `json:"practitioner_id,string"`
	LocationID     int64       `json:"location_id,string"`
	Start          time.Time   `json:"start"`
	End            time.Time   `json:"end"`
	Status         OfferStatus `json:"status"`
	CreatedAt      time.Time   `json:"created_at"`
}

// OfferStatus is where a waitlist offer stands.
type OfferStatus string

// Offer states.
const (
	OfferOpen     OfferStatus = "open"
	OfferAccepted OfferStatus = "accepted"
	OfferTaken    OfferStatus = "taken" // someone else accepted the time first
	OfferDeclined OfferStatus = "declined"
)

// WaitlistService is the waitlist as patients and reception use it.
type WaitlistService interface {
	// CreateEntry adds a request (a patient for themselves; reception or
	// admin for a named patient). CodeConflict when the same request is
	// already waiting, or a patient has as many waiting as they may.
	CreateEntry(ctx context.Context, e *WaitlistEntry) error
	// FindEntries lists a patient's own requests, every waiting one for
	// the front desk, and for a practitioner those that name them or ask
	// for anyone of their discipline.
	FindEntries(ctx context.Context) ([]*WaitlistEntry, error)
	// CancelEntry withdraws a request.
	CancelEntry(ctx context.Context, id int64) error
	// FindOffers lists the open offers made to the signed-in patient.
	FindOffers(ctx context.Context) ([]*WaitlistOffer, error)
	// AcceptOffer books the offered time through the ordinary booking path;
	// CodeConflict if someone else was first.
	AcceptOffer(ctx context.Context, id int64) (*Booking, error)
	// DeclineOffer turns an offer down; the request stays on the list.
	DeclineOffer(ctx context.Context, id int64) error
}

// WaitlistStore keeps requests and offers.
type WaitlistStore interface {
	// InsertWaitlistEntry stores e with its audit line; fills ID, Status
	// and CreatedAt. CodeConflict when the patient already has the same
	// request waiting; ErrLimitReached past e.PatientLimit.
	InsertWaitlistEntry(ctx context.Context, e *WaitlistEntry, audit *AuditEntry) error
	FindWaitlistEntryByID(ctx context.Context, id int64) (*WaitlistEntry, error) // CodeNotFound
	// FindWaitlistEntries lists entries of a patient (0: all), oldest first;
	// waitingOnly keeps those still waiting.
	FindWaitlistEntries(ctx context.Context, patientID int64, waitingOnly bool) ([]*WaitlistEntry, error)
	SetWaitlistEntryStatus(ctx context.Context, id int64, status WaitlistStatus, audit *AuditEntry) error
	// InsertWaitlistOffers stores offers, their emails and their audit
	// lines in one transaction.
	InsertWaitlistOffers(ctx context.Context, offers []*WaitlistOffer, msgs []*OutboxMessage, audit []*AuditEntry) error
	FindWaitlistOfferByID(ctx context.Context, id int64) (*WaitlistOffer, error) // CodeNotFound
	FindWaitlistOffers(ctx context.Context, patientID int64, openOnly bool) ([]*WaitlistOffer, error)
	// CloseWaitlistOffer sets an open offer's status (CodeConflict if it is
	// not open); for OfferAccepted it also books the entry (bookingID) and
	// marks the other open offers of the same time taken, in one
	// transaction with the audit line.
	CloseWaitlistOffer(ctx context.Context, id int64, status OfferStatus, bookingID int64, audit *AuditEntry) error
}
