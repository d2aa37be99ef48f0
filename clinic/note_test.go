package clinic_test

import (
	"context"
	"testing"
	"time"

	"backdesk"
	"backdesk/clinic"
	"backdesk/mock"
)

func asActor(a backdesk.Actor) context.Context {
	return backdesk.NewContextWithActor(context.Background(), a)
}

var (
	noon       = time.Date(2030, 3, 4, 12, 0, 0, 0, time.UTC)
	author     = asActor(backdesk.Actor{UserID: 10, Role: backdesk.RolePractitioner, PractitionerID: 1})
	colleague  = asActor(backdesk.Actor{UserID: 11, Role: backdesk.RolePractitioner, PractitionerID: 2}) // treats patient 7 too
	stranger   = asActor(backdesk.Actor{UserID: 12, Role: backdesk.RolePractitioner, PractitionerID: 3}) // treats nobody
	deskActor  = asActor(backdesk.Actor{UserID: 13, Role: backdesk.RoleReception})
	adminActor = asActor(backdesk.Actor{UserID: 14, Role: backdesk.RoleAdmin})
	patient7   = asActor(backdesk.Actor{UserID: 15, Role: backdesk.RolePatient, PatientID: 7})
)

// noteFixture is a note service over one draft note (id 1) of appointment
// 100 of patient 7 with practitioner 1, booked from referral 50.
func noteFixture(t *testing.T, start time.Time, referral backdesk.ReferralStatus) (*clinic.NoteService, *mock.AuditWriter, *int64) {
	note := &backdesk.ClinicalNote{ID: 1, BookingID: 100, PatientID: 7, PractitionerID: 1, Version: 1, Status: backdesk.NoteDraft,
		NoteText: backdesk.NoteText{Subjective: "private words"}}
	audit := &mock.AuditWriter{}
	completes := new(int64)
	*completes = -1
	s := &clinic.NoteService{
		Store: &mock.NoteStore{
			FindNoteByIDFn: func(ctx context.Context, id int64) (*backdesk.ClinicalNote, error) {
				if id != 1 {
					return nil, backdesk.Errorf(backdesk.CodeNotFound, "Note not found.")
				}
				n := *note
				return &n, nil
			},
			FindNotesFn: func(ctx context.Context, f backdesk.NoteFilter) ([]*backdesk.ClinicalNote, error) {
				n := *note
				return []*backdesk.ClinicalNote{&n}, nil
			},
			SignNoteFn: func(ctx context.Context, id, signedBy, c int64, a *backdesk.AuditEntry) (*backdesk.ClinicalNote, error) {
				*completes = c
				n := *note
				n.Status = backdesk.NoteSigned
				return &n, nil
			},
		},
		Bookings: &mock.BookingStore{FindBookingByIDFn: func(ctx context.Context, id int64) (*backdesk.Booking, error) {
			return &backdesk.Booking{ID: 100, PatientID: 7, PractitionerID: 1, Start: start, Status: backdesk.BookingBooked, ReferralID: 50}, nil
		}},
		Referrals: &mock.ReferralStore{FindReferralByIDFn: func(ctx context.Context, id int64) (*backdesk.Referral, error) {
			return &backdesk.Referral{ID: 50, PatientID: 7, Status: referral, BookingID: 100, ToDiscipline: backdesk.DisciplinePhysiotherapist}, nil
		}},
		Care:  treatsFunc(func(p, patient int64) bool { return (p == 1 || p == 2) && patient == 7 }),
		Audit: audit,
		Now:   func() time.Time { return noon },
	}
	return s, audit, completes
}

// TestNoteReaders: the text to practitioners who treat the patient and to
// admins, only that it exists to reception, nothing to anyone else; every
// read by staff audited.
func TestNoteReaders(t *testing.T) {
	for _, tc := range []struct {
		name     string
		ctx      context.Context
		want     backdesk.Code
		withheld bool
		actions  []backdesk.NoteAction
		audited  bool
	}{
		{"its author", author, "", false, []backdesk.NoteAction{backdesk.NoteEdit, backdesk.NoteSign}, true},
		{"a colleague who treats the patient", colleague, "", false, []backdesk.NoteAction{}, true},
		{"a practitioner who does not", stranger, backdesk.CodeNotFound, false, nil, false},
		{"reception", deskActor, "", true, []backdesk.NoteAction{}, true},
		{"admin", adminActor, "", false, []backdesk.NoteAction{}, true},
		{"the patient (export only)", patient7, backdesk.CodeNotFound, false, nil, false},
		{"anonymous", context.Background(), backdesk.CodeUnauthorized, false, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, audit, _ := noteFixture(t, noon, backdesk.ReferralBooked)
			n, err := s.FindNoteByID(tc.ctx, 1)
			if backdesk.ErrorCode(err) != tc.want {
				t.Fatalf("FindNoteByID = %v, want %q", err, tc.want)
			}
			if len(audit.Entries) > 0 != tc.audited {
				t.Errorf("audit lines %+v, want audited %v", audit.Entries, tc.audited)
			}
			if err != nil {
				return
			}
			if n.TextWithheld != tc.withheld || (n.Subjective == "") != tc.withheld {
				t.Errorf("withheld %v, text %q", n.TextWithheld, n.Subjective)
			}
			if len(n.Actions) != len(tc.actions) {
				t.Errorf("actions %v, want %v", n.Actions, tc.actions)
			}
			list, err := s.FindNotes(tc.ctx, 100)
			if err != nil || len(list) != 1 || list[0].TextWithheld != tc.withheld {
				t.Errorf("FindNotes = %+v, %v", list, err)
			}
		})
	}
}

// TestNoteSigning: only the author signs; signing the note of a started
// appointment booked from a referral completes the referral in the same
// store call, and not before the appointment has begun.
func TestNoteSigning(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ctx       context.Context
		start     time.Time
		referral  backdesk.ReferralStatus
		want      backdesk.Code
		completes int64
	}{
		{"the author, after the visit", author, noon.Add(-time.Hour), backdesk.ReferralBooked, "", 50},
		{"the author, before the visit", author, noon.Add(time.Hour), backdesk.ReferralBooked, "", 0},
		{"the author, a referral already completed", author, noon.Add(-time.Hour), backdesk.ReferralCompleted, "", 0},
		{"a colleague who treats the patient", colleague, noon.Add(-time.Hour), backdesk.ReferralBooked, backdesk.CodeForbidden, -1},
		{"a practitioner who does not", stranger, noon.Add(-time.Hour), backdesk.ReferralBooked, backdesk.CodeNotFound, -1},
		{"reception", deskActor, noon.Add(-time.Hour), backdesk.ReferralBooked, backdesk.CodeForbidden, -1},
		{"admin", adminActor, noon.Add(-time.Hour), backdesk.ReferralBooked, backdesk.CodeForbidden, -1},
		{"the patient", patient7, noon.Add(-time.Hour), backdesk.ReferralBooked, backdesk.CodeNotFound, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _, completes := noteFixture(t, tc.start, tc.referral)
			_, err := s.SignNote(tc.ctx, 1)
			if backdesk.ErrorCode(err) != tc.want || *completes != tc.completes {
				t.Errorf("SignNote = %v, completes %d; want %q, %d", err, *completes, tc.want, tc.completes)
			}
		})
	}
	// A draft is edited, not amended.
	s, _, _ := noteFixture(t, noon, backdesk.ReferralBooked)
	if _, err := s.AmendNote(author, 1, backdesk.NoteText{Plan: "x"}, "why"); backdesk.ErrorCode(err) != backdesk.CodeConflict {
		t.Errorf("AmendNote of a draft = %v, want conflict", err)
	}
}

// TestCareThroughReferrals: a referral makes a practitioner treat its
// patient when it names them, was accepted by them, or goes to their
// discipline with nobody named or accepting; never once declined or
// withdrawn, and never for a referral outside the clinic.
func TestCareThroughReferrals(t *testing.T) {
	physio := &backdesk.Practitioner{ID: 1, Discipline: backdesk.DisciplinePhysiotherapist}
	other := &backdesk.Practitioner{ID: 2, Discipline: backdesk.DisciplinePhysiotherapist}
	for _, tc := range []struct {
		name string
		r    backdesk.Referral
		want map[int64]bool // by practitioner
	}{
		{"to the discipline", backdesk.Referral{ToDiscipline: physio.Discipline, Status: backdesk.ReferralRequested}, map[int64]bool{1: true, 2: true}},
		{"named", backdesk.Referral{ToDiscipline: physio.Discipline, ToPractitionerID: 2, Status: backdesk.ReferralRequested}, map[int64]bool{1: false, 2: true}},
		{"accepted by one", backdesk.Referral{ToDiscipline: physio.Discipline, AcceptedBy: 1, Status: backdesk.ReferralBooked}, map[int64]bool{1: true, 2: false}},
		{"completed", backdesk.Referral{ToDiscipline: physio.Discipline, AcceptedBy: 1, Status: backdesk.ReferralCompleted}, map[int64]bool{1: true, 2: false}},
		{"declined", backdesk.Referral{ToDiscipline: physio.Discipline, Status: backdesk.ReferralDeclined}, map[int64]bool{1: false, 2: false}},
		{"withdrawn", backdesk.Referral{ToDiscipline: physio.Discipline, Status: backdesk.ReferralWithdrawn}, map[int64]bool{1: false, 2: false}},
		{"another discipline", backdesk.Referral{ToDiscipline: backdesk.DisciplineMassageTherapist, Status: backdesk.ReferralRequested}, map[int64]bool{1: false, 2: false}},
		{"outside the clinic", backdesk.Referral{ToExternal: backdesk.ExternalGP, Status: backdesk.ReferralAccepted}, map[int64]bool{1: false, 2: false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.r
			r.PatientID = 7
			care := clinic.Care{
				Appointments: treatsFunc(func(p, patient int64) bool { return false }),
				Referrals: &mock.ReferralStore{FindReferralsFn: func(ctx context.Context, f backdesk.ReferralFilter) ([]*backdesk.Referral, int, error) {
					return []*backdesk.Referral{&r}, 1, nil
				}},
				Practitioners: &mock.PractitionerStore{FindPractitionerByIDFn: func(ctx context.Context, id int64) (*backdesk.Practitioner, error) {
					return map[int64]*backdesk.Practitioner{1: physio, 2: other}[id], nil
				}},
			}
			for p, want := range tc.want {
				if got, err := care.PractitionerTreats(context.Background(), p, 7); err != nil || got != want {
					t.Errorf("practitioner %d treats = %v, %v; want %v", p, got, err, want)
				}
			}
		})
	}
}

// TestCompleteReferral: inside the clinic the receiving side completes a
// booked referral once its appointment has started; outside, the referrer
// records it once accepted.
func TestCompleteReferral(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		r     backdesk.Referral
		start time.Time
		want  backdesk.Code
	}{
		{"after the visit", author, backdesk.Referral{ToDiscipline: backdesk.DisciplinePhysiotherapist, Status: backdesk.ReferralBooked, BookingID: 100, FromPractitionerID: 4}, noon.Add(-time.Hour), ""},
		{"before the visit", author, backdesk.Referral{ToDiscipline: backdesk.DisciplinePhysiotherapist, Status: backdesk.ReferralBooked, BookingID: 100, FromPractitionerID: 4}, noon.Add(time.Hour), backdesk.CodeConflict},
		{"not yet booked", author, backdesk.Referral{ToDiscipline: backdesk.DisciplinePhysiotherapist, Status: backdesk.ReferralAccepted, FromPractitionerID: 4}, noon, backdesk.CodeConflict},
		{"by the referrer", author, backdesk.Referral{ToDiscipline: backdesk.DisciplinePhysiotherapist, Status: backdesk.ReferralBooked, BookingID: 100, FromPractitionerID: 1}, noon.Add(-time.Hour), backdesk.CodeForbidden},
		{"by reception", deskActor, backdesk.Referral{ToDiscipline: backdesk.DisciplinePhysiotherapist, Status: backdesk.ReferralBooked, BookingID: 100, FromPractitionerID: 4}, noon.Add(-time.Hour), backdesk.CodeForbidden},
		{"outside, by the referrer", author, backdesk.Referral{ToExternal: backdesk.ExternalGP, RecipientName: "Dr X", Status: backdesk.ReferralAccepted, FromPractitionerID: 1}, noon, ""},
		{"outside, by reception", deskActor, backdesk.Referral{ToExternal: backdesk.ExternalGP, RecipientName: "Dr X", Status: backdesk.ReferralAccepted, FromPractitionerID: 1}, noon, ""},
		{"outside, by another practitioner", colleague, backdesk.Referral{ToExternal: backdesk.ExternalGP, RecipientName: "Dr X", Status: backdesk.ReferralAccepted, FromPractitionerID: 1}, noon, backdesk.CodeForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.r
			r.ID, r.PatientID = 50, 7
			moved := false
			s := &clinic.ReferralService{
				Store: &mock.ReferralStore{
					FindReferralByIDFn: func(ctx context.Context, id int64) (*backdesk.Referral, error) { c := r; return &c, nil },
					TransitionReferralFn: func(ctx context.Context, id int64, tr backdesk.ReferralTransition, msgs []*backdesk.OutboxMessage, a *backdesk.AuditEntry) (*backdesk.Referral, error) {
						moved = true
						c := r
						return &c, nil
					},
				},
				Practitioners: &mock.PractitionerStore{FindPractitionerByIDFn: func(ctx context.Context, id int64) (*backdesk.Practitioner, error) {
					return &backdesk.Practitioner{ID: id, Discipline: backdesk.DisciplinePhysiotherapist}, nil
				}},
				Bookings: &mock.BookingStore{FindBookingByIDFn: func(ctx context.Context, id int64) (*backdesk.Booking, error) {
					return &backdesk.Booking{ID: 100, PatientID: 7, PractitionerID: 1, Start: tc.start}, nil
				}},
				Care:  treatsFunc(func(p, patient int64) bool { return p == 1 || p == 2 }),
				Audit: &mock.AuditWriter{},
				Now:   func() time.Time { return noon },
			}
			_, err := s.CompleteReferral(tc.ctx, 50)
			if backdesk.ErrorCode(err) != tc.want || moved != (tc.want == "") {
				t.Errorf("CompleteReferral = %v (stored: %v), want %q", err, moved, tc.want)
			}
		})
	}
}
