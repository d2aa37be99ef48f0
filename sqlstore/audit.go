package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"backdesk"
)

const auditColumns = `at, actor_user_id, actor_role, actor_name, action, patient_id, resource, resource_id, source`

// insertAuditQuery writes one audit line.
const insertAuditQuery = `INSERT INTO audit_log (` + auditColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`

// chainedAuditQuery is insertAuditQuery in a chain: an empty resource id
// becomes the chain's new row.
const chainedAuditQuery = `INSERT INTO audit_log (` + auditColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE(NULLIF($8, ''), CAST(` + newRow + ` AS TEXT)), $9)`

// auditStmt is the statement that writes e, stamped at.
func auditStmt(e *backdesk.AuditEntry, at time.Time, chained bool) stmt {
	e.At = at
	q := insertAuditQuery
	if chained {
		q = chainedAuditQuery
	}
	return stmt{q, []any{formatTime(e.At), nullID(e.ActorUserID), string(e.ActorRole), e.ActorName, string(e.Action), nullID(e.PatientID),
		e.Resource, e.ResourceID, e.Source}}
}

// insertAuditTx writes e in tx; it fills At.
func (db *DB) insertAuditTx(ctx context.Context, tx *sql.Tx, e *backdesk.AuditEntry) error {
	s := auditStmt(e, db.now(), false)
	if _, err := db.exec(ctx, tx, s.sql, s.args...); err != nil {
		return fmt.Errorf("insert audit: %w", err)
	}
	return nil
}

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// InsertAudit appends e, the audit line of a read, to the audit log; it
// fills ID and At.
func (db *DB) InsertAudit(ctx context.Context, e *backdesk.AuditEntry) error {
	return db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		s := auditStmt(e, db.now(), false)
		if err := db.queryRow(ctx, tx, s.sql+` RETURNING id`, s.args...).Scan(&e.ID); err != nil {
			return fmt.Errorf("insert audit: %w", err)
		}
		return nil
	})
}

// FindAuditEntries returns matching entries newest first, and the total.
func (db *DB) FindAuditEntries(ctx context.Context, f backdesk.AuditFilter) ([]*backdesk.AuditEntry, int, error) {
	return db.findAudit(ctx, f)
}

func (db *DB) findAudit(ctx context.Context, f backdesk.AuditFilter) ([]*backdesk.AuditEntry, int, error) {
	var w where
	if f.PatientID != 0 {
		w.add(`patient_id = $%d`, f.PatientID)
	}
	if f.ActorUserID != 0 {
		w.add(`actor_user_id = $%d`, f.ActorUserID)
	}
	if f.Action != "" {
		w.add(`action = $%d`, string(f.Action))
	}
	if q := strings.TrimSpace(f.Person); q != "" {
		// The actor's account by name or email, or the patient by name.
		pattern := "%" + likeEscaper.Replace(strings.ToLower(q)) + "%"
		folded := pattern
		if k := backdesk.FoldText(q); k != "" {
			folded = "%" + likeEscaper.Replace(k) + "%"
		}
		w.addArgs(`(actor_user_id IN (SELECT id FROM users WHERE `+db.d.fold+`(name) LIKE $%[1]d ESCAPE '\' OR email LIKE $%[1]d ESCAPE '\')
			OR patient_id IN (SELECT id FROM patients WHERE search_name LIKE $%[2]d ESCAPE '\' OR email LIKE $%[1]d ESCAPE '\'))`, pattern, folded)
	}
	if !f.From.IsZero() {
		w.add(`at >= $%d`, formatTime(f.From))
	}
	if !f.To.IsZero() {
		w.add(`at < $%d`, formatTime(f.To))
	}
	out := []*backdesk.AuditEntry{}
	total := 0
	err := eachRow(ctx, db.read, `SELECT id, at, COALESCE(actor_user_id, 0), actor_role, actor_name, action, COALESCE(patient_id, 0), resource, resource_id, source,
		COUNT(*) OVER () FROM audit_log `+w.sql()+` ORDER BY at DESC, id DESC `+limitOffset(f.Page, 100, 1000), w.args,
		func(sc scanner) error {
			e := &backdesk.AuditEntry{}
			err := sc.Scan(&e.ID, dbTime{&e.At}, &e.ActorUserID, &e.ActorRole, &e.ActorName, &e.Action, &e.PatientID, &e.Resource, &e.ResourceID, &e.Source, &total)
			out = append(out, e)
			return err
		})
	if err == nil {
		err = totalPastEnd(ctx, db.read, len(out), f.Page, `audit_log `+w.sql(), w.args, &total)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("find audit entries: %w", err)
	}
	return out, total, nil
}

// limitOffset renders a page, with a default and a maximum limit.
func limitOffset(p backdesk.Page, def, max int) string {
	limit := p.Limit
	if limit <= 0 {
		limit = def
	}
	if limit > max {
		limit = max
	}
	offset := p.Offset
	if offset < 0 {
		offset = 0
	}
	return fmt.Sprintf("LIMIT %d OFFSET %d", limit, offset)
}

// AuditNames reads the names of the accounts and patients an audit page
// names.
func (db *DB) AuditNames(ctx context.Context, userIDs, patientIDs []int64) (*backdesk.AuditNames, error) {
	out := &backdesk.AuditNames{Users: map[int64]string{}, Patients: map[int64]string{}}
	for _, q := range []struct {
		table string
		ids   []int64
		into  map[int64]string
	}{{"users", userIDs, out.Users}, {"patients", patientIDs, out.Patients}} {
		for _, id := range q.ids {
			if _, done := q.into[id]; done || id == 0 {
				continue
			}
			var name string
			err := db.read.QueryRowContext(ctx, `SELECT name FROM `+q.table+` WHERE id = $1`, id).Scan(&name)
			if err == sql.ErrNoRows {
				continue
			} else if err != nil {
				return nil, fmt.Errorf("audit names: %w", err)
			}
			q.into[id] = name
		}
	}
	return out, nil
}
