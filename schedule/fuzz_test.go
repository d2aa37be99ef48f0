package schedule

import (
	"math/rand/v2"
	"testing"
	"time"

	"backdesk"
)

// FuzzSlots checks Slots against a slow oracle that asks, for every minute
// of the window, whether an appointment could start then: on the grid from
// that local day's midnight (stepped in real time), inside one working
// period and one opening period of that day, on a day that is not closed,
// and clear (with its buffer) of every busy interval. Zones include
// 30-minute and 45-minute offsets, a 30-minute daylight-saving shift and
// clock changes at midnight; the seeds sit on clock changes.
func FuzzSlots(f *testing.F) {
	for _, seed := range []struct {
		zone  uint8
		start string
	}{
		{0, "2026-03-28T12:00:00Z"}, // Europe/London spring forward
		{0, "2026-10-24T12:00:00Z"}, // Europe/London fall back
		{1, "2026-03-07T12:00:00Z"}, // America/Edmonton
		{1, "2026-10-31T12:00:00Z"},
		{2, "2026-04-04T00:00:00Z"}, // Australia/Lord_Howe, a 30-minute shift
		{2, "2026-10-03T00:00:00Z"},
		{3, "2026-04-04T00:00:00Z"}, // Pacific/Auckland
		{3, "2026-09-26T00:00:00Z"},
		{4, "2026-06-01T00:00:00Z"}, // Asia/Kathmandu, +05:45
		{5, "2026-01-01T00:00:00Z"}, // UTC
		{6, "2026-04-04T12:00:00Z"}, // America/Santiago: clocks change at midnight
		{6, "2026-09-05T12:00:00Z"},
		{7, "2026-03-28T12:00:00Z"}, // Asia/Beirut: likewise
		{7, "2026-10-24T12:00:00Z"},
	} {
		at, _ := time.Parse(time.RFC3339, seed.start)
		f.Add(seed.zone, at.Unix(), uint16(3*24*60), uint8(15), uint8(45), uint8(15), uint64(1), uint64(2))
		f.Add(seed.zone, at.Unix()+7*60, uint16(2*24*60+13), uint8(20), uint8(60), uint8(0), uint64(3), uint64(4))
	}
	zones := []string{"Europe/London", "America/Edmonton", "Australia/Lord_Howe", "Pacific/Auckland", "Asia/Kathmandu", "UTC", "America/Santiago", "Asia/Beirut"}
	f.Fuzz(func(t *testing.T, zone uint8, from int64, span uint16, step, dur, buf uint8, hoursSeed, busySeed uint64) {
		loc, err := time.LoadLocation(zones[int(zone)%len(zones)])
		if err != nil {
			t.Skip(err)
		}
		// Keep it to dates the zone database describes and to windows the
		// oracle can walk minute by minute.
		const y2020, y2035 = 1577836800, 2051222400
		from = y2020 + ((from-y2020)%(y2035-y2020)+(y2035-y2020))%(y2035-y2020)
		in := Input{
			Loc:      loc,
			Duration: time.Duration(5+int(dur)%120) * time.Minute,
			Buffer:   time.Duration(int(buf)%31) * time.Minute,
			Step:     time.Duration([]int{5, 10, 15, 20, 30, 60}[int(step)%6]) * time.Minute,
			From:     time.Unix(from, 0),
		}
		in.To = in.From.Add(time.Duration(1+int(span)%(4*24*60)) * time.Minute)
		r := rand.New(rand.NewPCG(hoursSeed, busySeed))
		clock := func() backdesk.ClockTime {
			if r.IntN(4) == 0 { // often on the hour, sometimes in a clock change's gap
				return backdesk.ClockTime(60 * r.IntN(25))
			}
			return backdesk.ClockTime(r.IntN(24*60 + 1))
		}
		period := func() (backdesk.Weekday, backdesk.ClockTime, backdesk.ClockTime) {
			a, b := clock(), clock()
			if a > b {
				a, b = b, a
			}
			return backdesk.Weekday(r.IntN(7)), a, b
		}
		for range 1 + r.IntN(8) {
			d, a, b := period()
			in.Working = append(in.Working, backdesk.WorkingHours{Weekday: d, Starts: a, Ends: b})
		}
		if r.IntN(2) == 0 {
			for range 1 + r.IntN(8) {
				d, a, b := period()
				in.Opening = append(in.Opening, backdesk.OpeningHours{Weekday: d, Opens: a, Closes: b})
			}
		}
		if r.IntN(3) == 0 {
			d := in.From.In(loc).AddDate(0, 0, r.IntN(3))
			date := backdesk.Date{Year: d.Year(), Month: d.Month(), Day: d.Day()}
			in.Closures = append(in.Closures, backdesk.Closure{From: date, To: date})
		}
		for range r.IntN(12) {
			s := in.From.Add(time.Duration(r.IntN(int(in.To.Sub(in.From)/time.Minute)+120)-60) * time.Minute)
			in.Busy = append(in.Busy, backdesk.Interval{Start: s, End: s.Add(time.Duration(1+r.IntN(180)) * time.Minute)})
		}

		got := Slots(in)
		want := oracle(in)
		for i, s := range got {
			if !s.End.Equal(s.Start.Add(in.Duration)) {
				t.Fatalf("slot %v ends at %v, not after %v", s.Start, s.End, in.Duration)
			}
			if i > 0 && !got[i-1].Start.Before(s.Start) {
				t.Fatalf("slots out of order or repeated at %v", s.Start)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%d slots, the oracle finds %d\n%s", len(got), len(want), diff(got, want, loc))
		}
		for i := range got {
			if !got[i].Start.Equal(want[i]) {
				t.Fatalf("slot %d at %v, the oracle says %v\n%s", i, got[i].Start.In(loc), want[i].In(loc), diff(got, want, loc))
			}
		}
		// Offered, which checks a booking, agrees minute by minute.
		allowed := map[int64]bool{}
		for _, s := range want {
			allowed[s.Unix()] = true
		}
		for m := in.From.Truncate(time.Minute); m.Before(in.To.Add(time.Minute)); m = m.Add(time.Minute) {
			iv, ok := Offered(in, m)
			if want := allowed[m.Unix()] && !m.Before(in.From); ok != want {
				t.Fatalf("Offered(%v) = %v, the oracle says %v", m.In(loc), ok, want)
			}
			if ok && (!iv.Start.Equal(m) || !iv.End.Equal(m.Add(in.Duration))) {
				t.Fatalf("Offered(%v) = %v–%v", m.In(loc), iv.Start, iv.End)
			}
		}
	})
}

// oracle lists every start the rules allow, by trying each minute.
func oracle(in Input) []time.Time {
	var out []time.Time
	first := in.From.Truncate(time.Minute)
	if first.Before(in.From) {
		first = first.Add(time.Minute)
	}
	for t := first; t.Before(in.To); t = t.Add(time.Minute) {
		lt := t.In(in.Loc)
		day := backdesk.DateOf(lt).Start(in.Loc)
		if t.Sub(day)%in.Step != 0 {
			continue
		}
		if closed(in.Closures, backdesk.Date{Year: lt.Year(), Month: lt.Month(), Day: lt.Day()}) {
			continue
		}
		end := t.Add(in.Duration)
		fits := func(a, b backdesk.ClockTime) bool { return !t.Before(at(day, a)) && !end.After(at(day, b)) }
		wd := backdesk.Weekday(day.Weekday())
		working := false
		for _, w := range in.Working {
			working = working || w.Weekday == wd && fits(w.Starts, w.Ends)
		}
		open := len(in.Opening) == 0
		for _, o := range in.Opening {
			open = open || o.Weekday == wd && fits(o.Opens, o.Closes)
		}
		free := true
		for _, b := range in.Busy {
			free = free && !(b.Start.Before(end.Add(in.Buffer)) && b.End.After(t))
		}
		if working && open && free {
			out = append(out, t)
		}
	}
	return out
}

// diff shows the first starts the two lists disagree on.
func diff(got []backdesk.Interval, want []time.Time, loc *time.Location) string {
	g := map[int64]bool{}
	for _, s := range got {
		g[s.Start.Unix()] = true
	}
	w := map[int64]bool{}
	for _, s := range want {
		w[s.Unix()] = true
	}
	out, n := "", 0
	for _, s := range got {
		if !w[s.Start.Unix()] && n < 5 {
			out += "  offered, not allowed: " + s.Start.In(loc).Format("Mon 2006-01-02 15:04 MST") + "\n"
			n++
		}
	}
	for _, s := range want {
		if !g[s.Unix()] && n < 10 {
			out += "  allowed, not offered: " + s.In(loc).Format("Mon 2006-01-02 15:04 MST") + "\n"
			n++
		}
	}
	return out
}
