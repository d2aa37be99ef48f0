package web

import (
	"net/http"
	"strconv"
	"time"

	"backdesk"
)

// queryTime reads an RFC 3339 time from the query.
func queryTime(r *http.Request, name string) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, backdesk.FieldError(name, "%s must be an RFC 3339 time such as 2026-12-07T09:00:00Z", name)
	}
	return t, nil
}

// apiAvailability answers GET /api/v1/availability with the free slots.
func (s *Server) apiAvailability(w http.ResponseWriter, r *http.Request) error {
	var q backdesk.AvailabilityQuery
	var err error
	if q.ServiceID, err = queryID(r, "service"); err != nil {
		return err
	}
	if q.ServiceID == 0 {
		return backdesk.FieldError("service", "service is required")
	}
	if q.PractitionerID, err = queryID(r, "practitioner"); err != nil {
		return err
	}
	if q.From, err = queryTime(r, "from"); err != nil {
		return err
	}
	if q.To, err = queryTime(r, "to"); err != nil {
		return err
	}
	slots, err := s.svcs.Availability.FindSlots(r.Context(), q)
	if err != nil {
		return err
	}
	return writeBody(w, http.StatusOK, append(appendSlotsJSON(make([]byte, 0, 100*len(slots)+2), slots), '\n'))
}

// appendSlotsJSON appends slots as encoding/json writes them, without its
// reflection: an answer holds hundreds of slots, and a kept answer
// (clinic.AvailabilityCache) is encoded again for every request.
func appendSlotsJSON(b []byte, slots []backdesk.Slot) []byte {
	b = append(b, '[')
	for i, sl := range slots {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"start":"`...)
		b = sl.Start.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","end":"`...)
		b = sl.End.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","practitioner_id":"`...)
		b = strconv.AppendInt(b, sl.PractitionerID, 10)
		b = append(b, `","service_id":"`...)
		b = strconv.AppendInt(b, sl.ServiceID, 10)
		b = append(b, `","location_id":"`...)
		b = strconv.AppendInt(b, sl.LocationID, 10)
		b = append(b, `"}`...)
	}
	return append(b, ']')
}

// apiBookingCreate books; an Idempotency-Key header makes a retry return
// the first answer.
func (s *Server) apiBookingCreate(w http.ResponseWriter, r *http.Request) error {
	var req backdesk.BookingRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	var err error
	if req.IdempotencyKey, err = headerText(r, "Idempotency-Key"); err != nil {
		return err
	}
	b, err := s.svcs.Bookings.CreateBooking(r.Context(), req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/appointments/"+itoa64(b.ID))
	return writeJSON(w, http.StatusCreated, b)
}

func (s *Server) apiBookingList(w http.ResponseWriter, r *http.Request) error {
	var f backdesk.BookingFilter
	var err error
	if f.From, err = queryTime(r, "from"); err != nil {
		return err
	}
	if f.To, err = queryTime(r, "to"); err != nil {
		return err
	}
	if f.PatientID, err = queryID(r, "patient"); err != nil {
		return err
	}
	if f.PractitionerID, err = queryID(r, "practitioner"); err != nil {
		return err
	}
	switch st := backdesk.BookingStatus(r.URL.Query().Get("status")); st {
	case "", backdesk.BookingBooked, backdesk.BookingCancelled:
		f.Status = st
	default:
		return backdesk.FieldError("status", "status must be booked or cancelled")
	}
	list, total, err := s.svcs.Bookings.FindBookings(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"appointments": list, "total": total})
}

func (s *Server) apiBookingGet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.svcs.Bookings.FindBookingByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b)
}

type cancelRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) apiBookingCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req cancelRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
	}
	b, err := s.svcs.Bookings.CancelBooking(r.Context(), id, req.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b)
}

type rescheduleRequest struct {
	Start          time.Time `json:"start"`
	PractitionerID int64     `json:"practitioner_id,string,omitempty"`
}

func (s *Server) apiBookingReschedule(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req rescheduleRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	b, err := s.svcs.Bookings.RescheduleBooking(r.Context(), id, req.Start, req.PractitionerID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b)
}

func (s *Server) apiTimeOffCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var t backdesk.TimeOff
	if err := decodeJSON(r, &t); err != nil {
		return err
	}
	t.PractitionerID = id
	if err := s.svcs.TimeOff.CreateTimeOff(r.Context(), &t); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, t)
}

func (s *Server) apiTimeOffList(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	from, err := queryTime(r, "from")
	if err != nil {
		return err
	}
	to, err := queryTime(r, "to")
	if err != nil {
		return err
	}
	list, err := s.svcs.TimeOff.FindTimeOff(r.Context(), id, from, to)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"time_off": list})
}

func (s *Server) apiTimeOffDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svcs.TimeOff.DeleteTimeOff(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// attendanceRequest is whether the patient came.
type attendanceRequest struct {
	Status backdesk.Attendance `json:"status"`
}

// apiBookingAttendance records arrived, no_show or completed.
func (s *Server) apiBookingAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req attendanceRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	b, err := s.svcs.Bookings.SetAttendance(r.Context(), id, req.Status)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b)
}
