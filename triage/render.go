package triage

import (
	"fmt"
	"strings"

	"backdesk"
)

// Rulebook renders rs for clinicians, section by section, from the same
// data Evaluate runs.
func Rulebook(rs *Ruleset) *backdesk.Rulebook {
	rb := &backdesk.Rulebook{Version: rs.Version}
	for k := Kind(0); k < numKinds; k++ {
		sec := backdesk.RuleSection{Title: kindInfo[k].title, Intro: kindInfo[k].intro}
		for i := range rs.Rules {
			r := &rs.Rules[i]
			if r.Kind != k {
				continue
			}
			when := r.When.String()
			if r.Fallback {
				when += " (the default: only when no other " + strings.ToLower(kindInfo[k].title) + " rule applies)"
			}
			sec.Rules = append(sec.Rules, backdesk.RuleInfo{ID: r.ID, When: when, Outcome: r.outcome(), Text: r.Text, Source: r.Source})
		}
		rb.Sections = append(rb.Sections, sec)
	}
	return rb
}

func (r *Rule) outcome() string {
	switch r.Kind {
	case KindRedFlag:
		return fmt.Sprintf("%s; red flag %s; massage: no", r.Disposition, r.RedFlag)
	case KindMassageSafety:
		return fmt.Sprintf("massage: %s (%s)", strings.ReplaceAll(string(r.Massage), "_", " "), r.Contraindication)
	case KindPhysiotherapy:
		return "physiotherapy indicated"
	case KindMassageWanted:
		return "massage wanted"
	case KindRouting:
		return "go first to: " + strings.ReplaceAll(string(r.Disposition), "_", " ")
	case KindTechnique:
		return "technique: " + r.Technique
	}
	return "advice"
}

// RenderText writes the rulebook as plain text, for the golden file that
// turns every rule change into a readable diff.
func RenderText(rb *backdesk.Rulebook) string {
	var b strings.Builder
	fmt.Fprintf(&b, "backdesk triage rules, version %s\n", rb.Version)
	for _, s := range rb.Sections {
		fmt.Fprintf(&b, "\n== %s ==\n%s\n", s.Title, s.Intro)
		for _, r := range s.Rules {
			fmt.Fprintf(&b, "\n%s\n  when:    %s\n  then:    %s\n  reason:  %s\n  source:  %s\n", r.ID, r.When, r.Outcome, r.Text, r.Source)
		}
	}
	return b.String()
}

// LocalizeRulebook returns rb in the locale's words; the rules' conditions,
// outcomes and sources stay as they are. rb itself is not changed.
func LocalizeRulebook(rb *backdesk.Rulebook, loc *backdesk.Locale) *backdesk.Rulebook {
	if !loc.Rewords() {
		return rb
	}
	out := &backdesk.Rulebook{Version: rb.Version}
	for _, s := range rb.Sections {
		sec := backdesk.RuleSection{Title: loc.Say(s.Title), Intro: loc.Say(s.Intro)}
		for _, r := range s.Rules {
			r.Text = loc.Say(r.Text)
			sec.Rules = append(sec.Rules, r)
		}
		out.Sections = append(out.Sections, sec)
	}
	return out
}

// LocalizeQuestionnaire returns q in the locale's words; keys and values
// stay as they are. q itself is not changed.
func LocalizeQuestionnaire(q *backdesk.Questionnaire, loc *backdesk.Locale) *backdesk.Questionnaire {
	if !loc.Rewords() {
		return q
	}
	out := &backdesk.Questionnaire{RulesVersion: q.RulesVersion}
	for _, st := range q.Steps {
		st.Title, st.Intro, st.Licence = loc.Say(st.Title), loc.Say(st.Intro), loc.Say(st.Licence)
		qs := make([]backdesk.Question, len(st.Questions))
		for i, qn := range st.Questions {
			qn.Text, qn.Help = loc.Say(qn.Text), loc.Say(qn.Help)
			opts := make([]backdesk.Option, len(qn.Options))
			for j, o := range qn.Options {
				o.Label = loc.Say(o.Label)
				opts[j] = o
			}
			if qn.Options == nil {
				opts = nil
			}
			qn.Options = opts
			qs[i] = qn
		}
		st.Questions = qs
		out.Steps = append(out.Steps, st)
	}
	return out
}
