package web

import (
	"net/http"

	"backdesk"
)

// dayQuery reads ?date=YYYY-MM-DD (today when absent) and ?practitioner=.
func dayQuery(r *http.Request) (int64, backdesk.Date, error) {
	var d backdesk.Date
	pid, err := queryID(r, "practitioner")
	if err != nil {
		return 0, d, err
	}
	if v := r.URL.Query().Get("date"); v != "" {
		if d, err = backdesk.ParseDate(v); err != nil {
			return 0, d, backdesk.FieldError("date", "date must be a date such as 2026-11-24")
		}
	}
	return pid, d, nil
}

func (s *Server) apiDay(w http.ResponseWriter, r *http.Request) error {
	pid, d, err := dayQuery(r)
	if err != nil {
		return err
	}
	day, err := s.svcs.Day.FindDay(r.Context(), pid, d)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, day)
}
