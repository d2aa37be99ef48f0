package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"backdesk"
)

// referralColumns ends with the patient's name, read with the referral:
// whoever may see a referral may see whose it is.
const referralColumns = `id, patient_id, from_practitioner_id, COALESCE(to_discipline, ''), COALESCE(to_practitioner_id, 0), COALESCE(to_external, ''),
	recipient_name, recipient_address, reason, urgency, findings, red_flags, COALESCE(assessment_id, ''), status, status_reason,
	COALESCE(accepted_by, 0), COALESCE(booking_id, 0), COALESCE(created_by, 0), created_at, updated_at,
	COALESCE((SELECT name FROM patients WHERE patients.id = referrals.patient_id), '')`

func scanReferral(sc scanner) (*backdesk.Referral, error) {
	r := &backdesk.Referral{Actions: []backdesk.ReferralAction{}}
	err := sc.Scan(&r.ID, &r.PatientID, &r.FromPractitionerID, &r.ToDiscipline, &r.ToPractitionerID, &r.ToExternal,
		&r.RecipientName, &r.RecipientAddress, &r.Reason, &r.Urgency, &r.Findings, jsonList{&r.RedFlags}, &r.AssessmentID, &r.Status, &r.StatusReason,
		&r.AcceptedBy, &r.BookingID, &r.CreatedBy, dbTime{&r.CreatedAt}, dbTime{&r.UpdatedAt}, &r.PatientName)
	return r, err
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// InsertReferral stores r as requested, with its first event.
func (db *DB) InsertReferral(ctx context.Context, r *backdesk.Referral, audit *backdesk.AuditEntry) error {
	now := db.now()
	r.Status, r.CreatedAt, r.UpdatedAt = backdesk.ReferralRequested, now, now
	if r.RedFlags == nil {
		r.RedFlags = []string{}
	}
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO referrals (patient_id, from_practitioner_id, to_discipline, to_practitioner_id, to_external,
			recipient_name, recipient_address, reason, urgency, findings, red_flags, assessment_id, status, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'requested', $13, $14, $14) RETURNING id`,
			r.PatientID, r.FromPractitionerID, nullText(string(r.ToDiscipline)), nullID(r.ToPractitionerID), nullText(string(r.ToExternal)),
			r.RecipientName, r.RecipientAddress, r.Reason, string(r.Urgency), r.Findings, listValue(r.RedFlags), nullText(r.AssessmentID),
			nullID(r.CreatedBy), formatTime(now)).Scan(&r.ID)
		if err != nil {
			if db.d.constraint(err) == uniqueViolation {
				return 0, &backdesk.Error{Code: backdesk.CodeConflict, Message: "That assessment is already attached to an open referral there.", Err: err}
			}
			return 0, fmt.Errorf("insert referral: %w", err)
		}
		ev := backdesk.ReferralEvent{At: now, Action: backdesk.ReferralCreate, To: backdesk.ReferralRequested}
		if err := insertReferralEvent(ctx, tx, r.ID, ev, audit); err != nil {
			return 0, err
		}
		return r.ID, db.emitTx(ctx, tx, backdesk.EventReferralCreated, strconv.FormatInt(r.ID, 10),
			backdesk.EventData{PatientID: r.PatientID, Status: string(r.Status)})
	}, audit)
}

// insertReferralEvent records ev, its actor that of the audit line.
func insertReferralEvent(ctx context.Context, tx *sql.Tx, referralID int64, ev backdesk.ReferralEvent, audit *backdesk.AuditEntry) error {
	if audit != nil {
		ev.ActorUserID, ev.ActorRole, ev.ActorName = audit.ActorUserID, audit.ActorRole, audit.ActorName
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO referral_events (referral_id, at, action, from_status, to_status, actor_user_id, actor_role, actor_name, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, referralID, formatTime(ev.At), string(ev.Action), string(ev.From), string(ev.To),
		nullID(ev.ActorUserID), string(ev.ActorRole), ev.ActorName, ev.Note)
	if err != nil {
		return fmt.Errorf("insert referral event: %w", err)
	}
	return nil
}

var errNoReferral = backdesk.Errorf(backdesk.CodeNotFound, "Referral not found.")

// FindReferralByID returns the referral with its history.
func (db *DB) FindReferralByID(ctx context.Context, id int64) (*backdesk.Referral, error) {
	return db.findReferral(ctx, db.read, id)
}

// findReferral reads a referral and its history through q (the pool, or a
// transaction that has just changed it).
func (db *DB) findReferral(ctx context.Context, q interface {
	querier
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, id int64) (*backdesk.Referral, error) {
	r, err := scanReferral(q.QueryRowContext(ctx, `SELECT `+referralColumns+` FROM referrals WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, errNoReferral
	} else if err != nil {
		return nil, fmt.Errorf("find referral: %w", err)
	}
	r.History = []backdesk.ReferralEvent{}
	err = eachRow(ctx, q, `SELECT at, action, from_status, to_status, COALESCE(actor_user_id, 0), actor_role, actor_name, note
		FROM referral_events WHERE referral_id = $1 ORDER BY id`, []any{id}, func(sc scanner) error {
		var ev backdesk.ReferralEvent
		err := sc.Scan(dbTime{&ev.At}, &ev.Action, &ev.From, &ev.To, &ev.ActorUserID, &ev.ActorRole, &ev.ActorName, &ev.Note)
		r.History = append(r.History, ev)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find referral history: %w", err)
	}
	return r, nil
}

// openStatuses is the SQL list of ReferralStatus.Open.
const openStatuses = `('requested', 'accepted', 'booked')`

// FindReferrals returns matching referrals and the total: in the inbox
// order (urgent first, then soon, then routine, oldest first within each)
// unless f asks for the newest first.
func (db *DB) FindReferrals(ctx context.Context, f backdesk.ReferralFilter) ([]*backdesk.Referral, int, error) {
	var w where
	if f.Status != "" {
		w.add(`status = $%d`, string(f.Status))
	}
	if f.Open {
		w.conds = append(w.conds, `status IN `+openStatuses)
	}
	if len(f.Statuses) > 0 {
		vs := make([]any, len(f.Statuses))
		for i, st := range f.Statuses {
			vs[i] = string(st)
		}
		w.in(`status`, vs...)
	}
	if f.Discipline != "" {
		w.add(`to_discipline = $%d`, string(f.Discipline))
	}
	if f.External {
		w.conds = append(w.conds, `to_external IS NOT NULL`)
	}
	if f.PatientID != 0 {
		w.add(`patient_id = $%d`, f.PatientID)
	}
	if f.FromPractitionerID != 0 {
		w.add(`from_practitioner_id = $%d`, f.FromPractitionerID)
	}
	if p := f.Party; p != nil {
		w.addArgs(`(from_practitioner_id = $%[1]d OR to_practitioner_id = $%[1]d OR accepted_by = $%[1]d OR to_discipline = $%[2]d)`,
			p.PractitionerID, string(p.Discipline))
	}
	order := `CASE urgency WHEN 'urgent' THEN 0 WHEN 'soon' THEN 1 ELSE 2 END, created_at, id`
	if f.NewestFirst {
		order = `created_at DESC, id DESC`
	}
	out := []*backdesk.Referral{}
	total := 0
	err := eachRow(ctx, db.read, `SELECT `+referralColumns+`, COUNT(*) OVER () FROM referrals `+w.sql()+` ORDER BY `+order+` `+limitOffset(f.Page, 200, 1000),
		w.args, func(sc scanner) error {
			r, err := scanReferral(scanWithTotal{sc, &total})
			out = append(out, r)
			return err
		})
	if err == nil {
		err = totalPastEnd(ctx, db.read, len(out), f.Page, `referrals `+w.sql(), w.args, &total)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("find referrals: %w", err)
	}
	return out, total, nil
}

// TransitionReferral moves a referral one step, if the state machine
// allows it from the status it has now.
func (db *DB) TransitionReferral(ctx context.Context, id int64, t backdesk.ReferralTransition, msgs []*backdesk.OutboxMessage, audit *backdesk.AuditEntry) (*backdesk.Referral, error) {
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		if err := db.transitionReferralTx(ctx, tx, id, t, audit); err != nil {
			return 0, err
		}
		now := db.now()
		for _, m := range msgs {
			m.CreatedAt = now
			if err := db.insertOutbox(ctx, tx, m); err != nil {
				return 0, err
			}
		}
		return id, nil
	}, audit)
	if err != nil {
		return nil, err
	}
	return db.FindReferralByID(ctx, id)
}

// transitionReferralTx applies t in tx: it reads the referral (locking
// its row on PostgreSQL), asks the state machine, writes the new state
// guarded by the old one, and records the event.
func (db *DB) transitionReferralTx(ctx context.Context, tx *sql.Tx, id int64, t backdesk.ReferralTransition, audit *backdesk.AuditEntry) error {
	r, err := scanReferral(tx.QueryRowContext(ctx, `SELECT `+referralColumns+` FROM referrals WHERE id = $1`+db.d.forUpdate, id))
	if err == sql.ErrNoRows {
		return errNoReferral
	} else if err != nil {
		return fmt.Errorf("read referral: %w", err)
	}
	to, err := backdesk.NextReferralStatus(r.External(), r.Status, t.Action)
	if err != nil {
		return err
	}
	reason, acceptedBy, bookingID := r.StatusReason, r.AcceptedBy, r.BookingID
	switch t.Action {
	case backdesk.ReferralAccept:
		acceptedBy = t.AcceptedBy
	case backdesk.ReferralDecline, backdesk.ReferralWithdraw:
		reason = t.Reason
	case backdesk.ReferralBook:
		if t.BookingID == 0 {
			return fmt.Errorf("book referral %d: no booking", id)
		}
		bookingID = t.BookingID
	case backdesk.ReferralUnbook:
		bookingID = 0
	}
	now := db.now()
	res, err := tx.ExecContext(ctx, `UPDATE referrals SET status = $1, status_reason = $2, accepted_by = $3, booking_id = $4, updated_at = $5
		WHERE id = $6 AND status = $7`, string(to), reason, nullID(acceptedBy), nullID(bookingID), formatTime(now), id, string(r.Status))
	if err != nil {
		return fmt.Errorf("update referral: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return backdesk.Errorf(backdesk.CodeConflict, "The referral changed meanwhile; look at it again.")
	}
	if err := insertReferralEvent(ctx, tx, id, backdesk.ReferralEvent{At: now, Action: t.Action, From: r.Status, To: to, Note: t.Reason}, audit); err != nil {
		return err
	}
	return db.emitTx(ctx, tx, t.Action.EventType(), strconv.FormatInt(id, 10),
		backdesk.EventData{PatientID: r.PatientID, Status: string(to), AppointmentID: bookingID})
}

// unbookReferralTx gives back the referral booked on a cancelled booking:
// accepted again, to be booked anew. Nothing happens when the booking was
// not booked from a referral, or the referral has moved on.
func (db *DB) unbookReferralTx(ctx context.Context, tx *sql.Tx, bookingID int64, audit *backdesk.AuditEntry) error {
	var referralID int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM referrals WHERE booking_id = $1 AND status = 'booked'`, bookingID).Scan(&referralID)
	if err == sql.ErrNoRows {
		return nil
	} else if err != nil {
		return fmt.Errorf("find booked referral: %w", err)
	}
	return db.transitionReferralTx(ctx, tx, referralID, backdesk.ReferralTransition{Action: backdesk.ReferralUnbook,
		Reason: "Its appointment was cancelled."}, audit)
}
