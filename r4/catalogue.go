package r4

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"backdesk"

	"github.com/samply/golang-fhir-models/fhir-models/fhir"
)

// days are FHIR's days of the week by time.Weekday.
var days = [...]fhir.DaysOfWeek{fhir.DaysOfWeekSun, fhir.DaysOfWeekMon, fhir.DaysOfWeekTue, fhir.DaysOfWeekWed,
	fhir.DaysOfWeekThu, fhir.DaysOfWeekFri, fhir.DaysOfWeekSat}

// clock is a wall-clock time as a FHIR time; the end of the day, 24:00,
// which FHIR cannot write, is its last second.
func clock(c backdesk.ClockTime) string {
	if c >= 24*60 {
		return "23:59:59"
	}
	return fmt.Sprintf("%02d:%02d:00", int(c)/60, int(c)%60)
}

// Practitioner is a practitioner's public record: name, qualifications,
// professional registration, languages.
func Practitioner(p *backdesk.Practitioner) fhir.Practitioner {
	r := fhir.Practitioner{Id: ptr(ID(p.ID)), Active: ptr(p.Active), Name: []fhir.HumanName{{Text: ptr(p.Name)}}}
	if p.Registration.Number != "" {
		r.Identifier = []fhir.Identifier{{Type: text(p.Registration.Body + " registration"), Value: ptr(p.Registration.Number)}}
	}
	for _, q := range p.Qualifications {
		r.Qualification = append(r.Qualification, fhir.PractitionerQualification{Code: fhir.CodeableConcept{Text: ptr(q)}})
	}
	for _, l := range p.Languages {
		r.Communication = append(r.Communication, fhir.CodeableConcept{Text: ptr(l)})
	}
	return r
}

// PractitionerRole is what a practitioner does at the clinic: their
// discipline, the services they offer where, and their weekly hours. It
// has the practitioner's id.
func PractitionerRole(p *backdesk.Practitioner) fhir.PractitionerRole {
	r := fhir.PractitionerRole{Id: ptr(ID(p.ID)), Active: ptr(p.Active), Practitioner: refDisplay("Practitioner", p.ID, p.Name),
		Code: []fhir.CodeableConcept{{Text: ptr(p.Discipline.Label())}}}
	var locs, services []int64
	for _, o := range p.Offers {
		if !slices.Contains(locs, o.LocationID) {
			locs = append(locs, o.LocationID)
		}
		if !slices.Contains(services, o.ServiceID) {
			services = append(services, o.ServiceID)
		}
	}
	for _, id := range locs {
		r.Location = append(r.Location, *Ref("Location", id))
	}
	for _, id := range services {
		r.HealthcareService = append(r.HealthcareService, *Ref("HealthcareService", id))
	}
	for _, h := range p.Hours {
		r.AvailableTime = append(r.AvailableTime, fhir.PractitionerRoleAvailableTime{DaysOfWeek: []fhir.DaysOfWeek{days[h.Weekday]},
			AvailableStartTime: ptr(clock(h.Starts)), AvailableEndTime: ptr(clock(h.Ends))})
	}
	return r
}

// HealthcareService is a service the clinic offers (backdesk's Offering),
// at locations (where someone offers it).
func HealthcareService(o *backdesk.Offering, locations []int64) fhir.HealthcareService {
	r := fhir.HealthcareService{Id: ptr(ID(o.ID)), Active: ptr(o.Active), Name: ptr(o.Name),
		Type:                []fhir.CodeableConcept{{Text: ptr(strings.ToUpper(o.Discipline.Therapy()[:1]) + o.Discipline.Therapy()[1:])}},
		AppointmentRequired: ptr(true),
		ExtraDetails:        ptr(fmt.Sprintf("%d minutes; %s %d.%02d", o.DurationMinutes, o.Currency, o.PriceMinor/100, o.PriceMinor%100))}
	if o.Description != "" {
		r.Comment = ptr(o.Description)
	}
	for _, id := range locations {
		r.Location = append(r.Location, *Ref("Location", id))
	}
	return r
}

// Location is a clinic site with its IANA time zone in the standard
// extension, its address and opening hours.
func Location(l *backdesk.Location) fhir.Location {
	r := fhir.Location{Id: ptr(ID(l.ID)), Name: ptr(l.Name), Status: ptr(fhir.LocationStatusActive), Mode: ptr(fhir.LocationModeInstance),
		Extension: []fhir.Extension{{Url: TimezoneExtension, ValueCode: ptr(l.TimeZone)}}}
	a := fhir.Address{Use: ptr(fhir.AddressUseWork), Line: []string{l.Address.Line1}, City: ptr(l.Address.City), Country: ptr(l.Country)}
	if l.Address.Line2 != "" {
		a.Line = append(a.Line, l.Address.Line2)
	}
	if l.Address.Region != "" {
		a.State = ptr(l.Address.Region)
	}
	if l.Address.Postcode != "" {
		a.PostalCode = ptr(l.Address.Postcode)
	}
	r.Address = &a
	if l.Phone != "" {
		r.Telecom = append(r.Telecom, fhir.ContactPoint{System: ptr(fhir.ContactPointSystemPhone), Value: ptr(l.Phone), Use: ptr(fhir.ContactPointUseWork)})
	}
	if l.Email != "" {
		r.Telecom = append(r.Telecom, fhir.ContactPoint{System: ptr(fhir.ContactPointSystemEmail), Value: ptr(l.Email), Use: ptr(fhir.ContactPointUseWork)})
	}
	for _, h := range l.Hours {
		r.HoursOfOperation = append(r.HoursOfOperation, fhir.LocationHoursOfOperation{DaysOfWeek: []fhir.DaysOfWeek{days[h.Weekday]},
			OpeningTime: ptr(clock(h.Opens)), ClosingTime: ptr(clock(h.Closes))})
	}
	if len(l.Closures) > 0 {
		var c []string
		for _, x := range l.Closures {
			c = append(c, fmt.Sprintf("closed %s to %s (%s)", x.From, x.To, x.Reason))
		}
		r.AvailabilityExceptions = ptr(strings.Join(c, "; "))
	}
	return r
}

// ScheduleKey names a schedule: one practitioner offering one service at
// one location. Its FHIR id is "p1-s2-l3".
type ScheduleKey struct{ PractitionerID, ServiceID, LocationID int64 }

// ID is the schedule's FHIR id.
func (k ScheduleKey) ID() string {
	return joinID("p"+ID(k.PractitionerID), "s"+ID(k.ServiceID), "l"+ID(k.LocationID))
}

// ParseScheduleID reads a schedule's id; false for anything else.
func ParseScheduleID(id string) (ScheduleKey, bool) {
	parts := strings.Split(id, "-")
	if len(parts) != 3 {
		return ScheduleKey{}, false
	}
	var k ScheduleKey
	for i, dst := range []*int64{&k.PractitionerID, &k.ServiceID, &k.LocationID} {
		n, ok := prefixed(parts[i], "psl"[i])
		if !ok {
			return ScheduleKey{}, false
		}
		*dst = n
	}
	return k, true
}

func prefixed(s string, p byte) (int64, bool) {
	if len(s) < 2 || s[0] != p {
		return 0, false
	}
	n, err := strconv.ParseInt(s[1:], 10, 64)
	return n, err == nil && n > 0 && strconv.FormatInt(n, 10) == s[1:]
}

// Schedules are the keys of every offer of p.
func Schedules(p *backdesk.Practitioner) []ScheduleKey {
	var out []ScheduleKey
	for _, o := range p.Offers {
		k := ScheduleKey{p.ID, o.ServiceID, o.LocationID}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// Schedule is a practitioner's diary for one service at one location,
// bookable from now to the location's horizon (from, to).
func Schedule(k ScheduleKey, p *backdesk.Practitioner, o *backdesk.Offering, l *backdesk.Location, from, to time.Time) fhir.Schedule {
	r := fhir.Schedule{Id: ptr(k.ID()), Active: ptr(p.Active && o.Active),
		Actor:           []fhir.Reference{*refDisplay("Practitioner", p.ID, p.Name), *refDisplay("HealthcareService", o.ID, o.Name), *refDisplay("Location", l.ID, l.Name)},
		ServiceType:     []fhir.CodeableConcept{{Text: ptr(o.Name)}},
		PlanningHorizon: &fhir.Period{Start: ptr(Instant(from, nil)), End: ptr(Instant(to, nil))},
		Comment:         ptr(fmt.Sprintf("%s: %s at %s", p.Name, o.Name, l.Name))}
	return r
}

// slotTime is how a slot's start is written in its id.
const slotTime = "20060102T150405Z"

// SlotKey names a free slot: a schedule and a start.
type SlotKey struct {
	Schedule ScheduleKey
	Start    time.Time
}

// SlotID is a free slot's FHIR id, "p1-s2-l3-20260323T090000Z".
func SlotID(sl backdesk.Slot) string {
	return joinID(ScheduleKey{sl.PractitionerID, sl.ServiceID, sl.LocationID}.ID(), sl.Start.UTC().Format(slotTime))
}

// ParseSlotID reads a slot's id; false for anything else.
func ParseSlotID(id string) (SlotKey, bool) {
	i := strings.LastIndexByte(id, '-')
	if i < 0 {
		return SlotKey{}, false
	}
	k, ok := ParseScheduleID(id[:i])
	if !ok {
		return SlotKey{}, false
	}
	t, err := time.Parse(slotTime, id[i+1:])
	if err != nil {
		return SlotKey{}, false
	}
	return SlotKey{k, t}, true
}

// Slot is a free time, as availability computed it, in its location's
// zone.
func Slot(sl backdesk.Slot, serviceName string) fhir.Slot {
	return fhir.Slot{Id: ptr(SlotID(sl)), Status: fhir.SlotStatusFree,
		Schedule:    fhir.Reference{Reference: ptr("Schedule/" + ScheduleKey{sl.PractitionerID, sl.ServiceID, sl.LocationID}.ID())},
		ServiceType: []fhir.CodeableConcept{{Text: ptr(serviceName)}},
		Start:       Instant(sl.Start, sl.Start.Location()), End: Instant(sl.End, sl.End.Location())}
}
