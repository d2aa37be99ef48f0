package clinic

import (
	"context"
	"sync"
	"time"

	"backdesk"
)

// CatalogueCache decorates the catalogue's stores for the booking path: a
// service, practitioner or location read by id (with its offers, hours,
// closures and booking policy) is kept for at most TTL, so that checking a
// booking reads the catalogue once per TTL instead of on every request.
// Its bounds, which the README states:
//
//   - any write through this process's store (Changes moves; a new
//     booking's alone does not, as it changes no catalogue row) drops
//     everything kept, so that on SQLite, served by one process, a booking
//     is always checked against the catalogue as it now is;
//   - a change made through another process sharing the database counts
//     within TTL;
//   - bookings and time off are never kept: the free time a booking is
//     checked against is read at that moment, and the database refuses an
//     overlap whatever any cache holds.
//
// What it returns is shared: callers must not change it. Each method the
// decorators do not name is the store's own.
type CatalogueCache struct {
	// Changes moves after every write through the store that could change
	// the catalogue (sqlstore's Generation).
	Changes interface{ Generation() uint64 }
	TTL     time.Duration
	Now     func() time.Time

	offerings     kept[*backdesk.Offering]
	practitioners kept[*backdesk.Practitioner]
	locations     kept[*backdesk.Location]
}

// DefaultCatalogueTTL is the longest a catalogue row is reused.
const DefaultCatalogueTTL = 2 * time.Second

// maxCatalogueRows bounds each kind of row kept; when full it starts again.
const maxCatalogueRows = 1000

// Offerings decorates next's FindOfferingByID.
func (c *CatalogueCache) Offerings(next backdesk.OfferingStore) backdesk.OfferingStore {
	return cachedOfferings{next, c}
}

// Practitioners decorates next's FindPractitionerByID.
func (c *CatalogueCache) Practitioners(next backdesk.PractitionerStore) backdesk.PractitionerStore {
	return cachedPractitioners{next, c}
}

// Locations decorates next's FindLocationByID.
func (c *CatalogueCache) Locations(next backdesk.LocationStore) backdesk.LocationStore {
	return cachedLocations{next, c}
}

type cachedOfferings struct {
	backdesk.OfferingStore
	c *CatalogueCache
}

func (s cachedOfferings) FindOfferingByID(ctx context.Context, id int64) (*backdesk.Offering, error) {
	return find(s.c, &s.c.offerings, id, func() (*backdesk.Offering, error) { return s.OfferingStore.FindOfferingByID(ctx, id) })
}

type cachedPractitioners struct {
	backdesk.PractitionerStore
	c *CatalogueCache
}

func (s cachedPractitioners) FindPractitionerByID(ctx context.Context, id int64) (*backdesk.Practitioner, error) {
	return find(s.c, &s.c.practitioners, id, func() (*backdesk.Practitioner, error) { return s.PractitionerStore.FindPractitionerByID(ctx, id) })
}

type cachedLocations struct {
	backdesk.LocationStore
	c *CatalogueCache
}

func (s cachedLocations) FindLocationByID(ctx context.Context, id int64) (*backdesk.Location, error) {
	return find(s.c, &s.c.locations, id, func() (*backdesk.Location, error) { return s.LocationStore.FindLocationByID(ctx, id) })
}

// kept holds one kind of row by id.
type kept[T any] struct {
	mu   sync.Mutex
	rows map[int64]keptRow[T]
}

type keptRow[T any] struct {
	row T
	gen uint64 // Changes when the read began
	at  time.Time
}

// find answers from a kept row while it holds, else reads and keeps it
// (never a failure: a row not found is read again next time).
func find[T any](c *CatalogueCache, k *kept[T], id int64, read func() (T, error)) (T, error) {
	// Read before the row: a write while it is read moves Changes past
	// what the kept row records, so it is not reused.
	gen, now := c.Changes.Generation(), c.Now()
	k.mu.Lock()
	r, ok := k.rows[id]
	k.mu.Unlock()
	if ok && r.gen == gen && now.Sub(r.at) < c.TTL && !now.Before(r.at) {
		return r.row, nil
	}
	row, err := read()
	if err != nil {
		return row, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.rows == nil || len(k.rows) >= maxCatalogueRows {
		k.rows = map[int64]keptRow[T]{}
	}
	k.rows[id] = keptRow[T]{row: row, gen: gen, at: now}
	return row, nil
}
