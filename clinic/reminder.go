package clinic

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"backdesk"
)

// ReminderService implements backdesk.ReminderService: the patient's
// choice of the emails of their plan, the links that stop them without
// signing in, and the daily sweep that writes the reminders.
type ReminderService struct {
	Store     backdesk.ReminderStore
	Plans     backdesk.CarePlanStore
	Exercises *ExerciseService
	Patients  backdesk.PatientStore
	Locations backdesk.LocationStore
	Signer    *Signer
	Care      CareRelation
	Now       func() time.Time
	// BaseURL and ClinicName go into the emails.
	BaseURL, ClinicName string
}

var _ backdesk.ReminderService = (*ReminderService)(nil)

// FindReminderSettings returns the patient's own settings.
func (s *ReminderService) FindReminderSettings(ctx context.Context, patientID int64) (*backdesk.ReminderSettings, error) {
	if _, err := mayFollowPlan(ctx, s.Care, patientID); err != nil {
		return nil, err
	}
	return s.Store.FindReminderSettings(ctx, patientID)
}

// UpdateReminderSettings saves the patient's own settings.
func (s *ReminderService) UpdateReminderSettings(ctx context.Context, st *backdesk.ReminderSettings) error {
	a, err := mayFollowPlan(ctx, s.Care, st.PatientID)
	if err != nil {
		return err
	}
	if err := st.Validate(); err != nil {
		return err
	}
	return s.Store.UpsertReminderSettings(ctx, st, backdesk.NewAuditEntry(a, backdesk.AuditRemindersChange, st.PatientID, "reminder_settings", ""))
}

// stopToken checks a stop link's token: the patient and the kind of email,
// for a patient whose record is not erased.
func (s *ReminderService) stopToken(ctx context.Context, token string) (int64, backdesk.EmailKind, error) {
	bad := backdesk.Errorf(backdesk.CodeNotFound, "This link is not valid. You can choose your emails on your plan's page when signed in.")
	f, ok := s.Signer.Verify(ctx, token)
	if !ok || len(f) != 3 || f[0] != tokenStop {
		return 0, "", bad
	}
	patientID, err := strconv.ParseInt(f[1], 10, 64)
	kind := backdesk.EmailKind(f[2])
	if err != nil || (kind != backdesk.EmailDailyReminder && kind != backdesk.EmailOutcomeRequest) {
		return 0, "", bad
	}
	p, err := s.Patients.FindPatientByID(ctx, patientID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound || err == nil && p.ErasedAt != nil {
		return 0, "", bad
	} else if err != nil {
		return 0, "", err
	}
	return patientID, kind, nil
}

// EmailStopToken says what a stop link would stop.
func (s *ReminderService) EmailStopToken(ctx context.Context, token string) (backdesk.EmailKind, error) {
	_, kind, err := s.stopToken(ctx, token)
	return kind, err
}

// StopEmails switches off the kind of email a stop link names; the emails
// of that kind still waiting are dropped. Stopping what is already
// stopped is no error.
func (s *ReminderService) StopEmails(ctx context.Context, token string) (backdesk.EmailKind, error) {
	patientID, kind, err := s.stopToken(ctx, token)
	if err != nil {
		return "", err
	}
	st, err := s.Store.FindReminderSettings(ctx, patientID)
	if err != nil {
		return "", err
	}
	switch kind {
	case backdesk.EmailDailyReminder:
		st.Daily = false
	case backdesk.EmailOutcomeRequest:
		st.OutcomeRequests = false
	}
	audit := backdesk.NewAuditEntry(backdesk.ActorFromContext(ctx), backdesk.AuditRemindersChange, patientID, "reminder_settings", strconv.FormatInt(patientID, 10))
	audit.ActorName = "stop link in an email"
	return kind, s.Store.UpsertReminderSettings(ctx, st, audit)
}

// SendDueReminders writes today's reminder for each patient who asked for
// one once their hour has come, in the clinic's time zone: the day's
// exercises of their plan, with a link to the plan and one to stop. The
// store writes one a day per patient, whichever process sweeps first.
func (s *ReminderService) SendDueReminders(ctx context.Context) (int, error) {
	a, err := require(ctx, backdesk.PermRunJobs)
	if err != nil {
		return 0, err
	}
	tz, err := clinicZone(ctx, s.Locations)
	if err != nil {
		return 0, err
	}
	local := s.Now().In(tz)
	day := backdesk.DateOf(local)
	list, err := s.Store.FindDailyReminderSettings(ctx, day)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, st := range list {
		if local.Hour() < st.Hour {
			continue
		}
		msg, err := s.reminderMail(ctx, st.PatientID, day)
		if err != nil {
			return sent, err
		}
		if msg == nil {
			continue
		}
		ok, err := s.Store.InsertPlanReminder(ctx, st.PatientID, day, msg,
			backdesk.NewAuditEntry(a, backdesk.AuditReminderSend, st.PatientID, "plan_reminder", day.String()))
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// reminderMail writes a patient's reminder of day, or nil when they have no
// plan with exercises or no email address.
func (s *ReminderService) reminderMail(ctx context.Context, patientID int64, day backdesk.Date) (*backdesk.OutboxMessage, error) {
	p, err := s.Patients.FindPatientByID(ctx, patientID)
	if err != nil || p.Email == "" || p.ErasedAt != nil {
		return nil, err
	}
	plan, err := s.Plans.FindCarePlanByPatient(ctx, patientID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if len(plan.Current.Exercises) == 0 {
		return nil, nil
	}
	if err := s.Exercises.resolveAll(ctx, plan.Current); err != nil {
		return nil, err
	}
	stop, err := s.Signer.Sign(ctx, tokenStop, strconv.FormatInt(patientID, 10), string(backdesk.EmailDailyReminder))
	if err != nil {
		return nil, err
	}
	var list strings.Builder
	for _, e := range plan.Current.Exercises {
		fmt.Fprintf(&list, "- %s: %s\n", e.Name(), e.Dosage)
	}
	base := strings.TrimRight(s.BaseURL, "/")
	body := fmt.Sprintf(`Hello %s,

Your home exercises for %s:

%s
Open your plan for the steps and the drawings, and press "Done" after each one:
%s/plan

Stop an exercise if it brings on new numbness, pins and needles or weakness, or pain that spreads down your leg, and tell your practitioner. Your plan lists when to stop for each exercise.

You asked for this daily reminder. To stop it, open this link (you do not need to sign in):
%s/emails/stop/%s

%s
`, p.Name, day.Start(time.UTC).Format("Monday 2 January"), list.String(), base, base, stop, s.ClinicName)
	return &backdesk.OutboxMessage{Kind: string(backdesk.EmailDailyReminder), To: p.Email, Sensitive: true,
		Subject: "Your exercises for today", Body: body}, nil
}
