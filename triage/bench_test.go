package triage_test

import (
	"encoding/json"
	"testing"

	"backdesk/triage"
)

// typicalFull is a complete answer set, STarT Back and Oswestry included.
var typicalFull = []byte(`{"age":47,"duration_weeks":14,"episode":"recurring","pain_now":5,"pain_worst":7,"trigger":"posture_desk",
"red_flags":{"urinary_difficulty":false,"saddle_numbness":false,"incontinence":false,"unwell_fever":false,"trauma":false},
"leg":{"pain_below_knee":false,"pins_and_needles":true,"numbness":false,"side":"one"},
"conditions":["disc"],"muscle_tension":true,"stress":true,"tension_headaches":false,"pain_tolerance":"normal",
"goals":["pain_relief","prevent_recurrence"],
"startback":{"leg_pain":true,"shoulder_neck_pain":false,"walk_short_distances":true,"dressed_slowly":false,"not_safe_active":false,
"worrying_thoughts":true,"terrible_never_better":false,"not_enjoyed":true,"bothersome":"moderately"},
"odi":[2,1,3,2,2,1,2,null,1,2]}`)

// BenchmarkEvaluate is the engine alone on decoded answers: the figure the
// issue sets at 200,000 evaluations per second per core or more.
func BenchmarkEvaluate(b *testing.B) {
	a, err := triage.DecodeAnswers(typicalFull)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		triage.Evaluate(triage.V1, a, "GB")
	}
}

// BenchmarkDecodeJSON is the baseline: decoding the same JSON alone with
// encoding/json into a generic value, no validation.
func BenchmarkDecodeJSON(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var v map[string]any
		if err := json.Unmarshal(typicalFull, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeAnswers is the validating decoder on the same JSON.
func BenchmarkDecodeAnswers(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := triage.DecodeAnswers(typicalFull); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeAndEvaluate is what `backdesk assess` and the API do per
// request, less I/O.
func BenchmarkDecodeAndEvaluate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		a, err := triage.DecodeAnswers(typicalFull)
		if err != nil {
			b.Fatal(err)
		}
		triage.Evaluate(triage.V1, a, "GB")
	}
}
