// Package mail delivers the outbox over SMTP: workers claim due messages
// under a lease, send them, and record delivery or a retry with back-off.
// Several workers, in one process or several, never send a message twice at
// once; each message carries a stable Message-ID.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"backdesk"
)

// Sender delivers one message.
type Sender interface {
	Send(ctx context.Context, m *backdesk.OutboxMessage) error
}

// SMTP sends through an SMTP server with net/smtp (STARTTLS when offered).
type SMTP struct {
	Addr   string // host:port
	Auth   smtp.Auth
	From   string // the sender address
	Domain string // for Message-IDs
}

// ParseSMTP reads smtp://[user:password@]host[:port] (port 25 by default).
func ParseSMTP(raw, from string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, fmt.Errorf("bad SMTP URL %q: use smtp://user:password@host:587", raw)
	}
	port := u.Port()
	if port == "" {
		port = "25"
	}
	s := &SMTP{Addr: net.JoinHostPort(u.Hostname(), port), From: from, Domain: u.Hostname()}
	if at := strings.LastIndexByte(from, '@'); at > 0 {
		s.Domain = from[at+1:]
	}
	if u.User != nil {
		pw, _ := u.User.Password()
		s.Auth = smtp.PlainAuth("", u.User.Username(), pw, u.Hostname())
	}
	return s, nil
}

// Send delivers m as a plain-text UTF-8 email.
func (s *SMTP) Send(ctx context.Context, m *backdesk.OutboxMessage) error {
	return smtp.SendMail(s.Addr, s.Auth, s.From, []string{m.To}, Format(m, s.From, s.Domain))
}

// Check talks to the server as Send would, up to the point of sending: it
// connects (within ctx, and ten seconds at most), greets it with EHLO,
// starts TLS when the server offers it and signs in when s has
// credentials; then it quits, having sent nothing. It describes what the
// server offered.
func (s *SMTP) Check(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return "", err
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	host, _, _ := net.SplitHostPort(s.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return "", fmt.Errorf("greeting: %v", err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return "", fmt.Errorf("EHLO: %v", err)
	}
	did := []string{"EHLO"}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
			return "", fmt.Errorf("STARTTLS: %v", err)
		}
		did = append(did, "STARTTLS")
	}
	if s.Auth != nil {
		if ok, _ := c.Extension("AUTH"); !ok {
			return "", errors.New("the server does not offer AUTH, and credentials are set")
		}
		if err := c.Auth(s.Auth); err != nil {
			return "", fmt.Errorf("AUTH: %v", err)
		}
		did = append(did, "AUTH")
	}
	if err := c.Quit(); err != nil {
		return "", fmt.Errorf("QUIT: %v", err)
	}
	return strings.Join(did, ", "), nil
}

// Format renders m as an RFC 5322 message with a stable Message-ID.
func Format(m *backdesk.OutboxMessage, from, domain string) []byte {
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", from)
	h("To", m.To)
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h("Date", m.CreatedAt.UTC().Format(time.RFC1123Z))
	h("Message-ID", fmt.Sprintf("<outbox-%d@%s>", m.ID, domain))
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(m.Body, "\n", "\r\n")))
	qp.Close()
	return b.Bytes()
}

// Delivery policy.
const (
	// Lease is how long a claimed message is reserved for its worker.
	Lease = 2 * time.Minute
	// MaxAttempts is how many failed attempts end in giving up.
	MaxAttempts = 10
	// maxBackoff caps the wait between attempts.
	maxBackoff = 6 * time.Hour
)

// Backoff is the wait after the n-th failed attempt: 1, 2, 4 … minutes, at
// most six hours.
func Backoff(n int) time.Duration {
	d := time.Minute << min(n, 12)
	return min(d, maxBackoff)
}

// Worker delivers due outbox messages.
type Worker struct {
	Store  backdesk.OutboxStore
	Sender Sender
	Now    func() time.Time
	Log    *slog.Logger
	Batch  int
	id     string
}

// NewWorker returns a worker with a random claim id.
func NewWorker(store backdesk.OutboxStore, sender Sender, now func() time.Time, log *slog.Logger) *Worker {
	b := make([]byte, 8)
	rand.Read(b)
	return &Worker{Store: store, Sender: sender, Now: now, Log: log, Batch: 20, id: hex.EncodeToString(b)}
}

// RunOnce claims and sends one batch; it returns how many were sent.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	msgs, err := w.Store.ClaimOutbox(ctx, w.Now(), Lease, w.Batch, w.id)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range msgs {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := w.Sender.Send(sctx, m)
		cancel()
		if err != nil {
			give := m.Attempts+1 >= MaxAttempts
			w.Log.Warn("email not sent", "outbox_id", m.ID, "kind", m.Kind, "attempt", m.Attempts+1, "give_up", give, "err", err)
			if rerr := w.Store.MarkOutboxRetry(ctx, m.ID, w.id, err.Error(), w.Now().Add(Backoff(m.Attempts)), give); rerr != nil {
				return sent, rerr
			}
			continue
		}
		if err := w.Store.MarkOutboxSent(ctx, m.ID, w.id, w.Now()); err != nil {
			w.Log.Error("email sent but not recorded", "outbox_id", m.ID, "err", err)
			continue
		}
		sent++
	}
	return sent, nil
}

// Run delivers until ctx ends, checking every interval and at once after a
// full batch.
func (w *Worker) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.Log.Error("outbox delivery", "err", err)
		}
		if n == w.Batch {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
