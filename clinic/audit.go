package clinic

import (
	"context"

	"backdesk"
)

// AuditService implements backdesk.AuditService: admins read the log.
type AuditService struct {
	Store backdesk.AuditStore
}

var _ backdesk.AuditService = (*AuditService)(nil)

// FindAuditEntries returns matching entries, newest first.
func (s *AuditService) FindAuditEntries(ctx context.Context, f backdesk.AuditFilter) ([]*backdesk.AuditEntry, int, error) {
	if _, err := require(ctx, backdesk.PermReadAudit); err != nil {
		return nil, 0, err
	}
	return s.Store.FindAuditEntries(ctx, f)
}

// AuditNames are the names of the accounts and patients entries name;
// admins only.
func (s *AuditService) AuditNames(ctx context.Context, entries []*backdesk.AuditEntry) (*backdesk.AuditNames, error) {
	if _, err := require(ctx, backdesk.PermReadAudit); err != nil {
		return nil, err
	}
	var users, patients []int64
	for _, e := range entries {
		users, patients = append(users, e.ActorUserID), append(patients, e.PatientID)
	}
	return s.Store.AuditNames(ctx, users, patients)
}

// auditRead writes the audit line of a read of a patient's records before
// the records are handed out: a read whose line cannot be written is
// refused. A patient reading their own records writes none.
func auditRead(ctx context.Context, w backdesk.AuditWriter, action backdesk.AuditAction, patientID int64, resource, id string) error {
	a := backdesk.ActorFromContext(ctx)
	if !auditedRead(a, patientID) {
		return nil
	}
	return w.InsertAudit(ctx, backdesk.NewAuditEntry(a, action, patientID, resource, id))
}
