package clinic

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"backdesk"
	"backdesk/exercises"
)

// ExerciseService implements backdesk.ExerciseService: the shipped library
// (frozen, versioned as a whole) and the clinic's own exercises (each
// versioned), which plans refer to by id and version.
type ExerciseService struct {
	Store   backdesk.ExerciseStore
	Library *backdesk.ExerciseLibrary // exercises.V1 in production
	Audit   backdesk.AuditWriter
}

var _ backdesk.ExerciseService = (*ExerciseService)(nil)

// NewExerciseService validates the library and returns the service.
func NewExerciseService(store backdesk.ExerciseStore, lib *backdesk.ExerciseLibrary) (*ExerciseService, error) {
	if err := lib.Validate(); err != nil {
		return nil, err
	}
	return &ExerciseService{Store: store, Library: lib}, nil
}

// FindExercises lists the library's exercises and then the clinic's own.
func (s *ExerciseService) FindExercises(ctx context.Context) (*backdesk.ExerciseLibrary, error) {
	own, err := s.Store.FindExercises(ctx)
	if err != nil {
		return nil, err
	}
	out := &backdesk.ExerciseLibrary{Version: s.Library.Version, Exercises: slices.Clone(s.Library.Exercises)}
	for _, e := range own {
		out.Exercises = append(out.Exercises, *e)
	}
	return out, nil
}

// FindExerciseByID returns a library exercise, or a clinic one at its
// current version.
func (s *ExerciseService) FindExerciseByID(ctx context.Context, id string) (*backdesk.Exercise, error) {
	if e, ok := s.Library.Find(id); ok {
		c := *e
		return &c, nil
	}
	if !backdesk.ValidSlug(id) {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Exercise not found.")
	}
	return s.Store.FindExercise(ctx, id, 0)
}

// CreateExercise adds a clinic exercise; practitioners and admins.
func (s *ExerciseService) CreateExercise(ctx context.Context, e *backdesk.Exercise) error {
	a, err := require(ctx, backdesk.PermWriteExercises)
	if err != nil {
		return err
	}
	if err := s.check(e); err != nil {
		return err
	}
	if _, ok := s.Library.Find(e.ID); ok {
		return &backdesk.Error{Code: backdesk.CodeConflict, Field: "id", Message: "The library already has an exercise " + e.ID + ": choose another id."}
	}
	return s.Store.InsertExercise(ctx, e, false, backdesk.NewAuditEntry(a, backdesk.AuditExerciseCreate, 0, "exercise", e.ID))
}

// UpdateExercise writes the next version of a clinic exercise. The
// library's exercises are frozen.
func (s *ExerciseService) UpdateExercise(ctx context.Context, id string, e *backdesk.Exercise) error {
	a, err := require(ctx, backdesk.PermWriteExercises)
	if err != nil {
		return err
	}
	if _, ok := s.Library.Find(id); ok {
		return backdesk.Errorf(backdesk.CodeConflict, "The shipped library is frozen: add the clinic's own exercise instead.")
	}
	e.ID = id
	if err := s.check(e); err != nil {
		return err
	}
	return s.Store.InsertExercise(ctx, e, true, backdesk.NewAuditEntry(a, backdesk.AuditExerciseChange, 0, "exercise", e.ID))
}

// check tidies a clinic exercise and validates it: Exercise.Validate, and
// a drawing only when it is one of the shipped ones.
func (s *ExerciseService) check(e *backdesk.Exercise) error {
	e.Custom, e.Version = true, 0
	e.ID, e.Name, e.Purpose, e.Feel = strings.TrimSpace(e.ID), strings.TrimSpace(e.Name), strings.TrimSpace(e.Purpose), strings.TrimSpace(e.Feel)
	e.Illustration = strings.TrimSpace(e.Illustration)
	for _, l := range []*[]string{&e.Steps, &e.StopIf, &e.Cautions, &e.Sources} {
		if *l == nil {
			*l = []string{}
		}
		for i := range *l {
			(*l)[i] = strings.TrimSpace((*l)[i])
		}
	}
	if err := e.Validate(); err != nil {
		return err
	}
	if e.Illustration != "" {
		if _, ok := exercises.Illustration(e.Illustration); !ok {
			return backdesk.FieldError("illustration", "illustration must be one of the library's drawings, such as bridge.svg")
		}
	}
	return nil
}

// resolve reads the exercise a plan refers to, at the version it names (the
// current one when it names none), and fills the version in. CodeInvalid,
// naming field, when there is no such exercise.
func (s *ExerciseService) resolve(ctx context.Context, pe *backdesk.PlanExercise, field string) error {
	if e, ok := s.Library.Find(pe.ExerciseID); ok && (pe.ExerciseVersion == "" || pe.ExerciseVersion == s.Library.Version) {
		c := *e
		pe.Exercise, pe.ExerciseVersion = &c, s.Library.Version
		return nil
	}
	version := 0
	if pe.ExerciseVersion != "" {
		n, err := strconv.Atoi(pe.ExerciseVersion)
		if err != nil || n < 1 {
			return backdesk.FieldError(field+".exercise_version", "%s.exercise_version is not a version of %s", field, pe.ExerciseID)
		}
		version = n
	}
	e, err := s.Store.FindExercise(ctx, pe.ExerciseID, version)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return backdesk.FieldError(field+".exercise_id", "%s is not an exercise of the library or the clinic", pe.ExerciseID)
	} else if err != nil {
		return err
	}
	pe.Exercise, pe.ExerciseVersion = e, strconv.Itoa(e.Version)
	return nil
}

// resolveAll reads every exercise of a version; one that has gone (which a
// store with foreign keys would not allow) keeps its id as its name.
func (s *ExerciseService) resolveAll(ctx context.Context, v *backdesk.CarePlanVersion) error {
	for i := range v.Exercises {
		if err := s.resolve(ctx, &v.Exercises[i], "exercises."+strconv.Itoa(i)); err != nil && backdesk.ErrorCode(err) != backdesk.CodeInvalid {
			return err
		}
	}
	return nil
}
