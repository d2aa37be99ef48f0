package storetest

import (
	"context"
	"fmt"
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
	_, err = s.UpdateLocation(context.Background(), 999, backdesk.LocationUpdate{}, nil)
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
			err := s.InsertLocation(context.Background(), l, nil)
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
	got, err := s.UpdateLocation(context.Background(), l.ID, backdesk.LocationUpdate{Phone: &phone, Hours: &hours}, nil)
	must(t, err)
	if got.Phone != phone || len(got.Hours) != 1 || got.Hours[0] != hours[0] || got.Name != l.Name || len(got.Closures) != 1 {
		t.Errorf("UpdateLocation = %+v", got)
	}
	bad := "Nowhere/Else"
	_, err = s.UpdateLocation(context.Background(), l.ID, backdesk.LocationUpdate{TimeZone: &bad}, nil)
	wantCode(t, err, backdesk.CodeInvalid)
	again, err := s.FindLocationByID(context.Background(), l.ID)
	must(t, err)
	if again.TimeZone != "Europe/London" {
		t.Errorf("a rejected update changed the time zone to %q", again.TimeZone)
	}
}

// testCatalogueAudited: each change to the catalogue writes the audit line
// it is given, naming the record, and a refused change writes none.
func testCatalogueAudited(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	admin := backdesk.Actor{UserID: 1, Role: backdesk.RoleAdmin, Source: "192.0.2.1"}
	line := func(action backdesk.AuditAction, resource string) *backdesk.AuditEntry {
		return backdesk.NewAuditEntry(admin, action, 0, resource, "")
	}
	l := NewLocation()
	must(t, s.InsertLocation(ctx, l, line(backdesk.AuditCatalogueCreate, "location")))
	o := NewOffering("Physio", backdesk.DisciplinePhysiotherapist)
	must(t, s.InsertOffering(ctx, o, line(backdesk.AuditCatalogueCreate, "service")))
	p := &backdesk.Practitioner{Name: "P", Discipline: backdesk.DisciplinePhysiotherapist, Active: true}
	must(t, s.InsertPractitioner(ctx, p, line(backdesk.AuditCatalogueCreate, "practitioner")))
	name := "Renamed"
	_, err := s.UpdatePractitioner(ctx, p.ID, backdesk.PractitionerUpdate{Name: &name}, line(backdesk.AuditCatalogueUpdate, "practitioner"))
	must(t, err)
	blank := " "
	_, err = s.UpdatePractitioner(ctx, p.ID, backdesk.PractitionerUpdate{Name: &blank}, line(backdesk.AuditCatalogueUpdate, "practitioner"))
	wantCode(t, err, backdesk.CodeInvalid)
	_, err = s.UpdateOffering(ctx, 987654, backdesk.OfferingUpdate{Name: &name}, line(backdesk.AuditCatalogueUpdate, "service"))
	wantCode(t, err, backdesk.CodeNotFound)
	entries, _, err := s.FindAuditEntries(ctx, backdesk.AuditFilter{ActorUserID: 1})
	must(t, err)
	var got []string
	for _, e := range entries {
		got = append(got, fmt.Sprintf("%s %s %s", e.Action, e.Resource, e.ResourceID))
	}
	want := []string{"catalogue.update practitioner " + fmt.Sprint(p.ID), "catalogue.create practitioner " + fmt.Sprint(p.ID),
		"catalogue.create service " + fmt.Sprint(o.ID), "catalogue.create location " + fmt.Sprint(l.ID)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit lines (-want +got):\n%s", diff)
	}
}
