// Package mail delivers the outbox over SMTP: workers claim due messages
// under a lease, send them, and record delivery or a retry with back-off.
// Every send ends within half its lease, so several workers, in one process
// or several, never have one message in flight twice; each message carries
// a stable Message-ID.
package mail

import (
	"backdesk/leased"
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
	"os"
	"strings"
	"time"

	"backdesk"
)

// Sender delivers one message. It must return by ctx's deadline, and at
// once when ctx is cancelled.
type Sender interface {
	Send(ctx context.Context, m *backdesk.OutboxMessage) error
}

// SMTP sends through an SMTP server with net/smtp (STARTTLS when offered).
type SMTP struct {
	Addr   string // host:port
	Auth   smtp.Auth
	From   string // the sender address
	Domain string // for Message-IDs
	// Timeout bounds one send, from the dial to the server's answer to the
	// message (SendTimeout when zero); a sooner deadline of the context wins.
	Timeout time.Duration
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

// Send delivers m as a plain-text UTF-8 email. It returns by ctx's deadline
// or after s.Timeout, whichever comes first, and at once when ctx is
// cancelled: the dial and every read and write on the connection carry that
// deadline, and the connection is closed when ctx ends. A send cut short so
// is an error that wraps context.DeadlineExceeded or context.Canceled.
//
// Once the server has accepted the message (its answer to the end of DATA),
// Send reports success whatever becomes of QUIT, so a lost goodbye never
// causes a second delivery. If the connection fails after the message was
// sent but before that answer arrives, the server may have it and a retry
// may deliver it twice: SMTP is at-least-once there.
func (s *SMTP) Send(ctx context.Context, m *backdesk.OutboxMessage) error {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = SendTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err := s.send(ctx, m)
	if err == nil || (ctx.Err() == nil && !errors.Is(err, os.ErrDeadlineExceeded)) {
		return err
	}
	// The connection's deadline is ctx's, so it may fire a moment before
	// ctx reports it.
	cause := ctx.Err()
	if cause == nil {
		cause = context.DeadlineExceeded
	}
	return fmt.Errorf("%w: %w", cause, err)
}

func (s *SMTP) send(ctx context.Context, m *backdesk.OutboxMessage) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("smtp dial: %w", err)
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(deadline); err != nil {
			return fmt.Errorf("smtp: %w", err)
		}
	}
	// A cancelled send closes its connection, which ends whatever read or
	// write is blocked on it.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	host, _, _ := net.SplitHostPort(s.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return fmt.Errorf("smtp greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("smtp EHLO: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
			return fmt.Errorf("smtp STARTTLS: %w", err)
		}
	}
	if s.Auth != nil {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("smtp: the server does not offer AUTH")
		}
		if err := c.Auth(s.Auth); err != nil {
			return fmt.Errorf("smtp AUTH: %w", err)
		}
	}
	if err := c.Mail(s.From); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return fmt.Errorf("smtp RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(Format(m, s.From, s.Domain)); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp end of DATA: %w", err)
	}
	c.Quit() // the server has the message; a failed goodbye changes nothing
	return nil
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
	// SendTimeout bounds one SMTP send, well under the lease.
	SendTimeout = 30 * time.Second
	// StopGrace is how long sends in flight may still run once their worker
	// is told to stop; then they are abandoned and their claims released.
	StopGrace = 5 * time.Second
	// Batch is how many messages a worker claims, and sends at once, in one
	// round.
	Batch = 5
	// MaxAttempts is how many failed attempts end in giving up.
	MaxAttempts = 10
	// maxBackoff caps the wait between attempts.
	maxBackoff = 6 * time.Hour
	// recordTimeout bounds writing down how a send ended.
	recordTimeout = 10 * time.Second
)

// Backoff is the wait after the n-th failed attempt: 1, 2, 4 … minutes, at
// most six hours.
func Backoff(n int) time.Duration {
	d := time.Minute << min(n, 12)
	return min(d, maxBackoff)
}

// Worker delivers due outbox messages.
//
// Each round claims up to Batch messages under one lease and sends them
// concurrently, so a slow message holds up only itself. Every send of the
// round must end within half the lease, counted on this process's monotonic
// clock from before the claim; the other half is the margin for recording
// the outcome and for clock differences between processes. So no other
// worker can take a message while a send of it is still in flight. A send
// cut short by that deadline is a failed attempt, retried with the usual
// back-off.
type Worker struct {
	Store  backdesk.OutboxStore
	Sender Sender
	Now    func() time.Time
	Log    *slog.Logger
	Batch  int           // messages claimed and sent at once per round
	Lease  time.Duration // how long a claim lasts; Lease when zero
	// Grace is how long sends in flight may still run after the context of
	// Run or RunOnce ends (StopGrace when zero); then they are abandoned and
	// their claims released for any worker to take at once.
	Grace time.Duration
	id    string
}

// NewWorker returns a worker with a random claim id.
func NewWorker(store backdesk.OutboxStore, sender Sender, now func() time.Time, log *slog.Logger) *Worker {
	b := make([]byte, 8)
	rand.Read(b)
	return &Worker{Store: store, Sender: sender, Now: now, Log: log, Batch: Batch, Lease: Lease, Grace: StopGrace, id: hex.EncodeToString(b)}
}

// errStopping abandons the sends in flight when the worker stops.
var errStopping = errors.New("the mail worker is stopping")

// RunOnce claims one batch, sends it and records each outcome; it returns
// how many were sent. Once ctx has ended it claims nothing; when ctx ends
// during the sends, they get the worker's grace and are then abandoned and
// their claims released. Outcomes are recorded even then.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	lease, grace := w.Lease, w.Grace
	if lease <= 0 {
		lease = Lease
	}
	if grace <= 0 {
		grace = StopGrace
	}
	if ctx.Err() != nil {
		return 0, nil
	}
	return leased.Round(ctx, lease, grace, recordTimeout, errStopping,
		func(ctx context.Context) ([]*backdesk.OutboxMessage, error) {
			return w.Store.ClaimOutbox(ctx, w.Now(), lease, w.Batch, w.id)
		}, w.deliver)
}

// deliver sends one claimed message and records the outcome; it reports
// whether the message was sent and recorded.
func (w *Worker) deliver(ctx context.Context, m *backdesk.OutboxMessage) (bool, error) {
	err := w.Sender.Send(ctx, m)
	// The outcome is recorded even when the worker is stopping: a delivery
	// not written down would be sent again.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	switch {
	case err == nil:
		if err := w.Store.MarkOutboxSent(rctx, m.ID, w.id, w.Now()); err != nil {
			w.Log.Error("email sent but not recorded", "outbox_id", m.ID, "err", err)
			return false, nil
		}
		return true, nil
	case errors.Is(context.Cause(ctx), errStopping):
		w.Log.Info("email abandoned at shutdown, claim released", "outbox_id", m.ID, "kind", m.Kind, "err", err)
		if rerr := w.Store.ReleaseOutbox(rctx, m.ID, w.id); rerr != nil {
			return false, fmt.Errorf("release outbox message %d: %w", m.ID, rerr)
		}
		return false, nil
	default:
		give := m.Attempts+1 >= MaxAttempts
		w.Log.Warn("email not sent", "outbox_id", m.ID, "kind", m.Kind, "attempt", m.Attempts+1, "give_up", give, "err", err)
		if rerr := w.Store.MarkOutboxRetry(rctx, m.ID, w.id, err.Error(), w.Now().Add(Backoff(m.Attempts)), give); rerr != nil {
			return false, fmt.Errorf("record failed attempt of outbox message %d: %w", m.ID, rerr)
		}
		return false, nil
	}
}

// Run delivers until ctx ends, checking every interval and at once after a
// full batch. It returns once the round in flight has ended: within the
// worker's grace, and the time to record the outcomes, of ctx ending.
func (w *Worker) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for ctx.Err() == nil {
		n, err := w.RunOnce(ctx)
		if err != nil {
			w.Log.Error("outbox delivery", "err", err)
		}
		if n == w.Batch {
			continue
		}
		select {
		case <-ctx.Done():
		case <-t.C:
		}
	}
}
