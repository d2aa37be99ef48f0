package triage

import (
	"fmt"

	"backdesk"
)

// Licence notes shown where the instruments appear (assessment.md §9).
const (
	StartBackLicence = "The STarT Back Screening Tool is © Keele University; its items are shown with this attribution. Commercial use needs Keele University's permission."
	ODILicence       = "The Oswestry Disability Index is licensed (free for healthcare organisations, through its publisher). backdesk ships its scoring and section names; a clinic may load the licensed wording of each statement."
)

var redFlagText = map[string]string{
	"urinary_difficulty":  "Difficulty passing urine, or feeling you need to go when your bladder is empty",
	"saddle_numbness":     "Numbness or tingling in your genitals, buttocks or between your legs",
	"incontinence":        "Loss of control of your bladder or bowels",
	"sexual_dysfunction":  "New problems with sexual function, such as loss of sensation during sex",
	"leg_weakness":        "Weakness or a feeling of floppiness in your legs that is new or getting worse",
	"pain_both_legs":      "Pain travelling down both legs",
	"unwell_fever":        "Feeling unwell or feverish with your back pain, or sweating at night",
	"cancer_history":      "You have had cancer",
	"weight_loss":         "Weight loss you cannot explain",
	"trauma":              "The pain started after a serious fall, accident or blow",
	"constant_night_pain": "Constant pain that no position or rest eases, often worse at night",
	"steroids":            "You take, or have long taken, steroid tablets",
	"immunosuppressed":    "A weakened immune system, or injecting drugs",
}

var conditionText = map[string]string{
	"arthritis": "Arthritis in the spine", "disc": "A disc bulge or prolapse", "stenosis": "Spinal stenosis",
	"fracture": "A fracture in the spine", "spondylolisthesis": "Spondylolisthesis (a slipped vertebra)",
	"osteoporosis": "Osteoporosis", "scheuermanns": "Scheuermann's disease", "scoliosis": "Scoliosis",
	"spinal_cancer": "Cancer or metastases in the spine", "axial_spa": "Ankylosing spondylitis (axial spondyloarthritis)",
	"recent_spinal_surgery": "Spinal surgery in the last 12 weeks", "neurological": "A neurological condition that affects your mobility",
	"dvt": "A blood clot (DVT), now or being treated", "anticoagulants": "Blood thinners, or a bleeding disorder",
	"skin_condition_back": "Broken or infected skin on your back",
}

var startBackText = map[string]string{
	"leg_pain":              "My back pain has spread down my leg(s) at some time in the last 2 weeks",
	"shoulder_neck_pain":    "I have had pain in the shoulder or neck at some time in the last 2 weeks",
	"walk_short_distances":  "I have only walked short distances because of my back pain",
	"dressed_slowly":        "In the last 2 weeks, I have dressed more slowly than usual because of back pain",
	"not_safe_active":       "It's not really safe for a person with a condition like mine to be physically active",
	"worrying_thoughts":     "Worrying thoughts have been going through my mind a lot of the time",
	"terrible_never_better": "I feel that my back pain is terrible and it's never going to get any better",
	"not_enjoyed":           "In general I have not enjoyed all the things I used to enjoy",
}

// ODIText is the licensed wording of the Oswestry statements a clinic may
// load: for each of the ten sections, the six statements scored 0 to 5.
type ODIText [10][6]string

func ptr(n int) *int { return &n }

func opts(values []string, labels ...string) []backdesk.Option {
	out := make([]backdesk.Option, len(values))
	for i, v := range values {
		out[i] = backdesk.Option{Value: v, Label: labels[i]}
	}
	return out
}

func yesNo(key, text, help string) backdesk.Question {
	return backdesk.Question{Key: key, Text: text, Help: help, Type: backdesk.QuestionBoolean}
}

// Questionnaire returns the questions of rs in short steps, red flags first.
// odi, when not nil, supplies the licensed Oswestry wording.
func Questionnaire(rs *Ruleset, odi *ODIText) *backdesk.Questionnaire {
	q := &backdesk.Questionnaire{RulesVersion: rs.Version}

	urgent := backdesk.QuestionStep{ID: "urgent", Title: "First, a few important questions",
		Intro: "Tick any that are true for you now. These can be signs of a problem that needs a doctor quickly rather than physiotherapy or massage."}
	for _, k := range RedFlagKeys {
		urgent.Questions = append(urgent.Questions, yesNo("red_flags."+k, redFlagText[k], ""))
	}

	pain := backdesk.QuestionStep{ID: "pain", Title: "Your back pain", Questions: []backdesk.Question{
		{Key: "pain_now", Text: "How bad is your pain right now?", Help: "0 is no pain, 10 is the worst pain you can imagine.", Type: backdesk.QuestionInteger, Required: true, Min: ptr(0), Max: ptr(10)},
		{Key: "pain_worst", Text: "How bad was it at its worst in the last week?", Help: "0 to 10; at least as much as now.", Type: backdesk.QuestionInteger, Min: ptr(0), Max: ptr(10)},
		{Key: "duration_weeks", Text: "How many weeks have you had this pain?", Help: "Less than a week: 0.", Type: backdesk.QuestionInteger, Required: true, Min: ptr(0), Max: ptr(1040)},
		{Key: "episode", Text: "Is this a new problem, or has it happened before?", Type: backdesk.QuestionChoice, Required: true,
			Options: opts(EpisodeValues, "It is new: the first time", "It has come back: I have had it before")},
		{Key: "trigger", Text: "What brought it on?", Type: backdesk.QuestionChoice,
			Options: opts(TriggerValues, "Lifting or twisting", "Sitting or desk work", "Exercise or sport", "A physical job", "Stress", "A fall or accident", "I don't know")},
	}}

	legs := backdesk.QuestionStep{ID: "legs", Title: "Your legs", Intro: "Symptoms in the legs can come from a nerve in the lower back.", Questions: []backdesk.Question{
		yesNo("leg.pain_below_knee", "Pain that goes below the knee", ""),
		yesNo("leg.pins_and_needles", "Pins and needles in a leg or foot", ""),
		yesNo("leg.numbness", "Numbness in a leg or foot", ""),
		{Key: "leg.side", Text: "Which legs are affected?", Type: backdesk.QuestionChoice, Options: opts(LegSideValues, "Neither", "One leg", "Both legs")},
	}}

	var condOpts []backdesk.Option
	for _, k := range ConditionKeys {
		condOpts = append(condOpts, backdesk.Option{Value: k, Label: conditionText[k]})
	}
	about := backdesk.QuestionStep{ID: "about", Title: "About you", Questions: []backdesk.Question{
		{Key: "age", Text: "How old are you?", Type: backdesk.QuestionInteger, Required: true, Min: ptr(0), Max: ptr(120)},
		yesNo("pregnant", "Are you pregnant?", ""),
		{Key: "conditions", Text: "Has a doctor told you that you have any of these?", Help: "Tick all that apply.", Type: backdesk.QuestionMulti, Options: condOpts},
		yesNo("muscle_tension", "Tight muscles, knots or spasm in your back", ""),
		yesNo("stress", "High stress or anxiety, or you would like to relax", ""),
		yesNo("tension_headaches", "Headaches from tension in your neck or shoulders", ""),
		{Key: "pain_tolerance", Text: "How do you find firm pressure, such as a deep massage?", Type: backdesk.QuestionChoice,
			Options: opts(ToleranceValues, "I prefer it gentle", "Fine", "I like it firm")},
		{Key: "goals", Text: "What would you like from treatment?", Help: "Tick all that apply.", Type: backdesk.QuestionMulti,
			Options: opts(GoalKeys, "To relax", "Less pain", "To get back to sport", "Rehabilitation after surgery", "To stop it coming back", "Better posture")},
	}}

	sb := backdesk.QuestionStep{ID: "startback", Title: "How your back affects you (optional)", Licence: StartBackLicence,
		Intro: "Thinking about the last 2 weeks, do you agree or disagree with each statement? Answer all nine, or skip this part."}
	for _, k := range StartBackKeys {
		// A boolean with options: answered explicitly, agree (true) or disagree (false).
		sb.Questions = append(sb.Questions, backdesk.Question{Key: "startback." + k, Text: startBackText[k], Type: backdesk.QuestionBoolean,
			Options: []backdesk.Option{{Value: "true", Label: "Agree"}, {Value: "false", Label: "Disagree"}}})
	}
	sb.Questions = append(sb.Questions, backdesk.Question{Key: "startback.bothersome", Text: "Overall, how bothersome has your back pain been in the last 2 weeks?",
		Type: backdesk.QuestionChoice, Options: opts(BothersomeValues, "Not at all", "Slightly", "Moderately", "Very much", "Extremely")})

	odiStep := backdesk.QuestionStep{ID: "odi", Title: "Daily activities: Oswestry Disability Index (optional)", Licence: ODILicence,
		Intro: "For each part of daily life, choose how much your back pain limits you today, from 0 (no problem) to 5 (the most limited). Skip any that do not apply; at least 8 of 10 are needed for a score."}
	for i, name := range ODISections {
		qn := backdesk.Question{Key: fmt.Sprintf("odi.%d", i), Text: capitalize(name), Type: backdesk.QuestionScale, Min: ptr(0), Max: ptr(5)}
		for n := 0; n <= 5; n++ {
			label := fmt.Sprintf("%d", n)
			switch {
			case odi != nil && odi[i][n] != "":
				label = fmt.Sprintf("%d: %s", n, odi[i][n])
			case n == 0:
				label = "0: no problem"
			case n == 5:
				label = "5: the most limited"
			}
			qn.Options = append(qn.Options, backdesk.Option{Value: fmt.Sprint(n), Label: label})
		}
		odiStep.Questions = append(odiStep.Questions, qn)
	}
	q.Steps = []backdesk.QuestionStep{urgent, pain, legs, about, sb, odiStep}
	return q
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
