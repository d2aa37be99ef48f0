package clinic_test

import (
	"context"
	"testing"
	"time"

	"backdesk"
	"backdesk/clinic"
	"backdesk/mock"
)

// TestCatalogueCache: a service, practitioner or location read by id is
// reused for at most the TTL, never after a write through this process
// (Changes moved, also while it was read), never for a clock gone back; a
// row not found is read again every time.
func TestCatalogueCache(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	now, gen := t0, generation(1)
	reads := map[string]int{}
	var during func() // runs inside a read
	read := func(kind string, id int64) error {
		reads[kind]++
		if during != nil {
			during()
		}
		if id > 100 {
			return backdesk.Errorf(backdesk.CodeNotFound, "Not found.")
		}
		return nil
	}
	c := &clinic.CatalogueCache{Changes: &gen, TTL: 2 * time.Second, Now: func() time.Time { return now }}
	offerings := c.Offerings(&mock.OfferingStore{FindOfferingByIDFn: func(ctx context.Context, id int64) (*backdesk.Offering, error) {
		if err := read("offering", id); err != nil {
			return nil, err
		}
		return &backdesk.Offering{ID: id, Name: "Physio"}, nil
	}})
	practitioners := c.Practitioners(&mock.PractitionerStore{FindPractitionerByIDFn: func(ctx context.Context, id int64) (*backdesk.Practitioner, error) {
		if err := read("practitioner", id); err != nil {
			return nil, err
		}
		return &backdesk.Practitioner{ID: id, Name: "Amira"}, nil
	}})
	locations := c.Locations(&mock.LocationStore{FindLocationByIDFn: func(ctx context.Context, id int64) (*backdesk.Location, error) {
		if err := read("location", id); err != nil {
			return nil, err
		}
		return &backdesk.Location{ID: id, Name: "Riverside"}, nil
	}})
	ctx := context.Background()
	id := int64(1)
	// readAll reads one of each and checks that each is the row asked for.
	readAll := func(t *testing.T) error {
		t.Helper()
		o, err := offerings.FindOfferingByID(ctx, id)
		if err != nil {
			return err
		}
		p, err := practitioners.FindPractitionerByID(ctx, id)
		if err != nil {
			return err
		}
		l, err := locations.FindLocationByID(ctx, id)
		if err != nil {
			return err
		}
		if o.ID != id || p.ID != id || l.ID != id {
			t.Errorf("read ids %d, %d, %d, want %d", o.ID, p.ID, l.ID, id)
		}
		return nil
	}
	readAll(t)
	for _, tc := range []struct {
		name    string
		set     func()
		reads   int // how many times each kind has been read after this step
		wantErr backdesk.Code
	}{
		{"fresh", func() { now = t0.Add(time.Second) }, 1, ""},
		{"a write in this process", func() { gen++ }, 2, ""},
		{"kept again", func() {}, 2, ""},
		{"older than the TTL", func() { now = now.Add(2 * time.Second) }, 3, ""},
		{"a clock gone back", func() { now = now.Add(-time.Minute) }, 4, ""},
		{"another id", func() { id = 2 }, 5, ""},
		{"a write while it was read", func() { id = 3; during = func() { gen++ } }, 6, ""},
		{"is not reused", func() { during = nil }, 7, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.set()
			if err := readAll(t); backdesk.ErrorCode(err) != tc.wantErr {
				t.Fatalf("read: %v, want code %q", err, tc.wantErr)
			}
			for _, kind := range []string{"offering", "practitioner", "location"} {
				if reads[kind] != tc.reads {
					t.Errorf("%s read %d times, want %d", kind, reads[kind], tc.reads)
				}
			}
		})
	}
	id = 101
	for range 2 {
		if _, err := offerings.FindOfferingByID(ctx, id); backdesk.ErrorCode(err) != backdesk.CodeNotFound {
			t.Fatalf("FindOfferingByID(101) = %v, want not found", err)
		}
	}
	if reads["offering"] != 9 {
		t.Errorf("a service not found was read %d times in all, want 9 (not kept)", reads["offering"])
	}
}
