package triage_test

import (
	"encoding/json"
	"os"
	"testing"

	"backdesk/triage"

	"github.com/google/go-cmp/cmp"
)

// vignettesPath is the shared clinical test data beside the project.
const vignettesPath = "../../shared/vignettes/examples.json"

type vignette struct {
	Name    string          `json:"name"`
	Source  string          `json:"source"`
	Answers json.RawMessage `json:"answers"`
	Expect  map[string]any  `json:"expect"`
}

// TestVignettes checks every shared vignette: each expected field must
// match exactly.
func TestVignettes(t *testing.T) {
	data, err := os.ReadFile(vignettesPath)
	if err != nil {
		t.Fatalf("read shared vignettes: %v", err)
	}
	var vs []vignette
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no vignettes")
	}
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			a, err := triage.DecodeAnswers(v.Answers)
			if err != nil {
				t.Fatalf("DecodeAnswers: %v", err)
			}
			res := triage.Evaluate(triage.V1, a, "GB")
			b, _ := json.Marshal(res)
			var got map[string]any
			json.Unmarshal(b, &got)
			got["massage_suitable"] = got["massage"].(map[string]any)["suitable"]
			for key, want := range v.Expect {
				g := got[key]
				if wantMap, ok := want.(map[string]any); ok {
					// Compare only the fields the vignette names.
					gm, _ := g.(map[string]any)
					sub := map[string]any{}
					for k := range wantMap {
						sub[k] = gm[k]
					}
					g = sub
				}
				if diff := cmp.Diff(want, g); diff != "" {
					t.Errorf("%s (-want +got):\n%s\nreasons: %v", key, diff, res.Fired)
				}
			}
			if len(res.Reasons) == 0 {
				t.Error("no reasons")
			}
		})
	}
}

func TestV1Validates(t *testing.T) {
	if err := triage.V1.Validate(); err != nil {
		t.Fatal(err)
	}
}
