package triage_test

import (
	"testing"

	"backdesk/triage"
)

func TestScoreStartBack(t *testing.T) {
	agree := func(items ...int) [8]bool {
		var a [8]bool
		for _, i := range items {
			a[i-1] = true
		}
		return a
	}
	for _, tc := range []struct {
		name        string
		sb          triage.StartBack
		total, psyc int
		risk        string
	}{
		{"none", triage.StartBack{Bothersome: "not_at_all"}, 0, 0, "low"},
		{"three physical", triage.StartBack{Agree: agree(1, 2, 3), Bothersome: "moderately"}, 3, 0, "low"},
		{"three psychosocial is still low", triage.StartBack{Agree: agree(5, 6), Bothersome: "extremely"}, 3, 3, "low"},
		{"four, psychosocial 3: medium", triage.StartBack{Agree: agree(1, 5, 6, 7), Bothersome: "slightly"}, 4, 3, "medium"},
		{"four psychosocial: high", triage.StartBack{Agree: agree(5, 6, 7, 8), Bothersome: "moderately"}, 4, 4, "high"},
		{"bothersome very much counts", triage.StartBack{Agree: agree(1, 6, 7, 8), Bothersome: "very_much"}, 5, 4, "high"},
		{"all nine", triage.StartBack{Agree: agree(1, 2, 3, 4, 5, 6, 7, 8), Bothersome: "extremely"}, 9, 5, "high"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := triage.ScoreStartBack(&tc.sb)
			if s.Total != tc.total || s.Psychosocial != tc.psyc || s.Risk != tc.risk || s.Care == "" {
				t.Errorf("ScoreStartBack(%+v) = %+v, want %d/%d %s", tc.sb, s, tc.total, tc.psyc, tc.risk)
			}
		})
	}
	if triage.ScoreStartBack(nil) != nil {
		t.Error("ScoreStartBack(nil) != nil")
	}
}

func TestScoreODI(t *testing.T) {
	const skip = -1
	for _, tc := range []struct {
		name  string
		items []int
		pct   int // -1: not scored
		band  string
	}{
		{"all zero", []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, "minimal"},
		{"vignette with one skipped", []int{2, 1, 3, 2, 2, 1, 2, skip, 1, 2}, 36, "moderate"},
		{"exact 20 is minimal", []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 20, "minimal"},
		{"a half rounds up: 2.5 -> 3", []int{1, 0, 0, 0, 0, 0, 0, 0, skip, skip}, 3, "minimal"},
		{"7.5 -> 8", []int{1, 1, 1, 0, 0, 0, 0, 0, skip, skip}, 8, "minimal"},
		// With 8 to 10 sections, 41, 61 and 81 cannot occur: the band edges are 40/42, 60/62, 80/82.
		{"40 is moderate", []int{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 40, "moderate"},
		{"42 is severe: 19/45", []int{3, 2, 2, 2, 2, 2, 2, 2, 2, skip}, 42, "severe"},
		{"60 severe", []int{3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, 60, "severe"},
		{"62 is crippling: 28/45", []int{4, 3, 3, 3, 3, 3, 3, 3, 3, skip}, 62, "crippling"},
		{"80 crippling", []int{4, 4, 4, 4, 4, 4, 4, 4, 4, 4}, 80, "crippling"},
		{"82 is bed-bound: 37/45", []int{5, 4, 4, 4, 4, 4, 4, 4, 4, skip}, 82, "bed-bound"},
		{"all five", []int{5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, 100, "bed-bound"},
		{"eight answered is enough", []int{5, 5, 5, 5, 5, 5, 5, 5, skip, skip}, 100, "bed-bound"},
		{"seven answered is not", []int{5, 5, 5, 5, 5, 5, 5, skip, skip, skip}, -1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := triage.ScoreODI(tc.items)
			if tc.pct < 0 {
				if s.Percent != nil || s.Band != nil || s.Note == "" {
					t.Errorf("ScoreODI(%v) = %+v, want null with a note", tc.items, s)
				}
				return
			}
			if s.Percent == nil || *s.Percent != tc.pct || *s.Band != tc.band {
				t.Errorf("ScoreODI(%v) = %v %v, want %d %s", tc.items, deref(s.Percent), derefS(s.Band), tc.pct, tc.band)
			}
		})
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func derefS(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}
