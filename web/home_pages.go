package web

import (
	"net/http"

	"backdesk"
)

type homePage struct {
	Layout
	Locations     []*backdesk.Location
	Practitioners []*backdesk.Practitioner
	Disciplines   []disciplineSummary
}

type disciplineSummary struct {
	Discipline backdesk.Discipline
	Count      int
}

func (s *Server) pageHome(w http.ResponseWriter, r *http.Request) error {
	ls, err := s.svcs.Locations.FindLocations(r.Context())
	if err != nil {
		return err
	}
	ps, err := s.svcs.Practitioners.FindPractitioners(r.Context(), backdesk.PractitionerFilter{ActiveOnly: true})
	if err != nil {
		return err
	}
	var ds []disciplineSummary
	for _, d := range backdesk.Disciplines {
		n := 0
		for _, p := range ps {
			if p.Discipline == d {
				n++
			}
		}
		ds = append(ds, disciplineSummary{d, n})
	}
	return s.render(w, r, http.StatusOK, "home", homePage{Layout: s.layout(r, "Back pain care"), Locations: ls, Practitioners: ps, Disciplines: ds})
}
