package ical

import (
	"testing"
	"time"
)

// FuzzFirstReading checks firstReading, which decides whether an event's
// start can be written as local time with its TZID or must be written in
// UTC, against a scan of every minute of the 26 hours before: a local
// wall time reads back as its first occurrence, so it is exact only if no
// earlier instant shows the same wall time. The seeds sit in the repeated
// hours of autumn changes, at 01:00 and at midnight.
func FuzzFirstReading(f *testing.F) {
	for _, s := range []struct {
		zone uint8
		at   string
	}{
		{0, "2026-10-25T00:30:00Z"}, // Europe/London, first 01:30 (BST)
		{0, "2026-10-25T01:30:00Z"}, // second 01:30 (GMT)
		{1, "2026-11-01T08:30:00Z"}, // America/Edmonton, second 01:30
		{2, "2026-04-05T03:30:00Z"}, // America/Santiago, 23:30 on the 4th, second time
		{3, "2026-04-04T14:45:00Z"}, // Australia/Lord_Howe, half-hour change
		{4, "2026-06-01T12:00:00Z"}, // UTC
	} {
		at, _ := time.Parse(time.RFC3339, s.at)
		f.Add(s.zone, at.Unix())
	}
	zones := []string{"Europe/London", "America/Edmonton", "America/Santiago", "Australia/Lord_Howe", "UTC", "Asia/Beirut", "Pacific/Auckland"}
	f.Fuzz(func(t *testing.T, zone uint8, unix int64) {
		loc, err := time.LoadLocation(zones[int(zone)%len(zones)])
		if err != nil {
			t.Skip(err)
		}
		const y2020, y2035 = 1577836800, 2051222400
		unix = y2020 + ((unix-y2020)%(y2035-y2020)+(y2035-y2020))%(y2035-y2020)
		at := time.Unix(unix, 0).Truncate(time.Minute)
		wall := at.In(loc).Format("2006-01-02 15:04")
		first := true
		for u := at.Add(-26 * time.Hour); u.Before(at); u = u.Add(time.Minute) {
			if u.In(loc).Format("2006-01-02 15:04") == wall {
				first = false
				break
			}
		}
		if got := firstReading(at, loc); got != first {
			t.Fatalf("firstReading(%s, %s) = %v, the scan says %v", at.In(loc).Format(time.RFC3339), loc, got, first)
		}
	})
}
