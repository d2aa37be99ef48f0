package progress_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"backdesk"
	"backdesk/progress"
)

func london(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func date(s string) backdesk.Date {
	d, err := backdesk.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// ex is a plan exercise: n times a day every day, or (days > 0) once on
// that many days a week.
func ex(id string, perDay, days int) backdesk.PlanExercise {
	return backdesk.PlanExercise{ExerciseID: id, Dosage: backdesk.Dosage{Sets: 1, Reps: 10, TimesPerDay: perDay, DaysPerWeek: days}}
}

func version(n int, created string, exercises ...backdesk.PlanExercise) *backdesk.CarePlanVersion {
	return &backdesk.CarePlanVersion{PlanID: 1, Version: n, CreatedAt: at(created), Exercises: exercises}
}

func log(id, done string) *backdesk.ExerciseLog {
	return &backdesk.ExerciseLog{PlanID: 1, ExerciseID: id, DoneAt: at(done)}
}

// render writes weeks as "week_of planned/done [id planned/done …]"
// lines, or "week_of no plan".
func render(weeks []backdesk.AdherenceWeek) string {
	var b strings.Builder
	for _, w := range weeks {
		if !w.InPlan {
			fmt.Fprintf(&b, "%s no plan", w.WeekOf)
		} else {
			fmt.Fprintf(&b, "%s %d/%d", w.WeekOf, w.Done, w.Planned)
		}
		for _, e := range w.Exercises {
			fmt.Fprintf(&b, " %s %d/%d", e.ExerciseID, e.Done, e.Planned)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestAdherence: weeks Monday to Sunday in the clinic's zone, planned from
// the version in force each day, done from the logs' local dates.
func TestAdherence(t *testing.T) {
	loc := london(t)
	for _, tc := range []struct {
		name          string
		versions      []*backdesk.CarePlanVersion
		logs          []*backdesk.ExerciseLog
		from, through string
		want          string
	}{
		{
			name:     "weeks before the plan have no plan; the first week counts from the day it was written",
			versions: []*backdesk.CarePlanVersion{version(1, "2026-05-13T10:00:00+01:00", ex("bridge", 1, 0))}, // a Wednesday
			logs:     []*backdesk.ExerciseLog{log("bridge", "2026-05-13T18:00:00+01:00"), log("bridge", "2026-05-14T08:00:00+01:00")},
			from:     "2026-04-27", through: "2026-05-17",
			want: "2026-04-27 no plan\n2026-05-04 no plan\n2026-05-11 2/5 bridge 2/5\n",
		},
		{
			name:     "a whole week plans exactly the sessions per week, whatever the dosage",
			versions: []*backdesk.CarePlanVersion{version(1, "2026-05-01T10:00:00+01:00", ex("cat-camel", 2, 0), ex("bird-dog", 0, 3), ex("walking", 1, 5))},
			logs: []*backdesk.ExerciseLog{log("cat-camel", "2026-05-04T08:00:00+01:00"), log("cat-camel", "2026-05-04T20:00:00+01:00"),
				log("bird-dog", "2026-05-06T09:00:00+01:00"), log("walking", "2026-05-10T12:00:00+01:00")},
			from: "2026-05-04", through: "2026-05-10",
			want: "2026-05-04 4/22 cat-camel 2/14 bird-dog 1/3 walking 1/5\n",
		},
		{
			name: "a plan changed mid-week plans each version's days; logs against the old version still count",
			versions: []*backdesk.CarePlanVersion{
				version(1, "2026-04-20T10:00:00+01:00", ex("bridge", 1, 0), ex("cat-camel", 2, 0)),
				version(2, "2026-05-07T15:00:00+01:00", ex("cat-camel", 2, 0), ex("bird-dog", 0, 3)), // Thursday: bridge out, bird-dog in
			},
			logs: []*backdesk.ExerciseLog{log("bridge", "2026-05-04T08:00:00+01:00"), log("bridge", "2026-05-06T08:00:00+01:00"),
				log("cat-camel", "2026-05-07T08:00:00+01:00"), log("bird-dog", "2026-05-08T08:00:00+01:00")},
			from: "2026-05-04", through: "2026-05-10",
			// bridge Mon–Wed: 3; cat-camel all week: 14; bird-dog Thu–Sun: 3×4/7 = 1.7 → 2.
			want: "2026-05-04 4/19 bridge 2/3 cat-camel 1/14 bird-dog 1/2\n",
		},
		{
			name:     "a plan changed twice in one day: the newest version of the day is in force all day",
			versions: []*backdesk.CarePlanVersion{version(1, "2026-05-04T09:00:00+01:00", ex("bridge", 1, 0)), version(2, "2026-05-04T17:00:00+01:00", ex("clam", 1, 0))},
			from:     "2026-05-04", through: "2026-05-04",
			want: "2026-05-04 0/1 clam 0/1\n",
		},
		{
			name:     "the week so far: planned only up to through, later logs left out",
			versions: []*backdesk.CarePlanVersion{version(1, "2026-05-01T10:00:00+01:00", ex("bridge", 1, 0))},
			logs:     []*backdesk.ExerciseLog{log("bridge", "2026-05-04T08:00:00+01:00"), log("bridge", "2026-05-06T08:00:00+01:00")},
			from:     "2026-05-04", through: "2026-05-05",
			want: "2026-05-04 1/2 bridge 1/2\n",
		},
		{
			name:     "spring forward: the week of 29 March 2026 has seven days; 00:30 BST on Monday is Sunday in UTC but next week's",
			versions: []*backdesk.CarePlanVersion{version(1, "2026-03-20T10:00:00Z", ex("bridge", 1, 0))},
			logs: []*backdesk.ExerciseLog{
				log("bridge", "2026-03-29T00:30:00Z"), // 00:30 GMT Sunday, before the clocks go forward at 01:00 UTC
				log("bridge", "2026-03-29T22:30:00Z"), // 23:30 BST Sunday
				log("bridge", "2026-03-29T23:30:00Z"), // 00:30 BST Monday 30 March
			},
			from: "2026-03-23", through: "2026-04-05",
			want: "2026-03-23 2/7 bridge 2/7\n2026-03-30 1/7 bridge 1/7\n",
		},
		{
			name:     "fall back: the 25-hour Sunday of 25 October 2026 is one day; 23:30 GMT is still Sunday",
			versions: []*backdesk.CarePlanVersion{version(1, "2026-10-01T10:00:00+01:00", ex("bridge", 1, 0))},
			logs: []*backdesk.ExerciseLog{
				log("bridge", "2026-10-25T00:30:00Z"), // 01:30 BST, the first 01:30
				log("bridge", "2026-10-25T01:30:00Z"), // 01:30 GMT, the second
				log("bridge", "2026-10-25T23:30:00Z"), // 23:30 GMT Sunday
				log("bridge", "2026-10-26T00:30:00Z"), // 00:30 GMT Monday
			},
			from: "2026-10-19", through: "2026-10-26",
			want: "2026-10-19 3/7 bridge 3/7\n2026-10-26 1/1 bridge 1/1\n",
		},
		{
			name:     "a plan written on the Sunday of a clock change, after the change, counts from that Sunday",
			versions: []*backdesk.CarePlanVersion{version(1, "2026-03-29T23:00:00+01:00", ex("bridge", 2, 0))},
			from:     "2026-03-23", through: "2026-03-29",
			want: "2026-03-23 0/2 bridge 0/2\n",
		},
		{
			name: "no versions at all: every week without a plan",
			from: "2026-05-04", through: "2026-05-12",
			want: "2026-05-04 no plan\n2026-05-11 no plan\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := render(progress.Adherence(tc.versions, tc.logs, loc, date(tc.from), date(tc.through)))
			if got != tc.want {
				t.Errorf("Adherence =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestAdherencePercent(t *testing.T) {
	for _, tc := range []struct{ done, planned, want int }{{0, 0, -1}, {0, 7, 0}, {7, 7, 100}, {9, 7, 100}, {2, 3, 67}, {1, 3, 33}} {
		if got := (backdesk.AdherenceWeek{Done: tc.done, Planned: tc.planned}).Percent(); got != tc.want {
			t.Errorf("Percent(%d of %d) = %d, want %d", tc.done, tc.planned, got, tc.want)
		}
	}
}
