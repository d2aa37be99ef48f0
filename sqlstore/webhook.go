package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"backdesk"
)

// Webhook events are written here by the store writes that make the changes
// they announce (bookings, referrals, assessments), in the same transaction,
// with one delivery for each enabled endpoint subscribed to the event's type;
// when no endpoint is, nothing is written. Delivery workers lease them.

// newEventID is a webhook-id: "msg_" and 130 random bits.
func newEventID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "msg_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// eventData is what an event's data column keeps: everything but its id
// (the resource_id column) and its links (made when it is sent).
func eventData(d backdesk.EventData) string {
	d.ID, d.Links = "", backdesk.EventLinks{}
	b, _ := json.Marshal(d)
	return string(b)
}

// eventStmts are the two statements that write an event of typ about the
// record resourceID, and its deliveries, both only when an enabled endpoint
// subscribes to typ. With chained, the record is the chain's new row.
func (db *DB) eventStmts(typ backdesk.EventType, resourceID string, chained bool, d backdesk.EventData, at time.Time) []stmt {
	id := newEventID()
	res := "$5"
	args := []any{id, string(typ), eventData(d), formatTime(at)}
	if chained {
		res = `CAST(` + newRow + ` AS TEXT)`
	} else {
		args = append(args, resourceID)
	}
	event := stmt{`INSERT INTO webhook_events (id, type, resource_id, data, created_at) SELECT $1, $2, ` + res + `, $3, $4` + db.d.instant + `
		WHERE EXISTS (SELECT 1 FROM webhook_subscriptions s JOIN webhook_endpoints e ON e.id = s.endpoint_id WHERE s.event_type = $2 AND e.enabled)`, args}
	match := ""
	if chained {
		match = ` AND ev.resource_id = CAST(` + newRow + ` AS TEXT)`
	}
	deliveries := stmt{`INSERT INTO webhook_deliveries (event_id, endpoint_id, status, next_attempt_at, created_at)
		SELECT ev.id, s.endpoint_id, 'pending', ev.created_at, ev.created_at FROM webhook_events ev
		JOIN webhook_subscriptions s ON s.event_type = ev.type JOIN webhook_endpoints e ON e.id = s.endpoint_id AND e.enabled
		WHERE ev.id = $1` + match, []any{id}}
	return []stmt{event, deliveries}
}

// emitTx writes an event about resourceID, and its deliveries, in tx.
func (db *DB) emitTx(ctx context.Context, tx *sql.Tx, typ backdesk.EventType, resourceID string, d backdesk.EventData) error {
	if typ == "" {
		return nil
	}
	for _, s := range db.eventStmts(typ, resourceID, false, d, db.now()) {
		if _, err := tx.ExecContext(ctx, s.sql, s.args...); err != nil {
			return fmt.Errorf("write webhook event %s: %w", typ, err)
		}
	}
	return nil
}

// bookingEvent is the data of an appointment's event.
func bookingEvent(b *backdesk.Booking) backdesk.EventData {
	start, end := b.Start, b.End
	return backdesk.EventData{ID: strconv.FormatInt(b.ID, 10), PatientID: b.PatientID, PractitionerID: b.PractitionerID, ServiceID: b.ServiceID,
		LocationID: b.LocationID, Start: &start, End: &end, Status: string(b.Status), RescheduledFrom: b.RescheduledFrom, ReferralID: b.ReferralID}
}

// emitBookingTx writes an event about the booking id as it stands in tx.
func (db *DB) emitBookingTx(ctx context.Context, tx *sql.Tx, typ backdesk.EventType, id int64) error {
	b, err := scanBooking(tx.QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM bookings WHERE id = $1`, id))
	if err != nil {
		return fmt.Errorf("read booking for its event: %w", err)
	}
	return db.emitTx(ctx, tx, typ, strconv.FormatInt(id, 10), bookingEvent(b))
}

const endpointColumns = `id, url, description, enabled, disabled_reason, created_at, updated_at`

func scanEndpoint(sc scanner) (*backdesk.WebhookEndpoint, error) {
	e := &backdesk.WebhookEndpoint{Events: []backdesk.EventType{}}
	err := sc.Scan(&e.ID, &e.URL, &e.Description, &e.Enabled, &e.DisabledReason, dbTime{&e.CreatedAt}, dbTime{&e.UpdatedAt})
	return e, err
}

// InsertWebhookEndpoint stores e, its secret and its subscriptions.
func (db *DB) InsertWebhookEndpoint(ctx context.Context, e *backdesk.WebhookEndpoint, secret string, audit *backdesk.AuditEntry) error {
	now := db.now()
	e.CreatedAt, e.UpdatedAt = now, now
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO webhook_endpoints (url, description, secret, enabled, disabled_reason, created_at, updated_at)
			VALUES ($1, $2, $3, $4, '', $5, $5) RETURNING id`, e.URL, e.Description, secret, e.Enabled, formatTime(now)).Scan(&e.ID)
		if err != nil {
			return 0, fmt.Errorf("insert webhook endpoint: %w", err)
		}
		return e.ID, writeSubscriptions(ctx, tx, e)
	}, audit)
}

func writeSubscriptions(ctx context.Context, tx *sql.Tx, e *backdesk.WebhookEndpoint) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_subscriptions WHERE endpoint_id = $1`, e.ID); err != nil {
		return fmt.Errorf("replace webhook subscriptions: %w", err)
	}
	for _, t := range e.Events {
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_subscriptions (endpoint_id, event_type) VALUES ($1, $2)`, e.ID, string(t)); err != nil {
			return fmt.Errorf("insert webhook subscription: %w", err)
		}
	}
	return nil
}

// FindWebhookEndpoints lists every endpoint, oldest first.
func (db *DB) FindWebhookEndpoints(ctx context.Context) ([]*backdesk.WebhookEndpoint, error) {
	return db.findEndpoints(ctx, db.read, ``, ``)
}

// findEndpoints reads the endpoints that cond selects, locked by lock.
func (db *DB) findEndpoints(ctx context.Context, q querier, cond, lock string, args ...any) ([]*backdesk.WebhookEndpoint, error) {
	out := []*backdesk.WebhookEndpoint{}
	byID := map[int64]*backdesk.WebhookEndpoint{}
	err := eachRow(ctx, q, `SELECT `+endpointColumns+` FROM webhook_endpoints `+cond+` ORDER BY id`+lock, args, func(sc scanner) error {
		e, err := scanEndpoint(sc)
		out = append(out, e)
		byID[e.ID] = e
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find webhook endpoints: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	var w where
	ids := make([]any, 0, len(out))
	for _, e := range out {
		ids = append(ids, e.ID)
	}
	w.in(`endpoint_id`, ids...)
	err = eachRow(ctx, q, `SELECT endpoint_id, event_type FROM webhook_subscriptions `+w.sql(), w.args, func(sc scanner) error {
		var id int64
		var t backdesk.EventType
		if err := sc.Scan(&id, &t); err != nil {
			return err
		}
		byID[id].Events = append(byID[id].Events, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find webhook subscriptions: %w", err)
	}
	for _, e := range out {
		sortEvents(e.Events)
	}
	return out, nil
}

// sortEvents puts event types in the order of backdesk.EventTypes.
func sortEvents(ts []backdesk.EventType) {
	order := map[backdesk.EventType]int{}
	for i, t := range backdesk.EventTypes {
		order[t] = i
	}
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && order[ts[j]] < order[ts[j-1]]; j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

var errNoEndpoint = backdesk.Errorf(backdesk.CodeNotFound, "Webhook endpoint not found.")

// FindWebhookEndpointByID returns one endpoint.
func (db *DB) FindWebhookEndpointByID(ctx context.Context, id int64) (*backdesk.WebhookEndpoint, error) {
	list, err := db.findEndpoints(ctx, db.read, `WHERE id = $1`, ``, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errNoEndpoint
	}
	return list[0], nil
}

// UpdateWebhookEndpoint applies upd in one transaction.
func (db *DB) UpdateWebhookEndpoint(ctx context.Context, id int64, upd backdesk.WebhookEndpointUpdate, audit *backdesk.AuditEntry) (*backdesk.WebhookEndpoint, error) {
	var out *backdesk.WebhookEndpoint
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		list, err := db.findEndpoints(ctx, tx, `WHERE id = $1`, db.d.forUpdate, id)
		if err != nil {
			return 0, err
		}
		if len(list) == 0 {
			return 0, errNoEndpoint
		}
		e := list[0]
		upd.Apply(e)
		e.UpdatedAt = db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE webhook_endpoints SET url = $1, description = $2, enabled = $3, disabled_reason = $4, updated_at = $5 WHERE id = $6`,
			e.URL, e.Description, e.Enabled, e.DisabledReason, formatTime(e.UpdatedAt), id); err != nil {
			return 0, fmt.Errorf("update webhook endpoint: %w", err)
		}
		if upd.Events != nil {
			if err := writeSubscriptions(ctx, tx, e); err != nil {
				return 0, err
			}
		}
		out = e
		return id, nil
	}, audit)
	return out, err
}

// DeleteWebhookEndpoint removes an endpoint, its subscriptions and its
// deliveries (the events stay for the other endpoints).
func (db *DB) DeleteWebhookEndpoint(ctx context.Context, id int64, audit *backdesk.AuditEntry) error {
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		for _, q := range []string{
			`DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = $1)`,
			`DELETE FROM webhook_deliveries WHERE endpoint_id = $1`,
			`DELETE FROM webhook_subscriptions WHERE endpoint_id = $1`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return 0, fmt.Errorf("delete webhook endpoint: %w", err)
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM webhook_endpoints WHERE id = $1`, id)
		if err != nil {
			return 0, fmt.Errorf("delete webhook endpoint: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return 0, errNoEndpoint
		}
		return id, nil
	}, audit)
}

const deliveryColumns = `d.id, d.endpoint_id, d.event_id, ev.type, d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error,
	d.delivered_at, d.created_at`

func scanDelivery(sc scanner) (*backdesk.WebhookDelivery, error) {
	d := &backdesk.WebhookDelivery{History: []backdesk.WebhookAttempt{}}
	var next time.Time
	var delivered nullTime
	err := sc.Scan(&d.ID, &d.EndpointID, &d.EventID, &d.EventType, &d.Status, &d.Attempts, dbTime{&next}, &d.LastStatusCode, &d.LastError,
		&delivered, dbTime{&d.CreatedAt})
	if d.Status == backdesk.DeliveryPending {
		d.NextAttemptAt = &next
	}
	d.DeliveredAt = delivered.ptr()
	return d, err
}

// FindWebhookDeliveries lists an endpoint's deliveries, newest first, each
// with its attempts.
func (db *DB) FindWebhookDeliveries(ctx context.Context, endpointID int64, p backdesk.Page) ([]*backdesk.WebhookDelivery, int, error) {
	out := []*backdesk.WebhookDelivery{}
	total := 0
	err := eachRow(ctx, db.read, `SELECT `+deliveryColumns+`, COUNT(*) OVER () FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id
		WHERE d.endpoint_id = $1 ORDER BY d.id DESC `+limitOffset(p, 50, 500), []any{endpointID}, func(sc scanner) error {
		d, err := scanDelivery(scanWithTotal{sc, &total})
		out = append(out, d)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find webhook deliveries: %w", err)
	}
	return out, total, db.attachAttempts(ctx, db.read, out)
}

// attachAttempts reads the attempts of ds, oldest first.
func (db *DB) attachAttempts(ctx context.Context, q querier, ds []*backdesk.WebhookDelivery) error {
	if len(ds) == 0 {
		return nil
	}
	byID := map[int64]*backdesk.WebhookDelivery{}
	ids := make([]any, 0, len(ds))
	for _, d := range ds {
		byID[d.ID] = d
		ids = append(ids, d.ID)
	}
	var w where
	w.in(`delivery_id`, ids...)
	err := eachRow(ctx, q, `SELECT delivery_id, at, status_code, error, duration_ms FROM webhook_attempts `+w.sql()+` ORDER BY id`, w.args, func(sc scanner) error {
		var id int64
		var a backdesk.WebhookAttempt
		if err := sc.Scan(&id, dbTime{&a.At}, &a.StatusCode, &a.Error, &a.DurationMS); err != nil {
			return err
		}
		byID[id].History = append(byID[id].History, a)
		return nil
	})
	if err != nil {
		return fmt.Errorf("find webhook attempts: %w", err)
	}
	return nil
}

var errNoDelivery = backdesk.Errorf(backdesk.CodeNotFound, "Webhook delivery not found.")

// FindWebhookDeliveryByID returns one delivery with its attempts.
func (db *DB) FindWebhookDeliveryByID(ctx context.Context, id int64) (*backdesk.WebhookDelivery, error) {
	d, err := scanDelivery(db.read.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id WHERE d.id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, errNoDelivery
	} else if err != nil {
		return nil, fmt.Errorf("find webhook delivery: %w", err)
	}
	return d, db.attachAttempts(ctx, db.read, []*backdesk.WebhookDelivery{d})
}

// ResendWebhookDelivery makes a delivery pending and due at at. A claim in
// flight keeps its lease, so a delivery is never sent twice at once.
func (db *DB) ResendWebhookDelivery(ctx context.Context, id int64, at time.Time, audit *backdesk.AuditEntry) (*backdesk.WebhookDelivery, error) {
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		res, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $1, delivered_at = NULL WHERE id = $2`, formatTime(at), id)
		if err != nil {
			return 0, fmt.Errorf("resend webhook delivery: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return 0, errNoDelivery
		}
		return id, nil
	}, audit)
	if err != nil {
		return nil, err
	}
	return db.FindWebhookDeliveryByID(ctx, id)
}

// ClaimWebhookDeliveries leases up to limit due deliveries of enabled
// endpoints to claimID. On PostgreSQL the candidates are locked with FOR
// UPDATE SKIP LOCKED, so that concurrent workers, in any process, take
// different ones; on SQLite the single writer serialises claims.
func (db *DB) ClaimWebhookDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int, claimID string) ([]*backdesk.WebhookDispatch, error) {
	lock := ""
	if db.d.name == "postgres" {
		lock = " FOR UPDATE OF d SKIP LOCKED"
	}
	var out []*backdesk.WebhookDispatch
	err := db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		out = nil
		n := formatTime(now)
		var ids []any
		err := eachRow(ctx, tx, `UPDATE webhook_deliveries SET claimed_until = $1, claim_id = $2 WHERE id IN (
			SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
			WHERE d.status = 'pending' AND e.enabled AND d.next_attempt_at <= $3 AND (d.claimed_until IS NULL OR d.claimed_until <= $3)
			ORDER BY d.next_attempt_at, d.id LIMIT $4`+lock+`) RETURNING id`, []any{formatTime(now.Add(lease)), claimID, n, limit},
			func(sc scanner) error {
				var id int64
				if err := sc.Scan(&id); err != nil {
					return err
				}
				ids = append(ids, id)
				return nil
			})
		if err != nil {
			return fmt.Errorf("claim webhook deliveries: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		var w where
		w.in(`d.id`, ids...)
		return eachRow(ctx, tx, `SELECT `+deliveryColumns+`, ev.resource_id, ev.data, ev.created_at, e.url, e.secret
			FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id JOIN webhook_endpoints e ON e.id = d.endpoint_id `+w.sql()+` ORDER BY d.id`,
			w.args, func(sc scanner) error {
				x := &backdesk.WebhookDispatch{}
				var data string
				d, err := scanDelivery(extraScan{sc, []any{&x.Event.Data.ID, &data, dbTime{&x.Event.CreatedAt}, &x.URL, &x.Secret}})
				if err != nil {
					return err
				}
				id := x.Event.Data.ID
				if err := json.Unmarshal([]byte(data), &x.Event.Data); err != nil {
					return fmt.Errorf("decode webhook event %s: %w", d.EventID, err)
				}
				x.Event.Data.ID = id
				x.Delivery, x.Event.ID, x.Event.Type = *d, d.EventID, d.EventType
				out = append(out, x)
				return nil
			})
	})
	return out, err
}

// extraScan appends columns after those a scan function reads.
type extraScan struct {
	sc    scanner
	extra []any
}

func (s extraScan) Scan(dest ...any) error { return s.sc.Scan(append(dest, s.extra...)...) }

// RecordWebhookAttempt writes an attempt and what became of the delivery,
// if claimID still holds its lease.
func (db *DB) RecordWebhookAttempt(ctx context.Context, id int64, claimID string, a backdesk.WebhookAttempt, o backdesk.WebhookOutcome) error {
	if len(a.Error) > 1000 {
		a.Error = a.Error[:1000]
	}
	status, next, delivered := backdesk.DeliveryPending, o.RetryAt, any(nil)
	switch {
	case o.Delivered:
		status, next, delivered = backdesk.DeliveryDelivered, a.At, formatTime(a.At)
	case o.GiveUp || o.Disable != "":
		status, next = backdesk.DeliveryFailed, a.At
	}
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var endpointID int64
		err := tx.QueryRowContext(ctx, `UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, next_attempt_at = $2, last_status_code = $3,
			last_error = $4, delivered_at = $5, claimed_until = NULL, claim_id = NULL WHERE id = $6 AND claim_id = $7 AND status = 'pending' RETURNING endpoint_id`,
			string(status), formatTime(next), a.StatusCode, a.Error, delivered, id, claimID).Scan(&endpointID)
		if err == sql.ErrNoRows {
			return backdesk.Errorf(backdesk.CodeConflict, "The delivery's claim has passed to another worker.")
		} else if err != nil {
			return fmt.Errorf("record webhook attempt: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_attempts (delivery_id, at, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)`,
			id, formatTime(a.At), a.StatusCode, a.Error, a.DurationMS); err != nil {
			return fmt.Errorf("record webhook attempt: %w", err)
		}
		if o.Disable != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $1, updated_at = $2 WHERE id = $3`,
				o.Disable, formatTime(a.At), endpointID); err != nil {
				return fmt.Errorf("disable webhook endpoint: %w", err)
			}
		}
		return nil
	})
}

// ReleaseWebhookDelivery ends claimID's lease without counting an attempt.
func (db *DB) ReleaseWebhookDelivery(ctx context.Context, id int64, claimID string) error {
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET claimed_until = NULL, claim_id = NULL
			WHERE id = $1 AND claim_id = $2 AND status = 'pending'`, id, claimID); err != nil {
			return fmt.Errorf("release webhook delivery: %w", err)
		}
		return nil
	})
}

// patientEvents is the LIKE pattern of the events whose data names the
// patient: eventData writes it as "patient_id":"42" (the "_" the pattern
// holds matches itself too).
func patientEvents(patientID int64) string {
	return `%"patient_id":"` + strconv.FormatInt(patientID, 10) + `"%`
}

// erasedEventData is an event's data once its patient is erased: nothing
// but what Payload adds (the record's id and links).
var erasedEventData = eventData(backdesk.EventData{})

// eraseWebhookEventsTx blanks, in an erasure's transaction, the data of
// every event that names the patient: what remains is the event's type,
// the record's id and the links, which lead to the anonymised record.
// Deliveries still due are sent so reduced.
func eraseWebhookEventsTx(ctx context.Context, tx *sql.Tx, patientID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE webhook_events SET data = $2 WHERE data LIKE $1`, patientEvents(patientID), erasedEventData); err != nil {
		return fmt.Errorf("erase: blank webhook events: %w", err)
	}
	return nil
}

// exportWebhookNotices adds to pd the events that name the patient, each
// with the endpoints it was sent to.
func (db *DB) exportWebhookNotices(ctx context.Context, pd *backdesk.PersonalData, patientID int64) error {
	pd.WebhookNotices = []*backdesk.WebhookNotice{}
	byID := map[string]*backdesk.WebhookNotice{}
	err := eachRow(ctx, db.read, `SELECT ev.id, ev.type, ev.resource_id, ev.created_at, e.url, d.status, d.attempts, d.delivered_at
		FROM webhook_events ev LEFT JOIN webhook_deliveries d ON d.event_id = ev.id LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id
		WHERE ev.data LIKE $1 ORDER BY ev.created_at, ev.id, d.id`, []any{patientEvents(patientID)}, func(sc scanner) error {
		var n backdesk.WebhookNotice
		var url, status sql.NullString
		var attempts sql.NullInt64
		var delivered nullTime
		if err := sc.Scan(&n.EventID, &n.Type, &n.ResourceID, dbTime{&n.CreatedAt}, &url, &status, &attempts, &delivered); err != nil {
			return err
		}
		have := byID[n.EventID]
		if have == nil {
			n.Deliveries = []backdesk.WebhookNoticeTarget{}
			have = &n
			byID[n.EventID] = have
			pd.WebhookNotices = append(pd.WebhookNotices, have)
		}
		if url.Valid {
			have.Deliveries = append(have.Deliveries, backdesk.WebhookNoticeTarget{URL: url.String, Status: backdesk.WebhookDeliveryStatus(status.String),
				Attempts: int(attempts.Int64), DeliveredAt: delivered.ptr()})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("export webhook events: %w", err)
	}
	return nil
}
