package mock

import (
	"context"

	"backdesk"
)

var _ backdesk.AuditWriter = (*AuditWriter)(nil)

// AuditWriter mocks backdesk.AuditWriter; Entries records what was written
// when InsertAuditFn is nil.
type AuditWriter struct {
	InsertAuditFn func(ctx context.Context, e *backdesk.AuditEntry) error
	Entries       []backdesk.AuditEntry
}

func (w *AuditWriter) InsertAudit(ctx context.Context, e *backdesk.AuditEntry) error {
	if w.InsertAuditFn != nil {
		return w.InsertAuditFn(ctx, e)
	}
	w.Entries = append(w.Entries, *e)
	return nil
}
