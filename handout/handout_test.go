package handout_test

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"backdesk"
	"backdesk/exercises"
	"backdesk/handout"
)

// TestWrite: a handout of every exercise of the library (every drawing
// drawn) is a whole PDF, titled for the patient.
func TestWrite(t *testing.T) {
	v := &backdesk.CarePlanVersion{Version: 3}
	for i := range exercises.V1.Exercises {
		e := exercises.V1.Exercises[i]
		v.Exercises = append(v.Exercises, backdesk.PlanExercise{ExerciseID: e.ID, Dosage: e.Dosage, Exercise: &e, Note: "Slowly – no rush."})
	}
	var b bytes.Buffer
	if err := handout.Write(&b, handout.Handout{ClinicName: "Riverside Back Clinic", ClinicPhone: "+44 117 496 0123", PatientName: "Sam Taylor",
		Practitioner: "Amira Shah", Version: v, Date: "24 November 2026"}); err != nil {
		t.Fatal(err)
	}
	pdf := b.Bytes()
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) || !bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")) {
		t.Fatalf("not a whole PDF: %q … %q", pdf[:20], pdf[len(pdf)-20:])
	}
	if !bytes.Contains(pdf, []byte("Home exercises for Sam Taylor")) && !regexp.MustCompile(`/Title \(`).Match(pdf) {
		t.Error("the PDF has no title")
	}
	pages := len(regexp.MustCompile(`/Type /Page\b`).FindAll(pdf, -1))
	if pages < 10 {
		t.Errorf("%d pages for %d exercises", pages, len(v.Exercises))
	}
}

// TestWriteAnyScript: the patient's name and the practitioner's note print
// as written in any script, as the referral letter's do; a character
// beyond the font (an emoji) prints as the replacement character. Before,
// the handout's core font printed "Łukasz" as ".ukasz" and "Ольга" as dots.
func TestWriteAnyScript(t *testing.T) {
	e := exercises.V1.Exercises[0]
	v := &backdesk.CarePlanVersion{Version: 1, Exercises: []backdesk.PlanExercise{{ExerciseID: e.ID, Dosage: e.Dosage, Exercise: &e,
		Note: "Ольга: powoli, bez pośpiechu 🙂"}}}
	var b bytes.Buffer
	if err := handout.Write(&b, handout.Handout{ClinicName: "Riverside Back Clinic", PatientName: "Łukasz Wójcik", Practitioner: "Siobhán Ó Briain",
		Version: v, Date: "2 December 2026"}); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdftotext(t, b.Bytes())), " ")
	for _, want := range []string{"For Łukasz Wójcik", "by Siobhán Ó Briain", "Ольга: powoli, bez pośpiechu \uFFFD", e.Name} {
		if !strings.Contains(text, want) {
			t.Errorf("the handout's text lacks %q:\n%s", want, text)
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
	return out.String()
}
