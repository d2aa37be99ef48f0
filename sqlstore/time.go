package sqlstore

import (
	"fmt"
	"time"

	"backdesk"
)

// timeLayout is fixed-width so that SQLite's text comparison orders instants
// correctly; PostgreSQL parses it into timestamptz.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// formatTime is the one place an instant becomes a database value.
func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// dbTime scans an instant stored as TEXT (SQLite) or timestamptz (PostgreSQL).
type dbTime struct{ t *time.Time }

func (d dbTime) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		*d.t = x.UTC()
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	case nil:
		*d.t = time.Time{}
	default:
		return fmt.Errorf("scan time: unexpected %T", v)
	}
	return nil
}

func (d dbTime) parse(s string) error {
	if t, ok := parseFixed(s); ok {
		*d.t = t
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("scan time %q: %w", s, err)
	}
	*d.t = t.UTC()
	return nil
}

// dbDate scans a civil date stored as TEXT (SQLite) or date (PostgreSQL).
type dbDate struct{ d *backdesk.Date }

func (d dbDate) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		*d.d = backdesk.DateOf(x)
		return nil
	case string:
		p, err := backdesk.ParseDate(x)
		*d.d = p
		return err
	case []byte:
		p, err := backdesk.ParseDate(string(x))
		*d.d = p
		return err
	}
	return fmt.Errorf("scan date: unexpected %T", v)
}

// nullTime scans an instant that may be NULL.
type nullTime struct {
	t     time.Time
	valid bool
}

func (n *nullTime) Scan(v any) error {
	if v == nil {
		n.valid = false
		return nil
	}
	n.valid = true
	return dbTime{&n.t}.Scan(v)
}

func (n nullTime) ptr() *time.Time {
	if !n.valid {
		return nil
	}
	t := n.t
	return &t
}

// parseFixed reads timeLayout ("2006-01-02T15:04:05.000000Z") without the
// general parser: it is what SQLite hands back for every stored instant.
func parseFixed(s string) (time.Time, bool) {
	if len(s) != len(timeLayout) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[26] != 'Z' {
		return time.Time{}, false
	}
	num := func(a, b int) (int, bool) {
		n := 0
		for i := a; i < b; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 7)
	d, ok3 := num(8, 10)
	h, ok4 := num(11, 13)
	mi, ok5 := num(14, 16)
	se, ok6 := num(17, 19)
	us, ok7 := num(20, 26)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, se, us*1000, time.UTC)
	if t.Day() != d { // 31 February and the like
		return time.Time{}, false
	}
	return t, true
}
