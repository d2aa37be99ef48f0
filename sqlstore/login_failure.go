package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// loginFailureRetention is how long a failure is kept at all; the limits
// look back far less.
const loginFailureRetention = 24 * time.Hour

// RecordLoginFailure notes a failed sign-in under each key, and forgets
// failures under those keys older than a day.
func (db *DB) RecordLoginFailure(ctx context.Context, keys []string, at time.Time) error {
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE key = $1 AND at < $2`, k, formatTime(at.Add(-loginFailureRetention))); err != nil {
				return fmt.Errorf("prune login failures: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, at) VALUES ($1, $2)`, k, formatTime(at)); err != nil {
				return fmt.Errorf("record login failure: %w", err)
			}
		}
		return nil
	})
}

// CountLoginFailures counts failures under key since since and returns the
// oldest of them.
func (db *DB) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, time.Time, error) {
	var n int
	var oldest nullTime
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*), MIN(at) FROM login_failures WHERE key = $1 AND at >= $2`, key, formatTime(since)).Scan(&n, &oldest)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("count login failures: %w", err)
	}
	return n, oldest.t, nil
}

// ClearLoginFailures forgets the failures under key.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE key = $1`, key)
		return err
	})
}
