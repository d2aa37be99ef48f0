package web

import (
	"net/http"

	"backdesk"
)

type waitlistRequest struct {
	Discipline     backdesk.Discipline `json:"discipline"`
	PractitionerID int64               `json:"practitioner_id,string"`
	ServiceID      int64               `json:"service_id,string"`
	PatientID      int64               `json:"patient_id,string"`
	From           backdesk.Date       `json:"from"`
	To             backdesk.Date       `json:"to"`
	Weekdays       []backdesk.Weekday  `json:"weekdays"`
	Earliest       backdesk.ClockTime  `json:"earliest"`
	Latest         backdesk.ClockTime  `json:"latest"`
}

func (r waitlistRequest) entry() *backdesk.WaitlistEntry {
	return &backdesk.WaitlistEntry{Discipline: r.Discipline, PractitionerID: r.PractitionerID, ServiceID: r.ServiceID, PatientID: r.PatientID,
		From: r.From, To: r.To, Weekdays: r.Weekdays, Earliest: r.Earliest, Latest: r.Latest}
}

func (s *Server) apiWaitlistCreate(w http.ResponseWriter, r *http.Request) error {
	var req waitlistRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	e := req.entry()
	if err := s.svcs.Waitlist.CreateEntry(r.Context(), e); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, e)
}

func (s *Server) apiWaitlistList(w http.ResponseWriter, r *http.Request) error {
	entries, err := s.svcs.Waitlist.FindEntries(r.Context())
	if err != nil {
		return err
	}
	offers, err := s.svcs.Waitlist.FindOffers(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"entries": entries, "offers": offers})
}

func (s *Server) apiWaitlistDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svcs.Waitlist.CancelEntry(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiWaitlistAccept(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.svcs.Waitlist.AcceptOffer(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, b)
}

func (s *Server) apiWaitlistDecline(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svcs.Waitlist.DeclineOffer(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
