package chart_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"backdesk"
	"backdesk/chart"
	"backdesk/progress"
)

// element is one SVG element with its attributes.
type element struct {
	name  string
	attrs map[string]string
}

// parse reads an SVG as XML (failing on anything not well-formed) and
// returns its elements in document order.
func parse(t *testing.T, svg []byte) []element {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var out []element
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			depth++
			e := element{name: x.Name.Local, attrs: map[string]string{}}
			for _, a := range x.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 || len(out) == 0 || out[0].name != "svg" || out[0].attrs["xmlns"] != "http://www.w3.org/2000/svg" && !strings.Contains(string(svg), `xmlns="http://www.w3.org/2000/svg"`) {
		t.Fatalf("not one svg element: %s", svg)
	}
	return out
}

func f(t *testing.T, e element, k string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(e.attrs[k], 64)
	if err != nil {
		t.Fatalf("%s %s=%q: %v", e.name, k, e.attrs[k], err)
	}
	return v
}

// TestSVG: the chart is well-formed SVG whose points sit where the scale
// puts each score, whose goal line is at the target and whose rings are
// exactly the important changes from the first score.
func TestSVG(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/London")
	day := func(d int, v float64) *backdesk.Outcome {
		return &backdesk.Outcome{Measure: backdesk.MeasureODI, Value: v, Source: backdesk.SourceClinic,
			RecordedAt: time.Date(2026, 3, d, 10, 0, 0, 0, time.UTC)}
	}
	target := 20.0
	goal := &backdesk.Goal{Text: "Oswestry under 20", Measure: backdesk.MeasureODI, Target: &target, By: backdesk.Date{Year: 2026, Month: 5, Day: 1}}
	outcomes := []*backdesk.Outcome{day(2, 48), day(9, 40), day(16, 36), day(23, 30), day(30, 52)}
	s := progress.Series(backdesk.MeasureODI, outcomes, goal, loc)
	svg := chart.SVG(s, loc, "odi")
	els := parse(t, svg)

	var plot element
	var points, rings, goals []element
	for _, e := range els {
		switch {
		case e.attrs["class"] == "plot":
			plot = e
		case e.attrs["class"] == "point":
			points = append(points, e)
		case e.attrs["class"] == "mcid":
			rings = append(rings, e)
		case e.attrs["class"] == "goal":
			goals = append(goals, e)
		}
	}
	lo, hi, y0, y1 := f(t, plot, "data-min"), f(t, plot, "data-max"), f(t, plot, "data-y0"), f(t, plot, "data-y1")
	yOf := func(v float64) float64 { return y0 - (y0-y1)*(v-lo)/(hi-lo) }
	near := func(a, b float64) bool { return math.Abs(a-b) < 0.02 }
	if lo != 0 || hi != 100 {
		t.Errorf("scale %v–%v, want Oswestry's 0–100", lo, hi)
	}
	if len(points) != len(outcomes) {
		t.Fatalf("%d points, want %d", len(points), len(outcomes))
	}
	prevX := -1.0
	for i, p := range points {
		want := outcomes[i].Value
		if v := f(t, p, "data-value"); v != want || !near(f(t, p, "cy"), yOf(want)) {
			t.Errorf("point %d: value %v at y %v, want %v at %v", i, v, f(t, p, "cy"), want, yOf(want))
		}
		if x := f(t, p, "cx"); x <= prevX {
			t.Errorf("point %d is not right of the one before", i)
		} else {
			prevX = x
		}
	}
	if len(goals) != 1 || f(t, goals[0], "data-value") != 20 || !near(f(t, goals[0], "y1"), yOf(20)) || !near(f(t, goals[0], "y2"), yOf(20)) {
		t.Errorf("goal line = %+v, want one at 20", goals)
	}
	// 48 → 36 (−12), 30 (−18) and 52 (+4, no): two rings, on the points.
	if len(rings) != 2 {
		t.Fatalf("%d rings, want 2", len(rings))
	}
	for i, want := range []struct {
		date  string
		value float64
	}{{"2026-03-16", 36}, {"2026-03-23", 30}} {
		r := rings[i]
		if r.attrs["data-date"] != want.date || f(t, r, "data-value") != want.value || !near(f(t, r, "cy"), yOf(want.value)) {
			t.Errorf("ring %d = %v, want %v", i, r.attrs, want)
		}
	}
	if !bytes.Contains(svg, []byte("<title")) || bytes.Contains(svg, []byte("<script")) {
		t.Error("the chart lacks a title, or has a script")
	}
}

// TestSVGEmptyAndSingle: no scores, and one score, still draw valid SVG.
func TestSVGEmptyAndSingle(t *testing.T) {
	loc := time.UTC
	for _, outcomes := range [][]*backdesk.Outcome{nil, {{Measure: backdesk.MeasurePain, Value: 5, RecordedAt: time.Now()}}} {
		s := progress.Series(backdesk.MeasurePain, outcomes, nil, loc)
		parse(t, chart.SVG(s, loc, "pain"))
	}
}
