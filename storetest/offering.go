package storetest

import (
	"context"
	"testing"

	"backdesk"

	"github.com/google/go-cmp/cmp"
)

func testOfferingCreateFindFilter(t *testing.T, s backdesk.Store) {
	a := MustCreateOffering(t, s, "Physiotherapy initial assessment", backdesk.DisciplinePhysiotherapist)
	b := MustCreateOffering(t, s, "Swedish massage", backdesk.DisciplineMassageTherapist)
	got, err := s.FindOfferingByID(context.Background(), a.ID)
	must(t, err)
	if diff := cmp.Diff(a, got); diff != "" {
		t.Errorf("FindOfferingByID mismatch (-want +got):\n%s", diff)
	}
	massage, err := s.FindOfferings(context.Background(), backdesk.OfferingFilter{Discipline: backdesk.DisciplineMassageTherapist})
	must(t, err)
	if len(massage) != 1 || massage[0].ID != b.ID {
		t.Errorf("FindOfferings(massage) = %v, want only %d", massage, b.ID)
	}
	off := false
	_, err = s.UpdateOffering(context.Background(), b.ID, backdesk.OfferingUpdate{Active: &off}, nil)
	must(t, err)
	active, err := s.FindOfferings(context.Background(), backdesk.OfferingFilter{ActiveOnly: true})
	must(t, err)
	if len(active) != 1 || active[0].ID != a.ID {
		t.Errorf("FindOfferings(active) = %v, want only %d", active, a.ID)
	}
}

func testOfferingNotFoundAndInvalid(t *testing.T, s backdesk.Store) {
	_, err := s.FindOfferingByID(context.Background(), 42)
	wantCode(t, err, backdesk.CodeNotFound)
	o := NewOffering("Odd", backdesk.DisciplinePhysiotherapist)
	o.DurationMinutes = 0
	err = s.InsertOffering(context.Background(), o, nil)
	wantCode(t, err, backdesk.CodeInvalid)
	if f := backdesk.ErrorField(err); f != "duration_minutes" {
		t.Errorf("field = %q, want duration_minutes", f)
	}
	o = NewOffering("Odd", "chiropractor")
	wantCode(t, s.InsertOffering(context.Background(), o, nil), backdesk.CodeInvalid)
}

func testOfferingUpdate(t *testing.T, s backdesk.Store) {
	o := MustCreateOffering(t, s, "Sports massage", backdesk.DisciplineMassageTherapist)
	price := int64(7000)
	got, err := s.UpdateOffering(context.Background(), o.ID, backdesk.OfferingUpdate{PriceMinor: &price}, nil)
	must(t, err)
	if got.PriceMinor != 7000 || got.Name != o.Name {
		t.Errorf("UpdateOffering = %+v", got)
	}
}
