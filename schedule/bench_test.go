package schedule_test

import (
	"testing"
	"time"

	"backdesk"
	"backdesk/schedule"
)

// BenchmarkSlots: one practitioner's 14 days, Monday to Saturday
// 08:00–20:00 on a 15-minute grid, with 6 bookings a day.
func BenchmarkSlots(b *testing.B) {
	loc, _ := time.LoadLocation("Europe/London")
	var working []backdesk.WorkingHours
	for d := time.Monday; d <= time.Saturday; d++ {
		working = append(working, hours(d, "08:00", "20:00"))
	}
	from := time.Date(2026, 3, 23, 0, 0, 0, 0, loc)
	var busy []backdesk.Interval
	for d := 0; d < 14; d++ {
		for k := 0; k < 6; k++ {
			s := from.AddDate(0, 0, d).Add(time.Duration(9+2*k) * time.Hour)
			busy = append(busy, backdesk.Interval{Start: s, End: s.Add(time.Hour)})
		}
	}
	in := schedule.Input{Loc: loc, Working: working, Busy: busy, Duration: 45 * time.Minute, Buffer: 15 * time.Minute,
		Step: 15 * time.Minute, From: from, To: from.AddDate(0, 0, 14)}
	for b.Loop() {
		schedule.Slots(in)
	}
}
