package triage

import (
	"slices"

	"backdesk"
)

// maxRules bounds a ruleset so that evaluation needs no allocation for its
// bookkeeping; Validate checks it.
const maxRules = 256

// Evaluate applies rs to a and returns the result for a clinic in country
// (ISO 3166 alpha-2, for the emergency numbers). The same answers always
// give the same result.
//
// Rules run in three stages. Stage 1 reads only the answers: red flags,
// massage safety, physiotherapy indications and reasons to want massage.
// Stage 2, routing, reads stage-1 outcomes. Stage 3, techniques and advice,
// may also read the disposition. Within a stage every rule is tried; a
// fallback rule applies only when no other rule of its kind did. The most
// urgent disposition of all matching rules wins, and Fired lists them all.
func Evaluate(rs *Ruleset, a Answers, country string) backdesk.AssessmentResult {
	var v values
	v.fill(&a)
	startBack := ScoreStartBack(a.StartBack)
	if startBack != nil {
		v.setEnum(StartBackRisk, startBack.Risk)
		v.setInt(StartBackTotal, startBack.Total)
	}
	odi := ScoreODI(a.ODI)
	if odi != nil && odi.Percent != nil {
		v.setInt(ODIPercent, *odi.Percent)
	}

	var fired [maxRules]bool
	rules := rs.Rules
	if len(rules) > maxRules {
		rules = rules[:maxRules]
	}
	runStage := func(stage int) {
		var kindFired [numKinds]bool
		for _, fallback := range []bool{false, true} {
			for i := range rules {
				r := &rules[i]
				if kindInfo[r.Kind].stage != stage || r.Fallback != fallback || fallback && kindFired[r.Kind] {
					continue
				}
				if r.When.eval(&v) {
					fired[i] = true
					kindFired[r.Kind] = true
				}
			}
		}
	}

	runStage(1)
	physio, wanted, suitable := false, false, backdesk.MassageYes
	var disposition backdesk.Disposition
	for i := range rules {
		if !fired[i] {
			continue
		}
		switch r := &rules[i]; r.Kind {
		case KindRedFlag:
			if r.Disposition.Urgency() > disposition.Urgency() {
				disposition = r.Disposition
			}
			suitable = lowerSuitability(suitable, r.Massage)
		case KindMassageSafety:
			suitable = lowerSuitability(suitable, r.Massage)
		case KindPhysiotherapy:
			physio = true
		case KindMassageWanted:
			wanted = true
		}
	}
	v.setBool(PhysioIndicated, physio)
	v.setBool(MassageWanted, wanted)
	v.setEnum(MassageSuitable, string(suitable))

	runStage(2)
	for i := range rules {
		if fired[i] && rules[i].Kind == KindRouting && rules[i].Disposition.Urgency() > disposition.Urgency() {
			disposition = rules[i].Disposition
		}
	}
	v.setEnum(Outcome, string(disposition))

	runStage(3)

	// Count first, so that each list of the result is allocated once.
	var nFired, nReasons, nRed, nContra, nTech, nAdvice int
	for i := range rules {
		if !fired[i] {
			continue
		}
		nFired++
		if reasonFor(rules[i].Kind, disposition) {
			nReasons++
		}
		switch rules[i].Kind {
		case KindRedFlag:
			nRed++
			nContra++
		case KindMassageSafety:
			nContra++
		case KindTechnique:
			nTech++
		case KindAdvice:
			nAdvice++
		}
	}
	res := backdesk.AssessmentResult{
		Disposition: disposition,
		Reasons:     make([]backdesk.Reason, 0, nReasons),
		RedFlags:    make([]string, 0, nRed),
		Chronicity:  v[Chronicity].s,
		PainBand:    v[PainBand].s,
		Massage: backdesk.MassageAdvice{Suitable: suitable, Contraindications: make([]string, 0, nContra),
			Techniques: make([]backdesk.Technique, 0, nTech)},
		StartBack:    startBack,
		ODI:          odi,
		Advice:       make([]string, 0, nAdvice),
		Book:         []string{},
		Fired:        make([]string, 0, nFired),
		RulesVersion: rs.Version,
	}
	keys := rs.answerKeys()
	for i := range rules {
		if !fired[i] {
			continue
		}
		r := &rules[i]
		res.Fired = append(res.Fired, r.ID)
		if reasonFor(r.Kind, disposition) {
			res.Reasons = append(res.Reasons, backdesk.Reason{Rule: r.ID, Text: r.Text, Answers: keys[i], Source: r.Source})
		}
		switch r.Kind {
		case KindRedFlag:
			if !slices.Contains(res.RedFlags, r.RedFlag) {
				res.RedFlags = append(res.RedFlags, r.RedFlag)
			}
			fallthrough
		case KindMassageSafety:
			if !slices.Contains(res.Massage.Contraindications, r.Contraindication) {
				res.Massage.Contraindications = append(res.Massage.Contraindications, r.Contraindication)
			}
		case KindTechnique:
			if suitable != backdesk.MassageNo {
				res.Massage.Techniques = append(res.Massage.Techniques, backdesk.Technique{Name: r.Technique, Why: r.Text})
			}
		case KindAdvice:
			res.Advice = append(res.Advice, r.Text)
		}
	}
	slices.Sort(res.RedFlags)
	switch disposition {
	case backdesk.DispositionPhysiotherapy:
		res.Book = []string{"physiotherapy"}
	case backdesk.DispositionPhysiotherapyAndMassage:
		res.Book = []string{"physiotherapy", "massage"}
	case backdesk.DispositionMassage:
		res.Book = []string{"massage"}
	}
	loc := backdesk.LocaleFor(country)
	res.Headline, res.Emergency = headline(disposition, physio, loc)
	localize(&res, loc)
	return res
}

// localize puts the result's texts into the locale's words (a no-op for
// British English, the words they are written in). Sources stay as cited.
func localize(res *backdesk.AssessmentResult, loc *backdesk.Locale) {
	if !loc.Rewords() {
		return
	}
	for i := range res.Reasons {
		res.Reasons[i].Text = loc.Say(res.Reasons[i].Text)
	}
	for i := range res.Massage.Techniques {
		res.Massage.Techniques[i].Why = loc.Say(res.Massage.Techniques[i].Why)
	}
	for i := range res.Advice {
		res.Advice[i] = loc.Say(res.Advice[i])
	}
	if res.StartBack != nil {
		sb := *res.StartBack
		sb.Care = loc.Say(sb.Care)
		res.StartBack = &sb
	}
}

// reasonFor says which kinds of fired rule explain a disposition: the red
// flags alone when a doctor comes first; otherwise everything that routed.
func reasonFor(k Kind, d backdesk.Disposition) bool {
	if d.NeedsDoctor() {
		return k == KindRedFlag
	}
	return k == KindPhysiotherapy || k == KindMassageWanted || k == KindMassageSafety || k == KindRouting
}

func lowerSuitability(cur, to backdesk.MassageSuitability) backdesk.MassageSuitability {
	if suitabilityRank(to) > suitabilityRank(cur) {
		return to
	}
	return cur
}

func suitabilityRank(m backdesk.MassageSuitability) int {
	switch m {
	case backdesk.MassageAfterAssessment:
		return 1
	case backdesk.MassageNo:
		return 2
	}
	return 0
}

// fill sets the stage-0 facts from the answers.
func (v *values) fill(a *Answers) {
	v.setInt(Age, a.Age)
	v.setBool(Pregnant, a.Pregnant)
	v.setInt(DurationWeeks, a.DurationWeeks)
	v.setEnum(Episode, a.Episode)
	v.setInt(PainNow, a.PainNow)
	if a.PainWorst >= 0 {
		v.setInt(PainWorst, a.PainWorst)
	}
	v.setEnum(Trigger, a.Trigger)
	v.setEnum(LegSide, a.Leg.Side)
	v.setBool(NerveSymptoms, a.Leg.PainBelowKnee || a.Leg.PinsAndNeedles || a.Leg.Numbness)
	v.setBool(MuscleTension, a.MuscleTension)
	v.setBool(Stress, a.Stress)
	v.setBool(TensionHeadaches, a.Headaches)
	v.setEnum(PainTolerance, a.PainTolerance)
	switch {
	case a.DurationWeeks < 6:
		v.setEnum(Chronicity, "acute")
	case a.DurationWeeks < 12:
		v.setEnum(Chronicity, "subacute")
	default:
		v.setEnum(Chronicity, "chronic")
	}
	switch {
	case a.PainNow <= 3:
		v.setEnum(PainBand, "mild")
	case a.PainNow <= 6:
		v.setEnum(PainBand, "moderate")
	default:
		v.setEnum(PainBand, "severe")
	}
	for i, b := range a.RedFlags {
		v.setBool(RedFlagUrinaryDifficulty+Fact(i), b)
	}
	for i, b := range a.Conditions {
		v.setBool(ConditionArthritis+Fact(i), b)
	}
	for i, b := range a.Goals {
		v.setBool(GoalRelaxation+Fact(i), b)
	}
}

func headline(d backdesk.Disposition, physioIndicated bool, loc *backdesk.Locale) (string, *backdesk.EmergencyCall) {
	call := loc.EmergencyCall()
	switch d {
	case backdesk.DispositionEmergency:
		return "Go to an emergency department now, or " + call + ".", &backdesk.EmergencyCall{Numbers: loc.EmergencyNumbers,
			Message: "Your answers include symptoms that can mean serious pressure on the nerves or spine, which needs treating within hours. Go to an emergency department now, or " + call + ". Do not wait for a " + loc.Physiotherapy + " or massage appointment."}
	case backdesk.DispositionUrgentDoctor:
		return "See a doctor today or tomorrow, before any hands-on treatment.", &backdesk.EmergencyCall{Numbers: loc.EmergencyNumbers,
			Message: "See a doctor today or tomorrow, before any massage or " + loc.Physiotherapy + ". If you cannot get an appointment, " + loc.UrgentCare +
				". If you get worse — numbness between your legs, problems passing urine, or weakness in your legs — " + call + "."}
	case backdesk.DispositionPhysiotherapyAndMassage:
		return loc.Say("See a physiotherapist first; massage alongside it will help too."), nil
	case backdesk.DispositionMassage:
		return "Massage therapy suits your back pain.", nil
	}
	if !physioIndicated {
		return loc.Say("See a physiotherapist first: massage needs an assessment before it is safe for you."), nil
	}
	return loc.Say("See a physiotherapist first, for a diagnosis and a plan of exercises."), nil
}
