package web

import "backdesk"

// The service interfaces the web layer depends on, named here so that
// Services reads as a list of what the handlers may call.
type (
	AccessService       = backdesk.AccessService
	LocationService     = backdesk.LocationService
	PractitionerService = backdesk.PractitionerService
	OfferingService     = backdesk.OfferingService
	UserService         = backdesk.UserService
	AssessmentService   = backdesk.AssessmentService
	AuditService        = backdesk.AuditService
	AvailabilityService = backdesk.AvailabilityService
	BookingService      = backdesk.BookingService
	TimeOffService      = backdesk.TimeOffService
	MessageService      = backdesk.MessageService
	CalendarService     = backdesk.CalendarService
	WaitlistService     = backdesk.WaitlistService
	OutboxService       = backdesk.OutboxService
	PatientService      = backdesk.PatientService
	IntakeService       = backdesk.IntakeService
	ExerciseService     = backdesk.ExerciseService
	CarePlanService     = backdesk.CarePlanService
	OutcomeService      = backdesk.OutcomeService
	ReminderService     = backdesk.ReminderService
	ReferralService     = backdesk.ReferralService
	NoteService         = backdesk.NoteService
	DayService          = backdesk.DayService
	APITokenService     = backdesk.APITokenService
	WebhookService      = backdesk.WebhookService
)
