package web

import (
	"net/http"

	"backdesk"
)

// routes registers every route of backdesk; there is no other place.
func (s *Server) routes(mux *http.ServeMux) {
	// Operations.
	s.handleFunc(mux, "GET /healthz", s.healthz)
	s.handleFunc(mux, "GET /readyz", s.readyz)
	s.handleFunc(mux, "GET /metrics", s.serveMetrics)
	s.handleFunc(mux, "GET /static/", s.serveStatic)

	// Catalogue API.
	s.handle(mux, "GET /api/v1/locations", s.api(s.apiLocationList))
	s.handle(mux, "POST /api/v1/locations", s.api(s.precheck(backdesk.OpEditCatalogue, s.apiLocationCreate)))
	s.handle(mux, "GET /api/v1/locations/{id}", s.api(s.apiLocationGet))
	s.handle(mux, "PATCH /api/v1/locations/{id}", s.api(s.precheck(backdesk.OpEditCatalogue, s.apiLocationUpdate)))
	s.handle(mux, "GET /api/v1/practitioners", s.api(s.apiPractitionerList))
	s.handle(mux, "POST /api/v1/practitioners", s.api(s.precheck(backdesk.OpEditCatalogue, s.apiPractitionerCreate)))
	s.handle(mux, "GET /api/v1/practitioners/{id}", s.api(s.apiPractitionerGet))
	s.handle(mux, "PATCH /api/v1/practitioners/{id}", s.api(s.precheck(backdesk.OpEditCatalogue, s.apiPractitionerUpdate)))
	s.handle(mux, "GET /api/v1/services", s.api(s.apiOfferingList))
	s.handle(mux, "POST /api/v1/services", s.api(s.precheck(backdesk.OpEditCatalogue, s.apiOfferingCreate)))
	s.handle(mux, "GET /api/v1/services/{id}", s.api(s.apiOfferingGet))
	s.handle(mux, "PATCH /api/v1/services/{id}", s.api(s.precheck(backdesk.OpEditCatalogue, s.apiOfferingUpdate)))

	// Self-assessment API.
	s.handle(mux, "GET /api/v1/questionnaire", s.api(s.apiQuestionnaire))
	s.handle(mux, "POST /api/v1/assessments", s.api(s.apiAssessmentCreate))
	s.handle(mux, "GET /api/v1/assessments/{id}", s.api(s.apiAssessmentGet))
	s.handle(mux, "GET /api/v1/rules", s.api(s.apiRulebook))

	// Availability and appointments API.
	s.handle(mux, "GET /api/v1/availability", s.api(s.apiAvailability))
	s.handle(mux, "POST /api/v1/appointments", s.api(s.precheck(backdesk.OpBook, s.apiBookingCreate)))
	s.handle(mux, "GET /api/v1/appointments", s.api(s.apiBookingList))
	s.handle(mux, "GET /api/v1/appointments/{id}", s.api(s.apiBookingGet))
	s.handle(mux, "POST /api/v1/appointments/{id}/cancel", s.api(s.precheck(backdesk.OpChangeBooking, s.apiBookingCancel)))
	s.handle(mux, "POST /api/v1/appointments/{id}/attendance", s.api(s.precheck(backdesk.OpChangeBooking, s.apiBookingAttendance)))
	s.handle(mux, "POST /api/v1/appointments/{id}/reschedule", s.api(s.precheck(backdesk.OpChangeBooking, s.apiBookingReschedule)))
	s.handle(mux, "GET /api/v1/appointments/{id}/ics", s.api(s.apiBookingICS))
	s.handle(mux, "POST /api/v1/practitioners/{id}/calendar-feed", s.api(s.apiCalendarFeedCreate))
	s.handle(mux, "DELETE /api/v1/practitioners/{id}/calendar-feed", s.api(s.apiCalendarFeedRevoke))
	s.handle(mux, "GET /calendar/{file}", s.page(s.serveCalendarFeed))
	s.handle(mux, "POST /api/v1/practitioners/{id}/time-off", s.api(s.precheck(backdesk.OpManageTimeOff, s.apiTimeOffCreate)))
	s.handle(mux, "GET /api/v1/practitioners/{id}/time-off", s.api(s.apiTimeOffList))
	s.handle(mux, "DELETE /api/v1/time-off/{id}", s.api(s.apiTimeOffDelete))

	// Waitlist API.
	s.handle(mux, "POST /api/v1/waitlist", s.api(s.precheck(backdesk.OpWaitlist, s.apiWaitlistCreate)))
	s.handle(mux, "GET /api/v1/waitlist", s.api(s.apiWaitlistList))
	s.handle(mux, "DELETE /api/v1/waitlist/{id}", s.api(s.apiWaitlistDelete))
	s.handle(mux, "POST /api/v1/waitlist/offers/{id}/accept", s.api(s.apiWaitlistAccept))
	s.handle(mux, "POST /api/v1/waitlist/offers/{id}/decline", s.api(s.apiWaitlistDecline))

	// Referrals and clinical notes API.
	s.handle(mux, "POST /api/v1/referrals", s.api(s.precheck(backdesk.OpRefer, s.apiReferralCreate)))
	s.handle(mux, "GET /api/v1/referrals", s.api(s.apiReferralList))
	s.handle(mux, "GET /api/v1/referrals/{id}", s.api(s.apiReferralGet))
	s.handle(mux, "POST /api/v1/referrals/{id}/accept", s.api(s.precheck(backdesk.OpMoveReferral, s.apiReferralMove(backdesk.ReferralAccept))))
	s.handle(mux, "POST /api/v1/referrals/{id}/decline", s.api(s.precheck(backdesk.OpMoveReferral, s.apiReferralMove(backdesk.ReferralDecline))))
	s.handle(mux, "POST /api/v1/referrals/{id}/complete", s.api(s.precheck(backdesk.OpMoveReferral, s.apiReferralMove(backdesk.ReferralComplete))))
	s.handle(mux, "POST /api/v1/referrals/{id}/withdraw", s.api(s.precheck(backdesk.OpMoveReferral, s.apiReferralMove(backdesk.ReferralWithdraw))))
	s.handle(mux, "GET /api/v1/referrals/{id}/letter.pdf", s.api(s.apiReferralLetterPDF))
	s.handle(mux, "POST /api/v1/assessments/{id}/referrals", s.api(s.precheck(backdesk.OpRefer, s.apiAssessmentRefer)))
	s.handle(mux, "POST /api/v1/appointments/{id}/notes", s.api(s.precheck(backdesk.OpWriteNote, s.apiNoteCreate)))
	s.handle(mux, "GET /api/v1/appointments/{id}/notes", s.api(s.apiNoteList))
	s.handle(mux, "GET /api/v1/notes/{id}", s.api(s.apiNoteGet))
	s.handle(mux, "PATCH /api/v1/notes/{id}", s.api(s.precheck(backdesk.OpWriteNote, s.apiNoteUpdate)))
	s.handle(mux, "POST /api/v1/notes/{id}/sign", s.api(s.apiNoteSign))
	s.handle(mux, "POST /api/v1/notes/{id}/amend", s.api(s.precheck(backdesk.OpWriteNote, s.apiNoteAmend)))
	s.handle(mux, "GET /api/v1/day", s.api(s.apiDay))

	// Contact messages API.
	s.handle(mux, "POST /api/v1/messages", s.api(s.apiMessageCreate))
	s.handle(mux, "GET /api/v1/messages", s.api(s.apiMessageList))
	s.handle(mux, "POST /api/v1/messages/{id}/answer", s.api(s.precheck(backdesk.OpAnswerMessage, s.apiMessageAnswer)))

	// Accounts and patient data API.
	s.handle(mux, "POST /api/v1/auth/register", s.api(s.apiAuthRegister))
	s.handle(mux, "POST /api/v1/auth/verify-email", s.api(s.apiVerifyEmail))
	s.handle(mux, "POST /api/v1/auth/verify-email/resend", s.api(s.apiResendVerification))
	s.handle(mux, "POST /api/v1/auth/login", s.api(s.apiAuthLogin))
	s.handle(mux, "POST /api/v1/auth/logout", s.api(s.apiAuthLogout))
	s.handle(mux, "POST /api/v1/auth/password-reset", s.api(s.apiPasswordResetRequest))
	s.handle(mux, "POST /api/v1/auth/password-reset/confirm", s.api(s.apiPasswordResetConfirm))
	s.handle(mux, "GET /api/v1/patients", s.api(s.apiPatientList))
	s.handle(mux, "POST /api/v1/patients", s.api(s.precheck(backdesk.OpRecordPatient, s.apiPatientCreate)))
	s.handle(mux, "GET /api/v1/patients/{id}", s.api(s.apiPatientGet))
	s.handle(mux, "PATCH /api/v1/patients/{id}", s.api(s.precheck(backdesk.OpChangePatient, s.apiPatientUpdate)))
	s.handle(mux, "DELETE /api/v1/patients/{id}", s.api(s.apiPatientErase))
	s.handle(mux, "POST /api/v1/patients/{id}/merge", s.api(s.precheck(backdesk.OpMergePatients, s.apiPatientMerge)))
	s.handle(mux, "POST /api/v1/patient-merges/{id}/undo", s.api(s.precheck(backdesk.OpMergePatients, s.apiPatientMergeUndo)))
	s.handle(mux, "GET /api/v1/me", s.api(s.apiMe))
	s.handle(mux, "GET /api/v1/me/export", s.api(s.apiMeExport))
	s.handle(mux, "DELETE /api/v1/me", s.api(s.precheck(backdesk.OpEraseAccount, s.apiMeErase)))
	s.handle(mux, "GET /api/v1/audit", s.api(s.apiAuditList))
	s.handle(mux, "GET /api/v1/outbox", s.api(s.apiOutboxList))
	s.handle(mux, "GET /api/v1/openapi.json", s.api(s.apiOpenAPI))

	// Home exercises, treatment plans and outcomes API.
	s.handle(mux, "GET /api/v1/exercises", s.api(s.apiExerciseList))
	s.handle(mux, "POST /api/v1/exercises", s.api(s.precheck(backdesk.OpWriteExercises, s.apiExerciseCreate)))
	s.handle(mux, "GET /api/v1/exercises/{id}", s.api(s.apiExerciseGet))
	s.handle(mux, "PUT /api/v1/exercises/{id}", s.api(s.precheck(backdesk.OpWriteExercises, s.apiExerciseUpdate)))
	s.handle(mux, "POST /api/v1/care-plans", s.api(s.precheck(backdesk.OpWritePlan, s.apiCarePlanCreate)))
	s.handle(mux, "GET /api/v1/care-plans/{id}", s.api(s.apiCarePlanGet))
	s.handle(mux, "PUT /api/v1/care-plans/{id}", s.api(s.precheck(backdesk.OpWritePlan, s.apiCarePlanUpdate)))
	s.handle(mux, "GET /api/v1/care-plans/{id}/versions", s.api(s.apiCarePlanVersions))
	s.handle(mux, "GET /api/v1/care-plans/{id}/changes", s.api(s.apiCarePlanChanges))
	s.handle(mux, "POST /api/v1/care-plans/{id}/adherence", s.api(s.precheck(backdesk.OpFollowPlan, s.apiCarePlanLog)))
	s.handle(mux, "GET /api/v1/care-plans/{id}/adherence", s.api(s.apiCarePlanAdherence))
	s.handle(mux, "POST /api/v1/care-plans/{id}/bookings", s.api(s.precheck(backdesk.OpBook, s.apiCarePlanBook)))
	s.handle(mux, "GET /api/v1/care-plans/{id}/handout.pdf", s.api(s.apiCarePlanHandout))
	s.handle(mux, "GET /api/v1/patients/{id}/care-plan", s.api(s.apiPatientCarePlan))
	s.handle(mux, "GET /api/v1/patients/{id}/adherence", s.api(s.apiPatientAdherence))
	s.handle(mux, "POST /api/v1/patients/{id}/outcomes", s.api(s.precheck(backdesk.OpRecordOutcome, s.apiOutcomeRecord)))
	s.handle(mux, "GET /api/v1/patients/{id}/outcomes", s.api(s.apiOutcomeList))
	s.handle(mux, "GET /api/v1/patients/{id}/reminders", s.api(s.apiReminderGet))
	s.handle(mux, "PUT /api/v1/patients/{id}/reminders", s.api(s.precheck(backdesk.OpFollowPlan, s.apiReminderUpdate)))

	// Integrations API: tokens and webhooks.
	s.handle(mux, "POST /api/v1/tokens", s.api(s.precheck(backdesk.OpManageIntegrations, s.apiTokenCreate)))
	s.handle(mux, "GET /api/v1/tokens", s.api(s.apiTokenList))
	s.handle(mux, "DELETE /api/v1/tokens/{id}", s.api(s.precheck(backdesk.OpManageIntegrations, s.apiTokenRevoke)))
	s.handle(mux, "POST /api/v1/webhooks", s.api(s.precheck(backdesk.OpManageIntegrations, s.apiWebhookCreate)))
	s.handle(mux, "GET /api/v1/webhooks", s.api(s.apiWebhookList))
	s.handle(mux, "GET /api/v1/webhooks/{id}", s.api(s.apiWebhookGet))
	s.handle(mux, "PATCH /api/v1/webhooks/{id}", s.api(s.precheck(backdesk.OpManageIntegrations, s.apiWebhookUpdate)))
	s.handle(mux, "DELETE /api/v1/webhooks/{id}", s.api(s.precheck(backdesk.OpManageIntegrations, s.apiWebhookDelete)))
	s.handle(mux, "GET /api/v1/webhooks/{id}/deliveries", s.api(s.apiWebhookDeliveries))
	s.handle(mux, "POST /api/v1/webhooks/deliveries/{id}/resend", s.api(s.precheck(backdesk.OpManageIntegrations, s.apiWebhookResend)))
	s.handle(mux, "/api/", s.api(s.apiNotFound))

	// The FHIR R4 facade: for each resource type (fhir_resources.go) its
	// search (GET, and POST _search) and read; the CapabilityStatement;
	// booking the IHE ITI Scheduling way; an OperationOutcome for the rest.
	s.handle(mux, "GET /fhir/metadata", s.fhir(s.fhirMetadata))
	s.handle(mux, "GET /fhir/Appointment/$find", s.fhir(s.fhirFind))
	s.handle(mux, "POST /fhir/Appointment/$find", s.fhir(s.fhirFind))
	s.handle(mux, "POST /fhir/Appointment/$book", s.fhir(s.precheck(backdesk.OpBook, s.fhirBook)))
	for _, t := range s.fhirTypes() {
		s.handle(mux, "GET /fhir/"+t.name, s.fhir(s.fhirSearch(t)))
		post := s.fhirSearch(t)
		if t.signedIn {
			post = s.requireSignIn(post)
		}
		s.handle(mux, "POST /fhir/"+t.name+"/_search", s.fhir(post))
		s.handle(mux, "GET /fhir/"+t.name+"/{id}", s.fhir(s.fhirRead(t)))
	}
	s.handle(mux, "/fhir/", s.fhir(s.fhirUnsupported))

	// Pages.
	s.handle(mux, "GET /{$}", s.page(s.pageHome))
	s.handle(mux, "GET /practitioners", s.page(s.pagePractitionerList))
	s.handle(mux, "GET /practitioners/{id}", s.page(s.pagePractitionerView))
	s.handle(mux, "GET /services", s.page(s.pageOfferingList))
	s.handle(mux, "GET /locations", s.page(s.pageLocationList))
	s.handle(mux, "GET /assessment", s.page(s.pageAssessmentNew))
	s.handle(mux, "POST /assessment", s.page(s.pageAssessmentCreate))
	s.handle(mux, "GET /assessment/{id}", s.page(s.pageAssessmentView))
	s.handle(mux, "GET /assessment/{id}/print", s.page(s.pageAssessmentPrint))
	s.handle(mux, "GET /rules", s.page(s.pageRulebook))
	s.handle(mux, "GET /book", s.page(s.pageBook))
	s.handle(mux, "GET /book/review", s.page(s.pageBookReview))
	s.handle(mux, "POST /book", s.page(s.precheck(backdesk.OpBook, s.pageBookCreate)))
	s.handle(mux, "GET /appointments", s.page(s.requireSignIn(s.pageAppointmentList)))
	s.handle(mux, "GET /diary", s.page(s.requireSignIn(s.pageDiary)))
	s.handle(mux, "GET /diary/week", s.page(s.requireSignIn(s.pageDiaryWeek)))
	s.handle(mux, "GET /appointments/to-move", s.page(s.requireSignIn(s.pageToMove)))
	s.handle(mux, "POST /appointments/{id}/attendance", s.page(s.precheck(backdesk.OpChangeBooking, s.pageAppointmentAttendance)))
	s.handle(mux, "GET /appointments/{id}", s.page(s.pageAppointmentView))
	s.handle(mux, "GET /appointments/{id}/cancel", s.page(s.pageAppointmentCancelConfirm))
	s.handle(mux, "POST /appointments/{id}/cancel", s.page(s.precheck(backdesk.OpChangeBooking, s.pageAppointmentCancel)))
	s.handle(mux, "GET /appointments/{id}/intake", s.page(s.pageIntake))
	s.handle(mux, "POST /appointments/{id}/intake", s.page(s.precheck(backdesk.OpAnswerIntake, s.pageIntakeSubmit)))
	s.handle(mux, "GET /appointments/{id}/reschedule", s.page(s.pageAppointmentReschedule))
	s.handle(mux, "POST /appointments/{id}/reschedule", s.page(s.precheck(backdesk.OpChangeBooking, s.pageAppointmentRescheduleSubmit)))
	s.handle(mux, "GET /patients", s.page(s.requireSignIn(s.pagePatientList)))
	s.handle(mux, "POST /patients", s.page(s.precheck(backdesk.OpRecordPatient, s.pagePatientCreate)))
	s.handle(mux, "GET /patients/{id}", s.page(s.requireSignIn(s.pagePatientView)))
	s.handle(mux, "POST /patients/{id}/erase", s.page(s.precheck(backdesk.OpErasePatient, s.pagePatientErase)))
	s.handle(mux, "POST /patients/{id}/details", s.page(s.requireSignIn(s.pagePatientDetailsSave)))
	s.handle(mux, "GET /patients/{id}/merge", s.page(s.requireSignIn(s.pagePatientMergeConfirm)))
	s.handle(mux, "POST /patients/{id}/merge", s.page(s.precheck(backdesk.OpMergePatients, s.pagePatientMerge)))
	s.handle(mux, "POST /patient-merges/{id}/undo", s.page(s.precheck(backdesk.OpMergePatients, s.pagePatientMergeUndo)))
	s.handle(mux, "GET /time-off", s.page(s.requireSignIn(s.pageTimeOff)))
	s.handle(mux, "POST /time-off", s.page(s.precheck(backdesk.OpManageTimeOff, s.pageTimeOffCreate)))
	s.handle(mux, "POST /time-off/{id}/delete", s.page(s.precheck(backdesk.OpManageTimeOff, s.pageTimeOffDelete)))
	s.handle(mux, "GET /waitlist", s.page(s.requireSignIn(s.pageWaitlist)))
	s.handle(mux, "POST /waitlist", s.page(s.precheck(backdesk.OpWaitlist, s.pageWaitlistCreate)))
	s.handle(mux, "POST /waitlist/{id}/cancel", s.page(s.pageWaitlistCancel))
	s.handle(mux, "POST /waitlist/offers/{id}/accept", s.page(s.pageWaitlistAccept))
	s.handle(mux, "POST /waitlist/offers/{id}/decline", s.page(s.pageWaitlistDecline))
	s.handle(mux, "GET /referrals", s.page(s.requireSignIn(s.pageReferralList)))
	s.handle(mux, "GET /referrals/new", s.page(s.requireSignIn(s.pageReferralNew)))
	s.handle(mux, "POST /referrals", s.page(s.precheck(backdesk.OpRefer, s.pageReferralCreate)))
	s.handle(mux, "GET /referrals/{id}", s.page(s.requireSignIn(s.pageReferralView)))
	s.handle(mux, "POST /referrals/{id}/accept", s.page(s.precheck(backdesk.OpMoveReferral, s.pageReferralMove(backdesk.ReferralAccept))))
	s.handle(mux, "POST /referrals/{id}/decline", s.page(s.precheck(backdesk.OpMoveReferral, s.pageReferralMove(backdesk.ReferralDecline))))
	s.handle(mux, "POST /referrals/{id}/complete", s.page(s.precheck(backdesk.OpMoveReferral, s.pageReferralMove(backdesk.ReferralComplete))))
	s.handle(mux, "POST /referrals/{id}/withdraw", s.page(s.precheck(backdesk.OpMoveReferral, s.pageReferralMove(backdesk.ReferralWithdraw))))
	s.handle(mux, "GET /referrals/{id}/letter", s.page(s.requireSignIn(s.pageReferralLetter)))
	s.handle(mux, "POST /assessment/{id}/refer", s.page(s.precheck(backdesk.OpRefer, s.pageAssessmentRefer)))
	s.handle(mux, "POST /appointments/{id}/notes", s.page(s.precheck(backdesk.OpWriteNote, s.pageNoteCreate)))
	s.handle(mux, "GET /notes/{id}", s.page(s.requireSignIn(s.pageNoteView)))
	s.handle(mux, "POST /notes/{id}", s.page(s.precheck(backdesk.OpWriteNote, s.pageNoteUpdate)))
	s.handle(mux, "POST /notes/{id}/sign", s.page(s.requireSignIn(s.pageNoteSign)))
	s.handle(mux, "POST /notes/{id}/amend", s.page(s.precheck(backdesk.OpWriteNote, s.pageNoteAmend)))
	s.handle(mux, "GET /today", s.page(s.requireSignIn(s.pageDay)))
	s.handle(mux, "GET /contact", s.page(s.pageContact))
	s.handle(mux, "POST /contact", s.page(s.pageContactSubmit))
	s.handle(mux, "GET /register", s.page(s.pageRegister))
	s.handle(mux, "POST /register", s.page(s.pageRegisterSubmit))
	s.handle(mux, "GET /verify-email/{token}", s.page(s.pageVerifyEmail))
	s.handle(mux, "POST /verify-email/{token}", s.page(s.pageVerifyEmailSubmit))
	s.handle(mux, "POST /account/verify-email", s.page(s.requireSignIn(s.pageResendVerification)))
	s.handle(mux, "GET /password-reset", s.page(s.pagePasswordReset))
	s.handle(mux, "POST /password-reset", s.page(s.pagePasswordResetSubmit))
	s.handle(mux, "GET /password-reset/{token}", s.page(s.pagePasswordResetConfirm))
	s.handle(mux, "POST /password-reset/{token}", s.page(s.pagePasswordResetConfirmSubmit))
	s.handle(mux, "GET /account", s.page(s.pageAccount))
	s.handle(mux, "GET /account/details", s.page(s.pageAccountDetails))
	s.handle(mux, "POST /account/details", s.page(s.precheck(backdesk.OpChangePatient, s.pageAccountDetailsSave)))
	s.handle(mux, "GET /account/export", s.page(s.pageAccountExport))
	s.handle(mux, "POST /account/erase", s.page(s.precheck(backdesk.OpEraseAccount, s.pageAccountErase)))
	s.handle(mux, "POST /account/calendar-feed", s.page(s.pageCalendarFeedCreate))
	s.handle(mux, "POST /account/calendar-feed/revoke", s.page(s.pageCalendarFeedRevoke))
	s.handle(mux, "GET /exercises", s.page(s.pageExerciseList))
	s.handle(mux, "GET /exercises/new", s.page(s.pageExerciseNew))
	s.handle(mux, "POST /exercises/new", s.page(s.precheck(backdesk.OpWriteExercises, s.pageExerciseSave)))
	s.handle(mux, "GET /exercises/{id}", s.page(s.pageExerciseView))
	s.handle(mux, "GET /exercises/{id}/edit", s.page(s.pageExerciseEdit))
	s.handle(mux, "POST /exercises/{id}/edit", s.page(s.precheck(backdesk.OpWriteExercises, s.pageExerciseSave)))
	s.handle(mux, "GET /exercise-drawings/{file}", s.page(s.serveExerciseDrawing))
	s.handle(mux, "GET /plan", s.page(s.requireSignIn(s.pageMyPlan)))
	s.handle(mux, "GET /patients/{id}/care-plan/new", s.page(s.requireSignIn(s.pageCarePlanNew)))
	s.handle(mux, "POST /patients/{id}/care-plan/new", s.page(s.precheck(backdesk.OpWritePlan, s.pageCarePlanCreate)))
	s.handle(mux, "GET /care-plans/{id}", s.page(s.requireSignIn(s.pageCarePlanView)))
	s.handle(mux, "GET /care-plans/{id}/week", s.page(s.requireSignIn(s.pageCarePlanWeek)))
	s.handle(mux, "GET /care-plans/{id}/edit", s.page(s.requireSignIn(s.pageCarePlanEdit)))
	s.handle(mux, "POST /care-plans/{id}/edit", s.page(s.precheck(backdesk.OpWritePlan, s.pageCarePlanChange)))
	s.handle(mux, "GET /care-plans/{id}/versions/{version}", s.page(s.requireSignIn(s.pageCarePlanVersion)))
	s.handle(mux, "GET /care-plans/{id}/changes", s.page(s.requireSignIn(s.pageCarePlanChanges)))
	s.handle(mux, "POST /care-plans/{id}/done", s.page(s.precheck(backdesk.OpFollowPlan, s.pageCarePlanDone)))
	s.handle(mux, "POST /care-plans/{id}/reminders", s.page(s.precheck(backdesk.OpFollowPlan, s.pageCarePlanReminders)))
	s.handle(mux, "GET /care-plans/{id}/book", s.page(s.requireSignIn(s.pageCarePlanBook)))
	s.handle(mux, "POST /care-plans/{id}/book", s.page(s.precheck(backdesk.OpBook, s.pageCarePlanBookSubmit)))
	s.handle(mux, "GET /care-plans/{id}/handout", s.page(s.requireSignIn(s.pageCarePlanHandout)))
	s.handle(mux, "GET /care-plans/{id}/handout.pdf", s.page(s.requireSignIn(s.pageCarePlanHandoutPDF)))
	s.handle(mux, "GET /patients/{id}/outcomes", s.page(s.requireSignIn(s.pageOutcomes)))
	s.handle(mux, "POST /patients/{id}/outcomes", s.page(s.precheck(backdesk.OpRecordOutcome, s.pageOutcomeRecord)))
	s.handle(mux, "GET /patients/{id}/charts/{file}", s.page(s.requireSignIn(s.pageOutcomeChart)))
	s.handle(mux, "GET /outcomes/request/{token}", s.page(s.pageOutcomeRequest))
	s.handle(mux, "POST /outcomes/request/{token}", s.page(s.pageOutcomeRequestSubmit))
	s.handle(mux, "GET /emails/stop/{token}", s.page(s.pageEmailStop))
	s.handle(mux, "POST /emails/stop/{token}", s.page(s.pageEmailStopSubmit))
	s.handle(mux, "GET /login", s.page(s.pageLogin))
	s.handle(mux, "POST /login", s.page(s.pageLoginSubmit))
	s.handle(mux, "POST /logout", s.page(s.pageLogout))

	// Catalogue administration pages.
	s.handle(mux, "GET /admin", s.page(s.pageAdmin))
	s.handle(mux, "GET /admin/audit", s.page(s.pageAuditList))
	s.handle(mux, "GET /admin/outbox", s.page(s.pageOutboxList))
	s.handle(mux, "GET /admin/tokens", s.page(s.pageTokenList))
	s.handle(mux, "POST /admin/tokens", s.page(s.precheck(backdesk.OpManageIntegrations, s.pageTokenCreate)))
	s.handle(mux, "POST /admin/tokens/{id}/revoke", s.page(s.precheck(backdesk.OpManageIntegrations, s.pageTokenRevoke)))
	s.handle(mux, "GET /admin/webhooks", s.page(s.pageWebhookList))
	s.handle(mux, "POST /admin/webhooks", s.page(s.precheck(backdesk.OpManageIntegrations, s.pageWebhookCreate)))
	s.handle(mux, "GET /admin/webhooks/{id}", s.page(s.pageWebhookView))
	s.handle(mux, "POST /admin/webhooks/{id}", s.page(s.precheck(backdesk.OpManageIntegrations, s.pageWebhookUpdate)))
	s.handle(mux, "POST /admin/webhooks/{id}/delete", s.page(s.precheck(backdesk.OpManageIntegrations, s.pageWebhookDelete)))
	s.handle(mux, "POST /admin/webhooks/deliveries/{id}/resend", s.page(s.precheck(backdesk.OpManageIntegrations, s.pageWebhookResend)))
	s.handle(mux, "GET /admin/messages", s.page(s.pageMessageList))
	s.handle(mux, "GET /admin/messages/{id}", s.page(s.pageMessageView))
	s.handle(mux, "POST /admin/messages/{id}/answer", s.page(s.precheck(backdesk.OpAnswerMessage, s.pageMessageAnswer)))
	s.handle(mux, "GET /admin/services/new", s.page(s.pageOfferingEdit))
	s.handle(mux, "POST /admin/services/new", s.page(s.precheck(backdesk.OpEditCatalogue, s.pageOfferingSave)))
	s.handle(mux, "GET /admin/services/{id}", s.page(s.pageOfferingEdit))
	s.handle(mux, "POST /admin/services/{id}", s.page(s.precheck(backdesk.OpEditCatalogue, s.pageOfferingSave)))
	s.handle(mux, "GET /admin/practitioners/new", s.page(s.pagePractitionerEdit))
	s.handle(mux, "POST /admin/practitioners/new", s.page(s.precheck(backdesk.OpEditCatalogue, s.pagePractitionerSave)))
	s.handle(mux, "GET /admin/practitioners/{id}", s.page(s.pagePractitionerEdit))
	s.handle(mux, "POST /admin/practitioners/{id}", s.page(s.precheck(backdesk.OpEditCatalogue, s.pagePractitionerSave)))
	s.handle(mux, "GET /admin/locations/new", s.page(s.pageLocationEdit))
	s.handle(mux, "POST /admin/locations/new", s.page(s.precheck(backdesk.OpEditCatalogue, s.pageLocationSave)))
	s.handle(mux, "GET /admin/locations/{id}", s.page(s.pageLocationEdit))
	s.handle(mux, "POST /admin/locations/{id}", s.page(s.precheck(backdesk.OpEditCatalogue, s.pageLocationSave)))

	s.handle(mux, "/", s.page(s.pageNotFound))
}

func (s *Server) handle(mux *http.ServeMux, pattern string, h http.Handler) {
	s.patterns = append(s.patterns, pattern)
	if s.nextOp != "" { // its handler was built by precheck
		s.ops[pattern], s.nextOp = s.nextOp, ""
	}
	mux.Handle(pattern, h)
}

func (s *Server) handleFunc(mux *http.ServeMux, pattern string, h http.HandlerFunc) {
	s.handle(mux, pattern, h)
}

// Routes lists every route pattern, in registration order, so that tests
// can check that each one is covered.
func (s *Server) Routes() []string { return append([]string(nil), s.patterns...) }

// Operations names, for each route whose handler runs precheck, the
// operation it checks before reading the body, so that tests can hold
// every such refusal to come first.
func (s *Server) Operations() map[string]backdesk.Operation {
	out := make(map[string]backdesk.Operation, len(s.ops))
	for p, op := range s.ops {
		out[p] = op
	}
	return out
}
