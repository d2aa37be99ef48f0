package triage

import (
	"bytes"
	"encoding/json"

	"backdesk"
)

// Measures are the scores a self-assessment shares with the outcome
// questionnaire: pain now, STarT Back and Oswestry, each given or not.
type Measures struct {
	PainNow   int // -1 when not given
	StartBack *StartBack
	ODI       []int // -1 where a section was skipped; nil when not given
}

// DecodeMeasures reads pain_now, startback and odi from fields (raw JSON
// values; a missing or null one is not given) and checks each exactly as
// the self-assessment's answers are checked, with the same field names in
// its errors ("pain_now", "startback.leg_pain", "odi.3").
func DecodeMeasures(painNow, startBack, odi json.RawMessage) (Measures, error) {
	d := decoder{obj: map[string]json.RawMessage{}, problems: &problems{}}
	for k, v := range map[string]json.RawMessage{"pain_now": painNow, "startback": startBack, "odi": odi} {
		if len(bytes.TrimSpace(v)) > 0 {
			d.obj[k] = v
		}
	}
	m := Measures{PainNow: -1}
	if d.has("pain_now") {
		m.PainNow = d.integer("pain_now", "pain_now", 0, 10, true)
	}
	if d.has("startback") {
		m.StartBack = d.startBack()
	}
	if d.has("odi") {
		m.ODI = d.odi()
	}
	if err := d.err(); err != nil {
		return Measures{PainNow: -1}, err
	}
	return m, nil
}

// StartBackAnswers writes STarT Back answers in the assessment's form: the
// eight items by key and bothersome.
func StartBackAnswers(sb *StartBack) json.RawMessage {
	m := map[string]any{"bothersome": sb.Bothersome}
	for i, k := range StartBackKeys {
		m[k] = sb.Agree[i]
	}
	b, _ := json.Marshal(m)
	return b
}

// ODIAnswers writes Oswestry sections as the assessment takes them: ten
// items, null where skipped.
func ODIAnswers(items []int) json.RawMessage {
	out := make([]any, len(items))
	for i, v := range items {
		if v >= 0 {
			out[i] = v
		}
	}
	b, _ := json.Marshal(out)
	return b
}

// AssessmentMeasures reads the shared scores out of a stored assessment's
// answers: pain now always, STarT Back and Oswestry when they were
// answered (Oswestry only when scored).
func AssessmentMeasures(a *backdesk.Assessment) (Measures, error) {
	answers, err := DecodeAnswers(a.Answers)
	if err != nil {
		return Measures{PainNow: -1}, err
	}
	return Measures{PainNow: answers.PainNow, StartBack: answers.StartBack, ODI: answers.ODI}, nil
}
