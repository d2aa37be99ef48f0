package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"backdesk"
)

// ExportPersonalData gathers everything held about a user: the account, the
// patient record, assessments, referrals with their history, every version
// of their clinical notes, appointments, waitlist requests and offers, the
// contact messages they sent, the history of their record's details, the
// health questions they answered, sessions (without tokens), the audit
// trail of their records and actions, the emails sent to them, and the
// webhook events that named them with the integrations they went to.
func (db *DB) ExportPersonalData(ctx context.Context, userID int64) (*backdesk.PersonalData, error) {
	u, err := db.FindUserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	pd := &backdesk.PersonalData{ExportedAt: db.now(), User: u, Assessments: []*backdesk.Assessment{},
		Referrals: []*backdesk.Referral{}, Notes: []*backdesk.ClinicalNote{},
		Appointments: []*backdesk.Booking{}, WaitlistEntries: []*backdesk.WaitlistEntry{}, WaitlistOffers: []*backdesk.WaitlistOffer{},
		ContactMessages: []*backdesk.ContactMessage{}, DetailChanges: []*backdesk.PatientChange{}, Intakes: []*backdesk.Intake{},
		Sessions: []backdesk.SessionInfo{}, Messages: []backdesk.OutboxMessage{}, WebhookNotices: []*backdesk.WebhookNotice{}}
	if u.PatientID != 0 {
		if pd.Patient, err = db.FindPatientByID(ctx, u.PatientID); err != nil {
			return nil, err
		}
		if pd.Assessments, err = db.FindAssessmentsByPatient(ctx, u.PatientID); err != nil {
			return nil, err
		}
		if pd.DetailChanges, err = db.FindPatientChanges(ctx, u.PatientID); err != nil {
			return nil, err
		}
		if pd.Intakes, err = db.FindIntakesByPatient(ctx, u.PatientID); err != nil {
			return nil, err
		}
		refs, _, err := db.FindReferrals(ctx, backdesk.ReferralFilter{PatientID: u.PatientID, NewestFirst: true, Page: backdesk.Page{Limit: 1000}})
		if err != nil {
			return nil, err
		}
		for _, r := range refs { // with the history of each
			full, err := db.FindReferralByID(ctx, r.ID)
			if err != nil {
				return nil, err
			}
			pd.Referrals = append(pd.Referrals, full)
		}
		if pd.Notes, err = db.FindNotes(ctx, backdesk.NoteFilter{PatientID: u.PatientID}); err != nil {
			return nil, err
		}
		if pd.Appointments, _, err = db.FindBookings(ctx, backdesk.BookingFilter{PatientID: u.PatientID, Page: backdesk.Page{Limit: 1000}}); err != nil {
			return nil, err
		}
		if pd.WaitlistEntries, err = db.FindWaitlistEntries(ctx, u.PatientID, false); err != nil {
			return nil, err
		}
		if pd.WaitlistOffers, err = db.FindWaitlistOffers(ctx, u.PatientID, false); err != nil {
			return nil, err
		}
		if err := db.exportHomeProgramme(ctx, pd, u.PatientID); err != nil {
			return nil, err
		}
		if err := db.exportWebhookNotices(ctx, pd, u.PatientID); err != nil {
			return nil, err
		}
	}
	err = eachRow(ctx, db.read, `SELECT `+messageColumns+` FROM contact_messages WHERE patient_id = $1 OR `+db.d.fold+`(email) = $2 ORDER BY id`,
		[]any{nullID(u.PatientID), strings.ToLower(u.Email)}, func(sc scanner) error {
			m, err := scanMessage(sc)
			pd.ContactMessages = append(pd.ContactMessages, m)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("export contact messages: %w", err)
	}
	err = eachRow(ctx, db.read, `SELECT created_at, expires_at FROM sessions WHERE user_id = $1 ORDER BY created_at`, []any{userID},
		func(sc scanner) error {
			var s backdesk.SessionInfo
			err := sc.Scan(dbTime{&s.CreatedAt}, dbTime{&s.ExpiresAt})
			pd.Sessions = append(pd.Sessions, s)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("export sessions: %w", err)
	}
	var audit []*backdesk.AuditEntry
	if u.PatientID != 0 {
		audit, _, err = db.findAudit(ctx, backdesk.AuditFilter{PatientID: u.PatientID, Page: backdesk.Page{Limit: 1000}})
	} else {
		audit, _, err = db.findAudit(ctx, backdesk.AuditFilter{ActorUserID: userID, Page: backdesk.Page{Limit: 1000}})
	}
	if err != nil {
		return nil, err
	}
	pd.AuditTrail = audit
	// The emails that name the patient, whatever address they went to (a
	// duplicate's merged into the record), and those to the account's
	// address that name nobody: not another record's that shares it.
	msgs, _, err := db.findOutbox(ctx, `WHERE patient_id = $2 OR (patient_id IS NULL AND `+db.d.fold+`(to_addr) = $1)`,
		[]any{strings.ToLower(u.Email), nullID(u.PatientID)}, backdesk.Page{Limit: 1000})
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		pd.Messages = append(pd.Messages, *m)
	}
	return pd, nil
}

// ErasedName replaces the name of an erased patient.
const ErasedName = "Erased patient"

// erasedReason is the reason given for the appointments an erasure
// cancels.
const erasedReason = "Cancelled because the patient's personal details were erased."

// EraseUser removes the account and everything that names it, and erases
// its patient record (erasePatientTx), in one transaction. Clinical records
// (assessments, referrals, notes) stay, linked only to the anonymised
// record. The audit log is not touched: it holds ids and addresses, not
// personal details, and is append-only.
func (db *DB) EraseUser(ctx context.Context, userID int64, audit *backdesk.AuditEntry) ([]*backdesk.Booking, error) {
	now := db.now()
	defer db.endedSessions()
	var cancelled []*backdesk.Booking
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var email string
		var patientID sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT email, patient_id FROM users WHERE id = $1`+db.d.forUpdate, userID).Scan(&email, &patientID)
		if err == sql.ErrNoRows {
			return 0, backdesk.Errorf(backdesk.CodeNotFound, "Account not found.")
		} else if err != nil {
			return 0, fmt.Errorf("erase: find user: %w", err)
		}
		if err := eraseAccountTx(ctx, tx, userID, email); err != nil {
			return 0, err
		}
		if patientID.Valid {
			cancelled, err = db.erasePatientTx(ctx, tx, patientID.Int64, []string{email}, now, audit)
		}
		return 0, err
	}, audit)
	return cancelled, err
}

// ErasePatient erases a patient's personal details at their request, with
// their account if they have one (for patients reception recorded, who
// have no account to erase themselves). As with EraseUser, clinical records
// stay, anonymised. CodeConflict if already erased.
func (db *DB) ErasePatient(ctx context.Context, patientID int64, audit *backdesk.AuditEntry) ([]*backdesk.Booking, error) {
	now := db.now()
	defer db.endedSessions()
	var cancelled []*backdesk.Booking
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var erased nullTime
		err := tx.QueryRowContext(ctx, `SELECT erased_at FROM patients WHERE id = $1`+db.d.forUpdate, patientID).Scan(&erased)
		if err == sql.ErrNoRows {
			return 0, backdesk.Errorf(backdesk.CodeNotFound, "Patient not found.")
		} else if err != nil {
			return 0, fmt.Errorf("erase: find patient: %w", err)
		}
		if erased.valid {
			return 0, backdesk.Errorf(backdesk.CodeConflict, "This record is already erased.")
		}
		var emails []string
		var userID int64
		var email string
		err = tx.QueryRowContext(ctx, `SELECT id, email FROM users WHERE patient_id = $1`, patientID).Scan(&userID, &email)
		if err == nil {
			if err := eraseAccountTx(ctx, tx, userID, email); err != nil {
				return 0, err
			}
			emails = append(emails, email)
		} else if err != sql.ErrNoRows {
			return 0, fmt.Errorf("erase: find account: %w", err)
		}
		cancelled, err = db.erasePatientTx(ctx, tx, patientID, emails, now, audit)
		return 0, err
	}, audit)
	return cancelled, err
}

// eraseAccountTx removes an account with everything that names it: its
// sessions, reset and confirmation links, the counts kept under its email.
func eraseAccountTx(ctx context.Context, tx *sql.Tx, userID int64, email string) error {
	keys := backdesk.EmailKeys(email)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM sessions WHERE user_id = $1`, []any{userID}},
		{`DELETE FROM password_resets WHERE user_id = $1`, []any{userID}},
		{`DELETE FROM email_verifications WHERE user_id = $1`, []any{userID}},
		{`DELETE FROM login_failures WHERE key = $1 OR key = $2`, []any{keys[0], keys[1]}},
		{`DELETE FROM users WHERE id = $1`, []any{userID}},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("erase: %w", err)
		}
	}
	return nil
}

// erasePatientTx erases what names a patient in every table but the audit
// log, given the addresses that are theirs besides the record's own (their
// account's): contact messages they sent (signed in, or from one of their
// addresses) go; so do emails to them and their bookings' emails; the
// reasons they gave for cancelling are blanked; their live bookings that
// have not started are cancelled, freeing the times (returned, for the
// waitlist); their waiting requests end and open offers close; and the
// record keeps only its id, "Erased patient" and when (the history of its
// details keeps only which field changed, by whom and when); the settings
// and records of the emails of their plan go too (eraseHomeProgrammeTx);
// the appointments it cancels are announced to webhooks as any
// cancellation, and then every webhook event naming the patient keeps only
// its type, record id and links (eraseWebhookEventsTx).
// The records merged into it are erased with it, as the same person's.
// Assessments and past appointments stay, linked to the blanked record. A referral booked
// into a cancelled appointment goes back to accepted, as a cancellation
// gives it back, its history naming who erased (audit's actor).
func (db *DB) erasePatientTx(ctx context.Context, tx *sql.Tx, patientID int64, emails []string, now time.Time, audit *backdesk.AuditEntry) ([]*backdesk.Booking, error) {
	// The patient's row is locked first (PostgreSQL): a sweep writing a
	// reminder or questionnaire for them locks it too (patientLiveTx), so
	// it either commits before everything below runs, which then removes
	// what it wrote, or waits and then finds the record erased.
	var own string
	if err := tx.QueryRowContext(ctx, `SELECT email FROM patients WHERE id = $1`+db.d.forUpdate, patientID).Scan(&own); err != nil {
		return nil, fmt.Errorf("erase: find patient: %w", err)
	}
	if err := eraseHomeProgrammeTx(ctx, tx, patientID); err != nil {
		return nil, err
	}
	// Their addresses, folded as searches fold: "'' " never matches, since
	// only addresses that are set are listed.
	addrs := []any{}
	for _, e := range append(emails, own) {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" && !slices.Contains(addrs, any(e)) {
			addrs = append(addrs, e)
		}
	}
	in := "(NULL)"
	if len(addrs) > 0 {
		marks := make([]string, len(addrs))
		for i := range addrs {
			marks[i] = fmt.Sprintf("$%d", i+2)
		}
		in = "(" + strings.Join(marks, ", ") + ")"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE bookings SET cancel_reason = '', idempotency_key = NULL WHERE patient_id = $1`, patientID); err != nil {
		return nil, fmt.Errorf("erase: blank booking reasons: %w", err)
	}
	var ids []int64
	rows, err := tx.QueryContext(ctx, `UPDATE bookings SET status = 'cancelled', cancelled_at = $1, cancel_reason = $2, late_cancellation = false
		WHERE patient_id = $3 AND status = 'booked' AND starts_at > $1 RETURNING id`, formatTime(now), erasedReason, patientID)
	if err != nil {
		return nil, fmt.Errorf("erase: cancel bookings: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("erase: cancel bookings: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("erase: cancel bookings: %w", err)
	}
	for _, q := range []struct {
		what string
		sql  string
		args []any
	}{
		{"end waitlist requests", `UPDATE waitlist_entries SET status = 'cancelled' WHERE patient_id = $1 AND status = 'waiting'`, []any{patientID}},
		{"close offers", `UPDATE waitlist_offers SET status = 'declined' WHERE patient_id = $1 AND status = 'open'`, []any{patientID}},
		{"remove contact messages", `DELETE FROM contact_messages WHERE patient_id = $1 OR ` + db.d.fold + `(email) IN ` + in, append([]any{patientID}, addrs...)},
		// An email that names a patient is theirs, whatever address it
		// went to; the address finds only those that name nobody (an
		// account's, an answer): another record may share the address
		// (a parent's and a child's), and its emails stay.
		{"remove emails", `DELETE FROM outbox WHERE patient_id = $1 OR booking_id IN (SELECT id FROM bookings WHERE patient_id = $1)
			OR (patient_id IS NULL AND ` + db.d.fold + `(to_addr) IN ` + in + `)`, append([]any{patientID}, addrs...)},
		{"blank the record", `UPDATE patients SET name = $1, email = '', phone = '', date_of_birth = '', address = '',
			family_doctor = '', emergency_contact_name = '', emergency_contact_phone = '', search_name = '', erased_at = $2 WHERE id = $3`, []any{ErasedName, formatTime(now), patientID}},
		// The record's history held the old values of the same details.
		{"blank the record's history", `UPDATE patient_changes SET old_value = '', new_value = '' WHERE patient_id = $1`, []any{patientID}},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return nil, fmt.Errorf("erase: %s: %w", q.what, err)
		}
	}
	cancelled := make([]*backdesk.Booking, 0, len(ids))
	for _, id := range ids {
		if err := db.unbookReferralTx(ctx, tx, id, audit); err != nil {
			return nil, err
		}
		// Integrations hear of the cancellation as of any other.
		if err := db.emitBookingTx(ctx, tx, backdesk.EventAppointmentCancelled, id); err != nil {
			return nil, err
		}
		b, err := scanBooking(tx.QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM bookings WHERE id = $1`, id))
		if err != nil {
			return nil, fmt.Errorf("erase: read cancelled booking: %w", err)
		}
		cancelled = append(cancelled, b)
	}
	// Last, so that the events just written are blanked too.
	if err := eraseWebhookEventsTx(ctx, tx, patientID); err != nil {
		return nil, err
	}
	// The records merged into this one are the same person's (and kept
	// their details for an undo): they are erased with it, and theirs.
	var duplicates []int64
	if err := eachRow(ctx, tx, `SELECT id FROM patients WHERE merged_into = $1 AND erased_at IS NULL ORDER BY id`, []any{patientID}, func(sc scanner) error {
		var id int64
		duplicates = append(duplicates, 0)
		err := sc.Scan(&id)
		duplicates[len(duplicates)-1] = id
		return err
	}); err != nil {
		return nil, fmt.Errorf("erase: find merged records: %w", err)
	}
	for _, id := range duplicates {
		more, err := db.erasePatientTx(ctx, tx, id, emails, now, audit)
		if err != nil {
			return nil, err
		}
		cancelled = append(cancelled, more...)
	}
	return cancelled, nil
}
