package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"backdesk"
	"backdesk/sqlstore"
	"backdesk/storetest"
)

// The availability target: a 14-day window over 10 practitioners with
// 50,000 existing bookings, under 10 ms at p99, and at least a quarter of
// the requests per second of a bare Go handler on the same machine.

const benchTimeLayout = "2006-01-02T15:04:05.000000Z"

// availabilityDB builds, once per run, a clinic with 10 practitioners
// working Monday to Saturday 08:00–20:00 and 50,000 bookings: 6 a day each
// in the coming weeks, the rest over the past years.
var availabilityDB = sync.OnceValues(func() (string, error) {
	dir, err := osMkdirTemp()
	if err != nil {
		return "", err
	}
	url := "sqlite:" + filepath.Join(dir, "bench.db")
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, url)
	if err != nil {
		return "", err
	}
	defer db.Close()
	l := storetest.NewLocation()
	l.Hours = nil
	for d := 1; d <= 6; d++ {
		l.Hours = append(l.Hours, backdesk.OpeningHours{Weekday: backdesk.Weekday(d), Opens: backdesk.MustClockTime("08:00"), Closes: backdesk.MustClockTime("20:00")})
	}
	l.Closures = nil
	l.Policy = backdesk.BookingPolicy{MinNoticeMinutes: 0, HorizonDays: 365, LateCancelHours: 24, SlotStepMinutes: 15}
	if err := db.InsertLocation(ctx, l, nil); err != nil {
		return "", err
	}
	o := storetest.NewOffering("Physiotherapy initial assessment", backdesk.DisciplinePhysiotherapist)
	if err := db.InsertOffering(ctx, o, nil); err != nil {
		return "", err
	}
	var ids []int64
	for i := range 10 {
		p := &backdesk.Practitioner{Name: fmt.Sprintf("Practitioner %02d", i), Discipline: backdesk.DisciplinePhysiotherapist, Active: true,
			Offers: []backdesk.Offer{{ServiceID: o.ID, LocationID: l.ID}}}
		for d := 1; d <= 6; d++ {
			p.Hours = append(p.Hours, backdesk.WorkingHours{LocationID: l.ID, Weekday: backdesk.Weekday(d), Starts: backdesk.MustClockTime("08:00"), Ends: backdesk.MustClockTime("20:00")})
		}
		if err := db.InsertPractitioner(ctx, p, nil); err != nil {
			return "", err
		}
		ids = append(ids, p.ID)
	}
	u := &backdesk.User{Email: "bench@example.org", Name: "Bench", Role: backdesk.RolePatient}
	if err := db.InsertUser(ctx, u, "h", nil); err != nil {
		return "", err
	}
	raw := storetest.RawDB(benchTB{}, url)
	tx, err := raw.Begin()
	if err != nil {
		return "", err
	}
	ins, err := tx.Prepare(`INSERT INTO bookings (patient_id, practitioner_id, offering_id, location_id, starts_at, ends_at, blocks_until, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 'booked', $8)`)
	if err != nil {
		return "", err
	}
	london, _ := time.LoadLocation("Europe/London")
	today := time.Now().In(london)
	day0 := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, london)
	n := 0
	// Newest first: the coming four weeks get 6 bookings a day per
	// practitioner; the remainder goes back in time.
	for d := 28; n < 50000; d-- {
		day := time.Date(day0.Year(), day0.Month(), day0.Day()+d, 0, 0, 0, 0, london)
		if day.Weekday() == time.Sunday {
			continue
		}
		for _, pid := range ids {
			for k := range 6 {
				start := time.Date(day.Year(), day.Month(), day.Day(), 8+2*k, 0, 0, 0, london)
				if _, err := ins.Exec(u.PatientID, pid, o.ID, l.ID, start.UTC().Format(benchTimeLayout), start.Add(45*time.Minute).UTC().Format(benchTimeLayout),
					start.Add(time.Hour).UTC().Format(benchTimeLayout), start.UTC().Format(benchTimeLayout)); err != nil {
					return "", err
				}
				n++
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return "", err
	}
	return url, nil
})

// benchTB lets storetest.RawDB be used outside a test; the handle lives for
// the whole run.
type benchTB struct{ testing.TB }

func (benchTB) Helper()                      {}
func (benchTB) Cleanup(func())               {}
func (benchTB) Fatal(args ...any)            { panic(fmt.Sprint(args...)) }
func (benchTB) Fatalf(f string, args ...any) { panic(fmt.Sprintf(f, args...)) }

func availabilityURL(b *testing.B) string { return availabilityURLs(b, 1)[0] }

// availabilityURLs starts a server on the benchmark data and returns n
// questions for 14 days from tomorrow, each window a minute later than the
// last: n different questions, so that none reuses another's answer.
func availabilityURLs(b *testing.B, n int) []string {
	dbURL, err := availabilityDB()
	if err != nil {
		b.Fatal(err)
	}
	app := MustRunMain(b, map[string]string{"BACKDESK_DB": dbURL})
	base := time.Now().UTC().Truncate(time.Hour).Add(24 * time.Hour)
	out := make([]string, n)
	for i := range out {
		from := base.Add(time.Duration(i) * time.Minute)
		out[i] = fmt.Sprintf("%s/api/v1/availability?service=1&from=%s&to=%s", app.URL, from.Format(time.RFC3339), from.Add(14*24*time.Hour).Format(time.RFC3339))
	}
	return out
}

// BenchmarkAvailabilityUncached: every request a new question (the window
// moves by a minute), so every answer is computed: the engine's own cost.
func BenchmarkAvailabilityUncached(b *testing.B) {
	c := &http.Client{}
	urls := availabilityURLs(b, 4096)
	var lat []time.Duration
	i := 0
	for b.Loop() {
		t := time.Now()
		get(b, c, urls[i%len(urls)])
		lat = append(lat, time.Since(t))
		i++
	}
	reportLatency(b, lat)
}

func get(b *testing.B, c *http.Client, url string) int {
	resp, err := c.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("status %d", resp.StatusCode)
	}
	return int(n)
}

// reportLatency adds p50 and p99 in milliseconds.
func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	if len(lat) == 0 {
		return
	}
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkAvailability: one client asking the same question again and
// again (the common case: everyone looking at the coming fortnight); p50 and
// p99. Answers are reused while nothing changes (web/availability_cache.go).
func BenchmarkAvailability(b *testing.B) {
	url := availabilityURL(b)
	c := &http.Client{}
	size := get(b, c, url)
	reportLatency(b, timedGets(b, c, url))
	b.ReportMetric(float64(size)/1024, "KiB/response")
}

// BenchmarkAvailabilityParallel: as many clients as GOMAXPROCS×4; req/s.
func BenchmarkAvailabilityParallel(b *testing.B) {
	url := availabilityURL(b)
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	get(b, c, url)
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			get(b, c, url)
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// timedGets GETs url once per iteration and returns each latency.
func timedGets(b *testing.B, c *http.Client, url string) []time.Duration {
	var lat []time.Duration
	for b.Loop() {
		t := time.Now()
		get(b, c, url)
		lat = append(lat, time.Since(t))
	}
	return lat
}

// bareServer is the baseline: a Go handler that writes a small JSON body.
func bareServer(b *testing.B) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"ok"}`)
	}))
	b.Cleanup(srv.Close)
	return srv.URL
}

func BenchmarkBareHandler(b *testing.B) {
	url := bareServer(b)
	c := &http.Client{}
	reportLatency(b, timedGets(b, c, url))
}

func BenchmarkBareHandlerParallel(b *testing.B) {
	url := bareServer(b)
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			get(b, c, url)
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

func osMkdirTemp() (string, error) { return os.MkdirTemp("", "backdesk-bench") }
