package triage

import (
	"strconv"

	"backdesk"
)

// ScoreStartBack scores the Keele STarT Back Screening Tool
// (assessment.md §5): one point per agreed item, and one for a
// bothersomeness of very much or extremely; the psychosocial subscale is
// items 5–9. Risk: total ≤ 3 low; otherwise subscale ≥ 4 high; else medium.
func ScoreStartBack(sb *StartBack) *backdesk.StartBackScore {
	if sb == nil {
		return nil
	}
	total, psych := 0, 0
	for i, agree := range sb.Agree {
		if agree {
			total++
			if i >= 4 {
				psych++
			}
		}
	}
	if sb.Bothersome == "very_much" || sb.Bothersome == "extremely" {
		total++
		psych++
	}
	s := &backdesk.StartBackScore{Total: total, Psychosocial: psych}
	switch {
	case total <= 3:
		s.Risk, s.Care = "low", "Low risk: advice, reassurance and self-management are usually enough."
	case psych >= 4:
		s.Risk, s.Care = "high", "High risk: physiotherapy with a psychologically informed approach is recommended."
	default:
		s.Risk, s.Care = "medium", "Medium risk: physiotherapy is recommended."
	}
	return s
}

// MinODISections is the fewest answered sections that give a score.
const MinODISections = 8

// ScoreODI scores the Oswestry Disability Index (assessment.md §6): the sum
// over answered sections ÷ (5 × answered) × 100, rounded to the nearest
// whole percent with a half rounding up.
func ScoreODI(items []int) *backdesk.ODIScore {
	if items == nil {
		return nil
	}
	sum, answered := 0, 0
	for _, v := range items {
		if v >= 0 {
			sum += v
			answered++
		}
	}
	s := &backdesk.ODIScore{Answered: answered}
	if answered < MinODISections {
		s.Note = "Not scored: at least 8 of the 10 Oswestry sections must be answered, and " + strconv.Itoa(answered) + " were."
		return s
	}
	// Integer arithmetic: round(100*sum/(5*answered)) with halves up is
	// floor((200*sum + 5*answered) / (10*answered)).
	pct := (200*sum + 5*answered) / (10 * answered)
	band := odiBand(pct)
	s.Percent, s.Band = &pct, &band
	return s
}

func odiBand(pct int) string {
	switch {
	case pct <= 20:
		return "minimal"
	case pct <= 40:
		return "moderate"
	case pct <= 60:
		return "severe"
	case pct <= 80:
		return "crippling"
	}
	return "bed-bound"
}
