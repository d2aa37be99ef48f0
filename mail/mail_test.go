package mail_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/mail"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"backdesk"
	bdmail "backdesk/mail"
	"backdesk/mail/mailtest"
	"backdesk/sqlstore"
	"backdesk/storetest"
)

type store interface {
	backdesk.Store
}

func stores(t *testing.T) map[string]store {
	out := map[string]store{}
	db, err := sqlstore.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	out["sqlite"] = db
	if storetest.PostgresURL() != "" {
		pg, err := sqlstore.Open(context.Background(), storetest.FreshPostgresSchema(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pg.Close() })
		out["postgres"] = pg
	}
	return out
}

// seed books n appointments, each with a confirmation and a later reminder.
func seed(t *testing.T, s store, n int) {
	ctx := context.Background()
	l := storetest.MustCreateLocation(t, s)
	o := storetest.MustCreateOffering(t, s, "Physio", backdesk.DisciplinePhysiotherapist)
	p := storetest.MustCreatePractitioner(t, s, "P", backdesk.DisciplinePhysiotherapist, o, l)
	u := &backdesk.User{Email: "pat@example.org", Name: "Pat", Role: backdesk.RolePatient}
	if err := s.InsertUser(ctx, u, "h", nil); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2030, 1, 7, 9, 0, 0, 0, time.UTC)
	for i := range n {
		at := start.Add(time.Duration(i) * time.Hour)
		b := &backdesk.Booking{PatientID: u.PatientID, PractitionerID: p.ID, ServiceID: o.ID, LocationID: l.ID, Start: at, End: at.Add(45 * time.Minute), BlocksUntil: at.Add(time.Hour)}
		msgs := []*backdesk.OutboxMessage{
			{Kind: "booking_confirmation", To: u.Email, Subject: fmt.Sprintf("Booked %d – ½ price? no", i), Body: "Your appointment.\nSee you soon."},
			{Kind: "booking_reminder", To: u.Email, Subject: fmt.Sprintf("Reminder %d", i), Body: "Tomorrow.", SendAfter: at.Add(-24 * time.Hour)},
		}
		if _, err := s.InsertBooking(ctx, b, msgs, nil); err != nil {
			t.Fatal(err)
		}
	}
}

func drain(t *testing.T, w *bdmail.Worker) {
	for {
		n, err := w.RunOnce(context.Background())
		if err != nil {
			t.Error(err)
			return
		}
		if n == 0 {
			return
		}
	}
}

// TestEachConfirmationOnce: two workers deliver concurrently; every
// confirmation arrives exactly once, and reminders wait for their time.
func TestEachConfirmationOnce(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			box, url := mailtest.Start(t)
			sender, err := bdmail.ParseSMTP(url, "reception@clinic.example")
			if err != nil {
				t.Fatal(err)
			}
			seed(t, s, 40)
			now := time.Now()
			clock := func() time.Time { return now.Add(time.Second) }
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			w1, w2 := bdmail.NewWorker(s, sender, clock, log), bdmail.NewWorker(s, sender, clock, log)
			w1.Batch, w2.Batch = 3, 3
			var wg sync.WaitGroup
			for _, w := range []*bdmail.Worker{w1, w2} {
				wg.Add(1)
				go func() { defer wg.Done(); drain(t, w) }()
			}
			wg.Wait()
			counts := box.Counts()
			if len(counts) != 40 {
				t.Errorf("%d distinct messages delivered, want the 40 confirmations", len(counts))
			}
			for id, n := range counts {
				if n != 1 {
					t.Errorf("%s delivered %d times", id, n)
				}
			}
			for _, subj := range box.Subjects() {
				if strings.HasPrefix(subj, "Reminder") {
					t.Errorf("a reminder went out before its time: %s", subj)
				}
			}
			// In January 2030 the reminders fall due, each the day before its
			// appointment (a reminder still waiting once its appointment has
			// started is dropped, never sent late): the first 24 on the
			// morning of the 7th, the others on the morning of the 8th.
			for _, day := range []int{7, 8} {
				late := func() time.Time { return time.Date(2030, 1, day, 8, 59, 0, 0, time.UTC) }
				w1.Now, w2.Now = late, late
				drain(t, w1)
			}
			if n := len(box.Counts()); n != 80 {
				t.Errorf("%d messages after the reminders, want 80", n)
			}
			msgs, _, err := s.FindOutboxMessages(storetest.AdminContext(), backdesk.Page{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range msgs {
				if m.Status != backdesk.OutboxSent || m.SentAt == nil {
					t.Errorf("message %d is %s", m.ID, m.Status)
				}
			}
		})
	}
}

// TestRetryWithBackoff: a refused message is retried after its back-off and
// then delivered once.
func TestRetryWithBackoff(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			box, url := mailtest.Start(t)
			box.FailNext(1)
			sender, _ := bdmail.ParseSMTP(url, "reception@clinic.example")
			seed(t, s, 1)
			now := time.Now().Add(time.Second)
			w := bdmail.NewWorker(s, sender, func() time.Time { return now }, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if n, err := w.RunOnce(context.Background()); err != nil || n != 0 {
				t.Fatalf("first attempt sent %d, %v", n, err)
			}
			msgs, _, _ := s.FindOutboxMessages(storetest.AdminContext(), backdesk.Page{})
			var conf *backdesk.OutboxMessage
			for _, m := range msgs {
				if m.Kind == "booking_confirmation" {
					conf = m
				}
			}
			if conf.Attempts != 1 || !strings.Contains(conf.LastError, "try again later") || conf.Status != backdesk.OutboxPending {
				t.Fatalf("after a refusal: %+v", conf)
			}
			if n, _ := w.RunOnce(context.Background()); n != 0 {
				t.Error("retried before the back-off")
			}
			now = now.Add(bdmail.Backoff(0) + time.Second)
			if n, err := w.RunOnce(context.Background()); err != nil || n != 1 {
				t.Fatalf("retry sent %d, %v", n, err)
			}
			if n := len(box.Counts()); n != 1 {
				t.Errorf("delivered %d messages", n)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute}
	for i, w := range want {
		if got := bdmail.Backoff(i); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", i, got, w)
		}
	}
	if got := bdmail.Backoff(30); got != 6*time.Hour {
		t.Errorf("Backoff(30) = %v, want the 6 h cap", got)
	}
}

func TestFormat(t *testing.T) {
	m := &backdesk.OutboxMessage{ID: 7, To: "p@example.org", Subject: "Müller: your appointment", Body: "Line one\nLine two – ok", CreatedAt: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	out := string(bdmail.Format(m, "reception@clinic.example", "clinic.example"))
	msg, err := mail.ReadMessage(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); subj != "Müller: your appointment" {
		t.Errorf("Subject = %q", subj)
	}
	if msg.Header.Get("Message-ID") != "<outbox-7@clinic.example>" || !strings.Contains(out, "\r\n\r\n") {
		t.Errorf("headers:\n%s", out)
	}
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// waitFor polls cond until it holds, for at most 20 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// returnsWithin fails the test unless f returns within the test's generous
// bound; it returns what f returned.
func returnsWithin(t *testing.T, what string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not return", what)
		return nil
	}
}

// TestSendDeadline: against a server that accepts the connection and never
// says a word, Send gives up at its deadline, whether that is the context's
// or its own timeout.
func TestSendDeadline(t *testing.T) {
	url, _ := mailtest.Silent(t)
	m := &backdesk.OutboxMessage{ID: 1, To: "p@example.org", Subject: "s", Body: "b"}
	for _, tc := range []struct {
		name    string
		ctx     func() (context.Context, context.CancelFunc)
		timeout time.Duration
	}{
		{"context deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 100*time.Millisecond)
		}, 0},
		{"send timeout", func() (context.Context, context.CancelFunc) {
			return context.WithCancel(context.Background())
		}, 100 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sender, err := bdmail.ParseSMTP(url, "reception@clinic.example")
			if err != nil {
				t.Fatal(err)
			}
			sender.Timeout = tc.timeout
			ctx, cancel := tc.ctx()
			defer cancel()
			err = returnsWithin(t, "Send", func() error { return sender.Send(ctx, m) })
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Send = %v, want an error wrapping context.DeadlineExceeded", err)
			}
		})
	}
}

// TestSendCancel: cancelling the context ends a hung send at once, long
// before its own timeout.
func TestSendCancel(t *testing.T) {
	url, accepted := mailtest.Silent(t)
	sender, err := bdmail.ParseSMTP(url, "reception@clinic.example")
	if err != nil {
		t.Fatal(err)
	}
	sender.Timeout = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-accepted; cancel() }()
	err = returnsWithin(t, "Send after cancel", func() error {
		return sender.Send(ctx, &backdesk.OutboxMessage{ID: 1, To: "p@example.org", Subject: "s", Body: "b"})
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Send = %v, want an error wrapping context.Canceled", err)
	}
}

// TestStalledMessageOnce: a server that stalls one message for longer than
// the lease gets it exactly once, and 100 other messages arrive meanwhile.
//
// Two workers share one store and a short lease. The server stalls at RCPT
// TO, before it has the message, and stays stalled past the lease while the
// workers keep polling. The attempt ends at its deadline (half the lease)
// and is recorded as failed, so the lease never runs out under a send and
// the other worker cannot take the message while it is in flight; the
// conversation that gave up delivers nothing, even once the server answers
// its RCPT TO. After its back-off the message is retried and delivered once.
//
// What this shows: a message is never in flight twice, a slow message holds
// up no other, and a send cut short before the server has the message
// delivers nothing. What no SMTP client can promise: if the server has
// accepted the message and its answer is lost (the connection fails after
// the end of DATA), the attempt counts as failed and the retry delivers a
// second copy. Delivery is at-least-once there; the stable Message-ID lets
// receiving systems recognise the copy.
func TestStalledMessageOnce(t *testing.T) {
	const slowTo = "slow@example.org"
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			box, url := mailtest.Start(t)
			box.StallRcpt(slowTo, 1)
			sender, err := bdmail.ParseSMTP(url, "reception@clinic.example")
			if err != nil {
				t.Fatal(err)
			}
			msgs := []*backdesk.OutboxMessage{{Kind: "booking_confirmation", To: slowTo, Subject: "Slow", Body: "b"}}
			for i := range 100 {
				msgs = append(msgs, &backdesk.OutboxMessage{Kind: "booking_confirmation", To: fmt.Sprintf("p%d@example.org", i), Subject: fmt.Sprint("Other ", i), Body: "b"})
			}
			seedMessages(t, s, msgs)
			all := func() []*backdesk.OutboxMessage {
				t.Helper()
				got, _, err := s.FindOutboxMessages(storetest.AdminContext(), backdesk.Page{Limit: 200})
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			var slow *backdesk.OutboxMessage
			for _, m := range all() {
				if m.To == slowTo {
					slow = m
				}
			}
			slowID := fmt.Sprintf("<outbox-%d@clinic.example>", slow.ID)
			others := func() int {
				n := 0
				for id := range box.Counts() {
					if id != slowID {
						n++
					}
				}
				return n
			}

			// The workers' clock is real time, so leases do run out, plus
			// a skip that the test moves forward once nothing is claimed.
			var skip atomic.Int64
			clock := func() time.Time { return time.Now().Add(time.Duration(skip.Load())) }
			const lease = 2 * time.Second
			ctx, stop := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			t.Cleanup(func() {
				stop()
				returnsWithin(t, "the workers' Run", func() error { wg.Wait(); return nil })
			})
			for range 2 {
				w := bdmail.NewWorker(s, sender, clock, quiet)
				w.Lease = lease
				wg.Go(func() { w.Run(ctx, 10*time.Millisecond) })
			}

			waitFor(t, "the slow message's RCPT TO to stall", func() bool { return box.Stalled() == 1 })
			stalledAt := time.Now()
			waitFor(t, "100 other messages, the failed attempt recorded, and the stall past the lease", func() bool {
				if n := box.Counts()[slowID]; n != 0 {
					t.Fatalf("the stalled message was delivered %d times while its first attempt hung", n)
				}
				attempts := -1
				for _, m := range all() {
					if m.ID == slow.ID {
						attempts = m.Attempts
					}
				}
				return others() == 100 && attempts == 1 && time.Since(stalledAt) > lease+lease/2
			})
			box.Release()
			waitFor(t, "the abandoned conversation to end", func() bool { return box.Sessions() == 0 })
			if n := box.Counts()[slowID]; n != 0 {
				t.Fatalf("the abandoned attempt was delivered (%d)", n)
			}

			// Nothing is claimed now (the attempt is recorded and the others
			// are sent), so moving the clock past the back-off breaks no lease.
			skip.Store(int64(bdmail.Backoff(0) + lease))
			waitFor(t, "the retry", func() bool { return box.Counts()[slowID] > 0 })
			waitFor(t, "every message sent", func() bool {
				for _, m := range all() {
					if m.Status != backdesk.OutboxSent {
						return false
					}
				}
				return true
			})
			stop()
			returnsWithin(t, "the workers' Run", func() error { wg.Wait(); return nil })
			counts := box.Counts()
			if len(counts) != 101 {
				t.Errorf("%d distinct messages delivered, want 101", len(counts))
			}
			for id, n := range counts {
				if n != 1 {
					t.Errorf("%s delivered %d times, want once", id, n)
				}
			}
		})
	}
}

// TestStopDrainsSends: a worker told to stop claims nothing more, lets a
// send in flight finish within its grace, and abandons one that is still
// hung when the grace ends, releasing its claim uncounted so that another
// worker (or process) can take the message at once.
func TestStopDrainsSends(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			start := func(t *testing.T, url string, grace time.Duration) (*bdmail.Worker, context.CancelFunc, chan struct{}) {
				sender, err := bdmail.ParseSMTP(url, "reception@clinic.example")
				if err != nil {
					t.Fatal(err)
				}
				w := bdmail.NewWorker(s, sender, time.Now, quiet)
				w.Grace = grace
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				go func() { w.Run(ctx, 10*time.Millisecond); close(done) }()
				t.Cleanup(func() {
					cancel()
					returnsWithin(t, "Run", func() error { <-done; return nil })
				})
				return w, cancel, done
			}
			stopped := func(t *testing.T, done chan struct{}) {
				returnsWithin(t, "Run after its context ended", func() error { <-done; return nil })
			}
			pending := func(t *testing.T) []*backdesk.OutboxMessage {
				msgs, _, err := s.FindOutboxMessages(storetest.AdminContext(), backdesk.Page{Limit: 200})
				if err != nil {
					t.Fatal(err)
				}
				var out []*backdesk.OutboxMessage
				for _, m := range msgs {
					if m.Status == backdesk.OutboxPending {
						out = append(out, m)
					}
				}
				return out
			}

			t.Run("abandoned after the grace", func(t *testing.T) {
				url, accepted := mailtest.Silent(t)
				seedMessages(t, s, []*backdesk.OutboxMessage{{Kind: "booking_confirmation", To: "hung@example.org", Subject: "Hung", Body: "b"}})
				_, cancel, done := start(t, url, 50*time.Millisecond) // the send's own timeout is 30 s
				select {
				case <-accepted:
				case <-time.After(10 * time.Second):
					t.Fatal("the worker did not connect")
				}
				cancel()
				stopped(t, done)
				got, err := s.ClaimOutbox(context.Background(), time.Now(), bdmail.Lease, 10, "another-worker")
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 1 || got[0].To != "hung@example.org" || got[0].Attempts != 0 {
					t.Fatalf("claim after the stop = %+v, want the hung message, released with no attempt counted", got)
				}
				if err := s.MarkOutboxSent(context.Background(), got[0].ID, "another-worker", time.Now()); err != nil {
					t.Fatal(err)
				}
			})

			t.Run("finished within the grace", func(t *testing.T) {
				box, url := mailtest.Start(t)
				box.StallRcpt("slow@example.org", 1)
				seedMessages(t, s, []*backdesk.OutboxMessage{{Kind: "booking_confirmation", To: "slow@example.org", Subject: "Slow", Body: "b"}})
				_, cancel, done := start(t, url, 10*time.Second)
				waitFor(t, "the RCPT TO to stall", func() bool { return box.Stalled() == 1 })
				cancel()
				box.Release()
				stopped(t, done)
				if got := box.Subjects(); len(got) != 1 || got[0] != "Slow" {
					t.Errorf("delivered %q, want the slow message once", got)
				}
				if p := pending(t); len(p) != 0 {
					t.Errorf("still pending after the send finished: %+v", p)
				}
			})
		})
	}
}

// seedMessages writes msgs as the emails of one new booking.
func seedMessages(t *testing.T, s store, msgs []*backdesk.OutboxMessage) {
	t.Helper()
	ctx := context.Background()
	l := storetest.MustCreateLocation(t, s)
	o := storetest.MustCreateOffering(t, s, "Physio", backdesk.DisciplinePhysiotherapist)
	p := storetest.MustCreatePractitioner(t, s, "P", backdesk.DisciplinePhysiotherapist, o, l)
	u := &backdesk.User{Email: fmt.Sprintf("pat%d@example.org", time.Now().UnixNano()), Name: "Pat", Role: backdesk.RolePatient}
	if err := s.InsertUser(ctx, u, "h", nil); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2030, 1, 7, 9, 0, 0, 0, time.UTC)
	b := &backdesk.Booking{PatientID: u.PatientID, PractitionerID: p.ID, ServiceID: o.ID, LocationID: l.ID, Start: at, End: at.Add(45 * time.Minute), BlocksUntil: at.Add(time.Hour)}
	if _, err := s.InsertBooking(ctx, b, msgs, nil); err != nil {
		t.Fatal(err)
	}
}
