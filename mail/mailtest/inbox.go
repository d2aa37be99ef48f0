// Package mailtest is a real SMTP server on loopback for tests: it records
// every message it accepts, can refuse the next few, and can stall the
// messages to one recipient. Silent is a listener that never speaks.
package mailtest

import (
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
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
	sessions int // open now

	stallTo   string        // the recipient whose RCPT TO stalls
	stallLeft int           // how many more stall
	stalled   int           // how many have stalled
	release   chan struct{} // closed to answer the stalled ones
	done      chan struct{} // closed when the server stops
}

// Start runs an SMTP server until the test ends and returns its inbox and
// its smtp:// URL.
func Start(tb testing.TB) (*Inbox, string) {
	tb.Helper()
	b := &Inbox{byID: map[string]int{}, release: make(chan struct{}), done: make(chan struct{})}
	srv := smtp.NewServer(b)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go srv.Serve(ln)
	tb.Cleanup(func() { close(b.done); srv.Close() })
	return b, "smtp://" + ln.Addr().String()
}

// Silent listens on loopback until the test ends, accepts every connection
// and never says anything, not even the greeting. It returns its smtp://
// URL and a channel that receives each accepted connection's arrival.
func Silent(tb testing.TB) (string, <-chan struct{}) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	accepted := make(chan struct{}, 100)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			select {
			case accepted <- struct{}{}:
			default:
			}
		}
	}()
	tb.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "smtp://" + ln.Addr().String(), accepted
}

// StallRcpt makes the next n messages to the recipient to stall: the server
// reads their RCPT TO and answers nothing until Release (or the end of the
// test), as a server stuck on a recipient check would. The message itself
// has not been sent at that point, so a client that gives up and hangs up
// has delivered nothing; the late answer then goes to a closed connection.
func (b *Inbox) StallRcpt(to string, n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stallTo, b.stallLeft = to, n
	b.release = make(chan struct{})
}

// Release answers every stalled RCPT TO (accepting it) and stalls no more.
func (b *Inbox) Release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stallLeft = 0
	close(b.release)
	b.release = make(chan struct{})
}

// Stalled returns how many RCPT TO commands have stalled so far.
func (b *Inbox) Stalled() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stalled
}

// Sessions returns how many SMTP sessions are open now.
func (b *Inbox) Sessions() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sessions
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

func (b *Inbox) NewSession(*smtp.Conn) (smtp.Session, error) {
	b.mu.Lock()
	b.sessions++
	b.mu.Unlock()
	return &session{b: b}, nil
}

type session struct{ b *Inbox }

func (s *session) Reset() {}

func (s *session) Logout() error {
	s.b.mu.Lock()
	s.b.sessions--
	s.b.mu.Unlock()
	return nil
}

func (s *session) Mail(string, *smtp.MailOptions) error { return nil }

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.b.mu.Lock()
	stall := s.b.stallLeft > 0 && strings.EqualFold(to, s.b.stallTo)
	release := s.b.release
	if stall {
		s.b.stallLeft--
		s.b.stalled++
	}
	s.b.mu.Unlock()
	if stall {
		select {
		case <-release:
		case <-s.b.done:
		}
	}
	return nil
}
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
