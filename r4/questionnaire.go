package r4

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"backdesk"

	"github.com/samply/golang-fhir-models/fhir-models/fhir"
)

// QuestionnaireID is the id of the self-assessment's Questionnaire.
const QuestionnaireID = "self-assessment"

// LOINC codes of the self-assessment's questions, only where LOINC has the
// very question (checked at loinc.org): the STarT Back Screening Tool panel
// (91349-1) and its nine items (91340-0 … 91348-3), the Oswestry
// Disability Index panel (97908-8; its sections are scored by the
// clinic's licensed wording, so they carry no item codes here), and pain
// now on a 0–10 scale (72514-3, "Pain severity - 0-10 verbal numeric rating
// [Score] - Reported"). The other questions are backdesk's own.
var loincCodes = map[string]struct{ code, display string }{
	"startback":                       {"91349-1", "STarT Back Screening Tool panel"},
	"startback.leg_pain":              {"91340-0", "My back pain has spread down my leg(s) at some time in the last 2 weeks"},
	"startback.shoulder_neck_pain":    {"91341-8", "I have had pain in the shoulder or neck at some time in the last 2 weeks"},
	"startback.walk_short_distances":  {"91342-6", "I have only walked short distances because of my back pain"},
	"startback.dressed_slowly":        {"91343-4", "In the last 2 weeks, I have dressed more slowly than usual because of back pain"},
	"startback.not_safe_active":       {"91344-2", "It's not really safe for a person with a condition like mine to be physically active"},
	"startback.worrying_thoughts":     {"91345-9", "Worrying thoughts have been going through my mind a lot of the time"},
	"startback.terrible_never_better": {"91346-7", "I feel that my back pain is terrible and it's never going to get any better"},
	"startback.not_enjoyed":           {"91347-5", "In general I have not enjoyed all the things I used to enjoy"},
	"startback.bothersome":            {"91348-3", "Overall, how bothersome has your back pain been in the last 2 weeks?"},
	"odi":                             {"97908-8", "Oswestry Disability Index"},
	"pain_now":                        {"72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"},
}

// LOINCCode is the LOINC code of a question or step key, "" when LOINC has
// none for it.
func LOINCCode(key string) string { return loincCodes[key].code }

// Questionnaire is the FHIR Questionnaire resource, hand-written for the
// elements backdesk uses (see the package comment for why not samply's).
type Questionnaire struct {
	ResourceType string              `json:"resourceType"`
	ID           string              `json:"id"`
	URL          string              `json:"url"`
	Version      string              `json:"version"`
	Name         string              `json:"name"`
	Title        string              `json:"title"`
	Status       string              `json:"status"`
	SubjectType  []string            `json:"subjectType"`
	Publisher    string              `json:"publisher,omitempty"`
	Description  string              `json:"description,omitempty"`
	Copyright    string              `json:"copyright,omitempty"`
	Item         []QuestionnaireItem `json:"item"`
}

// QuestionnaireItem is a group (a step) or a question.
type QuestionnaireItem struct {
	Extension    []fhir.Extension    `json:"extension,omitempty"`
	LinkID       string              `json:"linkId"`
	Code         []fhir.Coding       `json:"code,omitempty"`
	Text         string              `json:"text,omitempty"`
	Type         string              `json:"type"`
	Required     *bool               `json:"required,omitempty"`
	Repeats      *bool               `json:"repeats,omitempty"`
	AnswerOption []AnswerOption      `json:"answerOption,omitempty"`
	Item         []QuestionnaireItem `json:"item,omitempty"`
}

// AnswerOption is one allowed answer: a code of backdesk's answers with its
// label.
type AnswerOption struct {
	ValueCoding fhir.Coding `json:"valueCoding"`
}

// itemType is a question's FHIR item type.
func itemType(t backdesk.QuestionType) string {
	switch t {
	case backdesk.QuestionInteger, backdesk.QuestionScale:
		return "integer"
	case backdesk.QuestionBoolean:
		return "boolean"
	}
	return "choice"
}

// coding is the LOINC coding of key, if it has one.
func coding(key string) []fhir.Coding {
	c, ok := loincCodes[key]
	if !ok {
		return nil
	}
	return []fhir.Coding{{System: ptr(LOINC), Code: ptr(c.code), Display: ptr(c.display)}}
}

// NewQuestionnaire is the self-assessment as a Questionnaire: one group per
// step, one item per question, its answer key as the linkId. url is its
// canonical address (the facade's own), publisher the clinic.
func NewQuestionnaire(q *backdesk.Questionnaire, url, publisher string) Questionnaire {
	out := Questionnaire{ResourceType: "Questionnaire", ID: QuestionnaireID, URL: url, Version: q.RulesVersion,
		Name: "BackPainSelfAssessment", Title: "Lower back pain self-assessment", Status: "active", SubjectType: []string{"Patient"},
		Publisher: publisher,
		Description: "Where to go first with lower back pain: red flags, pain, legs, about you, and optionally the STarT Back " +
			"Screening Tool and the Oswestry Disability Index."}
	var licences []string
	for _, st := range q.Steps {
		g := QuestionnaireItem{LinkID: st.ID, Text: st.Title, Type: "group", Code: coding(st.ID)}
		if st.Licence != "" {
			licences = append(licences, st.Licence)
		}
		for _, qn := range st.Questions {
			it := QuestionnaireItem{LinkID: qn.Key, Text: qn.Text, Type: itemType(qn.Type), Code: coding(qn.Key)}
			if qn.Required {
				it.Required = ptr(true)
			}
			if qn.Type == backdesk.QuestionMulti {
				it.Repeats = ptr(true)
			}
			if it.Type == "choice" {
				for _, o := range qn.Options {
					it.AnswerOption = append(it.AnswerOption, AnswerOption{ValueCoding: fhir.Coding{Code: ptr(o.Value), Display: ptr(o.Label)}})
				}
			}
			if it.Type == "integer" {
				if qn.Min != nil {
					it.Extension = append(it.Extension, fhir.Extension{Url: minValueExtension, ValueInteger: qn.Min})
				}
				if qn.Max != nil {
					it.Extension = append(it.Extension, fhir.Extension{Url: maxValueExtension, ValueInteger: qn.Max})
				}
			}
			g.Item = append(g.Item, it)
		}
		out.Item = append(out.Item, g)
	}
	out.Copyright = strings.Join(licences, " ")
	return out
}

// QuestionnaireResponse is a stored self-assessment's answers, item by
// item in the Questionnaire's groups; questions not answered are left out.
// The result (where to go, and why) is not part of it: it is read from
// the JSON API.
func QuestionnaireResponse(a *backdesk.Assessment, q *backdesk.Questionnaire, url string) (fhir.QuestionnaireResponse, error) {
	r := fhir.QuestionnaireResponse{Id: ptr(a.ID), Status: fhir.QuestionnaireResponseStatusCompleted,
		Questionnaire: ptr(url + "|" + q.RulesVersion), Authored: ptr(Instant(a.CreatedAt, nil))}
	if a.PatientID != 0 {
		r.Subject = Ref("Patient", a.PatientID)
		r.Source = Ref("Patient", a.PatientID)
	}
	var answers map[string]any
	dec := json.NewDecoder(strings.NewReader(string(a.Answers)))
	dec.UseNumber()
	if err := dec.Decode(&answers); err != nil {
		return r, fmt.Errorf("decode the answers of assessment %s: %w", a.ID, err)
	}
	for _, st := range q.Steps {
		g := fhir.QuestionnaireResponseItem{LinkId: st.ID, Text: ptr(st.Title)}
		for _, qn := range st.Questions {
			v, ok := lookup(answers, qn.Key)
			if !ok {
				continue
			}
			if ans := answerOf(qn, v); len(ans) > 0 {
				it := fhir.QuestionnaireResponseItem{LinkId: qn.Key, Answer: ans}
				if qn.Text != "" {
					it.Text = ptr(qn.Text)
				}
				g.Item = append(g.Item, it)
			}
		}
		if len(g.Item) > 0 {
			r.Item = append(r.Item, g)
		}
	}
	return r, nil
}

// lookup finds an answer by its key: "leg.side" in {"leg": {"side": …}},
// "odi.3" the fourth of "odi".
func lookup(answers map[string]any, key string) (any, bool) {
	var cur any = answers
	for _, part := range strings.Split(key, ".") {
		switch x := cur.(type) {
		case map[string]any:
			v, ok := x[part]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			cur = x[i]
		default:
			return nil, false
		}
	}
	return cur, cur != nil
}

// answerOf is the FHIR answer of one stored value.
func answerOf(qn backdesk.Question, v any) []fhir.QuestionnaireResponseItemAnswer {
	label := func(code string) *string {
		for _, o := range qn.Options {
			if o.Value == code {
				return ptr(o.Label)
			}
		}
		return nil
	}
	switch itemType(qn.Type) {
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return nil
		}
		i, err := n.Int64()
		if err != nil {
			return nil
		}
		return []fhir.QuestionnaireResponseItemAnswer{{ValueInteger: ptr(int(i))}}
	case "boolean":
		b, ok := v.(bool)
		if !ok {
			return nil
		}
		return []fhir.QuestionnaireResponseItemAnswer{{ValueBoolean: ptr(b)}}
	}
	var codes []string
	switch x := v.(type) {
	case string:
		codes = []string{x}
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				codes = append(codes, s)
			}
		}
	}
	var out []fhir.QuestionnaireResponseItemAnswer
	for _, c := range codes {
		out = append(out, fhir.QuestionnaireResponseItemAnswer{ValueCoding: &fhir.Coding{Code: ptr(c), Display: label(c)}})
	}
	return out
}
