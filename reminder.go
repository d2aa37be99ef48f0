package backdesk

import (
	"context"
	"time"
)

// ReminderSettings are a patient's choices about the emails of their plan:
// a daily reminder of the home programme (opt-in), and the questionnaire
// before each follow-up appointment (on unless stopped).
type ReminderSettings struct {
	PatientID int64 `json:"patient_id,string"`
	// Daily asks for one email a day listing the day's exercises.
	Daily bool `json:"daily"`
	// Hour is the hour of the day, in the clinic's time zone, from which
	// the daily reminder is sent (0–23).
	Hour int `json:"hour"`
	// OutcomeRequests: the questionnaire the day before a follow-up.
	OutcomeRequests bool      `json:"outcome_requests"`
	UpdatedAt       time.Time `json:"updated_at,omitzero"`
}

// DefaultReminderHour is when a daily reminder goes out unless the patient
// chooses another hour.
const DefaultReminderHour = 8

// DefaultReminderSettings are a patient's settings until they change them.
func DefaultReminderSettings(patientID int64) *ReminderSettings {
	return &ReminderSettings{PatientID: patientID, Hour: DefaultReminderHour, OutcomeRequests: true}
}

// Validate checks the settings' own fields.
func (s *ReminderSettings) Validate() error {
	if s.Hour < 0 || s.Hour > 23 {
		return FieldError("hour", "hour must be from 0 to 23")
	}
	return nil
}

// EmailKind names a kind of email a patient may stop from a link in it.
type EmailKind string

const (
	EmailDailyReminder  EmailKind = "plan_reminder"
	EmailOutcomeRequest EmailKind = "outcome_request"
)

// Label says the kind of email in words.
func (k EmailKind) Label() string {
	switch k {
	case EmailDailyReminder:
		return "the daily reminder of your exercises"
	case EmailOutcomeRequest:
		return "the questionnaire before each follow-up appointment"
	}
	return string(k)
}

// ReminderService is the patient's choice of emails, and the daily sweep
// that sends the reminders.
type ReminderService interface {
	// FindReminderSettings returns a patient's settings: the patient only.
	FindReminderSettings(ctx context.Context, patientID int64) (*ReminderSettings, error)
	// UpdateReminderSettings saves them: the patient only. Switching a
	// kind of email off drops those still waiting to be sent.
	UpdateReminderSettings(ctx context.Context, settings *ReminderSettings) error
	// EmailStopToken checks a token from a stop link in an email and says
	// what it would stop; the token is the credential. CodeNotFound for a
	// bad token.
	EmailStopToken(ctx context.Context, token string) (EmailKind, error)
	// StopEmails switches off the kind of email the token names, without
	// signing in.
	StopEmails(ctx context.Context, token string) (EmailKind, error)
	// SendDueReminders writes today's reminder for every patient who asked
	// for one, whose hour has come and who has not had one today: at most
	// one a day, however many processes sweep. The system only; it returns
	// how many it wrote.
	SendDueReminders(ctx context.Context) (int, error)
}

// ReminderStore keeps the settings, and which day's reminder each patient
// has been sent.
type ReminderStore interface {
	// FindReminderSettings returns the stored settings, or
	// DefaultReminderSettings when there are none.
	FindReminderSettings(ctx context.Context, patientID int64) (*ReminderSettings, error)
	// UpsertReminderSettings stores settings with the audit line, and drops the
	// pending emails of each kind settings switches off, in one transaction.
	UpsertReminderSettings(ctx context.Context, settings *ReminderSettings, audit *AuditEntry) error
	// FindDailyReminderSettings lists the settings of every patient who
	// asked for the daily reminder and has not been sent day's.
	FindDailyReminderSettings(ctx context.Context, day Date) ([]*ReminderSettings, error)
	// InsertPlanReminder stores that day's reminder for the patient with
	// its email and audit line, unless the patient already has that day's:
	// then it writes nothing and reports false. Concurrent callers, in any
	// number of processes, write it once.
	InsertPlanReminder(ctx context.Context, patientID int64, day Date, msg *OutboxMessage, audit *AuditEntry) (bool, error)
}

// KeyStore keeps the clinic's secret keys, shared by every process of one
// database (the key that signs the links in emails).
type KeyStore interface {
	// SigningKey returns the key stored under name, storing candidate as
	// that key first when there is none; every caller gets the same key.
	SigningKey(ctx context.Context, name string, candidate []byte) ([]byte, error)
}
