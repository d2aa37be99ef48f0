package clinic

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"sync"

	"backdesk"
)

// Signer makes and checks the signed tokens of the links in emails (stop
// these emails; answer this questionnaire). A token is its fields, readable,
// and an HMAC-SHA256 of them under a key kept in the database, so that
// every process of a clinic checks the tokens of every other; nothing per
// token is stored. A token says what it is for, and each use checks that
// it still applies: a token of an erased patient or of a removed
// questionnaire leads nowhere.
type Signer struct {
	Keys backdesk.KeyStore
	// Rand supplies a new key; crypto/rand.Reader when nil.
	Rand io.Reader

	mu  sync.Mutex
	key []byte
}

// signingKeyName names the key in the KeyStore.
const signingKeyName = "email-links-v1"

func (s *Signer) secret(ctx context.Context) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.key != nil {
		return s.key, nil
	}
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	candidate := make([]byte, 32)
	if _, err := io.ReadFull(r, candidate); err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	key, err := s.Keys.SigningKey(ctx, signingKeyName, candidate)
	if err != nil {
		return nil, err
	}
	s.key = key
	return key, nil
}

// Sign returns a token carrying fields (none may hold a dot).
func (s *Signer) Sign(ctx context.Context, fields ...string) (string, error) {
	key, err := s.secret(ctx)
	if err != nil {
		return "", err
	}
	payload := "v1." + strings.Join(fields, ".")
	return payload + "." + s.mac(key, payload), nil
}

// Verify returns the fields of a token it made, or false.
func (s *Signer) Verify(ctx context.Context, token string) ([]string, bool) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 || len(token) > 512 || !strings.HasPrefix(token, "v1.") {
		return nil, false
	}
	key, err := s.secret(ctx)
	if err != nil {
		return nil, false
	}
	payload, sig := token[:i], token[i+1:]
	if !hmac.Equal([]byte(sig), []byte(s.mac(key, payload))) {
		return nil, false
	}
	return strings.Split(strings.TrimPrefix(payload, "v1."), "."), true
}

func (s *Signer) mac(key []byte, payload string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:24])
}
