package clinic

import (
	"context"
	"testing"
	"time"

	"backdesk"
	"backdesk/mock"
)

// A retry of a first visit (same Idempotency-Key) whose first request is
// stored while the retry is being checked is answered with that first
// booking, not refused by the first-visit limit that the first booking
// itself now fills.
func TestCreateBookingRetryOfFirstVisit(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	start := time.Date(2030, 1, 8, 10, 0, 0, 0, time.UTC) // a Tuesday
	o := &backdesk.Offering{ID: 1, Name: "Physiotherapy initial assessment", Discipline: backdesk.DisciplinePhysiotherapist,
		DurationMinutes: 45, BufferAfterMinutes: 15, BookableOnline: true, FirstVisit: true, Active: true}
	policy := backdesk.DefaultBookingPolicy
	policy.MaxFirstVisits = 1
	l := &backdesk.Location{ID: 1, TimeZone: "UTC", Policy: policy}
	p := &backdesk.Practitioner{ID: 1, Active: true, Offers: []backdesk.Offer{{ServiceID: 1, LocationID: 1}},
		Hours: []backdesk.WorkingHours{{LocationID: 1, Weekday: backdesk.Weekday(time.Tuesday), Starts: 9 * 60, Ends: 17 * 60}}}
	first := &backdesk.Booking{ID: 77, PatientID: 9, PractitionerID: 1, ServiceID: 1, LocationID: 1, Start: start,
		End: start.Add(45 * time.Minute), BlocksUntil: start.Add(time.Hour), Status: backdesk.BookingBooked, CreatedBy: 4, IdempotencyKey: "k"}
	looked := false // the retry has looked for its key, before the first request stored its booking
	s := &BookingService{
		Bookings: &mock.BookingStore{
			FindBookingByIdempotencyKeyFn: func(ctx context.Context, createdBy, createdByToken int64, key string) (*backdesk.Booking, error) {
				if !looked {
					looked = true
					return nil, backdesk.Errorf(backdesk.CodeNotFound, "Appointment not found.")
				}
				return first, nil
			},
			// The time is read (if it is) before the first booking lands,
			// the patient's first visits after.
			BusyIntervalsFn: func(ctx context.Context, ids []int64, from, to time.Time) (map[int64][]backdesk.Interval, error) {
				return map[int64][]backdesk.Interval{}, nil
			},
			FindBookingsFn: func(ctx context.Context, f backdesk.BookingFilter) ([]*backdesk.Booking, int, error) {
				return []*backdesk.Booking{first}, 1, nil
			},
			// As the store answers a key already used: with its booking.
			InsertBookingFn: func(ctx context.Context, b *backdesk.Booking, msgs []*backdesk.OutboxMessage, audit *backdesk.AuditEntry) (bool, error) {
				*b = *first
				return false, nil
			},
		},
		Offerings: &mock.OfferingStore{FindOfferingByIDFn: func(ctx context.Context, id int64) (*backdesk.Offering, error) { return o, nil }},
		Practitioners: &mock.PractitionerStore{FindPractitionerByIDFn: func(ctx context.Context, id int64) (*backdesk.Practitioner, error) {
			return p, nil
		}},
		Locations: &mock.LocationStore{FindLocationByIDFn: func(ctx context.Context, id int64) (*backdesk.Location, error) { return l, nil }},
		Now:       func() time.Time { return now },
	}
	ctx := backdesk.NewContextWithActor(context.Background(), backdesk.Actor{UserID: 4, Role: backdesk.RolePatient, PatientID: 9})
	b, err := s.CreateBooking(ctx, backdesk.BookingRequest{ServiceID: 1, PractitionerID: 1, Start: start, IdempotencyKey: "k"})
	if err != nil || b.ID != first.ID {
		t.Fatalf("the retry = %+v, %v; want the first booking", b, err)
	}
}
