package triage_test

import (
	"regexp"
	"strings"
	"testing"

	"backdesk"
	"backdesk/triage"
)

// britishWords are words a US clinic's patients must not meet: the
// British names of the discipline, the family doctor, the emergency
// department, the NHS and its numbers.
var britishWords = regexp.MustCompile(`(?i)physio|\bGP\b|A&E|\bNHS\b|\b999\b|\b112\b|programme|licence`)

// resultTexts are the words of a result a person reads (its sources are
// cited as published, so they are left out).
func resultTexts(r backdesk.AssessmentResult) []string {
	out := []string{r.Headline}
	if r.Emergency != nil {
		out = append(out, r.Emergency.Message, strings.Join(r.Emergency.Numbers, " "))
	}
	for _, x := range r.Reasons {
		out = append(out, x.Text)
	}
	for _, x := range r.Massage.Techniques {
		out = append(out, x.Why)
	}
	out = append(out, r.Advice...)
	if r.StartBack != nil {
		out = append(out, r.StartBack.Care)
	}
	return out
}

// TestUSWording: for a US clinic every text of every clinical case's
// result, of the questionnaire and of the rulebook is in American words,
// with 911; for a UK clinic the same texts name physiotherapy and 999.
func TestUSWording(t *testing.T) {
	for _, c := range readCases(t) {
		a, err := triage.DecodeAnswers(c.answers)
		if err != nil {
			continue
		}
		us := triage.Evaluate(triage.V1, a, "US")
		for _, s := range resultTexts(us) {
			if m := britishWords.FindString(s); m != "" {
				t.Errorf("%s/%s: US result says %q in %q", c.file, c.name, m, s)
			}
		}
		if us.Emergency != nil && !strings.Contains(us.Emergency.Message, "call 911") {
			t.Errorf("%s/%s: US emergency message %q does not say to call 911", c.file, c.name, us.Emergency.Message)
		}
		gb := triage.Evaluate(triage.V1, a, "GB")
		if gb.Emergency != nil && !strings.Contains(gb.Emergency.Message, "call 999") {
			t.Errorf("%s/%s: UK emergency message %q does not say to call 999", c.file, c.name, gb.Emergency.Message)
		}
		if us.Disposition != gb.Disposition || len(us.Reasons) != len(gb.Reasons) {
			t.Errorf("%s/%s: the country changed the result: %s vs %s", c.file, c.name, us.Disposition, gb.Disposition)
		}
	}
	us := backdesk.LocaleFor("US")
	q := triage.LocalizeQuestionnaire(triage.Questionnaire(triage.V1, nil), us)
	for _, st := range q.Steps {
		texts := []string{st.Title, st.Intro, st.Licence}
		for _, qn := range st.Questions {
			texts = append(texts, qn.Text, qn.Help)
			for _, o := range qn.Options {
				texts = append(texts, o.Label)
			}
		}
		for _, s := range texts {
			if m := britishWords.FindString(s); m != "" {
				t.Errorf("US questionnaire says %q in %q", m, s)
			}
		}
	}
	rb := triage.LocalizeRulebook(triage.Rulebook(triage.V1), us)
	for i, sec := range rb.Sections {
		for j, r := range sec.Rules {
			if m := britishWords.FindString(r.Text + " " + sec.Title + " " + sec.Intro); m != "" {
				t.Errorf("US rulebook rule %s says %q in %q", r.ID, m, r.Text)
			}
			if r.Source != triage.Rulebook(triage.V1).Sections[i].Rules[j].Source {
				t.Errorf("US rulebook rule %s cites %q, not its source as published", r.ID, r.Source)
			}
		}
	}
	if got := triage.Rulebook(triage.V1); triage.LocalizeRulebook(got, backdesk.LocaleFor("GB")) != got {
		t.Error("the UK rulebook is rewritten")
	}
}
