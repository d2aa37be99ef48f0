package main

import (
	"database/sql"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// dumpAll returns every value of every table of a database as text, the
// audit log included, to search for what must not be kept.
func dumpAll(t *testing.T, raw *sql.DB, kind string) string {
	t.Helper()
	list := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if kind == "postgres" {
		list = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	rows, err := raw.Query(list)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	sort.Strings(tables)
	if len(tables) < 15 {
		t.Fatalf("only tables %v", tables)
	}
	var b strings.Builder
	for _, table := range tables {
		rs, err := raw.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rs.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rs.Next() {
			rs.Scan(ptrs...)
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%s.%s=%v\n", table, cols[i], v)
			}
		}
		rs.Close()
	}
	return b.String()
}

// leftBehind reports every line of dump that holds one of traces, in any
// case.
func leftBehind(dump string, traces ...string) []string {
	var out []string
	for _, line := range strings.Split(dump, "\n") {
		for _, tr := range traces {
			if strings.Contains(strings.ToLower(line), strings.ToLower(tr)) {
				out = append(out, line)
			}
		}
	}
	return out
}

// TestErasureLeavesNothing: a patient with everything a patient can leave
// behind (appointments to come, one cancelled with a reason in their own
// words, a waitlist request and an offer, contact messages signed in and
// not, an answer, emails of every kind) erases their account. Their future
// appointment is cancelled and its time offered to the waitlist, as the
// system; their request ends; reception's inbox no longer shows their
// messages; and no column of any table holds their name, email, phone or
// words. The same for a patient reception recorded, erased by an admin.
func TestErasureLeavesNothing(t *testing.T) {
	for _, db := range testDBs(t) {
		t.Run(db.name, func(t *testing.T) {
			app := MustRunMain(t, map[string]string{"BACKDESK_DB": db.url}, "--demo")
			anon, desk, admin, sam := app.Client(t), app.Client(t), app.Client(t), app.Client(t)
			desk.Login("reception@riverside.example")
			admin.Login("admin@riverside.example")
			sam.Login("sam.taylor@example.org")
			slots := slotsOf(t, anon, "service=1&practitioner=1&"+window(14))
			at := func(i int) slotJSON { return slots[8*i] }
			book := func(c *Client, sl slotJSON) bookingJSON {
				t.Helper()
				status, body := c.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s"}`, sl.Start.Format(time.RFC3339)))
				var b bookingJSON
				decode(t, body, &b)
				if status != 201 {
					t.Fatalf("book = %d %s", status, body)
				}
				return b
			}
			waitFor := func(c *Client, sl slotJSON) {
				t.Helper()
				local := sl.Start.In(london(t))
				day := local.Format(time.DateOnly)
				if status, body := c.PostJSON("/api/v1/waitlist", fmt.Sprintf(`{"discipline":"physiotherapist","from":"%s","to":"%s","weekdays":["%s"],"earliest":"%s","latest":"%s"}`,
					day, day, strings.ToLower(local.Weekday().String()), local.Format("15:04"), local.Add(2*time.Hour).Format("15:04"))); status != 201 {
					t.Fatalf("join waitlist: %d %s", status, body)
				}
			}

			const (
				name, email, phone = "Zelda Quint", "zelda.quint@example.org", "07700 900123"
				words, more, why   = "My sciatica is bad since March", "The pain goes down my left leg", "Zelda cannot come: her knee"
			)
			zelda := app.RegisterPatient(t, email, name)
			kept := book(zelda, at(0))
			dropped := book(zelda, at(1))
			if status, body := zelda.PostJSON("/api/v1/appointments/"+dropped.ID+"/cancel", `{"reason":"`+why+`"}`); status != 200 {
				t.Fatalf("cancel = %d %s", status, body)
			}
			samBooking := book(sam, at(2))
			waitFor(zelda, at(2))
			sam.PostJSON("/api/v1/appointments/"+samBooking.ID+"/cancel", `{}`) // Zelda is offered the time
			if status, body := zelda.PostJSON("/api/v1/messages", `{"name":"`+name+`","email":"Zelda.Quint@Example.org","phone":"`+phone+`","body":"`+words+`"}`); status != 201 {
				t.Fatalf("message = %d %s", status, body)
			}
			if status, _, _ := anon.PostForm("/contact", url.Values{"name": {"Z. Quint"}, "email": {email}, "phone": {phone}, "body": {more}}); status != 303 {
				t.Fatalf("contact form = %d", status)
			}
			_, inbox := desk.Get("/api/v1/messages")
			var msgs struct{ Messages []struct{ ID string } }
			decode(t, inbox, &msgs)
			if len(msgs.Messages) != 2 {
				t.Fatalf("inbox = %s", inbox)
			}
			desk.PostJSON("/api/v1/messages/"+msgs.Messages[0].ID+"/answer", `{"answer":"Dear Zelda, come and see us."}`)
			anon.PostJSON("/api/v1/auth/password-reset", `{"email":"`+email+`"}`)
			wendy := app.RegisterPatient(t, "wendy.waits@example.org", "Wendy Waits")
			waitFor(wendy, at(0)) // she waits for the time Zelda holds

			raw := db.raw(t)
			if lines := leftBehind(dumpAll(t, raw, db.name), name, phone, words, more); len(lines) == 0 {
				t.Fatal("the dump does not hold the patient's details before erasure: the check looks in the wrong place")
			}
			if status, body, _ := zelda.Do("DELETE", "/api/v1/me", "application/json", `{"password":"`+PatientPassword+`"}`); status != 204 {
				t.Fatalf("erase = %d %s", status, body)
			}

			// The time she held is free again and offered to the waitlist.
			var status string
			raw.QueryRow(`SELECT status FROM bookings WHERE id = $1`, kept.ID).Scan(&status)
			if status != "cancelled" {
				t.Errorf("her coming appointment is %q after erasure, want cancelled", status)
			}
			free := false
			for _, s := range slotsOf(t, anon, "service=1&practitioner=1&"+window(14)) {
				free = free || s.Start.Equal(at(0).Start)
			}
			if !free {
				t.Error("the time she held is not offered again")
			}
			_, waiting := wendy.Get("/api/v1/waitlist")
			if !strings.Contains(waiting, `"offers":[{`) {
				t.Errorf("the waiting patient was not offered the freed time: %s", waiting)
			}
			_, offers := admin.Get("/api/v1/audit?action=waitlist.offer")
			if strings.Count(offers, `"actor_name":"waitlist"`) != 2 || strings.Contains(offers, `"actor_role":"patient"`) {
				t.Errorf("the offers are not the system's: %s", offers)
			}
			var waitingRequests, openOffers int
			raw.QueryRow(`SELECT COUNT(*) FROM waitlist_entries WHERE status = 'waiting' AND patient_id = (SELECT patient_id FROM bookings WHERE id = $1)`, kept.ID).Scan(&waitingRequests)
			raw.QueryRow(`SELECT COUNT(*) FROM waitlist_offers WHERE status = 'open' AND patient_id = (SELECT patient_id FROM bookings WHERE id = $1)`, kept.ID).Scan(&openOffers)
			if waitingRequests != 0 || openOffers != 0 {
				t.Errorf("after erasure: %d waiting requests, %d open offers, want none", waitingRequests, openOffers)
			}
			if _, inbox := desk.Get("/api/v1/messages"); strings.Contains(inbox, "Quint") || strings.Contains(inbox, "sciatica") {
				t.Errorf("reception's inbox still shows her messages: %s", inbox)
			}
			for _, line := range leftBehind(dumpAll(t, raw, db.name), name, "Zelda", "Quint", email, phone, words, more, why, "her knee") {
				t.Errorf("left behind after erasure: %s", line)
			}

			// A caller reception recorded, erased at their request by an admin.
			const caller, callerEmail, callerPhone = "Yannick Ruel", "y.ruel@example.org", "01632 960 444"
			status2, body := desk.PostJSON("/api/v1/patients", `{"name":"`+caller+`","email":"`+callerEmail+`","phone":"`+callerPhone+`","date_of_birth":"1961-02-03"}`)
			var p struct{ ID string }
			decode(t, body, &p)
			if status2 != 201 {
				t.Fatalf("record the caller = %d %s", status2, body)
			}
			if status, body := desk.PostJSON("/api/v1/appointments", fmt.Sprintf(`{"service_id":"1","practitioner_id":"1","start":"%s","patient_id":"%s"}`, at(3).Start.Format(time.RFC3339), p.ID)); status != 201 {
				t.Fatalf("book the caller = %d %s", status, body)
			}
			anon.PostJSON("/api/v1/messages", `{"name":"Yannick","email":"Y.Ruel@example.org","phone":"`+callerPhone+`","body":"Please call me back about my disc"}`)
			if status, body, _ := admin.Do("DELETE", "/api/v1/patients/"+p.ID, "", ""); status != 204 {
				t.Fatalf("admin erasure = %d %s", status, body)
			}
			for _, line := range leftBehind(dumpAll(t, raw, db.name), caller, "Yannick", callerEmail, callerPhone, "1961-02-03", "about my disc") {
				t.Errorf("left behind after the admin's erasure: %s", line)
			}
			free = false
			for _, s := range slotsOf(t, anon, "service=1&practitioner=1&"+window(14)) {
				free = free || s.Start.Equal(at(3).Start)
			}
			if !free {
				t.Error("the time the erased caller held is not offered again")
			}
		})
	}
}
