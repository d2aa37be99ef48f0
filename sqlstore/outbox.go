package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"backdesk"
)

func insertOutbox(ctx context.Context, tx *sql.Tx, m *backdesk.OutboxMessage) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO outbox (kind, to_addr, subject, body, sensitive, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		m.Kind, m.To, m.Subject, m.Body, m.Sensitive, formatTime(m.CreatedAt)).Scan(&m.ID)
	if err != nil {
		return fmt.Errorf("insert outbox message: %w", err)
	}
	return nil
}

// withheld replaces the body of a sensitive message shown to anyone but its
// recipient's mailbox.
const withheld = "[withheld: this message holds a private link for its recipient only]"

// FindOutboxMessages lists messages newest first; reception and admin only.
// Bodies of sensitive messages are withheld.
func (db *DB) FindOutboxMessages(ctx context.Context, p backdesk.Page) ([]*backdesk.OutboxMessage, int, error) {
	if err := backdesk.RequireRole(ctx, backdesk.RoleReception, backdesk.RoleAdmin); err != nil {
		return nil, 0, err
	}
	return db.findOutbox(ctx, `WHERE 1 = 1`, nil, p)
}

func (db *DB) findOutbox(ctx context.Context, where string, args []any, p backdesk.Page) ([]*backdesk.OutboxMessage, int, error) {
	out := []*backdesk.OutboxMessage{}
	total := 0
	err := eachRow(ctx, db.read, `SELECT id, kind, to_addr, subject, body, sensitive, created_at, sent_at, COUNT(*) OVER ()
		FROM outbox `+where+` ORDER BY created_at DESC, id DESC `+limitOffset(p, 100, 1000), args,
		func(sc scanner) error {
			m := &backdesk.OutboxMessage{}
			var sent nullTime
			if err := sc.Scan(&m.ID, &m.Kind, &m.To, &m.Subject, &m.Body, &m.Sensitive, dbTime{&m.CreatedAt}, &sent, &total); err != nil {
				return err
			}
			m.SentAt = sent.ptr()
			if m.Sensitive {
				m.Body = withheld
			}
			out = append(out, m)
			return nil
		})
	if err != nil {
		return nil, 0, fmt.Errorf("find outbox: %w", err)
	}
	return out, total, nil
}
