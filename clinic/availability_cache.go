package clinic

import (
	"context"
	"sync"
	"time"

	"backdesk"
)

// AvailabilityCache decorates an availability service: the same question
// asked again is answered from the last answer while nothing has changed in
// this process, for at most TTL. Any booking, cancellation, move or time-off
// change made through this process's BookingService ends every kept answer
// at once (its Generation moves); a change made by another process sharing
// the database shows within TTL. Booking never reads a kept answer: it
// always recomputes, so reuse can at worst show a time that has just gone,
// which booking then answers with CodeConflict.
type AvailabilityCache struct {
	Next backdesk.AvailabilityService
	// Changes moves with every change this process makes.
	Changes interface{ Generation() uint64 }
	TTL     time.Duration
	Now     func() time.Time

	mu      sync.Mutex
	answers map[availabilityKey]keptAnswer
	swept   time.Time // when answers past TTL were last dropped
}

var _ backdesk.AvailabilityService = (*AvailabilityCache)(nil)

// DefaultAvailabilityTTL is the longest an answer is reused.
const DefaultAvailabilityTTL = 2 * time.Second

// maxAvailabilityAnswers bounds the cache; when full it starts again.
const maxAvailabilityAnswers = 2000

// availabilityKey is a question, its instants as Unix nanoseconds (a
// time.Time would compare its zone too).
type availabilityKey struct {
	service, practitioner int64
	from, to              int64
}

type keptAnswer struct {
	slots []backdesk.Slot
	gen   uint64
	at    time.Time
}

// FindSlots answers from a kept answer when it still holds, else asks Next
// and keeps its answer. The answer is shared: callers must not change it.
func (c *AvailabilityCache) FindSlots(ctx context.Context, q backdesk.AvailabilityQuery) ([]backdesk.Slot, error) {
	key := availabilityKey{q.ServiceID, q.PractitionerID, q.From.UnixNano(), q.To.UnixNano()}
	gen, now := c.Changes.Generation(), c.Now()
	if slots, ok := c.get(key, gen, now); ok {
		return slots, nil
	}
	slots, err := c.Next.FindSlots(ctx, q)
	if err != nil {
		return nil, err
	}
	c.put(key, gen, now, slots)
	return slots, nil
}

func (c *AvailabilityCache) get(key availabilityKey, gen uint64, now time.Time) ([]backdesk.Slot, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.answers[key]
	if !ok || a.gen != gen || now.Sub(a.at) >= c.TTL || now.Before(a.at) {
		return nil, false
	}
	return a.slots, true
}

func (c *AvailabilityCache) put(key availabilityKey, gen uint64, now time.Time, slots []backdesk.Slot) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Answers past TTL are dropped once per TTL, so that what is kept is
	// what was asked in the last TTL or two, not the last
	// maxAvailabilityAnswers questions (an answer can hold hundreds of
	// slots).
	if now.Sub(c.swept) >= c.TTL || now.Before(c.swept) {
		for k, a := range c.answers {
			if a.gen != gen || now.Sub(a.at) >= c.TTL || now.Before(a.at) {
				delete(c.answers, k)
			}
		}
		c.swept = now
	}
	if c.answers == nil || len(c.answers) >= maxAvailabilityAnswers {
		c.answers = map[availabilityKey]keptAnswer{}
	}
	c.answers[key] = keptAnswer{slots: slots, gen: gen, at: now}
}
