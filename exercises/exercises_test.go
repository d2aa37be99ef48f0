package exercises_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"backdesk"
	"backdesk/exercises"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestLibraryGolden keeps a readable rendering of every exercise under
// clinical review: go test ./exercises -update rewrites it, and the diff is
// the change to review.
func TestLibraryGolden(t *testing.T) {
	got := exercises.RenderText(exercises.V1)
	const golden = "testdata/library_v1.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./exercises -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("exercise library changed (-golden +now); if intended, run go test ./exercises -update:\n%s", diff)
	}
}

func TestV1Validates(t *testing.T) {
	if exercises.V1.Version != "2026.1" {
		t.Errorf("V1.Version = %q, want 2026.1", exercises.V1.Version)
	}
	if err := exercises.V1.Validate(); err != nil {
		t.Fatalf("V1.Validate() = %v", err)
	}
	if n := len(exercises.V1.Exercises); n < 30 {
		t.Errorf("V1 has %d exercises, want at least 30", n)
	}
	ids := map[string]bool{}
	for _, e := range exercises.V1.Exercises {
		if ids[e.ID] {
			t.Errorf("id %q is used twice", e.ID)
		}
		ids[e.ID] = true
		if e.Custom {
			t.Errorf("%s: a shipped exercise is marked custom", e.ID)
		}
		if len(e.Sources) == 0 || e.Feel == "" {
			t.Errorf("%s: every shipped exercise says what to feel and what informed it", e.ID)
		}
		if got, ok := exercises.V1.Find(e.ID); !ok || got.ID != e.ID {
			t.Errorf("V1.Find(%q) = %v, %v", e.ID, got, ok)
		}
	}
}

func TestEveryCategoryHasSeveral(t *testing.T) {
	n := map[backdesk.ExerciseCategory]int{}
	for _, e := range exercises.V1.Exercises {
		n[e.Category]++
	}
	for _, c := range backdesk.ExerciseCategories {
		if n[c] < 3 {
			t.Errorf("category %s has %d exercises, want at least 3", c, n[c])
		}
	}
}

// TestStopIfSafety checks that every exercise carries the reasons to stop
// that the library promises: nerve symptoms, leg weakness, pain that lasts
// afterwards, and the red flags that need emergency care.
func TestStopIfSafety(t *testing.T) {
	for _, e := range exercises.V1.Exercises {
		all := strings.ToLower(strings.Join(e.StopIf, "\n"))
		for _, want := range []string{"numbness", "pins and needles", "weakness in a leg", "couple of hours", "saddle", "bladder or bowels", "emergency"} {
			if !strings.Contains(all, want) {
				t.Errorf("%s: stop_if does not mention %q", e.ID, want)
			}
		}
	}
}

// TestPlainBritishWords keeps the texts in the clinic's language and away
// from advice the clinic does not give.
func TestPlainBritishWords(t *testing.T) {
	banned := regexp.MustCompile(`(?i)\b(push(ing)? through (the )?pain|no pain,? no gain|work through|color|center|program|pajamas|mobilization|stabilization|behavior|favorite)\b`)
	for _, e := range exercises.V1.Exercises {
		texts := append([]string{e.Name, e.Purpose, e.Feel}, e.Steps...)
		texts = append(append(texts, e.StopIf...), e.Cautions...) // not Sources: titles are cited as published
		for _, s := range texts {
			if m := banned.FindString(s); m != "" {
				t.Errorf("%s: %q in %q", e.ID, m, s)
			}
		}
	}
}

func TestIllustrationsMatchExercises(t *testing.T) {
	files, err := os.ReadDir("svg")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]string{} // file -> exercise id
	for _, e := range exercises.V1.Exercises {
		if e.Illustration == "" {
			t.Errorf("%s has no illustration", e.ID)
			continue
		}
		if other, ok := used[e.Illustration]; ok {
			t.Errorf("%s and %s share %s", other, e.ID, e.Illustration)
		}
		used[e.Illustration] = e.ID
		b, ok := exercises.Illustration(e.Illustration)
		if !ok {
			t.Errorf("%s: Illustration(%q) not found", e.ID, e.Illustration)
			continue
		}
		if title := svgTitle(b); title != e.Name {
			t.Errorf("%s: drawing's title is %q, want the exercise name %q", e.ID, title, e.Name)
		}
	}
	for _, f := range files {
		if _, ok := used[f.Name()]; !ok {
			t.Errorf("svg/%s is not the illustration of any exercise", f.Name())
		}
	}
}

func TestIllustrationNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"bridge.svg", true},
		{"", false},
		{"bridge", false},
		{"bridge.SVG", false},
		{"nope.svg", false},
		{"svg/bridge.svg", false},
		{"../exercises.go", false},
		{"../svg/bridge.svg", false},
		{`..\bridge.svg`, false},
		{"/bridge.svg", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if b, ok := exercises.Illustration(tc.name); ok != tc.ok || ok != (len(b) > 0) {
				t.Errorf("Illustration(%q) = %d bytes, %v; want found %v", tc.name, len(b), ok, tc.ok)
			}
		})
	}
	a, _ := exercises.Illustration("bridge.svg")
	a[0] = 'X'
	if b, _ := exercises.Illustration("bridge.svg"); b[0] != '<' {
		t.Errorf("changing one caller's drawing changed the next caller's: %q", b[:10])
	}
}

// TestIllustrationsAreSafeSVG parses every drawing: well-formed XML, an
// accessible image (role, title), a viewBox, drawn in currentColor, small,
// and nothing that runs or fetches: no script, no event handlers, no links
// or references outside the file.
func TestIllustrationsAreSafeSVG(t *testing.T) {
	files, err := filepath.Glob("svg/*.svg")
	if err != nil || len(files) == 0 {
		t.Fatalf("no drawings: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(b) > 3*1024 {
				t.Errorf("%d bytes, want at most 3 KB", len(b))
			}
			if bytes.Contains(bytes.ToLower(b), []byte("<script")) {
				t.Error("contains <script")
			}
			for _, problem := range checkSVG(b) {
				t.Error(problem)
			}
		})
	}
}

// checkSVG returns what is wrong with the drawing b.
func checkSVG(b []byte) []string {
	var problems []string
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	depth, sawTitle := 0, false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return append(problems, "not well-formed XML: "+err.Error())
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			name := strings.ToLower(tok.Name.Local)
			switch {
			case depth == 1:
				problems = append(problems, checkRoot(tok)...)
			case depth == 2 && name == "title":
				sawTitle = true
			}
			switch name {
			case "script", "foreignobject", "image", "use", "a", "iframe", "style", "link":
				problems = append(problems, "element <"+tok.Name.Local+"> is not allowed in a drawing")
			}
			for _, a := range tok.Attr {
				attr, v := strings.ToLower(a.Name.Local), strings.ToLower(strings.TrimSpace(a.Value))
				switch {
				case strings.HasPrefix(attr, "on"):
					problems = append(problems, "event handler attribute "+a.Name.Local)
				case attr == "href" || attr == "src" || a.Name.Space != "" && a.Name.Space != "http://www.w3.org/2000/svg":
					problems = append(problems, "reference attribute "+a.Name.Space+":"+a.Name.Local+"="+a.Value)
				case strings.Contains(v, "url(") && !strings.Contains(v, "url(#"):
					problems = append(problems, "reference outside the file in "+a.Name.Local+"="+a.Value)
				case strings.Contains(v, "javascript:") || strings.Contains(v, "data:"):
					problems = append(problems, "scheme in "+a.Name.Local+"="+a.Value)
				}
			}
		case xml.EndElement:
			depth--
		case xml.ProcInst, xml.Directive:
			problems = append(problems, "processing instructions and DTDs are not allowed")
		}
	}
	if !sawTitle {
		problems = append(problems, "no <title> under <svg>")
	}
	return problems
}

func checkRoot(svg xml.StartElement) []string {
	var problems []string
	if svg.Name.Local != "svg" || svg.Name.Space != "http://www.w3.org/2000/svg" {
		problems = append(problems, "root element is not an SVG <svg>")
	}
	attr := map[string]string{}
	for _, a := range svg.Attr {
		attr[a.Name.Local] = a.Value
	}
	if f := strings.Fields(attr["viewBox"]); len(f) != 4 || !numbers(f) {
		problems = append(problems, "viewBox is not four numbers: "+attr["viewBox"])
	}
	if attr["role"] != "img" {
		problems = append(problems, `role is not "img"`)
	}
	if attr["stroke"] != "currentColor" {
		problems = append(problems, "stroke is not currentColor")
	}
	return problems
}

func numbers(f []string) bool {
	for _, s := range f {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return false
		}
	}
	return true
}

// svgTitle returns the text of the drawing's <title>.
func svgTitle(b []byte) string {
	var doc struct {
		Title string `xml:"title"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		return ""
	}
	return doc.Title
}
