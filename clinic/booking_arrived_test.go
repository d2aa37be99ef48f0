package clinic

import (
	"context"
	"testing"
	"time"

	"backdesk"
	"backdesk/mock"
)

// TestArrivedNotChangedOnline: once the patient is checked in (up to two
// hours before the start), they can no longer cancel or move the
// appointment themselves; reception still can.
func TestArrivedNotChangedOnline(t *testing.T) {
	now := time.Date(2030, 1, 8, 9, 30, 0, 0, time.UTC)
	b := &backdesk.Booking{ID: 5, PatientID: 9, PractitionerID: 1, ServiceID: 1, LocationID: 1,
		Start: now.Add(30 * time.Minute), End: now.Add(75 * time.Minute), BlocksUntil: now.Add(90 * time.Minute),
		Status: backdesk.BookingBooked, Attendance: backdesk.AttendanceArrived}
	cancelled := 0
	s := &BookingService{
		Bookings: &mock.BookingStore{
			FindBookingByIDFn: func(ctx context.Context, id int64) (*backdesk.Booking, error) { c := *b; return &c, nil },
			CancelBookingFn: func(ctx context.Context, id int64, at time.Time, reason string, late bool, msgs []*backdesk.OutboxMessage, audit *backdesk.AuditEntry) (*backdesk.Booking, error) {
				cancelled++
				c := *b
				c.Status = backdesk.BookingCancelled
				return &c, nil
			},
		},
		Locations: &mock.LocationStore{FindLocationByIDFn: func(ctx context.Context, id int64) (*backdesk.Location, error) {
			return &backdesk.Location{ID: 1, TimeZone: "UTC", Policy: backdesk.DefaultBookingPolicy}, nil
		}},
		Offerings: &mock.OfferingStore{FindOfferingByIDFn: func(ctx context.Context, id int64) (*backdesk.Offering, error) {
			return &backdesk.Offering{ID: 1, Name: "Physiotherapy assessment"}, nil
		}},
		Practitioners: &mock.PractitionerStore{FindPractitionerByIDFn: func(ctx context.Context, id int64) (*backdesk.Practitioner, error) {
			return &backdesk.Practitioner{ID: 1, Name: "Elena"}, nil
		}},
		Now: func() time.Time { return now },
	}
	patient := backdesk.NewContextWithActor(context.Background(), backdesk.Actor{UserID: 4, Role: backdesk.RolePatient, PatientID: 9})
	if _, err := s.CancelBooking(patient, b.ID, ""); backdesk.ErrorCode(err) != backdesk.CodeConflict {
		t.Errorf("the checked-in patient cancelling = %v, want a conflict", err)
	}
	if _, err := s.RescheduleBooking(patient, b.ID, now.Add(3*time.Hour), 0); backdesk.ErrorCode(err) != backdesk.CodeConflict {
		t.Errorf("the checked-in patient moving it = %v, want a conflict", err)
	}
	if cancelled != 0 {
		t.Fatalf("the store was asked to cancel %d times", cancelled)
	}
	desk := backdesk.NewContextWithActor(context.Background(), backdesk.Actor{UserID: 2, Role: backdesk.RoleReception})
	if _, err := s.CancelBooking(desk, b.ID, "practitioner ill"); err != nil || cancelled != 1 {
		t.Errorf("reception cancelling = %v (%d), want it cancelled", err, cancelled)
	}
}
