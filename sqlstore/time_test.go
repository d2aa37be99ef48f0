package sqlstore

import (
	"testing"
	"time"
)

func TestParseFixed(t *testing.T) {
	for _, in := range []time.Time{
		time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 59, 999999000, time.UTC),
		time.Date(1999, 1, 1, 0, 0, 0, 1000, time.UTC),
	} {
		got, ok := parseFixed(formatTime(in))
		if !ok || !got.Equal(in) {
			t.Errorf("parseFixed(%s) = %v %v", formatTime(in), got, ok)
		}
	}
	for _, bad := range []string{"", "2026-02-31T00:00:00.000000Z", "2026-13-01T00:00:00.000000Z", "2026-01-01 00:00:00.000000Z", "2026-01-01T00:00:00Z", "2026-01-01T0a:00:00.000000Z"} {
		if _, ok := parseFixed(bad); ok {
			t.Errorf("parseFixed(%q) accepted", bad)
		}
	}
	// What parseFixed refuses still goes through the general parser.
	var got time.Time
	if err := (dbTime{&got}).Scan("2026-01-01T10:00:00+01:00"); err != nil || !got.Equal(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("fallback = %v %v", got, err)
	}
}

func FuzzParseFixed(f *testing.F) {
	f.Add("2026-03-29T01:00:00.000000Z")
	f.Add("2026-02-29T00:00:00.000000Z")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseFixed(s)
		want, err := time.Parse(timeLayout, s)
		if ok != (err == nil) && ok {
			t.Fatalf("parseFixed(%q) = %v, time.Parse says %v", s, got, err)
		}
		if ok && !got.Equal(want) {
			t.Fatalf("parseFixed(%q) = %v, want %v", s, got, want)
		}
	})
}
