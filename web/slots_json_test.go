package web

import (
	"encoding/json"
	"testing"
	"time"

	"backdesk"
)

// TestAppendSlotsJSON: the hand-written encoding of availability is byte
// for byte what encoding/json writes, across zones, odd offsets, fractions
// of a second and years before 1000 or after 9999 aside (RFC 3339 has
// four-digit years; encoding/json refuses the others).
func TestAppendSlotsJSON(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	t0 := time.Date(2026, 3, 29, 0, 30, 0, 0, london)
	for _, tc := range []struct {
		name  string
		slots []backdesk.Slot
	}{
		{"none", []backdesk.Slot{}},
		{"one in London", []backdesk.Slot{{Start: t0, End: t0.Add(45 * time.Minute), PractitionerID: 1, ServiceID: 2, LocationID: 3}}},
		{"across a clock change, UTC and an odd offset", []backdesk.Slot{
			{Start: t0.Add(time.Hour), End: t0.Add(2 * time.Hour), PractitionerID: 10, ServiceID: 20, LocationID: 30},
			{Start: t0.UTC(), End: t0.UTC().Add(time.Minute), PractitionerID: 1 << 40, ServiceID: 9, LocationID: 9},
			{Start: t0.In(kolkata), End: t0.In(kolkata).Add(time.Hour), PractitionerID: 5, ServiceID: 6, LocationID: 7},
			{Start: t0.Add(1500 * time.Microsecond), End: t0.Add(time.Nanosecond), PractitionerID: 5, ServiceID: 6, LocationID: 7},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := json.Marshal(tc.slots)
			if err != nil {
				t.Fatal(err)
			}
			if got := appendSlotsJSON(nil, tc.slots); string(got) != string(want) {
				t.Errorf("appendSlotsJSON = %s\nwant %s", got, want)
			}
		})
	}
}
