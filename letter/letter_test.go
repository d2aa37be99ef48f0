package letter_test

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"backdesk"
	"backdesk/letter"
)

func sample() *backdesk.ReferralLetter {
	return &backdesk.ReferralLetter{
		ClinicName: "Riverside Back Clinic",
		Clinic: &backdesk.Location{Name: "Riverside Back Clinic", Phone: "+44 117 496 0123", Email: "hello@riverside.example",
			Address: backdesk.Address{Line1: "12 Mill Lane", Line2: "Redcliffe", City: "Bristol", Postcode: "BS1 4DJ"}},
		Practitioner: &backdesk.Practitioner{Name: "Amira Shah", Discipline: backdesk.DisciplinePhysiotherapist,
			Qualifications: []string{"MSc Musculoskeletal Physiotherapy"}, Registration: backdesk.Registration{Body: "HCPC", Number: "PH104233"}},
		Patient: &backdesk.Patient{Name: "Siobhán Ó Briain", DateOfBirth: "1984-03-12"},
		Referral: &backdesk.Referral{ToExternal: backdesk.ExternalGP, RecipientName: "Dr Łucja Nowak, Redcliffe Surgery",
			RecipientAddress: "1 Church Street\nBristol BS1 6AA", Reason: "New weakness lifting the left foot since yesterday.",
			Findings: "Left ankle dorsiflexion 3/5.\n\nReduced sensation over the dorsum of the left foot.", Urgency: backdesk.UrgencyUrgent,
			RedFlags: []string{"leg_weakness"}},
		RedFlags: []string{"Weakness or a feeling of floppiness in your legs that is new or getting worse"},
		Date:     time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC),
	}
}

func TestCompose(t *testing.T) {
	d := letter.Compose(sample())
	all := strings.Join(append(append(append(d.Letterhead, d.To...), d.Subject, d.Opening, d.SameDay), d.Closing...), "\n")
	for _, want := range []string{"Riverside Back Clinic", "12 Mill Lane, Redcliffe, Bristol BS1 4DJ", "Dr Łucja Nowak, Redcliffe Surgery", "Bristol BS1 6AA",
		"Siobhán Ó Briain, born 12 March 1984: urgent", "Registered with HCPC, number PH104233", "Physiotherapist, MSc Musculoskeletal Physiotherapy",
		"told Siobhán Ó Briain on 2 December 2026 to seek medical care the same day"} {
		if !strings.Contains(all, want) {
			t.Errorf("letter lacks %q:\n%s", want, all)
		}
	}
	if len(d.Sections) != 3 || d.Sections[1].Title != "Findings" || len(d.Sections[1].Paragraphs) != 2 || len(d.Sections[2].Bullets) != 1 {
		t.Errorf("sections = %+v", d.Sections)
	}
	// Not urgent, or urgent without red flags: no same-day statement.
	for _, edit := range []func(l *backdesk.ReferralLetter){
		func(l *backdesk.ReferralLetter) { l.Referral.Urgency = backdesk.UrgencySoon },
		func(l *backdesk.ReferralLetter) { l.Referral.RedFlags, l.RedFlags = nil, nil },
	} {
		l := sample()
		edit(l)
		if d := letter.Compose(l); d.SameDay != "" {
			t.Errorf("same-day statement for %+v: %q", l.Referral, d.SameDay)
		}
	}
}

// pdftotext extracts the text of a PDF with poppler's reader; without it
// the test skips, unless BACKDESK_REQUIRE_PDFTOTEXT is set (CI).
func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("BACKDESK_REQUIRE_PDFTOTEXT") != "" {
			t.Fatal("pdftotext not found, and BACKDESK_REQUIRE_PDFTOTEXT is set")
		}
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	cmd := exec.Command(path, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext: %v: %s", err, errb.String())
	}
	if errb.Len() > 0 {
		t.Errorf("pdftotext complained: %s", errb.String())
	}
	return out.String()
}

// TestPDF: the PDF opens in a real reader, whose text holds the names as
// written (UTF-8, no transliteration), the reason, the registration and the
// same-day statement.
func TestPDF(t *testing.T) {
	b, err := letter.PDF(sample())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) || len(b) > 200_000 {
		t.Fatalf("not a PDF, or not a font subset: %d bytes %q", len(b), b[:min(len(b), 8)])
	}
	if dir := os.Getenv("BACKDESK_SCREENSHOTS"); dir != "" { // for a person to look at
		os.WriteFile(dir+"/referral_letter.pdf", b, 0o644)
	}
	text := strings.Join(strings.Fields(pdftotext(t, b)), " ")
	for _, want := range []string{"Siobhán Ó Briain", "12 March 1984", "New weakness lifting the left foot since yesterday.", "PH104233",
		"Dr Łucja Nowak", "Amira Shah", "seek medical care the same day", "Weakness or a feeling of floppiness", "Riverside Back Clinic"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
	again, err := letter.PDF(sample())
	if err != nil || !bytes.Equal(b, again) {
		t.Errorf("the same letter gave a different PDF (%v)", err)
	}
}

// TestPDFBeyondTheFont: a character beyond what the font reaches (an emoji
// a patient put in their name at registration, one in a practitioner's
// findings) prints as the replacement character; the rest of the letter
// prints. Before, the whole letter failed (500).
func TestPDFBeyondTheFont(t *testing.T) {
	l := sample()
	l.Patient.Name = "Siobhán 🌷 Ó Briain"
	l.Referral.Findings = "Pain 😣 on flexion."
	l.Referral.RecipientName = "Dr 𠀋 Nowak"
	l.Practitioner.Name = "Amira Shah 👩‍⚕️"
	b, err := letter.PDF(l)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdftotext(t, b)), " ")
	for _, want := range []string{"Siobhán \uFFFD Ó Briain", "Pain \uFFFD on flexion.", "Dr \uFFFD Nowak"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
}
