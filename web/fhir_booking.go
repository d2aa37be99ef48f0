package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"backdesk"
	"backdesk/r4"
)

// Booking over FHIR, the IHE ITI Scheduling way: Appointment/$find
// proposes appointments for the free slots of a service in a time range,
// and Appointment/$book books one through the very path of POST
// /api/v1/appointments (BookingService.CreateBooking: every check made
// again, the database's guarantee against double booking, Idempotency-Key).

// fhirParameters is the Parameters resource of an operation, read for the
// value types the operations take.
type fhirParameters struct {
	ResourceType string `json:"resourceType"`
	Parameter    []struct {
		Name           string          `json:"name"`
		ValueDateTime  *string         `json:"valueDateTime"`
		ValueInstant   *string         `json:"valueInstant"`
		ValueDate      *string         `json:"valueDate"`
		ValueString    *string         `json:"valueString"`
		ValueReference *fhirReference  `json:"valueReference"`
		Resource       json.RawMessage `json:"resource"`
	} `json:"parameter"`
}

type fhirReference struct {
	Reference string `json:"reference"`
}

// operationParams reads an operation's input: the query of a GET, the
// Parameters body of a POST (application/fhir+json or application/json).
// Values are strings (a reference is its "Type/id"); resources are kept
// as they came. A parameter that is not one of names is CodeInvalid.
func operationParams(r *http.Request, names []string) (url.Values, map[string]json.RawMessage, error) {
	values, resources := url.Values{}, map[string]json.RawMessage{}
	check := func(name string) error {
		if !slices.Contains(names, name) && !slices.Contains(resultParams, name) {
			return backdesk.FieldError(name, "%s is not a parameter of this operation; its parameters are %s", name, strings.Join(names, ", "))
		}
		return nil
	}
	for k, vs := range r.URL.Query() {
		if err := check(k); err != nil {
			return nil, nil, err
		}
		values[k] = vs
	}
	if r.Method != http.MethodPost {
		return values, resources, nil
	}
	// The body is FHIR JSON (application/fhir+json, or application/json),
	// its text checked as every JSON body is (web/input.go); a POST may
	// also send nothing and give its parameters in the query.
	if r.ContentLength == 0 && r.Header.Get("Content-Type") == "" {
		return values, resources, nil
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		return nil, nil, errNotFHIRJSON
	}
	body, err := readBody(r)
	if err != nil {
		return nil, nil, err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return values, resources, nil
	}
	if err := checkJSONText(body); err != nil {
		return nil, nil, err
	}
	var p fhirParameters
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, nil, backdesk.Errorf(backdesk.CodeInvalid, "The body must be a Parameters resource: %s.", strings.TrimPrefix(err.Error(), "json: "))
	}
	if p.ResourceType != "Parameters" {
		return nil, nil, backdesk.Errorf(backdesk.CodeInvalid, "The body must be a Parameters resource, not %q.", p.ResourceType)
	}
	for _, x := range p.Parameter {
		if err := check(x.Name); err != nil {
			return nil, nil, err
		}
		switch {
		case x.Resource != nil:
			resources[x.Name] = x.Resource
		case x.ValueReference != nil:
			values.Add(x.Name, x.ValueReference.Reference)
		case x.ValueDateTime != nil:
			values.Add(x.Name, *x.ValueDateTime)
		case x.ValueInstant != nil:
			values.Add(x.Name, *x.ValueInstant)
		case x.ValueDate != nil:
			values.Add(x.Name, *x.ValueDate)
		case x.ValueString != nil:
			values.Add(x.Name, *x.ValueString)
		default:
			return nil, nil, backdesk.FieldError(x.Name, "%s has no value of a type this operation reads", x.Name)
		}
	}
	return values, resources, nil
}

// operationRef reads a reference parameter to typ; 0 when absent.
func operationRef(v url.Values, name, typ string, required bool) (int64, error) {
	s := v.Get(name)
	if s == "" {
		if required {
			return 0, backdesk.FieldError(name, "%s is required (%s/{id})", name, typ)
		}
		return 0, nil
	}
	id, err := r4.Reference(s, typ)
	if err != nil {
		return 0, backdesk.FieldError(name, "%v", err)
	}
	n, ok := r4.NumericID(id)
	if !ok {
		return 0, backdesk.FieldError(name, "%s names no %s of this clinic", name, typ)
	}
	return n, nil
}

// operationTime reads a required dateTime parameter.
func operationTime(v url.Values, name string) (time.Time, error) {
	s := v.Get(name)
	if s == "" {
		return time.Time{}, backdesk.FieldError(name, "%s is required, as a dateTime with its offset (2026-03-23T09:00:00Z)", name)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, backdesk.FieldError(name, "%s must be a dateTime with its offset, such as 2026-03-23T09:00:00Z", name)
	}
	return t, nil
}

var findParams = []string{"start", "end", "service", "practitioner", "location-reference", "patient-reference"}

// fhirFind serves Appointment/$find: the free slots of a service between
// start and end (optionally with one practitioner, at one location), as
// proposed appointments.
func (s *Server) fhirFind(w http.ResponseWriter, r *http.Request) error {
	v, _, err := operationParams(r, findParams)
	if err != nil {
		return err
	}
	var aq backdesk.AvailabilityQuery
	if aq.From, err = operationTime(v, "start"); err != nil {
		return err
	}
	if aq.To, err = operationTime(v, "end"); err != nil {
		return err
	}
	if aq.ServiceID, err = operationRef(v, "service", "HealthcareService", true); err != nil {
		return err
	}
	if aq.PractitionerID, err = operationRef(v, "practitioner", "Practitioner", false); err != nil {
		return err
	}
	locationID, err := operationRef(v, "location-reference", "Location", false)
	if err != nil {
		return err
	}
	patientID, err := operationRef(v, "patient-reference", "Patient", false)
	if err != nil {
		return err
	}
	q, err := parseFHIRQuery(&http.Request{Method: http.MethodGet, URL: &url.URL{RawQuery: pageOnly(v).Encode()}}, nil)
	if err != nil {
		return err
	}
	slots, err := s.svcs.Availability.FindSlots(r.Context(), aq)
	switch backdesk.ErrorField(err) {
	case "from":
		return backdesk.FieldError("start", "start and end are required")
	case "to":
		return backdesk.FieldError("end", "end must be after start, and at most 31 days after it")
	case "service":
		return backdesk.FieldError("service", "service names no service of this clinic that can be booked")
	}
	if err != nil {
		return err
	}
	if locationID != 0 {
		slots = slices.DeleteFunc(slices.Clone(slots), func(sl backdesk.Slot) bool { return sl.LocationID != locationID })
	}
	o, err := s.svcs.Offerings.FindOfferingByID(r.Context(), aq.ServiceID)
	if err != nil {
		return err
	}
	page := window(slots, q.page)
	out, err := encodeAll(page, func(sl backdesk.Slot) (r4.Resource, error) {
		return r4.Encode("Appointment", r4.ProposedID(sl), r4.Proposed(sl, o, patientID, 0))
	})
	if err != nil {
		return err
	}
	base := s.fhirBase(r)
	q.values = url.Values{}
	for k, vs := range v {
		if !slices.Contains(resultParams, k) {
			q.values[k] = vs
		}
	}
	return writeFHIR(w, r, http.StatusOK, r4.Searchset(base, out, len(slots), q.links(base+"/Appointment/$find", len(out), len(slots))))
}

// pageOnly keeps the paging parameters of v.
func pageOnly(v url.Values) url.Values {
	out := url.Values{}
	for _, k := range []string{"_count", "_offset"} {
		if x := v.Get(k); x != "" {
			out.Set(k, x)
		}
	}
	return out
}

var bookParams = []string{"appointment-reference", "appointment-resource", "patient-reference"}

// proposedAppointment is what $book reads of an appointment-resource.
type proposedAppointment struct {
	ResourceType string          `json:"resourceType"`
	ID           string          `json:"id"`
	Start        string          `json:"start"`
	BasedOn      []fhirReference `json:"basedOn"`
	Participant  []struct {
		Actor *fhirReference `json:"actor"`
	} `json:"participant"`
}

// fhirBook serves Appointment/$book: it books the proposed appointment
// named by appointment-reference, or given as appointment-resource (its
// id from $find, or its start and Practitioner and HealthcareService
// participants, a Patient participant for staff, and basedOn a
// ServiceRequest to book a referral).
func (s *Server) fhirBook(w http.ResponseWriter, r *http.Request) error {
	var req backdesk.BookingRequest
	var err error
	if req.IdempotencyKey, err = headerText(r, "Idempotency-Key"); err != nil {
		return err
	}
	v, res, err := operationParams(r, bookParams)
	if err != nil {
		return err
	}
	if req.PatientID, err = operationRef(v, "patient-reference", "Patient", false); err != nil {
		return err
	}
	ref, raw := v.Get("appointment-reference"), res["appointment-resource"]
	switch {
	case ref != "" && raw != nil, ref == "" && raw == nil:
		return backdesk.FieldError("appointment-reference", "give one of appointment-reference (a proposed appointment from $find) and appointment-resource")
	case ref != "":
		id, err := r4.Reference(ref, "Appointment")
		if err != nil {
			return backdesk.FieldError("appointment-reference", "%v", err)
		}
		k, ok := r4.ParseProposedID(id)
		if !ok {
			return backdesk.FieldError("appointment-reference", "%s is not a proposed appointment from $find", ref)
		}
		req.ServiceID, req.PractitionerID, req.Start = k.Schedule.ServiceID, k.Schedule.PractitionerID, k.Start
	default:
		var a proposedAppointment
		if err := json.Unmarshal(raw, &a); err != nil || a.ResourceType != "Appointment" {
			return backdesk.FieldError("appointment-resource", "appointment-resource must be an Appointment")
		}
		if k, ok := r4.ParseProposedID(a.ID); ok {
			req.ServiceID, req.PractitionerID, req.Start = k.Schedule.ServiceID, k.Schedule.PractitionerID, k.Start
		}
		if a.Start != "" {
			t, err := time.Parse(time.RFC3339, a.Start)
			if err != nil {
				return backdesk.FieldError("appointment-resource", "its start must be an instant, such as 2026-03-23T09:00:00Z")
			}
			req.Start = t
		}
		for _, p := range a.Participant {
			if p.Actor == nil {
				continue
			}
			typ, id, _ := typedReference(p.Actor.Reference)
			n, ok := r4.NumericID(id)
			switch {
			case typ == "Practitioner" && ok:
				req.PractitionerID = n
			case typ == "HealthcareService" && ok:
				req.ServiceID = n
			case typ == "Patient" && ok && req.PatientID == 0:
				req.PatientID = n
			}
		}
		for _, b := range a.BasedOn {
			if typ, id, _ := typedReference(b.Reference); typ == "ServiceRequest" {
				if n, ok := r4.NumericID(id); ok {
					req.ReferralID = n
				}
			}
		}
		if req.ServiceID == 0 || req.PractitionerID == 0 || req.Start.IsZero() {
			return backdesk.FieldError("appointment-resource", "the appointment needs its start and its Practitioner and HealthcareService participants (or the id of a proposed appointment from $find)")
		}
	}
	b, err := s.svcs.Bookings.CreateBooking(r.Context(), req)
	if err != nil {
		return bookingField(err)
	}
	c, err := s.loadCatalogue(r.Context(), false)
	if err != nil {
		return err
	}
	appt, err := s.encodeAppointment(c, b)
	if err != nil {
		return err
	}
	base := s.fhirBase(r)
	w.Header().Set("Location", base+"/Appointment/"+appt.ID)
	return writeFHIR(w, r, http.StatusOK, r4.Searchset(base, []r4.Resource{appt}, 1, nil))
}

// bookingField names the operation's parameter in a booking's refusal
// (the booking path names the JSON API's fields).
func bookingField(err error) error {
	switch backdesk.ErrorField(err) {
	case "patient_id":
		return backdesk.FieldError("patient-reference", "%s", strings.ReplaceAll(backdesk.ErrorMessage(err), "patient_id", "patient-reference"))
	case "service_id", "practitioner_id", "start", "referral_id":
		return backdesk.FieldError("appointment-resource", "%s", backdesk.ErrorMessage(err))
	}
	return err
}
