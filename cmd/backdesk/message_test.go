package main

import (
	"net/url"
	"strings"
	"testing"

	"backdesk/mail/mailtest"
)

// TestContactMessages: a visitor writes through the page, reception reads
// it in the inbox and answers; the answer reaches the visitor by email once.
func TestContactMessages(t *testing.T) {
	box, smtpURL := mailtest.Start(t)
	app := demoAppWith(t, map[string]string{"BACKDESK_SMTP": smtpURL}, "--mail-interval", "50ms")
	visitor := app.Client(t)
	status, page, _ := visitor.PostForm("/contact", url.Values{"name": {"Jo Visitor"}, "email": {"not-an-email"}, "body": {"Do you treat sciatica?"}})
	if status != 422 || !strings.Contains(page, "email must be an address") || !strings.Contains(page, "Do you treat sciatica?") {
		t.Errorf("bad email = %d", status)
	}
	status, _, h := visitor.PostForm("/contact", url.Values{"name": {"Jo Visitor"}, "email": {"jo@example.org"}, "body": {"Do you treat sciatica?"}})
	if status != 303 || !strings.Contains(visitor.StatusLine(h), "your message has reached reception") {
		t.Fatalf("send = %d", status)
	}
	reception := app.Client(t)
	reception.Login("reception@riverside.example")
	_, inbox := reception.Get("/admin/messages")
	if !strings.Contains(inbox, "Do you treat sciatica?") || !strings.Contains(inbox, "Jo Visitor") {
		t.Fatalf("inbox does not show the message")
	}
	_, list := reception.Get("/api/v1/messages?unanswered=true")
	var l struct {
		Messages []struct{ ID string }
	}
	decode(t, list, &l)
	status, _, _ = reception.PostForm("/admin/messages/"+l.Messages[0].ID+"/answer", url.Values{"answer": {"Yes: book a physiotherapy assessment."}})
	if status != 303 {
		t.Fatalf("answer = %d", status)
	}
	waitFor(t, "the answer email", func() bool { return len(box.Bodies()) >= 1 })
	if b := box.Bodies()[0]; !strings.Contains(b, "Yes: book a physiotherapy assessment.") || !strings.Contains(b, "> Do you treat sciatica?") {
		t.Errorf("answer email = %q", b)
	}
	if status, _ := reception.PostJSON("/api/v1/messages/"+l.Messages[0].ID+"/answer", `{"answer":"again"}`); status != 409 {
		t.Errorf("a second answer = %d", status)
	}
}
