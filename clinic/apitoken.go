package clinic

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"backdesk"
)

// APITokenService implements backdesk.APITokenService: admins make and
// revoke integrations' tokens; each request that carries one is identified
// and its use recorded here.
type APITokenService struct {
	Store backdesk.APITokenStore
	Now   func() time.Time
}

var _ backdesk.APITokenService = (*APITokenService)(nil)

// CreateAPIToken makes a token with 256 random bits; only their SHA-256 is
// stored.
func (s *APITokenService) CreateAPIToken(ctx context.Context, name string, role backdesk.Role) (*backdesk.NewAPIToken, error) {
	a, err := attempt(ctx, backdesk.OpManageIntegrations)
	if err != nil {
		return nil, err
	}
	t := backdesk.APIToken{Name: name, Role: role, CreatedBy: a.UserID}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	random, err := newToken()
	if err != nil {
		return nil, err
	}
	secret := backdesk.APITokenPrefix + random
	if err := s.Store.InsertAPIToken(ctx, &t, TokenHash(secret), backdesk.NewAuditEntry(a, backdesk.AuditTokenCreate, 0, "api_token", "")); err != nil {
		return nil, err
	}
	return &backdesk.NewAPIToken{APIToken: t, Secret: secret}, nil
}

// FindAPITokens lists every token.
func (s *APITokenService) FindAPITokens(ctx context.Context) ([]*backdesk.APIToken, error) {
	if _, err := require(ctx, backdesk.PermManageIntegrations); err != nil {
		return nil, err
	}
	return s.Store.FindAPITokens(ctx)
}

// RevokeAPIToken switches a token off; the next request that carries it is
// refused, in any process, since every request looks the token up.
func (s *APITokenService) RevokeAPIToken(ctx context.Context, id int64) error {
	a, err := attempt(ctx, backdesk.OpManageIntegrations)
	if err != nil {
		return err
	}
	return s.Store.RevokeAPIToken(ctx, id, s.Now(), backdesk.NewAuditEntry(a, backdesk.AuditTokenRevoke, 0, "api_token", strconv.FormatInt(id, 10)))
}

var errBadToken = backdesk.Errorf(backdesk.CodeUnauthorized, "The API token is not valid: it is unknown or has been revoked.")

// ActorForAPIToken identifies a request by its token: the token's role
// (with that role's permissions, roleGrants) under the token's name. The
// use is written down before the request goes on: the token's last-used
// time and an audit line naming the request, in one transaction; a token
// revoked meanwhile is refused.
func (s *APITokenService) ActorForAPIToken(ctx context.Context, secret, request string) (backdesk.Actor, error) {
	if !strings.HasPrefix(secret, backdesk.APITokenPrefix) || len(secret) > 200 {
		return backdesk.Actor{}, errBadToken
	}
	t, err := s.Store.FindAPITokenByHash(ctx, TokenHash(secret))
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return backdesk.Actor{}, errBadToken
	} else if err != nil {
		return backdesk.Actor{}, err
	}
	if t.Revoked() || !backdesk.ValidTokenRole(t.Role) {
		return backdesk.Actor{}, errBadToken
	}
	a := Grant(backdesk.Actor{Role: t.Role, Name: t.Name, TokenID: t.ID, Source: backdesk.ActorFromContext(ctx).Source})
	request = useLine(request)
	use := backdesk.NewAuditEntry(a, backdesk.AuditTokenUse, 0, "request", request)
	if err := s.Store.TouchAPIToken(ctx, t.ID, s.Now(), use); backdesk.ErrorCode(err) == backdesk.CodeUnauthorized {
		return backdesk.Actor{}, errBadToken
	} else if err != nil {
		return backdesk.Actor{}, err
	}
	return a, nil
}

// useLine is a request as its token's use line records it: valid UTF-8
// (a path may decode to any bytes, and PostgreSQL refuses text that is
// not UTF-8) and at most 300 bytes, cut between characters.
func useLine(request string) string {
	request = strings.ToValidUTF8(request, "\uFFFD")
	if len(request) <= 300 {
		return request
	}
	cut := 300
	for cut > 0 && !utf8.RuneStart(request[cut]) {
		cut--
	}
	return request[:cut]
}
