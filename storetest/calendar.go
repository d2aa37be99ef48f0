package storetest

import (
	"context"
	"testing"

	"backdesk"
)

func testCalendarFeed(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	must(t, s.SetCalendarFeed(ctx, f.physio.ID, "hash-a", nil))
	id, err := s.FindCalendarFeed(ctx, "hash-a")
	must(t, err)
	if id != f.physio.ID {
		t.Errorf("FindCalendarFeed = %d", id)
	}
	must(t, s.SetCalendarFeed(ctx, f.physio.ID, "hash-b", nil)) // renew: the old token stops working
	_, err = s.FindCalendarFeed(ctx, "hash-a")
	wantCode(t, err, backdesk.CodeNotFound)
	wantCode(t, s.SetCalendarFeed(ctx, f.other.ID, "hash-b", nil), backdesk.CodeConflict)
	must(t, s.DeleteCalendarFeed(ctx, f.physio.ID, nil))
	_, err = s.FindCalendarFeed(ctx, "hash-b")
	wantCode(t, err, backdesk.CodeNotFound)
	wantCode(t, s.SetCalendarFeed(ctx, 999999, "hash-c", nil), backdesk.CodeInvalid)
}
