package backdesk

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// EventType is the type of a webhook event (the payload's "type"), fixed by
// spec/interfaces.md.
type EventType string

const (
	EventAppointmentBooked      EventType = "appointment.booked"
	EventAppointmentRescheduled EventType = "appointment.rescheduled"
	EventAppointmentCancelled   EventType = "appointment.cancelled"
	EventReferralCreated        EventType = "referral.created"
	EventReferralAccepted       EventType = "referral.accepted"
	EventReferralDeclined       EventType = "referral.declined"
	EventReferralBooked         EventType = "referral.booked"
	EventReferralCompleted      EventType = "referral.completed"
	EventReferralWithdrawn      EventType = "referral.withdrawn"
	EventAssessmentCompleted    EventType = "assessment.completed"
	EventOutcomeRecorded        EventType = "outcome.recorded"
	EventCarePlanChanged        EventType = "care_plan.changed"
)

// EventTypes lists every event type, in the order of spec/interfaces.md.
var EventTypes = []EventType{EventAppointmentBooked, EventAppointmentRescheduled, EventAppointmentCancelled,
	EventReferralCreated, EventReferralAccepted, EventReferralDeclined, EventReferralBooked, EventReferralCompleted, EventReferralWithdrawn,
	EventAssessmentCompleted, EventOutcomeRecorded, EventCarePlanChanged}

// Valid reports whether t is one of EventTypes.
func (t EventType) Valid() bool { return slices.Contains(EventTypes, t) }

// Label is the event in plain words.
func (t EventType) Label() string {
	switch t {
	case EventAppointmentBooked:
		return "An appointment is booked"
	case EventAppointmentRescheduled:
		return "An appointment is moved (the new appointment, naming the one it replaces)"
	case EventAppointmentCancelled:
		return "An appointment is cancelled"
	case EventReferralCreated:
		return "A referral is made"
	case EventReferralAccepted:
		return "A referral is accepted"
	case EventReferralDeclined:
		return "A referral is declined"
	case EventReferralBooked:
		return "A referral is booked"
	case EventReferralCompleted:
		return "A referral is completed"
	case EventReferralWithdrawn:
		return "A referral is withdrawn"
	case EventAssessmentCompleted:
		return "A patient completes a self-assessment"
	case EventOutcomeRecorded:
		return "An outcome score is recorded (by the patient or in clinic)"
	case EventCarePlanChanged:
		return "A treatment plan is written or changed (a new version)"
	}
	return string(t)
}

// WebhookEvent is one change announced to webhook endpoints. It is written
// in the same transaction as the change, and carries ids, never clinical
// text: a receiver reads the record itself through the API or FHIR, under
// its own access rules.
type WebhookEvent struct {
	// ID is the webhook-id of every delivery of the event ("msg_…").
	ID        string
	Type      EventType
	Data      EventData
	CreatedAt time.Time
}

// EventData is an event's "data": the record's id and those of what it
// concerns, and links to read it. Which fields are set depends on the type.
type EventData struct {
	// ID is the appointment's, referral's, self-assessment's or treatment
	// plan's id, or an outcome score's key (Outcome.Key).
	ID             string     `json:"id"`
	PatientID      int64      `json:"patient_id,string,omitempty"`
	PractitionerID int64      `json:"practitioner_id,string,omitempty"`
	ServiceID      int64      `json:"service_id,string,omitempty"`
	LocationID     int64      `json:"location_id,string,omitempty"`
	Start          *time.Time `json:"start,omitempty"`
	End            *time.Time `json:"end,omitempty"`
	// Status is the record's status after the change.
	Status string `json:"status,omitempty"`
	// RescheduledFrom is the appointment a rescheduled one replaces.
	RescheduledFrom int64 `json:"rescheduled_from,string,omitempty"`
	// ReferralID is the referral an appointment was booked from.
	ReferralID int64 `json:"referral_id,string,omitempty"`
	// AppointmentID is the appointment a referral is booked on.
	AppointmentID int64 `json:"appointment_id,string,omitempty"`
	// Version is a treatment plan's version after the change.
	Version int `json:"version,omitempty"`
	// Measure is an outcome score's measure (pain, odi, startback, psfs).
	Measure string     `json:"measure,omitempty"`
	Links   EventLinks `json:"links"`
}

// EventLinks are where a receiver reads what an event is about.
type EventLinks struct {
	API     string `json:"api,omitempty"`
	FHIR    string `json:"fhir,omitempty"`
	Patient string `json:"patient,omitempty"` // the patient's FHIR Patient
}

// WebhookPayload is the body of a delivery, as the Standard Webhooks
// specification recommends: the type, when the event happened, its data.
type WebhookPayload struct {
	Type      EventType `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      EventData `json:"data"`
}

// Payload is the body of every delivery of e, with links under baseURL (the
// site's public address): the same bytes on every attempt.
func (e *WebhookEvent) Payload(baseURL string) ([]byte, error) {
	d := e.Data
	base := strings.TrimRight(baseURL, "/")
	api, fhir := "", ""
	switch {
	case strings.HasPrefix(string(e.Type), "appointment."):
		api, fhir = "/api/v1/appointments/", "/fhir/Appointment/"
	case strings.HasPrefix(string(e.Type), "referral."):
		api, fhir = "/api/v1/referrals/", "/fhir/ServiceRequest/"
	case e.Type == EventAssessmentCompleted:
		api, fhir = "/api/v1/assessments/", "/fhir/QuestionnaireResponse/"
	case e.Type == EventCarePlanChanged:
		api, fhir = "/api/v1/care-plans/", "/fhir/CarePlan/"
	}
	if api != "" && d.ID != "" {
		d.Links.API, d.Links.FHIR = base+api+d.ID, base+fhir+d.ID
	}
	if e.Type == EventOutcomeRecorded && d.ID != "" {
		d.Links.API = base + "/api/v1/patients/" + strconv.FormatInt(d.PatientID, 10) + "/outcomes"
		d.Links.FHIR = base + "/fhir/Observation/" + d.ID
	}
	if d.PatientID != 0 {
		d.Links.Patient = base + "/fhir/Patient/" + strconv.FormatInt(d.PatientID, 10)
	}
	return json.Marshal(WebhookPayload{Type: e.Type, Timestamp: e.CreatedAt.UTC(), Data: d})
}

// WebhookSecretPrefix starts every endpoint's signing secret, as the
// Standard Webhooks specification serialises them: "whsec_" and the
// secret's bytes in base64.
const WebhookSecretPrefix = "whsec_"

// WebhookEndpoint is an address that receives the events it subscribes to,
// signed with its own secret.
type WebhookEndpoint struct {
	ID          int64       `json:"id,string"`
	URL         string      `json:"url"`
	Description string      `json:"description"`
	Events      []EventType `json:"events"`
	Enabled     bool        `json:"enabled"`
	// DisabledReason says why backdesk switched the endpoint off itself (it
	// answered 410 Gone); empty otherwise.
	DisabledReason string    `json:"disabled_reason,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// NewWebhookEndpoint is an endpoint as created, with its signing secret,
// which is shown in this answer only.
type NewWebhookEndpoint struct {
	WebhookEndpoint
	Secret string `json:"secret"`
}

// Subscribes reports whether e receives events of type t.
func (e *WebhookEndpoint) Subscribes(t EventType) bool { return slices.Contains(e.Events, t) }

// WebhookEndpointUpdate holds the fields to change; nil fields stay.
type WebhookEndpointUpdate struct {
	URL         *string      `json:"url"`
	Description *string      `json:"description"`
	Events      *[]EventType `json:"events"`
	Enabled     *bool        `json:"enabled"`
}

// Apply copies the set fields of u onto e.
func (u WebhookEndpointUpdate) Apply(e *WebhookEndpoint) {
	setIf(&e.URL, u.URL)
	setIf(&e.Description, u.Description)
	setIf(&e.Events, u.Events)
	setIf(&e.Enabled, u.Enabled)
	if u.Enabled != nil && *u.Enabled {
		e.DisabledReason = ""
	}
}

// Validate checks an endpoint's fields and tidies them: an http or https URL
// with a host and nothing else in its authority, events of EventTypes
// without repeats. Whether the host's address may be called is checked
// separately (CheckWebhookAddress), when the URL is saved and when it is
// called.
func (e *WebhookEndpoint) Validate() error {
	e.URL, e.Description = strings.TrimSpace(e.URL), strings.TrimSpace(e.Description)
	if _, err := ParseWebhookURL(e.URL); err != nil {
		return err
	}
	if len(e.Description) > 500 {
		return FieldError("description", "description can be at most 500 characters")
	}
	if len(e.Events) == 0 {
		return FieldError("events", "choose at least one event to receive")
	}
	seen := map[EventType]bool{}
	for _, t := range e.Events {
		if !t.Valid() {
			return FieldError("events", "%q is not an event type; the types are %s", t, joinEvents(EventTypes))
		}
		if seen[t] {
			return FieldError("events", "%s is listed twice", t)
		}
		seen[t] = true
	}
	slices.SortFunc(e.Events, func(a, b EventType) int { return slices.Index(EventTypes, a) - slices.Index(EventTypes, b) })
	return nil
}

func joinEvents(ts []EventType) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// ParseWebhookURL checks that raw is an absolute http or https URL with a
// host, no user name or password, and no fragment; CodeInvalid naming "url"
// otherwise.
func ParseWebhookURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, FieldError("url", "url is required")
	}
	if len(raw) > 2000 {
		return nil, FieldError("url", "url can be at most 2000 characters")
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, FieldError("url", "url is not a valid address")
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, FieldError("url", "url must start with https:// (or http://); other schemes are refused")
	case u.Hostname() == "":
		return nil, FieldError("url", "url must name a host")
	case u.User != nil:
		return nil, FieldError("url", "url must not carry a user name or password; the signature authenticates each delivery")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return nil, FieldError("url", "url must not have a #fragment")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, FieldError("url", "url has a bad port")
		}
	}
	return u, nil
}

// CheckWebhookAddress refuses the addresses a webhook must not reach unless
// the operator allows private networks: loopback, link-local (which holds
// cloud metadata services, 169.254.169.254), private and unique-local
// ranges, shared address space (100.64.0.0/10), unspecified, multicast and
// broadcast addresses, and IPv4 mapped or translated into IPv6 forms of
// them. Public addresses pass. The error says why; it is CodeInvalid for
// "url".
func CheckWebhookAddress(ip netip.Addr, allowPrivate bool) error {
	ip = ip.Unmap()
	if ip.Is6() && nat64.Contains(ip) {
		b := ip.As16()
		ip = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
	why := ""
	switch {
	case !ip.IsValid():
		why = "not an address"
	case ip.IsUnspecified():
		why = "unspecified"
	case ip.IsMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsLinkLocalMulticast():
		why = "multicast"
	case ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		why = "broadcast"
	case allowPrivate:
		return nil
	case ip.IsLoopback():
		why = "loopback (this machine)"
	case ip.IsLinkLocalUnicast():
		why = "link-local (such as a cloud metadata service)"
	case ip.IsPrivate():
		why = "a private network"
	case sharedSpace.Contains(ip) || thisNetwork.Contains(ip):
		why = "a carrier or reserved network"
	}
	if why == "" {
		return nil
	}
	return FieldError("url", "webhooks may not be sent to %s: %s", ip, why)
}

var (
	nat64       = netip.MustParsePrefix("64:ff9b::/96")
	sharedSpace = netip.MustParsePrefix("100.64.0.0/10")
	thisNetwork = netip.MustParsePrefix("0.0.0.0/8")
)

// WebhookDeliveryStatus is where a delivery stands.
type WebhookDeliveryStatus string

const (
	DeliveryPending   WebhookDeliveryStatus = "pending"   // waiting for its first attempt or a retry
	DeliveryDelivered WebhookDeliveryStatus = "delivered" // the endpoint answered 2xx
	DeliveryFailed    WebhookDeliveryStatus = "failed"    // given up after the last attempt, or the endpoint is gone
)

// WebhookDelivery is one event on its way to one endpoint: there is at most
// one per event and endpoint.
type WebhookDelivery struct {
	ID             int64                 `json:"id,string"`
	EndpointID     int64                 `json:"endpoint_id,string"`
	EventID        string                `json:"event_id"`
	EventType      EventType             `json:"event_type"`
	Status         WebhookDeliveryStatus `json:"status"`
	Attempts       int                   `json:"attempts"`
	NextAttemptAt  *time.Time            `json:"next_attempt_at,omitempty"`
	LastStatusCode int                   `json:"last_status_code,omitempty"`
	LastError      string                `json:"last_error,omitempty"`
	DeliveredAt    *time.Time            `json:"delivered_at,omitempty"`
	CreatedAt      time.Time             `json:"created_at"`
	// History is every attempt, oldest first (read with one delivery, and
	// in lists).
	History []WebhookAttempt `json:"history"`
}

// WebhookNotice is, in a person's export, one webhook event that named
// them: what it announced, about which record, and to which integrations'
// addresses it went (or is to go), with the delivery's status.
type WebhookNotice struct {
	EventID    string                `json:"event_id"`
	Type       EventType             `json:"type"`
	ResourceID string                `json:"resource_id"`
	CreatedAt  time.Time             `json:"created_at"`
	Deliveries []WebhookNoticeTarget `json:"deliveries"`
}

// WebhookNoticeTarget is one endpoint an event was sent to.
type WebhookNoticeTarget struct {
	URL         string                `json:"url"`
	Status      WebhookDeliveryStatus `json:"status"`
	Attempts    int                   `json:"attempts"`
	DeliveredAt *time.Time            `json:"delivered_at,omitempty"`
}

// WebhookAttempt is one try at a delivery.
type WebhookAttempt struct {
	At         time.Time `json:"at"`
	StatusCode int       `json:"status_code,omitempty"` // 0 when no answer came
	Error      string    `json:"error,omitempty"`
	DurationMS int64     `json:"duration_ms"`
}

// WebhookService is webhook endpoints and their deliveries as admins manage
// them; admins only.
type WebhookService interface {
	// CreateWebhookEndpoint validates e and stores it with a new signing
	// secret, which is in the answer and shown nowhere else. CodeInvalid
	// for a bad field or an address webhooks may not reach.
	CreateWebhookEndpoint(ctx context.Context, e *WebhookEndpoint) (*NewWebhookEndpoint, error)
	FindWebhookEndpoints(ctx context.Context) ([]*WebhookEndpoint, error)
	FindWebhookEndpointByID(ctx context.Context, id int64) (*WebhookEndpoint, error) // CodeNotFound
	UpdateWebhookEndpoint(ctx context.Context, id int64, upd WebhookEndpointUpdate) (*WebhookEndpoint, error)
	// DeleteWebhookEndpoint removes an endpoint and its deliveries.
	DeleteWebhookEndpoint(ctx context.Context, id int64) error
	// FindWebhookDeliveries lists an endpoint's deliveries, newest first,
	// with the total.
	FindWebhookDeliveries(ctx context.Context, endpointID int64, p Page) ([]*WebhookDelivery, int, error)
	// ResendWebhookDelivery sends a delivery again as soon as a worker can,
	// with the same webhook-id (so a receiver that has it already can tell),
	// whatever its status. CodeNotFound for no such delivery.
	ResendWebhookDelivery(ctx context.Context, id int64) (*WebhookDelivery, error)
}

// WebhookStore keeps endpoints and deliveries. Events and their deliveries
// are written by the store writes that make the changes they announce, in
// the same transaction: one delivery for each enabled endpoint subscribed
// to the event's type.
type WebhookStore interface {
	// InsertWebhookEndpoint stores e with its secret; fills ID, CreatedAt,
	// UpdatedAt.
	InsertWebhookEndpoint(ctx context.Context, e *WebhookEndpoint, secret string, audit *AuditEntry) error
	FindWebhookEndpoints(ctx context.Context) ([]*WebhookEndpoint, error)
	FindWebhookEndpointByID(ctx context.Context, id int64) (*WebhookEndpoint, error) // CodeNotFound
	UpdateWebhookEndpoint(ctx context.Context, id int64, upd WebhookEndpointUpdate, audit *AuditEntry) (*WebhookEndpoint, error)
	DeleteWebhookEndpoint(ctx context.Context, id int64, audit *AuditEntry) error // CodeNotFound
	FindWebhookDeliveries(ctx context.Context, endpointID int64, p Page) ([]*WebhookDelivery, int, error)
	FindWebhookDeliveryByID(ctx context.Context, id int64) (*WebhookDelivery, error) // CodeNotFound
	// ResendWebhookDelivery makes a delivery pending again, due at at, with
	// its attempts kept in its history.
	ResendWebhookDelivery(ctx context.Context, id int64, at time.Time, audit *AuditEntry) (*WebhookDelivery, error)
}

// WebhookDispatch is a claimed delivery with what sending it needs.
type WebhookDispatch struct {
	Delivery WebhookDelivery
	Event    WebhookEvent
	URL      string
	Secret   string
}

// WebhookOutcome is what became of an attempt.
type WebhookOutcome struct {
	Delivered bool
	// RetryAt is when to try again, unless GiveUp.
	RetryAt time.Time
	GiveUp  bool
	// Disable switches the endpoint off with this reason (it answered 410
	// Gone); the delivery fails.
	Disable string
}

// WebhookOutboxStore is what delivery workers need. A claim is a lease, as
// for emails: a claimed delivery is not claimed again until the lease ends,
// so several workers in several processes never send one delivery at once.
type WebhookOutboxStore interface {
	// ClaimWebhookDeliveries leases up to limit pending deliveries of
	// enabled endpoints, due at now.
	ClaimWebhookDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int, claimID string) ([]*WebhookDispatch, error)
	// RecordWebhookAttempt writes an attempt and its outcome, if claimID
	// still holds the lease (CodeConflict otherwise, changing nothing).
	RecordWebhookAttempt(ctx context.Context, id int64, claimID string, a WebhookAttempt, o WebhookOutcome) error
	// ReleaseWebhookDelivery gives claimID's lease back without counting an
	// attempt (a worker that stops mid-send).
	ReleaseWebhookDelivery(ctx context.Context, id int64, claimID string) error
}

// String names a delivery for logs.
func (d *WebhookDelivery) String() string {
	return fmt.Sprintf("delivery %d of %s (%s) to endpoint %d", d.ID, d.EventID, d.EventType, d.EndpointID)
}
