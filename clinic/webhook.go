package clinic

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/netip"
	"strconv"
	"time"

	"backdesk"
)

// WebhookService implements backdesk.WebhookService: admins manage the
// endpoints that receive the clinic's events, and their deliveries.
type WebhookService struct {
	Store backdesk.WebhookStore
	Now   func() time.Time
	// AllowPrivate lets endpoints name addresses on private networks and
	// this machine (backdesk.CheckWebhookAddress), for a receiver inside
	// the clinic's own network.
	AllowPrivate bool
}

var _ backdesk.WebhookService = (*WebhookService)(nil)

// webhookSecretBytes is the length of a signing secret: 32 random bytes,
// inside the 24 to 64 the Standard Webhooks specification asks for.
const webhookSecretBytes = 32

// checkURL validates e and refuses a host that is an address webhooks may
// not reach. A host name is checked when it is called, against the
// addresses it resolves to then (the webhook package's dialer).
func (s *WebhookService) checkURL(e *backdesk.WebhookEndpoint) error {
	if err := e.Validate(); err != nil {
		return err
	}
	u, _ := backdesk.ParseWebhookURL(e.URL)
	if ip, err := netip.ParseAddr(u.Hostname()); err == nil {
		return backdesk.CheckWebhookAddress(ip, s.AllowPrivate)
	}
	if u.Hostname() == "localhost" && !s.AllowPrivate {
		return backdesk.FieldError("url", "webhooks may not be sent to localhost: loopback (this machine)")
	}
	return nil
}

// CreateWebhookEndpoint stores an endpoint with a new secret.
func (s *WebhookService) CreateWebhookEndpoint(ctx context.Context, e *backdesk.WebhookEndpoint) (*backdesk.NewWebhookEndpoint, error) {
	a, err := attempt(ctx, backdesk.OpManageIntegrations)
	if err != nil {
		return nil, err
	}
	if err := s.checkURL(e); err != nil {
		return nil, err
	}
	b := make([]byte, webhookSecretBytes)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	secret := backdesk.WebhookSecretPrefix + base64.StdEncoding.EncodeToString(b)
	e.DisabledReason = ""
	if err := s.Store.InsertWebhookEndpoint(ctx, e, secret, backdesk.NewAuditEntry(a, backdesk.AuditWebhookCreate, 0, "webhook_endpoint", "")); err != nil {
		return nil, err
	}
	return &backdesk.NewWebhookEndpoint{WebhookEndpoint: *e, Secret: secret}, nil
}

// FindWebhookEndpoints lists every endpoint.
func (s *WebhookService) FindWebhookEndpoints(ctx context.Context) ([]*backdesk.WebhookEndpoint, error) {
	if _, err := require(ctx, backdesk.PermManageIntegrations); err != nil {
		return nil, err
	}
	return s.Store.FindWebhookEndpoints(ctx)
}

// FindWebhookEndpointByID returns one endpoint.
func (s *WebhookService) FindWebhookEndpointByID(ctx context.Context, id int64) (*backdesk.WebhookEndpoint, error) {
	if _, err := require(ctx, backdesk.PermManageIntegrations); err != nil {
		return nil, err
	}
	return s.Store.FindWebhookEndpointByID(ctx, id)
}

// UpdateWebhookEndpoint changes an endpoint's address, events, description
// or whether it is enabled.
func (s *WebhookService) UpdateWebhookEndpoint(ctx context.Context, id int64, upd backdesk.WebhookEndpointUpdate) (*backdesk.WebhookEndpoint, error) {
	a, err := attempt(ctx, backdesk.OpManageIntegrations)
	if err != nil {
		return nil, err
	}
	e, err := s.Store.FindWebhookEndpointByID(ctx, id)
	if err != nil {
		return nil, err
	}
	upd.Apply(e)
	if err := s.checkURL(e); err != nil {
		return nil, err
	}
	// The store applies the update again in its transaction; what it
	// writes is what was checked here (Validate tidies the fields).
	upd = backdesk.WebhookEndpointUpdate{URL: &e.URL, Description: &e.Description, Events: &e.Events, Enabled: upd.Enabled}
	return s.Store.UpdateWebhookEndpoint(ctx, id, upd, backdesk.NewAuditEntry(a, backdesk.AuditWebhookUpdate, 0, "webhook_endpoint", strconv.FormatInt(id, 10)))
}

// DeleteWebhookEndpoint removes an endpoint and its deliveries.
func (s *WebhookService) DeleteWebhookEndpoint(ctx context.Context, id int64) error {
	a, err := attempt(ctx, backdesk.OpManageIntegrations)
	if err != nil {
		return err
	}
	return s.Store.DeleteWebhookEndpoint(ctx, id, backdesk.NewAuditEntry(a, backdesk.AuditWebhookDelete, 0, "webhook_endpoint", strconv.FormatInt(id, 10)))
}

// FindWebhookDeliveries lists an endpoint's deliveries.
func (s *WebhookService) FindWebhookDeliveries(ctx context.Context, endpointID int64, p backdesk.Page) ([]*backdesk.WebhookDelivery, int, error) {
	if _, err := require(ctx, backdesk.PermManageIntegrations); err != nil {
		return nil, 0, err
	}
	if _, err := s.Store.FindWebhookEndpointByID(ctx, endpointID); err != nil {
		return nil, 0, err
	}
	return s.Store.FindWebhookDeliveries(ctx, endpointID, p)
}

// ResendWebhookDelivery makes a delivery due now.
func (s *WebhookService) ResendWebhookDelivery(ctx context.Context, id int64) (*backdesk.WebhookDelivery, error) {
	a, err := attempt(ctx, backdesk.OpManageIntegrations)
	if err != nil {
		return nil, err
	}
	return s.Store.ResendWebhookDelivery(ctx, id, s.Now(), backdesk.NewAuditEntry(a, backdesk.AuditWebhookResend, 0, "webhook_delivery", strconv.FormatInt(id, 10)))
}
