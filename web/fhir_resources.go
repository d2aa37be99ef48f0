package web

import (
	"context"
	"slices"
	"strings"
	"time"

	"backdesk"
	"backdesk/r4"
)

// fhirType is one resource type of the facade: its read, its search and
// the search parameters it takes (besides _id, which every type takes,
// alone). routes.go registers GET /fhir/{Type}, POST /fhir/{Type}/_search
// and GET /fhir/{Type}/{id} for each, and the CapabilityStatement lists
// exactly these. A new type is one method below returning its fhirType,
// added to fhirTypes, with its mapping in r4 (as CarePlan and Observation
// were).
type fhirType struct {
	name   string
	doc    string
	params []r4.SearchParam
	ops    []r4.Operation
	// read returns the resource of id; CodeNotFound when there is none or
	// the caller may not see it (the service decides).
	read func(ctx context.Context, id string) (r4.Resource, error)
	// search returns the page q asks for and the total of all matches.
	search func(ctx context.Context, q *fhirQuery) ([]r4.Resource, int, error)
	// signedIn says the type's records are a patient's: its services answer
	// a search only for someone signed in, so a POST _search from nobody is
	// refused before its form is read.
	signedIn bool
}

var idParam = r4.SearchParam{Name: "_id", Type: "token", Documentation: "The resource's id; searched alone."}

func (t *fhirType) allParams() []r4.SearchParam {
	return append([]r4.SearchParam{idParam}, t.params...)
}

// fhirTypes are the resource types the facade serves, in the order of the
// CapabilityStatement.
func (s *Server) fhirTypes() []*fhirType {
	return []*fhirType{s.fhirPatient(), s.fhirPractitioner(), s.fhirPractitionerRole(), s.fhirHealthcareService(), s.fhirLocation(),
		s.fhirSchedule(), s.fhirSlot(), s.fhirAppointment(), s.fhirQuestionnaire(), s.fhirQuestionnaireResponse(), s.fhirServiceRequest(),
		s.fhirCarePlan(), s.fhirObservation()}
}

// fhirTypeNamed is the served type of that name, or nil.
func fhirTypeNamed(name string) *fhirType {
	for _, t := range fhirTypeList {
		if t.name == name {
			return t
		}
	}
	return nil
}

// fhirTypeList is the list of served types' names and parameters, for
// answers that need no server (fhirUnsupported).
var fhirTypeList = (&Server{}).fhirTypes()

func notFound(typ, id string) error {
	return backdesk.Errorf(backdesk.CodeNotFound, "%s/%s was not found.", typ, id)
}

// numericRead is a read whose ids are record ids.
func numericRead(typ string, find func(ctx context.Context, id int64) (r4.Resource, error)) func(ctx context.Context, id string) (r4.Resource, error) {
	return func(ctx context.Context, id string) (r4.Resource, error) {
		n, ok := r4.NumericID(id)
		if !ok {
			return r4.Resource{}, notFound(typ, id)
		}
		return find(ctx, n)
	}
}

// encodeAll encodes a list's resources.
func encodeAll[T any](list []T, enc func(T) (r4.Resource, error)) ([]r4.Resource, error) {
	out := make([]r4.Resource, 0, len(list))
	for _, x := range list {
		r, err := enc(x)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// nameHas reports whether name holds part, in any case.
func nameHas(name, part string) bool {
	return part == "" || strings.Contains(strings.ToLower(name), strings.ToLower(part))
}

func (s *Server) fhirPatient() *fhirType {
	enc := func(p *backdesk.Patient) (r4.Resource, error) {
		return r4.Encode("Patient", r4.ID(p.ID), r4.Patient(p))
	}
	return &fhirType{name: "Patient", signedIn: true,
		doc: "Patients' records: a patient sees their own, a practitioner those they treat, reception and admin (and their tokens) every one. " +
			"A record the caller may not see is not found.",
		params: []r4.SearchParam{{Name: "name", Type: "string", Documentation: "Part of the patient's name, in any case (contains)."}},
		read: numericRead("Patient", func(ctx context.Context, id int64) (r4.Resource, error) {
			p, err := s.svcs.Patients.FindPatientByID(ctx, id)
			if err != nil {
				return r4.Resource{}, err
			}
			return enc(p)
		}),
		search: func(ctx context.Context, q *fhirQuery) ([]r4.Resource, int, error) {
			list, total, err := s.svcs.Patients.FindPatients(ctx, backdesk.PatientFilter{Name: q.get("name"), Visible: true, Page: q.page})
			if err != nil {
				return nil, 0, err
			}
			out, err := encodeAll(list, enc)
			return out, total, err
		}}
}

func (s *Server) fhirPractitioner() *fhirType {
	enc := func(p *backdesk.Practitioner) (r4.Resource, error) {
		return r4.Encode("Practitioner", r4.ID(p.ID), r4.Practitioner(p))
	}
	return &fhirType{name: "Practitioner", doc: "The clinic's practitioners: names, qualifications, registration, languages. Public.",
		params: []r4.SearchParam{{Name: "name", Type: "string", Documentation: "Part of the name, in any case (contains)."},
			{Name: "active", Type: "token", Documentation: "true: taking appointments; false: not."}},
		read: numericRead("Practitioner", func(ctx context.Context, id int64) (r4.Resource, error) {
			p, err := s.svcs.Practitioners.FindPractitionerByID(ctx, id)
			if err != nil {
				return r4.Resource{}, err
			}
			return enc(p)
		}),
		search: func(ctx context.Context, q *fhirQuery) ([]r4.Resource, int, error) {
			active, err := q.boolean("active")
			if err != nil {
				return nil, 0, err
			}
			all, err := s.svcs.Practitioners.FindPractitioners(ctx, backdesk.PractitionerFilter{})
			if err != nil {
				return nil, 0, err
			}
			all = slices.DeleteFunc(all, func(p *backdesk.Practitioner) bool {
				return !nameHas(p.Name, q.get("name")) || active != nil && p.Active != *active
			})
			out, err := encodeAll(window(all, q.page), enc)
			return out, len(all), err
		}}
}

func (s *Server) fhirPractitionerRole() *fhirType {
	enc := func(p *backdesk.Practitioner) (r4.Resource, error) {
		return r4.Encode("PractitionerRole", r4.ID(p.ID), r4.PractitionerRole(p))
	}
	return &fhirType{name: "PractitionerRole", doc: "Each practitioner's role (with the practitioner's id): discipline, services, locations, weekly hours. Public.",
		params: []r4.SearchParam{{Name: "practitioner", Type: "reference", Documentation: "Practitioner/{id}."},
			{Name: "location", Type: "reference", Documentation: "Location/{id}: where they work."},
			{Name: "service", Type: "reference", Documentation: "HealthcareService/{id}: a service they offer."},
			{Name: "active", Type: "token", Documentation: "true or false."}},
		read: numericRead("PractitionerRole", func(ctx context.Context, id int64) (r4.Resource, error) {
			p, err := s.svcs.Practitioners.FindPractitionerByID(ctx, id)
			if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
				return r4.Resource{}, notFound("PractitionerRole", r4.ID(id))
			} else if err != nil {
				return r4.Resource{}, err
			}
			return enc(p)
		}),
		search: func(ctx context.Context, q *fhirQuery) ([]r4.Resource, int, error) {
			pid, none1, err := q.reference("practitioner", "Practitioner")
			if err != nil {
				return nil, 0, err
			}
			lid, none2, err := q.reference("location", "Location")
			if err != nil {
				return nil, 0, err
			}
			sid, none3, err := q.reference("service", "HealthcareService")
			if err != nil {
				return nil, 0, err
			}
			active, err := q.boolean("active")
			if err != nil {
				return nil, 0, err
			}
			if none1 || none2 || none3 {
				return nil, 0, nil
			}
			all, err := s.svcs.Practitioners.FindPractitioners(ctx, backdesk.PractitionerFilter{})
			if err != nil {
				return nil, 0, err
			}
			all = slices.DeleteFunc(all, func(p *backdesk.Practitioner) bool {
				if pid != 0 && p.ID != pid || active != nil && p.Active != *active {
					return true
				}
				return !slices.ContainsFunc(p.Offers, func(o backdesk.Offer) bool {
					return (lid == 0 || o.LocationID == lid) && (sid == 0 || o.ServiceID == sid)
				}) && (lid != 0 || sid != 0)
			})
			out, err := encodeAll(window(all, q.page), enc)
			return out, len(all), err
		}}
}

// serviceLocations are the locations where someone offers each service.
func serviceLocations(ps []*backdesk.Practitioner) map[int64][]int64 {
	out := map[int64][]int64{}
	for _, p := range ps {
		for _, o := range p.Offers {
			if !slices.Contains(out[o.ServiceID], o.LocationID) {
				out[o.ServiceID] = append(out[o.ServiceID], o.LocationID)
			}
		}
	}
	for _, ls := range out {
		slices.Sort(ls)
	}
	return out
}

func (s *Server) fhirHealthcareService() *fhirType {
	return &fhirType{name: "HealthcareService", doc: "The services the clinic offers, with their length and price, and where they are offered. Public.",
		params: []r4.SearchParam{{Name: "name", Type: "string", Documentation: "Part of the name, in any case (contains)."},
			{Name: "active", Type: "token", Documentation: "true: bookable; false: withdrawn."},
			{Name: "location", Type: "reference", Documentation: "Location/{id}: offered there."}},
		read: numericRead("HealthcareService", func(ctx context.Context, id int64) (r4.Resource, error) {
			o, err := s.svcs.Offerings.FindOfferingByID(ctx, id)
			if err != nil {
				return r4.Resource{}, err
			}
			ps, err := s.svcs.Practitioners.FindPractitioners(ctx, backdesk.PractitionerFilter{})
			if err != nil {
				return r4.Resource{}, err
			}
			return r4.Encode("HealthcareService", r4.ID(o.ID), r4.HealthcareService(o, serviceLocations(ps)[o.ID]))
		}),
		search: func(ctx context.Context, q *fhirQuery) ([]r4.Resource, int, error) {
			active, err := q.boolean("active")
			if err != nil {
				return nil, 0, err
			}
			lid, none, err := q.reference("location", "Location")
			if err != nil || none {
				return nil, 0, err
			}
			c, err := s.loadCatalogue(ctx, false)
			if err != nil {
				return nil, 0, err
			}
			where := serviceLocations(c.Practitioners)
			all := slices.DeleteFunc(c.Offerings, func(o *backdesk.Offering) bool {
				return !nameHas(o.Name, q.get("name")) || active != nil && o.Active != *active || lid != 0 && !slices.Contains(where[o.ID], lid)
			})
			out, err := encodeAll(window(all, q.page), func(o *backdesk.Offering) (r4.Resource, error) {
				return r4.Encode("HealthcareService", r4.ID(o.ID), r4.HealthcareService(o, where[o.ID]))
			})
			return out, len(all), err
		}}
}

func (s *Server) fhirLocation() *fhirType {
	enc := func(l *backdesk.Location) (r4.Resource, error) {
		return r4.Encode("Location", r4.ID(l.ID), r4.Location(l))
	}
	return &fhirType{name: "Location", doc: "The clinic's sites, each with its IANA time zone in the standard timezone extension, address and opening hours. Public.",
		params: []r4.SearchParam{{Name: "name", Type: "string", Documentation: "Part of the name, in any case (contains)."}},
		read: numericRead("Location", func(ctx context.Context, id int64) (r4.Resource, error) {
			l, err := s.svcs.Locations.FindLocationByID(ctx, id)
			if err != nil {
				return r4.Resource{}, err
			}
			return enc(l)
		}),
		search: func(ctx context.Context, q *fhirQuery) ([]r4.Resource, int, error) {
			all, err := s.svcs.Locations.FindLocations(ctx)
			if err != nil {
				return nil, 0, err
			}
			all = slices.DeleteFunc(all, func(l *backdesk.Location) bool { return !nameHas(l.Name, q.get("name")) })
			out, err := encodeAll(window(all, q.page), enc)
			return out, len(all), err
		}}
}

// schedule is one practitioner's diary for one service at one location.
type schedule struct {
	key r4.ScheduleKey
	p   *backdesk.Practitioner
	o   *backdesk.Offering
	l   *backdesk.Location
}

// schedules are every offer of the catalogue's practitioners.
func schedules(c Catalogue) []schedule {
	var out []schedule
	for _, p := range c.Practitioners {
		for _, k := range r4.Schedules(p) {
			if o, l := c.Offering(k.ServiceID), c.Location(k.LocationID); o != nil && l != nil {
				out = append(out, schedule{k, p, o, l})
			}
		}
	}
	return out
}

func (s *Server) encodeSchedule(sc schedule) (r4.Resource, error) {
	now := s.now()
	return r4.Encode("Schedule", sc.key.ID(), r4.Schedule(sc.key, sc.p, sc.o, sc.l, now, now.AddDate(0, 0, sc.l.Policy.HorizonDays)))
}

func (s *Server) fhirSchedule() *fhirType {
	return &fhirType{name: "Schedule",
		doc: "One practitioner's diary for one service at one location (id p{practitioner}-s{service}-l{location}), bookable from now to the location's horizon. Public.",
		params: []r4.SearchParam{{Name: "actor", Type: "reference", Documentation: "Practitioner/{id}, HealthcareService/{id} or Location/{id}."},
			{Name: "active", Type: "token", Documentation: "true: the practitioner and the service take bookings."}},
		read: func(ctx context.Context, id string) (r4.Resource, error) {
			k, ok := r4.ParseScheduleID(id)
			if !ok {
				return r4.Resource{}, notFound("Schedule", id)
			}
			c, err := s.loadCatalogue(ctx, false)
			if err != nil {
				return r4.Resource{}, err
			}
			for _, sc := range schedules(c) {
				if sc.key == k {
					return s.encodeSchedule(sc)
				}
			}
			return r4.Resource{}, notFound("Schedule", id)
		},
		search: func(ctx context.Context, q *fhirQuery) ([]r4.Resource, int, error) {
			active, err := q.boolean("active")
			if err != nil {
				return nil, 0, err
			}
			actorType, actorID := "", int64(0)
			if v := q.get("actor"); v != "" {
				typ, id, ok := typedReference(v)
				if !ok || typ != "Practitioner" && typ != "HealthcareService" && typ != "Location" {
					return nil, 0, backdesk.FieldError("actor", "actor must be Practitioner/{id}, HealthcareService/{id} or Location/{id}")
				}
				n, ok := r4.NumericID(id)
				if !ok {
					return nil, 0, nil
				}
				actorType, actorID = typ, n
			}
			c, err := s.loadCatalogue(ctx, false)
			if err != nil {
				return nil, 0, err
			}
			all := slices.DeleteFunc(schedules(c), func(sc schedule) bool {
				switch {
				case active != nil && (sc.p.Active && sc.o.Active) != *active:
					return true
				case actorType == "Practitioner":
					return sc.key.PractitionerID != actorID
				case actorType == "HealthcareService":
					return sc.key.ServiceID != actorID
				case actorType == "Location":
					return sc.key.LocationID != actorID
				}
				return false
			})
			out, err := encodeAll(window(all, q.page), s.encodeSchedule)
			return out, len(all), err
		}}
}

// slotStatusCodes are the Slot status value set; the facade publishes free
// slots only, so the others match nothing.
var slotStatusCodes = []string{"busy", "free", "busy-unavailable", "busy-tentative", "entered-in-error"}

// defaultSlotWindow is how far ahead a slot search without an end looks.
const defaultSlotWindow = 7 * 24 * time.Hour

func (s *Server) fhirSlot() *fhirType {
	return &fhirType{name: "Slot",
		doc: "Free times, computed from the clinic's availability at the moment of asking (id p{practitioner}-s{service}-l{location}-{start, UTC}). " +
			"Only free slots are published. A search looks at most 31 days ahead, 7 when start gives no end. Public.",
		params: []r4.SearchParam{{Name: "schedule", Type: "reference", Documentation: "Schedule/{id}."},
			{Name: "start", Type: "date", Documentation: "The slot's start, with prefixes eq, ge, gt, le, lt; may be repeated (ge… and lt…)."},
			{Name: "status", Type: "token", Documentation: "free (the only status published)."}},
		read: func(ctx context.Context, id string) (r4.Resource, error) {
			k, ok := r4.ParseSlotID(id)
			if !ok {
				return r4.Resource{}, notFound("Slot", id)
			}
			slots, err := s.svcs.Availability.FindSlots(ctx, backdesk.AvailabilityQuery{ServiceID: k.Schedule.ServiceID, PractitionerID: k.Schedule.PractitionerID,
				From: k.Start, To: k.Start.Add(time.Minute)})
			switch backdesk.ErrorCode(err) {
			case "":
			case backdesk.CodeNotFound, backdesk.CodeInvalid:
				return r4.Resource{}, notFound("Slot", id)
			default:
				return r4.Resource{}, err
			}
			for _, sl := range slots {
				if sl.LocationID == k.Schedule.LocationID && sl.Start.Equal(k.Start) {
					o, _ := s.svcs.Offerings.FindOfferingByID(ctx, sl.ServiceID)
					return r4.Encode("Slot", r4.SlotID(sl), r4.Slot(sl, nameOf(o)))
				}
			}
			return r4.Resource{}, backdesk.Errorf(backdesk.CodeNotFound, "Slot/%s is not free (any more).", id)
		},
		search: func(ctx context.Context, q *fhirQuery) ([]r4.Resource, int, error) {
			status, err := q.token("status", "http://hl7.org/fhir/slotstatus", slotStatusCodes)
			if err != nil {
				return nil, 0, err
			}
			var key *r4.ScheduleKey
			if v := q.get("schedule"); v != "" {
				id, err := r4.Reference(v, "Schedule")
				if err != nil {
					return nil, 0, backdesk.FieldError("schedule", "%v", err)
				}
				k, ok := r4.ParseScheduleID(id)
				if !ok {
					return nil, 0, nil
				}
				key = &k
			}
			c, err := s.loadCatalogue(ctx, false)
			if err != nil {
				return nil, 0, err
			}
			rg, err := q.dates("start", zoneOf(c.Main()))
			if err != nil {
				return nil, 0, err
			}
			if status != "" && status != "free" || rg.Empty() {
				return nil, 0, nil
			}
			if rg.From.IsZero() || rg.From.Before(s.now()) {
				rg.From = s.now()
			}
			if rg.To.IsZero() {
				rg.To = rg.From.Add(defaultSlotWindow)
			}
			if !rg.From.Before(rg.To) {
				return nil, 0, nil
			}
			if rg.To.Sub(rg.From) > backdesk.MaxAvailabilityWindow {
				return nil, 0, backdesk.FieldError("start", "a slot search covers at most 31 days")
			}
			var all []backdesk.Slot
			for _, o := range c.Offerings {
				if !o.Active || key != nil && key.ServiceID != o.ID {
					continue
				}
				aq := backdesk.AvailabilityQuery{ServiceID: o.ID, From: rg.From, To: rg.To}
				if key != nil {
					aq.PractitionerID = key.PractitionerID
				}
				slots, err := s.svcs.Availability.FindSlots(ctx, aq)
				if backdesk.ErrorCode(err) == backdesk.CodeNotFound && key != nil {
					return nil, 0, nil
				} else if err != nil {
					return nil, 0, err
				}
				for _, sl := range slots {
					if key == nil || sl.LocationID == key.LocationID {
						all = append(all, sl)
					}
				}
			}
			slices.SortStableFunc(all, func(a, b backdesk.Slot) int {
				if d := a.Start.Compare(b.Start); d != 0 {
					return d
				}
				return strings.Compare(r4.SlotID(a), r4.SlotID(b))
			})
			out, err := encodeAll(window(all, q.page), func(sl backdesk.Slot) (r4.Resource, error) {
				return r4.Encode("Slot", r4.SlotID(sl), r4.Slot(sl, nameOf(c.Offering(sl.ServiceID))))
			})
			return out, len(all), err
		}}
}

// typedReference reads "Type/id", or an absolute URL ending so.
func typedReference(v string) (typ, id string, ok bool) {
	parts := strings.Split(v, "/")
	if len(parts) < 2 {
		return "", "", false
	}
	return parts[len(parts)-2], parts[len(parts)-1], true
}

func nameOf(o *backdesk.Offering) string {
	if o == nil {
		return ""
	}
	return o.Name
}

// appointmentStatusCodes are the Appointment status value set; backdesk's
// appointments are booked or cancelled.
var appointmentStatusCodes = []string{"proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow", "entered-in-error", "checked-in", "waitlist"}

func (s *Server) encodeAppointment(c Catalogue, b *backdesk.Booking) (r4.Resource, error) {
	return r4.Encode("Appointment", r4.ID(b.ID), r4.Appointment(b, c.Offering(b.ServiceID), zoneOf(c.Location(b.LocationID))))
}

func (s *Server) fhirAppointment() *fhirType {
	return &fhirType{name: "Appointment", signedIn: true,
		doc: "Appointments: a patient sees their own, a practitioner their diary, reception and admin (and their tokens) the clinic's. " +
			"Booked through $find and $book, the IHE ITI Scheduling way, or the JSON API.",
		params: []r4.SearchParam{{Name: "patient", Type: "reference", Documentation: "Patient/{id}."},
			{Name: "practitioner", Type: "reference", Documentation: "Practitioner/{id}."},
			{Name: "date", Type: "date", Documentation: "The appointment's start, with prefixes eq, ge, gt, le, lt; a date without a time is in the clinic's time zone; may be repeated."},
			{Name: "status", Type: "token", Documentation: "booked or cancelled (the statuses backdesk's appointments have)."}},
		ops: []r4.Operation{
			{Name: "find", Definition: "https://profiles.ihe.net/ITI/Scheduling/OperationDefinition/appointment-find",
				Documentation: "GET or POST. start and end (dateTime, at most 31 days apart) and service (Reference HealthcareService/{id}, a backdesk parameter) are required; " +
					"practitioner, location-reference and patient-reference narrow it. Answers a searchset of proposed Appointments, one per free slot."},
			{Name: "book", Definition: "https://profiles.ihe.net/ITI/Scheduling/OperationDefinition/appointment-book",
				Documentation: "POST a Parameters with appointment-reference (Appointment/{a proposed id from $find}) or appointment-resource (a proposed Appointment), " +
					"and patient-reference for staff. Books through the same path as POST /api/v1/appointments: the time is checked again, the database refuses a double booking (409), " +
					"and an Idempotency-Key header makes a retry return the first answer. Answers a searchset with the booked Appointment."}},
		read: numericRead("Appointment", func(ctx context.Context, id int64) (r4.Resource, error) {
			b, err := s.svcs.Bookings.FindBookingByID(ctx, id)
			if err != nil {
				return r4.Resource{}, err
			}
			c, err := s.loadCatalogue(ctx, false)
			if err != nil {
				return r4.Resource{}, err
			}
			return s.encodeAppointment(c, b)
		}),
		search: func(ctx context.Context, q *fhirQuery) ([]r4.Resource, int, error) {
			f := backdesk.BookingFilter{Page: q.page}
			var none1, none2 bool
			var err error
			if f.PatientID, none1, err = q.reference("patient", "Patient"); err != nil {
				return nil, 0, err
			}
			if f.PractitionerID, none2, err = q.reference("practitioner", "Practitioner"); err != nil {
				return nil, 0, err
			}
			status, err := q.token("status", "http://hl7.org/fhir/appointmentstatus", appointmentStatusCodes)
			if err != nil {
				return nil, 0, err
			}
			c, err := s.loadCatalogue(ctx, false)
			if err != nil {
				return nil, 0, err
			}
			rg, err := q.dates("date", zoneOf(c.Main()))
			if err != nil {
				return nil, 0, err
			}
			f.From, f.To = rg.From, rg.To
			switch status {
			case "", "booked":
				f.Status = backdesk.BookingStatus(status)
			case "cancelled":
				f.Status = backdesk.BookingCancelled
			default:
				none1 = true
			}
			if none1 || none2 || rg.Empty() {
				return nil, 0, nil
			}
			list, total, err := s.svcs.Bookings.FindBookings(ctx, f)
			if err != nil {
				return nil, 0, err
			}
			out, err := encodeAll(list, func(b *backdesk.Booking) (r4.Resource, error) { return s.encodeAppointment(c, b) })
			return out, total, err
		}}
}

// questionnaireURL is the canonical address of the self-assessment's
// Questionnaire at this facade.
func questionnaireURL(base string) string { return base + "/Questionnaire/" + r4.QuestionnaireID }

func (s *Server) fhirQuestionnaire() *fhirType {
	return &fhirType{name: "Questionnaire", doc: "The self-assessment (id self-assessment), its version that of the rulebook, with LOINC codes where LOINC has the question. Public.",
		read: func(ctx context.Context, id string) (r4.Resource, error) {
			if id != r4.QuestionnaireID {
				return r4.Resource{}, notFound("Questionnaire", id)
			}
			base := fhirBaseFrom(ctx)
			return r4.Encode("Questionnaire", id, r4.NewQuestionnaire(s.svcs.Assessments.Questionnaire(ctx), questionnaireURL(base), s.cfg.ClinicName))
		},
		search: func(ctx context.Context, q *fhirQuery) ([]r4.Resource, int, error) {
			base := fhirBaseFrom(ctx)
			r, err := r4.Encode("Questionnaire", r4.QuestionnaireID, r4.NewQuestionnaire(s.svcs.Assessments.Questionnaire(ctx), questionnaireURL(base), s.cfg.ClinicName))
			if err != nil {
				return nil, 0, err
			}
			return window([]r4.Resource{r}, q.page), 1, nil
		}}
}

func (s *Server) fhirQuestionnaireResponse() *fhirType {
	enc := func(ctx context.Context, a *backdesk.Assessment) (r4.Resource, error) {
		qr, err := r4.QuestionnaireResponse(a, s.svcs.Assessments.Questionnaire(ctx), questionnaireURL(fhirBaseFrom(ctx)))
		if err != nil {
			return r4.Resource{}, err
		}
		return r4.Encode("QuestionnaireResponse", a.ID, qr)
	}
	return &fhirType{name: "QuestionnaireResponse", signedIn: true,
		doc: "Completed self-assessments (the answers; the result is in the JSON API). Searches list those on patients' records the caller may see; " +
			"an anonymous one is read by whoever holds its id.",
		params: []r4.SearchParam{{Name: "patient", Type: "reference", Documentation: "Patient/{id}: theirs; a patient the caller may not see matches nothing."},
			{Name: "authored", Type: "date", Documentation: "When it was completed, with prefixes eq, ge, gt, le, lt; may be repeated."}},
		read: func(ctx context.Context, id string) (r4.Resource, error) {
			a, err := s.svcs.Assessments.FindAssessmentByID(ctx, id)
			if err != nil {
				return r4.Resource{}, err
			}
			return enc(ctx, a)
		},
		search: func(ctx context.Context, q *fhirQuery) ([]r4.Resource, int, error) {
			pid, none, err := q.reference("patient", "Patient")
			if err != nil {
				return nil, 0, err
			}
			c, err := s.loadCatalogue(ctx, false)
			if err != nil {
				return nil, 0, err
			}
			rg, err := q.dates("authored", zoneOf(c.Main()))
			if err != nil {
				return nil, 0, err
			}
			if none || rg.Empty() {
				return nil, 0, nil
			}
			list, total, err := s.svcs.Assessments.FindAssessments(ctx, backdesk.AssessmentFilter{PatientID: pid, From: rg.From, To: rg.To, Page: q.page})
			if backdesk.ErrorCode(err) == backdesk.CodeNotFound && pid != 0 {
				return nil, 0, nil // a patient the caller may not see: as one that does not exist
			} else if err != nil {
				return nil, 0, err
			}
			out, err := encodeAll(list, func(a *backdesk.Assessment) (r4.Resource, error) { return enc(ctx, a) })
			return out, total, err
		}}
}

func (s *Server) fhirServiceRequest() *fhirType {
	enc := func(r *backdesk.Referral) (r4.Resource, error) {
		return r4.Encode("ServiceRequest", r4.ID(r.ID), r4.ServiceRequest(r))
	}
	return &fhirType{name: "ServiceRequest", signedIn: true,
		doc: "Referrals, inside the clinic to a discipline or outside it to a doctor, as the JSON API shows them: a patient their own, " +
			"a practitioner those they made, received or that concern a patient they treat, reception and admin (and their tokens) every one.",
		params: []r4.SearchParam{{Name: "patient", Type: "reference", Documentation: "Patient/{id}."},
			{Name: "requester", Type: "reference", Documentation: "Practitioner/{id}: who made it."},
			{Name: "status", Type: "token", Documentation: "active (requested, accepted or booked), completed, or revoked (declined or withdrawn)."}},
		read: numericRead("ServiceRequest", func(ctx context.Context, id int64) (r4.Resource, error) {
			r, err := s.svcs.Referrals.FindReferralByID(ctx, id)
			if err != nil {
				return r4.Resource{}, err
			}
			return enc(r)
		}),
		search: func(ctx context.Context, q *fhirQuery) ([]r4.Resource, int, error) {
			f := backdesk.ReferralFilter{NewestFirst: true, Page: q.page}
			var none1, none2 bool
			var err error
			if f.PatientID, none1, err = q.reference("patient", "Patient"); err != nil {
				return nil, 0, err
			}
			if f.FromPractitionerID, none2, err = q.reference("requester", "Practitioner"); err != nil {
				return nil, 0, err
			}
			status, err := q.token("status", "http://hl7.org/fhir/request-status", r4.RequestStatusCodes)
			if err != nil {
				return nil, 0, err
			}
			if status != "" {
				var ok bool
				if f.Statuses, ok = r4.ReferralStatuses(status); !ok {
					return nil, 0, nil
				}
			}
			if none1 || none2 {
				return nil, 0, nil
			}
			list, total, err := s.svcs.Referrals.FindReferrals(ctx, f)
			if err != nil {
				return nil, 0, err
			}
			out, err := encodeAll(list, enc)
			return out, total, err
		}}
}

// fhirCapabilityDate is when the facade's capabilities last changed.
const fhirCapabilityDate = "2026-12-02"

// capability describes the facade for its CapabilityStatement, from
// fhirTypes: what is listed is what is served.
func (s *Server) capability(base string) r4.Capability {
	c := r4.Capability{Base: base, Software: "backdesk", Version: "1", Date: fhirCapabilityDate, Publisher: s.cfg.ClinicName,
		Description: "The FHIR R4 facade of " + s.cfg.ClinicName + ", a backdesk clinic: read and search, and booking the IHE ITI Scheduling way.",
		Security: "Requests are made as the JSON API's: with the session cookie of a signed-in person, or an integration's API token in " +
			"\"Authorization: Bearer …\" (made by an admin; a read-only, reception or admin role). Anyone may read the catalogue and free slots; " +
			"patients' records follow the JSON API's rules, and a record the caller may not see is not found.",
		Documentation: "JSON only (application/fhir+json). Searches answer a searchset Bundle with total and self, first, previous and next links; " +
			"_count (default 50, at most 500; 0 for the total only) and _offset page through it. A parameter this statement does not list, " +
			"a modifier or a list of values is refused with 400 and an OperationOutcome, as is every other error with its status."}
	for _, t := range s.fhirTypes() {
		c.Resources = append(c.Resources, r4.CapabilityResource{Type: t.name, Documentation: t.doc, Params: t.allParams(), Operations: t.ops})
	}
	return c
}

// maxListed bounds the patients a search of patient-scoped records covers
// when it names none (CarePlan, Observation).
const maxListed = 200

// searchPatients are the patients a search of CarePlan or Observation
// covers: the one its patient parameter names, or every one the caller
// may see (FindPatients decides), at most maxListed of them.
func (s *Server) searchPatients(ctx context.Context, q *fhirQuery) ([]int64, error) {
	pid, none, err := q.reference("patient", "Patient")
	switch {
	case err != nil:
		return nil, err
	case none:
		return nil, nil
	case pid != 0:
		return []int64{pid}, nil
	}
	list, total, err := s.svcs.Patients.FindPatients(ctx, backdesk.PatientFilter{Visible: true, Page: backdesk.Page{Limit: maxListed}})
	if err != nil {
		return nil, err
	}
	if total > maxListed {
		return nil, backdesk.FieldError("patient", "name the patient: a search without one covers at most %d patients, and you may see %d", maxListed, total)
	}
	ids := make([]int64, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	return ids, nil
}

func (s *Server) fhirCarePlan() *fhirType {
	enc := func(p *backdesk.CarePlan) (r4.Resource, error) {
		return r4.Encode("CarePlan", r4.ID(p.ID), r4.CarePlan(p))
	}
	return &fhirType{name: "CarePlan", signedIn: true,
		doc: "Treatment plans at their current version: the problem, goals, planned sessions and home exercises with the patient's dosage. " +
			"As the JSON API: the patient, practitioners who treat them, reception and admin (and their tokens).",
		params: []r4.SearchParam{{Name: "patient", Type: "reference", Documentation: "Patient/{id}; without it, the plans of the patients the caller may see (at most 200 of them)."}},
		read: numericRead("CarePlan", func(ctx context.Context, id int64) (r4.Resource, error) {
			p, err := s.svcs.CarePlans.FindCarePlanByID(ctx, id)
			if err != nil {
				return r4.Resource{}, err
			}
			return enc(p)
		}),
		search: func(ctx context.Context, q *fhirQuery) ([]r4.Resource, int, error) {
			ids, err := s.searchPatients(ctx, q)
			if err != nil {
				return nil, 0, err
			}
			var all []*backdesk.CarePlan
			for _, id := range ids {
				p, err := s.svcs.CarePlans.FindCarePlanForPatient(ctx, id)
				if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
					continue // no plan, or a patient the caller may not see
				} else if err != nil {
					return nil, 0, err
				}
				all = append(all, p)
			}
			out, err := encodeAll(window(all, q.page), enc)
			return out, len(all), err
		}}
}

func (s *Server) fhirObservation() *fhirType {
	enc := func(o *backdesk.Outcome) (r4.Resource, error) {
		return r4.Encode("Observation", o.Key(), r4.Observation(o))
	}
	// outcomes are a patient's scores, theirs and their self-assessments';
	// none for a patient the caller may not see.
	outcomes := func(ctx context.Context, patientID int64) ([]*backdesk.Outcome, error) {
		h, err := s.svcs.Outcomes.FindOutcomes(ctx, patientID)
		if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		return h.Outcomes, nil
	}
	return &fhirType{name: "Observation", signedIn: true,
		doc: "Outcome scores over time, category survey: pain now (LOINC 72514-3), the Oswestry Disability Index (97909-6), STarT Back (91351-7, " +
			"with its risk group 91352-5) and the Patient-Specific Functional Scale (in words: LOINC has no code for it here), recorded by the patient or in clinic " +
			"or read from a self-assessment (id patient-o{id} or patient-a{assessment}-{measure}). As the JSON API: the patient, practitioners who treat them, reception and admin.",
		params: []r4.SearchParam{{Name: "patient", Type: "reference", Documentation: "Patient/{id}; without it, the scores of the patients the caller may see (at most 200 of them)."},
			{Name: "code", Type: "token", Documentation: "A LOINC code above (http://loinc.org|72514-3), or backdesk's measure: pain, odi, startback, psfs."},
			{Name: "category", Type: "token", Documentation: "survey (every score is)."},
			{Name: "date", Type: "date", Documentation: "When it was recorded, with prefixes eq, ge, gt, le, lt; may be repeated."}},
		read: func(ctx context.Context, id string) (r4.Resource, error) {
			p, _, _ := strings.Cut(id, "-")
			pid, ok := r4.NumericID(p)
			if !ok {
				return r4.Resource{}, notFound("Observation", id)
			}
			list, err := outcomes(ctx, pid)
			if err != nil {
				return r4.Resource{}, err
			}
			for _, o := range list {
				if o.Key() == id {
					return enc(o)
				}
			}
			return r4.Resource{}, notFound("Observation", id)
		},
		search: func(ctx context.Context, q *fhirQuery) ([]r4.Resource, int, error) {
			var measure backdesk.OutcomeMeasure
			if v := q.get("code"); v != "" {
				sys, code, _ := r4.Token(v)
				m, ok := r4.MeasureOfCode(sys, code)
				if !ok {
					return nil, 0, backdesk.FieldError("code", "code must be a LOINC code of a score (72514-3, 97909-6, 91351-7) or pain, odi, startback, psfs")
				}
				measure = m
			}
			if _, err := q.token("category", "http://terminology.hl7.org/CodeSystem/observation-category",
				[]string{"social-history", "vital-signs", "imaging", "laboratory", "procedure", "survey", "exam", "therapy", "activity"}); err != nil {
				return nil, 0, err
			}
			if c := q.get("category"); c != "" && !strings.HasSuffix(c, "survey") {
				return nil, 0, nil
			}
			c, err := s.loadCatalogue(ctx, false)
			if err != nil {
				return nil, 0, err
			}
			rg, err := q.dates("date", zoneOf(c.Main()))
			if err != nil {
				return nil, 0, err
			}
			ids, err := s.searchPatients(ctx, q)
			if err != nil || rg.Empty() {
				return nil, 0, err
			}
			var all []*backdesk.Outcome
			for _, id := range ids {
				list, err := outcomes(ctx, id)
				if err != nil {
					return nil, 0, err
				}
				for _, o := range list {
					if (measure == "" || o.Measure == measure) && (rg.From.IsZero() || !o.RecordedAt.Before(rg.From)) && (rg.To.IsZero() || o.RecordedAt.Before(rg.To)) {
						all = append(all, o)
					}
				}
			}
			out, err := encodeAll(window(all, q.page), enc)
			return out, len(all), err
		}}
}
