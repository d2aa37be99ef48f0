// Package exercises is the home-exercise library that ships with backdesk:
// common lower-back exercises as Go values, with a line drawing of each.
//
// Like the triage rules, a published library is frozen: V1 (version
// "2026.1", in library_v1.go) never changes once released, and a change is
// a new version in a new file beside it, so that a plan written against one
// version still means what it said. go test ./exercises -update rewrites
// testdata/library_v1.golden, a plain-text rendering of the whole library,
// so that every change to a text is a readable diff for clinical review.
//
// Where the texts come from: they were written for backdesk, in plain
// British English, by its developers. They are original wording, not copied
// from any website, leaflet or book. The sources listed on each exercise are
// the published guidance and literature that informed it (NICE NG59, the
// Cochrane review of exercise therapy, NHS self-care guidance, the
// textbooks and trials named); they are not quotations, and none of them
// endorses these texts. The reasons to stop that every exercise carries
// follow the red flags of the IFOMPT International Framework for Red Flags
// for Potential Serious Spinal Pathologies (Finucane et al., J Orthop
// Sports Phys Ther 2020;50(7):350–372), as the self-assessment does.
//
// Who should review them: a registered physiotherapist should read the
// golden file before the library is released and before any new version,
// for accuracy, safety (cautions, reasons to stop, default doses) and plain
// language. The default doses are deliberately modest; a practitioner sets
// each patient's own dose in their plan.
//
// The drawings in svg/ are simple stick figures made for backdesk: each
// shows the position, with the starting position faint where it helps and
// an arrow for the movement. They are self-contained SVG (no scripts, no
// external references) and draw in currentColor, so pages can colour them.
//
// The package is pure: no I/O beyond its embedded files, no clock, no
// randomness.
package exercises

import (
	"embed"
	"strings"
)

//go:embed svg/*.svg
var drawings embed.FS

// Illustration returns the SVG drawing with the given file name, as named
// by an exercise's Illustration field ("knee-to-chest.svg"). It reports
// false for a name that is not one of the shipped drawings; a name with a
// path in it is never one.
func Illustration(name string) ([]byte, bool) {
	if name == "" || strings.ContainsAny(name, `/\`) || !strings.HasSuffix(name, ".svg") {
		return nil, false
	}
	b, err := drawings.ReadFile("svg/" + name) // a fresh copy: callers may keep it
	if err != nil {
		return nil, false
	}
	return b, true
}
