package triage

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"backdesk"
)

// Kind is what a rule decides; it also fixes the stage at which the rule
// runs and so which facts it may read.
type Kind int

const (
	KindRedFlag       Kind = iota // a red flag: a doctor first (stage 1)
	KindMassageSafety             // lowers massage suitability (stage 1)
	KindPhysiotherapy             // physiotherapy is indicated (stage 1)
	KindMassageWanted             // a reason to want massage (stage 1)
	KindRouting                   // the disposition from stage-1 outcomes (stage 2)
	KindTechnique                 // a massage technique that fits (stage 3)
	KindAdvice                    // self-care advice (stage 3)
	numKinds
)

var kindInfo = [numKinds]struct {
	stage        int
	title, intro string
}{
	KindRedFlag: {1, "Red flags",
		"Any red flag sends the person to a doctor before anything else: emergency care now, or a doctor today or tomorrow. No massage or physiotherapy is offered until a doctor has cleared them."},
	KindMassageSafety: {1, "Massage safety",
		"Massage is suitable (yes) unless a rule below lowers it. The lowest level wins: no, then after assessment (a physiotherapist assesses first)."},
	KindPhysiotherapy: {1, "When physiotherapy is indicated",
		"Each rule is a reason of its own to see a physiotherapist first."},
	KindMassageWanted: {1, "When massage is wanted",
		"Each rule is a reason of its own why massage would help."},
	KindRouting: {2, "Where to go first",
		"Exactly one routing rule matches every combination of the outcomes above (checked when the ruleset is validated). A red flag, being more urgent, overrides it."},
	KindTechnique: {3, "Massage techniques",
		"Listed only when massage is not ruled out. A rule marked as the default applies only when no other technique matches."},
	KindAdvice: {3, "Self-care advice", "Advice shown with the result."},
}

// Rule is one clinical rule: when its condition holds, its effect applies.
// Which effect fields count depends on Kind.
type Rule struct {
	ID   string
	Kind Kind
	When Cond
	// Fallback: the rule applies only when no other rule of its kind matched.
	Fallback bool

	Disposition      backdesk.Disposition        // KindRedFlag, KindRouting
	RedFlag          string                      // KindRedFlag: the red flag reported
	Massage          backdesk.MassageSuitability // KindRedFlag (always no), KindMassageSafety
	Contraindication string                      // KindRedFlag, KindMassageSafety: what lowered massage
	Technique        string                      // KindTechnique

	// Text is the reason, advice or technique rationale in plain words.
	Text string
	// Source is where the rule comes from, for clinical review.
	Source string
}

// Ruleset is a published, versioned set of rules. Published rulesets are
// frozen: a change is a new version in a new file.
type Ruleset struct {
	Version string
	Rules   []Rule

	keysOnce sync.Once
	keys     [][]string // answer keys per rule, computed once
}

// answerKeys returns, per rule, the answer keys its condition rests on.
func (rs *Ruleset) answerKeys() [][]string {
	rs.keysOnce.Do(func() {
		rs.keys = make([][]string, len(rs.Rules))
		for i := range rs.Rules {
			rs.keys[i] = rs.Rules[i].answerKeys()
		}
	})
	return rs.keys
}

// Validate checks the ruleset: unique ids, every rule with text and a
// source, facts that exist and are known at the rule's stage, operators that
// fit the facts' types, valid effects, and routing rules that cover every
// combination of stage-1 outcomes exactly once.
func (rs *Ruleset) Validate() error {
	var errs []error
	if rs.Version == "" {
		errs = append(errs, errors.New("ruleset has no version"))
	}
	if len(rs.Rules) > maxRules {
		errs = append(errs, fmt.Errorf("ruleset has %d rules; at most %d", len(rs.Rules), maxRules))
	}
	seen := map[string]bool{}
	for i := range rs.Rules {
		r := &rs.Rules[i]
		fail := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("rule %q: %s", r.ID, fmt.Sprintf(format, args...)))
		}
		if r.ID == "" {
			errs = append(errs, fmt.Errorf("rule %d has no id", i))
		}
		if seen[r.ID] {
			fail("duplicate id")
		}
		seen[r.ID] = true
		if r.Kind < 0 || r.Kind >= numKinds {
			fail("unknown kind %d", r.Kind)
			continue
		}
		if r.Text == "" || r.Source == "" {
			fail("needs text and a source")
		}
		if err := checkCond(r.When, kindInfo[r.Kind].stage); err != nil {
			fail("%v", err)
		}
		switch r.Kind {
		case KindRedFlag:
			if r.Disposition != backdesk.DispositionEmergency && r.Disposition != backdesk.DispositionUrgentDoctor {
				fail("a red flag must send to emergency or urgent_doctor")
			}
			if !slices.Contains(RedFlagKeys, r.RedFlag) || r.Massage != backdesk.MassageNo || r.Contraindication == "" {
				fail("a red flag must name its red flag and make massage no")
			}
		case KindMassageSafety:
			if (r.Massage != backdesk.MassageNo && r.Massage != backdesk.MassageAfterAssessment) || r.Contraindication == "" {
				fail("a massage safety rule must lower suitability and name the contraindication")
			}
		case KindRouting:
			if r.Disposition.Urgency() == 0 || r.Disposition.NeedsDoctor() {
				fail("a routing rule must choose physiotherapy, massage or both")
			}
		case KindTechnique:
			if r.Technique == "" {
				fail("a technique rule must name the technique")
			}
		}
	}
	if err := rs.checkRouting(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func checkCond(c Cond, stage int) error {
	switch c.Op {
	case OpAlways:
		return nil
	case OpAll, OpAny, OpNot:
		if len(c.Sub) == 0 || c.Op == OpNot && len(c.Sub) != 1 {
			return fmt.Errorf("%v has the wrong number of parts", c)
		}
		for _, s := range c.Sub {
			if err := checkCond(s, stage); err != nil {
				return err
			}
		}
		return nil
	}
	if c.Fact < 0 || c.Fact >= numFacts {
		return fmt.Errorf("unknown fact %d", c.Fact)
	}
	fi := facts[c.Fact]
	if fi.stage >= stage {
		return fmt.Errorf("%s is not known yet at this stage", fi.name)
	}
	want := map[Op]FactKind{OpTrue: BoolFact, OpIs: EnumFact, OpAtLeast: IntFact, OpBelow: IntFact, OpBetween: IntFact}[c.Op]
	if fi.kind != want {
		return fmt.Errorf("%v: operator does not fit %s", c, fi.name)
	}
	if c.Op == OpIs && !slices.Contains(fi.values, c.Value) {
		return fmt.Errorf("%v: %q is not a value of %s", c, c.Value, fi.name)
	}
	if c.Op == OpBetween && c.N > c.M {
		return fmt.Errorf("%v: empty range", c)
	}
	return nil
}

// checkRouting enumerates every combination of the stage-1 outcomes and
// requires exactly one routing rule to match each.
func (rs *Ruleset) checkRouting() error {
	for _, physio := range []bool{false, true} {
		for _, wanted := range []bool{false, true} {
			for _, suit := range SuitabilityValues {
				var v values
				v.setBool(PhysioIndicated, physio)
				v.setBool(MassageWanted, wanted)
				v.setEnum(MassageSuitable, suit)
				n := 0
				for i := range rs.Rules {
					if rs.Rules[i].Kind == KindRouting && rs.Rules[i].When.eval(&v) {
						n++
					}
				}
				if n != 1 {
					return fmt.Errorf("routing: %d rules match physiotherapy_indicated=%v massage_wanted=%v massage.suitable=%s, want exactly 1", n, physio, wanted, suit)
				}
			}
		}
	}
	return nil
}

// answerKeys lists the answer keys a rule's condition rests on.
func (r *Rule) answerKeys() []string {
	out := []string{}
	for _, f := range r.When.facts(nil) {
		for _, k := range facts[f].answers {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}
