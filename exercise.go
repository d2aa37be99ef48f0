package backdesk

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ExerciseCategory groups home exercises by what they do.
type ExerciseCategory string

const (
	CategoryMobility   ExerciseCategory = "mobility"    // gentle movement of the lower back
	CategoryStretch    ExerciseCategory = "stretch"     // held stretches of the hips and legs
	CategoryCore       ExerciseCategory = "core"        // trunk control and strength
	CategoryGlute      ExerciseCategory = "glute"       // buttock strength
	CategoryHip        ExerciseCategory = "hip"         // hips and legs: strength and mobility
	CategoryNerveGlide ExerciseCategory = "nerve_glide" // gentle nerve sliders
	CategoryWalking    ExerciseCategory = "walking"     // walking and graded activity
	CategoryRelaxation ExerciseCategory = "relaxation"  // relaxation and breathing
)

// ExerciseCategories lists every category, in the order a library shows them.
var ExerciseCategories = []ExerciseCategory{
	CategoryMobility, CategoryStretch, CategoryCore, CategoryGlute,
	CategoryHip, CategoryNerveGlide, CategoryWalking, CategoryRelaxation,
}

// Valid reports whether c is one of ExerciseCategories.
func (c ExerciseCategory) Valid() bool {
	for _, x := range ExerciseCategories {
		if c == x {
			return true
		}
	}
	return false
}

// Label is the category's name for people.
func (c ExerciseCategory) Label() string {
	switch c {
	case CategoryMobility:
		return "Mobility"
	case CategoryStretch:
		return "Stretches"
	case CategoryCore:
		return "Core strength and control"
	case CategoryGlute:
		return "Buttock strength"
	case CategoryHip:
		return "Hips and legs"
	case CategoryNerveGlide:
		return "Nerve glides"
	case CategoryWalking:
		return "Walking and graded activity"
	case CategoryRelaxation:
		return "Relaxation and breathing"
	}
	return string(c)
}

// Dosage is how much of an exercise to do and how often. A zero field is
// not used, except that a dosage needs repetitions, a hold time or minutes,
// repetitions come in sets (Sets is then 1 or more), and it says how often:
// TimesPerDay, DaysPerWeek or both.
//
// TimesPerDay without DaysPerWeek means every day; DaysPerWeek without
// TimesPerDay means once on each of those days.
type Dosage struct {
	Sets        int `json:"sets,omitempty"`         // rounds of Reps: 1–10
	Reps        int `json:"reps,omitempty"`         // repetitions in a set: 1–50
	HoldSeconds int `json:"hold_seconds,omitempty"` // hold each repetition (or the one hold): 1–300
	Minutes     int `json:"minutes,omitempty"`      // for timed activity (walking, breathing): 1–120
	// EachSide means the repetitions (or the hold) are done on each side
	// in turn: "10 each side" is 20 in all.
	EachSide    bool `json:"each_side,omitempty"`
	TimesPerDay int  `json:"times_per_day,omitempty"` // 1–6
	DaysPerWeek int  `json:"days_per_week,omitempty"` // 1–7
}

// Dosage bounds. They reject what no home programme prescribes, such as
// 0 sets or 10,000 repetitions, and leave the choice within them to the
// practitioner.
const (
	MaxSets        = 10
	MaxReps        = 50
	MaxHoldSeconds = 300
	MaxMinutes     = 120
	MaxTimesPerDay = 6
	MaxDaysPerWeek = 7
)

// Validate checks d and returns a CodeInvalid error naming the first bad
// field, as field + "." + its JSON name ("dosage.sets"); field may be "".
func (d Dosage) Validate(field string) error {
	name := func(f string) string {
		if field == "" {
			return f
		}
		return field + "." + f
	}
	for _, b := range []struct {
		name   string
		v, max int
	}{
		{"sets", d.Sets, MaxSets},
		{"reps", d.Reps, MaxReps},
		{"hold_seconds", d.HoldSeconds, MaxHoldSeconds},
		{"minutes", d.Minutes, MaxMinutes},
		{"times_per_day", d.TimesPerDay, MaxTimesPerDay},
		{"days_per_week", d.DaysPerWeek, MaxDaysPerWeek},
	} {
		switch {
		case b.v < 0:
			return FieldError(name(b.name), "%s must not be negative", b.name)
		case b.v > b.max:
			return FieldError(name(b.name), "%s must be at most %d", b.name, b.max)
		}
	}
	switch {
	case d.Reps == 0 && d.HoldSeconds == 0 && d.Minutes == 0:
		return FieldError(name("reps"), "a dosage needs repetitions, a hold time or minutes")
	case d.Reps > 0 && d.Sets == 0:
		return FieldError(name("sets"), "sets must be from 1 to %d when there are repetitions", MaxSets)
	case d.Sets > 0 && d.Reps == 0:
		return FieldError(name("reps"), "sets need a number of repetitions, from 1 to %d", MaxReps)
	case d.TimesPerDay == 0 && d.DaysPerWeek == 0:
		return FieldError(name("times_per_day"), "a dosage needs how often: times_per_day, days_per_week or both")
	}
	return nil
}

// SessionsPerWeek is how many times a week d asks for the exercise.
func (d Dosage) SessionsPerWeek() int {
	t, w := max(d.TimesPerDay, 1), d.DaysPerWeek
	if w == 0 {
		w = 7
	}
	return t * w
}

// String says d in plain words: "3 sets of 10, twice a day",
// "hold 30 seconds, 3 times, once a day", "20 minutes, 5 days a week".
func (d Dosage) String() string {
	var parts []string
	side := ""
	if d.EachSide {
		side = " each side"
	}
	switch {
	case d.Sets > 1 && d.HoldSeconds > 0:
		parts = append(parts, fmt.Sprintf("%d sets of %d%s, holding each for %s", d.Sets, d.Reps, side, count(d.HoldSeconds, "second")))
	case d.Sets > 1:
		parts = append(parts, fmt.Sprintf("%d sets of %d%s", d.Sets, d.Reps, side))
	case d.Reps > 0 && d.HoldSeconds > 0:
		parts = append(parts, "hold "+count(d.HoldSeconds, "second"), times(d.Reps)+side)
	case d.Reps > 0:
		parts = append(parts, times(d.Reps)+side)
	case d.HoldSeconds > 0:
		parts = append(parts, "hold "+count(d.HoldSeconds, "second")+side)
	}
	if d.Minutes > 0 {
		parts = append(parts, count(d.Minutes, "minute"))
	}
	if d.TimesPerDay > 0 {
		parts = append(parts, times(d.TimesPerDay)+" a day")
	}
	switch {
	case d.DaysPerWeek == 7 && d.TimesPerDay == 0:
		parts = append(parts, "every day")
	case d.DaysPerWeek == 1:
		parts = append(parts, "once a week")
	case d.DaysPerWeek > 0 && d.DaysPerWeek < 7:
		parts = append(parts, fmt.Sprintf("%d days a week", d.DaysPerWeek))
	}
	return strings.Join(parts, ", ")
}

func count(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return strconv.Itoa(n) + " times"
}

// Exercise is one home exercise: what it is for, how to do it alone, how
// much by default, and when to stop. The texts are for the person doing it,
// in plain words.
type Exercise struct {
	// ID is a stable slug ("knee-to-chest"): plans refer to it, so it never
	// changes once published.
	ID       string           `json:"id"`
	Name     string           `json:"name"`
	Category ExerciseCategory `json:"category"`
	// Purpose says what the exercise is for, in a sentence or two.
	Purpose string `json:"purpose"`
	// Steps are the instructions, in order, each a short imperative.
	Steps []string `json:"steps"`
	// Dosage is the default; a plan sets its own for each patient.
	Dosage Dosage `json:"dosage"`
	// Feel is what the person should feel while doing it.
	Feel string `json:"feel"`
	// StopIf lists what should make the person stop, the red flags among
	// them.
	StopIf []string `json:"stop_if"`
	// Cautions says who should take care, or not do it without advice.
	Cautions []string `json:"cautions"`
	// Illustration is the file name of an SVG drawing ("knee-to-chest.svg"),
	// or "" for none.
	Illustration string `json:"illustration,omitempty"`
	// Sources are short citations of what informed the exercise.
	Sources []string `json:"sources"`
	// Custom marks a clinic's own exercise; the shipped library has none.
	Custom bool `json:"custom"`
	// Version numbers a clinic exercise's texts: 1, then 2 after a change…
	// 0 in the shipped library, which is versioned as a whole.
	Version int `json:"version,omitempty"`
}

// Exercise text limits.
const (
	MaxExerciseIDLen   = 64
	MaxExerciseNameLen = 80
	MinExerciseSteps   = 2
	MaxExerciseSteps   = 12
	MaxExerciseStepLen = 300
	maxExerciseText    = 600 // purpose, feel
	maxExerciseItem    = 300 // one stop-if, caution or source
	maxExerciseItems   = 12
)

// Validate checks e and returns a CodeInvalid error naming the first bad
// field ("steps.2" for the third step).
func (e *Exercise) Validate() error {
	switch {
	case !ValidSlug(e.ID):
		return FieldError("id", "id must be 1 to %d lower-case letters, digits and single hyphens, such as knee-to-chest", MaxExerciseIDLen)
	case blank(e.Name):
		return FieldError("name", "name is required")
	case utf8.RuneCountInString(e.Name) > MaxExerciseNameLen:
		return FieldError("name", "name is at most %d characters", MaxExerciseNameLen)
	case !e.Category.Valid():
		return FieldError("category", "category must be one of %s", categoryList())
	case blank(e.Purpose):
		return FieldError("purpose", "purpose is required: what the exercise is for")
	case len(e.Steps) < MinExerciseSteps || len(e.Steps) > MaxExerciseSteps:
		return FieldError("steps", "an exercise needs %d to %d steps", MinExerciseSteps, MaxExerciseSteps)
	case len(e.StopIf) == 0:
		return FieldError("stop_if", "an exercise needs at least one reason to stop")
	case e.Illustration != "" && !validIllustration(e.Illustration):
		return FieldError("illustration", "illustration must be the file name of an SVG drawing, such as knee-to-chest.svg")
	}
	if err := checkText("name", e.Name, MaxExerciseNameLen); err != nil {
		return err
	}
	if err := checkText("purpose", e.Purpose, maxExerciseText); err != nil {
		return err
	}
	if err := checkText("feel", e.Feel, maxExerciseText); err != nil {
		return err
	}
	for _, l := range []struct {
		name    string
		items   []string
		maxLen  int
		maxList int
	}{
		{"steps", e.Steps, MaxExerciseStepLen, MaxExerciseSteps},
		{"stop_if", e.StopIf, maxExerciseItem, maxExerciseItems},
		{"cautions", e.Cautions, maxExerciseItem, maxExerciseItems},
		{"sources", e.Sources, maxExerciseItem, maxExerciseItems},
	} {
		if len(l.items) > l.maxList {
			return FieldError(l.name, "%s has at most %d entries", l.name, l.maxList)
		}
		for i, s := range l.items {
			f := l.name + "." + strconv.Itoa(i)
			if blank(s) {
				return FieldError(f, "%s must not be empty", f)
			}
			if err := checkText(f, s, l.maxLen); err != nil {
				return err
			}
		}
	}
	return e.Dosage.Validate("dosage")
}

// checkText rejects text over max characters, text that is not UTF-8, and
// control characters (line breaks included: each field is one paragraph).
func checkText(field, s string, limit int) error {
	if !utf8.ValidString(s) {
		return FieldError(field, "%s is not valid text", field)
	}
	if utf8.RuneCountInString(s) > limit {
		return FieldError(field, "%s is at most %d characters", field, limit)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return FieldError(field, "%s must not contain control characters or line breaks", field)
		}
	}
	return nil
}

func categoryList() string {
	s := make([]string, len(ExerciseCategories))
	for i, c := range ExerciseCategories {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

// ValidSlug reports whether s is a stable identifier such as "knee-to-chest":
// lower-case ASCII letters and digits in words joined by single hyphens,
// starting with a letter, at most MaxExerciseIDLen long.
func ValidSlug(s string) bool {
	if s == "" || len(s) > MaxExerciseIDLen || s[0] < 'a' || s[0] > 'z' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func validIllustration(name string) bool {
	slug, ok := strings.CutSuffix(name, ".svg")
	return ok && ValidSlug(slug)
}

// ExerciseLibrary is a published set of exercises. A published version is
// frozen: a change is a new version.
type ExerciseLibrary struct {
	Version   string     `json:"version"`
	Exercises []Exercise `json:"exercises"`
}

// Find returns the exercise with the given id.
func (l *ExerciseLibrary) Find(id string) (*Exercise, bool) {
	for i := range l.Exercises {
		if l.Exercises[i].ID == id {
			return &l.Exercises[i], true
		}
	}
	return nil, false
}

// Validate checks every exercise and that ids are unique. A field names
// the exercise by its position: "exercises.3.steps.0".
func (l *ExerciseLibrary) Validate() error {
	if blank(l.Version) {
		return FieldError("version", "version is required")
	}
	seen := make(map[string]bool, len(l.Exercises))
	for i := range l.Exercises {
		e := &l.Exercises[i]
		prefix := "exercises." + strconv.Itoa(i)
		if err := e.Validate(); err != nil {
			f := prefix + "." + ErrorField(err)
			return FieldError(f, "exercise %q: %s", e.ID, ErrorMessage(err))
		}
		if seen[e.ID] {
			return FieldError(prefix+".id", "exercise id %q is used twice", e.ID)
		}
		seen[e.ID] = true
	}
	return nil
}

// ExerciseService is the library as the clinic uses it: the shipped
// exercises and the clinic's own.
type ExerciseService interface {
	// FindExercises lists the shipped library and the clinic's own
	// exercises (their current versions), by category; anyone may.
	FindExercises(ctx context.Context) (*ExerciseLibrary, error)
	// FindExerciseByID returns one exercise, a clinic one at its current
	// version; anyone may. CodeNotFound if there is none.
	FindExerciseByID(ctx context.Context, id string) (*Exercise, error)
	// CreateExercise adds a clinic exercise (version 1), checked by
	// Exercise.Validate: practitioners and admins. CodeConflict if the id
	// is taken, by the library or the clinic.
	CreateExercise(ctx context.Context, e *Exercise) error
	// UpdateExercise writes the next version of a clinic exercise; plans
	// keep the version they were written with.
	UpdateExercise(ctx context.Context, id string, e *Exercise) error
}

// ExerciseStore keeps the clinic's own exercises, every version.
type ExerciseStore interface {
	// InsertExercise stores e as version 1 (CodeConflict if its id
	// exists) or, with next, as the next version of an existing one
	// (CodeNotFound if none), filling Version, with the audit line.
	InsertExercise(ctx context.Context, e *Exercise, next bool, audit *AuditEntry) error
	// FindExercise returns a clinic exercise at version (0: the current
	// one); CodeNotFound.
	FindExercise(ctx context.Context, id string, version int) (*Exercise, error)
	// FindExercises lists the clinic's exercises at their current versions.
	FindExercises(ctx context.Context) ([]*Exercise, error)
}
