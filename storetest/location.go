package storetest

import (
	"context"
	"testing"

	"backdesk"

	"github.com/google/go-cmp/cmp"
)

func testLocationCreateAndFind(t *testing.T, s backdesk.Store) {
	l := MustCreateLocation(t, s)
	if l.ID == 0 || l.CreatedAt.IsZero() {
		t.Fatalf("CreateLocation did not fill ID and CreatedAt: %+v", l)
	}
	got, err := s.FindLocationByID(context.Background(), l.ID)
	must(t, err)
	if diff := cmp.Diff(l, got); diff != "" {
		t.Errorf("FindLocationByID mismatch (-want +got):\n%s", diff)
	}
	all, err := s.FindLocations(context.Background())
	must(t, err)
	if len(all) != 1 || all[0].ID != l.ID {
		t.Errorf("FindLocations = %v, want the one location", all)
	}
}

func testLocationNotFound(t *testing.T, s backdesk.Store) {
	_, err := s.FindLocationByID(context.Background(), 999)
	wantCode(t, err, backdesk.CodeNotFound)
	_, err = s.UpdateLocation(AdminContext(), 999, backdesk.LocationUpdate{})
	wantCode(t, err, backdesk.CodeNotFound)
}

func testLocationInvalid(t *testing.T, s backdesk.Store) {
	for _, tc := range []struct {
		name  string
		edit  func(*backdesk.Location)
		field string
	}{
		{"time zone", func(l *backdesk.Location) { l.TimeZone = "Mars/Olympus" }, "time_zone"},
		{"country", func(l *backdesk.Location) { l.Country = "gbr" }, "country"},
		{"hours", func(l *backdesk.Location) { l.Hours[0].Closes = l.Hours[0].Opens }, "opening_hours.0.closes"},
		{"name", func(l *backdesk.Location) { l.Name = " " }, "name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := NewLocation()
			tc.edit(l)
			err := s.CreateLocation(AdminContext(), l)
			wantCode(t, err, backdesk.CodeInvalid)
			if f := backdesk.ErrorField(err); f != tc.field {
				t.Errorf("field = %q, want %q", f, tc.field)
			}
		})
	}
	all, err := s.FindLocations(context.Background())
	must(t, err)
	if len(all) != 0 {
		t.Errorf("invalid locations were stored: %v", all)
	}
}

func testLocationUpdate(t *testing.T, s backdesk.Store) {
	l := MustCreateLocation(t, s)
	phone := "+44 117 000 1111"
	hours := []backdesk.OpeningHours{{Weekday: backdesk.Weekday(2), Opens: backdesk.MustClockTime("10:00"), Closes: backdesk.MustClockTime("16:00")}}
	got, err := s.UpdateLocation(AdminContext(), l.ID, backdesk.LocationUpdate{Phone: &phone, Hours: &hours})
	must(t, err)
	if got.Phone != phone || len(got.Hours) != 1 || got.Hours[0] != hours[0] || got.Name != l.Name || len(got.Closures) != 1 {
		t.Errorf("UpdateLocation = %+v", got)
	}
	bad := "Nowhere/Else"
	_, err = s.UpdateLocation(AdminContext(), l.ID, backdesk.LocationUpdate{TimeZone: &bad})
	wantCode(t, err, backdesk.CodeInvalid)
	again, err := s.FindLocationByID(context.Background(), l.ID)
	must(t, err)
	if again.TimeZone != "Europe/London" {
		t.Errorf("a rejected update changed the time zone to %q", again.TimeZone)
	}
}

func testLocationAdminOnly(t *testing.T, s backdesk.Store) {
	err := s.CreateLocation(context.Background(), NewLocation())
	wantCode(t, err, backdesk.CodeUnauthorized)
	for _, role := range []backdesk.Role{backdesk.RolePatient, backdesk.RolePractitioner, backdesk.RoleReception} {
		ctx := backdesk.NewContextWithActor(context.Background(), backdesk.Actor{UserID: 7, Role: role})
		wantCode(t, s.CreateLocation(ctx, NewLocation()), backdesk.CodeForbidden)
	}
}
