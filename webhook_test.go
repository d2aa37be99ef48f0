package backdesk_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"backdesk"
)

// TestCheckWebhookAddress: what a webhook may and may not reach, unless
// the operator allows private networks (which never allows unspecified,
// multicast or broadcast addresses).
func TestCheckWebhookAddress(t *testing.T) {
	for _, tc := range []struct {
		addr         string
		refused      bool // with private networks refused
		stillRefused bool // even when they are allowed
	}{
		{"8.8.8.8", false, false},
		{"2001:4860:4860::8888", false, false},
		{"127.0.0.1", true, false},
		{"127.8.9.10", true, false},
		{"::1", true, false},
		{"10.1.2.3", true, false},
		{"172.16.0.1", true, false},
		{"192.168.1.20", true, false},
		{"169.254.169.254", true, false}, // cloud metadata
		{"fe80::1", true, false},
		{"fd00::1", true, false},
		{"100.64.0.1", true, false},
		{"::ffff:127.0.0.1", true, false},   // IPv4-mapped loopback
		{"64:ff9b::a9fe:a9fe", true, false}, // NAT64 form of the metadata address
		{"0.0.0.0", true, true},
		{"::", true, true},
		{"224.0.0.1", true, true},
		{"ff02::1", true, true},
		{"255.255.255.255", true, true},
	} {
		ip := netip.MustParseAddr(tc.addr)
		if err := backdesk.CheckWebhookAddress(ip, false); (err != nil) != tc.refused {
			t.Errorf("CheckWebhookAddress(%s) = %v, want refused %v", tc.addr, err, tc.refused)
		}
		if err := backdesk.CheckWebhookAddress(ip, true); (err != nil) != tc.stillRefused {
			t.Errorf("CheckWebhookAddress(%s, private allowed) = %v, want refused %v", tc.addr, err, tc.stillRefused)
		}
	}
}

// TestWebhookEndpointValidate: http or https only, a host, nothing in the
// authority but host and port, no fragment; events known, not repeated,
// kept in the canonical order.
func TestWebhookEndpointValidate(t *testing.T) {
	for _, tc := range []struct {
		url   string
		field string
	}{
		{"https://crm.example/hooks/backdesk?k=1", ""},
		{"http://10.0.0.5:8080/hook", ""},
		{"ftp://crm.example/hook", "url"},
		{"file:///etc/passwd", "url"},
		{"javascript:alert(1)", "url"},
		{"gopher://crm.example:70/", "url"},
		{"https://user:pass@crm.example/hook", "url"},
		{"https:///hook", "url"},
		{"https://crm.example/hook#part", "url"},
		{"https://crm.example:99999/hook", "url"},
		{"crm.example/hook", "url"},
		{"", "url"},
		{"https://crm.example/" + strings.Repeat("a", 2000), "url"},
	} {
		e := &backdesk.WebhookEndpoint{URL: tc.url, Events: []backdesk.EventType{backdesk.EventAppointmentBooked}}
		if got := backdesk.ErrorField(e.Validate()); got != tc.field {
			t.Errorf("Validate(%q) field = %q, want %q", tc.url, got, tc.field)
		}
	}
	for _, tc := range []struct {
		events []backdesk.EventType
		field  string
	}{
		{nil, "events"},
		{[]backdesk.EventType{"appointment.deleted"}, "events"},
		{[]backdesk.EventType{backdesk.EventReferralCreated, backdesk.EventReferralCreated}, "events"},
	} {
		e := &backdesk.WebhookEndpoint{URL: "https://crm.example/hook", Events: tc.events}
		if got := backdesk.ErrorField(e.Validate()); got != tc.field {
			t.Errorf("Validate(events %v) field = %q, want %q", tc.events, got, tc.field)
		}
	}
	e := &backdesk.WebhookEndpoint{URL: " https://crm.example/hook ", Events: []backdesk.EventType{backdesk.EventAssessmentCompleted, backdesk.EventAppointmentBooked}}
	if err := e.Validate(); err != nil || e.URL != "https://crm.example/hook" || e.Events[0] != backdesk.EventAppointmentBooked {
		t.Errorf("Validate tidied to %+v, %v", e, err)
	}
	for _, typ := range backdesk.EventTypes {
		if !typ.Valid() || typ.Label() == string(typ) {
			t.Errorf("event type %s has no label", typ)
		}
	}
}

// TestWebhookPayload: the type, the event's time, ids and links under the
// site's address; the same bytes every time.
func TestWebhookPayload(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	ev := &backdesk.WebhookEvent{ID: "msg_1", Type: backdesk.EventReferralAccepted, CreatedAt: at,
		Data: backdesk.EventData{ID: "12", PatientID: 3, Status: "accepted"}}
	got, err := ev.Payload("https://clinic.example/")
	want := `{"type":"referral.accepted","timestamp":"2026-03-02T08:30:00Z","data":{"id":"12","patient_id":"3","status":"accepted",` +
		`"links":{"api":"https://clinic.example/api/v1/referrals/12","fhir":"https://clinic.example/fhir/ServiceRequest/12","patient":"https://clinic.example/fhir/Patient/3"}}}`
	if err != nil || string(got) != want {
		t.Errorf("Payload =\n %s\nwant\n %s", got, want)
	}
}
