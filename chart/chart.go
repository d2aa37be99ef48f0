// Package chart draws an outcome measure over time as a self-contained SVG
// line chart: the scores as points joined by a line, the plan's goal as a
// dashed line, and every change from the first score at least as large as
// the minimal clinically important difference ringed. It needs no
// JavaScript; a page shows the same numbers as a table for screen readers.
//
// Each element a reader (or a test) needs carries its data: the plot area
// gives its scale (data-min, data-max, data-t0, data-t1 and its pixel box),
// each point its value and date, the goal line its target, each ring its
// change. The package is pure.
package chart

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"time"

	"backdesk"
)

// Geometry of every chart, in SVG user units.
const (
	Width    = 480
	Height   = 270
	left     = 46
	right    = 14
	top      = 26
	bottom   = 36
	fontSize = 14
)

// Colours, set on the elements so that the file stands alone.
const (
	ink     = "#1d2a33"
	muted   = "#5a6b77"
	line    = "#0b6e6e"
	goalInk = "#8a4b00"
	ringInk = "#a11a1a"
	grid    = "#d5dde2"
)

// Scale maps scores and times to the plot area.
type Scale struct {
	Min, Max       float64   // the measure's scale
	T0, T1         time.Time // the times at the left and right edges
	X0, X1, Y0, Y1 float64   // the plot area: Y0 is the bottom (Min), Y1 the top (Max)
}

// X is the horizontal position of t.
func (s Scale) X(t time.Time) float64 {
	span := s.T1.Sub(s.T0).Seconds()
	if span <= 0 {
		return (s.X0 + s.X1) / 2
	}
	return s.X0 + (s.X1-s.X0)*t.Sub(s.T0).Seconds()/span
}

// Y is the vertical position of score v.
func (s Scale) Y(v float64) float64 {
	return s.Y0 - (s.Y0-s.Y1)*(v-s.Min)/(s.Max-s.Min)
}

// ScaleOf is the scale a series is drawn on: its measure's range, and the
// time from its first score to its last, with a margin either side of a
// twentieth of that time and at least half a day. (The goal is a line
// across the whole chart; its date is in its label.)
func ScaleOf(s backdesk.OutcomeSeries) Scale {
	sc := Scale{Min: s.Min, Max: s.Max, X0: left, X1: Width - right, Y0: Height - bottom, Y1: top}
	if len(s.Points) == 0 {
		return sc
	}
	t0, t1 := s.Points[0].At, s.Points[len(s.Points)-1].At
	margin := max(t1.Sub(t0)/20, 12*time.Hour)
	sc.T0, sc.T1 = t0.Add(-margin), t1.Add(margin)
	return sc
}

// SVG draws s, with dates in loc. id makes the element ids unique on a page
// that shows several charts.
func SVG(s backdesk.OutcomeSeries, loc *time.Location, id string) []byte {
	sc := ScaleOf(s)
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	title, desc := id+"-title", id+"-desc"
	w(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s %s" class="chart" data-measure="%s">`,
		Width, Height, title, desc, s.Measure)
	w(`<title id="%s">%s</title>`, title, esc(s.Label+" over time"))
	w(`<desc id="%s">%s</desc>`, desc, esc(describe(s)))
	w(`<g class="plot" data-min="%s" data-max="%s" data-t0="%s" data-t1="%s" data-x0="%s" data-x1="%s" data-y0="%s" data-y1="%s" font-family="system-ui, sans-serif" font-size="%d">`,
		num(sc.Min), num(sc.Max), sc.T0.UTC().Format(time.RFC3339), sc.T1.UTC().Format(time.RFC3339), num(sc.X0), num(sc.X1), num(sc.Y0), num(sc.Y1), fontSize)

	// Grid lines and the score axis.
	for _, v := range ticks(s.Min, s.Max) {
		y := sc.Y(v)
		w(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`, num(sc.X0), num(y), num(sc.X1), num(y), grid)
		w(`<text x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`, num(sc.X0-6), num(y+4), muted, esc(tickLabel(s.Measure, v)))
	}
	w(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`, num(sc.X0), num(sc.Y0), num(sc.X1), num(sc.Y0), ink)
	w(`<text x="%s" y="%s" fill="%s">%s</text>`, num(sc.X0), num(top-10), muted, esc(axisNote(s)))

	if len(s.Points) == 0 {
		w(`<text x="%d" y="%d" text-anchor="middle" fill="%s">No scores yet</text>`, Width/2, Height/2, muted)
	} else {
		// Dates along the bottom: the first and last score (and the goal's date).
		dates := []time.Time{s.Points[0].At}
		if last := s.Points[len(s.Points)-1]; last.Date != s.Points[0].Date {
			dates = append(dates, last.At)
		}
		for i, t := range dates {
			anchor := "start"
			if i > 0 {
				anchor = "end"
			}
			if len(dates) == 1 {
				anchor = "middle"
			}
			w(`<text x="%s" y="%s" text-anchor="%s" fill="%s">%s</text>`, num(sc.X(t)), num(sc.Y0+20), anchor, muted, esc(t.In(loc).Format("2 Jan 2006")))
		}
	}

	if g := s.Goal; g != nil && g.Target != nil {
		y := sc.Y(*g.Target)
		w(`<line class="goal" data-value="%s" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2" stroke-dasharray="6 4"/>`,
			num(*g.Target), num(sc.X0), num(y), num(sc.X1), num(y), goalInk)
		label := "Goal " + backdesk.FormatScore(s.Measure, *g.Target)
		if !g.By.IsZero() {
			label += " by " + g.By.Start(loc).Format("2 Jan 2006")
		}
		ly := y - 6
		if ly < top+12 {
			ly = y + 16
		}
		w(`<text class="goal-label" x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`, num(sc.X1), num(ly), goalInk, esc(label))
	}

	if len(s.Points) > 1 {
		w(`<polyline class="line" fill="none" stroke="%s" stroke-width="2.5" stroke-linejoin="round" points="`, line)
		for i, p := range s.Points {
			if i > 0 {
				b.WriteByte(' ')
			}
			w(`%s,%s`, num(sc.X(p.At)), num(sc.Y(p.Value)))
		}
		w(`"/>`)
	}
	for _, c := range s.Changes {
		w(`<circle class="mcid" data-date="%s" data-value="%s" data-change="%s" data-improved="%t" cx="%s" cy="%s" r="10" fill="none" stroke="%s" stroke-width="2"><title>%s</title></circle>`,
			c.Date, num(c.To), num(c.Change), c.Improved, num(sc.X(c.At)), num(sc.Y(c.To)), ringInk, esc(c.Words))
	}
	for _, p := range s.Points {
		w(`<circle class="point" data-date="%s" data-value="%s" data-source="%s" cx="%s" cy="%s" r="5" fill="%s"><title>%s</title></circle>`,
			p.Date, num(p.Value), p.Source, num(sc.X(p.At)), num(sc.Y(p.Value)), line,
			esc(fmt.Sprintf("%s: %s (%s)", p.Date.Words(), backdesk.FormatScore(s.Measure, p.Value), p.Source.Label())))
	}
	w(`</g></svg>`)
	return b.Bytes()
}

// describe is the chart's text alternative in one sentence.
func describe(s backdesk.OutcomeSeries) string {
	if len(s.Points) == 0 {
		return "No scores yet."
	}
	first, last := s.Points[0], s.Points[len(s.Points)-1]
	d := fmt.Sprintf("%d scores from %s (%s) to %s (%s).", len(s.Points), first.Date.Words(), backdesk.FormatScore(s.Measure, first.Value),
		last.Date.Words(), backdesk.FormatScore(s.Measure, last.Value))
	if s.Goal != nil && s.Goal.Target != nil {
		d += " Goal: " + backdesk.FormatScore(s.Measure, *s.Goal.Target) + "."
	}
	if n := len(s.Changes); n > 0 {
		d += fmt.Sprintf(" %d important change(s) from the first score are ringed.", n)
	}
	return d
}

func axisNote(s backdesk.OutcomeSeries) string {
	if s.LowerIsBetter {
		return "Lower is better"
	}
	return "Higher is better"
}

// ticks are the scale's gridlines: five steps from Min to Max.
func ticks(lo, hi float64) []float64 {
	out := make([]float64, 0, 6)
	for i := range 6 {
		out = append(out, lo+(hi-lo)*float64(i)/5)
	}
	return out
}

func tickLabel(m backdesk.OutcomeMeasure, v float64) string {
	if m == backdesk.MeasureODI {
		return strconv.Itoa(int(math.Round(v))) + "%"
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// num writes a coordinate to two decimals, without trailing zeros.
func num(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
