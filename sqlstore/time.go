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
		*d.d = backdesk.Date{Year: x.Year(), Month: x.Month(), Day: x.Day()}
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
