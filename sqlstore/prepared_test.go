package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"backdesk"

	"backdesk/sqlstore"
)

// TestBookingWritesPrepared: after its first bookings, SQLite's writer runs
// every statement of a booking (the booking, its emails, its webhook event
// and deliveries, its audit line) as a statement prepared once, never
// compiled again. (The webhook statements, added after the prepared list
// was written, were compiled on every booking: a fifth of the server's CPU
// under load.)
func TestBookingWritesPrepared(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := newBenchFixture(t, db)
	book := func(i int) {
		bk, msgs := benchBooking(f, i)
		if _, err := db.InsertBooking(ctx, bk, msgs, benchAudit()); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 { // seen twice, then prepared between batches
		book(i)
	}
	warm := sqlstore.UnpreparedWrites(db)
	for i := 3; i < 13; i++ {
		book(i)
	}
	if n := sqlstore.UnpreparedWrites(db) - warm; n != 0 {
		t.Errorf("10 bookings after the first 3 ran %d write statements unprepared, want 0", n)
	}
	if _, n, err := db.FindBookings(ctx, backdesk.BookingFilter{PatientID: f.patient}); err != nil || n != 13 {
		t.Errorf("%d bookings stored (%v), want 13", n, err)
	}
}
