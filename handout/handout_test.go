package handout_test

import (
	"bytes"
	"regexp"
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
