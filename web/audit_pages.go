package web

import (
	"net/http"
	"strconv"

	"backdesk"
)

type auditListPage struct {
	Layout
	Entries []*backdesk.AuditEntry
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
	f, err := auditFilter(r)
	if err != nil {
		return err
	}
	if f.Limit == 0 {
		f.Limit = 100
	}
	entries, total, err := s.svcs.Audit.FindAuditEntries(r.Context(), f)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page := auditListPage{Layout: s.layout(r, "Audit log"), Entries: entries, Total: total,
		Query: map[string]string{"patient": q.Get("patient"), "actor": q.Get("actor"), "action": q.Get("action"), "from": q.Get("from"), "to": q.Get("to")}}
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
