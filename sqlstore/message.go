package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"backdesk"
)

const messageColumns = `id, name, email, phone, body, COALESCE(patient_id, 0), created_at, answer, COALESCE(answered_by, 0), answered_at`

func scanMessage(sc scanner) (*backdesk.ContactMessage, error) {
	m := &backdesk.ContactMessage{}
	var answered nullTime
	err := sc.Scan(&m.ID, &m.Name, &m.Email, &m.Phone, &m.Body, &m.PatientID, dbTime{&m.CreatedAt}, &m.Answer, &m.AnsweredBy, &answered)
	m.AnsweredAt = answered.ptr()
	return m, err
}

// InsertMessage stores a contact message; it fills ID and CreatedAt.
func (db *DB) InsertMessage(ctx context.Context, m *backdesk.ContactMessage, audit *backdesk.AuditEntry) error {
	m.CreatedAt = db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO contact_messages (name, email, phone, body, patient_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			m.Name, m.Email, m.Phone, m.Body, nullID(m.PatientID), formatTime(m.CreatedAt)).Scan(&m.ID)
		return m.ID, err
	}, audit)
}

// FindMessages lists messages newest first, unanswered only if asked.
func (db *DB) FindMessages(ctx context.Context, f backdesk.MessageFilter) ([]*backdesk.ContactMessage, int, error) {
	where := `WHERE 1 = 1`
	if f.Unanswered {
		where += ` AND answered_at IS NULL`
	}
	out := []*backdesk.ContactMessage{}
	total := 0
	err := eachRow(ctx, db.read, `SELECT `+messageColumns+`, COUNT(*) OVER () FROM contact_messages `+where+` ORDER BY id DESC `+limitOffset(f.Page, 100, 1000), nil,
		func(sc scanner) error {
			m, err := scanMessage(scanWithTotal{sc, &total})
			out = append(out, m)
			return err
		})
	if err == nil {
		err = totalPastEnd(ctx, db.read, len(out), f.Page, `contact_messages `+where, nil, &total)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("find messages: %w", err)
	}
	return out, total, nil
}

// FindMessageByID returns CodeNotFound if there is no such message.
func (db *DB) FindMessageByID(ctx context.Context, id int64) (*backdesk.ContactMessage, error) {
	m, err := scanMessage(db.read.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM contact_messages WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "Message not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find message: %w", err)
	}
	return m, nil
}

// AnswerMessage records the first answer and writes the reply email.
func (db *DB) AnswerMessage(ctx context.Context, id int64, answer string, by int64, at time.Time, reply *backdesk.OutboxMessage, audit *backdesk.AuditEntry) (*backdesk.ContactMessage, error) {
	err := db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		res, err := tx.ExecContext(ctx, `UPDATE contact_messages SET answer = $1, answered_by = $2, answered_at = $3 WHERE id = $4 AND answered_at IS NULL`,
			answer, nullID(by), formatTime(at), id)
		if err != nil {
			return 0, fmt.Errorf("answer message: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			var exists int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM contact_messages WHERE id = $1`, id).Scan(&exists); err != nil {
				return 0, fmt.Errorf("answer message: %w", err)
			}
			if exists == 0 {
				return 0, backdesk.Errorf(backdesk.CodeNotFound, "Message not found.")
			}
			return 0, backdesk.Errorf(backdesk.CodeConflict, "That message has already been answered.")
		}
		if reply != nil {
			reply.CreatedAt = db.now()
			return id, db.insertOutbox(ctx, tx, reply)
		}
		return id, nil
	}, audit)
	if err != nil {
		return nil, err
	}
	return db.FindMessageByID(ctx, id)
}
