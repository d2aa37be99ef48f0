package exercises

import (
	"fmt"
	"slices"
	"strings"

	"backdesk"
)

// RenderText writes the library as plain text for clinical review, category
// by category, every field of every exercise with its dose in words. It is
// the golden file that turns each change to a text into a readable diff.
func RenderText(l *backdesk.ExerciseLibrary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "backdesk home-exercise library, version %s\n", l.Version)
	fmt.Fprintf(&b, "%d exercises. The texts were written for backdesk; the sources informed them and are not quotations.\n", len(l.Exercises))
	groups := slices.Clone(backdesk.ExerciseCategories)
	for _, e := range l.Exercises {
		if !slices.Contains(groups, e.Category) {
			groups = append(groups, e.Category)
		}
	}
	for _, c := range groups {
		var in []*backdesk.Exercise
		for i := range l.Exercises {
			if l.Exercises[i].Category == c {
				in = append(in, &l.Exercises[i])
			}
		}
		fmt.Fprintf(&b, "\n== %s (%s): %d ==\n", c.Label(), c, len(in))
		for _, e := range in {
			renderExercise(&b, e)
		}
	}
	return b.String()
}

func renderExercise(b *strings.Builder, e *backdesk.Exercise) {
	fmt.Fprintf(b, "\n%s: %s\n", e.ID, e.Name)
	if e.Custom {
		fmt.Fprintf(b, "  custom:       a clinic's own exercise\n")
	}
	fmt.Fprintf(b, "  purpose:      %s\n", e.Purpose)
	fmt.Fprintf(b, "  steps:\n")
	for i, s := range e.Steps {
		fmt.Fprintf(b, "    %d. %s\n", i+1, s)
	}
	fmt.Fprintf(b, "  dosage:       %s\n", e.Dosage)
	fmt.Fprintf(b, "  feel:         %s\n", e.Feel)
	list(b, "stop if", e.StopIf)
	list(b, "cautions", e.Cautions)
	illustration := e.Illustration
	if illustration == "" {
		illustration = "(none)"
	}
	fmt.Fprintf(b, "  illustration: %s\n", illustration)
	list(b, "informed by", e.Sources)
}

func list(b *strings.Builder, title string, items []string) {
	if len(items) == 0 {
		fmt.Fprintf(b, "  %s: (none)\n", title)
		return
	}
	fmt.Fprintf(b, "  %s:\n", title)
	for _, s := range items {
		fmt.Fprintf(b, "    - %s\n", s)
	}
}
