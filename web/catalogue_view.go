package web

import (
	"context"

	"backdesk"
)

// Catalogue is the whole clinic Catalogue, read for a page.
type Catalogue struct {
	Locations     []*backdesk.Location
	Offerings     []*backdesk.Offering
	Practitioners []*backdesk.Practitioner
}

func (s *Server) loadCatalogue(ctx context.Context, activeOnly bool) (Catalogue, error) {
	var c Catalogue
	var err error
	if c.Locations, err = s.svcs.Locations.FindLocations(ctx); err != nil {
		return c, err
	}
	if c.Offerings, err = s.svcs.Offerings.FindOfferings(ctx, backdesk.OfferingFilter{ActiveOnly: activeOnly}); err != nil {
		return c, err
	}
	if c.Practitioners, err = s.svcs.Practitioners.FindPractitioners(ctx, backdesk.PractitionerFilter{ActiveOnly: activeOnly}); err != nil {
		return c, err
	}
	return c, nil
}

// Offering returns the service with id, or nil.
func (c Catalogue) Offering(id int64) *backdesk.Offering {
	for _, o := range c.Offerings {
		if o.ID == id {
			return o
		}
	}
	return nil
}

// Location returns the location with id, or nil.
func (c Catalogue) Location(id int64) *backdesk.Location {
	for _, l := range c.Locations {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// Main is the clinic's main location, for times not tied to a place.
func (c Catalogue) Main() *backdesk.Location { return backdesk.MainLocation(c.Locations) }

// Wording is the clinic's locale, from its main location's country.
func (c Catalogue) Wording() *backdesk.Locale { return localeOf(c.Main()) }

// PractitionersFor lists the practitioners offering service id.
func (c Catalogue) PractitionersFor(id int64) []*backdesk.Practitioner {
	var out []*backdesk.Practitioner
	for _, p := range c.Practitioners {
		for _, o := range p.Offers {
			if o.ServiceID == id {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// Offers reports whether practitioner practitionerID offers service
// serviceID.
func (c Catalogue) Offers(practitionerID, serviceID int64) bool {
	p := c.Practitioner(practitionerID)
	if p == nil {
		return false
	}
	for _, o := range p.Offers {
		if o.ServiceID == serviceID {
			return true
		}
	}
	return false
}

// ByDiscipline groups practitioners by discipline, in Catalogue order.
func (c Catalogue) ByDiscipline() []practitionerGroup {
	var out []practitionerGroup
	for _, d := range backdesk.Disciplines {
		g := practitionerGroup{Discipline: d}
		for _, p := range c.Practitioners {
			if p.Discipline == d {
				g.Practitioners = append(g.Practitioners, p)
			}
		}
		if len(g.Practitioners) > 0 {
			out = append(out, g)
		}
	}
	return out
}

type practitionerGroup struct {
	Discipline    backdesk.Discipline
	Practitioners []*backdesk.Practitioner
}

// Practitioner returns the practitioner with id, or nil.
func (c Catalogue) Practitioner(id int64) *backdesk.Practitioner {
	for _, p := range c.Practitioners {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// BookService is the service to book with practitioner p from their page:
// their discipline's first visit if they offer it online, else the first
// service they offer online; nil when nothing of theirs is booked online.
func (c Catalogue) BookService(p *backdesk.Practitioner) *backdesk.Offering {
	var first *backdesk.Offering
	for _, of := range p.Offers {
		o := c.Offering(of.ServiceID)
		if o == nil || !o.BookableOnline || !o.Active {
			continue
		}
		if o.FirstVisit {
			return o
		}
		if first == nil {
			first = o
		}
	}
	return first
}
