package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"backdesk"
)

// SetCalendarFeed replaces a practitioner's feed token (revoking the old).
func (db *DB) SetCalendarFeed(ctx context.Context, practitionerID int64, tokenHash string, audit *backdesk.AuditEntry) error {
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO calendar_feeds (practitioner_id, token_hash, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (practitioner_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`,
			practitionerID, tokenHash, formatTime(db.now()))
		if err != nil {
			return 0, fmt.Errorf("set calendar feed: %w", err)
		}
		return practitionerID, nil
	}, audit)
}

// DeleteCalendarFeed revokes a practitioner's feed; none is not an error.
func (db *DB) DeleteCalendarFeed(ctx context.Context, practitionerID int64, audit *backdesk.AuditEntry) error {
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		_, err := tx.ExecContext(ctx, `DELETE FROM calendar_feeds WHERE practitioner_id = $1`, practitionerID)
		return practitionerID, err
	}, audit)
}

// FindCalendarFeed returns the practitioner of a feed token hash.
func (db *DB) FindCalendarFeed(ctx context.Context, tokenHash string) (int64, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT practitioner_id FROM calendar_feeds WHERE token_hash = $1`, tokenHash).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, backdesk.Errorf(backdesk.CodeNotFound, "Calendar feed not found.")
	} else if err != nil {
		return 0, fmt.Errorf("find calendar feed: %w", err)
	}
	return id, nil
}
