package clinic_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"backdesk"
	"backdesk/clinic"
	"backdesk/mock"
)

func TestPasswordHash(t *testing.T) {
	h, err := clinic.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(h, "correct horse") {
		t.Errorf("hash = %q", h)
	}
	h2, _ := clinic.HashPassword("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	if !clinic.CheckPassword(h, "correct horse battery staple") || clinic.CheckPassword(h, "correct horse battery stapl") {
		t.Error("CheckPassword gives the wrong answer")
	}
	for _, bad := range []string{"", "$argon2id$", "$bcrypt$x", "$argon2id$v=19$m=99999999,t=2,p=1$AAAA$AAAA", "$argon2id$v=19$m=19456,t=2,p=1$!!$!!"} {
		if clinic.CheckPassword(bad, "x") {
			t.Errorf("CheckPassword(%q) = true", bad)
		}
	}
}

func TestAuthenticate(t *testing.T) {
	hash, _ := clinic.HashPassword("a very long password")
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	var sessions []string
	failures := map[string]int{}
	store := &mock.UserStore{
		CountLoginFailuresFn: func(_ context.Context, key string, since time.Time) (int, time.Time, error) {
			return failures[key], now.Add(-time.Minute), nil
		},
		RecordLoginFailureFn: func(_ context.Context, keys []string, at time.Time) error {
			for _, k := range keys {
				failures[k]++
			}
			return nil
		},
		ClearLoginFailuresFn: func(_ context.Context, key string) error {
			delete(failures, key)
			return nil
		},
		FindUserByEmailFn: func(_ context.Context, email string) (*backdesk.User, string, error) {
			if email == "pat@example.org" {
				return &backdesk.User{ID: 5, Role: backdesk.RolePatient, PatientID: 8}, hash, nil
			}
			return nil, "", backdesk.Errorf(backdesk.CodeNotFound, "User not found.")
		},
		InsertSessionFn: func(_ context.Context, tokenHash string, userID int64, exp time.Time) error {
			sessions = append(sessions, tokenHash)
			if !exp.Equal(now.Add(clinic.SessionLifetime)) {
				t.Errorf("session expires %v", exp)
			}
			return nil
		},
	}
	s := clinic.NewUserService(store, &mock.AuditWriter{}, func() time.Time { return now })
	sess, u, err := s.Authenticate(context.Background(), "pat@example.org", "a very long password")
	if err != nil || u.ID != 5 || len(sess.Token) < 40 {
		t.Fatalf("Authenticate = %+v %+v %v", sess, u, err)
	}
	if sessions[0] == sess.Token || sessions[0] != clinic.TokenHash(sess.Token) {
		t.Error("the store got the token itself, not its hash")
	}
	sess2, _, _ := s.Authenticate(context.Background(), "pat@example.org", "a very long password")
	if sess2.Token == sess.Token {
		t.Error("a sign-in reused a token")
	}
	for _, tc := range []struct{ email, password string }{{"pat@example.org", "wrong password!!"}, {"nobody@example.org", "a very long password"}} {
		_, _, err := s.Authenticate(context.Background(), tc.email, tc.password)
		if backdesk.ErrorCode(err) != backdesk.CodeUnauthorized || backdesk.ErrorMessage(err) != "The email or password is not right." {
			t.Errorf("Authenticate(%s) = %v", tc.email, err)
		}
	}
	// A success clears the account's failures; five more lock it, even with
	// the right password, until the window passes.
	s.Authenticate(context.Background(), "pat@example.org", "a very long password")
	from := backdesk.NewContextWithActor(context.Background(), backdesk.Actor{Source: "203.0.113.9"})
	for range clinic.AccountLoginLimit {
		s.Authenticate(from, "pat@example.org", "guess guess guess")
	}
	_, _, err = s.Authenticate(from, "pat@example.org", "a very long password")
	if backdesk.ErrorCode(err) != backdesk.CodeRateLimited || backdesk.ErrorRetryAfter(err) != 14*time.Minute {
		t.Errorf("after %d failures: %v (retry after %v)", clinic.AccountLoginLimit, err, backdesk.ErrorRetryAfter(err))
	}
	if failures["address:203.0.113.9"] != clinic.AccountLoginLimit {
		t.Errorf("failures by address = %d", failures["address:203.0.113.9"])
	}
}

func TestValidateNewUser(t *testing.T) {
	ok := backdesk.NewUser{Email: "a@example.org", Name: "A", Role: backdesk.RolePatient, Password: "twelve chars"}
	if err := clinic.ValidateNewUser(ok); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*backdesk.NewUser)
		field string
	}{
		{"short password", func(u *backdesk.NewUser) { u.Password = "elevenchars" }, "password"},
		{"bad email", func(u *backdesk.NewUser) { u.Email = "a@b" }, "email"},
		{"no name", func(u *backdesk.NewUser) { u.Name = "  " }, "name"},
		{"bad role", func(u *backdesk.NewUser) { u.Role = "owner" }, "role"},
		{"common password", func(u *backdesk.NewUser) { u.Password = "Password1234" }, "password"},
		{"repeated character", func(u *backdesk.NewUser) { u.Password = "zzzzzzzzzzzzzz" }, "password"},
		{"contains the email", func(u *backdesk.NewUser) { u.Email = "samtaylor@example.org"; u.Password = "samtaylor2026!" }, "password"},
	} {
		u := ok
		tc.edit(&u)
		if err := clinic.ValidateNewUser(u); backdesk.ErrorField(err) != tc.field {
			t.Errorf("%s: %v, want field %s", tc.name, err, tc.field)
		}
	}
}
