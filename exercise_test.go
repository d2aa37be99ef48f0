package backdesk_test

import (
	"encoding/json"
	"strings"
	"testing"

	"backdesk"
)

func TestDosageValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		field string // the prefix passed to Validate
		in    backdesk.Dosage
		want  string // the field named by the error; "" for valid
	}{
		{"sets of reps twice a day", "dosage", backdesk.Dosage{Sets: 3, Reps: 10, TimesPerDay: 2}, ""},
		{"held reps once a day", "dosage", backdesk.Dosage{Sets: 1, Reps: 3, HoldSeconds: 30, TimesPerDay: 1}, ""},
		{"minutes on some days", "dosage", backdesk.Dosage{Minutes: 20, DaysPerWeek: 5}, ""},
		{"one hold, each side", "dosage", backdesk.Dosage{HoldSeconds: 60, EachSide: true, TimesPerDay: 1}, ""},
		{"every bound at its top", "dosage", backdesk.Dosage{Sets: 10, Reps: 50, HoldSeconds: 300, Minutes: 120, TimesPerDay: 6, DaysPerWeek: 7}, ""},
		{"every bound at its bottom", "dosage", backdesk.Dosage{Sets: 1, Reps: 1, HoldSeconds: 1, Minutes: 1, TimesPerDay: 1, DaysPerWeek: 1}, ""},
		{"empty dosage", "dosage", backdesk.Dosage{}, "dosage.reps"},
		{"only how often", "dosage", backdesk.Dosage{TimesPerDay: 2}, "dosage.reps"},
		{"0 sets of 10", "dosage", backdesk.Dosage{Sets: 0, Reps: 10, TimesPerDay: 1}, "dosage.sets"},
		{"10,000 reps", "dosage", backdesk.Dosage{Sets: 1, Reps: 10000, TimesPerDay: 1}, "dosage.reps"},
		{"51 reps", "dosage", backdesk.Dosage{Sets: 1, Reps: 51, TimesPerDay: 1}, "dosage.reps"},
		{"11 sets", "dosage", backdesk.Dosage{Sets: 11, Reps: 10, TimesPerDay: 1}, "dosage.sets"},
		{"negative reps", "dosage", backdesk.Dosage{Sets: 1, Reps: -10, TimesPerDay: 1}, "dosage.reps"},
		{"sets without reps", "dosage", backdesk.Dosage{Sets: 3, HoldSeconds: 10, TimesPerDay: 1}, "dosage.reps"},
		{"hold of 10,000 seconds", "dosage", backdesk.Dosage{HoldSeconds: 10000, TimesPerDay: 1}, "dosage.hold_seconds"},
		{"negative hold", "dosage", backdesk.Dosage{HoldSeconds: -5, TimesPerDay: 1}, "dosage.hold_seconds"},
		{"121 minutes", "dosage", backdesk.Dosage{Minutes: 121, DaysPerWeek: 5}, "dosage.minutes"},
		{"7 times a day", "dosage", backdesk.Dosage{Minutes: 5, TimesPerDay: 7}, "dosage.times_per_day"},
		{"8 days a week", "dosage", backdesk.Dosage{Minutes: 5, DaysPerWeek: 8}, "dosage.days_per_week"},
		{"negative days", "dosage", backdesk.Dosage{Minutes: 5, DaysPerWeek: -1}, "dosage.days_per_week"},
		{"not how often", "dosage", backdesk.Dosage{Sets: 2, Reps: 10}, "dosage.times_per_day"},
		{"no prefix", "", backdesk.Dosage{Sets: 1, Reps: 10000, TimesPerDay: 1}, "reps"},
		{"a plan's prefix", "exercises.2.dosage", backdesk.Dosage{Sets: 0, Reps: 10, TimesPerDay: 1}, "exercises.2.dosage.sets"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate(tc.field)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate(%+v) = %v, want nil", tc.in, err)
				}
				return
			}
			if backdesk.ErrorCode(err) != backdesk.CodeInvalid || backdesk.ErrorField(err) != tc.want {
				t.Fatalf("Validate(%+v) = %v (field %q), want invalid naming %q", tc.in, err, backdesk.ErrorField(err), tc.want)
			}
			if msg := backdesk.ErrorMessage(err); msg == "" || strings.Contains(msg, "%!") {
				t.Errorf("Validate(%+v) message %q is not a clean sentence", tc.in, msg)
			}
		})
	}
}

func TestDosageString(t *testing.T) {
	for _, tc := range []struct {
		in   backdesk.Dosage
		want string
	}{
		{backdesk.Dosage{Sets: 3, Reps: 10, TimesPerDay: 2}, "3 sets of 10, twice a day"},
		{backdesk.Dosage{Sets: 1, Reps: 3, HoldSeconds: 30, TimesPerDay: 1}, "hold 30 seconds, 3 times, once a day"},
		{backdesk.Dosage{Minutes: 20, DaysPerWeek: 5}, "20 minutes, 5 days a week"},
		{backdesk.Dosage{Sets: 2, Reps: 10, EachSide: true, TimesPerDay: 1, DaysPerWeek: 5}, "2 sets of 10 each side, once a day, 5 days a week"},
		{backdesk.Dosage{Sets: 1, Reps: 3, HoldSeconds: 20, EachSide: true, TimesPerDay: 2}, "hold 20 seconds, 3 times each side, twice a day"},
		{backdesk.Dosage{Sets: 2, Reps: 6, HoldSeconds: 5, EachSide: true, TimesPerDay: 1}, "2 sets of 6 each side, holding each for 5 seconds, once a day"},
		{backdesk.Dosage{Sets: 1, Reps: 10, TimesPerDay: 3}, "10 times, 3 times a day"},
		{backdesk.Dosage{Sets: 1, Reps: 1, TimesPerDay: 1}, "once, once a day"},
		{backdesk.Dosage{HoldSeconds: 1, DaysPerWeek: 7}, "hold 1 second, every day"},
		{backdesk.Dosage{HoldSeconds: 60, EachSide: true, DaysPerWeek: 1}, "hold 60 seconds each side, once a week"},
		{backdesk.Dosage{Minutes: 1, TimesPerDay: 6, DaysPerWeek: 7}, "1 minute, 6 times a day"},
		{backdesk.Dosage{Minutes: 2, TimesPerDay: 6, DaysPerWeek: 5}, "2 minutes, 6 times a day, 5 days a week"},
		{backdesk.Dosage{Minutes: 10, DaysPerWeek: 3}, "10 minutes, 3 days a week"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.in.String(); got != tc.want {
				t.Errorf("%+v.String() = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestDosageSessionsPerWeek(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   backdesk.Dosage
		want int
	}{
		{"twice a day, every day", backdesk.Dosage{Sets: 1, Reps: 10, TimesPerDay: 2}, 14},
		{"5 days a week", backdesk.Dosage{Minutes: 20, DaysPerWeek: 5}, 5},
		{"3 times a day, 5 days a week", backdesk.Dosage{Minutes: 2, TimesPerDay: 3, DaysPerWeek: 5}, 15},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.SessionsPerWeek(); got != tc.want {
				t.Errorf("%+v.SessionsPerWeek() = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
}

func TestDosageJSON(t *testing.T) {
	b, err := json.Marshal(backdesk.Dosage{Sets: 3, Reps: 10, HoldSeconds: 5, Minutes: 1, EachSide: true, TimesPerDay: 2, DaysPerWeek: 5})
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"sets":3,"reps":10,"hold_seconds":5,"minutes":1,"each_side":true,"times_per_day":2,"days_per_week":5}`
	if string(b) != want {
		t.Errorf("json.Marshal(Dosage) = %s, want %s", b, want)
	}
}

// validExercise is a minimal exercise that passes Validate.
func validExercise() *backdesk.Exercise {
	return &backdesk.Exercise{
		ID: "knee-to-chest", Name: "Knee to chest", Category: backdesk.CategoryMobility,
		Purpose: "Eases stiffness.",
		Steps:   []string{"Lie on your back.", "Hug one knee."},
		Dosage:  backdesk.Dosage{Sets: 1, Reps: 3, HoldSeconds: 20, TimesPerDay: 2},
		Feel:    "A gentle stretch.",
		StopIf:  []string{"Sharp pain."},
	}
}

func TestExerciseValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(e *backdesk.Exercise)
		want   string // the field named by the error; "" for valid
	}{
		{"valid", func(e *backdesk.Exercise) {}, ""},
		{"a clinic's own, with drawing and sources", func(e *backdesk.Exercise) {
			e.Custom, e.Illustration, e.Sources, e.Cautions = true, "knee-hug-2.svg", []string{"Clinic guide"}, []string{"Not after hip surgery."}
		}, ""},
		{"name of 80 letters", func(e *backdesk.Exercise) { e.Name = strings.Repeat("é", 80) }, ""},
		{"12 steps", func(e *backdesk.Exercise) { e.Steps = make([]string, 12); fill(e.Steps) }, ""},
		{"step of 300 letters", func(e *backdesk.Exercise) { e.Steps[1] = strings.Repeat("ü", 300) }, ""},
		{"empty id", func(e *backdesk.Exercise) { e.ID = "" }, "id"},
		{"capital letters in id", func(e *backdesk.Exercise) { e.ID = "Knee-to-chest" }, "id"},
		{"underscore in id", func(e *backdesk.Exercise) { e.ID = "knee_to_chest" }, "id"},
		{"double hyphen in id", func(e *backdesk.Exercise) { e.ID = "knee--chest" }, "id"},
		{"id starting with a hyphen", func(e *backdesk.Exercise) { e.ID = "-knee" }, "id"},
		{"id ending with a hyphen", func(e *backdesk.Exercise) { e.ID = "knee-" }, "id"},
		{"id starting with a digit", func(e *backdesk.Exercise) { e.ID = "9-knee" }, "id"},
		{"id with a slash", func(e *backdesk.Exercise) { e.ID = "../knee" }, "id"},
		{"id of 65 letters", func(e *backdesk.Exercise) { e.ID = strings.Repeat("k", 65) }, "id"},
		{"blank name", func(e *backdesk.Exercise) { e.Name = "  " }, "name"},
		{"name of 81 letters", func(e *backdesk.Exercise) { e.Name = strings.Repeat("é", 81) }, "name"},
		{"name with a control character", func(e *backdesk.Exercise) { e.Name = "Knee\x00 to chest" }, "name"},
		{"unknown category", func(e *backdesk.Exercise) { e.Category = "yoga" }, "category"},
		{"no category", func(e *backdesk.Exercise) { e.Category = "" }, "category"},
		{"no purpose", func(e *backdesk.Exercise) { e.Purpose = "" }, "purpose"},
		{"purpose with a line break", func(e *backdesk.Exercise) { e.Purpose = "Eases\nstiffness." }, "purpose"},
		{"one step", func(e *backdesk.Exercise) { e.Steps = e.Steps[:1] }, "steps"},
		{"13 steps", func(e *backdesk.Exercise) { e.Steps = make([]string, 13); fill(e.Steps) }, "steps"},
		{"blank step", func(e *backdesk.Exercise) { e.Steps[1] = " " }, "steps.1"},
		{"step of 301 letters", func(e *backdesk.Exercise) { e.Steps[0] = strings.Repeat("a", 301) }, "steps.0"},
		{"step with a tab", func(e *backdesk.Exercise) { e.Steps[1] = "Hug\tone knee." }, "steps.1"},
		{"step with a C1 control", func(e *backdesk.Exercise) { e.Steps[1] = "Hug one knee.\u0085" }, "steps.1"},
		{"step that is not UTF-8", func(e *backdesk.Exercise) { e.Steps[0] = "Lie \xff down." }, "steps.0"},
		{"feel with a line break", func(e *backdesk.Exercise) { e.Feel = "A gentle\r\nstretch." }, "feel"},
		{"no reason to stop", func(e *backdesk.Exercise) { e.StopIf = nil }, "stop_if"},
		{"blank reason to stop", func(e *backdesk.Exercise) { e.StopIf = []string{"Sharp pain.", ""} }, "stop_if.1"},
		{"blank caution", func(e *backdesk.Exercise) { e.Cautions = []string{""} }, "cautions.0"},
		{"source of 301 letters", func(e *backdesk.Exercise) { e.Sources = []string{strings.Repeat("s", 301)} }, "sources.0"},
		{"illustration with a path", func(e *backdesk.Exercise) { e.Illustration = "../secret.svg" }, "illustration"},
		{"illustration that is not SVG", func(e *backdesk.Exercise) { e.Illustration = "knee.png" }, "illustration"},
		{"illustration address", func(e *backdesk.Exercise) { e.Illustration = "https://example.org/knee.svg" }, "illustration"},
		{"0 sets", func(e *backdesk.Exercise) { e.Dosage.Sets = 0 }, "dosage.sets"},
		{"10,000 reps", func(e *backdesk.Exercise) { e.Dosage.Reps = 10000 }, "dosage.reps"},
		{"empty dosage", func(e *backdesk.Exercise) { e.Dosage = backdesk.Dosage{} }, "dosage.reps"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := validExercise()
			tc.change(e)
			err := e.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if backdesk.ErrorCode(err) != backdesk.CodeInvalid || backdesk.ErrorField(err) != tc.want {
				t.Fatalf("Validate() = %v (field %q), want invalid naming %q", err, backdesk.ErrorField(err), tc.want)
			}
		})
	}
}

func fill(steps []string) {
	for i := range steps {
		steps[i] = "Do this."
	}
}

func TestExerciseLibrary(t *testing.T) {
	a, b := *validExercise(), *validExercise()
	b.ID, b.Name = "pelvic-tilt", "Pelvic tilt"
	lib := &backdesk.ExerciseLibrary{Version: "test", Exercises: []backdesk.Exercise{a, b}}
	if err := lib.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	if e, ok := lib.Find("pelvic-tilt"); !ok || e.Name != "Pelvic tilt" {
		t.Errorf("Find(pelvic-tilt) = %v, %v; want Pelvic tilt", e, ok)
	}
	if e, ok := lib.Find("cat-camel"); ok || e != nil {
		t.Errorf("Find(cat-camel) = %v, %v; want nothing", e, ok)
	}

	for _, tc := range []struct {
		name  string
		lib   backdesk.ExerciseLibrary
		field string
	}{
		{"no version", backdesk.ExerciseLibrary{Exercises: []backdesk.Exercise{a}}, "version"},
		{"id used twice", backdesk.ExerciseLibrary{Version: "x", Exercises: []backdesk.Exercise{a, b, a}}, "exercises.2.id"},
		{"bad exercise", backdesk.ExerciseLibrary{Version: "x", Exercises: []backdesk.Exercise{a, {ID: "x"}}}, "exercises.1.name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.lib.Validate()
			if backdesk.ErrorCode(err) != backdesk.CodeInvalid || backdesk.ErrorField(err) != tc.field {
				t.Errorf("Validate() = %v (field %q), want invalid naming %q", err, backdesk.ErrorField(err), tc.field)
			}
		})
	}
}

func TestExerciseCategories(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range backdesk.ExerciseCategories {
		if !c.Valid() || c.Label() == string(c) || seen[c.Label()] {
			t.Errorf("category %q: Valid() = %v, Label() = %q; want valid, with a label of its own", c, c.Valid(), c.Label())
		}
		seen[c.Label()] = true
	}
	for _, c := range []backdesk.ExerciseCategory{"", "yoga", "Mobility"} {
		if c.Valid() {
			t.Errorf("ExerciseCategory(%q).Valid() = true, want false", c)
		}
	}
}
