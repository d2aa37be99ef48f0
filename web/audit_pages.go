package web

import (
	"net/http"
	"strconv"

	"backdesk"
)

type auditListPage struct {
	Layout
	Entries []*backdesk.AuditEntry
	Names   *backdesk.AuditNames
	Actions []backdesk.AuditAction
	Total   int
	Query   map[string]string
	Next    string
}

// pageAuditList is the audit log for admins, filterable by patient, actor,
// action and time.
func (s *Server) pageAuditList(w http.ResponseWriter, r *http.Request) error {
	if err := s.svcs.Access.Authorize(r.Context(), backdesk.PermReadAudit); err != nil {
		return err
	}
	page := auditListPage{Layout: s.layout(r, "Audit log"), Actions: backdesk.AuditActions}
	f, err := auditFilter(r, zoneOf(page.Clinic))
	if err != nil {
		return err
	}
	if f.Limit == 0 {
		f.Limit = 100
	}
	if page.Entries, page.Total, err = s.svcs.Audit.FindAuditEntries(r.Context(), f); err != nil {
		return err
	}
	if page.Names, err = s.svcs.Audit.AuditNames(r.Context(), page.Entries); err != nil {
		return err
	}
	entries, total := page.Entries, page.Total
	q := r.URL.Query()
	page.Query = map[string]string{"patient": q.Get("patient"), "actor": q.Get("actor"), "action": q.Get("action"), "from": q.Get("from"),
		"to": q.Get("to"), "person": q.Get("person")}
	if f.Offset+len(entries) < total {
		q.Set("offset", strconv.Itoa(f.Offset+len(entries)))
		page.Next = "/admin/audit?" + q.Encode()
	}
	return s.render(w, r, http.StatusOK, "audit_list", page)
}

type outboxListPage struct {
	Layout
	Messages       []*backdesk.OutboxMessage
	Total          int
	MailConfigured bool
}

func (s *Server) pageOutboxList(w http.ResponseWriter, r *http.Request) error {
	msgs, total, err := s.svcs.Outbox.FindOutboxMessages(r.Context(), backdesk.Page{Limit: 200})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "outbox_list", outboxListPage{Layout: s.layout(r, "Outbox"), Messages: msgs, Total: total, MailConfigured: s.cfg.MailConfigured})
}
