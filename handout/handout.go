// Package handout writes a patient's home programme as a printable A4 PDF:
// each exercise with this patient's dose, what it is for, its numbered
// steps, its drawing, what to feel and when to stop. The drawings are the
// library's own SVG files, drawn as vector lines (draw.go), so the handout
// prints as sharply as the page. It is pure: it writes to the writer it is
// given and reads nothing but the embedded drawings.
package handout

import (
	"fmt"
	"io"
	"strings"

	"backdesk"
	"backdesk/exercises"
	"backdesk/pdffont"

	"github.com/go-pdf/fpdf"
)

// Handout is what the PDF shows.
type Handout struct {
	ClinicName   string
	ClinicPhone  string
	PatientName  string
	Practitioner string // who wrote the version
	Version      *backdesk.CarePlanVersion
	// Date is when it was printed, in words ("24 November 2026").
	Date string
}

// font is the handout's typeface: DejaVu Sans, so that a name or a note in
// any script prints as written (the PDF core fonts reach only Windows-1252,
// and printed "Łukasz" as ".ukasz").
const font = pdffont.Family

// Page geometry, in millimetres.
const (
	margin   = 15
	pageW    = 210
	textW    = pageW - 2*margin
	drawW    = 60
	drawH    = 40
	lineH    = 5
	headingH = 7
)

// Write writes the handout as a PDF to w.
func Write(w io.Writer, h Handout) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin+5)
	pdffont.Add(pdf)
	t := pdffont.Text
	pdf.SetTitle("Home exercises for "+h.PatientName, true)
	pdf.SetAuthor(h.ClinicName, true)
	pdf.SetCreator("backdesk", false)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-margin)
		pdf.SetFont(font, "", 8)
		pdf.SetTextColor(90, 107, 119)
		pdf.CellFormat(0, 4, t(fmt.Sprintf("%s · %s · page %d of {nb}", h.ClinicName, h.PatientName, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()

	pdf.SetFont(font, "B", 18)
	pdf.SetTextColor(29, 42, 51)
	pdf.MultiCell(textW, 8, t("Your home exercises"), "", "L", false)
	pdf.SetFont(font, "", 10)
	pdf.SetTextColor(90, 107, 119)
	sub := fmt.Sprintf("For %s, from %s. Plan version %d", h.PatientName, h.ClinicName, h.Version.Version)
	if h.Practitioner != "" {
		sub += " by " + h.Practitioner
	}
	sub += ", printed " + h.Date + "."
	pdf.MultiCell(textW, lineH, t(sub), "", "L", false)
	pdf.Ln(2)
	pdf.SetTextColor(29, 42, 51)
	para(pdf, t, "Do each exercise as your dose below says. Move gently and within comfort; mild stretching or working "+
		"muscles is expected. Stop, and tell your practitioner, if anything on an exercise's \"Stop if\" list happens.")
	if h.ClinicPhone != "" {
		para(pdf, t, "Questions about your exercises: call "+h.ClinicPhone+".")
	}

	for i, pe := range h.Version.Exercises {
		e := pe.Exercise
		if e == nil {
			e = &backdesk.Exercise{ID: pe.ExerciseID, Name: pe.ExerciseID}
		}
		// Keep an exercise's heading with its drawing.
		if pdf.GetY() > 297-margin-5-drawH-20 {
			pdf.AddPage()
		}
		pdf.Ln(3)
		pdf.SetDrawColor(213, 221, 226)
		pdf.Line(margin, pdf.GetY(), pageW-margin, pdf.GetY())
		pdf.Ln(2)
		pdf.SetFont(font, "B", 13)
		pdf.MultiCell(textW, headingH, t(fmt.Sprintf("%d. %s", i+1, e.Name)), "", "L", false)
		pdf.SetFont(font, "B", 11)
		pdf.SetTextColor(8, 79, 79)
		pdf.MultiCell(textW, 6, t("Your dose: "+pe.Dosage.String()), "", "L", false)
		pdf.SetTextColor(29, 42, 51)
		if pe.Note != "" {
			pdf.SetFont(font, "", 10)
			pdf.MultiCell(textW, lineH, t("From your practitioner: "+pe.Note), "", "L", false)
		}
		top := pdf.GetY() + 1
		if svg, ok := exercises.Illustration(e.Illustration); ok {
			if err := drawSVG(pdf, svg, pageW-margin-drawW, top, drawW, drawH); err != nil {
				return fmt.Errorf("drawing %s: %w", e.Illustration, err)
			}
		}
		pdf.SetY(top)
		narrow := float64(textW - drawW - 4)
		pdf.SetFont(font, "", 10)
		pdf.MultiCell(narrow, lineH, t(e.Purpose), "", "L", false)
		pdf.Ln(1)
		for n, step := range e.Steps {
			pdf.MultiCell(narrow, lineH, t(fmt.Sprintf("%d. %s", n+1, step)), "", "L", false)
		}
		if y := top + drawH + 2; pdf.GetY() < y {
			pdf.SetY(y)
		}
		if e.Feel != "" {
			labelled(pdf, t, "What you should feel: ", e.Feel)
		}
		if len(e.StopIf) > 0 {
			pdf.SetFont(font, "B", 10)
			pdf.MultiCell(textW, lineH, t("Stop if:"), "", "L", false)
			pdf.SetFont(font, "", 9)
			for _, s := range e.StopIf {
				pdf.MultiCell(textW, 4.5, t("- "+s), "", "L", false)
			}
		}
		if len(e.Cautions) > 0 {
			labelled(pdf, t, "Take care: ", strings.Join(e.Cautions, " "))
		}
	}
	if len(h.Version.Exercises) == 0 {
		para(pdf, t, "Your plan has no home exercises yet.")
	}
	return pdf.Output(w)
}

func para(pdf *fpdf.Fpdf, t func(string) string, s string) {
	pdf.SetFont(font, "", 10)
	pdf.MultiCell(textW, lineH, t(s), "", "L", false)
	pdf.Ln(1)
}

func labelled(pdf *fpdf.Fpdf, t func(string) string, label, s string) {
	pdf.Ln(1)
	pdf.SetFont(font, "B", 10)
	pdf.Write(lineH, t(label))
	pdf.SetFont(font, "", 10)
	pdf.Write(lineH, t(s))
	pdf.Ln(lineH)
}
