// Package storetest is the conformance suite every backdesk.Store backend
// must pass. sqlstore runs it on SQLite always and on PostgreSQL when
// BACKDESK_TEST_POSTGRES_URL is set.
package storetest

import (
	"context"
	"testing"

	"backdesk"
)

// Opener returns an empty, migrated store and registers tb.Cleanup to close it.
type Opener func(tb testing.TB) backdesk.Store

// Run runs every conformance case, each on a fresh store.
func Run(t *testing.T, open Opener) {
	for _, c := range []struct {
		name string
		fn   func(t *testing.T, s backdesk.Store)
	}{
		{"Location/CreateAndFind", testLocationCreateAndFind},
		{"Location/NotFound", testLocationNotFound},
		{"Location/Invalid", testLocationInvalid},
		{"Location/Update", testLocationUpdate},
		{"Location/VisitorNotes", testLocationVisitorNotes},
		{"Catalogue/ChangesAudited", testCatalogueAudited},
		{"Offering/CreateFindFilter", testOfferingCreateFindFilter},
		{"Offering/NotFoundAndInvalid", testOfferingNotFoundAndInvalid},
		{"Offering/Update", testOfferingUpdate},
		{"Practitioner/CreateWithOffersAndHours", testPractitionerCreate},
		{"Practitioner/UnknownServiceIsInvalid", testPractitionerUnknownService},
		{"Practitioner/DuplicateRegistrationConflicts", testPractitionerDuplicateRegistration},
		{"Practitioner/UpdateReplacesOffers", testPractitionerUpdate},
		{"Practitioner/ConcurrentUpdatesKeepBoth", testPractitionerConcurrentUpdates},
		{"Practitioner/Filter", testPractitionerFilter},
		{"Practitioner/DisciplineAgrees", testPractitionerDisciplineAgrees},
		{"User/InsertAndFind", testUserInsertAndFind},
		{"User/DuplicateEmailConflicts", testUserDuplicateEmail},
		{"User/ConcurrentSameEmail", testUserConcurrentSameEmail},
		{"Session/Lifecycle", testSessionLifecycle},
		{"Assessment/RoundTrip", testAssessmentRoundTrip},
		{"Assessment/ByPatient", testAssessmentByPatient},
		{"Assessment/Attach", testAssessmentAttach},
		{"Patient/Read", testPatientRead},
		{"Patient/CreateAndSearch", testPatientCreateAndSearch},
		{"Patient/Erase", testPatientErase},
		{"Patient/UpdateKeepsHistory", testPatientUpdate},
		{"Patient/SearchIgnoresAccents", testPatientSearchFolds},
		{"Patient/PhoneNationalOrInternational", testPatientPhoneMatching},
		{"Patient/LookAlikes", testPatientLookAlikes},
		{"Patient/MergeAndUndo", testPatientMerge},
		{"Audit/NamesAndPerson", testAuditNamesAndPerson},
		{"Intake/WithDetails", testIntake},
		{"Audit/Filter", testAuditFilter},
		{"Audit/WrittenWithTheChange", testAuditWithChange},
		{"LoginFailures/Window", testLoginFailures},
		{"PasswordReset/SingleUse", testPasswordResetSingleUse},
		{"PasswordReset/ConcurrentUse", testPasswordResetRace},
		{"EmailVerification/SingleUse", testEmailVerification},
		{"Privacy/Export", testExportPersonalData},
		{"Privacy/Erase", testEraseUser},
		{"Privacy/MailByPatient", testPrivacyMailByPatient},
		{"Outbox/SensitiveWithheld", testOutboxWithheld},
		{"Booking/OverlapConflict", testBookingOverlap},
		{"Booking/TimeOffRefused", testBookingTimeOff},
		{"Booking/ClosedRecordRefused", testBookingClosedRecord},
		{"Booking/ConcurrentSameSlot", testBookingRace},
		{"Booking/Idempotency", testBookingIdempotency},
		{"Booking/AllOrNothing", testBookingAllOrNothing},
		{"Booking/RescheduleIsAtomic", testBookingReschedule},
		{"Booking/DSTRoundTrip", testBookingDSTRoundTrip},
		{"Booking/BusyIntervals", testBusyIntervals},
		{"Booking/FindFilter", testFindBookingsFilter},
		{"Booking/PractitionerTreatsPatient", testPractitionerTreats},
		{"Booking/NeedsMovingList", testBookingsToMove},
		{"Booking/Attendance", testBookingAttendance},
		{"Outbox/ReminderNeverLate", testReminderNeverLate},
		{"Booking/FromAssessmentAndMoves", testBookingFromAssessment},
		{"Booking/PatientLimit", testBookingPatientLimit},
		{"Outbox/ClaimLeaseAndRetry", testOutboxClaimAndRetry},
		{"Outbox/ConcurrentClaims", testOutboxConcurrentClaims},
		{"Outbox/ReleaseClaim", testOutboxRelease},
		{"Outbox/BookingChangesReplanMail", testOutboxBookingChanges},
		{"Outbox/AddressedAsStored", testOutboxAddressedAsStored},
		{"Outbox/WaitingFollowsRecord", testOutboxWaitingFollowsRecord},
		{"Outbox/TakesEmailAgrees", testOutboxTakesEmailAgrees},
		{"Outbox/UndoGivesBookingMailBack", testOutboxUndoGivesBookingMailBack},
		{"Message/InboxAndAnswer", testMessages},
		{"Calendar/FeedRenewAndRevoke", testCalendarFeed},
		{"Waitlist/QueueAndOffers", testWaitlist},
		{"Waitlist/OnceAndLimit", testWaitlistOnce},
		{"CarePlan/Versions", testCarePlanVersions},
		{"CarePlan/ConcurrentChanges", testCarePlanConcurrentChanges},
		{"CarePlan/ExerciseLogs", testExerciseLogs},
		{"CarePlan/ExerciseLogRace", testExerciseLogRace},
		{"CarePlan/ClinicExercises", testClinicExercises},
		{"CarePlan/ExportAndErase", testHomeProgrammeExportAndErase},
		{"Outcome/Series", testOutcomeSeries},
		{"Outcome/RequestsOncePerBooking", testOutcomeRequests},
		{"Reminder/OncePerDay", testReminders},
		{"Reminder/SigningKey", testSigningKey},
		{"Referral/RoundTrip", testReferralRoundTrip},
		{"Referral/StateMachine", testReferralStateMachine},
		{"Referral/ConcurrentAccept", testReferralConcurrentAccept},
		{"Referral/BookingFollowsTheAppointment", testReferralBooking},
		{"Referral/FindFilterAndOrder", testReferralFind},
		{"Referral/OneOpenPerAssessment", testReferralOneOpenPerAssessment},
		{"Note/VersionsAndSigned", testNoteVersions},
		{"Note/ConcurrentAmend", testNoteConcurrentAmend},
		{"APIToken/Lifecycle", testAPITokenLifecycle},
		{"Booking/IdempotencyByToken", testBookingIdempotencyByToken},
		{"Webhook/EventsWithTheChange", testWebhookEventsWithTheChange},
		{"Webhook/DeliveryLease", testWebhookDeliveryLease},
		{"Webhook/ConcurrentClaims", testWebhookConcurrentClaims},
		{"Webhook/Endpoints", testWebhookEndpoints},
		{"Webhook/PlansAndOutcomes", testWebhookPlansAndOutcomes},
		{"Webhook/Erasure", testWebhookErasure},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.fn(t, open(t))
		})
	}
}

// AdminContext is a context whose actor is an admin.
func AdminContext() context.Context {
	return backdesk.NewContextWithActor(context.Background(), backdesk.Actor{UserID: 1, Role: backdesk.RoleAdmin, Name: "Test admin"})
}

func wantCode(t *testing.T, err error, code backdesk.Code) {
	t.Helper()
	if got := backdesk.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// successes counts the nil errors of a race, and reports every error that
// is neither nil nor the expected loser's code.
func successes(t *testing.T, errs []error, loser backdesk.Code) int {
	t.Helper()
	ok := 0
	for _, err := range errs {
		switch backdesk.ErrorCode(err) {
		case "":
			ok++
		case loser:
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	return ok
}
