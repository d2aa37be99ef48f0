package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"backdesk"
	"backdesk/mock"
	"backdesk/webhook"
)

// TestSignVector: the signature of the Standard Webhooks reference
// library's test vector (libraries/go/webhook_test.go, TestWebhookSign).
func TestSignVector(t *testing.T) {
	got, err := webhook.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, []byte(`{"test": 2432232314}`))
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; err != nil || got != want {
		t.Errorf("Sign = %q, %v; want %q", got, err, want)
	}
	if _, err := webhook.Sign("not-a-secret", "msg_x", 1, nil); err == nil {
		t.Error("a secret without whsec_ was accepted")
	}
}

// verify checks a request as a receiver would, from the specification
// alone: the HMAC-SHA256 of "id.timestamp.body" under the secret's bytes,
// base64, among the space-separated "v1,…" signatures.
func verify(secret string, h http.Header, body []byte) bool {
	key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(h.Get("webhook-id") + "." + h.Get("webhook-timestamp") + "." + string(body)))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	for _, s := range strings.Fields(h.Get("webhook-signature")) {
		if v, sig, ok := strings.Cut(s, ","); ok && v == "v1" && hmac.Equal([]byte(sig), []byte(want)) {
			return true
		}
	}
	return false
}

const secret = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ="

// TestWorkerOutcomes: one attempt per claimed delivery, signed; 2xx is
// delivered; 410 switches the endpoint off; a redirect is not followed and
// fails; other answers are retried with back-off, or after Retry-After
// when that is longer; the last attempt gives up.
func TestWorkerOutcomes(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		status   int
		header   map[string]string
		attempts int // before this one
		check    func(t *testing.T, o backdesk.WebhookOutcome, a backdesk.WebhookAttempt)
	}{
		{"ok", 204, nil, 0, func(t *testing.T, o backdesk.WebhookOutcome, a backdesk.WebhookAttempt) {
			if !o.Delivered || a.StatusCode != 204 || a.Error != "" {
				t.Errorf("outcome %+v, attempt %+v", o, a)
			}
		}},
		{"server error", 500, nil, 0, func(t *testing.T, o backdesk.WebhookOutcome, a backdesk.WebhookAttempt) {
			if o.Delivered || o.GiveUp || a.StatusCode != 500 || o.RetryAt.Sub(now) < time.Second || o.RetryAt.Sub(now) > 2*time.Second {
				t.Errorf("outcome %+v, attempt %+v; want a retry after about a second", o, a)
			}
		}},
		{"retry-after", 503, map[string]string{"Retry-After": "120"}, 0, func(t *testing.T, o backdesk.WebhookOutcome, a backdesk.WebhookAttempt) {
			if o.RetryAt.Sub(now) != 2*time.Minute {
				t.Errorf("retry at %v, want Retry-After's two minutes", o.RetryAt)
			}
		}},
		{"redirect", 302, map[string]string{"Location": "http://127.0.0.1:1/elsewhere"}, 0, func(t *testing.T, o backdesk.WebhookOutcome, a backdesk.WebhookAttempt) {
			if o.Delivered || a.StatusCode != 302 {
				t.Errorf("outcome %+v, attempt %+v", o, a)
			}
		}},
		{"gone", 410, nil, 0, func(t *testing.T, o backdesk.WebhookOutcome, a backdesk.WebhookAttempt) {
			if o.Disable == "" || o.Delivered {
				t.Errorf("outcome %+v", o)
			}
		}},
		{"last attempt", 500, nil, webhook.MaxAttempts - 1, func(t *testing.T, o backdesk.WebhookOutcome, a backdesk.WebhookAttempt) {
			if !o.GiveUp {
				t.Errorf("outcome %+v, want given up", o)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got struct {
				header http.Header
				body   []byte
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got.header, got.body = r.Header.Clone(), must(io.ReadAll(r.Body))
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tc.status)
			}))
			defer srv.Close()
			ev := backdesk.WebhookEvent{ID: "msg_test1", Type: backdesk.EventAppointmentBooked, CreatedAt: now.Add(-time.Minute),
				Data: backdesk.EventData{ID: "42", PatientID: 7}}
			var outcome backdesk.WebhookOutcome
			var attempt backdesk.WebhookAttempt
			store := &mock.WebhookOutboxStore{
				ClaimWebhookDeliveriesFn: func(ctx context.Context, at time.Time, lease time.Duration, limit int, claim string) ([]*backdesk.WebhookDispatch, error) {
					return []*backdesk.WebhookDispatch{{Delivery: backdesk.WebhookDelivery{ID: 1, Attempts: tc.attempts}, Event: ev, URL: srv.URL + "/hook?k=1", Secret: secret}}, nil
				},
				RecordWebhookAttemptFn: func(ctx context.Context, id int64, claim string, a backdesk.WebhookAttempt, o backdesk.WebhookOutcome) error {
					attempt, outcome = a, o
					return nil
				},
			}
			w := webhook.NewWorker(store, webhook.NewClient(true), "https://clinic.example", func() time.Time { return now }, slog.New(slog.NewTextHandler(io.Discard, nil)))
			w.FirstRetry = time.Second
			if _, err := w.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			tc.check(t, outcome, attempt)
			if got.header.Get("webhook-id") != "msg_test1" || got.header.Get("webhook-timestamp") != strconv.FormatInt(now.Unix(), 10) ||
				got.header.Get("Content-Type") != "application/json" || !verify(secret, got.header, got.body) {
				t.Errorf("headers %v do not verify over %s", got.header, got.body)
			}
			want := `{"type":"appointment.booked","timestamp":"2026-03-02T08:59:00Z","data":{"id":"42","patient_id":"7","links":{"api":"https://clinic.example/api/v1/appointments/42","fhir":"https://clinic.example/fhir/Appointment/42","patient":"https://clinic.example/fhir/Patient/7"}}}`
			if string(got.body) != want {
				t.Errorf("body\n %s\nwant\n %s", got.body, want)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestClientRefusesPrivateAddresses: unless private networks are allowed,
// the dialer refuses this machine at the moment of connecting, whatever
// name it was reached by.
func TestClientRefusesPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	for _, u := range []string{srv.URL, "http://localhost:" + port} {
		_, err := webhook.NewClient(false).Post(u, "application/json", strings.NewReader("{}"))
		if err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("POST %s with private networks refused = %v", u, err)
		}
	}
	resp, err := webhook.NewClient(true).Post(srv.URL, "application/json", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("POST with private networks allowed = %v", err)
	}
}

// TestBackoff: the specification's schedule, scaled to its first step,
// with at most a tenth of jitter, and never shorter.
func TestBackoff(t *testing.T) {
	for n, want := range map[int]time.Duration{1: 5 * time.Second, 2: 5 * time.Minute, 3: 30 * time.Minute, 9: 24 * time.Hour, 20: 24 * time.Hour} {
		got := webhook.Backoff(n, 5*time.Second)
		if got < want || got > want+want/10 {
			t.Errorf("Backoff(%d) = %v, want %v to %v", n, got, want, want+want/10)
		}
	}
	if got := webhook.Backoff(2, 50*time.Millisecond); got < 3*time.Second || got > 3300*time.Millisecond {
		t.Errorf("scaled Backoff(2) = %v, want 3s", got)
	}
}

// TestWorkersShareDeliveries: two workers over one store send each
// delivery once.
func TestWorkersShareDeliveries(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Header.Get("webhook-id")]++
		mu.Unlock()
	}))
	defer srv.Close()
	var pending []*backdesk.WebhookDispatch
	for i := range 25 {
		pending = append(pending, &backdesk.WebhookDispatch{Delivery: backdesk.WebhookDelivery{ID: int64(i)},
			Event: backdesk.WebhookEvent{ID: fmt.Sprint("msg_", i), Type: backdesk.EventReferralCreated}, URL: srv.URL, Secret: secret})
	}
	var smu sync.Mutex
	store := &mock.WebhookOutboxStore{
		ClaimWebhookDeliveriesFn: func(ctx context.Context, at time.Time, lease time.Duration, limit int, claim string) ([]*backdesk.WebhookDispatch, error) {
			smu.Lock()
			defer smu.Unlock()
			n := min(limit, len(pending))
			out := pending[:n]
			pending = pending[n:]
			return out, nil
		},
		RecordWebhookAttemptFn: func(ctx context.Context, id int64, claim string, a backdesk.WebhookAttempt, o backdesk.WebhookOutcome) error {
			return nil
		},
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var wg sync.WaitGroup
	for range 2 {
		w := webhook.NewWorker(store, webhook.NewClient(true), "http://x", time.Now, log)
		wg.Go(func() {
			for {
				n, err := w.RunOnce(context.Background())
				if err != nil || n == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	if len(seen) != 25 {
		t.Errorf("%d events received, want 25", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s received %d times", id, n)
		}
	}
}
