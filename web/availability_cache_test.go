package web

import (
	"fmt"
	"testing"
	"time"
)

func TestAvailabilityCache(t *testing.T) {
	var c availabilityCache
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	if _, ok := c.get("k", 1, t0); ok {
		t.Fatal("a hit in an empty cache")
	}
	c.put("k", 1, t0, []byte("answer"))
	for _, tc := range []struct {
		name string
		gen  uint64
		at   time.Time
		hit  bool
	}{
		{"same generation, fresh", 1, t0.Add(time.Second), true},
		{"a change in this process", 2, t0.Add(time.Second), false},
		{"older than the TTL", 1, t0.Add(availabilityTTL), false},
		{"a clock that went back", 1, t0.Add(-time.Second), false},
	} {
		if _, ok := c.get("k", tc.gen, tc.at); ok != tc.hit {
			t.Errorf("%s: hit = %v, want %v", tc.name, ok, tc.hit)
		}
	}
	if _, ok := c.get("other", 1, t0); ok {
		t.Error("a hit for another question")
	}
	for i := range maxAvailabilityAnswers + 1 {
		c.put(fmt.Sprint(i), 1, t0, nil)
	}
	if len(c.answers) > maxAvailabilityAnswers {
		t.Errorf("cache grew to %d answers", len(c.answers))
	}
}
