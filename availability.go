package backdesk

import (
	"context"
	"fmt"
	"time"
)

// Slot is a bookable time: a practitioner free for a service at a location.
type Slot struct {
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
	PractitionerID int64     `json:"practitioner_id,string"`
	ServiceID      int64     `json:"service_id,string"`
	LocationID     int64     `json:"location_id,string"`
}

// MaxAvailabilityWindow is the longest span one availability query covers.
const MaxAvailabilityWindow = 31 * 24 * time.Hour

// AvailabilityQuery asks for free slots of a service in [From, To),
// optionally with one practitioner.
type AvailabilityQuery struct {
	ServiceID      int64
	PractitionerID int64
	From, To       time.Time
}

// TimeOff is a span when a practitioner is away (holiday, training).
type TimeOff struct {
	ID             int64     `json:"id,string"`
	PractitionerID int64     `json:"practitioner_id,string"`
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
	Reason         string    `json:"reason"`
}

// AvailabilityService answers which times can be booked.
type AvailabilityService interface {
	// FindSlots returns the free slots, earliest first. CodeInvalid for a
	// window that is empty, reversed or longer than MaxAvailabilityWindow, or
	// an unknown service; CodeNotFound for an unknown practitioner.
	// The answer may be shared with other callers: do not change it.
	FindSlots(ctx context.Context, q AvailabilityQuery) ([]Slot, error)
}

// BookingPolicy is what a location sets for booking.
type BookingPolicy struct {
	// MinNoticeMinutes: the earliest bookable time is this far from now.
	MinNoticeMinutes int `json:"min_notice_minutes"`
	// HorizonDays: nothing further ahead than this is offered.
	HorizonDays int `json:"horizon_days"`
	// LateCancelHours: a cancellation closer to the start than this is late.
	LateCancelHours int `json:"late_cancel_hours"`
	// SlotStepMinutes is the grid, from local midnight, that times start on.
	SlotStepMinutes int `json:"slot_step_minutes"`
	// MaxFirstVisits is how many first visits of one discipline a patient
	// booking for themselves may have coming at once; 0 for no limit.
	// Reception may book more, having talked to them.
	MaxFirstVisits int `json:"max_first_visits"`
}

// DefaultBookingPolicy is a new location's policy.
var DefaultBookingPolicy = BookingPolicy{MinNoticeMinutes: 120, HorizonDays: 90, LateCancelHours: 24, SlotStepMinutes: 15}

// IsLate reports whether cancelling a booking that starts at start, at
// now, is a late cancellation: closer to the start than the window.
func (p BookingPolicy) IsLate(start, now time.Time) bool {
	return start.Sub(now) < time.Duration(p.LateCancelHours)*time.Hour
}

// MaxHorizonDays is the longest horizon a booking policy may have: no
// location offers a time further ahead.
const MaxHorizonDays = 730

// Validate checks the policy's ranges.
func (p BookingPolicy) Validate() error {
	switch {
	case p.MinNoticeMinutes < 0 || p.MinNoticeMinutes > 14*24*60:
		return FieldError("booking_policy.min_notice_minutes", "min_notice_minutes must be from 0 to 20160 (two weeks)")
	case p.HorizonDays < 1 || p.HorizonDays > MaxHorizonDays:
		return FieldError("booking_policy.horizon_days", "horizon_days must be from 1 to %d", MaxHorizonDays)
	case p.LateCancelHours < 0 || p.LateCancelHours > 14*24:
		return FieldError("booking_policy.late_cancel_hours", "late_cancel_hours must be from 0 to 336")
	case p.SlotStepMinutes < 5 || p.SlotStepMinutes > 120 || 24*60%p.SlotStepMinutes != 0:
		return FieldError("booking_policy.slot_step_minutes", "slot_step_minutes must divide a day, from 5 to 120 (5, 10, 15, 20, 30, 60 …)")
	case p.MaxFirstVisits < 0 || p.MaxFirstVisits > 10:
		return FieldError("booking_policy.max_first_visits", "max_first_visits must be from 0 (no limit) to 10")
	case p.MinNoticeMinutes >= p.HorizonDays*24*60:
		return FieldError("booking_policy.min_notice_minutes", "the notice must be shorter than how far ahead times are offered, or nothing could be booked")
	}
	return nil
}

// InPlainWords says the policy as a patient reads it, one rule a line.
func (p BookingPolicy) InPlainWords() []string {
	var out []string
	if p.MinNoticeMinutes > 0 {
		out = append(out, "Book at least "+spanWords(p.MinNoticeMinutes)+" before the appointment.")
	} else {
		out = append(out, "You can book any free time, up to the moment it starts.")
	}
	out = append(out, fmt.Sprintf("Times are offered up to %s ahead.", plural(p.HorizonDays, "day", "days")))
	if p.LateCancelHours > 0 {
		out = append(out, "Cancel or change an appointment for free up to "+spanWords(p.LateCancelHours*60)+
			" before it starts; after that it counts as a late cancellation.")
	} else {
		out = append(out, "You can cancel or change an appointment for free at any time before it starts.")
	}
	out = append(out, fmt.Sprintf("Appointments start every %d minutes: %s.", p.SlotStepMinutes, stepExample(p.SlotStepMinutes)))
	switch p.MaxFirstVisits {
	case 0:
	case 1:
		out = append(out, "You can have one first visit of each kind (physiotherapy, massage…) booked at a time; after it, book follow-ups.")
	default:
		out = append(out, fmt.Sprintf("You can have up to %d first visits of each kind booked at a time.", p.MaxFirstVisits))
	}
	return out
}

// spanWords says a span of minutes in the largest whole unit: "2 hours",
// "1 day", "90 minutes".
func spanWords(minutes int) string {
	switch {
	case minutes%(24*60) == 0:
		return plural(minutes/(24*60), "day", "days")
	case minutes%60 == 0:
		return plural(minutes/60, "hour", "hours")
	}
	return plural(minutes, "minute", "minutes")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// stepExample shows the first start times from 9:00 on a grid of step
// minutes: "9:00, 9:15, 9:30 and so on".
func stepExample(step int) string {
	at := func(m int) string { return fmt.Sprintf("%d:%02d", m/60, m%60) }
	return at(540) + ", " + at(540+step) + ", " + at(540+2*step) + " and so on"
}
