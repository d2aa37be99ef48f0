package clinic

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"backdesk"
)

// SessionCache decorates a user service: the actor of a session token, which
// every signed-in request asks for, is kept for at most TTL, so that a busy
// client costs one session lookup in the database per TTL rather than one
// per request. Its bounds, which the README states:
//
//   - a session ended through this process (sign-out, a password reset,
//     erasure of the account or the patient) stops working at once, and a
//     session whose account confirms its email address carries it at once
//     (it may book): Ended
//     moves when the store commits such a write, and every kept actor is
//     dropped;
//   - a session ended through another process sharing the database, or that
//     expires, stops working within TTL;
//   - only live sessions are kept, never an unknown or expired token, so
//     guessing tokens fills nothing; the cache is keyed by the token's
//     SHA-256 and holds at most maxSessionActors.
//
// Every other method is the decorated service's.
type SessionCache struct {
	backdesk.UserService
	// Ended moves after every write that ends sessions (sqlstore's
	// SessionsEnded).
	Ended interface{ SessionsEnded() uint64 }
	TTL   time.Duration
	Now   func() time.Time

	mu     sync.Mutex
	actors map[[sha256.Size]byte]keptActor
}

// DefaultSessionTTL is the longest a session's actor is reused.
const DefaultSessionTTL = 2 * time.Second

// maxSessionActors bounds the cache; when full, what has expired is dropped,
// and if nothing has, everything.
const maxSessionActors = 10000

type keptActor struct {
	actor backdesk.Actor
	ended uint64 // Ended when the lookup began
	at    time.Time
}

var _ backdesk.UserService = (*SessionCache)(nil)

// ActorForSession answers from the kept actor while it holds, else asks the
// decorated service and keeps a live session's actor.
func (c *SessionCache) ActorForSession(ctx context.Context, token string) (backdesk.Actor, error) {
	if token == "" {
		return c.UserService.ActorForSession(ctx, token)
	}
	key := sha256.Sum256([]byte(token))
	// Read before the lookup: a session ended while it runs moves Ended past
	// what the kept actor records, so it is not reused.
	ended, now := c.Ended.SessionsEnded(), c.Now()
	if a, ok := c.get(key, ended, now); ok {
		return a, nil
	}
	a, err := c.UserService.ActorForSession(ctx, token)
	if err != nil {
		return a, err
	}
	c.put(key, keptActor{actor: a, ended: ended, at: now})
	return a, nil
}

func (c *SessionCache) get(key [sha256.Size]byte, ended uint64, now time.Time) (backdesk.Actor, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.actors[key]
	if !ok || !c.fresh(k, ended, now) {
		return backdesk.Actor{}, false
	}
	return k.actor, true
}

// fresh reports whether k may still be used at now, Ended being ended.
func (c *SessionCache) fresh(k keptActor, ended uint64, now time.Time) bool {
	return k.ended == ended && now.Sub(k.at) < c.TTL && !now.Before(k.at)
}

func (c *SessionCache) put(key [sha256.Size]byte, k keptActor) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.actors == nil {
		c.actors = map[[sha256.Size]byte]keptActor{}
	}
	if len(c.actors) >= maxSessionActors {
		for key, old := range c.actors {
			if !c.fresh(old, k.ended, k.at) {
				delete(c.actors, key)
			}
		}
		if len(c.actors) >= maxSessionActors {
			clear(c.actors)
		}
	}
	c.actors[key] = k
}
