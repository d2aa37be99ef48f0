package web

import (
	"net/http"

	"backdesk"
)

// webhookRequest is a new endpoint.
type webhookRequest struct {
	URL         string               `json:"url"`
	Description string               `json:"description"`
	Events      []backdesk.EventType `json:"events"`
	// Enabled defaults to true.
	Enabled *bool `json:"enabled"`
}

// apiWebhookCreate adds an endpoint; its signing secret is in this answer
// only.
func (s *Server) apiWebhookCreate(w http.ResponseWriter, r *http.Request) error {
	var req webhookRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	e := backdesk.WebhookEndpoint{URL: req.URL, Description: req.Description, Events: req.Events, Enabled: req.Enabled == nil || *req.Enabled}
	created, err := s.svcs.Webhooks.CreateWebhookEndpoint(r.Context(), &e)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/webhooks/"+itoa64(created.ID))
	return writeJSON(w, http.StatusCreated, created)
}

func (s *Server) apiWebhookList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svcs.Webhooks.FindWebhookEndpoints(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"webhooks": list})
}

func (s *Server) apiWebhookGet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.svcs.Webhooks.FindWebhookEndpointByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}

func (s *Server) apiWebhookUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var upd backdesk.WebhookEndpointUpdate
	if err := decodeJSON(r, &upd); err != nil {
		return err
	}
	e, err := s.svcs.Webhooks.UpdateWebhookEndpoint(r.Context(), id, upd)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}

func (s *Server) apiWebhookDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svcs.Webhooks.DeleteWebhookEndpoint(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiWebhookDeliveries(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	page, err := queryPage(r)
	if err != nil {
		return err
	}
	list, total, err := s.svcs.Webhooks.FindWebhookDeliveries(r.Context(), id, page)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"deliveries": list, "total": total})
}

func (s *Server) apiWebhookResend(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.svcs.Webhooks.ResendWebhookDelivery(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}
