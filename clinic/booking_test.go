package clinic

import (
	"context"
	"testing"
	"time"

	"backdesk"
	"backdesk/mock"
)

// Time off: reception and admin manage anyone's, each practitioner their
// own, nobody else any; bad spans are refused before the store.
func TestTimeOffPolicy(t *testing.T) {
	var inserted, deleted []int64 // practitioner ids reaching the store; spans deleted
	var audited []*backdesk.AuditEntry
	s := &BookingService{
		Bookings: &mock.BookingStore{
			FindBookingsFn: func(ctx context.Context, f backdesk.BookingFilter) ([]*backdesk.Booking, int, error) {
				return nil, 0, nil
			},
			InsertTimeOffFn: func(ctx context.Context, t *backdesk.TimeOff, msgs []*backdesk.OutboxMessage, audit *backdesk.AuditEntry) error {
				inserted = append(inserted, t.PractitionerID)
				audited = append(audited, audit)
				return nil
			},
			FindTimeOffFn: func(ctx context.Context, id int64, from, to time.Time) ([]*backdesk.TimeOff, error) {
				return nil, nil
			},
			// Span id is practitioner id, for the test.
			FindTimeOffByIDFn: func(ctx context.Context, id int64) (*backdesk.TimeOff, error) {
				return &backdesk.TimeOff{ID: id, PractitionerID: id}, nil
			},
			DeleteTimeOffFn: func(ctx context.Context, id int64, audit *backdesk.AuditEntry) error {
				deleted = append(deleted, id)
				audited = append(audited, audit)
				return nil
			},
		},
		Practitioners: &mock.PractitionerStore{FindPractitionerByIDFn: func(ctx context.Context, id int64) (*backdesk.Practitioner, error) {
			return &backdesk.Practitioner{ID: id}, nil
		}},
		Now: func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) },
	}
	as := func(a backdesk.Actor) context.Context { return backdesk.NewContextWithActor(context.Background(), a) }
	reception := as(backdesk.Actor{UserID: 1, Role: backdesk.RoleReception})
	own := as(backdesk.Actor{UserID: 2, Role: backdesk.RolePractitioner, PractitionerID: 7})
	unlinked := as(backdesk.Actor{UserID: 3, Role: backdesk.RolePractitioner})
	patient := as(backdesk.Actor{UserID: 4, Role: backdesk.RolePatient, PatientID: 9})
	anonymous := context.Background()
	start := time.Date(2030, 2, 1, 9, 0, 0, 0, time.UTC)
	span := func(p int64) *backdesk.TimeOff {
		return &backdesk.TimeOff{PractitionerID: p, Start: start, End: start.Add(8 * time.Hour), Reason: " Course "}
	}

	for _, tc := range []struct {
		name string
		ctx  context.Context
		t    *backdesk.TimeOff
		want backdesk.Code
	}{
		{"reception, anyone", reception, span(3), ""},
		{"a practitioner, their own", own, span(7), ""},
		{"a practitioner, someone else's", own, span(8), backdesk.CodeForbidden},
		{"a practitioner account with no practitioner", unlinked, span(7), backdesk.CodeForbidden},
		{"a patient", patient, span(7), backdesk.CodeForbidden},
		{"anonymous", anonymous, span(7), backdesk.CodeUnauthorized},
		{"no start", reception, &backdesk.TimeOff{PractitionerID: 3, End: start}, backdesk.CodeInvalid},
		{"end before start", reception, &backdesk.TimeOff{PractitionerID: 3, Start: start, End: start.Add(-time.Hour)}, backdesk.CodeInvalid},
		{"more than a year", reception, &backdesk.TimeOff{PractitionerID: 3, Start: start, End: start.AddDate(1, 1, 0)}, backdesk.CodeInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inserted = nil
			err := s.CreateTimeOff(tc.ctx, tc.t)
			if got := backdesk.ErrorCode(err); got != tc.want {
				t.Fatalf("CreateTimeOff = %v, want code %q", err, tc.want)
			}
			if (tc.want == "") != (len(inserted) == 1) {
				t.Errorf("reached the store %d times", len(inserted))
			}
			if tc.want == "" && tc.t.Reason != "Course" {
				t.Errorf("reason %q not trimmed", tc.t.Reason)
			}
			_, ferr := s.FindTimeOff(tc.ctx, tc.t.PractitionerID, time.Time{}, time.Time{})
			if tc.want != backdesk.CodeInvalid && backdesk.ErrorCode(ferr) != tc.want {
				t.Errorf("FindTimeOff = %v, want code %q", ferr, tc.want)
			}
		})
	}

	// Deleting: anyone's for reception, a practitioner's own only (someone
	// else's is not found); others never reach the store.
	deleted = nil
	if err := s.DeleteTimeOff(reception, 3); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTimeOff(own, 7); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTimeOff(own, 8); backdesk.ErrorCode(err) != backdesk.CodeNotFound {
		t.Errorf("a practitioner deleting someone else's time off = %v, want not_found", err)
	}
	for _, ctx := range []context.Context{patient, unlinked, anonymous} {
		if err := s.DeleteTimeOff(ctx, 7); err == nil {
			t.Error("a delete without the right succeeded")
		}
	}
	if len(deleted) != 2 || deleted[0] != 3 || deleted[1] != 7 {
		t.Errorf("deleted = %v, want [3 7]", deleted)
	}
	// Every change carries its audit line, naming who made it.
	for _, e := range audited {
		if e == nil || e.ActorUserID == 0 || e.Resource != "time_off" {
			t.Errorf("audit line %+v", e)
		}
	}
}
