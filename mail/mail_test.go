package mail_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/mail"
	"path/filepath"
	"strings"
	"sync"
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
			// In 2030 the reminders are due.
			late := func() time.Time { return time.Date(2030, 1, 10, 0, 0, 0, 0, time.UTC) }
			w1.Now, w2.Now = late, late
			drain(t, w1)
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
