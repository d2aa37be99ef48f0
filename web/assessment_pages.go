package web

import (
	"net/http"
	"net/url"
	"strings"

	"backdesk"
)

type assessmentNewPage struct {
	Layout
	Questionnaire *backdesk.Questionnaire
	Values        url.Values
	Err           *backdesk.Error
}

func (s *Server) pageAssessmentNew(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "assessment_new", assessmentNewPage{Layout: s.layout(r, "Self-assessment"),
		Questionnaire: s.svcs.Assessments.Questionnaire(r.Context()), Values: url.Values{}})
}

// pageAssessmentCreate posts the form's answers through the same service as
// the API; a bad answer re-renders the form with what was entered (422).
func (s *Server) pageAssessmentCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	q := s.svcs.Assessments.Questionnaire(r.Context())
	a, err := s.svcs.Assessments.CreateAssessment(r.Context(), formAnswers(q, f.Values))
	if err != nil {
		return s.rerender(w, r, err, "assessment_new", func(e *backdesk.Error) any {
			return assessmentNewPage{Layout: s.layout(r, "Self-assessment"), Questionnaire: q, Values: f.Values, Err: e}
		})
	}
	http.Redirect(w, r, "/assessment/"+a.ID, http.StatusSeeOther)
	return nil
}

type assessmentViewPage struct {
	Layout
	Assessment        *backdesk.Assessment
	Result            *backdesk.AssessmentResult
	RedFlags          []string // the questions, in the person's words
	Contraindications []string
	Book              []bookOption
	Phone             string
	ODILicence        string
	StartBackLicence  string
}

type bookOption struct {
	Label, URL string
}

func (s *Server) assessmentView(w http.ResponseWriter, r *http.Request, print bool) error {
	a, err := s.svcs.Assessments.FindAssessmentByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	q := s.svcs.Assessments.Questionnaire(r.Context())
	labels := questionLabels(q)
	page := assessmentViewPage{Layout: s.layout(r, "Your result"), Assessment: a, Result: &a.Result}
	page.Layout.NoIndex, page.Layout.Print = true, print
	for _, k := range a.Result.RedFlags {
		page.RedFlags = append(page.RedFlags, labels["red_flags."+k])
	}
	for _, c := range a.Result.Massage.Contraindications {
		if l := labels["red_flags."+c]; l != "" {
			page.Contraindications = append(page.Contraindications, "A red flag: "+lowerFirst(l))
		} else if l := labels["conditions="+c]; l != "" {
			page.Contraindications = append(page.Contraindications, l)
		} else {
			page.Contraindications = append(page.Contraindications, contraindicationText[c])
		}
	}
	for _, b := range a.Result.Book {
		d := backdesk.DisciplinePhysiotherapist
		label := "Book a physiotherapist"
		if b == "massage" {
			d, label = backdesk.DisciplineMassageTherapist, "Book a massage therapist"
		}
		page.Book = append(page.Book, bookOption{Label: label, URL: "/book?discipline=" + string(d) + "&assessment=" + a.ID})
	}
	if ls, err := s.svcs.Locations.FindLocations(r.Context()); err == nil && len(ls) > 0 {
		page.Phone = ls[0].Phone
	}
	for _, st := range q.Steps {
		switch st.ID {
		case "odi":
			page.ODILicence = st.Licence
		case "startback":
			page.StartBackLicence = st.Licence
		}
	}
	name := "assessment_view"
	if print {
		name = "assessment_print"
	}
	return s.render(w, r, http.StatusOK, name, page)
}

func (s *Server) pageAssessmentView(w http.ResponseWriter, r *http.Request) error {
	return s.assessmentView(w, r, false)
}

func (s *Server) pageAssessmentPrint(w http.ResponseWriter, r *http.Request) error {
	return s.assessmentView(w, r, true)
}

type rulebookPage struct {
	Layout
	Rulebook *backdesk.Rulebook
}

func (s *Server) pageRulebook(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "rules", rulebookPage{Layout: s.layout(r, "Rulebook"), Rulebook: s.svcs.Assessments.Rulebook(r.Context())})
}

// contraindicationText names what lowered massage when no question does.
var contraindicationText = map[string]string{
	"nerve_symptoms": "Leg pain, pins and needles or numbness (a nerve may be involved)",
	"pregnant":       "Pregnancy",
	"under_16":       "Under 16",
}

// questionLabels maps question keys, and "key=value" for options, to the
// words the person saw.
func questionLabels(q *backdesk.Questionnaire) map[string]string {
	m := map[string]string{}
	for _, st := range q.Steps {
		for _, qn := range st.Questions {
			m[qn.Key] = qn.Text
			for _, o := range qn.Options {
				m[qn.Key+"="+o.Value] = o.Label
			}
		}
	}
	return m
}

func lowerFirst(s string) string {
	if s == "" || strings.HasPrefix(s, "You ") {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
