package triage_test

import (
	"encoding/json"
	"os"
	"testing"

	"backdesk"
	"backdesk/triage"
)

// FuzzDecodeAnswers: whatever the bytes, decoding never panics and gives
// either answers that evaluate, or an invalid error naming a field.
func FuzzDecodeAnswers(f *testing.F) {
	if data, err := os.ReadFile(vignettesPath); err == nil {
		var vs []vignette
		json.Unmarshal(data, &vs)
		for _, v := range vs {
			f.Add([]byte(v.Answers))
		}
	}
	for _, s := range []string{
		``, `null`, `[]`, `{}`, `"x"`, `{"age":1e400}`, `{"age":34,"duration_weeks":1,"episode":"first","pain_now":3}{}`,
		`{"age":34,"duration_weeks":1,"episode":"first","pain_now":3,"odi":[null,null,null,null,null,null,null,null,null,null]}`,
		`{"age":34,"duration_weeks":1,"episode":"first","pain_now":3,"startback":{"leg_pain":true}}`,
		`{"age":34,"duration_weeks":1,"episode":"first","pain_now":3,"leg":{"side":"both","numbness":true}}`,
		`{"age":"34"}`, `{"age":-0,"duration_weeks":1.0,"episode":"first","pain_now":3}`, `{"red_flags":[]}`, `{"conditions":{}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := triage.DecodeAnswers(data)
		if err != nil {
			if backdesk.ErrorCode(err) != backdesk.CodeInvalid || backdesk.ErrorField(err) == "" || backdesk.ErrorMessage(err) == "" {
				t.Fatalf("DecodeAnswers(%q) = %v: want an invalid error naming a field", data, err)
			}
			return
		}
		res := triage.Evaluate(triage.V1, a, "GB")
		if len(res.Reasons) == 0 {
			t.Fatalf("no reasons for %q", data)
		}
		b, _ := json.Marshal(a)
		if _, err := triage.DecodeAnswers(b); err != nil {
			t.Fatalf("canonical form %s of %q does not decode: %v", b, data, err)
		}
	})
}
