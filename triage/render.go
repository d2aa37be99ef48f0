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
