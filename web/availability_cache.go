package web

import (
	"sync"
	"time"
)

// availabilityTTL is the longest an encoded availability answer is reused.
// Within this process any booking change ends it at once (the service's
// generation); a change made by another process shows within this time.
// Booking itself always re-checks, so reuse can only show a time that has
// just gone, which booking then answers with 409.
const availabilityTTL = 2 * time.Second

// maxAvailabilityAnswers bounds the cache; when full it starts again.
const maxAvailabilityAnswers = 2000

type availabilityCache struct {
	mu      sync.Mutex
	answers map[string]cachedAnswer
}

type cachedAnswer struct {
	body []byte
	gen  uint64
	at   time.Time
}

// get returns a reusable answer for key at generation gen.
func (c *availabilityCache) get(key string, gen uint64, now time.Time) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.answers[key]
	if !ok || a.gen != gen || now.Sub(a.at) >= availabilityTTL || now.Before(a.at) {
		return nil, false
	}
	return a.body, true
}

func (c *availabilityCache) put(key string, gen uint64, now time.Time, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.answers == nil || len(c.answers) >= maxAvailabilityAnswers {
		c.answers = map[string]cachedAnswer{}
	}
	c.answers[key] = cachedAnswer{body: body, gen: gen, at: now}
}
