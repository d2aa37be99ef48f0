// Package schedule computes bookable slots: weekly working hours, opening
// hours, closures and time off, minus existing bookings, on a grid anchored
// to local midnight. It is pure (no I/O, no clock) and DST-aware: times are
// stepped as real instants from each local midnight, so a wall-clock time
// skipped by a spring-forward change is never offered, and the repeated
// hour of an autumn change is offered once per real instant.
package schedule

import (
	"slices"
	"time"

	"backdesk"
)

// Input is everything needed to compute one practitioner's slots at one
// location for one service.
type Input struct {
	Loc      *time.Location
	Opening  []backdesk.OpeningHours // the location's; nil means always open
	Closures []backdesk.Closure      // the location's closed dates (local)
	Working  []backdesk.WorkingHours // the practitioner's, at this location
	// Busy are existing bookings, each from its start to its end plus its
	// buffer, and time off. Any order.
	Busy []backdesk.Interval
	// Duration is the appointment; Buffer is kept free after it.
	Duration, Buffer time.Duration
	// Step is the grid from local midnight that start times fall on.
	Step time.Duration
	// From, To bound the start times offered: From ≤ start < To.
	From, To time.Time
}

// Window narrows [from, to) to the start times policy lets a patient book
// at now: none sooner than the minimum notice, none beyond the horizon.
func Window(from, to, now time.Time, p backdesk.BookingPolicy) (time.Time, time.Time) {
	return maxTime(from, now.Add(time.Duration(p.MinNoticeMinutes)*time.Minute)),
		minTime(to, now.Add(time.Duration(p.HorizonDays)*24*time.Hour))
}

// Slots returns every start time, earliest first, at which an appointment
// of in.Duration fits within working and opening hours, on an open day,
// with it and its buffer clear of every busy interval.
func Slots(in Input) []backdesk.Interval {
	if in.Step <= 0 || in.Duration <= 0 || !in.From.Before(in.To) || len(in.Working) == 0 {
		return nil
	}
	busy := newBusyIndex(in.Busy)
	var out []backdesk.Interval
	// Walk local dates from the day before From (a late period may start
	// then) to the day of To. Dates are counted as dates, not by adding a
	// day to an instant: where a midnight does not exist, that would stall.
	lastDate := backdesk.DateOf(in.To.In(in.Loc))
	for date := backdesk.DateOf(in.From.In(in.Loc)).AddDays(-1); !lastDate.Before(date); date = date.AddDays(1) {
		if closed(in.Closures, date) {
			continue
		}
		day := date.Start(in.Loc)
		wd := backdesk.Weekday(day.Weekday())
		for _, w := range periodsOn(in.Working, wd) {
			start, end := at(day, w.Starts), at(day, w.Ends)
			// Intersect with the location's opening hours that day.
			for _, open := range openOn(in.Opening, wd, day) {
				s, e := maxTime(start, open.Start), minTime(end, open.End)
				// The grid from midnight, from the first time at or after
				// both the period's start and From.
				for t := gridFrom(day, maxTime(s, in.From), in.Step); !t.Add(in.Duration).After(e); t = t.Add(in.Step) {
					if !t.Before(in.To) {
						break
					}
					want := backdesk.Interval{Start: t, End: t.Add(in.Duration + in.Buffer)}
					if !busy.overlaps(want) {
						out = append(out, backdesk.Interval{Start: t, End: t.Add(in.Duration)})
					}
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b backdesk.Interval) int { return a.Start.Compare(b.Start) })
	return slices.CompactFunc(out, func(a, b backdesk.Interval) bool { return a.Start.Equal(b.Start) })
}

// Offered reports whether start is one of the start times Slots(in) gives,
// and returns that slot: the same computation, narrowed to the one time, so
// that checking a booking costs what one time costs, not a window's.
func Offered(in Input, start time.Time) (backdesk.Interval, bool) {
	if start.Before(in.From) || !start.Before(in.To) {
		return backdesk.Interval{}, false
	}
	in.From, in.To = start, start.Add(time.Nanosecond)
	for _, iv := range Slots(in) {
		if iv.Start.Equal(start) {
			return iv, true
		}
	}
	return backdesk.Interval{}, false
}

// at is the instant of wall-clock time c on the local date of day; 24:00
// is the start of the next date. A wall time that does not exist, in a
// spring-forward gap, becomes the first instant after the gap: hours "from
// 02:30" on that night start when the clocks have jumped. (time.Date alone
// may resolve it to before the gap.)
func at(day time.Time, c backdesk.ClockTime) time.Time {
	h, m := int(c)/60, int(c)%60
	if h == 24 {
		return backdesk.DateOf(day).AddDays(1).Start(day.Location())
	}
	t := time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, day.Location())
	if t.Hour() == h && t.Minute() == m {
		return t
	}
	start, end := t.ZoneBounds()
	if t.Hour()*60+t.Minute() < h*60+m || t.Day() != day.Day() {
		return end // resolved to before the gap: the gap ends where this zone does
	}
	return start // resolved to after the gap: it began where this zone does
}

// gridFrom returns the first grid instant at or after s, stepping real time
// from the day's local midnight.
func gridFrom(midnight, s time.Time, step time.Duration) time.Time {
	if !s.After(midnight) {
		return midnight
	}
	n := s.Sub(midnight) / step
	t := midnight.Add(n * step)
	if t.Before(s) {
		t = t.Add(step)
	}
	return t
}

func periodsOn(ws []backdesk.WorkingHours, d backdesk.Weekday) []backdesk.WorkingHours {
	var out []backdesk.WorkingHours
	for _, w := range ws {
		if w.Weekday == d {
			out = append(out, w)
		}
	}
	return out
}

// openOn returns the location's open spans on day; with no opening hours
// configured at all, the whole day.
func openOn(os []backdesk.OpeningHours, d backdesk.Weekday, day time.Time) []backdesk.Interval {
	if len(os) == 0 {
		return []backdesk.Interval{{Start: day, End: at(day, 24*60)}}
	}
	var out []backdesk.Interval
	for _, o := range os {
		if o.Weekday == d {
			out = append(out, backdesk.Interval{Start: at(day, o.Opens), End: at(day, o.Closes)})
		}
	}
	return out
}

func closed(cs []backdesk.Closure, d backdesk.Date) bool {
	for _, c := range cs {
		if !d.Before(c.From) && !c.To.Before(d) {
			return true
		}
	}
	return false
}

// busyIndex holds busy intervals sorted by start, with the latest end seen
// up to each position, so that an overlap test looks only at intervals that
// can overlap and stops exactly when none earlier can.
type busyIndex struct {
	iv     []backdesk.Interval
	maxEnd []time.Time
}

func newBusyIndex(busy []backdesk.Interval) busyIndex {
	iv := slices.Clone(busy)
	slices.SortFunc(iv, func(a, b backdesk.Interval) int { return a.Start.Compare(b.Start) })
	maxEnd := make([]time.Time, len(iv))
	for i, b := range iv {
		maxEnd[i] = b.End
		if i > 0 && maxEnd[i-1].After(b.End) {
			maxEnd[i] = maxEnd[i-1]
		}
	}
	return busyIndex{iv: iv, maxEnd: maxEnd}
}

// overlaps reports whether x overlaps any busy interval.
func (b busyIndex) overlaps(x backdesk.Interval) bool {
	// Intervals starting at or after x.End cannot overlap.
	n, _ := slices.BinarySearchFunc(b.iv, x.End, func(v backdesk.Interval, t time.Time) int { return v.Start.Compare(t) })
	for i := n - 1; i >= 0; i-- {
		if !b.maxEnd[i].After(x.Start) {
			return false // nothing at or before i ends after x starts
		}
		if b.iv[i].End.After(x.Start) {
			return true // starts before x.End and ends after x.Start
		}
	}
	return false
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
