package storetest

import (
	"context"
	"testing"
	"time"

	"backdesk"
)

// testAPITokenLifecycle: a token is found by its secret's hash only; names
// are unique for ever; a use records the last-used time with its audit
// line; a revoked token is refused at its next use and stays listed.
func testAPITokenLifecycle(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	created := &backdesk.AuditEntry{ActorUserID: 1, ActorRole: backdesk.RoleAdmin, Action: backdesk.AuditTokenCreate, Resource: "api_token"}
	tok := &backdesk.APIToken{Name: "Reporting", Role: backdesk.RoleReadOnly, CreatedBy: 1}
	must(t, s.InsertAPIToken(ctx, tok, "hash-of-secret-1", created))
	if tok.ID == 0 || tok.CreatedAt.IsZero() || created.ResourceID == "" {
		t.Fatalf("inserted %+v, audit %+v", tok, created)
	}
	wantCode(t, s.InsertAPIToken(ctx, &backdesk.APIToken{Name: "Reporting", Role: backdesk.RoleAdmin}, "hash-of-secret-2", nil), backdesk.CodeConflict)

	got, err := s.FindAPITokenByHash(ctx, "hash-of-secret-1")
	must(t, err)
	if got.ID != tok.ID || got.Role != backdesk.RoleReadOnly || got.LastUsedAt != nil || got.Revoked() {
		t.Fatalf("found %+v", got)
	}
	_, err = s.FindAPITokenByHash(ctx, "hash-of-another-secret")
	wantCode(t, err, backdesk.CodeNotFound)

	used := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	use := &backdesk.AuditEntry{ActorRole: backdesk.RoleReadOnly, ActorName: "Reporting", Action: backdesk.AuditTokenUse, Resource: "request", ResourceID: "GET /fhir/Patient"}
	must(t, s.TouchAPIToken(ctx, tok.ID, used, use))
	got, _ = s.FindAPITokenByHash(ctx, "hash-of-secret-1")
	if got.LastUsedAt == nil || !got.LastUsedAt.Equal(used) {
		t.Errorf("last used = %v, want %v", got.LastUsedAt, used)
	}
	lines, _, err := s.FindAuditEntries(AdminContext(), backdesk.AuditFilter{Action: backdesk.AuditTokenUse})
	must(t, err)
	if len(lines) != 1 || lines[0].ActorName != "Reporting" || lines[0].ResourceID != "GET /fhir/Patient" {
		t.Errorf("use audited as %+v", lines)
	}

	revoked := used.Add(time.Hour)
	must(t, s.RevokeAPIToken(ctx, tok.ID, revoked, nil))
	must(t, s.RevokeAPIToken(ctx, tok.ID, revoked.Add(time.Hour), nil)) // again: the first time stays
	wantCode(t, s.TouchAPIToken(ctx, tok.ID, revoked, nil), backdesk.CodeUnauthorized)
	wantCode(t, s.RevokeAPIToken(ctx, 999999, revoked, nil), backdesk.CodeNotFound)
	list, err := s.FindAPITokens(ctx)
	must(t, err)
	if len(list) != 1 || !list[0].Revoked() || !list[0].RevokedAt.Equal(revoked) {
		t.Errorf("tokens = %+v", list)
	}
	// A revoked token's name is still taken.
	wantCode(t, s.InsertAPIToken(ctx, &backdesk.APIToken{Name: "Reporting", Role: backdesk.RoleReadOnly}, "hash-of-secret-3", nil), backdesk.CodeConflict)
}

// testBookingIdempotencyByToken: an API token's idempotency keys are its
// own: a retry with the same key returns the first booking, and another
// token (or a person) using the same key books anew.
func testBookingIdempotencyByToken(t *testing.T, s backdesk.Store) {
	ctx := context.Background()
	f := newBookingFixture(t, s)
	var toks [2]*backdesk.APIToken
	for i := range toks {
		toks[i] = &backdesk.APIToken{Name: []string{"EHR", "Portal"}[i], Role: backdesk.RoleReception}
		must(t, s.InsertAPIToken(ctx, toks[i], []string{"h1", "h2"}[i], nil))
	}
	byToken := func(tok int64, p *backdesk.Practitioner, start time.Time) *backdesk.Booking {
		b := f.booking(p, start)
		b.CreatedBy, b.CreatedByToken, b.IdempotencyKey = 0, tok, "key-1"
		return b
	}
	first := byToken(toks[0].ID, f.physio, ten)
	created, err := s.InsertBooking(ctx, first, nil, nil)
	must(t, err)
	retry := byToken(toks[0].ID, f.physio, ten)
	again, err := s.InsertBooking(ctx, retry, nil, nil)
	must(t, err)
	if !created || again || retry.ID != first.ID || retry.CreatedByToken != toks[0].ID {
		t.Fatalf("retry = %v %+v, first %+v", again, retry, first)
	}
	found, err := s.FindBookingByIdempotencyKey(ctx, 0, toks[0].ID, "key-1")
	must(t, err)
	if found.ID != first.ID {
		t.Errorf("found by the token's key: %d, want %d", found.ID, first.ID)
	}
	other := byToken(toks[1].ID, f.other, ten)
	if created, err := s.InsertBooking(ctx, other, nil, nil); err != nil || !created || other.ID == first.ID {
		t.Errorf("another token's same key = %v, %v, id %d", created, err, other.ID)
	}
	_, err = s.FindBookingByIdempotencyKey(ctx, f.patient.ID, 0, "key-1")
	wantCode(t, err, backdesk.CodeNotFound)
}
