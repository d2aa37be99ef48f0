package triage_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"backdesk"
	"backdesk/triage"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestRulebookGolden keeps a readable rendering of every rule under review:
// go test ./triage -update rewrites it, and the diff is the clinical change.
func TestRulebookGolden(t *testing.T) {
	got := triage.RenderText(triage.Rulebook(triage.V1))
	const golden = "testdata/ruleset_v1.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./triage -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("rulebook changed (-golden +now); if intended, run go test ./triage -update:\n%s", diff)
	}
}

func TestRulebookCoversEveryRule(t *testing.T) {
	rb := triage.Rulebook(triage.V1)
	n := 0
	for _, s := range rb.Sections {
		for _, r := range s.Rules {
			n++
			if r.Source == "" || r.Text == "" || r.When == "" || r.Outcome == "" {
				t.Errorf("rule %s is not fully described: %+v", r.ID, r)
			}
		}
	}
	if n != len(triage.V1.Rules) {
		t.Errorf("rulebook shows %d rules, ruleset has %d", n, len(triage.V1.Rules))
	}
}

func TestValidateRejects(t *testing.T) {
	routing := []triage.Rule{}
	for _, r := range triage.V1.Rules {
		if r.Kind == triage.KindRouting {
			routing = append(routing, r)
		}
	}
	ok := triage.Rule{ID: "x", Kind: triage.KindPhysiotherapy, When: triage.True(triage.Stress), Text: "t", Source: "s"}
	for _, tc := range []struct {
		name string
		rule triage.Rule
		want string
	}{
		{"duplicate id", triage.Rule{ID: "route_massage", Kind: triage.KindPhysiotherapy, When: triage.Always(), Text: "t", Source: "s"}, "duplicate id"},
		{"no source", triage.Rule{ID: "y", Kind: triage.KindPhysiotherapy, When: triage.Always(), Text: "t"}, "needs text and a source"},
		{"bool operator on int", triage.Rule{ID: "y", Kind: triage.KindPhysiotherapy, When: triage.True(triage.Age), Text: "t", Source: "s"}, "operator does not fit age"},
		{"unknown enum value", triage.Rule{ID: "y", Kind: triage.KindPhysiotherapy, When: triage.Is(triage.Episode, "new"), Text: "t", Source: "s"}, `"new" is not a value of episode`},
		{"outcome read too early", triage.Rule{ID: "y", Kind: triage.KindPhysiotherapy, When: triage.True(triage.PhysioIndicated), Text: "t", Source: "s"}, "not known yet"},
		{"red flag to massage", triage.Rule{ID: "y", Kind: triage.KindRedFlag, When: triage.Always(), Disposition: backdesk.DispositionMassage, RedFlag: "trauma", Massage: backdesk.MassageNo, Contraindication: "t", Text: "t", Source: "s"}, "must send to emergency"},
		{"overlapping routing", triage.Rule{ID: "y", Kind: triage.KindRouting, When: triage.Always(), Disposition: backdesk.DispositionMassage, Text: "t", Source: "s"}, "want exactly 1"},
		{"empty range", triage.Rule{ID: "y", Kind: triage.KindPhysiotherapy, When: triage.Between(triage.Age, 9, 3), Text: "t", Source: "s"}, "empty range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := &triage.Ruleset{Version: "test", Rules: append(append([]triage.Rule{ok}, routing...), tc.rule)}
			err := rs.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want %q", err, tc.want)
			}
		})
	}
	missing := &triage.Ruleset{Version: "test", Rules: append([]triage.Rule{ok}, routing[1:]...)}
	if err := missing.Validate(); err == nil || !strings.Contains(err.Error(), "0 rules match") {
		t.Errorf("Validate() without a routing rule = %v", err)
	}
}

func TestFactNames(t *testing.T) {
	for i, k := range triage.RedFlagKeys {
		if got := (triage.RedFlagUrinaryDifficulty + triage.Fact(i)).String(); got != "red_flags."+k {
			t.Errorf("red flag fact %d = %s, want red_flags.%s", i, got, k)
		}
	}
	for i, k := range triage.ConditionKeys {
		if got := (triage.ConditionArthritis + triage.Fact(i)).String(); got != "conditions."+k {
			t.Errorf("condition fact %d = %s, want conditions.%s", i, got, k)
		}
	}
	if triage.ConditionSkinConditionBack.String() != "conditions.skin_condition_back" || triage.GoalPosture.String() != "goals.posture" {
		t.Error("fact constants out of step with their keys")
	}
}
