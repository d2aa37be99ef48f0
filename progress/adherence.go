// Package progress computes how a patient is getting on: the weekly
// adherence to a home programme, and each outcome measure as a series with
// its goal and every clinically important change from the first score.
//
// The package is pure: no I/O, no clock. The caller passes the clinic's
// time zone and the day to compute through.
package progress

import (
	"time"

	"backdesk"
)

// Adherence computes a home programme's weeks, Monday to Sunday in loc,
// from the week of from through the week of through, oldest first.
//
// A week's planned sessions of an exercise are those of the version of the
// plan in force on each of its days, up to and including through: each
// day adds a seventh of the exercise's sessions per week
// (Dosage.SessionsPerWeek), and the week's sum is rounded to the nearest
// whole session, halves up. So a full week of one version plans exactly
// its sessions per week; a plan changed mid-week plans each version's
// share; the days before the plan existed plan nothing. The version in
// force on a day is the newest made on or before it (by its local date):
// a plan changed at noon counts as changed for the whole day.
//
// Done counts the logs whose local date falls in the week (and not after
// through), whatever version they were logged against. Days are dates in
// loc, so a log five minutes after local midnight is the next day's even
// where UTC still says the day before, and weeks that contain a change of
// the clocks have seven days like any other.
//
// versions must be in version order; the exercises' names come from the
// versions (PlanExercise.Exercise when it is set).
func Adherence(versions []*backdesk.CarePlanVersion, logs []*backdesk.ExerciseLog, loc *time.Location, from, through backdesk.Date) []backdesk.AdherenceWeek {
	names := map[string]string{}
	starts := make([]backdesk.Date, len(versions))
	for i, v := range versions {
		starts[i] = backdesk.DateOf(v.CreatedAt.In(loc))
		for _, e := range v.Exercises {
			names[e.ExerciseID] = e.Name()
		}
	}
	inForce := func(d backdesk.Date) *backdesk.CarePlanVersion {
		var found *backdesk.CarePlanVersion
		for i, v := range versions {
			if !d.Before(starts[i]) {
				found = v
			}
		}
		return found
	}
	logDays := make([]backdesk.Date, len(logs))
	for i, l := range logs {
		logDays[i] = backdesk.DateOf(l.DoneAt.In(loc))
	}

	weeks := []backdesk.AdherenceWeek{}
	for monday := from.Monday(); !through.Before(monday); monday = monday.AddDays(7) {
		w := backdesk.AdherenceWeek{WeekOf: monday, Exercises: []backdesk.ExerciseAdherence{}}
		sevenths := map[string]int{} // planned sessions × 7
		index := map[string]int{}
		row := func(id string) int {
			i, ok := index[id]
			if !ok {
				i = len(w.Exercises)
				index[id] = i
				w.Exercises = append(w.Exercises, backdesk.ExerciseAdherence{ExerciseID: id, Name: nameOr(names, id)})
			}
			return i
		}
		last := monday.AddDays(6)
		if through.Before(last) {
			last = through
		}
		for d := monday; !last.Before(d); d = d.AddDays(1) {
			v := inForce(d)
			if v == nil {
				continue
			}
			w.InPlan = true
			for _, e := range v.Exercises {
				row(e.ExerciseID)
				sevenths[e.ExerciseID] += e.Dosage.SessionsPerWeek()
			}
		}
		for i, l := range logs {
			if d := logDays[i]; !d.Before(monday) && !last.Before(d) {
				w.Exercises[row(l.ExerciseID)].Done++
			}
		}
		for i := range w.Exercises {
			e := &w.Exercises[i]
			e.Planned = (sevenths[e.ExerciseID]*2 + 7) / 14
			w.Planned += e.Planned
			w.Done += e.Done
		}
		weeks = append(weeks, w)
	}
	return weeks
}

func nameOr(names map[string]string, id string) string {
	if n := names[id]; n != "" {
		return n
	}
	return id
}
