package web

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"backdesk"
)

// The health questions before a first visit (/appointments/{id}/intake):
// the patient's details, their consent, and before a massage, when they
// have not done the self-assessment, its massage-safety questions.

type intakePage struct {
	Layout
	Catalogue
	Form   *backdesk.IntakeForm
	Values intakeValues
	// Answers are the massage-safety answers as entered, for the form.
	Answers  map[string][]string
	Problems *formErrors
	Err      *backdesk.Error
}

// intakeValues is the details part of the form as typed.
type intakeValues struct {
	Phone, DateOfBirth, Address, FamilyDoctor, EmergencyContactName, EmergencyContactPhone string
	ConsentTreatment                                                                       bool
	ConsentEmail                                                                           string // "yes", "no" or "" (not chosen)
}

// intakeFields are the form's fields in page order, for the summary.
var intakeFields = []string{"phone", "address", "date_of_birth", "family_doctor", "emergency_contact_name", "emergency_contact_phone",
	"consent_treatment", "consent_email"}

func detailsOf(p *backdesk.Patient) intakeValues {
	v := intakeValues{Phone: p.Phone, DateOfBirth: p.DateOfBirth, Address: p.Address, FamilyDoctor: p.FamilyDoctor,
		EmergencyContactName: p.EmergencyContactName, EmergencyContactPhone: p.EmergencyContactPhone, ConsentTreatment: p.ConsentTreatmentAt != nil}
	if p.ConsentEmail != nil {
		v.ConsentEmail = "no"
		if *p.ConsentEmail {
			v.ConsentEmail = "yes"
		}
	}
	return v
}

func (s *Server) intakeView(r *http.Request) (intakePage, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return intakePage{}, err
	}
	form, err := s.svcs.Intakes.IntakeForm(r.Context(), id)
	if err != nil {
		return intakePage{}, err
	}
	c, err := s.loadCatalogue(r.Context(), false)
	if err != nil {
		return intakePage{}, err
	}
	page := intakePage{Layout: s.layout(r, "Before your first visit"), Catalogue: c, Form: form, Values: detailsOf(form.Patient), Answers: map[string][]string{}}
	page.Layout.NoIndex = true
	return page, nil
}

func (s *Server) pageIntake(w http.ResponseWriter, r *http.Request) error {
	page, err := s.intakeView(r)
	if err != nil {
		return err
	}
	if page.Form.Done != nil {
		s.redirect(w, r, "/appointments/"+itoa64(page.Form.Booking.ID), "Your health questions for this appointment are already answered.")
		return nil
	}
	return s.render(w, r, http.StatusOK, "intake", page)
}

func (s *Server) pageIntakeSubmit(w http.ResponseWriter, r *http.Request) error {
	page, err := s.intakeView(r)
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	v := intakeValues{Phone: f.Get("phone"), DateOfBirth: f.Get("date_of_birth"), Address: f.Get("address"), FamilyDoctor: f.Get("family_doctor"),
		EmergencyContactName: f.Get("emergency_contact_name"), EmergencyContactPhone: f.Get("emergency_contact_phone"),
		ConsentTreatment: f.Checked("consent_treatment"), ConsentEmail: f.Get("consent_email")}
	sub := backdesk.IntakeSubmission{ConsentTreatment: v.ConsentTreatment, Details: backdesk.PatientUpdate{Phone: &v.Phone,
		DateOfBirth: &v.DateOfBirth, Address: &v.Address, FamilyDoctor: &v.FamilyDoctor,
		EmergencyContactName: &v.EmergencyContactName, EmergencyContactPhone: &v.EmergencyContactPhone}}
	switch v.ConsentEmail {
	case "yes", "no":
		yes := v.ConsentEmail == "yes"
		sub.Details.ConsentEmail = &yes
	}
	if page.Form.Safety != nil {
		sub.Answers = formAnswers(page.Form.Safety, f.Values)
	}
	in, err := s.svcs.Intakes.SubmitIntake(r.Context(), page.Form.Booking.ID, sub)
	if err != nil {
		if backdesk.ErrorCode(err) == backdesk.CodeConflict {
			s.redirect(w, r, "/appointments/"+itoa64(page.Form.Booking.ID), backdesk.ErrorMessage(err))
			return nil
		}
		return s.rerender(w, r, err, "intake", func(e *backdesk.Error) any {
			page.Values, page.Answers, page.Err = v, f.Values, e
			page.Problems = problems(e, intakeFields...)
			if page.Form.Safety != nil {
				for _, p := range questionProblems(page.Form.Safety, e).Problems {
					if fieldError(e, p.Field) != "" && !contains(intakeFields, p.Field) {
						page.Problems.Problems = replaceProblem(page.Problems.Problems, p)
					}
				}
			}
			page.Title = "Before your first visit: please check your answers"
			return page
		})
	}
	msg := "Thank you: your answers are with your practitioner."
	if in.Safety != nil && in.Safety.Disposition.NeedsDoctor() {
		msg = "Please read this before your visit: " + in.Safety.Headline
	}
	s.redirect(w, r, "/appointments/"+itoa64(page.Form.Booking.ID), msg)
	return nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// replaceProblem puts p in place of the summary's entry for its field
// (a question's anchor is its first choice, not its name).
func replaceProblem(list []fieldProblem, p fieldProblem) []fieldProblem {
	for i := range list {
		if list[i].Field == p.Field {
			list[i] = p
			return list
		}
	}
	return append(list, p)
}

// intakeSummary is an intake as the practitioner and the desk see it: what
// the massage-safety answers say, and what the person ticked.
type intakeSummary struct {
	Intake   *backdesk.Intake
	Safety   *backdesk.AssessmentResult
	Because  []string // what lowered massage, in words
	RedFlags []string
	Ticked   []string // every answer given, in the person's words
}

func (s *Server) intakeSummary(r *http.Request, in *backdesk.Intake) *intakeSummary {
	sum := &intakeSummary{Intake: in, Safety: in.Safety}
	if in.Safety == nil {
		return sum
	}
	labels := questionLabels(s.svcs.Assessments.Questionnaire(r.Context()))
	sum.Because = contraindicationWords(labels, in.Safety.Massage.Contraindications)
	for _, k := range in.Safety.RedFlags {
		sum.RedFlags = append(sum.RedFlags, labels["red_flags."+k])
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(in.Answers, &obj) == nil {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sum.Ticked = append(sum.Ticked, answerWords(labels, k, obj[k])...)
		}
	}
	return sum
}

// answerWords turns one answer (key and JSON value) into the words of what
// the person said: a ticked question, a chosen option, a listed condition.
func answerWords(labels map[string]string, key string, raw json.RawMessage) []string {
	var b bool
	var str string
	var list []string
	var sub map[string]json.RawMessage
	switch {
	case json.Unmarshal(raw, &b) == nil:
		if b && labels[key] != "" {
			return []string{labels[key]}
		}
	case json.Unmarshal(raw, &str) == nil:
		if l := labels[key+"="+str]; l != "" {
			return []string{strings.TrimSuffix(labels[key], "?") + ": " + lowerFirst(l)}
		}
	case json.Unmarshal(raw, &list) == nil:
		var out []string
		for _, v := range list {
			if l := labels[key+"="+v]; l != "" {
				out = append(out, l)
			}
		}
		return out
	case json.Unmarshal(raw, &sub) == nil:
		keys := make([]string, 0, len(sub))
		for k := range sub {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []string
		for _, k := range keys {
			out = append(out, answerWords(labels, key+"."+k, sub[k])...)
		}
		return out
	}
	return nil
}
