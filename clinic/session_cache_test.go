package clinic_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"backdesk"
	"backdesk/clinic"
	"backdesk/mock"
)

type sessionsEnded uint64

func (e *sessionsEnded) SessionsEnded() uint64 { return uint64(*e) }

// TestSessionCache: a live session's actor is reused for at most the TTL,
// never after a session was ended through this process (Ended moved, also
// while the lookup ran), never for a clock gone back; a token the service
// refuses is asked about again every time, and the cache stays bounded.
func TestSessionCache(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	now, ended, asked := t0, sessionsEnded(1), 0
	live := map[string]bool{"good": true}
	var during func() // runs inside the lookup
	next := &mock.UserService{ActorForSessionFn: func(ctx context.Context, token string) (backdesk.Actor, error) {
		asked++
		if during != nil {
			during()
		}
		if !live[token] {
			return backdesk.Actor{}, backdesk.Errorf(backdesk.CodeUnauthorized, "Your session has ended; please sign in again.")
		}
		return backdesk.Actor{UserID: 7, Role: backdesk.RolePatient, PatientID: 3, Name: token}, nil
	}}
	c := &clinic.SessionCache{UserService: next, Ended: &ended, TTL: 2 * time.Second, Now: func() time.Time { return now }}
	ctx := context.Background()
	token := "good"
	ask := func() (backdesk.Actor, error) { t.Helper(); return c.ActorForSession(ctx, token) }
	if a, err := ask(); err != nil || a.UserID != 7 {
		t.Fatalf("ActorForSession = %+v, %v", a, err)
	}
	for _, tc := range []struct {
		name    string
		set     func()
		asked   int // how many times the service has been asked after this step
		wantErr backdesk.Code
	}{
		{"fresh", func() { now = t0.Add(time.Second) }, 1, ""},
		{"a session ended in this process", func() { ended++ }, 2, ""},
		{"kept again", func() {}, 2, ""},
		{"older than the TTL", func() { now = now.Add(2 * time.Second) }, 3, ""},
		{"a clock gone back", func() { now = now.Add(-time.Minute) }, 4, ""},
		{"ended elsewhere, seen after the TTL", func() { live["good"] = false; now = now.Add(2 * time.Second) }, 5, backdesk.CodeUnauthorized},
		{"a refused token is asked about again", func() {}, 6, backdesk.CodeUnauthorized},
		{"a session ended while it was looked up", func() {
			live["good"] = true
			during = func() { ended++ }
		}, 7, ""},
		{"is not reused", func() { during = nil }, 8, ""},
		{"another token", func() { token = "other"; live["other"] = true }, 9, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.set()
			a, err := ask()
			if backdesk.ErrorCode(err) != tc.wantErr {
				t.Fatalf("ActorForSession: %v, want code %q", err, tc.wantErr)
			}
			if err == nil && a.Name != token {
				t.Errorf("ActorForSession = %+v, the actor of another token", a)
			}
			if asked != tc.asked {
				t.Errorf("the service was asked %d times, want %d", asked, tc.asked)
			}
		})
	}
	// Bounded: past 10,000 live sessions it starts again, and still keeps
	// the newest.
	for i := range 10001 {
		token = fmt.Sprint("t", i)
		live[token] = true
		ask()
	}
	before := asked
	ask()
	if asked != before {
		t.Error("the newest session was not kept")
	}
	if _, err := c.ActorForSession(ctx, ""); backdesk.ErrorCode(err) != backdesk.CodeUnauthorized {
		t.Errorf("ActorForSession(\"\") = %v, want unauthorized", err)
	}
}
