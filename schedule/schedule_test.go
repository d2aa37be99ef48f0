package schedule_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"backdesk"
	"backdesk/schedule"
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func hours(d time.Weekday, from, to string) backdesk.WorkingHours {
	return backdesk.WorkingHours{LocationID: 1, Weekday: backdesk.Weekday(d), Starts: backdesk.MustClockTime(from), Ends: backdesk.MustClockTime(to)}
}

// local renders slot starts as local wall times with their zone.
func local(slots []backdesk.Interval, loc *time.Location) []string {
	var out []string
	for _, s := range slots {
		out = append(out, s.Start.In(loc).Format("Mon 15:04 MST"))
	}
	return out
}

func TestSlots(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	mon := time.Date(2026, 11, 30, 0, 0, 0, 0, london) // a Monday in GMT
	iv := func(from, to string) backdesk.Interval {
		f, _ := time.ParseInLocation("2006-01-02 15:04", "2026-11-30 "+from, london)
		e, _ := time.ParseInLocation("2006-01-02 15:04", "2026-11-30 "+to, london)
		return backdesk.Interval{Start: f, End: e}
	}
	base := schedule.Input{Loc: london, Working: []backdesk.WorkingHours{hours(time.Monday, "09:00", "12:00")},
		Duration: 45 * time.Minute, Buffer: 15 * time.Minute, Step: 15 * time.Minute, From: mon, To: mon.AddDate(0, 0, 1)}
	for _, tc := range []struct {
		name string
		edit func(*schedule.Input)
		want string
	}{
		{"empty morning", func(*schedule.Input) {}, "09:00 09:15 09:30 09:45 10:00 10:15 10:30 10:45 11:00 11:15"},
		{"a booking and its buffer block around it", func(in *schedule.Input) {
			in.Busy = []backdesk.Interval{iv("10:00", "11:00")} // 10:00–10:45 plus 15 min buffer
		}, "09:00 11:00 11:15"},
		{"the new appointment's buffer must clear the next booking", func(in *schedule.Input) {
			in.Busy = []backdesk.Interval{iv("11:00", "12:00")}
		}, "09:00 09:15 09:30 09:45 10:00"},
		{"a long time off that starts long before", func(in *schedule.Input) {
			in.Busy = []backdesk.Interval{{Start: mon.AddDate(0, 0, -20), End: mon.Add(10 * time.Hour)}, iv("11:30", "11:45")}
			for i := range 100 { // many short bookings in between, all in the past
				s := mon.AddDate(0, 0, -19).Add(time.Duration(i) * time.Hour)
				in.Busy = append(in.Busy, backdesk.Interval{Start: s, End: s.Add(30 * time.Minute)})
			}
		}, "10:00 10:15 10:30"}, // time off until 10:00 blocks the morning despite 100 bookings starting between
		{"the day is a closure", func(in *schedule.Input) {
			in.Closures = []backdesk.Closure{{From: backdesk.Date{Year: 2026, Month: 11, Day: 29}, To: backdesk.Date{Year: 2026, Month: 11, Day: 30}}}
		}, ""},
		{"opening hours narrower than working hours", func(in *schedule.Input) {
			in.Opening = []backdesk.OpeningHours{{Weekday: 1, Opens: backdesk.MustClockTime("10:00"), Closes: backdesk.MustClockTime("11:30")}}
		}, "10:00 10:15 10:30 10:45"},
		{"closed on the weekday", func(in *schedule.Input) {
			in.Opening = []backdesk.OpeningHours{{Weekday: 2, Opens: backdesk.MustClockTime("08:00"), Closes: backdesk.MustClockTime("20:00")}}
		}, ""},
		{"the grid is anchored to midnight", func(in *schedule.Input) {
			in.Working = []backdesk.WorkingHours{hours(time.Monday, "09:10", "10:30")}
		}, "09:15 09:30 09:45"},
		{"from cuts the morning", func(in *schedule.Input) { in.From = iv("10:05", "10:05").Start }, "10:15 10:30 10:45 11:00 11:15"},
		{"to is exclusive", func(in *schedule.Input) { in.To = iv("09:30", "09:30").Start }, "09:00 09:15"},
		{"a split day", func(in *schedule.Input) {
			in.Working = []backdesk.WorkingHours{hours(time.Monday, "09:00", "10:00"), hours(time.Monday, "14:00", "15:00")}
		}, "09:00 09:15 14:00 14:15"},
		{"no working hours", func(in *schedule.Input) { in.Working = nil }, ""},
		{"another weekday", func(in *schedule.Input) { in.Working = []backdesk.WorkingHours{hours(time.Tuesday, "09:00", "12:00")} }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			tc.edit(&in)
			var got []string
			for _, s := range schedule.Slots(in) {
				got = append(got, s.Start.In(london).Format("15:04"))
				if s.End.Sub(s.Start) != in.Duration {
					t.Errorf("slot %v lasts %v", s.Start, s.End.Sub(s.Start))
				}
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("Slots = %q, want %q", strings.Join(got, " "), tc.want)
			}
		})
	}
}

// checkDST asserts what a person must see around a clock change: every
// offered time is a real local time on the grid, no instant twice, sorted.
func checkDST(t *testing.T, slots []backdesk.Interval, loc *time.Location, step time.Duration) {
	t.Helper()
	seen := map[time.Time]bool{}
	for i, s := range slots {
		lt := s.Start.In(loc)
		if (lt.Hour()*60+lt.Minute())%int(step/time.Minute) != 0 || lt.Second() != 0 {
			t.Errorf("slot %s is off the grid", lt)
		}
		back := time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute(), 0, 0, loc)
		if back.In(loc).Format("15:04") != lt.Format("15:04") {
			t.Errorf("slot %s is not a real local time", lt)
		}
		if seen[s.Start] {
			t.Errorf("slot %s offered twice", lt)
		}
		seen[s.Start] = true
		if i > 0 && !slots[i-1].Start.Before(s.Start) {
			t.Errorf("slots out of order at %s", lt)
		}
	}
}

func TestDST(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	edmonton := mustLoad(t, "America/Edmonton")
	for _, tc := range []struct {
		name       string
		loc        *time.Location
		date       string // a Sunday of a clock change
		from, to   string
		step, dur  time.Duration
		want       string
		wantInstUT string // the first slot in UTC
	}{
		// London springs forward at 01:00 GMT to 02:00 BST: 01:00–01:59 do not exist.
		{"London spring forward", london, "2026-03-29", "00:00", "04:00", 30 * time.Minute, 30 * time.Minute,
			"Sun 00:00 GMT,Sun 00:30 GMT,Sun 02:00 BST,Sun 02:30 BST,Sun 03:00 BST,Sun 03:30 BST", "2026-03-29T00:00:00Z"},
		// London falls back at 02:00 BST to 01:00 GMT: 01:00–01:59 happen twice, as different instants.
		{"London fall back", london, "2026-10-25", "00:00", "04:00", 30 * time.Minute, 30 * time.Minute,
			"Sun 00:00 BST,Sun 00:30 BST,Sun 01:00 BST,Sun 01:30 BST,Sun 01:00 GMT,Sun 01:30 GMT,Sun 02:00 GMT,Sun 02:30 GMT,Sun 03:00 GMT,Sun 03:30 GMT", "2026-10-24T23:00:00Z"},
		// Ordinary working hours the day after the change are unaffected in local time.
		{"London Monday after spring forward", london, "2026-03-30", "09:00", "10:00", 30 * time.Minute, 30 * time.Minute,
			"Mon 09:00 BST,Mon 09:30 BST", "2026-03-30T08:00:00Z"},
		// Edmonton springs forward at 02:00 MST to 03:00 MDT.
		{"Edmonton spring forward", edmonton, "2026-03-08", "01:00", "04:00", 30 * time.Minute, 30 * time.Minute,
			"Sun 01:00 MST,Sun 01:30 MST,Sun 03:00 MDT,Sun 03:30 MDT", "2026-03-08T08:00:00Z"},
		// Edmonton falls back at 02:00 MDT to 01:00 MST.
		{"Edmonton fall back", edmonton, "2026-11-01", "00:00", "03:00", time.Hour, time.Hour,
			"Sun 00:00 MDT,Sun 01:00 MDT,Sun 01:00 MST,Sun 02:00 MST", "2026-11-01T06:00:00Z"},
		// A period that starts inside the spring gap starts at the first real time after it.
		{"Edmonton hours starting in the gap", edmonton, "2026-03-08", "02:30", "04:00", 30 * time.Minute, 30 * time.Minute,
			"Sun 03:00 MDT,Sun 03:30 MDT", "2026-03-08T09:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			day, _ := time.ParseInLocation(time.DateOnly, tc.date, tc.loc)
			in := schedule.Input{Loc: tc.loc, Working: []backdesk.WorkingHours{hours(day.Weekday(), tc.from, tc.to)},
				Duration: tc.dur, Step: tc.step, From: day.Add(-48 * time.Hour), To: day.Add(48 * time.Hour)}
			slots := schedule.Slots(in)
			checkDST(t, slots, tc.loc, tc.step)
			if got := strings.Join(local(slots, tc.loc), ","); got != tc.want {
				t.Errorf("slots =\n  %s\nwant\n  %s", got, tc.want)
			}
			if len(slots) > 0 && slots[0].Start.UTC().Format(time.RFC3339) != tc.wantInstUT {
				t.Errorf("first slot = %s UTC, want %s", slots[0].Start.UTC().Format(time.RFC3339), tc.wantInstUT)
			}
			// Each offered instant survives the API's round trip (RFC 3339
			// with the local offset) to the same instant.
			for _, s := range slots {
				back, err := time.Parse(time.RFC3339, s.Start.In(tc.loc).Format(time.RFC3339))
				if err != nil || !back.Equal(s.Start) {
					t.Errorf("%s does not round-trip: %v %v", s.Start, back, err)
				}
			}
		})
	}
}

// TestDSTWeeks checks whole weeks around every change of 2026 in both zones
// with real clinic hours: each working day offers the same local times.
func TestDSTWeeks(t *testing.T) {
	for _, zone := range []string{"Europe/London", "America/Edmonton", "America/New_York"} {
		loc := mustLoad(t, zone)
		var ws []backdesk.WorkingHours
		for d := time.Monday; d <= time.Saturday; d++ {
			ws = append(ws, hours(d, "08:00", "20:00"))
		}
		ws = append(ws, hours(time.Sunday, "00:00", "24:00"))
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
		in := schedule.Input{Loc: loc, Working: ws, Duration: 45 * time.Minute, Step: 15 * time.Minute, From: start, To: start.AddDate(1, 0, 0)}
		slots := schedule.Slots(in)
		checkDST(t, slots, loc, in.Step)
		perDay := map[string]int{}
		for _, s := range slots {
			perDay[s.Start.In(loc).Format("2006-01-02 Mon")]++
		}
		for day, n := range perDay {
			want := 46 // 08:00, 08:15 … 19:15
			if strings.HasSuffix(day, "Sun") {
				// 00:00 … 23:15: 94 starts; 4 fewer on the 23-hour day of a
				// spring change, 4 more on the 25-hour day of an autumn one.
				want = 94
				if n == 90 || n == 98 {
					want = n
				}
			}
			if n != want {
				t.Errorf("%s %s: %d slots, want %d", zone, day, n, want)
			}
		}
		changes := 0
		for day, n := range perDay {
			if strings.HasSuffix(day, "Sun") && n != 94 {
				changes++
			}
		}
		if changes != 2 {
			t.Errorf("%s: %d Sundays with a clock change, want 2", zone, changes)
		}
		if len(perDay) != 365 {
			t.Errorf("%s: slots on %d days, want 365", zone, len(perDay))
		}
	}
}

func TestSlotsSorted(t *testing.T) {
	loc := mustLoad(t, "Europe/London")
	mon := time.Date(2026, 11, 30, 0, 0, 0, 0, loc)
	in := schedule.Input{Loc: loc, Working: []backdesk.WorkingHours{hours(time.Monday, "13:00", "14:00"), hours(time.Monday, "09:00", "10:00")},
		Duration: 30 * time.Minute, Step: 30 * time.Minute, From: mon, To: mon.AddDate(0, 0, 7)}
	slots := schedule.Slots(in)
	if !slices.IsSortedFunc(slots, func(a, b backdesk.Interval) int { return a.Start.Compare(b.Start) }) || len(slots) != 4 {
		t.Errorf("slots = %v", local(slots, loc))
	}
}

func TestWindow(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	p := backdesk.BookingPolicy{MinNoticeMinutes: 120, HorizonDays: 14}
	for _, tc := range []struct {
		name             string
		from, to         time.Time
		wantFrom, wantTo time.Time
	}{
		{"asked from now: notice applies", now, now.Add(48 * time.Hour), now.Add(2 * time.Hour), now.Add(48 * time.Hour)},
		{"asked past the horizon: cut at it", now.Add(24 * time.Hour), now.Add(30 * 24 * time.Hour), now.Add(24 * time.Hour), now.Add(14 * 24 * time.Hour)},
		{"inside both: unchanged", now.Add(3 * time.Hour), now.Add(5 * 24 * time.Hour), now.Add(3 * time.Hour), now.Add(5 * 24 * time.Hour)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, to := schedule.Window(tc.from, tc.to, now, p)
			if !from.Equal(tc.wantFrom) || !to.Equal(tc.wantTo) {
				t.Errorf("Window(%v, %v) = %v, %v; want %v, %v", tc.from, tc.to, from, to, tc.wantFrom, tc.wantTo)
			}
		})
	}
}

// TestMidnightClockChanges: in zones whose clocks change at midnight, a
// date whose midnight does not exist begins when the clocks have jumped
// (its grid is anchored there), a date that ends in a repeated hour offers
// both, and computing a week across the change finishes. (Before Date.Start
// the walk over dates never ended for America/Santiago in September.)
func TestMidnightClockChanges(t *testing.T) {
	santiago := mustLoad(t, "America/Santiago")
	beirut := mustLoad(t, "Asia/Beirut")
	for _, tc := range []struct {
		name     string
		loc      *time.Location
		date     backdesk.Date
		dayStart string // RFC 3339
		working  []backdesk.WorkingHours
		step     time.Duration
		want     string
	}{
		// 2026-09-06 00:00 -04 becomes 01:00 -03.
		{"Santiago spring forward", santiago, backdesk.Date{Year: 2026, Month: 9, Day: 6}, "2026-09-06T01:00:00-03:00",
			[]backdesk.WorkingHours{hours(time.Sunday, "00:00", "03:00")}, 30 * time.Minute,
			"Sun 01:00 -03,Sun 01:30 -03,Sun 02:00 -03,Sun 02:30 -03"},
		// 2026-04-05 00:00 -03 becomes 23:00 -04 on the 4th: Saturday's last
		// hour happens twice, Sunday begins once.
		{"Santiago fall back", santiago, backdesk.Date{Year: 2026, Month: 4, Day: 5}, "2026-04-05T00:00:00-04:00",
			[]backdesk.WorkingHours{hours(time.Saturday, "22:00", "24:00"), hours(time.Sunday, "00:00", "02:00")}, time.Hour,
			"Sat 22:00 -03,Sat 23:00 -03,Sat 23:00 -04,Sun 00:00 -04,Sun 01:00 -04"},
		// 2026-03-29 00:00 EET becomes 01:00 EEST.
		{"Beirut spring forward", beirut, backdesk.Date{Year: 2026, Month: 3, Day: 29}, "2026-03-29T01:00:00+03:00",
			[]backdesk.WorkingHours{hours(time.Sunday, "00:00", "02:00")}, 30 * time.Minute,
			"Sun 01:00 EEST,Sun 01:30 EEST"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := tc.date.Start(tc.loc)
			if got := start.Format(time.RFC3339); got != tc.dayStart {
				t.Errorf("Date.Start = %s, want %s", got, tc.dayStart)
			}
			in := schedule.Input{Loc: tc.loc, Working: tc.working, Duration: tc.step, Step: tc.step,
				From: start.Add(-36 * time.Hour), To: start.Add(36 * time.Hour)}
			if got := strings.Join(local(schedule.Slots(in), tc.loc), ","); got != tc.want {
				t.Errorf("slots =\n  %s\nwant\n  %s", got, tc.want)
			}
		})
	}
	// A clinic week across the September change: five ordinary days.
	var week []backdesk.WorkingHours
	for d := time.Monday; d <= time.Friday; d++ {
		week = append(week, hours(d, "09:00", "17:00"))
	}
	from := backdesk.Date{Year: 2026, Month: 9, Day: 2}.Start(santiago)
	slots := schedule.Slots(schedule.Input{Loc: santiago, Working: week, Duration: time.Hour, Step: time.Hour, From: from, To: from.Add(7 * 24 * time.Hour)})
	if len(slots) != 5*8 {
		t.Errorf("%d slots in the week across the change, want 40", len(slots))
	}
	for _, s := range slots {
		if l := s.Start.In(santiago); l.Minute() != 0 || l.Hour() < 9 || l.Hour() > 16 {
			t.Errorf("slot at %s, off the clinic's local hours", l.Format("Mon 15:04 MST"))
		}
	}
}

// TestOffered: the one-time check that booking makes agrees with Slots.
func TestOffered(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	at := func(clock string) time.Time {
		v, _ := time.ParseInLocation("2006-01-02 15:04", "2026-11-30 "+clock, london) // a Monday in GMT
		return v
	}
	in := schedule.Input{Loc: london, Working: []backdesk.WorkingHours{hours(time.Monday, "09:00", "12:00")},
		Busy:     []backdesk.Interval{{Start: at("10:00"), End: at("11:00")}},
		Duration: 45 * time.Minute, Buffer: 15 * time.Minute, Step: 15 * time.Minute, From: at("09:00"), To: at("23:00")}
	for _, tc := range []struct {
		start string
		want  bool
	}{
		{"08:45", false}, // before From and the hours
		{"09:00", true},
		{"09:15", false}, // its buffer runs into the booking at 10:00
		{"09:20", false}, // off the grid
		{"10:15", false}, // inside the booking
		{"11:00", true},
		{"11:15", true},
		{"11:30", false}, // would end after 12:00
		{"23:00", false}, // at To
	} {
		iv, got := schedule.Offered(in, at(tc.start))
		if got != tc.want {
			t.Errorf("Offered(%s) = %v, want %v", tc.start, got, tc.want)
		}
		if got != slices.ContainsFunc(schedule.Slots(in), func(s backdesk.Interval) bool { return s.Start.Equal(at(tc.start)) }) {
			t.Errorf("Offered(%s) disagrees with Slots", tc.start)
		}
		if got && !iv.End.Equal(at(tc.start).Add(45*time.Minute)) {
			t.Errorf("Offered(%s) ends at %v", tc.start, iv.End)
		}
	}
}
