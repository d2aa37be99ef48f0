// Package pdffont is the typeface backdesk's PDFs are set in: DejaVu Sans,
// regular and bold, embedded as TrueType subsets, so that every character
// of a name (Siobhán, Łukasz, Nguyễn, Ольга) is printed as written and
// extracted as written by a PDF reader; nothing is transliterated. The
// referral letter and the exercise handout both use it.
package pdffont

import (
	_ "embed"
	"strings"

	"github.com/go-pdf/fpdf"
)

//go:embed fonts/DejaVuSans.ttf
var regular []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var bold []byte

// Family is the font family name to pass to SetFont, with style "" or "B".
const Family = "DejaVuSans"

// Add registers the family's regular and bold faces with p.
func Add(p *fpdf.Fpdf) {
	p.AddUTF8FontFromBytes(Family, "", regular)
	p.AddUTF8FontFromBytes(Family, "B", bold)
}

// Text returns s as fpdf can set it: fpdf's TrueType fonts reach only the
// Basic Multilingual Plane, and a character beyond it (an emoji in a name
// or a note, a rare CJK ideograph) makes the whole document fail. Each such
// character, and the two noncharacters at the plane's end, prints as the
// replacement character �, so the rest of the text still prints.
func Text(s string) string {
	if !strings.ContainsFunc(s, unsettable) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unsettable(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

func unsettable(r rune) bool { return r > '\uFFFD' }
