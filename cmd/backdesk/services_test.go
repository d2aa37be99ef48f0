package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"backdesk"
	"backdesk/sqlstore"
	"backdesk/storetest"
)

// publicMethods are the service methods anyone may call: the catalogue,
// the self-assessment, availability, signing in and the contact form.
var publicMethods = map[string]bool{
	"Locations.FindLocationByID": true, "Locations.FindLocations": true,
	"Practitioners.FindPractitionerByID": true, "Practitioners.FindPractitioners": true,
	"Offerings.FindOfferingByID": true, "Offerings.FindOfferings": true,
	"Users.Register": true, "Users.Authenticate": true, "Users.ActorForSession": true, "Users.EndSession": true,
	"Users.RequestPasswordReset": true, "Users.ResetPassword": true, "Users.VerifyEmail": true, // the token is the credential
	"Assessments.Questionnaire": true, "Assessments.Rulebook": true, "Assessments.CreateAssessment": true,
	"Assessments.FindAssessmentByID": true, // an anonymous result, to whoever holds its id
	"Availability.FindSlots":         true,
	"Bookings.ReviewBooking":         true, // what a time would book, before signing in
	"Messages.CreateMessage":         true,
	"Calendar.FeedBookings":          true,                                     // the token is the credential
	"Exercises.FindExercises":        true, "Exercises.FindExerciseByID": true, // the library
	// The signed token of an emailed link is the credential.
	"Outcomes.FindOutcomeRequest": true, "Outcomes.AnswerOutcomeRequest": true,
	"Reminders.EmailStopToken": true, "Reminders.StopEmails": true,
	"Tokens.ActorForAPIToken": true, // the token is the credential
}

// TestEveryServiceMethodChecksItsCaller calls every method of every service
// the web layer reaches, as nobody signed in, on a demo clinic, with
// arguments that name records that exist. Each one not public must refuse:
// unauthorized, or not found for a patient's records (which do not reveal
// that they exist), and refuse before it looks at its input. So a service
// method added without a check fails here.
func TestEveryServiceMethodChecksItsCaller(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "svc.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svcs, err := newServices(db, DefaultConfig(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := seedDemo(ctx, svcs, "uk", io.Discard); err != nil {
		t.Fatal(err)
	}
	anon := reflect.ValueOf(ctx)
	v := reflect.ValueOf(svcs.web)
	checked := 0
	for i := range v.NumField() {
		field, svc := v.Type().Field(i), v.Field(i)
		if svc.Kind() != reflect.Interface || svc.IsNil() {
			continue
		}
		for m := range svc.NumMethod() {
			method := svc.Type().Method(m)
			name := field.Name + "." + method.Name
			if publicMethods[name] {
				continue
			}
			args := []reflect.Value{anon}
			for a := 1; a < method.Type.NumIn(); a++ {
				args = append(args, existing(method.Type.In(a)))
			}
			out := svc.Method(m).Call(args)
			errV := out[len(out)-1]
			err, _ := errV.Interface().(error)
			switch code := backdesk.ErrorCode(err); code {
			case backdesk.CodeUnauthorized, backdesk.CodeNotFound:
			default:
				t.Errorf("%s as nobody = %v (code %q), want unauthorized or not_found", name, err, code)
			}
			checked++
		}
	}
	if checked < 35 {
		t.Errorf("only %d methods checked", checked)
	}
}

// existing is an argument naming a record that exists in the demo clinic
// (id 1, an hour-on-the-grid time tomorrow) or a valid-looking value.
func existing(t reflect.Type) reflect.Value {
	switch t {
	case reflect.TypeFor[time.Time]():
		return reflect.ValueOf(time.Now().Add(24 * time.Hour).Truncate(time.Hour))
	case reflect.TypeFor[json.RawMessage]():
		return reflect.ValueOf(json.RawMessage(`{}`))
	}
	switch t.Kind() {
	case reflect.Int64:
		return reflect.ValueOf(int64(1)).Convert(t)
	case reflect.String:
		return reflect.ValueOf("demo-backpain-2026").Convert(t)
	case reflect.Pointer:
		return reflect.New(t.Elem())
	}
	return reflect.Zero(t)
}

// readMethods are the service methods that change no record (some write
// an audit line of the read).
func readMethod(name string) bool {
	_, m, _ := strings.Cut(name, ".")
	for _, p := range []string{"Find", "Questionnaire", "Rulebook", "Authorize", "ActorFor", "ExportPersonalData", "TimeOffPractitioners",
		"FeedBookings", "ReferralLetter", "EndSession", "StartPage"} {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}

// TestReadOnlyTokenChangesNothing calls every service method that changes
// something, as an integration's read-only token, on a demo clinic, with
// arguments that name records that exist: each refuses, and afterwards
// every table but the audit log holds what it held before. So a change
// added without a check that a read-only token passes fails here.
func TestReadOnlyTokenChangesNothing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ro.db")
	db, err := sqlstore.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svcs, err := newServices(db, DefaultConfig(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := seedDemo(ctx, svcs, "uk", io.Discard); err != nil {
		t.Fatal(err)
	}
	raw := storetest.RawDB(t, "sqlite:"+path)
	counts := func() map[string]int {
		out := map[string]int{}
		rows, err := raw.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'sqlite_sequence')`)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			names = append(names, n)
		}
		rows.Close()
		for _, n := range names {
			var c int
			if err := raw.QueryRow(`SELECT COUNT(*) FROM "` + n + `"`).Scan(&c); err != nil {
				t.Fatal(err)
			}
			out[n] = c
		}
		return out
	}
	before := counts()
	readOnly := reflect.ValueOf(backdesk.NewContextWithActor(ctx, backdesk.Actor{Role: backdesk.RoleReadOnly, Name: "Reporting", TokenID: 1,
		Grants: []backdesk.Permission{backdesk.PermReadClinic}}))
	v := reflect.ValueOf(svcs.web)
	checked := 0
	for i := range v.NumField() {
		field, svc := v.Type().Field(i), v.Field(i)
		if svc.Kind() != reflect.Interface || svc.IsNil() {
			continue
		}
		for m := range svc.NumMethod() {
			method := svc.Type().Method(m)
			name := field.Name + "." + method.Name
			if readMethod(name) {
				continue
			}
			args := []reflect.Value{readOnly}
			for a := 1; a < method.Type.NumIn(); a++ {
				args = append(args, existing(method.Type.In(a)))
			}
			out := svc.Method(m).Call(args)
			err, _ := out[len(out)-1].Interface().(error)
			// Refused: forbidden, not found, or (for a method that reads its
			// input before its caller) invalid; the tables say that nothing
			// was written either way.
			switch code := backdesk.ErrorCode(err); code {
			case backdesk.CodeForbidden, backdesk.CodeNotFound, backdesk.CodeInvalid:
			default:
				t.Errorf("%s as a read-only token = %v (code %q), want a refusal", name, err, code)
			}
			checked++
		}
	}
	if checked < 40 {
		t.Errorf("only %d methods checked", checked)
	}
	if after := counts(); !reflect.DeepEqual(before, after) {
		for k, n := range after {
			if before[k] != n {
				t.Errorf("table %s held %d rows, now %d", k, before[k], n)
			}
		}
	}
}
