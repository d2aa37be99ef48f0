package backdesk

import (
	"context"
	"time"
)

// Discipline is a practitioner's profession, and the profession a service
// belongs to.
type Discipline string

const (
	DisciplinePhysiotherapist  Discipline = "physiotherapist"
	DisciplineSportsTherapist  Discipline = "sports_therapist"
	DisciplineMassageTherapist Discipline = "massage_therapist"
)

// Disciplines lists every discipline.
var Disciplines = []Discipline{DisciplinePhysiotherapist, DisciplineSportsTherapist, DisciplineMassageTherapist}

// Valid reports whether d is one of Disciplines.
func (d Discipline) Valid() bool {
	for _, x := range Disciplines {
		if d == x {
			return true
		}
	}
	return false
}

// Label is the discipline in plain words.
func (d Discipline) Label() string {
	switch d {
	case DisciplinePhysiotherapist:
		return "Physiotherapist"
	case DisciplineSportsTherapist:
		return "Sports therapist"
	case DisciplineMassageTherapist:
		return "Massage therapist"
	}
	return string(d)
}

// Therapy is what the discipline gives, in plain words ("physiotherapy").
func (d Discipline) Therapy() string {
	switch d {
	case DisciplinePhysiotherapist:
		return "physiotherapy"
	case DisciplineSportsTherapist:
		return "sports therapy"
	case DisciplineMassageTherapist:
		return "massage therapy"
	}
	return string(d)
}

// Practitioner is a clinician patients can book.
// MayOffer reports whether a practitioner of discipline d may offer a
// service of discipline service: one of their own discipline, and for a
// sports therapist also massage (sports and soft-tissue massage are part
// of their training). A massage therapist never offers physiotherapy.
func (d Discipline) MayOffer(service Discipline) bool {
	return d == service || d == DisciplineSportsTherapist && service == DisciplineMassageTherapist
}

type Practitioner struct {
	ID             int64        `json:"id,string"`
	Name           string       `json:"name"`
	Discipline     Discipline   `json:"discipline"`
	Qualifications []string     `json:"qualifications"`
	Registration   Registration `json:"registration"`
	Bio            string       `json:"bio"`
	Languages      []string     `json:"languages"`
	Active         bool         `json:"active"`
	// Offers lists which service the practitioner provides where.
	Offers []Offer `json:"offers"`
	// Hours are the weekly working hours, per location, in that location's
	// time zone.
	Hours     []WorkingHours `json:"working_hours"`
	CreatedAt time.Time      `json:"created_at"`
}

// Registration is a practitioner's professional registration, such as
// HCPC PH123456 for a UK physiotherapist.
type Registration struct {
	Body   string `json:"body"`
	Number string `json:"number"`
}

// Offer says that a practitioner provides a service at a location.
type Offer struct {
	ServiceID  int64 `json:"service_id,string"`
	LocationID int64 `json:"location_id,string"`
}

// WorkingHours is one weekly working period at a location.
type WorkingHours struct {
	LocationID int64     `json:"location_id,string"`
	Weekday    Weekday   `json:"weekday"`
	Starts     ClockTime `json:"starts"`
	Ends       ClockTime `json:"ends"`
}

// PractitionerFilter narrows FindPractitioners; zero fields match all.
type PractitionerFilter struct {
	Discipline Discipline
	ServiceID  int64
	LocationID int64
	ActiveOnly bool
}

// PractitionerUpdate holds the fields to change; nil fields stay.
type PractitionerUpdate struct {
	Name           *string         `json:"name"`
	Discipline     *Discipline     `json:"discipline"`
	Qualifications *[]string       `json:"qualifications"`
	Registration   *Registration   `json:"registration"`
	Bio            *string         `json:"bio"`
	Languages      *[]string       `json:"languages"`
	Active         *bool           `json:"active"`
	Offers         *[]Offer        `json:"offers"`
	Hours          *[]WorkingHours `json:"working_hours"`
}

// Apply copies the set fields of u onto p.
func (u PractitionerUpdate) Apply(p *Practitioner) {
	setIf(&p.Name, u.Name)
	setIf(&p.Discipline, u.Discipline)
	setIf(&p.Qualifications, u.Qualifications)
	setIf(&p.Registration, u.Registration)
	setIf(&p.Bio, u.Bio)
	setIf(&p.Languages, u.Languages)
	setIf(&p.Active, u.Active)
	setIf(&p.Offers, u.Offers)
	setIf(&p.Hours, u.Hours)
}

// PractitionerService is the clinic's practitioners. Anyone may read;
// admins write.
type PractitionerService interface {
	FindPractitionerByID(ctx context.Context, id int64) (*Practitioner, error) // CodeNotFound
	FindPractitioners(ctx context.Context, f PractitionerFilter) ([]*Practitioner, error)
	// CreatePractitioner returns CodeInvalid for a bad field or an offer of
	// an unknown service or location, and CodeForbidden unless admin.
	CreatePractitioner(ctx context.Context, p *Practitioner) error
	UpdatePractitioner(ctx context.Context, id int64, upd PractitionerUpdate) (*Practitioner, error)
}

// PractitionerStore keeps practitioners; who may change them is clinic's
// concern.
type PractitionerStore interface {
	FindPractitionerByID(ctx context.Context, id int64) (*Practitioner, error) // CodeNotFound
	FindPractitioners(ctx context.Context, f PractitionerFilter) ([]*Practitioner, error)
	// InsertPractitioner validates and stores p with its offers and hours
	// and the audit line.
	InsertPractitioner(ctx context.Context, p *Practitioner, audit *AuditEntry) error
	// UpdatePractitioner reads, applies upd, validates and writes, in one
	// transaction with the audit line.
	UpdatePractitioner(ctx context.Context, id int64, upd PractitionerUpdate, audit *AuditEntry) (*Practitioner, error)
}

// Validate checks p's own fields (not whether offers name real services).
func (p *Practitioner) Validate() error {
	switch {
	case blank(p.Name):
		return FieldError("name", "name is required")
	case !p.Discipline.Valid():
		return FieldError("discipline", "discipline must be one of physiotherapist, sports_therapist, massage_therapist")
	case blank(p.Registration.Body) != blank(p.Registration.Number):
		return FieldError("registration", "registration needs both the body (e.g. HCPC) and the number")
	}
	for i, h := range p.Hours {
		if err := checkWeekday(h.Weekday); err != nil {
			return FieldError(indexed("working_hours", i, "weekday"), "%v", err)
		}
		if h.LocationID <= 0 {
			return FieldError(indexed("working_hours", i, "location_id"), "working hours need a location_id")
		}
		if h.Starts < 0 || h.Ends > 24*60 || h.Starts >= h.Ends {
			return FieldError(indexed("working_hours", i, "ends"), "working hours must end after they start, within one day")
		}
	}
	for i, o := range p.Offers {
		if o.ServiceID <= 0 || o.LocationID <= 0 {
			return FieldError(indexed("offers", i, "service_id"), "each offer needs a service_id and a location_id")
		}
	}
	return nil
}
