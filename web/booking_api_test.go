package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"backdesk"
	"backdesk/mock"
	"backdesk/web"
)

// newMockServer serves web over mocks: a session "patient-token" belongs to
// patient 7 and nothing else is expected unless the test sets it.
func newMockServer(t *testing.T, bookings *mock.BookingService) *httptest.Server {
	t.Helper()
	users := &mock.UserService{
		ActorForSessionFn: func(ctx context.Context, token string) (backdesk.Actor, error) {
			if token != "patient-token" {
				return backdesk.Actor{}, backdesk.Errorf(backdesk.CodeUnauthorized, "Please sign in.")
			}
			return backdesk.Actor{UserID: 70, Role: backdesk.RolePatient, PatientID: 7}, nil
		},
	}
	access := &mock.AccessService{PrecheckFn: func(ctx context.Context, op backdesk.Operation) error {
		if backdesk.ActorFromContext(ctx).Anonymous() {
			return backdesk.Errorf(backdesk.CodeUnauthorized, "Please sign in.")
		}
		return nil
	}}
	h, err := web.NewServer(web.Config{ClinicName: "Test clinic"}, web.Services{Users: users, Bookings: bookings, Access: access}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func postBooking(t *testing.T, srv *httptest.Server, body, idempotencyKey string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/appointments", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: "patient-token"})
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatalf("decode answer: %v", err)
	}
	return resp, got
}

// The booking handler is thin: it hands the decoded request, the
// Idempotency-Key and the signed-in actor to BookingService, and turns the
// service's answer or error code into the HTTP answer of interfaces.md.
func TestBookingAPIOverMocks(t *testing.T) {
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

	t.Run("created", func(t *testing.T) {
		var gotReq backdesk.BookingRequest
		var gotActor backdesk.Actor
		srv := newMockServer(t, &mock.BookingService{
			CreateBookingFn: func(ctx context.Context, req backdesk.BookingRequest) (*backdesk.Booking, error) {
				gotReq, gotActor = req, backdesk.ActorFromContext(ctx)
				return &backdesk.Booking{ID: 41, PatientID: 7, PractitionerID: req.PractitionerID, ServiceID: req.ServiceID, Start: req.Start, End: req.Start.Add(45 * time.Minute), Status: backdesk.BookingBooked}, nil
			},
		})
		resp, got := postBooking(t, srv, `{"service_id":"3","practitioner_id":"2","start":"2026-12-01T09:00:00Z"}`, "key-1")
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("status = %d, want 201 (%v)", resp.StatusCode, got)
		}
		if loc := resp.Header.Get("Location"); loc != "/api/v1/appointments/41" {
			t.Errorf("Location = %q", loc)
		}
		want := backdesk.BookingRequest{ServiceID: 3, PractitionerID: 2, Start: start, IdempotencyKey: "key-1"}
		if !gotReq.Start.Equal(want.Start) || gotReq.ServiceID != 3 || gotReq.PractitionerID != 2 || gotReq.IdempotencyKey != "key-1" || gotReq.PatientID != 0 {
			t.Errorf("CreateBooking(%+v), want %+v", gotReq, want)
		}
		if gotActor.UserID != 70 || gotActor.PatientID != 7 {
			t.Errorf("actor in context = %+v, want the session's patient", gotActor)
		}
		if got["id"] != "41" || got["status"] != string(backdesk.BookingBooked) {
			t.Errorf("answer = %v", got)
		}
	})

	for _, tc := range []struct {
		name   string
		err    error
		status int
		code   backdesk.Code
		field  string
	}{
		{"slot taken", backdesk.Errorf(backdesk.CodeConflict, "That time was just taken."), http.StatusConflict, backdesk.CodeConflict, ""},
		{"bad field", backdesk.FieldError("start", "Choose a time inside opening hours."), http.StatusBadRequest, backdesk.CodeInvalid, "start"},
		{"not theirs", backdesk.Errorf(backdesk.CodeForbidden, "Not yours."), http.StatusForbidden, backdesk.CodeForbidden, ""},
		{"unknown service", backdesk.Errorf(backdesk.CodeNotFound, "No such service."), http.StatusNotFound, backdesk.CodeNotFound, ""},
		{"database down", io.ErrUnexpectedEOF, http.StatusInternalServerError, backdesk.CodeInternal, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newMockServer(t, &mock.BookingService{
				CreateBookingFn: func(ctx context.Context, req backdesk.BookingRequest) (*backdesk.Booking, error) {
					return nil, tc.err
				},
			})
			resp, got := postBooking(t, srv, `{"service_id":"3","practitioner_id":"2","start":"2026-12-01T09:00:00Z"}`, "")
			if resp.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d (%v)", resp.StatusCode, tc.status, got)
			}
			e, _ := got["error"].(map[string]any)
			if e["code"] != string(tc.code) {
				t.Errorf("error code = %v, want %s", e["code"], tc.code)
			}
			if tc.field != "" && e["field"] != tc.field {
				t.Errorf("error field = %v, want %s", e["field"], tc.field)
			}
			if tc.code == backdesk.CodeInternal && strings.Contains(e["message"].(string), "EOF") {
				t.Errorf("an internal cause leaked to the client: %v", e["message"])
			}
		})
	}

	t.Run("malformed body never reaches the service", func(t *testing.T) {
		srv := newMockServer(t, &mock.BookingService{}) // CreateBookingFn unset: a call panics
		for _, body := range []string{`{`, `{"service_id":"x"}`, `[]`, `{"start":"tomorrow"}`} {
			resp, got := postBooking(t, srv, body, "")
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("body %s: status = %d, want 400 (%v)", body, resp.StatusCode, got)
			}
		}
	})
}
