// Package backdesk is the domain vocabulary of backdesk, the clinic system for
// lower back pain: patients, practitioners, the services a clinic offers, its
// locations, accounts and the self-assessment.
//
// The package imports the standard library only (see deps_test.go). Storage
// lives in sqlstore, HTTP in web, policy in clinic and the pure triage and
// schedule packages; they all speak in the types defined here.
package backdesk

import "time"

// Page bounds a list query. A zero Limit means the implementation's default.
type Page struct {
	Limit  int
	Offset int
}

// Interval is a half-open span of time [Start, End).
type Interval struct {
	Start time.Time
	End   time.Time
}

// Overlaps reports whether the two half-open intervals share any instant.
func (i Interval) Overlaps(o Interval) bool {
	return i.Start.Before(o.End) && o.Start.Before(i.End)
}
