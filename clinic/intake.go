package clinic

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"backdesk"
	"backdesk/triage"
)

// IntakeService implements backdesk.IntakeService: the health questions
// before a first visit. Before a massage, someone who has not done the
// self-assessment answers its massage-safety questions, evaluated by the
// same rules, so that the therapist knows whether massage is safe.
type IntakeService struct {
	Store       backdesk.IntakeStore
	Bookings    backdesk.BookingStore
	Offerings   backdesk.OfferingStore
	Patients    backdesk.PatientStore
	Assessments backdesk.AssessmentStore
	Locations   backdesk.LocationStore // the clinic's country, for the words and numbers
	Audit       backdesk.AuditWriter
	// Care tells whether a practitioner treats a patient, for reading a
	// patient's intakes; nil: practitioners read none but their bookings'.
	Care    CareRelation
	Ruleset *triage.Ruleset
	Now     func() time.Time
}

var _ backdesk.IntakeService = (*IntakeService)(nil)

// IntakeForm returns what a booking's health questions ask, to its patient
// and the front desk.
func (s *IntakeService) IntakeForm(ctx context.Context, bookingID int64) (*backdesk.IntakeForm, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	b, err := s.Bookings.FindBookingByID(ctx, bookingID)
	if err != nil {
		return nil, err
	}
	if !mayAnswerIntake(a, b) {
		return nil, errNoBooking
	}
	o, err := s.Offerings.FindOfferingByID(ctx, b.ServiceID)
	if err != nil {
		return nil, err
	}
	p, err := s.Patients.FindPatientByID(ctx, b.PatientID)
	if err != nil {
		return nil, err
	}
	if err := auditRead(ctx, s.Audit, backdesk.AuditPatientRead, p.ID, "patient", strconv.FormatInt(p.ID, 10)); err != nil {
		return nil, err
	}
	form := &backdesk.IntakeForm{Booking: b, Offering: o, Patient: p}
	if done, err := s.Store.FindIntakeByBooking(ctx, bookingID); err == nil {
		form.Done = done
	} else if backdesk.ErrorCode(err) != backdesk.CodeNotFound {
		return nil, err
	}
	ask, err := s.asksSafety(ctx, b, o)
	if err != nil {
		return nil, err
	}
	if ask {
		form.Safety = s.safetyQuestions(ctx)
	}
	return form, nil
}

// asksSafety says whether a booking's intake asks the massage-safety
// questions: for massage, when the booking was not made from a
// self-assessment and the patient has none on record.
func (s *IntakeService) asksSafety(ctx context.Context, b *backdesk.Booking, o *backdesk.Offering) (bool, error) {
	if o.Discipline != backdesk.DisciplineMassageTherapist || b.AssessmentID != "" {
		return false, nil
	}
	list, err := s.Assessments.FindAssessmentsByPatient(ctx, b.PatientID)
	return len(list) == 0, err
}

// safetyQuestions are the self-assessment's massage-safety questions
// (triage.SafetyKeys), in the clinic's words, as one step.
func (s *IntakeService) safetyQuestions(ctx context.Context) *backdesk.Questionnaire {
	full := triage.LocalizeQuestionnaire(triage.Questionnaire(s.Ruleset, nil), s.locale(ctx))
	step := backdesk.QuestionStep{ID: "safety", Title: "Is massage safe for you?",
		Intro: "A few questions from our self-assessment, so that your therapist knows massage is safe for you. Tick any that are true now."}
	for _, st := range full.Steps {
		for _, q := range st.Questions {
			group, _, _ := strings.Cut(q.Key, ".")
			if slices.Contains(triage.SafetyKeys, group) {
				step.Questions = append(step.Questions, q)
			}
		}
	}
	return &backdesk.Questionnaire{RulesVersion: full.RulesVersion, Steps: []backdesk.QuestionStep{step}}
}

// SubmitIntake records the health questions: every problem at once, as a
// CodeInvalid error whose Fields name each; then the details on the record
// (audited, with the old values kept), the consent, and what the
// massage-safety answers say.
func (s *IntakeService) SubmitIntake(ctx context.Context, bookingID int64, sub backdesk.IntakeSubmission) (*backdesk.Intake, error) {
	if _, err := attempt(ctx, backdesk.OpAnswerIntake); err != nil {
		return nil, err
	}
	form, err := s.IntakeForm(ctx, bookingID)
	if err != nil {
		return nil, err
	}
	if form.Done != nil {
		return nil, backdesk.Errorf(backdesk.CodeConflict, "The health questions for this appointment are already answered.")
	}
	a := backdesk.ActorFromContext(ctx)
	now := s.Now()
	problems := map[string]string{}
	var order []string
	add := func(err error) {
		var e *backdesk.Error
		if !errors.As(err, &e) {
			return
		}
		if len(e.Fields) == 0 && e.Field != "" {
			e.Fields = map[string]string{e.Field: e.Message}
		}
		for _, f := range fieldOrder(e) {
			if _, ok := problems[f]; !ok {
				problems[f] = e.Fields[f]
				order = append(order, f)
			}
		}
	}
	details := *form.Patient
	sub.Details.Apply(&details, now)
	if err := details.Validate(); err != nil {
		if backdesk.ErrorCode(err) != backdesk.CodeInvalid {
			return nil, err
		}
		add(err)
	}
	if !sub.ConsentTreatment {
		add(backdesk.FieldError("consent_treatment", "Please confirm that you agree to be assessed and treated: we cannot see you without it."))
	}
	in := &backdesk.Intake{BookingID: bookingID, PatientID: form.Patient.ID}
	if form.Safety != nil {
		age, ok := details.Age(backdesk.DateOf(now.In(s.zone(ctx))))
		if !ok && details.DateOfBirth == "" {
			add(backdesk.FieldError("date_of_birth", "Please give your date of birth: whether massage is safe depends on age."))
		}
		answers := sub.Answers
		if len(answers) == 0 {
			answers = []byte("{}")
		}
		decoded, err := triage.DecodeSafetyAnswers(answers, age)
		if err != nil {
			add(err)
		} else if canonical, err := decoded.MarshalJSON(); err == nil {
			in.Answers = safetyOnly(canonical)
			res := triage.Evaluate(s.Ruleset, decoded, s.locale(ctx).Country)
			in.Safety = &res
		}
	}
	if len(order) > 0 {
		return nil, &backdesk.Error{Code: backdesk.CodeInvalid, Message: problems[order[0]], Field: order[0], Fields: problems}
	}
	upd := sub.Details
	consent := true
	upd.ConsentTreatment = &consent
	pid := strconv.FormatInt(form.Patient.ID, 10)
	if err := s.Store.InsertIntake(ctx, in, upd,
		backdesk.NewAuditEntry(a, backdesk.AuditPatientUpdate, form.Patient.ID, "patient", pid),
		backdesk.NewAuditEntry(a, backdesk.AuditIntakeCreate, form.Patient.ID, "intake", "")); err != nil {
		return nil, err
	}
	return in, nil
}

// fieldOrder lists an error's fields, the first-named first.
func fieldOrder(e *backdesk.Error) []string {
	out := []string{}
	if _, ok := e.Fields[e.Field]; ok {
		out = append(out, e.Field)
	}
	for f := range e.Fields {
		if f != e.Field {
			out = append(out, f)
		}
	}
	return out
}

// safetyOnly keeps the massage-safety answers of a canonical answers object
// (the age, taken from the date of birth, and the placeholders the decoder
// fills are not answers the person gave).
func safetyOnly(canonical []byte) []byte {
	obj := map[string]json.RawMessage{}
	if err := json.Unmarshal(canonical, &obj); err != nil {
		return canonical
	}
	out := map[string]json.RawMessage{}
	for _, k := range triage.SafetyKeys {
		if v, ok := obj[k]; ok {
			out[k] = v
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return canonical
	}
	return b
}

// FindIntake returns a booking's intake to whoever may see the booking.
func (s *IntakeService) FindIntake(ctx context.Context, bookingID int64) (*backdesk.Intake, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	b, err := s.Bookings.FindBookingByID(ctx, bookingID)
	if err != nil {
		return nil, err
	}
	if !mayReadBooking(a, b) {
		return nil, errNoBooking
	}
	in, err := s.Store.FindIntakeByBooking(ctx, bookingID)
	if err != nil {
		return nil, err
	}
	if err := auditRead(ctx, s.Audit, backdesk.AuditIntakeRead, b.PatientID, "intake", strconv.FormatInt(in.ID, 10)); err != nil {
		return nil, err
	}
	return in, nil
}

// FindIntakes lists a patient's intakes for whoever may read their records.
func (s *IntakeService) FindIntakes(ctx context.Context, patientID int64) ([]*backdesk.Intake, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if ok, err := mayReadPatient(ctx, s.Care, a, patientID); err != nil {
		return nil, err
	} else if !ok {
		return nil, errNoPatient
	}
	list, err := s.Store.FindIntakesByPatient(ctx, patientID)
	if err != nil {
		return nil, err
	}
	if err := auditRead(ctx, s.Audit, backdesk.AuditIntakeRead, patientID, "intake", ""); err != nil {
		return nil, err
	}
	return list, nil
}

// locale is the clinic's: that of its main location.
func (s *IntakeService) locale(ctx context.Context) *backdesk.Locale {
	if ls, err := s.Locations.FindLocations(ctx); err == nil {
		if l := backdesk.MainLocation(ls); l != nil {
			return backdesk.LocaleFor(l.Country)
		}
	}
	return backdesk.DefaultLocale()
}

// zone is the clinic's time zone, for the day a person's age is counted on.
func (s *IntakeService) zone(ctx context.Context) *time.Location {
	if ls, err := s.Locations.FindLocations(ctx); err == nil {
		if l := backdesk.MainLocation(ls); l != nil {
			if z, err := l.Zone(); err == nil {
				return z
			}
		}
	}
	return time.UTC
}
