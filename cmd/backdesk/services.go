package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"backdesk/clinic"
	"backdesk/exercises"
	"backdesk/sqlstore"
	"backdesk/triage"
	"backdesk/web"
)

// services are backdesk's use cases over one database: clinic's services,
// which check every caller (clinic/access.go), wired once for serve, the
// demo and the commands.
type services struct {
	web       web.Services
	users     *clinic.UserService
	bookings  *clinic.BookingService
	reminders *clinic.ReminderService
	outcomes  *clinic.OutcomeService
}

// newServices builds the services over db with the configuration's clinic
// name, public address and Oswestry wording.
func newServices(db *sqlstore.DB, cfg Config, odi *triage.ODIText, logger *slog.Logger) (*services, error) {
	users := clinic.NewUserService(db, db, time.Now)
	users.BaseURL, users.ClinicName = cfg.BaseURL, cfg.ClinicName
	if users.BaseURL == "" {
		users.BaseURL = "http://" + cfg.Addr
	}
	assessments, err := clinic.NewAssessmentService(db, db, db, triage.V1, odi)
	if err != nil {
		return nil, err
	}
	// Who treats whom: appointments, and referrals to a practitioner or
	// their discipline.
	care := clinic.Care{Appointments: db, Referrals: db, Practitioners: db, Diary: db}
	assessments.Care = care
	// Booking reads the catalogue through a cache (its bounds: clinic's
	// CatalogueCache, the README's Booking section).
	catalogue := &clinic.CatalogueCache{Changes: db, TTL: clinic.DefaultCatalogueTTL, Now: time.Now}
	bookings := &clinic.BookingService{Bookings: db, Offerings: catalogue.Offerings(db), Practitioners: catalogue.Practitioners(db),
		Locations: catalogue.Locations(db), Patients: db, Waitlist: db, Referrals: db,
		Assessments: db, Audit: db, Now: time.Now, Log: func(msg string, args ...any) { logger.Error(msg, args...) },
		Limits: clinic.Limits{FutureBookings: cfg.PatientBookings, WaitingEntries: cfg.PatientWaitlist}, BaseURL: users.BaseURL}
	users.Freed = bookings // the times an erasure frees go to the waitlist
	referrals := &clinic.ReferralService{Store: db, Patients: db, Practitioners: db, Assessments: db, Bookings: db, Locations: db, Audit: db,
		Care: care, RedFlags: clinic.RedFlagLabels(assessments.Questionnaire(context.Background())),
		BaseURL: users.BaseURL, ClinicName: cfg.ClinicName, Now: time.Now}
	library, err := clinic.NewExerciseService(db, exercises.V1)
	if err != nil {
		return nil, err
	}
	library.Audit = db
	signer := &clinic.Signer{Keys: db}
	plans := &clinic.CarePlanService{Store: db, Exercises: library, Offerings: db, Locations: db, Bookings: bookings, Care: care, Audit: db, Now: time.Now}
	outcomes := &clinic.OutcomeService{Store: db, Plans: db, Assessments: db, Offerings: db, Practitioners: db, Locations: db,
		Reminders: db, Signer: signer, Care: care, Audit: db, Now: time.Now, BaseURL: users.BaseURL, ClinicName: cfg.ClinicName,
		RequestBefore: cfg.OutcomeRequestBefore}
	reminders := &clinic.ReminderService{Store: db, Plans: db, Exercises: library, Patients: db, Locations: db, Signer: signer, Care: care,
		Now: time.Now, BaseURL: users.BaseURL, ClinicName: cfg.ClinicName}
	allow, err := web.ParseTrustedProxies(cfg.MetricsAllow)
	if err != nil {
		return nil, fmt.Errorf("--metrics-allow: %v", err)
	}
	return &services{users: users, bookings: bookings, reminders: reminders, outcomes: outcomes, web: web.Services{
		Access:        clinic.Access{Metrics: clinic.MetricsAccess{Token: cfg.MetricsToken, Allow: allow}},
		Locations:     &clinic.LocationService{LocationStore: db},
		Practitioners: &clinic.PractitionerService{PractitionerStore: db},
		Offerings:     &clinic.OfferingService{OfferingStore: db},
		Users:         &clinic.SessionCache{UserService: users, Ended: db, TTL: clinic.DefaultSessionTTL, Now: time.Now},
		Assessments:   assessments,
		Availability:  &clinic.AvailabilityCache{Next: bookings, Changes: bookings, TTL: clinic.DefaultAvailabilityTTL, Now: time.Now},
		Bookings:      bookings,
		TimeOff:       bookings,
		Messages:      &clinic.MessageService{Store: db, Audit: db, ClinicName: cfg.ClinicName, Now: time.Now},
		Calendar:      &clinic.CalendarService{Store: db, Bookings: db, Practitioners: db, Now: time.Now},
		Waitlist:      &clinic.WaitlistService{Store: db, Bookings: bookings, Now: time.Now},
		Audit:         &clinic.AuditService{Store: db},
		Outbox:        &clinic.OutboxService{Store: db},
		Patients:      &clinic.PatientService{Store: db, Care: care, Audit: db, Freed: bookings},
		Intakes: &clinic.IntakeService{Store: db, Bookings: db, Offerings: db, Patients: db, Assessments: db, Locations: db, Audit: db,
			Care: care, Ruleset: triage.V1, Now: time.Now},
		Referrals: referrals,
		Notes:     &clinic.NoteService{Store: db, Bookings: db, Referrals: db, Care: care, Audit: db, Now: time.Now},
		Day:       &clinic.DayService{Bookings: db, Assessments: db, Referrals: db, Notes: db, Practitioners: db, Locations: db, Audit: db, Now: time.Now},
		Exercises: library,
		CarePlans: plans,
		Outcomes:  outcomes,
		Reminders: reminders,
		Tokens:    &clinic.APITokenService{Store: db, Now: time.Now},
		Webhooks:  &clinic.WebhookService{Store: db, Now: time.Now, AllowPrivate: cfg.WebhookAllowPrivate},
		Ready:     db.Ping,
	}}, nil
}
