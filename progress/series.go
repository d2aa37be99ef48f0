package progress

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"backdesk"
)

// Series builds one measure's series from a patient's outcomes (of any
// measures, in any order): its points, oldest first, dated in loc; the
// goal, when the plan has one on the measure; and every change from the
// first score at least as large as the measure's minimal clinically
// important difference (backdesk.OutcomeMeasure.MCID), in either
// direction, each said in words.
func Series(m backdesk.OutcomeMeasure, outcomes []*backdesk.Outcome, goal *backdesk.Goal, loc *time.Location) backdesk.OutcomeSeries {
	lo, hi := m.Scale()
	mcid, source := m.MCID()
	s := backdesk.OutcomeSeries{Measure: m, Label: m.Label(), Min: lo, Max: hi, LowerIsBetter: m.LowerIsBetter(),
		MCID: mcid, MCIDSource: source, Goal: goal, Points: []backdesk.OutcomePoint{}, Changes: []backdesk.OutcomeChange{}}
	for _, o := range outcomes {
		if o.Measure == m {
			s.Points = append(s.Points, backdesk.OutcomePoint{At: o.RecordedAt, Date: backdesk.DateOf(o.RecordedAt.In(loc)), Value: o.Value, Source: o.Source})
		}
	}
	slices.SortStableFunc(s.Points, func(a, b backdesk.OutcomePoint) int { return a.At.Compare(b.At) })
	if mcid == 0 || len(s.Points) < 2 {
		return s
	}
	first := s.Points[0]
	for _, p := range s.Points[1:] {
		change := p.Value - first.Value
		if !Important(m, change) {
			continue
		}
		improved := change < 0 == m.LowerIsBetter()
		s.Changes = append(s.Changes, backdesk.OutcomeChange{At: p.At, Date: p.Date, From: first.Value, To: p.Value,
			Change: change, Improved: improved, Words: changeWords(m, first, p, change, improved)})
	}
	return s
}

// Important reports whether a change of a measure's score is at least its
// minimal clinically important difference. A measure without one has no
// important changes.
func Important(m backdesk.OutcomeMeasure, change float64) bool {
	mcid, _ := m.MCID()
	// Scores are kept to a tenth at most; the margin absorbs the binary
	// representation of a tenth.
	return mcid > 0 && math.Abs(change) >= mcid-1e-9
}

// changeWords says a change in plain words: "Pain now on 30 March 2026: 3,
// 4 points lower than the first score (7 on 2 March 2026), an important
// improvement: the smallest change that matters is 2 points."
func changeWords(m backdesk.OutcomeMeasure, first, p backdesk.OutcomePoint, change float64, improved bool) string {
	dir, what := "higher", "worsening"
	if change < 0 {
		dir = "lower"
	}
	if improved {
		what = "improvement"
	}
	mcid, _ := m.MCID()
	return fmt.Sprintf("%s on %s: %s, %s %s than the first score (%s on %s), an important %s: the smallest change that matters is %s.",
		m.Label(), p.Date.Words(), backdesk.FormatScore(m, p.Value), points(math.Abs(change)), dir,
		backdesk.FormatScore(m, first.Value), first.Date.Words(), what, points(mcid))
}

func points(v float64) string {
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
	if s == "1" {
		return "1 point"
	}
	return s + " points"
}
