package main

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"

	"backdesk/sqlstore"
	"backdesk/storetest"
)

// TestDemoSeedOnceAcrossProcesses: several processes started together with
// --demo on one empty PostgreSQL database create one demo clinic between
// them, and none fails.
func TestDemoSeedOnceAcrossProcesses(t *testing.T) {
	if storetest.PostgresURL() == "" {
		t.Skip("BACKDESK_TEST_POSTGRES_URL not set")
	}
	url := storetest.FreshPostgresSchema(t)
	ctx := context.Background()
	const processes = 4
	var wg sync.WaitGroup
	errs := make([]error, processes)
	start := make(chan struct{})
	for i := range processes {
		db, err := sqlstore.Open(ctx, url) // each with its own pool, as separate processes have
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		svcs, err := newServices(db, DefaultConfig(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			<-start // all at once
			errs[i] = db.Exclusive(ctx, "backdesk demo seed", func() error { return seedDemo(ctx, svcs, "uk", io.Discard) })
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
	db, err := sqlstore.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	locs, err := db.FindLocations(ctx)
	if err != nil || len(locs) != 1 {
		t.Errorf("%d locations after %d processes seeded, want 1 (%v)", len(locs), processes, err)
	}
}
