package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"backdesk"
	"backdesk/ical"
)

// feedURL is where a feed token is served: under the site's public
// address, never the request's Host header (which the client writes).
func (s *Server) feedURL(token string) string {
	return strings.TrimRight(s.cfg.BaseURL, "/") + "/calendar/" + token + ".ics"
}

func (s *Server) apiCalendarFeedCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	token, err := s.svcs.Calendar.CreateFeed(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]string{"url": s.feedURL(token)})
}

func (s *Server) apiCalendarFeedRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svcs.Calendar.RevokeFeed(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// serveCalendarFeed answers a calendar app: the practitioner's bookings, no
// patient named (the URL may end up in a third-party calendar service).
func (s *Server) serveCalendarFeed(w http.ResponseWriter, r *http.Request) error {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		return backdesk.Errorf(backdesk.CodeNotFound, "Not found.")
	}
	p, list, err := s.svcs.Calendar.FeedBookings(r.Context(), token)
	if err != nil {
		return err
	}
	c, err := s.loadCatalogue(r.Context(), false)
	if err != nil {
		return err
	}
	loc := time.UTC
	var events []ical.Event
	for _, b := range list {
		if b.Moved() {
			continue // its new time carries the event, under the same UID
		}
		ev := ical.Event{UID: fmt.Sprintf("booking-%d@backdesk", b.CalendarSeries()), Start: b.Start, End: b.End, Stamp: b.CreatedAt, Sequence: b.Sequence,
			Summary: fmt.Sprintf("Appointment %d", b.ID), Description: fmt.Sprintf("Booking %d. Patient details are in backdesk.", b.ID),
			Cancelled: b.Status == backdesk.BookingCancelled}
		if o := c.Offering(b.ServiceID); o != nil {
			ev.Summary = fmt.Sprintf("%s (booking %d)", o.Name, b.ID)
		}
		if l := c.Location(b.LocationID); l != nil {
			ev.Location = l.Name
			loc = inZone(b.Start, l).Location()
		}
		if b.CancelledAt != nil {
			ev.Stamp, ev.Sequence = *b.CancelledAt, b.Sequence+1
		}
		events = append(events, ev)
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, err = w.Write(ical.Calendar(prodID, p.Name+" — "+s.cfg.ClinicName, loc, events))
	return err
}

type feedPage struct {
	Layout
	URL string
}

// pageCalendarFeedCreate makes or renews the signed-in practitioner's feed
// and shows its URL once.
func (s *Server) pageCalendarFeedCreate(w http.ResponseWriter, r *http.Request) error {
	a := backdesk.ActorFromContext(r.Context())
	token, err := s.svcs.Calendar.CreateFeed(r.Context(), a.PractitionerID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "calendar_feed", feedPage{Layout: s.layout(r, "Your calendar feed"), URL: s.feedURL(token)})
}

func (s *Server) pageCalendarFeedRevoke(w http.ResponseWriter, r *http.Request) error {
	a := backdesk.ActorFromContext(r.Context())
	if err := s.svcs.Calendar.RevokeFeed(r.Context(), a.PractitionerID); err != nil {
		return err
	}
	s.redirect(w, r, "/account", "Your calendar feed is switched off; its address no longer works.")
	return nil
}
