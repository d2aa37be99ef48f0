package backdesk

import (
	"encoding/json"
	"fmt"
	"time"
)

// Weekday is a day of the week, written in JSON as "monday" … "sunday".
type Weekday time.Weekday

var weekdayNames = [...]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

func (d Weekday) String() string {
	if d < 0 || int(d) >= len(weekdayNames) {
		return fmt.Sprintf("weekday(%d)", int(d))
	}
	return weekdayNames[d]
}

// ParseWeekday reads "monday" … "sunday".
func ParseWeekday(s string) (Weekday, error) {
	for i, n := range weekdayNames {
		if n == s {
			return Weekday(i), nil
		}
	}
	return 0, fmt.Errorf("%q is not a weekday (monday … sunday)", s)
}

func (d Weekday) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

func (d *Weekday) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("weekday must be a string such as \"monday\"")
	}
	v, err := ParseWeekday(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ClockTime is a wall-clock time of day as minutes after midnight, written
// "HH:MM". 24:00 is allowed as the end of a day.
type ClockTime int

// ParseClockTime reads "HH:MM".
func ParseClockTime(s string) (ClockTime, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("%q is not a time of day (HH:MM)", s)
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not a time of day (HH:MM)", s)
	}
	return ClockTime(h*60 + m), nil
}

// MustClockTime is ParseClockTime for constants; it panics on a bad value.
func MustClockTime(s string) ClockTime {
	c, err := ParseClockTime(s)
	if err != nil {
		panic(err)
	}
	return c
}

func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

func (c ClockTime) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

func (c *ClockTime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("time of day must be a string \"HH:MM\"")
	}
	v, err := ParseClockTime(s)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Date is a civil date with no zone, written "YYYY-MM-DD".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the date of t in t's own location.
func DateOf(t time.Time) Date { return Date{t.Year(), t.Month(), t.Day()} }

// AddDays is the date n days after d (before, for negative n).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Start is the first instant of d in loc: its midnight or, where the
// clocks jump forward at midnight (America/Santiago, Asia/Beirut), the end
// of the jump. (time.Date alone resolves such a midnight to the evening
// before, so a walk over dates built on it never advances.)
func (d Date) Start(loc *time.Location) time.Time {
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
	if t.Day() != d.Day {
		// Midnight fell in a gap and resolved to the evening before: the
		// date begins when the offset in force then ends.
		_, end := t.ZoneBounds()
		return end
	}
	return t
}

// ParseDate reads "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// Words writes d for people: "1 March 2027".
func (d Date) Words() string { return fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year) }

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// Monday is the first day of d's week; weeks run Monday to Sunday.
func (d Date) Monday() Date { return d.AddDays(-((int(d.Weekday()) + 6) % 7)) }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.String() < o.String() }

func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date must be a string \"YYYY-MM-DD\"")
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
