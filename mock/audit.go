package mock

import (
	"context"

	"backdesk"
)

var _ backdesk.AuditService = (*AuditService)(nil)

// AuditService mocks backdesk.AuditService.
type AuditService struct {
	FindAuditEntriesFn func(ctx context.Context, f backdesk.AuditFilter) ([]*backdesk.AuditEntry, int, error)
}

func (s *AuditService) FindAuditEntries(ctx context.Context, f backdesk.AuditFilter) ([]*backdesk.AuditEntry, int, error) {
	return s.FindAuditEntriesFn(ctx, f)
}

var _ backdesk.AuditStore = (*AuditStore)(nil)

// AuditStore mocks backdesk.AuditStore.
type AuditStore struct {
	FindAuditEntriesFn func(ctx context.Context, f backdesk.AuditFilter) ([]*backdesk.AuditEntry, int, error)
	InsertAuditFn      func(ctx context.Context, e *backdesk.AuditEntry) error
}

func (s *AuditStore) FindAuditEntries(ctx context.Context, f backdesk.AuditFilter) ([]*backdesk.AuditEntry, int, error) {
	return s.FindAuditEntriesFn(ctx, f)
}

func (s *AuditStore) InsertAudit(ctx context.Context, e *backdesk.AuditEntry) error {
	return s.InsertAuditFn(ctx, e)
}

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
