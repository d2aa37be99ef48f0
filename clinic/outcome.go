package clinic

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"backdesk"
	"backdesk/progress"
	"backdesk/triage"
)

// OutcomeService implements backdesk.OutcomeService: scores recorded by
// the patient (follow-up) or a practitioner who treats them (in clinic),
// scored as the self-assessment scores them (triage); the series with the
// plan's goals and the important changes (progress); and the
// questionnaire emailed the day before each follow-up appointment.
type OutcomeService struct {
	Store         backdesk.OutcomeStore
	Plans         backdesk.CarePlanStore   // the goals, and who has a plan
	Assessments   backdesk.AssessmentStore // whose scores join the series
	Offerings     backdesk.OfferingStore
	Practitioners backdesk.PractitionerStore
	Locations     backdesk.LocationStore
	Reminders     backdesk.ReminderStore // whether the patient stopped the questionnaires
	Signer        *Signer
	Care          CareRelation
	Audit         backdesk.AuditWriter
	Now           func() time.Time
	// BaseURL and ClinicName go into the emails.
	BaseURL, ClinicName string
	// RequestBefore is how long before a follow-up appointment its
	// questionnaire is emailed (DefaultRequestBefore when zero).
	RequestBefore time.Duration
}

// DefaultRequestBefore: the questionnaire goes out a day before.
const DefaultRequestBefore = 24 * time.Hour

// requestValidFor is how long after the appointment's start its
// questionnaire's link still works.
const requestValidFor = 72 * time.Hour

var _ backdesk.OutcomeService = (*OutcomeService)(nil)

// RecordOutcomes stores the measures of r.
func (s *OutcomeService) RecordOutcomes(ctx context.Context, patientID int64, r backdesk.OutcomeReport) ([]*backdesk.Outcome, error) {
	a, source, err := outcomeSource(ctx, s.Care, patientID)
	if err != nil {
		return nil, err
	}
	if r.Source != "" && r.Source != source {
		return nil, backdesk.FieldError("source", "source is %s for scores you record (or leave it out)", source)
	}
	list, err := score(patientID, r, source)
	if err != nil {
		return nil, err
	}
	for _, o := range list {
		o.RecordedBy = a.UserID
	}
	if err := s.Store.InsertOutcomes(ctx, list, backdesk.NewAuditEntry(a, backdesk.AuditOutcomeRecord, patientID, "outcome", "")); err != nil {
		return nil, err
	}
	return list, nil
}

// score checks and scores one filling-in: pain now, Oswestry and STarT
// Back exactly as the self-assessment checks and scores them; the PSFS as
// the mean of its activities. Nothing is scored unless everything given is
// valid.
func score(patientID int64, r backdesk.OutcomeReport, source backdesk.OutcomeSource) ([]*backdesk.Outcome, error) {
	m, err := triage.DecodeMeasures(r.PainNow, r.StartBack, r.ODI)
	if err != nil {
		return nil, err
	}
	out := []*backdesk.Outcome{}
	add := func(measure backdesk.OutcomeMeasure, v float64, o *backdesk.Outcome) {
		o.PatientID, o.Measure, o.Value, o.Source = patientID, measure, v, source
		out = append(out, o)
	}
	if m.PainNow >= 0 {
		add(backdesk.MeasurePain, float64(m.PainNow), &backdesk.Outcome{})
	}
	if m.ODI != nil {
		odi := triage.ScoreODI(m.ODI)
		if odi.Percent == nil {
			return nil, backdesk.FieldError("odi", "%s", odi.Note)
		}
		add(backdesk.MeasureODI, float64(*odi.Percent), &backdesk.Outcome{Answers: triage.ODIAnswers(m.ODI)})
	}
	if len(r.PSFS) > 0 {
		list := slices.Clone(r.PSFS)
		if err := backdesk.ValidatePSFS(list); err != nil {
			return nil, err
		}
		add(backdesk.MeasurePSFS, backdesk.PSFSScore(list), &backdesk.Outcome{Activities: list})
	}
	if m.StartBack != nil {
		sb := triage.ScoreStartBack(m.StartBack)
		add(backdesk.MeasureStartBack, float64(sb.Total), &backdesk.Outcome{Risk: sb.Risk, Answers: triage.StartBackAnswers(m.StartBack)})
	}
	if len(out) == 0 {
		return nil, backdesk.FieldError("pain_now", "give at least one score: pain_now, odi, startback or psfs")
	}
	return out, nil
}

// FindOutcomes returns the patient's scores, their self-assessments'
// included, and each measure's series.
func (s *OutcomeService) FindOutcomes(ctx context.Context, patientID int64) (*backdesk.OutcomeHistory, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if ok, err := mayReadPatient(ctx, s.Care, a, patientID); err != nil {
		return nil, err
	} else if !ok {
		return nil, errNoPatient
	}
	stored, err := s.Store.FindOutcomes(ctx, patientID)
	if err != nil {
		return nil, err
	}
	fromAssessments, err := s.assessmentScores(ctx, patientID)
	if err != nil {
		return nil, err
	}
	all := append(stored, fromAssessments...)
	slices.SortStableFunc(all, func(x, y *backdesk.Outcome) int { return x.RecordedAt.Compare(y.RecordedAt) })
	tz, err := clinicZone(ctx, s.Locations)
	if err != nil {
		return nil, err
	}
	var goals []backdesk.Goal
	if p, err := s.Plans.FindCarePlanByPatient(ctx, patientID); err == nil {
		goals = p.Current.Goals
	} else if backdesk.ErrorCode(err) != backdesk.CodeNotFound {
		return nil, err
	}
	h := &backdesk.OutcomeHistory{PatientID: patientID, Outcomes: all}
	for _, m := range backdesk.OutcomeMeasures {
		h.Series = append(h.Series, progress.Series(m, all, goalOn(goals, m), tz))
	}
	if err := auditRead(ctx, s.Audit, backdesk.AuditOutcomeRead, patientID, "outcome", ""); err != nil {
		return nil, err
	}
	return h, nil
}

// goalOn is the first goal on measure m, if any.
func goalOn(goals []backdesk.Goal, m backdesk.OutcomeMeasure) *backdesk.Goal {
	for i := range goals {
		if goals[i].Measure == m && goals[i].Target != nil {
			g := goals[i]
			return &g
		}
	}
	return nil
}

// assessmentScores reads the scores of the patient's self-assessments as
// the assessment scored them: pain now from the answers, Oswestry and
// STarT Back from its result.
func (s *OutcomeService) assessmentScores(ctx context.Context, patientID int64) ([]*backdesk.Outcome, error) {
	if s.Assessments == nil {
		return nil, nil
	}
	list, err := s.Assessments.FindAssessmentsByPatient(ctx, patientID)
	if err != nil {
		return nil, err
	}
	var out []*backdesk.Outcome
	for _, a := range list {
		o := func(m backdesk.OutcomeMeasure, v float64) *backdesk.Outcome {
			return &backdesk.Outcome{PatientID: patientID, Measure: m, Value: v, Source: backdesk.SourceSelfAssessment, AssessmentID: a.ID, RecordedAt: a.CreatedAt}
		}
		if m, err := triage.AssessmentMeasures(a); err == nil && m.PainNow >= 0 {
			out = append(out, o(backdesk.MeasurePain, float64(m.PainNow)))
		}
		if odi := a.Result.ODI; odi != nil && odi.Percent != nil {
			out = append(out, o(backdesk.MeasureODI, float64(*odi.Percent)))
		}
		if sb := a.Result.StartBack; sb != nil {
			x := o(backdesk.MeasureStartBack, float64(sb.Total))
			x.Risk = sb.Risk
			out = append(out, x)
		}
	}
	return out, nil
}

// The purposes of the signed tokens in emails.
const (
	tokenOutcome = "outcome" // answer the questionnaire of one appointment
	tokenStop    = "stop"    // stop one kind of email
)

// request checks a questionnaire token and returns its request, while its
// link is valid.
func (s *OutcomeService) request(ctx context.Context, token string) (*backdesk.OutcomeRequest, error) {
	notFound := backdesk.Errorf(backdesk.CodeNotFound, "This link is not valid, or has expired. You can tell us how you are on your own page when signed in.")
	f, ok := s.Signer.Verify(ctx, token)
	if !ok || len(f) != 3 || f[0] != tokenOutcome {
		return nil, notFound
	}
	patientID, err1 := strconv.ParseInt(f[1], 10, 64)
	bookingID, err2 := strconv.ParseInt(f[2], 10, 64)
	if err1 != nil || err2 != nil {
		return nil, notFound
	}
	r, err := s.Store.FindOutcomeRequest(ctx, bookingID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return nil, notFound
	} else if err != nil {
		return nil, err
	}
	if r.PatientID != patientID || s.Now().After(r.AppointmentStart.Add(requestValidFor)) {
		return nil, notFound
	}
	return r, nil
}

// FindOutcomeRequest returns the request the token names.
func (s *OutcomeService) FindOutcomeRequest(ctx context.Context, token string) (*backdesk.OutcomeRequest, error) {
	return s.request(ctx, token)
}

// AnswerOutcomeRequest records the answers to an emailed questionnaire as
// the patient's, for its appointment, once.
func (s *OutcomeService) AnswerOutcomeRequest(ctx context.Context, token string, r backdesk.OutcomeReport) ([]*backdesk.Outcome, error) {
	req, err := s.request(ctx, token)
	if err != nil {
		return nil, err
	}
	if req.AnsweredAt != nil {
		return nil, backdesk.Errorf(backdesk.CodeConflict, "This questionnaire has already been answered. Thank you.")
	}
	if r.Source != "" && r.Source != backdesk.SourceFollowUp {
		return nil, backdesk.FieldError("source", "source is follow_up for answers to an emailed questionnaire")
	}
	list, err := score(req.PatientID, r, backdesk.SourceFollowUp)
	if err != nil {
		return nil, err
	}
	for _, o := range list {
		o.BookingID = req.BookingID
	}
	audit := backdesk.NewAuditEntry(backdesk.ActorFromContext(ctx), backdesk.AuditOutcomeRecord, req.PatientID, "outcome_request", strconv.FormatInt(req.BookingID, 10))
	audit.ActorName = "emailed questionnaire link"
	if err := s.Store.AnswerOutcomeRequest(ctx, req.BookingID, list, audit); err != nil {
		return nil, err
	}
	return list, nil
}

// SendOutcomeRequests emails the questionnaire for every follow-up
// appointment starting within RequestBefore: a live booking, of a service
// that is not a first visit, of a patient with a plan and an email address
// who has not stopped the questionnaires. The store writes one per
// booking, however many sweeps run at once; a cancellation drops it with
// the booking's other emails.
func (s *OutcomeService) SendOutcomeRequests(ctx context.Context) (int, error) {
	a, err := require(ctx, backdesk.PermRunJobs)
	if err != nil {
		return 0, err
	}
	before := s.RequestBefore
	if before <= 0 {
		before = DefaultRequestBefore
	}
	now := s.Now()
	due, err := s.Store.FindBookingsStarting(ctx, now, now.Add(before))
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, b := range due {
		msg, err := s.requestMail(ctx, b)
		if err != nil {
			return sent, err
		}
		if msg == nil {
			continue
		}
		ok, err := s.Store.InsertOutcomeRequest(ctx, &backdesk.OutcomeRequest{BookingID: b.ID, PatientID: b.PatientID}, msg,
			backdesk.NewAuditEntry(a, backdesk.AuditOutcomeRequest, b.PatientID, "outcome_request", strconv.FormatInt(b.ID, 10)))
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// requestMail writes the questionnaire email of booking b, or nil when b
// is not one to ask about.
func (s *OutcomeService) requestMail(ctx context.Context, b *backdesk.Booking) (*backdesk.OutboxMessage, error) {
	o, err := s.Offerings.FindOfferingByID(ctx, b.ServiceID)
	if err != nil || o.FirstVisit {
		return nil, err
	}
	if _, err := s.Plans.FindCarePlanByPatient(ctx, b.PatientID); backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	settings, err := s.Reminders.FindReminderSettings(ctx, b.PatientID)
	if err != nil || !settings.OutcomeRequests {
		return nil, err
	}
	pr, err := s.Practitioners.FindPractitionerByID(ctx, b.PractitionerID)
	if err != nil {
		return nil, err
	}
	tz, err := clinicZone(ctx, s.Locations)
	if err != nil {
		return nil, err
	}
	answer, err := s.Signer.Sign(ctx, tokenOutcome, strconv.FormatInt(b.PatientID, 10), strconv.FormatInt(b.ID, 10))
	if err != nil {
		return nil, err
	}
	stop, err := s.Signer.Sign(ctx, tokenStop, strconv.FormatInt(b.PatientID, 10), string(backdesk.EmailOutcomeRequest))
	if err != nil {
		return nil, err
	}
	when := b.Start.In(tz).Format("Monday 2 January at 15:04 MST")
	base := strings.TrimRight(s.BaseURL, "/")
	body := fmt.Sprintf(`You have an appointment on %s: %s with %s.

Before it, please tell us how your back is now: your pain, how it affects what you do, and the activities you chose to follow. It takes about three minutes, and you and %s will see on your chart how you are getting on.

%s/outcomes/request/%s

The link works until a few days after the appointment, once.

To stop these questionnaires, open this link (you do not need to sign in):
%s/emails/stop/%s

%s
`, when, o.Name, pr.Name, pr.Name, base, answer, base, stop, s.ClinicName)
	m := toPatient(b.PatientID, string(backdesk.EmailOutcomeRequest), "Before your appointment on "+when+": how is your back?", body)
	m.Sensitive = true
	return m, nil
}
