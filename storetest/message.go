package storetest

import (
	"context"
	"testing"
	"time"

	"backdesk"
)

func testMessages(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	u := mustPatient(t, s, "writer@example.org")
	a := &backdesk.ContactMessage{Name: "Anon", Email: "anon@example.org", Body: "Do you open on Sundays?"}
	must(t, s.InsertMessage(ctx, a, nil))
	b := &backdesk.ContactMessage{Name: "Pat", Email: u.Email, Body: "Can I bring my scan?", PatientID: u.PatientID}
	must(t, s.InsertMessage(ctx, b, nil))
	if a.ID == 0 || a.CreatedAt.IsZero() {
		t.Fatalf("InsertMessage did not fill ID and CreatedAt: %+v", a)
	}
	list, total, err := s.FindMessages(ctx, backdesk.MessageFilter{Unanswered: true})
	must(t, err)
	if total != 2 || list[0].ID != b.ID {
		t.Errorf("FindMessages = %d, first %d", total, list[0].ID)
	}
	reply := &backdesk.OutboxMessage{Kind: "message_answer", To: a.Email, Subject: "Re", Body: "Yes."}
	got, err := s.AnswerMessage(ctx, a.ID, "Yes, 10 to 2.", 7, time.Now(), reply, nil)
	must(t, err)
	if got.Answer != "Yes, 10 to 2." || got.AnsweredAt == nil || got.AnsweredBy != 7 || reply.ID == 0 {
		t.Errorf("AnswerMessage = %+v, reply %d", got, reply.ID)
	}
	_, err = s.AnswerMessage(ctx, a.ID, "Again", 7, time.Now(), &backdesk.OutboxMessage{Kind: "message_answer", To: a.Email, Subject: "Re", Body: "x"}, nil)
	wantCode(t, err, backdesk.CodeConflict)
	_, err = s.AnswerMessage(ctx, 99999, "Hm", 7, time.Now(), nil, nil)
	wantCode(t, err, backdesk.CodeNotFound)
	_, total, _ = s.FindMessages(ctx, backdesk.MessageFilter{Unanswered: true})
	if total != 1 {
		t.Errorf("unanswered after one answer = %d", total)
	}
	msgs, _, _ := s.FindOutboxMessages(AdminContext(), backdesk.Page{})
	replies := 0
	for _, m := range msgs {
		if m.Kind == "message_answer" {
			replies++
		}
	}
	if replies != 1 {
		t.Errorf("%d reply emails, want 1 (the refused second answer wrote none)", replies)
	}
	_, err = s.FindMessageByID(ctx, 99999)
	wantCode(t, err, backdesk.CodeNotFound)
}
