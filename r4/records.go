package r4

import (
	"strings"
	"time"

	"backdesk"

	"github.com/samply/golang-fhir-models/fhir-models/fhir"
)

// Patient is a patient's record. An erased record keeps only its id and
// says it is no longer active.
func Patient(p *backdesk.Patient) fhir.Patient {
	r := fhir.Patient{Id: ptr(ID(p.ID)), Active: ptr(p.ErasedAt == nil)}
	if p.ErasedAt != nil {
		return r
	}
	r.Name = []fhir.HumanName{{Use: ptr(fhir.NameUseUsual), Text: ptr(p.Name)}}
	if p.Email != "" {
		r.Telecom = append(r.Telecom, fhir.ContactPoint{System: ptr(fhir.ContactPointSystemEmail), Value: ptr(p.Email)})
	}
	if p.Phone != "" {
		r.Telecom = append(r.Telecom, fhir.ContactPoint{System: ptr(fhir.ContactPointSystemPhone), Value: ptr(p.Phone)})
	}
	if p.DateOfBirth != "" {
		r.BirthDate = ptr(p.DateOfBirth)
	}
	return r
}

// Appointment is a booking. o is its service (for the service type; nil
// when unknown), zone its location's time zone.
func Appointment(b *backdesk.Booking, o *backdesk.Offering, zone *time.Location) fhir.Appointment {
	r := fhir.Appointment{Id: ptr(ID(b.ID)), Status: fhir.AppointmentStatusBooked,
		Start: ptr(Instant(b.Start, zone)), End: ptr(Instant(b.End, zone)), MinutesDuration: ptr(int(b.End.Sub(b.Start) / time.Minute)),
		Created: ptr(Instant(b.CreatedAt, zone)),
		Participant: []fhir.AppointmentParticipant{
			{Actor: refDisplay("Patient", b.PatientID, b.PatientName), Required: ptr(fhir.ParticipantRequiredRequired), Status: fhir.ParticipationStatusAccepted},
			{Actor: Ref("Practitioner", b.PractitionerID), Required: ptr(fhir.ParticipantRequiredRequired), Status: fhir.ParticipationStatusAccepted},
			{Actor: Ref("Location", b.LocationID), Required: ptr(fhir.ParticipantRequiredRequired), Status: fhir.ParticipationStatusAccepted},
			{Actor: Ref("HealthcareService", b.ServiceID), Required: ptr(fhir.ParticipantRequiredRequired), Status: fhir.ParticipationStatusAccepted},
		}}
	if o != nil {
		r.ServiceType = []fhir.CodeableConcept{{Text: ptr(o.Name)}}
		r.Participant[3].Actor.Display = ptr(o.Name)
	}
	if b.Status == backdesk.BookingCancelled {
		r.Status = fhir.AppointmentStatusCancelled
		reason := b.CancelReason
		if reason == "" {
			reason = "Cancelled"
		}
		if b.LateCancellation {
			reason += " (late cancellation)"
		}
		r.CancelationReason = text(reason)
		for i := range r.Participant {
			r.Participant[i].Status = fhir.ParticipationStatusDeclined
		}
	}
	if b.ReferralID != 0 {
		r.BasedOn = []fhir.Reference{*Ref("ServiceRequest", b.ReferralID)}
	}
	if b.RescheduledFrom != 0 {
		r.Comment = ptr("Moved from appointment " + ID(b.RescheduledFrom) + ".")
	}
	return r
}

// proposedPrefix starts the id of a proposed appointment.
const proposedPrefix = "proposed-"

// ProposedID is the id of the proposed appointment of a free slot: $book
// takes it back as appointment-reference.
func ProposedID(sl backdesk.Slot) string { return proposedPrefix + SlotID(sl) }

// ParseProposedID reads a proposed appointment's id.
func ParseProposedID(id string) (SlotKey, bool) {
	if !strings.HasPrefix(id, proposedPrefix) {
		return SlotKey{}, false
	}
	return ParseSlotID(strings.TrimPrefix(id, proposedPrefix))
}

// Proposed is a free slot offered by $find, as IHE ITI Scheduling shapes
// it: a proposed appointment whose participants still need to accept it;
// patientID, when not 0, is the patient it is for.
func Proposed(sl backdesk.Slot, o *backdesk.Offering, patientID int64, referralID int64) fhir.Appointment {
	zone := sl.Start.Location()
	r := fhir.Appointment{Id: ptr(ProposedID(sl)), Status: fhir.AppointmentStatusProposed,
		Start: ptr(Instant(sl.Start, zone)), End: ptr(Instant(sl.End, zone)), MinutesDuration: ptr(int(sl.End.Sub(sl.Start) / time.Minute)),
		Slot: []fhir.Reference{{Reference: ptr("Slot/" + SlotID(sl))}},
		Participant: []fhir.AppointmentParticipant{
			{Actor: Ref("Practitioner", sl.PractitionerID), Required: ptr(fhir.ParticipantRequiredRequired), Status: fhir.ParticipationStatusNeedsAction},
			{Actor: Ref("Location", sl.LocationID), Required: ptr(fhir.ParticipantRequiredRequired), Status: fhir.ParticipationStatusNeedsAction},
			{Actor: Ref("HealthcareService", sl.ServiceID), Required: ptr(fhir.ParticipantRequiredRequired), Status: fhir.ParticipationStatusNeedsAction},
		}}
	if o != nil {
		r.ServiceType = []fhir.CodeableConcept{{Text: ptr(o.Name)}}
	}
	if patientID != 0 {
		r.Participant = append(r.Participant, fhir.AppointmentParticipant{Actor: Ref("Patient", patientID),
			Required: ptr(fhir.ParticipantRequiredRequired), Status: fhir.ParticipationStatusNeedsAction})
	}
	if referralID != 0 {
		r.BasedOn = []fhir.Reference{*Ref("ServiceRequest", referralID)}
	}
	return r
}

// RequestStatus is a referral's status as a ServiceRequest's: under way is
// active, completed is completed, declined and withdrawn are revoked.
func RequestStatus(s backdesk.ReferralStatus) fhir.RequestStatus {
	switch s {
	case backdesk.ReferralCompleted:
		return fhir.RequestStatusCompleted
	case backdesk.ReferralDeclined, backdesk.ReferralWithdrawn:
		return fhir.RequestStatusRevoked
	}
	return fhir.RequestStatusActive
}

// ReferralStatuses are the referral statuses of a ServiceRequest status
// code; false for a code of the value set that no referral has, and for
// one that is not in it.
func ReferralStatuses(code string) ([]backdesk.ReferralStatus, bool) {
	switch code {
	case "active":
		return []backdesk.ReferralStatus{backdesk.ReferralRequested, backdesk.ReferralAccepted, backdesk.ReferralBooked}, true
	case "completed":
		return []backdesk.ReferralStatus{backdesk.ReferralCompleted}, true
	case "revoked":
		return []backdesk.ReferralStatus{backdesk.ReferralDeclined, backdesk.ReferralWithdrawn}, true
	}
	return nil, false
}

// RequestStatusCodes are the codes of the ServiceRequest status value set.
var RequestStatusCodes = []string{"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}

// priority maps urgency to FHIR's request priorities by their definitions:
// soon (within a week) is urgent, "higher priority than routine"; urgent
// (the same day) is asap, "higher priority than urgent".
func priority(u backdesk.ReferralUrgency) fhir.RequestPriority {
	switch u {
	case backdesk.UrgencySoon:
		return fhir.RequestPriorityUrgent
	case backdesk.UrgencyUrgent:
		return fhir.RequestPriorityAsap
	}
	return fhir.RequestPriorityRoutine
}

// ServiceRequest is a referral: to a discipline of the clinic (and maybe a
// named practitioner) or to a doctor outside it, categorised with SNOMED
// CT's "Patient referral" (3457005).
func ServiceRequest(r *backdesk.Referral) fhir.ServiceRequest {
	sr := fhir.ServiceRequest{Id: ptr(ID(r.ID)), Status: RequestStatus(r.Status), Intent: fhir.RequestIntentOrder,
		Category: []fhir.CodeableConcept{{Coding: []fhir.Coding{{System: ptr(SNOMED), Code: ptr("3457005"), Display: ptr("Patient referral")}}, Text: ptr("Referral")}},
		Priority: ptr(priority(r.Urgency)), Code: text("Referral: " + r.Destination()),
		Subject: *refDisplay("Patient", r.PatientID, r.PatientName), AuthoredOn: ptr(Instant(r.CreatedAt, nil)),
		Requester: Ref("Practitioner", r.FromPractitionerID), ReasonCode: []fhir.CodeableConcept{{Text: ptr(r.Reason)}}}
	if r.External() {
		sr.PerformerType = text(r.ToExternal.Label())
	} else {
		sr.PerformerType = text(r.ToDiscipline.Label())
		switch {
		case r.AcceptedBy != 0:
			sr.Performer = []fhir.Reference{*Ref("Practitioner", r.AcceptedBy)}
		case r.ToPractitionerID != 0:
			sr.Performer = []fhir.Reference{*Ref("Practitioner", r.ToPractitionerID)}
		}
	}
	if r.Findings != "" {
		sr.Note = append(sr.Note, fhir.Annotation{Text: "Findings: " + r.Findings})
	}
	if r.StatusReason != "" {
		sr.Note = append(sr.Note, fhir.Annotation{Text: r.Status.Label() + ": " + r.StatusReason})
	}
	if r.AssessmentID != "" {
		sr.SupportingInfo = []fhir.Reference{{Reference: ptr("QuestionnaireResponse/" + r.AssessmentID)}}
	}
	return sr
}
