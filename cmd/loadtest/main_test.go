package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestSlotsNeverOverlap: the k-th free time of the load clinic is on the
// hour, inside opening hours, and no two indices give one practitioner the
// same time (which would fail a booking).
func TestSlotsNeverOverlap(t *testing.T) {
	zone, err := time.LoadLocation(loadZone)
	if err != nil {
		t.Fatal(err)
	}
	c := &loadClinic{practitioners: []int64{11, 12, 13}, zone: zone, firstDay: time.Date(2026, 3, 28, 0, 0, 0, 0, zone)} // across a clock change
	seen := map[string]bool{}
	for k := range int64(3 * slotsPerDay * 5) {
		p, start := c.slot(k)
		local := start.In(zone)
		if local.Minute() != 0 || local.Hour() < openHour || local.Hour() >= closeHour {
			t.Fatalf("slot(%d) = %v, outside the hours or off the grid", k, local)
		}
		key := fmt.Sprint(p, start.UTC())
		if seen[key] {
			t.Fatalf("slot(%d) = practitioner %d at %v twice", k, p, local)
		}
		seen[key] = true
	}
}

// TestLoadtestRuns: a short run on SQLite (and PostgreSQL when the test
// server is set) starts the servers, books, and reports every booking
// answered 201 and stored.
func TestLoadtestRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds backdesk and starts servers")
	}
	bin, err := build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dbs := []string{"sqlite"}
	if u := os.Getenv("BACKDESK_TEST_POSTGRES_URL"); u != "" {
		dbs = append(dbs, u)
	}
	for _, db := range dbs {
		var out, errs bytes.Buffer
		err := run(context.Background(), []string{"--backdesk", bin, "--db", db, "--clients", "2", "--practitioners", "3",
			"--duration", "1s", "--warmup", "200ms", "--raw", "200ms"}, &out, &errs)
		if err != nil {
			t.Fatalf("loadtest --db %s: %v\n%s%s", db, err, out.String(), errs.String())
		}
		for _, want := range []string{"bookings through HTTP:", " 0 failed)", "ratio to the raw insert rate:", "p99", "server CPU per booking:", "= ", "true"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("loadtest --db %s output lacks %q:\n%s", db, want, out.String())
			}
		}
	}
}
