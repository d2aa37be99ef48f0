package web

import (
	"net/http"
	"strconv"
	"strings"

	"backdesk"
	"backdesk/exercises"
)

// The exercise library for the clinic's staff: every exercise by category,
// a page per exercise with its drawing, and the clinic's own exercises
// (added and changed, each change a new version).

type exerciseListPage struct {
	Layout
	Version string
	Groups  []exerciseGroup
	Own     []backdesk.Exercise
}

func (s *Server) pageExerciseList(w http.ResponseWriter, r *http.Request) error {
	if err := s.svcs.Access.Authorize(r.Context(), backdesk.PermBrowseExercises); err != nil {
		return err
	}
	lib, err := s.svcs.Exercises.FindExercises(r.Context())
	if err != nil {
		return err
	}
	page := exerciseListPage{Layout: s.layout(r, "Exercise library"), Version: lib.Version, Groups: groupExercises(lib)}
	for _, e := range lib.Exercises {
		if e.Custom {
			page.Own = append(page.Own, e)
		}
	}
	return s.render(w, r, http.StatusOK, "exercise_list", page)
}

type exerciseViewPage struct {
	Layout
	Exercise *backdesk.Exercise
	Drawing  string
	Version  string
}

func (s *Server) pageExerciseView(w http.ResponseWriter, r *http.Request) error {
	if err := s.svcs.Access.Authorize(r.Context(), backdesk.PermBrowseExercises); err != nil {
		return err
	}
	e, err := s.svcs.Exercises.FindExerciseByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	lib, err := s.svcs.Exercises.FindExercises(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "exercise_view", exerciseViewPage{Layout: s.layout(r, e.Name), Exercise: e, Drawing: drawingURL(e), Version: lib.Version})
}

// serveExerciseDrawing serves one of the library's embedded drawings.
func (s *Server) serveExerciseDrawing(w http.ResponseWriter, r *http.Request) error {
	svg, ok := exercises.Illustration(r.PathValue("file"))
	if !ok {
		return backdesk.Errorf(backdesk.CodeNotFound, "Not found.")
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	_, err := w.Write(svg)
	return err
}

type exerciseFormPage struct {
	Layout
	Exercise   backdesk.Exercise
	Categories []backdesk.ExerciseCategory
	Drawings   []string
	Lines      map[string]string // the list fields, one item a line
	Action     string
	New        bool
	Err        *backdesk.Error
}

// drawingNames lists the library's drawings, for a clinic exercise to
// reuse one.
func (s *Server) drawingNames(r *http.Request) []string {
	var out []string
	if lib, err := s.svcs.Exercises.FindExercises(r.Context()); err == nil {
		for _, e := range lib.Exercises {
			if e.Illustration != "" && !e.Custom {
				out = append(out, e.Illustration)
			}
		}
	}
	return out
}

func (s *Server) exerciseForm(r *http.Request, e backdesk.Exercise, isNew bool) exerciseFormPage {
	page := exerciseFormPage{Layout: s.layout(r, "Add an exercise"), Exercise: e, Categories: backdesk.ExerciseCategories, Drawings: s.drawingNames(r),
		New: isNew, Action: "/exercises/new", Lines: map[string]string{"steps": strings.Join(e.Steps, "\n"), "stop_if": strings.Join(e.StopIf, "\n"),
			"cautions": strings.Join(e.Cautions, "\n"), "sources": strings.Join(e.Sources, "\n")}}
	if !isNew {
		page.Title, page.Action = "Change "+e.Name, "/exercises/"+e.ID+"/edit"
	}
	return page
}

func (s *Server) pageExerciseNew(w http.ResponseWriter, r *http.Request) error {
	if err := s.svcs.Access.Authorize(r.Context(), backdesk.PermWriteExercises); err != nil {
		return err
	}
	e := backdesk.Exercise{Category: backdesk.CategoryMobility, Dosage: backdesk.Dosage{Sets: 1, Reps: 10, TimesPerDay: 1}}
	return s.render(w, r, http.StatusOK, "exercise_form", s.exerciseForm(r, e, true))
}

func (s *Server) pageExerciseEdit(w http.ResponseWriter, r *http.Request) error {
	if err := s.svcs.Access.Authorize(r.Context(), backdesk.PermWriteExercises); err != nil {
		return err
	}
	e, err := s.svcs.Exercises.FindExerciseByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if !e.Custom {
		return backdesk.Errorf(backdesk.CodeConflict, "The shipped library is frozen: add the clinic's own exercise instead.")
	}
	return s.render(w, r, http.StatusOK, "exercise_form", s.exerciseForm(r, *e, false))
}

// readExerciseForm reads the exercise form; list fields are one item a line.
func readExerciseForm(f *form) backdesk.Exercise {
	n := func(name string) int {
		if strings.TrimSpace(f.Get(name)) == "" {
			return 0
		}
		return f.Int(name)
	}
	return backdesk.Exercise{ID: strings.TrimSpace(f.Get("id")), Name: f.Get("name"), Category: backdesk.ExerciseCategory(f.Get("category")),
		Purpose: f.Get("purpose"), Steps: lines(f.Get("steps")), Feel: f.Get("feel"), StopIf: lines(f.Get("stop_if")),
		Cautions: lines(f.Get("cautions")), Sources: lines(f.Get("sources")), Illustration: f.Get("illustration"),
		Dosage: backdesk.Dosage{Sets: n("dosage.sets"), Reps: n("dosage.reps"), HoldSeconds: n("dosage.hold_seconds"), Minutes: n("dosage.minutes"),
			EachSide: checked(f.Get("dosage.each_side")), TimesPerDay: n("dosage.times_per_day"), DaysPerWeek: n("dosage.days_per_week")}}
}

func (s *Server) pageExerciseSave(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	e := readExerciseForm(f)
	err = f.Err()
	if err == nil {
		if id == "" {
			err = s.svcs.Exercises.CreateExercise(r.Context(), &e)
		} else {
			err = s.svcs.Exercises.UpdateExercise(r.Context(), id, &e)
		}
	}
	if err != nil {
		if id != "" {
			e.ID = id
		}
		return s.rerender(w, r, err, "exercise_form", func(be *backdesk.Error) any {
			page := s.exerciseForm(r, e, id == "")
			page.Err = be
			return page
		})
	}
	s.redirect(w, r, "/exercises/"+e.ID, "Saved "+e.Name+" (version "+strconv.Itoa(e.Version)+").")
	return nil
}
