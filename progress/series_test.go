package progress_test

import (
	"fmt"
	"strings"
	"testing"

	"backdesk"
	"backdesk/progress"
)

func outcome(m backdesk.OutcomeMeasure, v float64, when string) *backdesk.Outcome {
	return &backdesk.Outcome{Measure: m, Value: v, RecordedAt: at(when), Source: backdesk.SourceFollowUp}
}

// TestSeries: points of one measure, oldest first; a change from the first
// score is marked when it is at least the measure's minimal important
// difference (pain 2, Oswestry 10, PSFS 2), improvements and worsenings
// alike; STarT Back has none.
func TestSeries(t *testing.T) {
	loc := london(t)
	mixed := []*backdesk.Outcome{
		outcome(backdesk.MeasurePain, 7, "2026-03-02T10:00:00Z"),
		outcome(backdesk.MeasureODI, 44, "2026-03-02T10:00:00Z"),
		outcome(backdesk.MeasurePain, 4, "2026-03-30T10:00:00+01:00"),
		outcome(backdesk.MeasurePain, 6, "2026-03-16T10:00:00Z"), // out of order: sorted by time
		outcome(backdesk.MeasurePain, 9, "2026-04-13T10:00:00+01:00"),
		outcome(backdesk.MeasureODI, 35, "2026-03-30T10:00:00+01:00"),
		outcome(backdesk.MeasureODI, 34, "2026-04-13T10:00:00+01:00"),
		outcome(backdesk.MeasurePSFS, 3.3, "2026-03-02T10:00:00Z"),
		outcome(backdesk.MeasurePSFS, 5.3, "2026-03-30T10:00:00+01:00"),
		outcome(backdesk.MeasurePSFS, 5.2, "2026-04-13T10:00:00+01:00"),
		outcome(backdesk.MeasureStartBack, 7, "2026-03-02T10:00:00Z"),
		outcome(backdesk.MeasureStartBack, 1, "2026-04-13T10:00:00+01:00"),
	}
	for _, tc := range []struct {
		m            backdesk.OutcomeMeasure
		points, want string
	}{
		{backdesk.MeasurePain, "7 6 4 9", "2026-03-30 -3 improved; 2026-04-13 +2 worse"},
		{backdesk.MeasureODI, "44 35 34", "2026-04-13 -10 improved"},
		{backdesk.MeasurePSFS, "3.3 5.3 5.2", "2026-03-30 +2 improved"}, // 5.2 − 3.3 = 1.9: not important
		{backdesk.MeasureStartBack, "7 1", ""},
	} {
		t.Run(string(tc.m), func(t *testing.T) {
			s := progress.Series(tc.m, mixed, nil, loc)
			var pts, changes []string
			for _, p := range s.Points {
				pts = append(pts, fmt.Sprint(p.Value))
			}
			for _, c := range s.Changes {
				how := "worse"
				if c.Improved {
					how = "improved"
				}
				changes = append(changes, fmt.Sprintf("%s %+g %s", c.Date, c.Change, how))
				if !strings.Contains(c.Words, tc.m.Label()) || !strings.Contains(c.Words, "important") || !strings.Contains(c.Words, c.Date.Words()) {
					t.Errorf("words = %q", c.Words)
				}
			}
			if got := strings.Join(pts, " "); got != tc.points {
				t.Errorf("points = %s, want %s", got, tc.points)
			}
			if got := strings.Join(changes, "; "); got != tc.want {
				t.Errorf("changes = %q, want %q", got, tc.want)
			}
			if mcid, src := tc.m.MCID(); s.MCID != mcid || s.MCIDSource != src {
				t.Errorf("MCID = %v %q", s.MCID, s.MCIDSource)
			}
		})
	}
	words := progress.Series(backdesk.MeasurePain, mixed, nil, loc).Changes[0].Words
	if want := "Pain now on 30 March 2026: 4, 3 points lower than the first score (7 on 2 March 2026), an important improvement: the smallest change that matters is 2 points."; words != want {
		t.Errorf("words = %q\nwant    %q", words, want)
	}
}
