package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"backdesk"
)

const apiTokenColumns = `id, name, role, COALESCE(created_by, 0), created_at, last_used_at, revoked_at`

func scanAPIToken(sc scanner) (*backdesk.APIToken, error) {
	t := &backdesk.APIToken{}
	var used, revoked nullTime
	err := sc.Scan(&t.ID, &t.Name, &t.Role, &t.CreatedBy, dbTime{&t.CreatedAt}, &used, &revoked)
	t.LastUsedAt, t.RevokedAt = used.ptr(), revoked.ptr()
	return t, err
}

// InsertAPIToken stores t under the hash of its secret.
func (db *DB) InsertAPIToken(ctx context.Context, t *backdesk.APIToken, secretHash string, audit *backdesk.AuditEntry) error {
	t.CreatedAt = db.now()
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (name, role, secret_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			t.Name, string(t.Role), secretHash, nullID(t.CreatedBy), formatTime(t.CreatedAt)).Scan(&t.ID)
		if err != nil {
			if db.d.constraint(err) == uniqueViolation {
				return 0, &backdesk.Error{Code: backdesk.CodeConflict, Message: "A token of that name exists already (names are never reused, so that the audit log names one token).", Field: "name", Err: err}
			}
			return 0, fmt.Errorf("insert api token: %w", err)
		}
		return t.ID, nil
	}, audit)
}

// FindAPITokens lists every token, newest first.
func (db *DB) FindAPITokens(ctx context.Context) ([]*backdesk.APIToken, error) {
	out := []*backdesk.APIToken{}
	err := eachRow(ctx, db.read, `SELECT `+apiTokenColumns+` FROM api_tokens ORDER BY id DESC`, nil, func(sc scanner) error {
		t, err := scanAPIToken(sc)
		out = append(out, t)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find api tokens: %w", err)
	}
	return out, nil
}

// FindAPITokenByHash reads the token of a secret's hash, revoked or not
// (TouchAPIToken refuses a revoked one again in its transaction).
func (db *DB) FindAPITokenByHash(ctx context.Context, secretHash string) (*backdesk.APIToken, error) {
	t, err := scanAPIToken(db.read.QueryRowContext(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE secret_hash = $1`, secretHash))
	if err == sql.ErrNoRows {
		return nil, backdesk.Errorf(backdesk.CodeNotFound, "API token not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find api token: %w", err)
	}
	return t, nil
}

// RevokeAPIToken marks a token revoked; a token revoked already keeps its
// first revocation time.
func (db *DB) RevokeAPIToken(ctx context.Context, id int64, at time.Time, audit *backdesk.AuditEntry) error {
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`, formatTime(at), id)
		if err != nil {
			return 0, fmt.Errorf("revoke api token: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return 0, backdesk.Errorf(backdesk.CodeNotFound, "API token not found.")
		}
		return id, nil
	}, audit)
}

// TouchAPIToken records a use of a live token with its audit line.
func (db *DB) TouchAPIToken(ctx context.Context, id int64, at time.Time, audit *backdesk.AuditEntry) error {
	return db.change(ctx, func(ctx context.Context, tx *sql.Tx) (int64, error) {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 AND revoked_at IS NULL`, formatTime(at), id)
		if err != nil {
			return 0, fmt.Errorf("touch api token: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return 0, backdesk.Errorf(backdesk.CodeUnauthorized, "The API token has been revoked.")
		}
		return 0, nil
	}, audit)
}
