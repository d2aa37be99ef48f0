package web

import (
	"net/http"

	"backdesk"
)

// webhookForm is an endpoint's form as typed.
type webhookForm struct {
	URL, Description string
	Events           []backdesk.EventType
	Enabled          bool
}

func (f webhookForm) Has(t backdesk.EventType) bool {
	for _, e := range f.Events {
		if e == t {
			return true
		}
	}
	return false
}

func readWebhookForm(r *http.Request) (webhookForm, error) {
	f, err := parseForm(r)
	if err != nil {
		return webhookForm{}, err
	}
	wf := webhookForm{URL: f.Get("url"), Description: f.Get("description"), Enabled: f.Get("enabled") != ""}
	for _, e := range f.Values["events"] {
		wf.Events = append(wf.Events, backdesk.EventType(e))
	}
	return wf, nil
}

type webhookListPage struct {
	Layout
	Endpoint     *backdesk.WebhookEndpoint // none: the form adds one
	Endpoints    []*backdesk.WebhookEndpoint
	EventTypes   []backdesk.EventType
	AllowPrivate bool
	// New is the endpoint just added, with its secret: shown here only.
	New  *backdesk.NewWebhookEndpoint
	Form webhookForm
	Err  *backdesk.Error
}

func (s *Server) webhookListPage(r *http.Request) (webhookListPage, error) {
	list, err := s.svcs.Webhooks.FindWebhookEndpoints(r.Context())
	if err != nil {
		return webhookListPage{}, err
	}
	return webhookListPage{Layout: s.layout(r, "Webhooks"), Endpoints: list, EventTypes: backdesk.EventTypes, AllowPrivate: s.cfg.AllowPrivateWebhooks,
		Form: webhookForm{Enabled: true}}, nil
}

// pageWebhookList lists the endpoints, with the form that adds one.
func (s *Server) pageWebhookList(w http.ResponseWriter, r *http.Request) error {
	page, err := s.webhookListPage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "webhook_list", page)
}

// pageWebhookCreate adds an endpoint and shows its secret, this once.
func (s *Server) pageWebhookCreate(w http.ResponseWriter, r *http.Request) error {
	wf, err := readWebhookForm(r)
	if err != nil {
		return err
	}
	e := backdesk.WebhookEndpoint{URL: wf.URL, Description: wf.Description, Events: wf.Events, Enabled: wf.Enabled}
	created, err := s.svcs.Webhooks.CreateWebhookEndpoint(r.Context(), &e)
	page, perr := s.webhookListPage(r)
	if perr != nil {
		return perr
	}
	if err != nil {
		return s.rerender(w, r, err, "webhook_list", func(e *backdesk.Error) any {
			page.Form, page.Err = wf, e
			return page
		})
	}
	page.New = created
	return s.render(w, r, http.StatusOK, "webhook_list", page)
}

type webhookViewPage struct {
	Layout
	Endpoint   *backdesk.WebhookEndpoint
	EventTypes []backdesk.EventType
	Form       webhookForm
	Err        *backdesk.Error
	Deliveries []*backdesk.WebhookDelivery
	Total      int
}

func (s *Server) webhookViewPage(r *http.Request, id int64) (webhookViewPage, error) {
	ctx := r.Context()
	e, err := s.svcs.Webhooks.FindWebhookEndpointByID(ctx, id)
	if err != nil {
		return webhookViewPage{}, err
	}
	ds, total, err := s.svcs.Webhooks.FindWebhookDeliveries(ctx, id, backdesk.Page{Limit: 100})
	if err != nil {
		return webhookViewPage{}, err
	}
	return webhookViewPage{Layout: s.layout(r, "Webhook endpoint"), Endpoint: e, EventTypes: backdesk.EventTypes, Deliveries: ds, Total: total,
		Form: webhookForm{URL: e.URL, Description: e.Description, Events: e.Events, Enabled: e.Enabled}}, nil
}

// pageWebhookView is one endpoint: its settings, and its latest deliveries
// with their status and attempts.
func (s *Server) pageWebhookView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	page, err := s.webhookViewPage(r, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "webhook_view", page)
}

// pageWebhookUpdate saves an endpoint's settings.
func (s *Server) pageWebhookUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	wf, err := readWebhookForm(r)
	if err != nil {
		return err
	}
	events := wf.Events
	if _, err := s.svcs.Webhooks.UpdateWebhookEndpoint(r.Context(), id, backdesk.WebhookEndpointUpdate{URL: &wf.URL, Description: &wf.Description,
		Events: &events, Enabled: &wf.Enabled}); err != nil {
		page, perr := s.webhookViewPage(r, id)
		if perr != nil {
			return perr
		}
		return s.rerender(w, r, err, "webhook_view", func(e *backdesk.Error) any {
			page.Form, page.Err = wf, e
			return page
		})
	}
	s.redirect(w, r, "/admin/webhooks/"+itoa64(id), "Saved.")
	return nil
}

// pageWebhookDelete removes an endpoint and its deliveries.
func (s *Server) pageWebhookDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svcs.Webhooks.DeleteWebhookEndpoint(r.Context(), id); err != nil {
		return err
	}
	s.redirect(w, r, "/admin/webhooks", "Endpoint removed, with its deliveries.")
	return nil
}

// pageWebhookResend sends a delivery again.
func (s *Server) pageWebhookResend(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.svcs.Webhooks.ResendWebhookDelivery(r.Context(), id)
	if err != nil {
		return err
	}
	s.redirect(w, r, "/admin/webhooks/"+itoa64(d.EndpointID), "Delivery "+itoa64(d.ID)+" will be sent again shortly, with the same webhook-id.")
	return nil
}
