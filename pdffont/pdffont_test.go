package pdffont_test

import (
	"bytes"
	"testing"

	"backdesk/pdffont"

	"github.com/go-pdf/fpdf"
)

// TestText: any text that arrives through the checks of web/input.go (so
// any valid UTF-8 without control characters) sets without error once
// passed through Text, in both faces; without it an emoji fails the page.
func TestText(t *testing.T) {
	for _, s := range []string{"Siobhán Ó Briain", "Łukasz 😀 Nowak", "王小明 𠀋", "\uFFFE\uFFFF\uFFFD", "\U0010FFFF", "plain"} {
		for _, style := range []string{"", "B"} {
			p := fpdf.New("P", "mm", "A4", "")
			pdffont.Add(p)
			p.AddPage()
			p.SetFont(pdffont.Family, style, 10)
			p.MultiCell(100, 5, pdffont.Text(s), "", "L", false)
			p.CellFormat(100, 5, pdffont.Text(s), "", 1, "L", false, 0, "")
			p.Write(5, pdffont.Text(s))
			var b bytes.Buffer
			if err := p.Output(&b); err != nil {
				t.Errorf("%q (style %q): %v", s, style, err)
			}
		}
	}
	if got := pdffont.Text("Łukasz 😀"); got != "Łukasz \uFFFD" {
		t.Errorf("Text = %q", got)
	}
}
