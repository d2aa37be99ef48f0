package web

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"backdesk"
)

// bearerToken is the token of an "Authorization: Bearer …" header; a
// header of another scheme is returned whole, so that it counts as a wrong
// token rather than none.
func bearerToken(r *http.Request) string {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if scheme, token, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(token)
	}
	return h
}

// metrics keeps request counts and latency histograms by route, exposed in
// the Prometheus text format (version 0.0.4) at /metrics.
type metrics struct {
	mu       sync.Mutex
	start    time.Time
	requests map[requestKey]uint64
	latency  map[string]*histogram
}

type requestKey struct {
	method, route string
	status        int
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	n      uint64
}

var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

func newMetrics() *metrics {
	return &metrics{start: time.Now(), requests: map[requestKey]uint64{}, latency: map[string]*histogram{}}
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	sec := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestKey{method, route, status}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets))}
		m.latency[route] = h
	}
	for i, b := range latencyBuckets {
		if sec <= b {
			h.counts[i]++
			break
		}
	}
	h.sum += sec
	h.n++
}

func (m *metrics) writeTo(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP backdesk_http_requests_total HTTP requests by method, route pattern and status.")
	fmt.Fprintln(w, "# TYPE backdesk_http_requests_total counter")
	keys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.route != b.route {
			return a.route < b.route
		}
		if a.method != b.method {
			return a.method < b.method
		}
		return a.status < b.status
	})
	for _, k := range keys {
		fmt.Fprintf(w, "backdesk_http_requests_total{method=%s,route=%s,status=\"%d\"} %d\n", strconv.Quote(k.method), strconv.Quote(k.route), k.status, m.requests[k])
	}
	fmt.Fprintln(w, "# HELP backdesk_http_request_duration_seconds HTTP request latency by route pattern.")
	fmt.Fprintln(w, "# TYPE backdesk_http_request_duration_seconds histogram")
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		h := m.latency[r]
		var cum uint64
		for i, b := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "backdesk_http_request_duration_seconds_bucket{route=%s,le=\"%g\"} %d\n", strconv.Quote(r), b, cum)
		}
		fmt.Fprintf(w, "backdesk_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", strconv.Quote(r), h.n)
		fmt.Fprintf(w, "backdesk_http_request_duration_seconds_sum{route=%s} %g\n", strconv.Quote(r), h.sum)
		fmt.Fprintf(w, "backdesk_http_request_duration_seconds_count{route=%s} %d\n", strconv.Quote(r), h.n)
	}
	fmt.Fprintln(w, "# HELP backdesk_uptime_seconds Seconds since the server started.")
	fmt.Fprintln(w, "# TYPE backdesk_uptime_seconds gauge")
	fmt.Fprintf(w, "backdesk_uptime_seconds %g\n", time.Since(m.start).Seconds())
}

// serveMetrics answers the operators' monitoring, which clinic admits by
// its bearer token or its address (Access.AuthorizeMetrics).
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if err := s.svcs.Access.AuthorizeMetrics(r.Context(), bearerToken(r)); err != nil {
		if backdesk.ErrorCode(err) == backdesk.CodeUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
		}
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.metrics.writeTo(w)
}
