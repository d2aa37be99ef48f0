package r4

import (
	"encoding/json"
	"strconv"

	"backdesk"

	"github.com/samply/golang-fhir-models/fhir-models/fhir"
)

// CarePlan is a treatment plan at its current version (meta.versionId):
// the problem, the goals (as notes: backdesk keeps no Goal resources), the
// planned sessions (appointments to book) and the home exercises with
// this patient's dosage.
func CarePlan(p *backdesk.CarePlan) fhir.CarePlan {
	v := p.Current
	r := fhir.CarePlan{Id: ptr(ID(p.ID)), Meta: &fhir.Meta{VersionId: ptr(strconv.Itoa(v.Version)), LastUpdated: ptr(Instant(v.CreatedAt, nil))},
		Status: fhir.RequestStatusActive, Intent: fhir.CarePlanIntentPlan,
		Category: []fhir.CodeableConcept{{Text: ptr("Treatment plan for lower back pain")}},
		Title:    ptr("Treatment plan"), Description: ptr(v.Problem),
		Subject: *refDisplay("Patient", p.PatientID, p.PatientName), Created: ptr(Instant(p.CreatedAt, nil)),
		Author: refDisplay("Practitioner", v.AuthorID, v.AuthorName)}
	if p.PractitionerID != v.AuthorID {
		r.Contributor = []fhir.Reference{*Ref("Practitioner", p.PractitionerID)}
	}
	for _, g := range v.Goals {
		r.Note = append(r.Note, fhir.Annotation{Text: "Goal: " + g.String()})
	}
	if v.ChangeNote != "" {
		r.Note = append(r.Note, fhir.Annotation{Text: "Version " + strconv.Itoa(v.Version) + ": " + v.ChangeNote})
	}
	for _, s := range v.Sessions {
		d := &fhir.CarePlanActivityDetail{Kind: ptr(fhir.CarePlanActivityKindAppointment), Status: fhir.CarePlanActivityStatusInProgress,
			Code: text(s.Discipline.Therapy()), Description: ptr(s.String())}
		r.Activity = append(r.Activity, fhir.CarePlanActivity{Detail: d})
	}
	for _, e := range v.Exercises {
		desc := e.Name() + ": " + e.Dosage.String()
		if e.Note != "" {
			desc += " (" + e.Note + ")"
		}
		d := &fhir.CarePlanActivityDetail{Status: fhir.CarePlanActivityStatusInProgress, Code: text("Home exercise: " + e.Name()),
			Description: ptr(desc)}
		r.Activity = append(r.Activity, fhir.CarePlanActivity{Detail: d})
	}
	return r
}

// observationCodes are the LOINC codes of the scores, only where LOINC has
// them (checked at loinc.org): pain now (72514-3), the Oswestry score
// (97909-6, "Oswestry disability index score ODI") and the STarT Back
// total (91351-7, "Total score [STarT Back]"). The Patient-Specific
// Functional Scale is named in words.
var observationCodes = map[backdesk.OutcomeMeasure]struct{ code, display, unit string }{
	backdesk.MeasurePain:      {"72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", "{score}"},
	backdesk.MeasureODI:       {"97909-6", "Oswestry disability index score ODI", "%"},
	backdesk.MeasureStartBack: {"91351-7", "Total score [STarT Back]", "{score}"},
	backdesk.MeasurePSFS:      {"", "", "{score}"},
}

// MeasureOfCode is the measure a code search names: a LOINC code above, or
// backdesk's own name of the measure (pain, odi, startback, psfs).
func MeasureOfCode(system, code string) (backdesk.OutcomeMeasure, bool) {
	for m, c := range observationCodes {
		if c.code != "" && code == c.code && (system == "" || system == LOINC) {
			return m, true
		}
		if system == "" && code == string(m) {
			return m, true
		}
	}
	return "", false
}

// STarT Back risk groups in LOINC's answer list of 91352-5.
var startBackRisk = map[string]struct{ code, display string }{
	"high": {"LA9193-9", "High"}, "medium": {"LA8982-6", "Medium"}, "low": {"LA9194-7", "Low"},
}

// Observation is one outcome score, category survey, id Outcome.Key.
func Observation(o *backdesk.Outcome) fhir.Observation {
	c := observationCodes[o.Measure]
	code := fhir.CodeableConcept{Text: ptr(o.Measure.Label())}
	if c.code != "" {
		code.Coding = []fhir.Coding{{System: ptr(LOINC), Code: ptr(c.code), Display: ptr(c.display)}}
	}
	value := json.Number(strconv.FormatFloat(o.Value, 'f', -1, 64))
	r := fhir.Observation{Id: ptr(o.Key()), Status: fhir.ObservationStatusFinal,
		Category: []fhir.CodeableConcept{{Coding: []fhir.Coding{{System: ptr("http://terminology.hl7.org/CodeSystem/observation-category"), Code: ptr("survey"), Display: ptr("Survey")}}}},
		Code:     code, Subject: Ref("Patient", o.PatientID), EffectiveDateTime: ptr(Instant(o.RecordedAt, nil)),
		ValueQuantity: &fhir.Quantity{Value: &value, Unit: ptr(c.unit), System: ptr("http://unitsofmeasure.org"), Code: ptr(c.unit)},
		Method:        text(o.Source.Label())}
	if o.Source != backdesk.SourceClinic {
		r.Performer = []fhir.Reference{*Ref("Patient", o.PatientID)}
	}
	if o.AssessmentID != "" {
		r.DerivedFrom = []fhir.Reference{{Reference: ptr("QuestionnaireResponse/" + o.AssessmentID)}}
	}
	if risk, ok := startBackRisk[o.Risk]; ok && o.Measure == backdesk.MeasureStartBack {
		r.Component = append(r.Component, fhir.ObservationComponent{
			Code:                 fhir.CodeableConcept{Coding: []fhir.Coding{{System: ptr(LOINC), Code: ptr("91352-5"), Display: ptr("STarT Back Screening risk level")}}},
			ValueCodeableConcept: &fhir.CodeableConcept{Coding: []fhir.Coding{{System: ptr(LOINC), Code: ptr(risk.code), Display: ptr(risk.display)}}, Text: ptr(risk.display)}})
	}
	for _, a := range o.Activities {
		r.Component = append(r.Component, fhir.ObservationComponent{Code: fhir.CodeableConcept{Text: ptr(a.Activity)}, ValueInteger: ptr(a.Score)})
	}
	return r
}
