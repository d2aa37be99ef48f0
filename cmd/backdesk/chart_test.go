package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// svgElement is one element of a parsed SVG with its attributes.
type svgElement struct {
	name  string
	attrs map[string]string
}

func (e svgElement) num(t *testing.T, k string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(e.attrs[k], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", e.name, k, e.attrs[k], err)
	}
	return v
}

// parseSVG reads a chart as XML, failing the test on anything that is not
// well-formed, and returns its elements by class.
func parseSVG(t *testing.T, svg string) map[string][]svgElement {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	out := map[string][]svgElement{}
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the chart is not well-formed XML: %v\n%s", err, svg)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if x.Name.Local != "svg" || x.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("the root is <%s> in %q, not an SVG", x.Name.Local, x.Name.Space)
				}
			}
			depth++
			e := svgElement{name: x.Name.Local, attrs: map[string]string{}}
			for _, a := range x.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out[e.attrs["class"]] = append(out[e.attrs["class"]], e)
			if x.Name.Local == "script" || x.Name.Local == "foreignObject" {
				t.Errorf("the chart has a <%s>", x.Name.Local)
			}
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 || depth != 0 {
		t.Fatalf("%d root elements", roots)
	}
	return out
}

// TestChartsMatchTheScores: each measure's chart, as a file and inline on
// the page, is well-formed SVG whose points are the stored scores (the
// self-assessment's among them) where the scale puts them, whose goal line
// is the plan's target, and whose rings are exactly the scores that differ
// from the first by at least the minimal clinically important difference
// (pain 2, Oswestry 10, PSFS 2; none for STarT Back).
func TestChartsMatchTheScores(t *testing.T) {
	app := demoApp(t)
	f := newPlanFixture(t, app)
	sb := `{"leg_pain":true,"shoulder_neck_pain":false,"walk_short_distances":true,"dressed_slowly":false,"not_safe_active":true,"worrying_thoughts":true,"terrible_never_better":false,"not_enjoyed":false,"bothersome":"moderately"}`
	post := func(c *Client, body string) {
		t.Helper()
		if status, resp := c.PostJSON("/api/v1/patients/"+f.patientID+"/outcomes", body); status != 201 {
			t.Fatalf("record %s = %d %s", body, status, resp)
		}
	}
	// A self-assessment first: its pain (6), Oswestry and STarT Back join the series.
	if status, body := f.sam.PostJSON("/api/v1/assessments", `{"answers":{"age":40,"duration_weeks":6,"episode":"first","pain_now":6,
		"odi":[3,3,2,3,3,2,2,2,null,3],"startback":`+sb+`}}`); status != 201 {
		t.Fatalf("assessment = %d %s", status, body)
	}
	post(f.amira, `{"pain_now":8,"psfs":[{"activity":"Sitting through a film","score":3},{"activity":"Lifting my son","score":4}]}`)
	post(f.sam, `{"pain_now":5,"odi":[2,2,2,2,2,2,2,2,2,2]}`)
	post(f.sam, `{"pain_now":7,"psfs":[{"activity":"Sitting through a film","score":6},{"activity":"Lifting my son","score":5}]}`)
	post(f.amira, `{"pain_now":4,"odi":[1,1,1,1,1,1,1,2,1,1],"startback":`+strings.Replace(sb, `"leg_pain":true`, `"leg_pain":false`, 1)+`}`)
	// Out of range: refused, nothing stored.
	for _, bad := range []string{`{"pain_now":11}`, `{"pain_now":5,"odi":[1,1,1,1,1,1,1,6,1,1]}`, `{"psfs":[{"activity":"Walking","score":12}]}`, `{}`} {
		if status, body := f.sam.PostJSON("/api/v1/patients/"+f.patientID+"/outcomes", bad); status != 400 {
			t.Errorf("record %s = %d %s, want 400", bad, status, body)
		}
	}

	_, body := f.sam.Get("/api/v1/patients/" + f.patientID + "/outcomes")
	var h struct {
		Outcomes []struct {
			Measure    string    `json:"measure"`
			Value      float64   `json:"value"`
			Source     string    `json:"source"`
			RecordedAt time.Time `json:"recorded_at"`
		}
	}
	decode(t, body, &h)
	if len(h.Outcomes) != 12 {
		t.Fatalf("%d scores stored, want 12: %s", len(h.Outcomes), body)
	}
	_, plan := f.sam.Get("/api/v1/care-plans/" + f.planID)
	var p planJSON
	decode(t, plan, &p)
	goals := map[string]float64{}
	for _, g := range p.Current.Goals {
		if g.Target != nil {
			goals[g.Measure] = *g.Target
		}
	}
	mcid := map[string]float64{"pain": 2, "odi": 10, "psfs": 2}
	_, page := f.sam.Get("/patients/" + f.patientID + "/outcomes")

	for _, m := range []string{"pain", "odi", "psfs", "startback"} {
		t.Run(m, func(t *testing.T) {
			var want []float64
			sort.SliceStable(h.Outcomes, func(i, j int) bool { return h.Outcomes[i].RecordedAt.Before(h.Outcomes[j].RecordedAt) })
			for _, o := range h.Outcomes {
				if o.Measure == m {
					want = append(want, o.Value)
				}
			}
			status, svg, hdr := f.sam.Do("GET", "/patients/"+f.patientID+"/charts/"+m+".svg", "", "")
			if status != 200 || hdr.Get("Content-Type") != "image/svg+xml" {
				t.Fatalf("chart = %d %q", status, hdr.Get("Content-Type"))
			}
			i := strings.Index(page, `<svg xmlns="http://www.w3.org/2000/svg"`+` viewBox`)
			inline := ""
			for rest := page; i >= 0; {
				end := strings.Index(rest[i:], "</svg>")
				candidate := rest[i : i+end+len("</svg>")]
				if strings.Contains(candidate, `data-measure="`+m+`"`) {
					inline = candidate
					break
				}
				rest = rest[i+end:]
				i = strings.Index(rest, `<svg xmlns="http://www.w3.org/2000/svg"`)
			}
			if inline == "" {
				t.Fatalf("the outcomes page has no %s chart", m)
			}
			for name, doc := range map[string]string{"file": svg, "inline": inline} {
				els := parseSVG(t, doc)
				plot := els["plot"][0]
				lo, hi, y0, y1 := plot.num(t, "data-min"), plot.num(t, "data-max"), plot.num(t, "data-y0"), plot.num(t, "data-y1")
				y := func(v float64) float64 { return y0 - (y0-y1)*(v-lo)/(hi-lo) }
				near := func(a, b float64) bool { return math.Abs(a-b) < 0.011 }
				points := els["point"]
				if len(points) != len(want) {
					t.Fatalf("%s: %d points, %d scores stored", name, len(points), len(want))
				}
				for k, pt := range points {
					if v := pt.num(t, "data-value"); !near(v, want[k]) || !near(pt.num(t, "cy"), y(want[k])) {
						t.Errorf("%s: point %d is %v at y=%v; the score is %v, at y=%v", name, k, v, pt.num(t, "cy"), want[k], y(want[k]))
					}
					if k > 0 && pt.num(t, "cx") < points[k-1].num(t, "cx") {
						t.Errorf("%s: point %d is left of the one before", name, k)
					}
				}
				if target, ok := goals[m]; ok {
					g := els["goal"]
					if len(g) != 1 || !near(g[0].num(t, "data-value"), target) || !near(g[0].num(t, "y1"), y(target)) || !near(g[0].num(t, "y2"), y(target)) {
						t.Errorf("%s: goal line %+v, want one at %v", name, g, target)
					}
				} else if len(els["goal"]) != 0 {
					t.Errorf("%s: a goal line where the plan has no goal", name)
				}
				var ringed []float64
				for k := 1; k < len(want); k++ {
					if mcid[m] > 0 && math.Abs(want[k]-want[0]) >= mcid[m] {
						ringed = append(ringed, want[k])
					}
				}
				rings := els["mcid"]
				if len(rings) != len(ringed) {
					t.Fatalf("%s: %d rings, want %d (scores %v)", name, len(rings), len(ringed), want)
				}
				for k, r := range rings {
					if !near(r.num(t, "data-value"), ringed[k]) || !near(r.num(t, "cy"), y(ringed[k])) || !near(r.num(t, "data-change"), ringed[k]-want[0]) {
						t.Errorf("%s: ring %d = %v, want the score %v", name, k, r.attrs, ringed[k])
					}
				}
			}
			// The text alternative: a table with the same scores.
			if !strings.Contains(page, `id="table-`+m+`"`) {
				t.Errorf("no table of the %s scores", m)
			}
			if m != "startback" && !bytes.Contains([]byte(page), []byte("Ostelo RWJG")) {
				t.Error("the page does not cite the source of the smallest important change")
			}
		})
	}
	if !strings.Contains(page, "Stratford P, Gill C, Westaway M, Binkley J") {
		t.Error("the page does not cite the PSFS source")
	}
	// Another patient sees none of it.
	other := app.RegisterPatient(t, "chart.other@example.org", "Chart Other")
	for _, path := range []string{"/patients/" + f.patientID + "/charts/pain.svg", "/api/v1/patients/" + f.patientID + "/outcomes", "/patients/" + f.patientID + "/outcomes"} {
		if status, _ := other.Get(path); status != 404 {
			t.Errorf("GET %s as another patient = %d, want 404", path, status)
		}
	}
}
