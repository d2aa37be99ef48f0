package mock

import (
	"context"
	"time"

	"backdesk"
)

var _ backdesk.BookingService = (*BookingService)(nil)

// BookingService mocks backdesk.BookingService.
type BookingService struct {
	CreateBookingFn     func(ctx context.Context, req backdesk.BookingRequest) (*backdesk.Booking, error)
	FindBookingByIDFn   func(ctx context.Context, id int64) (*backdesk.Booking, error)
	FindBookingsFn      func(ctx context.Context, f backdesk.BookingFilter) ([]*backdesk.Booking, int, error)
	CancelBookingFn     func(ctx context.Context, id int64, reason string) (*backdesk.Booking, error)
	RescheduleBookingFn func(ctx context.Context, id int64, start time.Time, practitionerID int64) (*backdesk.Booking, error)
}

func (s *BookingService) CreateBooking(ctx context.Context, req backdesk.BookingRequest) (*backdesk.Booking, error) {
	return s.CreateBookingFn(ctx, req)
}

func (s *BookingService) FindBookingByID(ctx context.Context, id int64) (*backdesk.Booking, error) {
	return s.FindBookingByIDFn(ctx, id)
}

func (s *BookingService) FindBookings(ctx context.Context, f backdesk.BookingFilter) ([]*backdesk.Booking, int, error) {
	return s.FindBookingsFn(ctx, f)
}

func (s *BookingService) CancelBooking(ctx context.Context, id int64, reason string) (*backdesk.Booking, error) {
	return s.CancelBookingFn(ctx, id, reason)
}

func (s *BookingService) RescheduleBooking(ctx context.Context, id int64, start time.Time, practitionerID int64) (*backdesk.Booking, error) {
	return s.RescheduleBookingFn(ctx, id, start, practitionerID)
}

var _ backdesk.BookingStore = (*BookingStore)(nil)

// BookingStore mocks backdesk.BookingStore.
type BookingStore struct {
	InsertBookingFn               func(ctx context.Context, b *backdesk.Booking, msgs []*backdesk.OutboxMessage) (bool, error)
	FindBookingByIDFn             func(ctx context.Context, id int64) (*backdesk.Booking, error)
	FindBookingByIdempotencyKeyFn func(ctx context.Context, createdBy int64, key string) (*backdesk.Booking, error)
	FindBookingsFn                func(ctx context.Context, f backdesk.BookingFilter) ([]*backdesk.Booking, int, error)
	BusyIntervalsFn               func(ctx context.Context, practitionerIDs []int64, from time.Time, to time.Time) (map[int64][]backdesk.Interval, error)
	CancelBookingFn               func(ctx context.Context, id int64, at time.Time, reason string, late bool, msgs []*backdesk.OutboxMessage) (*backdesk.Booking, error)
	RescheduleBookingFn           func(ctx context.Context, oldID int64, b *backdesk.Booking, at time.Time, msgs []*backdesk.OutboxMessage) error
	PractitionerTreatsFn          func(ctx context.Context, practitionerID int64, patientID int64) (bool, error)
	InsertTimeOffFn               func(ctx context.Context, t *backdesk.TimeOff) error
	FindTimeOffFn                 func(ctx context.Context, practitionerID int64, from time.Time, to time.Time) ([]*backdesk.TimeOff, error)
	DeleteTimeOffFn               func(ctx context.Context, id, practitionerID int64) error
}

func (s *BookingStore) InsertBooking(ctx context.Context, b *backdesk.Booking, msgs []*backdesk.OutboxMessage) (bool, error) {
	return s.InsertBookingFn(ctx, b, msgs)
}

func (s *BookingStore) FindBookingByID(ctx context.Context, id int64) (*backdesk.Booking, error) {
	return s.FindBookingByIDFn(ctx, id)
}

func (s *BookingStore) FindBookingByIdempotencyKey(ctx context.Context, createdBy int64, key string) (*backdesk.Booking, error) {
	return s.FindBookingByIdempotencyKeyFn(ctx, createdBy, key)
}

func (s *BookingStore) FindBookings(ctx context.Context, f backdesk.BookingFilter) ([]*backdesk.Booking, int, error) {
	return s.FindBookingsFn(ctx, f)
}

func (s *BookingStore) BusyIntervals(ctx context.Context, practitionerIDs []int64, from time.Time, to time.Time) (map[int64][]backdesk.Interval, error) {
	return s.BusyIntervalsFn(ctx, practitionerIDs, from, to)
}

func (s *BookingStore) CancelBooking(ctx context.Context, id int64, at time.Time, reason string, late bool, msgs []*backdesk.OutboxMessage) (*backdesk.Booking, error) {
	return s.CancelBookingFn(ctx, id, at, reason, late, msgs)
}

func (s *BookingStore) RescheduleBooking(ctx context.Context, oldID int64, b *backdesk.Booking, at time.Time, msgs []*backdesk.OutboxMessage) error {
	return s.RescheduleBookingFn(ctx, oldID, b, at, msgs)
}

func (s *BookingStore) PractitionerTreats(ctx context.Context, practitionerID int64, patientID int64) (bool, error) {
	return s.PractitionerTreatsFn(ctx, practitionerID, patientID)
}

func (s *BookingStore) InsertTimeOff(ctx context.Context, t *backdesk.TimeOff) error {
	return s.InsertTimeOffFn(ctx, t)
}

func (s *BookingStore) FindTimeOff(ctx context.Context, practitionerID int64, from time.Time, to time.Time) ([]*backdesk.TimeOff, error) {
	return s.FindTimeOffFn(ctx, practitionerID, from, to)
}

func (s *BookingStore) DeleteTimeOff(ctx context.Context, id, practitionerID int64) error {
	return s.DeleteTimeOffFn(ctx, id, practitionerID)
}

var _ backdesk.TimeOffService = (*TimeOffService)(nil)

// TimeOffService mocks backdesk.TimeOffService.
type TimeOffService struct {
	CreateTimeOffFn func(ctx context.Context, t *backdesk.TimeOff) error
	FindTimeOffFn   func(ctx context.Context, practitionerID int64, from time.Time, to time.Time) ([]*backdesk.TimeOff, error)
	DeleteTimeOffFn func(ctx context.Context, id int64) error
}

func (s *TimeOffService) CreateTimeOff(ctx context.Context, t *backdesk.TimeOff) error {
	return s.CreateTimeOffFn(ctx, t)
}

func (s *TimeOffService) FindTimeOff(ctx context.Context, practitionerID int64, from time.Time, to time.Time) ([]*backdesk.TimeOff, error) {
	return s.FindTimeOffFn(ctx, practitionerID, from, to)
}

func (s *TimeOffService) DeleteTimeOff(ctx context.Context, id int64) error {
	return s.DeleteTimeOffFn(ctx, id)
}
