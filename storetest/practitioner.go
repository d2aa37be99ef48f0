package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"backdesk"

	"github.com/google/go-cmp/cmp"
)

func testPractitionerCreate(t *testing.T, s backdesk.Store) {
	l := MustCreateLocation(t, s)
	o := MustCreateOffering(t, s, "Physiotherapy initial assessment", backdesk.DisciplinePhysiotherapist)
	p := MustCreatePractitioner(t, s, "Amira Shah", backdesk.DisciplinePhysiotherapist, o, l)
	got, err := s.FindPractitionerByID(context.Background(), p.ID)
	must(t, err)
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("FindPractitionerByID mismatch (-want +got):\n%s", diff)
	}
	_, err = s.FindPractitionerByID(context.Background(), p.ID+100)
	wantCode(t, err, backdesk.CodeNotFound)
}

func testPractitionerUnknownService(t *testing.T, s backdesk.Store) {
	l := MustCreateLocation(t, s)
	p := &backdesk.Practitioner{Name: "Ghost", Discipline: backdesk.DisciplinePhysiotherapist, Active: true,
		Offers: []backdesk.Offer{{ServiceID: 12345, LocationID: l.ID}}}
	wantCode(t, s.InsertPractitioner(context.Background(), p, nil), backdesk.CodeInvalid)
	all, err := s.FindPractitioners(context.Background(), backdesk.PractitionerFilter{})
	must(t, err)
	if len(all) != 0 {
		t.Errorf("a practitioner with a bad offer was stored: %v", all)
	}
}

func testPractitionerDuplicateRegistration(t *testing.T, s backdesk.Store) {
	reg := backdesk.Registration{Body: "HCPC", Number: "PH123456"}
	a := &backdesk.Practitioner{Name: "A", Discipline: backdesk.DisciplinePhysiotherapist, Registration: reg, Active: true}
	must(t, s.InsertPractitioner(context.Background(), a, nil))
	b := &backdesk.Practitioner{Name: "B", Discipline: backdesk.DisciplinePhysiotherapist, Registration: reg, Active: true}
	wantCode(t, s.InsertPractitioner(context.Background(), b, nil), backdesk.CodeConflict)
}

func testPractitionerUpdate(t *testing.T, s backdesk.Store) {
	l := MustCreateLocation(t, s)
	o1 := MustCreateOffering(t, s, "Deep tissue massage", backdesk.DisciplineMassageTherapist)
	o2 := MustCreateOffering(t, s, "Swedish massage", backdesk.DisciplineMassageTherapist)
	p := MustCreatePractitioner(t, s, "Ben Okafor", backdesk.DisciplineMassageTherapist, o1, l)
	offers := []backdesk.Offer{{ServiceID: o2.ID, LocationID: l.ID}}
	bio := "Ten years of remedial massage."
	got, err := s.UpdatePractitioner(context.Background(), p.ID, backdesk.PractitionerUpdate{Offers: &offers, Bio: &bio}, nil)
	must(t, err)
	if diff := cmp.Diff(offers, got.Offers); diff != "" || got.Bio != bio || len(got.Hours) != 1 {
		t.Errorf("UpdatePractitioner offers (-want +got):\n%s\n%+v", diff, got)
	}
	bad := []backdesk.Offer{{ServiceID: 999, LocationID: l.ID}}
	_, err = s.UpdatePractitioner(context.Background(), p.ID, backdesk.PractitionerUpdate{Offers: &bad}, nil)
	wantCode(t, err, backdesk.CodeInvalid)
	again, err := s.FindPractitionerByID(context.Background(), p.ID)
	must(t, err)
	if diff := cmp.Diff(offers, again.Offers); diff != "" {
		t.Errorf("a rejected update changed the offers (-want +got):\n%s", diff)
	}
}

func testPractitionerFilter(t *testing.T, s backdesk.Store) {
	l := MustCreateLocation(t, s)
	physio := MustCreateOffering(t, s, "Physiotherapy follow-up", backdesk.DisciplinePhysiotherapist)
	massage := MustCreateOffering(t, s, "Sports massage", backdesk.DisciplineMassageTherapist)
	a := MustCreatePractitioner(t, s, "A physio", backdesk.DisciplinePhysiotherapist, physio, l)
	b := MustCreatePractitioner(t, s, "B masseur", backdesk.DisciplineMassageTherapist, massage, l)
	for _, tc := range []struct {
		name string
		f    backdesk.PractitionerFilter
		want []int64
	}{
		{"all", backdesk.PractitionerFilter{}, []int64{a.ID, b.ID}},
		{"discipline", backdesk.PractitionerFilter{Discipline: backdesk.DisciplineMassageTherapist}, []int64{b.ID}},
		{"service", backdesk.PractitionerFilter{ServiceID: physio.ID}, []int64{a.ID}},
		{"location", backdesk.PractitionerFilter{LocationID: l.ID}, []int64{a.ID, b.ID}},
		{"nothing", backdesk.PractitionerFilter{LocationID: l.ID + 1}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.FindPractitioners(context.Background(), tc.f)
			must(t, err)
			var ids []int64
			for _, p := range got {
				ids = append(ids, p.ID)
			}
			if diff := cmp.Diff(tc.want, ids); diff != "" {
				t.Errorf("FindPractitioners(%+v) (-want +got):\n%s", tc.f, diff)
			}
		})
	}
}

// testPractitionerConcurrentUpdates: two admins change different fields of
// one practitioner at the same moment, over and over; every time both
// changes are kept (each update reads and writes the record in one
// transaction), never one silently lost.
func testPractitionerConcurrentUpdates(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	l := MustCreateLocation(t, s)
	o := MustCreateOffering(t, s, "Physio", backdesk.DisciplinePhysiotherapist)
	p := MustCreatePractitioner(t, s, "Amira Shah", backdesk.DisciplinePhysiotherapist, o, l)
	for round := range 25 {
		bio := fmt.Sprintf("Bio, round %d.", round)
		langs := []string{"English", fmt.Sprintf("Language %d", round)}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, errs[0] = s.UpdatePractitioner(ctx, p.ID, backdesk.PractitionerUpdate{Bio: &bio}, nil)
		}()
		go func() {
			defer wg.Done()
			_, errs[1] = s.UpdatePractitioner(ctx, p.ID, backdesk.PractitionerUpdate{Languages: &langs}, nil)
		}()
		wg.Wait()
		for _, err := range errs {
			if err != nil && backdesk.ErrorCode(err) != backdesk.CodeConflict {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		got, err := s.FindPractitionerByID(ctx, p.ID)
		must(t, err)
		if errs[0] == nil && got.Bio != bio {
			t.Errorf("round %d: the bio change was lost: %q", round, got.Bio)
		}
		if errs[1] == nil && !cmp.Equal(got.Languages, langs) {
			t.Errorf("round %d: the languages change was lost: %v", round, got.Languages)
		}
	}
}

// testPractitionerDisciplineAgrees: a practitioner offers only services of
// their own discipline, on creation and on change, and a service keeps the
// discipline of the practitioners who offer it; each refusal names the
// practitioner and the service, and changes nothing.
func testPractitionerDisciplineAgrees(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	l := MustCreateLocation(t, s)
	physio := MustCreateOffering(t, s, "Physiotherapy assessment", backdesk.DisciplinePhysiotherapist)
	massage := MustCreateOffering(t, s, "Deep tissue massage", backdesk.DisciplineMassageTherapist)
	ben := MustCreatePractitioner(t, s, "Ben Okafor", backdesk.DisciplineMassageTherapist, massage, l)

	wrong := &backdesk.Practitioner{Name: "Elena Kowalska", Discipline: backdesk.DisciplineMassageTherapist, Active: true,
		Offers: []backdesk.Offer{{ServiceID: physio.ID, LocationID: l.ID}}}
	err := s.InsertPractitioner(ctx, wrong, nil)
	wantCode(t, err, backdesk.CodeInvalid)
	if msg := backdesk.ErrorMessage(err); !strings.Contains(msg, "Elena Kowalska is a massage therapist") || !strings.Contains(msg, "Physiotherapy assessment") {
		t.Errorf("refusal = %q, want it to name the practitioner, their discipline and the service", msg)
	}
	if all, _ := s.FindPractitioners(ctx, backdesk.PractitionerFilter{}); len(all) != 1 {
		t.Errorf("a refused practitioner was stored: %d practitioners", len(all))
	}

	offers := []backdesk.Offer{{ServiceID: massage.ID, LocationID: l.ID}, {ServiceID: physio.ID, LocationID: l.ID}}
	_, err = s.UpdatePractitioner(ctx, ben.ID, backdesk.PractitionerUpdate{Offers: &offers}, nil)
	wantCode(t, err, backdesk.CodeInvalid)
	if e, ok := err.(*backdesk.Error); !ok || e.Field != "offers[1].service_id" {
		t.Errorf("refusal %v, want it on offers[1].service_id", err)
	}
	// Changing the discipline with the services: the services must follow.
	physioD := backdesk.DisciplinePhysiotherapist
	_, err = s.UpdatePractitioner(ctx, ben.ID, backdesk.PractitionerUpdate{Discipline: &physioD}, nil)
	wantCode(t, err, backdesk.CodeInvalid)
	if got, _ := s.FindPractitionerByID(ctx, ben.ID); got.Discipline != backdesk.DisciplineMassageTherapist || len(got.Offers) != 1 {
		t.Errorf("a refused change was stored: %+v", got)
	}
	onlyPhysio := []backdesk.Offer{{ServiceID: physio.ID, LocationID: l.ID}}
	if _, err := s.UpdatePractitioner(ctx, ben.ID, backdesk.PractitionerUpdate{Discipline: &physioD, Offers: &onlyPhysio}, nil); err != nil {
		t.Errorf("retraining with the matching services: %v", err)
	}

	// A service offered by a massage therapist stays a massage service.
	elena := MustCreatePractitioner(t, s, "Elena Kowalska", backdesk.DisciplineMassageTherapist, massage, l)
	_, err = s.UpdateOffering(ctx, massage.ID, backdesk.OfferingUpdate{Discipline: &physioD}, nil)
	wantCode(t, err, backdesk.CodeInvalid)
	if msg := backdesk.ErrorMessage(err); !strings.Contains(msg, elena.Name) {
		t.Errorf("refusal = %q, want it to name %s", msg, elena.Name)
	}
	if got, _ := s.FindOfferingByID(ctx, massage.ID); got.Discipline != backdesk.DisciplineMassageTherapist {
		t.Errorf("the refused change was stored: %s", got.Discipline)
	}
	// An unoffered service may change discipline.
	spare := MustCreateOffering(t, s, "Spare", backdesk.DisciplineMassageTherapist)
	if _, err := s.UpdateOffering(ctx, spare.ID, backdesk.OfferingUpdate{Discipline: &physioD}, nil); err != nil {
		t.Errorf("changing an unoffered service's discipline: %v", err)
	}
}
