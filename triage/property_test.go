package triage_test

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"backdesk"
	"backdesk/triage"
)

// randomAnswers draws a valid answer set: every field, optional ones given
// or not, so that all combinations of rules are exercised.
func randomAnswers(r *rand.Rand) triage.Answers {
	pick := func(vs []string) string { return vs[r.IntN(len(vs))] }
	maybe := func(p float64) bool { return r.Float64() < p }
	a := triage.Answers{
		Age: r.IntN(121), Pregnant: maybe(0.05), DurationWeeks: r.IntN(60), Episode: pick(triage.EpisodeValues),
		PainNow: r.IntN(11), PainWorst: -1, MuscleTension: maybe(0.4), Stress: maybe(0.3), Headaches: maybe(0.2),
	}
	if maybe(0.5) {
		a.PainWorst = a.PainNow + r.IntN(11-a.PainNow)
	}
	if maybe(0.7) {
		a.Trigger = pick(triage.TriggerValues)
	}
	if maybe(0.6) {
		a.PainTolerance = pick(triage.ToleranceValues)
	}
	for i := range a.RedFlags {
		a.RedFlags[i] = maybe(0.04)
	}
	for i := range a.Conditions {
		a.Conditions[i] = maybe(0.06)
	}
	for i := range a.Goals {
		a.Goals[i] = maybe(0.2)
	}
	a.Leg = triage.Leg{PainBelowKnee: maybe(0.2), PinsAndNeedles: maybe(0.2), Numbness: maybe(0.1)}
	if maybe(0.5) {
		a.Leg.Side = pick(triage.LegSideValues)
	}
	if maybe(0.4) {
		sb := &triage.StartBack{Bothersome: pick(triage.BothersomeValues)}
		for i := range sb.Agree {
			sb.Agree[i] = maybe(0.5)
		}
		a.StartBack = sb
	}
	if maybe(0.4) {
		a.ODI = make([]int, 10)
		for i := range a.ODI {
			a.ODI[i] = r.IntN(7) - 1 // -1 is skipped
		}
	}
	return a
}

// anyRedFlag is the spec's definition, written independently of the rules.
func anyRedFlag(a triage.Answers) bool {
	nerve := a.Leg.PainBelowKnee || a.Leg.PinsAndNeedles || a.Leg.Numbness
	return slices.Contains(a.RedFlags[:], true) || a.Leg.Side == "both" && nerve
}

func checkInvariants(t *testing.T, a triage.Answers, res backdesk.AssessmentResult) {
	t.Helper()
	if anyRedFlag(a) {
		if !res.Disposition.NeedsDoctor() || len(res.Book) != 0 || len(res.RedFlags) == 0 {
			t.Fatalf("red flag in %+v gave %s, book %v, red_flags %v", a, res.Disposition, res.Book, res.RedFlags)
		}
		if res.Massage.Suitable != backdesk.MassageNo {
			t.Fatalf("red flag in %+v left massage %s", a, res.Massage.Suitable)
		}
	} else if res.Disposition.NeedsDoctor() || len(res.RedFlags) != 0 {
		t.Fatalf("no red flag in %+v gave %s, red_flags %v", a, res.Disposition, res.RedFlags)
	}
	if slices.Contains(res.Book, "massage") && (res.Massage.Suitable != backdesk.MassageYes || len(res.Massage.Contraindications) != 0) {
		t.Fatalf("massage offered with contraindications %v (%s) for %+v", res.Massage.Contraindications, res.Massage.Suitable, a)
	}
	if res.Massage.Suitable == backdesk.MassageNo && len(res.Massage.Techniques) != 0 {
		t.Fatalf("techniques %v offered when massage is not safe", res.Massage.Techniques)
	}
	if (res.Massage.Suitable == backdesk.MassageYes) != (len(res.Massage.Contraindications) == 0) {
		t.Fatalf("suitable %s with contraindications %v", res.Massage.Suitable, res.Massage.Contraindications)
	}
	if a.Pregnant && slices.ContainsFunc(res.Massage.Techniques, func(x backdesk.Technique) bool { return x.Name == "hot_stone" }) {
		t.Fatalf("hot stone offered in pregnancy")
	}
	if len(res.Reasons) == 0 || res.Headline == "" || res.RulesVersion == "" {
		t.Fatalf("empty reasons, headline or version for %+v: %+v", a, res)
	}
	if res.Disposition.Urgency() == 0 {
		t.Fatalf("no disposition for %+v", a)
	}
	if (res.Disposition == backdesk.DispositionEmergency) != (res.Emergency != nil && res.Disposition == backdesk.DispositionEmergency) {
		t.Fatalf("emergency without numbers")
	}
}

func TestPropertiesGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2026))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		a := randomAnswers(r)
		res := triage.Evaluate(triage.V1, a, "GB")
		checkInvariants(t, a, res)
		// The same answers always give the same result.
		if again := triage.Evaluate(triage.V1, a, "GB"); !reflect.DeepEqual(res, again) {
			t.Fatalf("Evaluate is not deterministic for %+v", a)
		}
		// The stored (canonical) answers decode back to the same result.
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		back, err := triage.DecodeAnswers(b)
		if err != nil {
			t.Fatalf("canonical answers %s do not decode: %v", b, err)
		}
		if again := triage.Evaluate(triage.V1, back, "GB"); !reflect.DeepEqual(res, again) {
			t.Fatalf("round trip through %s changed the result", b)
		}
	}
}

// TestEveryRedFlagCombination enumerates all 2^13 combinations of the red
// flags on a benign answer set and on one that would otherwise be massage.
func TestEveryRedFlagCombination(t *testing.T) {
	bases := []triage.Answers{
		{Age: 34, DurationWeeks: 1, Episode: "recurring", PainNow: 2, PainWorst: -1, Trigger: "posture_desk", MuscleTension: true},
		{Age: 70, DurationWeeks: 30, Episode: "first", PainNow: 9, PainWorst: -1, Leg: triage.Leg{Numbness: true, Side: "one"}},
	}
	for _, base := range bases {
		for mask := range 1 << len(triage.RedFlagKeys) {
			a := base
			for i := range a.RedFlags {
				a.RedFlags[i] = mask&(1<<i) != 0
			}
			res := triage.Evaluate(triage.V1, a, "CA")
			checkInvariants(t, a, res)
			if mask != 0 && res.Emergency == nil {
				t.Fatalf("mask %b: no emergency call information", mask)
			}
		}
	}
}

func TestEmergencyNumbers(t *testing.T) {
	a := triage.Answers{Age: 40, DurationWeeks: 1, Episode: "first", PainNow: 5, PainWorst: -1}
	a.RedFlags[1] = true
	for _, tc := range []struct{ country, want string }{
		{"GB", "Go to an emergency department now, or call 999 (or 112)."},
		{"CA", "Go to an emergency department now, or call 911."},
		{"US", "Go to an emergency department now, or call 911."},
		{"DE", "Go to an emergency department now, or call 112."},
	} {
		if got := triage.Evaluate(triage.V1, a, tc.country).Headline; got != tc.want {
			t.Errorf("Evaluate(%s).Headline = %q, want %q", tc.country, got, tc.want)
		}
	}
}
