// Package webhook delivers the clinic's events to the endpoints that
// subscribe to them, signed as the Standard Webhooks specification 1.0
// says: each POST carries webhook-id (the event's id, the same on every
// attempt), webhook-timestamp (the attempt's time, Unix seconds) and
// webhook-signature ("v1," and the base64 HMAC-SHA256, keyed with the
// endpoint's secret, of "id.timestamp.body").
//
// Workers lease deliveries from the store as the mail workers lease emails:
// several workers in several processes never send one delivery at the same
// time, and a delivery whose endpoint answered 2xx is not sent again (unless
// an admin resends it). Delivery is at least once: an answer lost on the way
// back means the delivery is sent again, with the same webhook-id, which is
// what receivers de-duplicate on.
package webhook

import (
	"backdesk/leased"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"backdesk"
)

// Sign returns the webhook-signature of body for a delivery with id at ts,
// with secret as the specification serialises it ("whsec_" and base64).
func Sign(secret, id string, ts int64, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, backdesk.WebhookSecretPrefix))
	if err != nil || !strings.HasPrefix(secret, backdesk.WebhookSecretPrefix) {
		return "", errors.New("webhook secret is not whsec_ and base64")
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", id, ts)
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// Delivery policy.
const (
	// Lease is how long a claim lasts.
	Lease = 2 * time.Minute
	// Timeout bounds one attempt, from the dial to the answer (the
	// specification recommends 15 to 30 seconds), and stays under half the
	// lease.
	Timeout = 15 * time.Second
	// Batch is how many deliveries a worker claims, and sends side by side,
	// at once.
	Batch = 10
	// StopGrace is how long attempts in flight may run on at shutdown.
	StopGrace     = 5 * time.Second
	recordTimeout = 10 * time.Second
)

// schedule is the specification's example retry schedule: the wait after
// the first failed attempt, the second, … Ten attempts in all, over about
// three days; a delivery is given up after the last.
var schedule = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour,
	10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 24 * time.Hour}

// MaxAttempts is how many times a delivery is tried before it is given up.
var MaxAttempts = len(schedule) + 1

// Backoff is the wait after the n-th failed attempt (n from 1), with the
// schedule scaled so that its first step is first (5 seconds as specified;
// tests make it shorter), and up to a tenth more at random so that
// endpoints that failed together are not retried together.
func Backoff(n int, first time.Duration) time.Duration {
	if n < 1 {
		n = 1
	}
	if n > len(schedule) {
		n = len(schedule)
	}
	d := time.Duration(float64(schedule[n-1]) * float64(first) / float64(schedule[0]))
	return d + time.Duration(rand.Int64N(int64(d)/10+1))
}

// NewClient is the HTTP client of deliveries: no proxy from the
// environment, no redirects followed (a 3xx is a failed attempt, as the
// specification says), each attempt within Timeout, and a dialer that
// refuses, at the moment of connecting, every address
// backdesk.CheckWebhookAddress refuses (unless allowPrivate): a host name
// is checked against the address it resolves to then, so a name that
// changes to point at this machine is still refused.
func NewClient(allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, Control: func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return fmt.Errorf("webhook: dial %s: not an address", address)
		}
		if err := backdesk.CheckWebhookAddress(ip, allowPrivate); err != nil {
			return errors.New(backdesk.ErrorMessage(err))
		}
		return nil
	}}
	return &http.Client{
		Timeout: Timeout,
		Transport: &http.Transport{Proxy: nil, DialContext: d.DialContext, TLSHandshakeTimeout: 10 * time.Second,
			ResponseHeaderTimeout: Timeout, MaxIdleConnsPerHost: 2, IdleConnTimeout: 90 * time.Second, ForceAttemptHTTP2: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Worker delivers due deliveries.
type Worker struct {
	Store  backdesk.WebhookOutboxStore
	Client *http.Client
	// BaseURL is the site's public address, for the links in payloads.
	BaseURL string
	Now     func() time.Time
	Log     *slog.Logger
	// FirstRetry is the wait after a first failed attempt (the schedule's
	// 5 seconds when zero).
	FirstRetry time.Duration
	Batch      int
	Lease      time.Duration
	Grace      time.Duration
	id         string
}

// NewWorker returns a worker with a random claim id.
func NewWorker(store backdesk.WebhookOutboxStore, client *http.Client, baseURL string, now func() time.Time, log *slog.Logger) *Worker {
	return &Worker{Store: store, Client: client, BaseURL: baseURL, Now: now, Log: log, Batch: Batch, Lease: Lease, Grace: StopGrace,
		id: fmt.Sprintf("%016x", rand.Uint64())}
}

var errStopping = errors.New("the webhook worker is stopping")

// RunOnce claims one batch, sends it and records each outcome; it returns
// how many were delivered. Once ctx has ended it claims nothing; attempts in
// flight when it ends get the worker's grace, then are abandoned and their
// claims released.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	lease, grace, batch := w.Lease, w.Grace, w.Batch
	if lease <= 0 {
		lease = Lease
	}
	if grace <= 0 {
		grace = StopGrace
	}
	if batch <= 0 {
		batch = Batch
	}
	if ctx.Err() != nil {
		return 0, nil
	}
	return leased.Round(ctx, lease, grace, recordTimeout, errStopping,
		func(ctx context.Context) ([]*backdesk.WebhookDispatch, error) {
			return w.Store.ClaimWebhookDeliveries(ctx, w.Now(), lease, batch, w.id)
		}, w.deliver)
}

// Run delivers until ctx ends, checking every interval and at once after a
// full batch.
func (w *Worker) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	batch := w.Batch
	if batch <= 0 {
		batch = Batch
	}
	for ctx.Err() == nil {
		n, err := w.RunOnce(ctx)
		if err != nil {
			w.Log.Error("webhook delivery", "err", err)
		}
		if n == batch {
			continue
		}
		select {
		case <-ctx.Done():
		case <-t.C:
		}
	}
}

// deliver makes one attempt at a claimed delivery and records it.
func (w *Worker) deliver(ctx context.Context, d *backdesk.WebhookDispatch) (bool, error) {
	start := w.Now()
	status, retryAfter, err := w.send(ctx, d)
	a := backdesk.WebhookAttempt{At: start, StatusCode: status, DurationMS: w.Now().Sub(start).Milliseconds()}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err != nil && errors.Is(context.Cause(ctx), errStopping) {
		w.Log.Info("webhook abandoned at shutdown, claim released", "delivery_id", d.Delivery.ID)
		if rerr := w.Store.ReleaseWebhookDelivery(rctx, d.Delivery.ID, w.id); rerr != nil {
			return false, fmt.Errorf("release webhook delivery %d: %w", d.Delivery.ID, rerr)
		}
		return false, nil
	}
	var o backdesk.WebhookOutcome
	switch {
	case err == nil && status >= 200 && status < 300:
		o.Delivered = true
	case err == nil && status == http.StatusGone:
		a.Error = "410 Gone: the endpoint no longer wants these webhooks"
		o.Disable = "It answered 410 Gone on " + start.UTC().Format("2 January 2006 15:04 MST") + ": the receiver no longer wants these webhooks. Enable it again once it does."
	default:
		if err != nil {
			a.Error = err.Error()
		} else {
			a.Error = fmt.Sprintf("%d %s", status, http.StatusText(status))
		}
		n := d.Delivery.Attempts + 1
		o.GiveUp = n >= MaxAttempts
		wait := Backoff(n, w.FirstRetry)
		if retryAfter > wait {
			wait = min(retryAfter, 24*time.Hour)
		}
		o.RetryAt = w.Now().Add(wait)
	}
	if rerr := w.Store.RecordWebhookAttempt(rctx, d.Delivery.ID, w.id, a, o); rerr != nil {
		if backdesk.ErrorCode(rerr) == backdesk.CodeConflict {
			w.Log.Warn("webhook attempt not recorded: the claim passed to another worker", "delivery_id", d.Delivery.ID)
			return false, nil
		}
		return false, fmt.Errorf("record webhook attempt of delivery %d: %w", d.Delivery.ID, rerr)
	}
	if !o.Delivered {
		w.Log.Warn("webhook not delivered", "delivery_id", d.Delivery.ID, "event", d.Event.Type, "attempt", d.Delivery.Attempts+1,
			"give_up", o.GiveUp, "status", status, "err", a.Error)
	}
	return o.Delivered, nil
}

// send POSTs the payload, signed now, and returns the answer's status and
// its Retry-After.
func (w *Worker) send(ctx context.Context, d *backdesk.WebhookDispatch) (int, time.Duration, error) {
	body, err := d.Event.Payload(w.BaseURL)
	if err != nil {
		return 0, 0, err
	}
	ts := w.Now().Unix()
	sig, err := Sign(d.Secret, d.Event.ID, ts, body)
	if err != nil {
		return 0, 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "backdesk-webhooks/1")
	req.Header.Set("webhook-id", d.Event.ID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", sig)
	resp, err := w.Client.Do(req)
	if err != nil {
		return 0, 0, cleanError(err, d.URL)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	var after time.Duration
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		after = time.Duration(s) * time.Second
	}
	return resp.StatusCode, after, nil
}

// cleanError says what went wrong without repeating the URL, whose query
// might hold something its owner would not want in the delivery log.
func cleanError(err error, url string) error {
	msg := strings.ReplaceAll(err.Error(), url, "the endpoint")
	return errors.New(msg)
}
