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
	var inserted, deleted []int64 // practitioner ids reaching the store; delete scopes
	s := &BookingService{
		Bookings: &mock.BookingStore{
			InsertTimeOffFn: func(ctx context.Context, t *backdesk.TimeOff) error {
				inserted = append(inserted, t.PractitionerID)
				return nil
			},
			FindTimeOffFn: func(ctx context.Context, id int64, from, to time.Time) ([]*backdesk.TimeOff, error) {
				return nil, nil
			},
			DeleteTimeOffFn: func(ctx context.Context, id, scope int64) error { deleted = append(deleted, scope); return nil },
		},
		Practitioners: &mock.PractitionerService{FindPractitionerByIDFn: func(ctx context.Context, id int64) (*backdesk.Practitioner, error) {
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

	// Deleting is scoped in the store: anyone's for reception, a
	// practitioner's own only; others never reach it.
	deleted = nil
	if err := s.DeleteTimeOff(reception, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTimeOff(own, 1); err != nil {
		t.Fatal(err)
	}
	for _, ctx := range []context.Context{patient, unlinked, anonymous} {
		if err := s.DeleteTimeOff(ctx, 1); err == nil {
			t.Error("a delete without the right succeeded")
		}
	}
	if len(deleted) != 2 || deleted[0] != 0 || deleted[1] != 7 {
		t.Errorf("delete scopes = %v, want [0 7]", deleted)
	}
}
