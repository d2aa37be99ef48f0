package ical_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"backdesk/ical"
)

// unfold undoes RFC 5545 folding and splits into content lines.
func unfold(t *testing.T, b []byte) []string {
	t.Helper()
	s := string(b)
	if !strings.HasSuffix(s, "\r\n") || strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") {
		t.Fatal("lines must end with CRLF, and no bare LF")
	}
	for _, phys := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(phys) > 75 {
			t.Errorf("line of %d octets: %q", len(phys), phys)
		}
		if !utf8.ValidString(phys) {
			t.Errorf("a fold split a UTF-8 character: %q", phys)
		}
	}
	return strings.Split(strings.ReplaceAll(strings.TrimSuffix(s, "\r\n"), "\r\n ", ""), "\r\n")
}

// resolve turns a DTSTART;TZID local time into an instant using only the
// calendar's VTIMEZONE, as a calendar app would.
func resolve(t *testing.T, lines []string, local string) time.Time {
	t.Helper()
	type obs struct {
		onset time.Time // local, in the offset before
		to    time.Duration
	}
	var list []obs
	var cur obs
	in := false
	parseOff := func(v string) time.Duration {
		sign := 1
		if v[0] == '-' {
			sign = -1
		}
		h, m := (v[1]-'0')*10+(v[2]-'0'), (v[3]-'0')*10+(v[4]-'0')
		return time.Duration(sign) * (time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	for _, l := range lines {
		switch {
		case l == "BEGIN:STANDARD" || l == "BEGIN:DAYLIGHT":
			in, cur = true, obs{}
		case l == "END:STANDARD" || l == "END:DAYLIGHT":
			in = false
			list = append(list, cur)
		case in && strings.HasPrefix(l, "DTSTART:"):
			cur.onset, _ = time.Parse("20060102T150405", strings.TrimPrefix(l, "DTSTART:"))
		case in && strings.HasPrefix(l, "TZOFFSETTO:"):
			cur.to = parseOff(strings.TrimPrefix(l, "TZOFFSETTO:"))
		}
	}
	lt, err := time.Parse("20060102T150405", local)
	if err != nil {
		t.Fatal(err)
	}
	var best *obs
	for i := range list {
		if !list[i].onset.After(lt) && (best == nil || list[i].onset.After(best.onset)) {
			best = &list[i]
		}
	}
	if best == nil {
		t.Fatalf("no observance covers %s", local)
	}
	return lt.Add(-best.to)
}

func TestCalendarTimezones(t *testing.T) {
	for _, tc := range []struct {
		zone string
		at   string // RFC 3339
	}{
		{"Europe/London", "2026-12-07T10:00:00Z"},
		{"Europe/London", "2026-07-07T09:00:00+01:00"},
		{"Europe/London", "2026-03-29T02:00:00+01:00"}, // just after spring forward
		{"Europe/London", "2026-10-25T01:30:00+00:00"}, // the second 01:30
		{"America/Edmonton", "2026-11-01T01:30:00-07:00"},
		{"America/Edmonton", "2026-03-08T03:00:00-06:00"},
		{"Asia/Kolkata", "2026-12-07T10:00:00+05:30"}, // no daylight saving
		{"UTC", "2026-12-07T10:00:00Z"},
	} {
		t.Run(tc.zone+" "+tc.at, func(t *testing.T) {
			loc, _ := time.LoadLocation(tc.zone)
			start, _ := time.Parse(time.RFC3339, tc.at)
			out := ical.Calendar("-//backdesk//test//EN", "", loc, []ical.Event{{UID: "b-1@test", Start: start, End: start.Add(45 * time.Minute),
				Summary: "Physio", Stamp: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}})
			lines := unfold(t, out)
			instant := func(prop string) time.Time {
				for _, l := range lines {
					if v, ok := strings.CutPrefix(l, prop+";TZID="+tc.zone+":"); ok {
						return resolve(t, lines, v)
					}
					if v, ok := strings.CutPrefix(l, prop+":"); ok && strings.HasSuffix(v, "Z") {
						u, err := time.Parse("20060102T150405Z", v)
						if err != nil {
							t.Fatal(err)
						}
						return u
					}
				}
				t.Fatalf("no %s in\n%s", prop, out)
				return time.Time{}
			}
			if !strings.Contains(string(out), "TZID:"+tc.zone+"\r\n") {
				t.Fatalf("no VTIMEZONE for %s:\n%s", tc.zone, out)
			}
			if got := instant("DTSTART"); !got.Equal(start) {
				t.Errorf("DTSTART resolves to %s, want %s\n%s", got, start, out)
			}
			if got := instant("DTEND"); !got.Equal(start.Add(45 * time.Minute)) {
				t.Errorf("DTEND resolves to %s", got)
			}
		})
	}
}

func TestCalendarText(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/London")
	start := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	out := ical.Calendar("-//backdesk//test//EN", "Amira's diary", loc, []ical.Event{{
		UID: "booking-42@clinic.example", Start: start, End: start.Add(time.Hour), Stamp: start,
		Summary:     "Physiotherapy; initial assessment, with Amira Shah",
		Location:    "Riverside Back Clinic, 12 Mill Lane, Bristol BS1 4DJ",
		Description: "Müller: bring any scans.\nCall +44 117 496 0123 to change it. " + strings.Repeat("Long text ü ", 12),
		Cancelled:   true, Sequence: 2,
	}})
	lines := unfold(t, out)
	want := []string{
		"BEGIN:VCALENDAR", "VERSION:2.0", "X-WR-CALNAME:Amira's diary", "BEGIN:VEVENT", "UID:booking-42@clinic.example",
		"DTSTAMP:20261207T100000Z", "DTSTART;TZID=Europe/London:20261207T100000",
		`SUMMARY:Physiotherapy\; initial assessment\, with Amira Shah`,
		`LOCATION:Riverside Back Clinic\, 12 Mill Lane\, Bristol BS1 4DJ`,
		"SEQUENCE:2", "STATUS:CANCELLED", "END:VEVENT", "END:VCALENDAR",
	}
	joined := strings.Join(lines, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("calendar lacks %q:\n%s", w, joined)
		}
	}
	if !strings.Contains(joined, `DESCRIPTION:Müller: bring any scans.\nCall +44 117 496 0123`) {
		t.Errorf("description not escaped:\n%s", joined)
	}
	if lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
		t.Error("not one VCALENDAR")
	}
}
