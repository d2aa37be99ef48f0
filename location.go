package backdesk

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"time"
)

// Location is a clinic site. Opening hours are wall-clock times in TimeZone.
type Location struct {
	ID       int64          `json:"id,string"`
	Name     string         `json:"name"`
	Address  Address        `json:"address"`
	Phone    string         `json:"phone"`
	Email    string         `json:"email,omitempty"`
	TimeZone string         `json:"time_zone"` // IANA, e.g. Europe/London
	Country  string         `json:"country"`   // ISO 3166-1 alpha-2, e.g. GB
	Hours    []OpeningHours `json:"opening_hours"`
	Closures []Closure      `json:"closures"`
	Policy   BookingPolicy  `json:"booking_policy"`
	// MapURL is a link to the location on a map (https).
	MapURL string `json:"map_url,omitempty"`
	// Parking and Access are notes for visitors: where to park, and how to
	// get in (steps, lifts, the entrance to use).
	Parking   string    `json:"parking,omitempty"`
	Access    string    `json:"access,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Address is a postal address.
type Address struct {
	Line1    string `json:"line1"`
	Line2    string `json:"line2,omitempty"`
	City     string `json:"city"`
	Region   string `json:"region,omitempty"`
	Postcode string `json:"postcode"`
}

// OpeningHours is one opening period on a weekday; a day may have several
// (closed for lunch) or none (closed).
type OpeningHours struct {
	Weekday Weekday   `json:"weekday"`
	Opens   ClockTime `json:"opens"`
	Closes  ClockTime `json:"closes"`
}

// Closure is a span of whole days, in the location's zone, when it is shut.
type Closure struct {
	From   Date   `json:"from"`
	To     Date   `json:"to"` // inclusive
	Reason string `json:"reason"`
}

// LocationUpdate holds the fields to change; nil fields stay as they are.
type LocationUpdate struct {
	Name     *string         `json:"name"`
	Address  *Address        `json:"address"`
	Phone    *string         `json:"phone"`
	Email    *string         `json:"email"`
	TimeZone *string         `json:"time_zone"`
	Country  *string         `json:"country"`
	Hours    *[]OpeningHours `json:"opening_hours"`
	Closures *[]Closure      `json:"closures"`
	Policy   *BookingPolicy  `json:"booking_policy"`
	MapURL   *string         `json:"map_url"`
	Parking  *string         `json:"parking"`
	Access   *string         `json:"access"`
}

// Apply copies the set fields of u onto l.
func (u LocationUpdate) Apply(l *Location) {
	setIf(&l.Name, u.Name)
	setIf(&l.Address, u.Address)
	setIf(&l.Phone, u.Phone)
	setIf(&l.Email, u.Email)
	setIf(&l.TimeZone, u.TimeZone)
	setIf(&l.Country, u.Country)
	setIf(&l.Hours, u.Hours)
	setIf(&l.Closures, u.Closures)
	setIf(&l.Policy, u.Policy)
	setIf(&l.MapURL, u.MapURL)
	setIf(&l.Parking, u.Parking)
	setIf(&l.Access, u.Access)
}

// LocationService is the clinic's sites. Anyone may read; admins write.
type LocationService interface {
	FindLocationByID(ctx context.Context, id int64) (*Location, error) // CodeNotFound
	FindLocations(ctx context.Context) ([]*Location, error)
	// CreateLocation returns CodeInvalid for a bad field and CodeForbidden
	// unless the actor is an admin. It fills ID and CreatedAt.
	CreateLocation(ctx context.Context, l *Location) error
	UpdateLocation(ctx context.Context, id int64, upd LocationUpdate) (*Location, error)
}

// LocationStore keeps locations; who may change them is clinic's concern.
type LocationStore interface {
	FindLocationByID(ctx context.Context, id int64) (*Location, error) // CodeNotFound
	FindLocations(ctx context.Context) ([]*Location, error)
	// InsertLocation validates and stores l with the audit line; a zero
	// policy becomes DefaultBookingPolicy.
	InsertLocation(ctx context.Context, l *Location, audit *AuditEntry) error
	// UpdateLocation reads the location, applies upd, validates and writes
	// it, in one transaction with the audit line, so that two editors at
	// once never lose each other's change.
	UpdateLocation(ctx context.Context, id int64, upd LocationUpdate, audit *AuditEntry) (*Location, error)
}

// MainLocation is the clinic's first location: its country decides the
// emergency numbers and its zone the clinic's own day (the diary). nil
// when the clinic has no location yet.
func MainLocation(ls []*Location) *Location {
	if len(ls) == 0 {
		return nil
	}
	return ls[0]
}

func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// Validate checks l and returns a CodeInvalid error naming the first bad
// field.
func (l *Location) Validate() error {
	switch {
	case blank(l.Name):
		return FieldError("name", "name is required")
	case blank(l.Address.Line1):
		return FieldError("address.line1", "address.line1 is required")
	case blank(l.Address.City):
		return FieldError("address.city", "address.city is required")
	case blank(l.Phone):
		return FieldError("phone", "phone is required")
	case len(l.Country) != 2 || upper(l.Country) != l.Country:
		return FieldError("country", "country must be an ISO 3166 two-letter code such as GB")
	case l.MapURL != "" && !validMapURL(l.MapURL):
		return FieldError("map_url", "map_url must be an https:// address of at most 1000 characters")
	case len(l.Parking) > 1000:
		return FieldError("parking", "parking can be at most 1000 characters")
	case len(l.Access) > 1000:
		return FieldError("access", "access can be at most 1000 characters")
	}
	if _, err := time.LoadLocation(l.TimeZone); err != nil || l.TimeZone == "" || l.TimeZone == "Local" {
		return FieldError("time_zone", "time_zone must be an IANA time zone such as Europe/London")
	}
	for i, h := range l.Hours {
		if err := checkWeekday(h.Weekday); err != nil {
			return FieldError(indexed("opening_hours", i, "weekday"), "%v", err)
		}
		if h.Opens < 0 || h.Closes > 24*60 || h.Opens >= h.Closes {
			return FieldError(indexed("opening_hours", i, "closes"), "opening hours must close after they open, within one day")
		}
	}
	if err := l.Policy.Validate(); err != nil {
		return err
	}
	for i, c := range l.Closures {
		if c.From.IsZero() || c.To.IsZero() || c.To.Before(c.From) {
			return FieldError(indexed("closures", i, "to"), "a closure needs from and to dates, to not before from")
		}
	}
	return nil
}

// validMapURL accepts an absolute https address with a host.
func validMapURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && len(s) <= 1000 && u.Scheme == "https" && u.Host != "" && u.User == nil
}

// zones caches loaded time zones: time.LoadLocation reads and parses the
// zone file on every call.
var zones sync.Map // name -> *time.Location

// Zone returns the location's time zone, loaded once per process.
func (l *Location) Zone() (*time.Location, error) {
	if z, ok := zones.Load(l.TimeZone); ok {
		return z.(*time.Location), nil
	}
	z, err := time.LoadLocation(l.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("location %d time zone %q: %w", l.ID, l.TimeZone, err)
	}
	zones.Store(l.TimeZone, z)
	return z, nil
}
