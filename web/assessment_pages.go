package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"backdesk"
)

type assessmentNewPage struct {
	Layout
	Questionnaire *backdesk.Questionnaire
	Values        url.Values
	Err           *backdesk.Error
	// Problems is the summary at the top of a rejected form: each problem,
	// in the order of the questions, linking to its question.
	Problems *formErrors
}

// questionProblems orders err's problems as the questions are asked, each
// linking to the question's first control (a group's first choice).
func questionProblems(q *backdesk.Questionnaire, err *backdesk.Error) *formErrors {
	if err == nil {
		return nil
	}
	fe := &formErrors{Message: err.Message}
	seen := map[string]bool{}
	for _, st := range q.Steps {
		for _, qn := range st.Questions {
			msg := fieldError(err, qn.Key)
			if msg == "" {
				continue
			}
			seen[qn.Key] = true
			fe.Problems = append(fe.Problems, fieldProblem{Field: qn.Key, ID: questionAnchor(qn), Message: msg})
		}
	}
	for _, f := range problems(err).Problems {
		if !seen[f.Field] {
			fe.Problems = append(fe.Problems, fieldProblem{Field: f.Field, ID: "assessment-form", Message: f.Message})
		}
	}
	return fe
}

// questionAnchor is the id of a question's first control, as
// assessment_new.html names them.
func questionAnchor(qn backdesk.Question) string {
	id := "q-" + strings.ReplaceAll(qn.Key, ".", "-")
	switch {
	case qn.Type == backdesk.QuestionInteger && qn.Max != nil && *qn.Max <= 10:
		return id + "-" + strconv.Itoa(*qn.Min)
	case qn.Type == backdesk.QuestionScale:
		return id + "-skip"
	case len(qn.Options) > 0:
		return id + "-" + qn.Options[0].Value
	}
	return id
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
			return assessmentNewPage{Layout: s.layout(r, "Self-assessment: please check your answers"), Questionnaire: q, Values: f.Values,
				Err: e, Problems: questionProblems(q, e)}
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
	// Keep offers to keep an anonymous result on an account made or
	// signed in to from it.
	Keep bool
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
	page.Contraindications = contraindicationWords(labels, a.Result.Massage.Contraindications)
	for _, b := range a.Result.Book {
		d, ok := backdesk.BookDiscipline(b)
		if !ok || a.Result.Disposition.NeedsDoctor() {
			continue
		}
		page.Book = append(page.Book, bookOption{Label: "Book a " + strings.ToLower(page.Locale.Discipline(d)),
			URL: "/book?discipline=" + string(d) + "&assessment=" + a.ID})
	}
	page.Keep = a.PatientID == 0
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

// contraindicationWords names, in the person's words, what lowered massage.
func contraindicationWords(labels map[string]string, list []string) []string {
	var out []string
	for _, c := range list {
		if l := labels["red_flags."+c]; l != "" {
			out = append(out, "A red flag: "+lowerFirst(l))
		} else if l := labels["conditions="+c]; l != "" {
			out = append(out, l)
		} else if l := contraindicationText[c]; l != "" {
			out = append(out, l)
		} else {
			out = append(out, c)
		}
	}
	return out
}

// assessmentSummary is a self-assessment as the practitioner and the desk
// see it beside an appointment or a record: when, where it sent the person,
// whether massage is safe and why not, and the red flags.
type assessmentSummary struct {
	Assessment *backdesk.Assessment
	Because    []string // what lowered massage, in words
	RedFlags   []string // the person's answers, in their words
}

// summarise is a's summary for staff.
func (s *Server) summarise(r *http.Request, a *backdesk.Assessment) *assessmentSummary {
	labels := questionLabels(s.svcs.Assessments.Questionnaire(r.Context()))
	sum := &assessmentSummary{Assessment: a, Because: contraindicationWords(labels, a.Result.Massage.Contraindications)}
	for _, k := range a.Result.RedFlags {
		if l := labels["red_flags."+k]; l != "" {
			sum.RedFlags = append(sum.RedFlags, l)
		} else {
			sum.RedFlags = append(sum.RedFlags, k)
		}
	}
	return sum
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
