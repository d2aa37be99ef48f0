// Package mailtest is a real SMTP server on loopback for tests: it records
// every message it accepts and can refuse the next few.
package mailtest

import (
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Inbox records delivered messages.
type Inbox struct {
	mu       sync.Mutex
	byID     map[string]int // Message-ID -> deliveries
	messages []*mail.Message
	bodies   []string
	failNext int
}

// Start runs an SMTP server until the test ends and returns its inbox and
// its smtp:// URL.
func Start(tb testing.TB) (*Inbox, string) {
	tb.Helper()
	b := &Inbox{byID: map[string]int{}}
	srv := smtp.NewServer(b)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return b, "smtp://" + ln.Addr().String()
}

// FailNext makes the next n deliveries fail with a temporary error.
func (b *Inbox) FailNext(n int) {
	b.mu.Lock()
	b.failNext = n
	b.mu.Unlock()
}

// Counts returns deliveries per Message-ID.
func (b *Inbox) Counts() map[string]int {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[string]int{}
	for k, v := range b.byID {
		out[k] = v
	}
	return out
}

// Subjects returns the decoded subjects received, in order.
func (b *Inbox) Subjects() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	dec := new(mime.WordDecoder)
	for _, m := range b.messages {
		s, err := dec.DecodeHeader(m.Header.Get("Subject"))
		if err != nil {
			s = m.Header.Get("Subject")
		}
		out = append(out, s)
	}
	return out
}

// Bodies returns the raw bodies received, in order.
func (b *Inbox) Bodies() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.bodies...)
}

func (b *Inbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{b: b}, nil }

type session struct{ b *Inbox }

func (s *session) Reset()                               {}
func (s *session) Logout() error                        { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error { return nil }
func (s *session) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *session) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if s.b.failNext > 0 {
		s.b.failNext--
		return &smtp.SMTPError{Code: 451, Message: "try again later"}
	}
	s.b.byID[msg.Header.Get("Message-ID")]++
	s.b.messages = append(s.b.messages, msg)
	s.b.bodies = append(s.b.bodies, string(body))
	return nil
}
