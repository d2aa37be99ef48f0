package web

import (
	"fmt"
	"net/http"
	"strings"

	"backdesk"
)

type offeringListPage struct {
	Layout
	Catalogue
}

func (s *Server) pageOfferingList(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCatalogue(r.Context(), true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "offering_list", offeringListPage{Layout: s.layout(r, "Services and prices"), Catalogue: c})
}

type offeringEditPage struct {
	Layout
	ID   int64
	Form offeringForm
	Err  *backdesk.Error
}

type offeringForm struct {
	Name, Discipline, Description, Duration, Buffer, Price, Currency string
	BookableOnline, FirstVisit, Active                               bool
}

func (s *Server) pageOfferingEdit(w http.ResponseWriter, r *http.Request) error {
	if err := s.svcs.Access.Authorize(r.Context(), backdesk.PermEditCatalogue); err != nil {
		return err
	}
	f := offeringForm{Discipline: string(backdesk.DisciplinePhysiotherapist), Duration: "45", Buffer: "0", Price: "60.00", Currency: "GBP", BookableOnline: true, Active: true}
	page := offeringEditPage{Layout: s.layout(r, "New service")}
	if r.PathValue("id") != "" {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		o, err := s.svcs.Offerings.FindOfferingByID(r.Context(), id)
		if err != nil {
			return err
		}
		f = offeringForm{Name: o.Name, Discipline: string(o.Discipline), Description: o.Description,
			Duration: fmt.Sprint(o.DurationMinutes), Buffer: fmt.Sprint(o.BufferAfterMinutes),
			Price: fmt.Sprintf("%d.%02d", o.PriceMinor/100, o.PriceMinor%100), Currency: o.Currency,
			BookableOnline: o.BookableOnline, FirstVisit: o.FirstVisit, Active: o.Active}
		page = offeringEditPage{Layout: s.layout(r, "Edit "+o.Name), ID: o.ID}
	}
	page.Form = f
	return s.render(w, r, http.StatusOK, "offering_edit", page)
}

func (s *Server) pageOfferingSave(w http.ResponseWriter, r *http.Request) error {
	pf, err := parseForm(r)
	if err != nil {
		return err
	}
	f := offeringForm{Name: pf.Get("name"), Discipline: pf.Get("discipline"), Description: pf.Get("description"),
		Duration: pf.Get("duration_minutes"), Buffer: pf.Get("buffer_after_minutes"), Price: pf.Get("price"),
		Currency:       strings.ToUpper(strings.TrimSpace(pf.Get("currency"))),
		BookableOnline: pf.Get("bookable_online") != "", FirstVisit: pf.Get("first_visit") != "", Active: pf.Get("active") != ""}
	id := int64(0)
	if r.PathValue("id") != "" {
		if id, err = pathID(r, "id"); err != nil {
			return err
		}
	}
	o := &backdesk.Offering{Name: strings.TrimSpace(f.Name), Discipline: backdesk.Discipline(f.Discipline), Description: strings.TrimSpace(f.Description),
		Currency: f.Currency, BookableOnline: f.BookableOnline, FirstVisit: f.FirstVisit, Active: f.Active}
	o.DurationMinutes, o.BufferAfterMinutes, o.PriceMinor = pf.Int("duration_minutes"), pf.Int("buffer_after_minutes"), pf.Money("price")
	if err = pf.Err(); err == nil {
		if id == 0 {
			err = s.svcs.Offerings.CreateOffering(r.Context(), o)
		} else {
			_, err = s.svcs.Offerings.UpdateOffering(r.Context(), id, backdesk.OfferingUpdate{Name: &o.Name, Discipline: &o.Discipline,
				Description: &o.Description, DurationMinutes: &o.DurationMinutes, BufferAfterMinutes: &o.BufferAfterMinutes,
				PriceMinor: &o.PriceMinor, Currency: &o.Currency, BookableOnline: &o.BookableOnline, FirstVisit: &o.FirstVisit, Active: &o.Active})
		}
	}
	if err != nil {
		return s.rerender(w, r, err, "offering_edit", func(e *backdesk.Error) any {
			return offeringEditPage{Layout: s.layout(r, "Edit service"), ID: id, Form: f, Err: e}
		})
	}
	s.redirect(w, r, "/admin", "Saved "+o.Name+".")
	return nil
}
