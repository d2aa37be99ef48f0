package backdesk

import (
	"testing"
	"time"
)

// TestDateStart: a date begins at its midnight, or where the clocks jump
// forward at midnight, when the jump ends; AddDays counts dates, across
// months and years.
func TestDateStart(t *testing.T) {
	load := func(name string) *time.Location {
		l, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	for _, tc := range []struct {
		d    Date
		loc  *time.Location
		want string
	}{
		{Date{2026, 3, 29}, load("Europe/London"), "2026-03-29T00:00:00Z"},        // the change is at 01:00
		{Date{2026, 9, 6}, load("America/Santiago"), "2026-09-06T01:00:00-03:00"}, // 00:00 does not exist
		{Date{2026, 4, 5}, load("America/Santiago"), "2026-04-05T00:00:00-04:00"}, // after the evening's repeated hour
		{Date{2026, 3, 29}, load("Asia/Beirut"), "2026-03-29T01:00:00+03:00"},     // 00:00 does not exist
		{Date{2026, 12, 31}, time.UTC, "2026-12-31T00:00:00Z"},
	} {
		if got := tc.d.Start(tc.loc).Format(time.RFC3339); got != tc.want {
			t.Errorf("%s.Start(%s) = %s, want %s", tc.d, tc.loc, got, tc.want)
		}
		if next := tc.d.AddDays(1).Start(tc.loc); !next.After(tc.d.Start(tc.loc)) || DateOf(next.In(tc.loc)) != tc.d.AddDays(1) {
			t.Errorf("%s: the next date starts at %s", tc.d, next)
		}
	}
	if got := (Date{2026, 12, 31}).AddDays(1); got != (Date{2027, 1, 1}) {
		t.Errorf("AddDays across a year = %s", got)
	}
	if got := (Date{2026, 3, 1}).AddDays(-1); got != (Date{2026, 2, 28}) {
		t.Errorf("AddDays back across a month = %s", got)
	}
}
