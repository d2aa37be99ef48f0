// Package ical writes iCalendar (RFC 5545) files: appointments as VEVENTs
// in their location's time zone, with a VTIMEZONE built from the zone's real
// transitions, CRLF line ends, escaping and 75-octet folding. It is pure.
package ical

import (
	"fmt"

	"strings"
	"time"
)

// Event is one appointment.
type Event struct {
	UID         string // globally unique, e.g. "booking-42@clinic.example"
	Start, End  time.Time
	Summary     string
	Location    string
	Description string
	Cancelled   bool
	// Sequence grows each time the event changes (RFC 5545 3.8.7.4).
	Sequence int
	// Stamp is when this version of the event was made (DTSTAMP).
	Stamp time.Time
}

// Calendar renders events in zone loc as one VCALENDAR. name, when set,
// becomes X-WR-CALNAME (a feed's title in most calendar apps).
func Calendar(prodID, name string, loc *time.Location, events []Event) []byte {
	var b strings.Builder
	w := func(line string) { b.WriteString(fold(line)) }
	w("BEGIN:VCALENDAR")
	w("VERSION:2.0")
	w("PRODID:" + prodID)
	w("CALSCALE:GREGORIAN")
	w("METHOD:PUBLISH")
	if name != "" {
		w("X-WR-CALNAME:" + escape(name))
	}
	tzid := loc.String()
	if len(events) > 0 {
		writeTimezone(w, loc, events)
	}
	for _, e := range events {
		w("BEGIN:VEVENT")
		w("UID:" + escape(e.UID))
		w("DTSTAMP:" + e.Stamp.UTC().Format("20060102T150405Z"))
		w("DTSTART" + dateTime(e.Start, loc, tzid))
		w("DTEND" + dateTime(e.End, loc, tzid))
		w("SUMMARY:" + escape(e.Summary))
		if e.Location != "" {
			w("LOCATION:" + escape(e.Location))
		}
		if e.Description != "" {
			w("DESCRIPTION:" + escape(e.Description))
		}
		w(fmt.Sprintf("SEQUENCE:%d", e.Sequence))
		if e.Cancelled {
			w("STATUS:CANCELLED")
		} else {
			w("STATUS:CONFIRMED")
		}
		w("END:VEVENT")
	}
	w("END:VCALENDAR")
	return []byte(b.String())
}

// dateTime writes t as local time with the zone's TZID, which calendars show
// in the clinic's time across DST. In the repeated hour of an autumn change
// a local time is ambiguous and RFC 5545 takes the first occurrence; a time
// in the second occurrence is written in UTC instead, which is exact.
func dateTime(t time.Time, loc *time.Location, tzid string) string {
	lt := t.In(loc)
	if !firstReading(t.Truncate(time.Second), loc) {
		return ":" + t.UTC().Format("20060102T150405Z")
	}
	return ";TZID=" + tzid + ":" + lt.Format("20060102T150405")
}

// firstReading reports whether t is the earliest instant whose local wall
// time in loc is that of t: what a calendar reading the local time with its
// TZID will take (RFC 5545 3.3.5). It tries the offsets a day either side,
// which cover any nearby change.
func firstReading(t time.Time, loc *time.Location) bool {
	lt := t.In(loc)
	wall := time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute(), lt.Second(), 0, time.UTC)
	for _, probe := range []time.Time{t.Add(-24 * time.Hour), t.Add(24 * time.Hour)} {
		_, off := probe.In(loc).Zone()
		c := wall.Add(-time.Duration(off) * time.Second)
		if _, cOff := c.In(loc).Zone(); cOff == off && c.Before(t) {
			return false // an earlier instant shows the same wall time
		}
	}
	return true
}

// writeTimezone writes a VTIMEZONE whose observances are the zone's real
// transitions from a year before the first event to a year after the last,
// each with an explicit DTSTART, plus the observance in force at the start.
func writeTimezone(w func(string), loc *time.Location, events []Event) {
	first, last := events[0].Start, events[0].End
	for _, e := range events {
		if e.Start.Before(first) {
			first = e.Start
		}
		if e.End.After(last) {
			last = e.End
		}
	}
	from, to := first.AddDate(-1, 0, 0), last.AddDate(1, 0, 0)
	w("BEGIN:VTIMEZONE")
	w("TZID:" + loc.String())
	// The observance in force at from: DTSTART is when it began (or from).
	t := from.In(loc)
	start, end := t.ZoneBounds()
	if start.IsZero() || start.Before(from.AddDate(-2, 0, 0)) {
		start = from
	}
	prevOffset := offsetAt(start.Add(-time.Second), loc)
	if start.Equal(from) {
		prevOffset = offsetAt(start, loc)
	}
	writeObservance(w, loc, start, prevOffset)
	for !end.IsZero() && end.Before(to) {
		prev := offsetAt(end.Add(-time.Second), loc)
		writeObservance(w, loc, end, prev)
		_, end = end.In(loc).ZoneBounds()
	}
	w("END:VTIMEZONE")
}

func offsetAt(t time.Time, loc *time.Location) int {
	_, off := t.In(loc).Zone()
	return off
}

// writeObservance writes a STANDARD or DAYLIGHT block for the zone that
// begins at instant at; its DTSTART is local time in the previous offset, as
// RFC 5545 requires.
func writeObservance(w func(string), loc *time.Location, at time.Time, prevOffset int) {
	lt := at.In(loc)
	name, offset := lt.Zone()
	kind := "STANDARD"
	if lt.IsDST() {
		kind = "DAYLIGHT"
	}
	w("BEGIN:" + kind)
	w("DTSTART:" + at.Add(time.Duration(prevOffset)*time.Second).UTC().Format("20060102T150405"))
	w("TZOFFSETFROM:" + formatOffset(prevOffset))
	w("TZOFFSETTO:" + formatOffset(offset))
	w("TZNAME:" + escape(name))
	w("END:" + kind)
}

func formatOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	return fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
}

// escape escapes TEXT values (RFC 5545 3.3.11).
func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// fold ends a content line with CRLF, folding it so that no physical line
// exceeds 75 octets, never inside a UTF-8 sequence (RFC 5545 3.1).
func fold(line string) string {
	var b strings.Builder
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && line[cut]&0xC0 == 0x80 { // a UTF-8 continuation byte
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
	return b.String()
}
