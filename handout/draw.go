package handout

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"
)

// drawSVG draws one of the library's drawings into the box (x, y, w, h),
// keeping its proportions. It reads the subset of SVG the drawings use:
// path (M, L, H, V, Q, C, A and Z, absolute or relative), circle, ellipse,
// line and rect (rounded or not), in groups that set stroke-width, opacity
// and stroke-dasharray. Everything is stroked in the text colour; fills
// are none, as in the drawings.
func drawSVG(pdf *fpdf.Fpdf, svg []byte, x, y, w, h float64) error {
	dec := xml.NewDecoder(bytes.NewReader(svg))
	type style struct {
		width, opacity float64
		dash           []float64
	}
	stack := []style{{width: 1, opacity: 1}}
	var m mapping
	pdf.SetDrawColor(29, 42, 51)
	pdf.SetLineCapStyle("round")
	pdf.SetLineJoinStyle("round")
	defer func() {
		pdf.SetAlpha(1, "Normal")
		pdf.SetDashPattern(nil, 0)
		pdf.SetLineWidth(0.2)
		pdf.SetLineCapStyle("butt")
		pdf.SetLineJoinStyle("miter")
	}()
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		switch el := tok.(type) {
		case xml.EndElement:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case xml.StartElement:
			attrs := map[string]string{}
			for _, a := range el.Attr {
				attrs[a.Name.Local] = a.Value
			}
			st := stack[len(stack)-1]
			if v, ok := num(attrs["stroke-width"]); ok {
				st.width = v
			}
			if v, ok := num(attrs["opacity"]); ok {
				st.opacity *= v
			}
			if d, ok := attrs["stroke-dasharray"]; ok {
				st.dash = nums(d)
			}
			stack = append(stack, st)
			if el.Name.Local == "svg" {
				vb := nums(attrs["viewBox"])
				if len(vb) != 4 || vb[2] <= 0 || vb[3] <= 0 {
					return fmt.Errorf("no viewBox")
				}
				s := math.Min(w/vb[2], h/vb[3])
				m = mapping{ox: x + (w-vb[2]*s)/2 - vb[0]*s, oy: y + (h-vb[3]*s)/2 - vb[1]*s, s: s}
				continue
			}
			pdf.SetLineWidth(st.width * m.s)
			pdf.SetAlpha(st.opacity, "Normal")
			dash := make([]float64, len(st.dash))
			for i, d := range st.dash {
				dash[i] = d * m.s
			}
			pdf.SetDashPattern(dash, 0)
			f := func(k string) float64 { v, _ := num(attrs[k]); return v }
			switch el.Name.Local {
			case "path":
				if err := drawPath(pdf, m, attrs["d"]); err != nil {
					return err
				}
			case "circle":
				pdf.Circle(m.x(f("cx")), m.y(f("cy")), f("r")*m.s, "D")
			case "ellipse":
				pdf.Ellipse(m.x(f("cx")), m.y(f("cy")), f("rx")*m.s, f("ry")*m.s, 0, "D")
			case "line":
				pdf.Line(m.x(f("x1")), m.y(f("y1")), m.x(f("x2")), m.y(f("y2")))
			case "rect":
				if r := f("rx"); r > 0 {
					pdf.RoundedRect(m.x(f("x")), m.y(f("y")), f("width")*m.s, f("height")*m.s, r*m.s, "1234", "D")
				} else {
					pdf.Rect(m.x(f("x")), m.y(f("y")), f("width")*m.s, f("height")*m.s, "D")
				}
			}
		}
	}
}

// mapping takes SVG user units to the page.
type mapping struct{ ox, oy, s float64 }

func (m mapping) x(v float64) float64 { return m.ox + v*m.s }
func (m mapping) y(v float64) float64 { return m.oy + v*m.s }

func num(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v, err == nil
}

// nums reads the numbers of a list ("19 22.8 190 118.8", "5,4").
func nums(s string) []float64 {
	var out []float64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }) {
		if v, ok := num(f); ok {
			out = append(out, v)
		}
	}
	return out
}

// pathTokens splits path data into commands and numbers: "M21 135H207",
// "M-1.5.5" and "1e-3" included.
func pathTokens(d string) []string {
	var out []string
	i := 0
	for i < len(d) {
		c := rune(d[i])
		switch {
		case c == ' ' || c == ',' || c == '\n' || c == '\t' || c == '\r':
			i++
		case unicode.IsLetter(c) && c != 'e' && c != 'E':
			out = append(out, string(c))
			i++
		default:
			j := i
			if d[j] == '-' || d[j] == '+' {
				j++
			}
			dot := false
			for j < len(d) {
				ch := d[j]
				switch {
				case ch >= '0' && ch <= '9':
				case ch == '.' && !dot:
					dot = true
				case (ch == 'e' || ch == 'E') && j+1 < len(d):
					j++
					if d[j] == '-' || d[j] == '+' {
						j++
					}
					continue
				default:
					goto end
				}
				j++
			}
		end:
			if j == i {
				j++ // a stray character: skip it
			} else {
				out = append(out, d[i:j])
			}
			i = j
		}
	}
	return out
}

// drawPath strokes one path.
func drawPath(pdf *fpdf.Fpdf, m mapping, d string) error {
	toks := pathTokens(d)
	var cx, cy, sx, sy float64 // current point, subpath start
	cmd := ""
	i := 0
	next := func(n int) ([]float64, error) {
		if i+n > len(toks) {
			return nil, fmt.Errorf("path %q ends early", d)
		}
		out := make([]float64, n)
		for k := range n {
			v, ok := num(toks[i+k])
			if !ok {
				return nil, fmt.Errorf("path %q: %q is not a number", d, toks[i+k])
			}
			out[k] = v
		}
		i += n
		return out, nil
	}
	started := false
	for i < len(toks) {
		if t := toks[i]; len(t) == 1 && unicode.IsLetter(rune(t[0])) {
			cmd = t
			i++
			if cmd == "Z" || cmd == "z" {
				pdf.ClosePath()
				cx, cy = sx, sy
				continue
			}
		}
		rel := cmd != "" && unicode.IsLower(rune(cmd[0]))
		ax, ay := 0.0, 0.0
		if rel {
			ax, ay = cx, cy
		}
		switch strings.ToUpper(cmd) {
		case "M":
			p, err := next(2)
			if err != nil {
				return err
			}
			cx, cy = ax+p[0], ay+p[1]
			sx, sy = cx, cy
			pdf.MoveTo(m.x(cx), m.y(cy))
			started = true
			if rel {
				cmd = "l"
			} else {
				cmd = "L"
			}
		case "L":
			p, err := next(2)
			if err != nil {
				return err
			}
			cx, cy = ax+p[0], ay+p[1]
			pdf.LineTo(m.x(cx), m.y(cy))
		case "H":
			p, err := next(1)
			if err != nil {
				return err
			}
			cx = ax + p[0]
			pdf.LineTo(m.x(cx), m.y(cy))
		case "V":
			p, err := next(1)
			if err != nil {
				return err
			}
			cy = ay + p[0]
			pdf.LineTo(m.x(cx), m.y(cy))
		case "Q":
			p, err := next(4)
			if err != nil {
				return err
			}
			qx, qy, ex, ey := ax+p[0], ay+p[1], ax+p[2], ay+p[3]
			// The cubic Bézier that is this quadratic one.
			c1x, c1y := cx+2.0/3*(qx-cx), cy+2.0/3*(qy-cy)
			c2x, c2y := ex+2.0/3*(qx-ex), ey+2.0/3*(qy-ey)
			pdf.CurveBezierCubicTo(m.x(c1x), m.y(c1y), m.x(c2x), m.y(c2y), m.x(ex), m.y(ey))
			cx, cy = ex, ey
		case "C":
			p, err := next(6)
			if err != nil {
				return err
			}
			pdf.CurveBezierCubicTo(m.x(ax+p[0]), m.y(ay+p[1]), m.x(ax+p[2]), m.y(ay+p[3]), m.x(ax+p[4]), m.y(ay+p[5]))
			cx, cy = ax+p[4], ay+p[5]
		case "A":
			p, err := next(7)
			if err != nil {
				return err
			}
			ex, ey := ax+p[5], ay+p[6]
			for _, pt := range arcPoints(cx, cy, p[0], p[1], p[2], p[3] != 0, p[4] != 0, ex, ey) {
				pdf.LineTo(m.x(pt[0]), m.y(pt[1]))
			}
			cx, cy = ex, ey
		default:
			return fmt.Errorf("path %q: command %q is not supported", d, cmd)
		}
	}
	if started {
		pdf.DrawPath("D")
	}
	return nil
}

// arcPoints follows an SVG elliptical arc from (x1, y1) to (x2, y2) as
// points along it (the endpoint-to-centre conversion of SVG 1.1, F.6.5).
func arcPoints(x1, y1, rx, ry, phiDeg float64, large, sweep bool, x2, y2 float64) [][2]float64 {
	if rx == 0 || ry == 0 {
		return [][2]float64{{x2, y2}}
	}
	rx, ry = math.Abs(rx), math.Abs(ry)
	phi := phiDeg * math.Pi / 180
	cos, sin := math.Cos(phi), math.Sin(phi)
	dx, dy := (x1-x2)/2, (y1-y2)/2
	x1p, y1p := cos*dx+sin*dy, -sin*dx+cos*dy
	if l := x1p*x1p/(rx*rx) + y1p*y1p/(ry*ry); l > 1 {
		rx, ry = rx*math.Sqrt(l), ry*math.Sqrt(l)
	}
	num := rx*rx*ry*ry - rx*rx*y1p*y1p - ry*ry*x1p*x1p
	den := rx*rx*y1p*y1p + ry*ry*x1p*x1p
	k := 0.0
	if den != 0 && num > 0 {
		k = math.Sqrt(num / den)
	}
	if large == sweep {
		k = -k
	}
	cxp, cyp := k*rx*y1p/ry, -k*ry*x1p/rx
	cx, cy := cos*cxp-sin*cyp+(x1+x2)/2, sin*cxp+cos*cyp+(y1+y2)/2
	angle := func(ux, uy, vx, vy float64) float64 {
		a := math.Atan2(ux*vy-uy*vx, ux*vx+uy*vy)
		return a
	}
	t1 := angle(1, 0, (x1p-cxp)/rx, (y1p-cyp)/ry)
	dt := angle((x1p-cxp)/rx, (y1p-cyp)/ry, (-x1p-cxp)/rx, (-y1p-cyp)/ry)
	if !sweep && dt > 0 {
		dt -= 2 * math.Pi
	} else if sweep && dt < 0 {
		dt += 2 * math.Pi
	}
	const steps = 24
	out := make([][2]float64, 0, steps)
	for s := 1; s <= steps; s++ {
		t := t1 + dt*float64(s)/steps
		ex, ey := rx*math.Cos(t), ry*math.Sin(t)
		out = append(out, [2]float64{cos*ex - sin*ey + cx, sin*ex + cos*ey + cy})
	}
	out[len(out)-1] = [2]float64{x2, y2}
	return out
}
