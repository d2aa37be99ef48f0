package clinic_test

import (
	"context"
	"testing"
	"time"

	"backdesk"
	"backdesk/clinic"
	"backdesk/mock"
)

type generation uint64

func (g *generation) Generation() uint64 { return uint64(*g) }

// TestAvailabilityCache: an answer is reused for the same question until
// this process changes something, the TTL passes or the clock goes back;
// another question is asked anew, and the cache stays bounded.
func TestAvailabilityCache(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	now, gen, asked := t0, generation(1), 0
	next := &mock.AvailabilityService{FindSlotsFn: func(ctx context.Context, q backdesk.AvailabilityQuery) ([]backdesk.Slot, error) {
		asked++
		return []backdesk.Slot{{Start: q.From, ServiceID: q.ServiceID}}, nil
	}}
	c := &clinic.AvailabilityCache{Next: next, Changes: &gen, TTL: 2 * time.Second, Now: func() time.Time { return now }}
	q := backdesk.AvailabilityQuery{ServiceID: 1, From: t0, To: t0.Add(24 * time.Hour)}
	ask := func() { t.Helper(); c.FindSlots(context.Background(), q) }
	ask()
	for _, tc := range []struct {
		name  string
		set   func()
		asked int // how many times Next has been asked after this step
	}{
		{"same question, fresh", func() { now = t0.Add(time.Second) }, 1},
		{"the same instants in another zone", func() { q.From = q.From.In(time.FixedZone("x", 3600)) }, 1},
		{"a change in this process", func() { gen++ }, 2},
		{"kept again after the change", func() {}, 2},
		{"older than the TTL", func() { now = now.Add(2 * time.Second) }, 3},
		{"a clock that went back", func() { now = now.Add(-time.Minute) }, 4},
		{"another question", func() { q.ServiceID = 2 }, 5},
	} {
		tc.set()
		ask()
		if asked != tc.asked {
			t.Errorf("%s: Next asked %d times, want %d", tc.name, asked, tc.asked)
		}
	}
	for i := range 2001 {
		q.PractitionerID = int64(i + 1)
		ask()
	}
	q.PractitionerID = 2001
	before := asked
	ask()
	if asked != before {
		t.Error("the newest answer was not kept after the cache started again")
	}
}
