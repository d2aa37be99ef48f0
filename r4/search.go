package r4

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Range is a half-open span [From, To) of instants; a zero end is open.
type Range struct{ From, To time.Time }

// Intersect narrows r by o.
func (r Range) Intersect(o Range) Range {
	if !o.From.IsZero() && (r.From.IsZero() || o.From.After(r.From)) {
		r.From = o.From
	}
	if !o.To.IsZero() && (r.To.IsZero() || o.To.Before(r.To)) {
		r.To = o.To
	}
	return r
}

// Empty reports whether nothing can be in r.
func (r Range) Empty() bool { return !r.From.IsZero() && !r.To.IsZero() && !r.From.Before(r.To) }

// DateRange reads one value of a date search parameter as the instants it
// matches: a prefix (eq, the default, ge, gt, le, lt) and a date (YYYY,
// YYYY-MM or YYYY-MM-DD, in zone, the clinic's) or a dateTime with its
// offset (standing for its second, or its minute when it has no seconds).
// ne, sa, eb and ap are not supported.
func DateRange(v string, zone *time.Location) (Range, error) {
	prefix := "eq"
	if len(v) >= 2 && v[0] >= 'a' && v[0] <= 'z' {
		prefix, v = v[:2], v[2:]
	}
	lo, hi, err := dateSpan(v, zone)
	if err != nil {
		return Range{}, err
	}
	switch prefix {
	case "eq":
		return Range{lo, hi}, nil
	case "ge":
		return Range{From: lo}, nil
	case "gt":
		return Range{From: hi}, nil
	case "lt":
		return Range{To: lo}, nil
	case "le":
		return Range{To: hi}, nil
	}
	return Range{}, fmt.Errorf("the prefix %q is not supported: use eq, ge, gt, le or lt", prefix)
}

// dateSpan is the span a date or dateTime stands for.
func dateSpan(v string, zone *time.Location) (time.Time, time.Time, error) {
	if zone == nil {
		zone = time.UTC
	}
	for _, f := range []struct {
		layout string
		next   func(time.Time) time.Time
	}{
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
	} {
		if len(v) == len(f.layout) {
			t, err := time.ParseInLocation(f.layout, v, zone)
			if err == nil {
				return t, f.next(t), nil
			}
		}
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, t.Add(time.Second), nil
	}
	if t, err := time.Parse("2006-01-02T15:04Z07:00", v); err == nil {
		return t, t.Add(time.Minute), nil
	}
	return time.Time{}, time.Time{}, fmt.Errorf("%q is not a date (2026-03-23) or a date and time with its offset (2026-03-23T09:00:00Z)", v)
}

// Reference reads a reference search value to a resource of typ: "12",
// "Patient/12" or an absolute URL ending in "Patient/12". It returns the
// id.
func Reference(v, typ string) (string, error) {
	if i := strings.Index(v, "://"); i >= 0 {
		parts := strings.Split(v, "/")
		if len(parts) < 2 {
			return "", fmt.Errorf("%q is not a reference to a %s", v, typ)
		}
		v = parts[len(parts)-2] + "/" + parts[len(parts)-1]
	}
	if t, id, ok := strings.Cut(v, "/"); ok {
		if t != typ {
			return "", fmt.Errorf("%q is not a reference to a %s", v, typ)
		}
		v = id
	}
	if v == "" || strings.ContainsAny(v, "/?#") {
		return "", fmt.Errorf("%q is not a reference to a %s", v, typ)
	}
	return v, nil
}

// NumericID reads a record id; false for anything that is not a positive
// integer written plainly.
func NumericID(id string) (int64, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil && n > 0 && strconv.FormatInt(n, 10) == id
}

// Token reads a token search value, "code" or "system|code".
func Token(v string) (system, code string, hasSystem bool) {
	if s, c, ok := strings.Cut(v, "|"); ok {
		return s, c, true
	}
	return "", v, false
}
