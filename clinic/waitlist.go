package clinic

import (
	"context"
	"errors"
	"fmt"
	"time"

	"backdesk"
)

// WaitlistService implements backdesk.WaitlistService. Freed times are
// offered by BookingService.offerFreedTime; accepting books through
// BookingService.CreateBooking, with every check of an ordinary booking.
type WaitlistService struct {
	Store    backdesk.WaitlistStore
	Bookings *BookingService
	Now      func() time.Time
}

var _ backdesk.WaitlistService = (*WaitlistService)(nil)

// CreateEntry adds a request. The service is the discipline's first-visit
// service unless one is named.
func (s *WaitlistService) CreateEntry(ctx context.Context, e *backdesk.WaitlistEntry) error {
	a, patientID, err := waitlistFor(ctx, e.PatientID)
	if err != nil {
		return err
	}
	e.PatientID = patientID
	if err := e.Validate(); err != nil {
		return err
	}
	if may(a, backdesk.PermFrontDesk) && s.Bookings.Patients != nil {
		if err := bookable(ctx, s.Bookings.Patients, patientID); err != nil {
			return err
		}
	}
	if e.PractitionerID != 0 {
		p, err := s.Bookings.Practitioners.FindPractitionerByID(ctx, e.PractitionerID)
		if err != nil {
			return err
		}
		e.Discipline = p.Discipline
	}
	if !e.Discipline.Valid() {
		return backdesk.FieldError("discipline", "choose a discipline or a practitioner")
	}
	if e.ServiceID == 0 {
		list, err := s.Bookings.Offerings.FindOfferings(ctx, backdesk.OfferingFilter{Discipline: e.Discipline, ActiveOnly: true})
		if err != nil {
			return err
		}
		for _, o := range list {
			if o.BookableOnline && (e.ServiceID == 0 || o.FirstVisit) {
				e.ServiceID = o.ID
			}
		}
		if e.ServiceID == 0 {
			return backdesk.FieldError("discipline", "no service of that discipline can be booked online")
		}
	}
	if e.To.String() < s.Now().Format(time.DateOnly) {
		return backdesk.FieldError("to", "the dates are in the past")
	}
	e.PatientLimit = 0
	if !may(a, backdesk.PermFrontDesk) { // a patient for themselves
		e.PatientLimit = s.Bookings.Limits.WaitingEntries
	}
	err = s.Store.InsertWaitlistEntry(ctx, e, backdesk.NewAuditEntry(a, backdesk.AuditWaitlistCreate, e.PatientID, "waitlist_entry", ""))
	if errors.Is(err, backdesk.ErrLimitReached) {
		return &backdesk.Error{Code: backdesk.CodeConflict, Err: err, Message: fmt.Sprintf(
			"You already have %s on the waitlist, the most you can have at one time. "+
				"To add another, remove one you no longer need, or call the clinic.", count(e.PatientLimit, "request"))}
	}
	return err
}

// FindEntries lists the patient's requests, every waiting request for
// the front desk, and for a practitioner those waiting for them.
func (s *WaitlistService) FindEntries(ctx context.Context) ([]*backdesk.WaitlistEntry, error) {
	a, err := requireAny(ctx, backdesk.PermFrontDesk, backdesk.PermBookForSelf, backdesk.PermTreat)
	switch {
	case backdesk.ErrorCode(err) == backdesk.CodeForbidden:
		return nil, backdesk.Errorf(backdesk.CodeForbidden, "Patients and reception use the waitlist.")
	case err != nil:
		return nil, err
	case may(a, backdesk.PermFrontDesk):
		return s.Store.FindWaitlistEntries(ctx, 0, true)
	case may(a, backdesk.PermBookForSelf):
		return s.Store.FindWaitlistEntries(ctx, a.PatientID, false)
	case a.PractitionerID == 0:
		return nil, errNotLinked
	}
	own, err := s.Bookings.Practitioners.FindPractitionerByID(ctx, a.PractitionerID)
	if err != nil {
		return nil, err
	}
	all, err := s.Store.FindWaitlistEntries(ctx, 0, true)
	if err != nil {
		return nil, err
	}
	out := []*backdesk.WaitlistEntry{}
	for _, e := range all {
		if waitingFor(own, e) {
			out = append(out, e)
		}
	}
	return out, nil
}

// CancelEntry withdraws a request whose patient's records the actor may
// see (CodeNotFound for anyone else's).
func (s *WaitlistService) CancelEntry(ctx context.Context, id int64) error {
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	if err := changes(a); err != nil {
		return err
	}
	e, err := s.Store.FindWaitlistEntryByID(ctx, id)
	if err != nil {
		return err
	}
	if ok, err := mayReadPatient(ctx, nil, a, e.PatientID); err != nil {
		return err
	} else if !ok {
		return backdesk.Errorf(backdesk.CodeNotFound, "Waitlist request not found.")
	}
	return s.Store.SetWaitlistEntryStatus(ctx, id, backdesk.WaitlistCancelled,
		backdesk.NewAuditEntry(a, backdesk.AuditWaitlistCancel, e.PatientID, "waitlist_entry", fmt.Sprint(id)))
}

// FindOffers lists the signed-in patient's open offers (none for staff).
func (s *WaitlistService) FindOffers(ctx context.Context) ([]*backdesk.WaitlistOffer, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if !may(a, backdesk.PermBookForSelf) {
		return []*backdesk.WaitlistOffer{}, nil
	}
	return s.Store.FindWaitlistOffers(ctx, a.PatientID, true)
}

// ownOpenOffer loads an open offer made to the signed-in patient
// (CodeNotFound for anyone else's).
func (s *WaitlistService) ownOpenOffer(ctx context.Context, id int64) (backdesk.Actor, *backdesk.WaitlistOffer, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return a, nil, err
	}
	o, err := s.Store.FindWaitlistOfferByID(ctx, id)
	if err != nil {
		return a, nil, err
	}
	if !may(a, backdesk.PermBookForSelf) || a.PatientID != o.PatientID {
		return a, nil, backdesk.Errorf(backdesk.CodeNotFound, "Offer not found.")
	}
	if err := offerClosed(o.Status); err != nil {
		return a, nil, err
	}
	return a, o, nil
}

// errAlreadyAccepted answers a second accept of an offer its patient has
// accepted: they are booked, not told that the time has gone.
var errAlreadyAccepted = backdesk.Errorf(backdesk.CodeConflict, "You have already accepted this offer: the appointment is booked.")

// offerClosed says why an offer in status can no longer be answered; nil
// while it is open.
func offerClosed(status backdesk.OfferStatus) error {
	switch status {
	case backdesk.OfferOpen:
		return nil
	case backdesk.OfferAccepted:
		return errAlreadyAccepted
	case backdesk.OfferTaken:
		return backdesk.Errorf(backdesk.CodeConflict, "Sorry: that time has been taken by someone else. You stay on the waitlist.")
	case backdesk.OfferDeclined:
		return backdesk.Errorf(backdesk.CodeConflict, "You turned this offer down.")
	}
	return backdesk.Errorf(backdesk.CodeConflict, "That offer is no longer open.")
}

// offerKey is the idempotency key of the booking that accepting offer id
// makes: accepts of one offer sent together (a double tap, a retry) make
// one booking, and each of them is answered with it.
func offerKey(id int64) string { return fmt.Sprintf("backdesk:waitlist-offer:%d", id) }

// answered is the audit line of a patient's answer to an offer.
func answered(a backdesk.Actor, o *backdesk.WaitlistOffer) *backdesk.AuditEntry {
	return backdesk.NewAuditEntry(a, backdesk.AuditWaitlistAnswer, o.PatientID, "waitlist_offer", fmt.Sprint(o.ID))
}

// AcceptOffer books the offered time as the patient would book it. If the
// time has gone (someone else accepted first), the offer is marked taken
// and the answer is CodeConflict; the request stays on the list. Accepts of
// one offer sent at once by its patient make one booking: the one that
// closes the offer answers with it, the others that it is already
// accepted.
func (s *WaitlistService) AcceptOffer(ctx context.Context, id int64) (*backdesk.Booking, error) {
	a, o, err := s.ownOpenOffer(ctx, id)
	if err != nil {
		return nil, err
	}
	b, err := s.Bookings.CreateBooking(ctx, backdesk.BookingRequest{ServiceID: o.ServiceID, PractitionerID: o.PractitionerID, Start: o.Start,
		IdempotencyKey: offerKey(o.ID)})
	if errors.Is(err, backdesk.ErrLimitReached) {
		return nil, err // the patient holds as many as they may; the offer stays open
	}
	if backdesk.ErrorCode(err) == backdesk.CodeConflict || backdesk.ErrorCode(err) == backdesk.CodeInvalid {
		if cerr := s.Store.CloseWaitlistOffer(ctx, o.ID, backdesk.OfferTaken, 0, answered(a, o)); cerr != nil && backdesk.ErrorCode(cerr) != backdesk.CodeConflict {
			return nil, cerr
		}
		return nil, backdesk.Errorf(backdesk.CodeConflict, "Sorry: that time has just been taken. You stay on the waitlist.")
	} else if err != nil {
		return nil, err
	}
	if err := s.Store.CloseWaitlistOffer(ctx, o.ID, backdesk.OfferAccepted, b.ID, answered(a, o)); backdesk.ErrorCode(err) == backdesk.CodeConflict {
		// Another accept of this offer closed it first (with this same
		// booking), or the patient turned it down meanwhile.
		if now, ferr := s.Store.FindWaitlistOfferByID(ctx, o.ID); ferr == nil {
			if cerr := offerClosed(now.Status); cerr != nil {
				return nil, cerr
			}
		}
		return nil, err
	} else if err != nil {
		return nil, err
	}
	return b, nil
}

// DeclineOffer turns an offer down.
func (s *WaitlistService) DeclineOffer(ctx context.Context, id int64) error {
	a, o, err := s.ownOpenOffer(ctx, id)
	if err != nil {
		return err
	}
	return s.Store.CloseWaitlistOffer(ctx, o.ID, backdesk.OfferDeclined, 0, answered(a, o))
}

// waitlistJob is the system actor that offers freed times to the waitlist:
// work that no person asked for, audited as the system.
var waitlistJob = backdesk.SystemActor("waitlist")

// offerFreedTime offers a time freed by a cancellation or a move to every
// waiting request it suits, in queue order, with an email each. It checks
// the time is free for each request's own service, as booking would. An
// error here never undoes the cancellation: it is logged by the caller.
func (s *BookingService) offerFreedTime(ctx context.Context, freed *backdesk.Booking) error {
	if s.Waitlist == nil || !freed.Start.After(s.Now()) {
		return nil
	}
	entries, err := s.Waitlist.FindWaitlistEntries(ctx, 0, true)
	if err != nil {
		return err
	}
	pr, err := s.Practitioners.FindPractitionerByID(ctx, freed.PractitionerID)
	if err != nil {
		return err
	}
	l, err := s.Locations.FindLocationByID(ctx, freed.LocationID)
	if err != nil {
		return err
	}
	tz, err := l.Zone()
	if err != nil {
		return err
	}
	var offers []*backdesk.WaitlistOffer
	var msgs []*backdesk.OutboxMessage
	var audit []*backdesk.AuditEntry
	offered := map[int64]bool{} // one offer of a time per patient, however many requests it suits
	for _, e := range entries {
		if e.PatientID == freed.PatientID || offered[e.PatientID] || (e.PractitionerID != 0 && e.PractitionerID != pr.ID) || (e.PractitionerID == 0 && e.Discipline != pr.Discipline) {
			continue
		}
		o, err := s.Offerings.FindOfferingByID(ctx, e.ServiceID)
		if err != nil || !e.Wants(freed.Start.In(tz), o.Duration()) {
			continue
		}
		slot, err := s.findSlot(ctx, e.ServiceID, pr.ID, freed.Start, nil)
		if err != nil {
			continue // not free for this service (length, buffer, hours)
		}
		offered[e.PatientID] = true
		offers = append(offers, &backdesk.WaitlistOffer{EntryID: e.ID, PatientID: e.PatientID, ServiceID: e.ServiceID, PractitionerID: pr.ID,
			LocationID: slot.LocationID, Start: slot.Start.UTC(), End: slot.End.UTC()})
		// The store reads the patient's record to address the offer (none
		// to a patient without an address or who asked not to be emailed:
		// reception phones them); the offer's own audit line says so.
		audit = append(audit, backdesk.NewAuditEntry(waitlistJob, backdesk.AuditWaitlistOffer, e.PatientID, "waitlist_offer", ""))
		when := backdesk.LocaleFor(l.Country).When(slot.Start.In(tz))
		msgs = append(msgs, toPatient(e.PatientID, "waitlist_offer", "A time has come up: "+when,
			fmt.Sprintf("A time you asked for on the waitlist has come up: %s with %s, %s, at %s.\n\n"+
				"Sign in and open \"Appointments\" to accept it. It goes to the first person to accept; nothing is booked until you do.\n\n%s\n",
				o.Name, pr.Name, when, l.Name, l.Name)))
	}
	if len(offers) == 0 {
		return nil
	}
	return s.Waitlist.InsertWaitlistOffers(ctx, offers, msgs, audit)
}
