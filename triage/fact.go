// Package triage is the self-assessment engine of spec/assessment.md: it
// turns a person's answers into where they should go first, with every
// reason. It is pure: no I/O, no clock, no randomness. The rules are data
// (ruleset_v1.go) that clinicians can read on the rulebook page.
package triage

// Fact is a value a rule can test: an answer, or something derived from the
// answers (chronicity, pain band, scores), or an outcome of an earlier stage
// of rules (whether physiotherapy is indicated).
type Fact int

// FactKind is the type of a fact's value.
type FactKind int

const (
	BoolFact FactKind = iota
	IntFact
	EnumFact
)

const (
	Age Fact = iota
	Pregnant
	DurationWeeks
	Episode
	PainNow
	PainWorst
	Trigger
	LegSide
	NerveSymptoms // any of leg.pain_below_knee, leg.pins_and_needles, leg.numbness
	MuscleTension
	Stress
	TensionHeadaches
	PainTolerance
	Chronicity // acute, subacute, chronic
	PainBand   // mild, moderate, severe
	StartBackRisk
	StartBackTotal
	ODIPercent

	// Red flags, in the order of assessment.md §2.
	RedFlagUrinaryDifficulty
	RedFlagSaddleNumbness
	RedFlagIncontinence
	RedFlagSexualDysfunction
	RedFlagLegWeakness
	RedFlagPainBothLegs
	RedFlagUnwellFever
	RedFlagCancerHistory
	RedFlagWeightLoss
	RedFlagTrauma
	RedFlagConstantNightPain
	RedFlagSteroids
	RedFlagImmunosuppressed

	// Diagnosed conditions, in the order of assessment.md §3.
	ConditionArthritis
	ConditionDisc
	ConditionStenosis
	ConditionFracture
	ConditionSpondylolisthesis
	ConditionOsteoporosis
	ConditionScheuermanns
	ConditionScoliosis
	ConditionSpinalCancer
	ConditionAxialSpA
	ConditionRecentSpinalSurgery
	ConditionNeurological
	ConditionDVT
	ConditionAnticoagulants
	ConditionSkinConditionBack

	// Goals.
	GoalRelaxation
	GoalPainRelief
	GoalReturnToSport
	GoalRehabAfterSurgery
	GoalPreventRecurrence
	GoalPosture

	// Outcomes of the answer-level rules (stage 1).
	PhysioIndicated
	MassageWanted
	MassageSuitable

	// Outcome of the routing rules (stage 2).
	Outcome

	numFacts
)

// Keys of the answer object, in the spec's order. The fact constants above
// follow the same order within each group; TestFactNames checks that.
var (
	RedFlagKeys = []string{"urinary_difficulty", "saddle_numbness", "incontinence", "sexual_dysfunction", "leg_weakness",
		"pain_both_legs", "unwell_fever", "cancer_history", "weight_loss", "trauma", "constant_night_pain", "steroids", "immunosuppressed"}
	ConditionKeys = []string{"arthritis", "disc", "stenosis", "fracture", "spondylolisthesis", "osteoporosis", "scheuermanns",
		"scoliosis", "spinal_cancer", "axial_spa", "recent_spinal_surgery", "neurological", "dvt", "anticoagulants", "skin_condition_back"}
	GoalKeys          = []string{"relaxation", "pain_relief", "return_to_sport", "rehab_after_surgery", "prevent_recurrence", "posture"}
	EpisodeValues     = []string{"first", "recurring"}
	TriggerValues     = []string{"lifting_twisting", "posture_desk", "exercise", "heavy_work", "stress", "fall_or_accident", "none_known"}
	LegSideValues     = []string{"none", "one", "both"}
	ToleranceValues   = []string{"low", "normal", "high"}
	ChronicityValues  = []string{"acute", "subacute", "chronic"}
	PainBandValues    = []string{"mild", "moderate", "severe"}
	RiskValues        = []string{"low", "medium", "high"}
	SuitabilityValues = []string{"yes", "after_assessment", "no"}
	DispositionValues = []string{"emergency", "urgent_doctor", "physiotherapy", "physiotherapy_and_massage", "massage"}
)

// factInfo describes a fact: its name in rules, its type, the stage from
// which it is known, its allowed values, and the answer keys it rests on.
type factInfo struct {
	name    string
	kind    FactKind
	stage   int // 0: from the answers; 1: after answer-level rules; 2: after routing
	values  []string
	answers []string
}

var facts = buildFacts()

func buildFacts() [numFacts]factInfo {
	var f [numFacts]factInfo
	simple := func(x Fact, name string, kind FactKind, values []string, answers ...string) {
		if len(answers) == 0 {
			answers = []string{name}
		}
		f[x] = factInfo{name: name, kind: kind, values: values, answers: answers}
	}
	simple(Age, "age", IntFact, nil)
	simple(Pregnant, "pregnant", BoolFact, nil)
	simple(DurationWeeks, "duration_weeks", IntFact, nil)
	simple(Episode, "episode", EnumFact, EpisodeValues)
	simple(PainNow, "pain_now", IntFact, nil)
	simple(PainWorst, "pain_worst", IntFact, nil)
	simple(Trigger, "trigger", EnumFact, TriggerValues)
	simple(LegSide, "leg.side", EnumFact, LegSideValues)
	simple(NerveSymptoms, "nerve_symptoms", BoolFact, nil, "leg.pain_below_knee", "leg.pins_and_needles", "leg.numbness")
	simple(MuscleTension, "muscle_tension", BoolFact, nil)
	simple(Stress, "stress", BoolFact, nil)
	simple(TensionHeadaches, "tension_headaches", BoolFact, nil)
	simple(PainTolerance, "pain_tolerance", EnumFact, ToleranceValues)
	simple(Chronicity, "chronicity", EnumFact, ChronicityValues, "duration_weeks")
	simple(PainBand, "pain_band", EnumFact, PainBandValues, "pain_now")
	simple(StartBackRisk, "startback.risk", EnumFact, RiskValues, "startback")
	simple(StartBackTotal, "startback.total", IntFact, nil, "startback")
	simple(ODIPercent, "odi.percent", IntFact, nil, "odi")
	for i, k := range RedFlagKeys {
		simple(RedFlagUrinaryDifficulty+Fact(i), "red_flags."+k, BoolFact, nil)
	}
	for i, k := range ConditionKeys {
		simple(ConditionArthritis+Fact(i), "conditions."+k, BoolFact, nil, "conditions")
	}
	for i, k := range GoalKeys {
		simple(GoalRelaxation+Fact(i), "goals."+k, BoolFact, nil, "goals")
	}
	f[PhysioIndicated] = factInfo{name: "physiotherapy_indicated", kind: BoolFact, stage: 1}
	f[MassageWanted] = factInfo{name: "massage_wanted", kind: BoolFact, stage: 1}
	f[MassageSuitable] = factInfo{name: "massage.suitable", kind: EnumFact, stage: 1, values: SuitabilityValues}
	f[Outcome] = factInfo{name: "disposition", kind: EnumFact, stage: 2, values: DispositionValues}
	return f
}

// String is the fact's name as rules and the rulebook show it.
func (f Fact) String() string {
	if f < 0 || f >= numFacts {
		return "fact?"
	}
	return facts[f].name
}

// value is a fact's value for one evaluation. Booleans are n = 0 or 1;
// an int or enum that was not given is unset.
type value struct {
	set bool
	n   int
	s   string
}

type values [numFacts]value

func (v *values) setBool(f Fact, b bool) {
	n := 0
	if b {
		n = 1
	}
	v[f] = value{set: true, n: n}
}

func (v *values) setInt(f Fact, n int) { v[f] = value{set: true, n: n} }

func (v *values) setEnum(f Fact, s string) {
	if s != "" {
		v[f] = value{set: true, s: s}
	}
}
