// Package letter writes the referral letter to a doctor: its words once
// (Compose), set as a printable page by web and as a PDF here. It is pure:
// no I/O, no clock; the fonts are embedded.
//
// The PDF is set in DejaVu Sans (pdffont), so every character of a name
// (Siobhán, Łukasz, Nguyễn) is printed as written and extracted as written
// by a PDF reader: nothing is transliterated.
package letter

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"backdesk"
	"backdesk/pdffont"

	"github.com/go-pdf/fpdf"
)

// Document is the letter as words, in reading order.
type Document struct {
	// Letterhead is the clinic's name, then its address and contacts.
	Letterhead []string
	Date       string
	// To is the recipient: their name, then their address lines.
	To       []string
	Subject  string
	Greeting string
	Opening  string
	// SameDay is the plain statement that the patient was told to seek
	// care the same day; empty unless the referral is urgent and has red
	// flags.
	SameDay  string
	Sections []Section
	// Closing is the sign-off, then the practitioner's name, discipline
	// and qualifications, registration, and the clinic's telephone.
	Closing []string
}

// Section is one titled part of the letter.
type Section struct {
	Title      string
	Paragraphs []string
	Bullets    []string
}

// longDate is how the letter writes dates.
const longDate = "2 January 2006"

// Compose words the letter of l.
func Compose(l *backdesk.ReferralLetter) Document {
	r, pr, pt := l.Referral, l.Practitioner, l.Patient
	var d Document
	name := l.ClinicName
	if c := l.Clinic; c != nil {
		if name == "" {
			name = c.Name
		}
		d.Letterhead = append(d.Letterhead, name)
		a := c.Address
		d.Letterhead = append(d.Letterhead, join(", ", a.Line1, a.Line2, join(" ", a.City, a.Postcode)))
		d.Letterhead = append(d.Letterhead, join(" · ", prefixed("Telephone ", c.Phone), prefixed("Email ", c.Email)))
	} else {
		d.Letterhead = []string{name}
	}
	d.Letterhead = nonEmpty(d.Letterhead)
	d.Date = l.Date.Format(longDate)
	d.To = nonEmpty(append([]string{r.RecipientName}, lines(r.RecipientAddress)...))
	born := ""
	if dob, err := backdesk.ParseDate(pt.DateOfBirth); err == nil && pt.DateOfBirth != "" {
		born = dob.Start(time.UTC).Format(longDate)
	}
	patient := pt.Name
	if born != "" {
		patient += ", born " + born
	}
	d.Subject = fmt.Sprintf("Referral of %s: %s", patient, strings.ToLower(r.Urgency.Label()))
	d.Greeting = "Dear colleague,"
	d.Opening = fmt.Sprintf("I am referring %s to you. I see them at %s for lower back pain, as their %s.",
		pt.Name, name, strings.ToLower(pr.Discipline.Label()))
	if r.SameDay() {
		d.SameDay = fmt.Sprintf("Because of the red flags below, I told %s on %s to seek medical care the same day, "+
			"and not to wait for a routine appointment. If you cannot see them today, please tell them where to go.", pt.Name, d.Date)
	}
	d.Sections = append(d.Sections, Section{Title: "Reason for referral", Paragraphs: paragraphs(r.Reason)})
	if r.Findings != "" {
		d.Sections = append(d.Sections, Section{Title: "Findings", Paragraphs: paragraphs(r.Findings)})
	}
	flags := Section{Title: "Red flags"}
	if len(l.RedFlags) == 0 {
		flags.Paragraphs = []string{"None reported in the self-assessment or found on examination."}
	} else {
		flags.Paragraphs = []string{"Reported in the patient's self-assessment or found on examination:"}
		flags.Bullets = l.RedFlags
	}
	d.Sections = append(d.Sections, flags)
	if a := l.Assessment; a != nil {
		s := Section{Title: "Self-assessment", Paragraphs: []string{fmt.Sprintf("On %s the patient's self-assessment said: %s",
			a.CreatedAt.Format(longDate), a.Result.Headline)}}
		for _, why := range a.Result.Reasons {
			s.Bullets = append(s.Bullets, why.Text)
		}
		d.Sections = append(d.Sections, s)
	}
	d.Closing = []string{"Yours sincerely,", "", pr.Name}
	d.Closing = append(d.Closing, join(", ", append([]string{pr.Discipline.Label()}, pr.Qualifications...)...))
	if reg := pr.Registration; reg.Number != "" {
		d.Closing = append(d.Closing, fmt.Sprintf("Registered with %s, number %s", reg.Body, reg.Number))
	}
	if c := l.Clinic; c != nil {
		d.Closing = append(d.Closing, join(", ", name, prefixed("telephone ", c.Phone)))
	}
	return d
}

func join(sep string, parts ...string) string { return strings.Join(nonEmpty(parts), sep) }

func prefixed(prefix, v string) string {
	if strings.TrimSpace(v) == "" {
		return ""
	}
	return prefix + v
}

func nonEmpty(parts []string) []string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// lines splits an address into its non-blank lines.
func lines(s string) []string { return nonEmpty(strings.Split(s, "\n")) }

// paragraphs splits text at blank lines, keeping single line breaks.
func paragraphs(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(s, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

const font = pdffont.Family

// printable is d as the PDF can set it (pdffont.Text): a character no font
// reaches prints as the replacement character instead of failing the letter.
func printable(d Document) Document {
	all := func(ss []string) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = pdffont.Text(s)
		}
		return out
	}
	d.Letterhead, d.To, d.Closing = all(d.Letterhead), all(d.To), all(d.Closing)
	d.Date, d.Subject, d.Greeting, d.Opening, d.SameDay = pdffont.Text(d.Date), pdffont.Text(d.Subject), pdffont.Text(d.Greeting), pdffont.Text(d.Opening), pdffont.Text(d.SameDay)
	sections := make([]Section, len(d.Sections))
	for i, sec := range d.Sections {
		sections[i] = Section{Title: pdffont.Text(sec.Title), Paragraphs: all(sec.Paragraphs), Bullets: all(sec.Bullets)}
	}
	d.Sections = sections
	return d
}

// PDF sets the letter of l as an A4 PDF.
func PDF(l *backdesk.ReferralLetter) ([]byte, error) {
	d := printable(Compose(l))
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCreationDate(l.Date)
	p.SetModificationDate(l.Date)
	p.SetCatalogSort(true)
	p.SetTitle("Referral letter", true)
	p.SetAuthor(pdffont.Text(l.Practitioner.Name), true)
	p.SetCreator("backdesk", true)
	pdffont.Add(p)
	p.SetMargins(20, 18, 20)
	p.SetAutoPageBreak(true, 18)
	p.AddPage()
	width, _ := p.GetPageSize()
	text := width - 40

	// Letterhead: the clinic's name, its address and contacts, a rule.
	for i, line := range d.Letterhead {
		if i == 0 {
			p.SetFont(font, "B", 16)
			p.MultiCell(text, 8, line, "", "L", false)
			continue
		}
		p.SetFont(font, "", 9)
		p.MultiCell(text, 4.5, line, "", "L", false)
	}
	p.Ln(2)
	p.Line(20, p.GetY(), width-20, p.GetY())
	p.Ln(5)
	p.SetFont(font, "", 10.5)
	p.MultiCell(text, 5.5, d.Date, "", "R", false)
	for _, line := range d.To {
		p.MultiCell(text, 5.5, line, "", "L", false)
	}
	p.Ln(5)
	p.SetFont(font, "B", 11.5)
	p.MultiCell(text, 6, d.Subject, "", "L", false)
	p.Ln(3)
	p.SetFont(font, "", 10.5)
	p.MultiCell(text, 5.5, d.Greeting, "", "L", false)
	p.Ln(2)
	p.MultiCell(text, 5.5, d.Opening, "", "L", false)
	if d.SameDay != "" {
		p.Ln(3)
		p.SetFont(font, "B", 10.5)
		p.SetFillColor(253, 236, 236)
		p.SetDrawColor(161, 26, 26)
		p.MultiCell(text, 6, "Urgent: "+d.SameDay, "1", "L", true)
		p.SetDrawColor(0, 0, 0)
	}
	for _, s := range d.Sections {
		p.Ln(4)
		p.SetFont(font, "B", 11)
		p.MultiCell(text, 6, s.Title, "", "L", false)
		p.SetFont(font, "", 10.5)
		for _, para := range s.Paragraphs {
			p.MultiCell(text, 5.5, para, "", "L", false)
			p.Ln(1)
		}
		for _, b := range s.Bullets {
			x := p.GetX()
			p.CellFormat(6, 5.5, "•", "", 0, "L", false, 0, "")
			p.MultiCell(text-6, 5.5, b, "", "L", false)
			p.SetX(x)
		}
	}
	p.Ln(6)
	for _, line := range d.Closing {
		if line == "" {
			p.Ln(8)
			continue
		}
		p.MultiCell(text, 5.5, line, "", "L", false)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("referral letter PDF: %w", err)
	}
	return buf.Bytes(), nil
}
