package backdesk

import (
	"context"
	"time"
)

// Offering is a bookable clinic service ("Physiotherapy initial assessment",
// "Sports massage"). The API calls it a service.
type Offering struct {
	ID          int64      `json:"id,string"`
	Name        string     `json:"name"`
	Discipline  Discipline `json:"discipline"`
	Description string     `json:"description"`
	// DurationMinutes is the appointment length.
	DurationMinutes int `json:"duration_minutes"`
	// BufferAfterMinutes is kept free after each appointment (notes, room).
	BufferAfterMinutes int `json:"buffer_after_minutes"`
	// PriceMinor is the price in the currency's minor unit (pence, cents).
	PriceMinor     int64  `json:"price_minor"`
	Currency       string `json:"currency"` // ISO 4217, e.g. GBP
	BookableOnline bool   `json:"bookable_online"`
	// FirstVisit marks the service a new patient of the discipline books
	// first (an initial assessment).
	FirstVisit bool      `json:"first_visit"`
	Active     bool      `json:"active"`
	CreatedAt  time.Time `json:"created_at"`
}

// Duration is the appointment length.
func (o *Offering) Duration() time.Duration { return time.Duration(o.DurationMinutes) * time.Minute }

// OfferingFilter narrows FindOfferings; zero fields match all.
type OfferingFilter struct {
	Discipline Discipline
	ActiveOnly bool
}

// OfferingUpdate holds the fields to change; nil fields stay.
type OfferingUpdate struct {
	Name               *string     `json:"name"`
	Discipline         *Discipline `json:"discipline"`
	Description        *string     `json:"description"`
	DurationMinutes    *int        `json:"duration_minutes"`
	BufferAfterMinutes *int        `json:"buffer_after_minutes"`
	PriceMinor         *int64      `json:"price_minor"`
	Currency           *string     `json:"currency"`
	BookableOnline     *bool       `json:"bookable_online"`
	FirstVisit         *bool       `json:"first_visit"`
	Active             *bool       `json:"active"`
}

// Apply copies the set fields of u onto o.
func (u OfferingUpdate) Apply(o *Offering) {
	setIf(&o.Name, u.Name)
	setIf(&o.Discipline, u.Discipline)
	setIf(&o.Description, u.Description)
	setIf(&o.DurationMinutes, u.DurationMinutes)
	setIf(&o.BufferAfterMinutes, u.BufferAfterMinutes)
	setIf(&o.PriceMinor, u.PriceMinor)
	setIf(&o.Currency, u.Currency)
	setIf(&o.BookableOnline, u.BookableOnline)
	setIf(&o.FirstVisit, u.FirstVisit)
	setIf(&o.Active, u.Active)
}

// OfferingService is the clinic's services. Anyone may read; admins write.
type OfferingService interface {
	FindOfferingByID(ctx context.Context, id int64) (*Offering, error) // CodeNotFound
	FindOfferings(ctx context.Context, f OfferingFilter) ([]*Offering, error)
	CreateOffering(ctx context.Context, o *Offering) error // CodeInvalid, CodeForbidden
	UpdateOffering(ctx context.Context, id int64, upd OfferingUpdate) (*Offering, error)
}

// OfferingStore keeps services; who may change them is clinic's concern.
type OfferingStore interface {
	FindOfferingByID(ctx context.Context, id int64) (*Offering, error) // CodeNotFound
	FindOfferings(ctx context.Context, f OfferingFilter) ([]*Offering, error)
	// InsertOffering validates and stores o with the audit line.
	InsertOffering(ctx context.Context, o *Offering, audit *AuditEntry) error
	// UpdateOffering reads, applies upd, validates and writes, in one
	// transaction with the audit line.
	UpdateOffering(ctx context.Context, id int64, upd OfferingUpdate, audit *AuditEntry) (*Offering, error)
}

// Validate checks o and returns a CodeInvalid error naming the bad field.
func (o *Offering) Validate() error {
	switch {
	case blank(o.Name):
		return FieldError("name", "name is required")
	case !o.Discipline.Valid():
		return FieldError("discipline", "discipline must be one of physiotherapist, sports_therapist, massage_therapist")
	case o.DurationMinutes < 5 || o.DurationMinutes > 480 || o.DurationMinutes%5 != 0:
		return FieldError("duration_minutes", "duration_minutes must be a multiple of 5 from 5 to 480")
	case o.BufferAfterMinutes < 0 || o.BufferAfterMinutes > 120:
		return FieldError("buffer_after_minutes", "buffer_after_minutes must be from 0 to 120")
	case o.PriceMinor < 0:
		return FieldError("price_minor", "price_minor must not be negative")
	case len(o.Currency) != 3 || upper(o.Currency) != o.Currency:
		return FieldError("currency", "currency must be an ISO 4217 code such as GBP")
	}
	return nil
}
