package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"backdesk"
)

func testUserInsertAndFind(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	u := &backdesk.User{Email: "Pat@Example.org", Name: "Pat Doe", Role: backdesk.RolePatient}
	must(t, s.InsertUser(ctx, u, "$argon2id$fake", nil))
	if u.ID == 0 || u.PatientID == 0 || u.Email != "pat@example.org" {
		t.Fatalf("InsertUser did not fill ID, PatientID and the lower-cased email: %+v", u)
	}
	got, hash, err := s.FindUserByEmail(ctx, "PAT@example.ORG")
	must(t, err)
	if got.ID != u.ID || hash != "$argon2id$fake" || got.Role != backdesk.RolePatient || got.PatientID != u.PatientID {
		t.Errorf("FindUserByEmail = %+v, %q", got, hash)
	}
	_, _, err = s.FindUserByEmail(ctx, "nobody@example.org")
	wantCode(t, err, backdesk.CodeNotFound)
	_, err = s.FindUserByID(ctx, u.ID+1)
	wantCode(t, err, backdesk.CodeNotFound)
	staff := &backdesk.User{Email: "desk@example.org", Name: "Front Desk", Role: backdesk.RoleReception}
	must(t, s.InsertUser(ctx, staff, "$argon2id$other", nil))
	if staff.PatientID != 0 {
		t.Errorf("a reception account got a patient record %d", staff.PatientID)
	}
}

func testUserDuplicateEmail(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	must(t, s.InsertUser(ctx, &backdesk.User{Email: "a@example.org", Name: "A", Role: backdesk.RolePatient}, "h", nil))
	err := s.InsertUser(ctx, &backdesk.User{Email: "A@EXAMPLE.org", Name: "A2", Role: backdesk.RolePatient}, "h", nil)
	wantCode(t, err, backdesk.CodeConflict)
}

// testUserConcurrentSameEmail: 20 goroutines register one email; exactly
// one succeeds and the others get CodeConflict, never another error.
func testUserConcurrentSameEmail(t *testing.T, s backdesk.Store) {
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.InsertUser(context.Background(), &backdesk.User{Email: "race@example.org", Name: fmt.Sprint("R", i), Role: backdesk.RolePatient}, "h", nil)
		}()
	}
	wg.Wait()
	ok := successes(t, errs, backdesk.CodeConflict)
	if ok != 1 {
		t.Errorf("%d inserts succeeded, want exactly 1", ok)
	}
}

func testSessionLifecycle(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	u := &backdesk.User{Email: "s@example.org", Name: "S", Role: backdesk.RoleAdmin}
	must(t, s.InsertUser(ctx, u, "h", nil))
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	must(t, s.InsertSession(ctx, "hash-1", u.ID, now.Add(time.Hour)))
	got, err := s.FindSessionUser(ctx, "hash-1", now)
	must(t, err)
	if got.ID != u.ID || got.Role != backdesk.RoleAdmin {
		t.Errorf("FindSessionUser = %+v", got)
	}
	_, err = s.FindSessionUser(ctx, "hash-1", now.Add(2*time.Hour))
	wantCode(t, err, backdesk.CodeNotFound)
	_, err = s.FindSessionUser(ctx, "hash-2", now)
	wantCode(t, err, backdesk.CodeNotFound)
	must(t, s.DeleteSession(ctx, "hash-1"))
	_, err = s.FindSessionUser(ctx, "hash-1", now)
	wantCode(t, err, backdesk.CodeNotFound)
	wantCode(t, s.InsertSession(ctx, "hash-3", u.ID+99, now.Add(time.Hour)), backdesk.CodeInvalid)
}
