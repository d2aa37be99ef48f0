package main

import (
	"fmt"
	"io"
	"time"
)

// report is one run's figures.
type report struct {
	opts                options
	kind                string
	rawBefore, rawAfter rawRates
	book                bookResult
	peakRSS             int64 // the largest VmHWM of the servers (their whole life)
	stored              int   // live bookings counted in the database afterwards
}

func (r *report) print(w io.Writer) {
	o := r.opts
	rawOne := (r.rawBefore.one + r.rawAfter.one) / 2
	rawMany := (r.rawBefore.many + r.rawAfter.many) / 2
	rate := float64(r.book.ok) / r.book.elapsed.Seconds()
	fmt.Fprintf(w, "\nbackdesk load test: %s, %d server process(es), %d clients, %s measured\n", r.kind, o.servers, o.clients, o.duration)
	fmt.Fprintf(w, "raw insert transactions, before:  %s rows/s (1 writer), %s rows/s (%d writers)\n", thousands(r.rawBefore.one), thousands(r.rawBefore.many), o.clients)
	fmt.Fprintf(w, "raw insert transactions, after:   %s rows/s (1 writer), %s rows/s (%d writers)\n", thousands(r.rawAfter.one), thousands(r.rawAfter.many), o.clients)
	fmt.Fprintf(w, "bookings through HTTP:            %s bookings/s (%d answered 201 in %.1f s; %d failed)\n", thousands(rate), r.book.ok, r.book.elapsed.Seconds(), r.book.failed)
	fmt.Fprintf(w, "ratio to the raw insert rate:     %.2f against 1 writer (%s rows/s), %.2f against %d writers (%s rows/s); means of before and after\n",
		rate/rawOne, thousands(rawOne), rate/rawMany, o.clients, thousands(rawMany))
	fmt.Fprintf(w, "booking latency:                  p50 %s, p99 %s, max %s\n", ms(pct(r.book.latencies, 50)), ms(pct(r.book.latencies, 99)), ms(pct(r.book.latencies, 100)))
	if r.book.ok > 0 {
		n := float64(r.book.ok)
		fmt.Fprintf(w, "server CPU per booking:           %.3f ms (%.2f s of CPU time in %d process(es) / %d bookings)\n",
			msf(r.book.cpu)/n, r.book.cpu.Seconds(), o.servers, r.book.ok)
		line := fmt.Sprintf("other CPU per booking:            load clients %.3f ms", msf(r.book.clientCPU)/n)
		if r.book.dbFound {
			line += fmt.Sprintf(", PostgreSQL backends %.3f ms", msf(r.book.dbCPU)/n)
		}
		fmt.Fprintln(w, line)
	}
	raw := fmt.Sprintf("CPU per raw insert (after):       %.3f ms (1 writer), %.3f ms (%d writers)", msf(r.rawAfter.oneCPU), msf(r.rawAfter.manyCPU), o.clients)
	if r.book.dbFound {
		raw += ", client and PostgreSQL backends"
	}
	fmt.Fprintln(w, raw)
	fmt.Fprintf(w, "server resident memory:           peak %.1f MB over its whole run (VmHWM), largest sampled while booking %.1f MB\n", mb(r.peakRSS), mb(r.book.sampledRSS))
	fmt.Fprintf(w, "bookings stored:                  %d (= %d answered 201, warm-up included: %v)\n", r.stored, r.book.ok+r.book.warmupOK, r.stored == r.book.ok+r.book.warmupOK)
	for _, f := range r.book.failures {
		fmt.Fprintf(w, "failed: %s\n", f)
	}
	if o.cpuProfile != "" {
		fmt.Fprintf(w, "cpu profile of server 1: %s (go tool pprof -top %s)\n", o.cpuProfile, o.cpuProfile)
	}
}

func msf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// pct is the p-th percentile of sorted.
func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := len(sorted) * p / 100
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return sorted[i]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// thousands writes a rate with a thousands separator: 4,512.
func thousands(v float64) string {
	n := int64(v + 0.5)
	s := fmt.Sprint(n)
	out := ""
	for len(s) > 3 {
		out = "," + s[len(s)-3:] + out
		s = s[:len(s)-3]
	}
	return s + out
}
