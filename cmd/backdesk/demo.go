package main

import (
	"context"
	"fmt"
	"io"

	"backdesk"
)

// DemoPassword is the password of every demo login. It is printed at start;
// a real clinic never runs with --demo.
const DemoPassword = "demo-backpain-2026"

// demoLogins are the accounts seedDemo creates, printed at start.
var demoLogins = []struct {
	email, name  string
	role         backdesk.Role
	practitioner string // name of the practitioner the account belongs to
}{
	{"admin@riverside.example", "Morgan Ellis (admin)", backdesk.RoleAdmin, ""},
	{"reception@riverside.example", "Chris Doyle (reception)", backdesk.RoleReception, ""},
	{"amira.shah@riverside.example", "Amira Shah", backdesk.RolePractitioner, "Amira Shah"},
	{"elena.kowalska@riverside.example", "Elena Kowalska", backdesk.RolePractitioner, "Elena Kowalska"},
	{"ben.okafor@riverside.example", "Ben Okafor", backdesk.RolePractitioner, "Ben Okafor"},
	{"sam.taylor@example.org", "Sam Taylor", backdesk.RolePatient, ""},
}

// seedDemo adds the demo clinic of kind ("uk" or "us") when the database
// has no location yet and prints the demo logins. It runs as the system,
// through the clinic's own services, so every record it makes is checked
// and audited as the demo's.
func seedDemo(ctx context.Context, svcs *services, kind string, stdout io.Writer) error {
	ctx = backdesk.NewContextWithActor(ctx, backdesk.SystemActor("demo"))
	existing, err := svcs.web.Locations.FindLocations(ctx)
	if err != nil {
		return err
	}
	d := demoUK
	if kind == "us" {
		d = demoUS
	}
	if len(existing) == 0 {
		if err := createDemoClinic(ctx, svcs, d); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "demo clinic created: %s, %s (%s)\n", d.location.Name, d.location.Address.City, d.location.TimeZone)
	} else {
		fmt.Fprintln(stdout, "the database already has a clinic; demo data not added again")
	}
	fmt.Fprintln(stdout, "demo logins (password for all: "+DemoPassword+"):")
	for _, l := range demoLogins {
		fmt.Fprintf(stdout, "  %-13s %s\n", l.role, l.email)
	}
	return nil
}

// demoClinic is one country's demo: the same people and services, in that
// country's words, prices, registers and time zone.
type demoClinic struct {
	location      backdesk.Location
	currency      string
	services      []*backdesk.Offering
	practitioners []demoPractitioner
}

type demoPractitioner struct {
	backdesk.Practitioner
	services []string // names of the services they offer
	hours    []demoHours
}

type demoHours struct {
	from, to string
	days     []int
}

var (
	physio  = backdesk.DisciplinePhysiotherapist
	sports  = backdesk.DisciplineSportsTherapist
	massage = backdesk.DisciplineMassageTherapist
)

// demoServices are the demo's services, named for the country's words of
// the physiotherapy ones, priced in its currency's minor unit.
func demoServices(physioInitial, physioFollowUp string, prices [8]int64) []*backdesk.Offering {
	return []*backdesk.Offering{
		{Name: physioInitial, Discipline: physio, DurationMinutes: 45, BufferAfterMinutes: 15, PriceMinor: prices[0], FirstVisit: true,
			Description: "Examination and diagnosis of your back pain, a treatment plan and exercises to start at home."},
		{Name: physioFollowUp, Discipline: physio, DurationMinutes: 30, BufferAfterMinutes: 10, PriceMinor: prices[1],
			Description: "Treatment and progression of your exercise plan."},
		{Name: "Sports therapy assessment", Discipline: sports, DurationMinutes: 45, BufferAfterMinutes: 15, PriceMinor: prices[2], FirstVisit: true,
			Description: "Assessment of sport- and activity-related back pain with soft-tissue treatment and a return-to-sport plan."},
		{Name: "Massage first visit", Discipline: massage, DurationMinutes: 60, BufferAfterMinutes: 15, PriceMinor: prices[3], FirstVisit: true,
			Description: "Health questions, then a back massage in the technique that suits you."},
		{Name: "Sports massage", Discipline: massage, DurationMinutes: 45, BufferAfterMinutes: 15, PriceMinor: prices[4],
			Description: "Firm work on muscles tightened by training, lifting or a physical job."},
		{Name: "Deep tissue massage", Discipline: massage, DurationMinutes: 60, BufferAfterMinutes: 15, PriceMinor: prices[5],
			Description: "Slow, deep pressure for chronic muscle tension and knots."},
		{Name: "Swedish massage", Discipline: massage, DurationMinutes: 60, BufferAfterMinutes: 15, PriceMinor: prices[6],
			Description: "Gentle, relaxing full-back massage; good for stress and low pain tolerance."},
		{Name: "Hot stone massage", Discipline: massage, DurationMinutes: 75, BufferAfterMinutes: 15, PriceMinor: prices[7],
			Description: "Warm stones ease tight muscles. Not suitable in pregnancy."},
	}
}

var demoUK = demoClinic{
	location: backdesk.Location{
		Name:    "Riverside Back Clinic",
		Address: backdesk.Address{Line1: "12 Mill Lane", Line2: "Redcliffe", City: "Bristol", Postcode: "BS1 4DJ"},
		Phone:   "+44 117 496 0123", Email: "hello@riverside.example", TimeZone: "Europe/London", Country: "GB",
		MapURL:  "https://www.openstreetmap.org/?mlat=51.4483&mlon=-2.5907#map=18/51.4483/-2.5907",
		Parking: "Pay and display on Mill Lane and at Redcliffe Quay; two spaces for patients with a blue badge beside the entrance.",
		Access:  "Step-free entrance on Mill Lane, with a lift to the treatment rooms on the first floor and an accessible toilet.",
		Closures: []backdesk.Closure{
			{From: backdesk.Date{Year: 2026, Month: 12, Day: 25}, To: backdesk.Date{Year: 2026, Month: 12, Day: 26}, Reason: "Christmas"},
			{From: backdesk.Date{Year: 2027, Month: 1, Day: 1}, To: backdesk.Date{Year: 2027, Month: 1, Day: 1}, Reason: "New Year's Day"},
		},
	},
	currency: "GBP",
	services: demoServices("Physiotherapy initial assessment", "Physiotherapy follow-up", [8]int64{6500, 5000, 6000, 6000, 5000, 6000, 5500, 7000}),
	practitioners: []demoPractitioner{
		{Practitioner: backdesk.Practitioner{Name: "Amira Shah", Discipline: physio, Qualifications: []string{"MSc Musculoskeletal Physiotherapy", "BSc (Hons) Physiotherapy", "MCSP"},
			Registration: backdesk.Registration{Body: "HCPC", Number: "PH104233"}, Languages: []string{"English", "Urdu"},
			Bio: "Amira specialises in persistent low back pain and sciatica, combining clear explanation with graded exercise."},
			services: []string{"Physiotherapy initial assessment", "Physiotherapy follow-up"}, hours: []demoHours{{"08:00", "16:00", []int{1, 2, 3, 4}}}},
		{Practitioner: backdesk.Practitioner{Name: "Tom Gallagher", Discipline: physio, Qualifications: []string{"BSc (Hons) Physiotherapy", "MCSP"},
			Registration: backdesk.Registration{Body: "HCPC", Number: "PH118790"}, Languages: []string{"English"},
			Bio: "Tom works with desk workers and manual workers on getting back to work, including evening appointments."},
			services: []string{"Physiotherapy initial assessment", "Physiotherapy follow-up"}, hours: []demoHours{{"12:00", "20:00", []int{2, 3, 4, 5}}, {"09:00", "13:00", []int{6}}}},
		{Practitioner: backdesk.Practitioner{Name: "Jordan Reid", Discipline: sports, Qualifications: []string{"BSc (Hons) Sports Therapy", "Graduate Sports Therapist"},
			Registration: backdesk.Registration{Body: "SST", Number: "MSST 2291"}, Languages: []string{"English"},
			Bio: "Jordan treats runners, rowers and gym-goers with back pain and builds return-to-sport programmes."},
			services: []string{"Sports therapy assessment", "Sports massage"}, hours: []demoHours{{"10:00", "18:00", []int{1, 3, 5}}}},
		{Practitioner: backdesk.Practitioner{Name: "Elena Kowalska", Discipline: massage, Qualifications: []string{"ITEC Level 4 Sports Massage", "ITEC Level 3 Holistic Massage"},
			Registration: backdesk.Registration{Body: "CNHC", Number: "CNHC 012345"}, Languages: []string{"English", "Polish"},
			Bio: "Elena combines deep tissue and trigger-point work for recurring tightness from desk work and stress."},
			services: []string{"Massage first visit", "Sports massage", "Deep tissue massage", "Swedish massage", "Hot stone massage"}, hours: []demoHours{{"09:00", "17:00", []int{1, 2, 3, 4, 5}}}},
		{Practitioner: backdesk.Practitioner{Name: "Ben Okafor", Discipline: massage, Qualifications: []string{"BTEC Level 5 Soft Tissue Therapy", "Pregnancy massage certificate"},
			Registration: backdesk.Registration{Body: "CNHC", Number: "CNHC 019876"}, Languages: []string{"English", "Yoruba"},
			Bio: "Ben offers gentle Swedish and pregnancy massage as well as firmer sports massage."},
			services: []string{"Massage first visit", "Sports massage", "Swedish massage"}, hours: []demoHours{{"12:00", "20:00", []int{3, 4, 5}}, {"09:00", "13:00", []int{6}}}},
	},
}

// demoUS is the same clinic in Denver: physical therapists with state
// licenses, massage therapists licensed by Colorado, prices in dollars.
var demoUS = demoClinic{
	location: backdesk.Location{
		Name:    "Riverside Back Clinic",
		Address: backdesk.Address{Line1: "1550 Platte Street", Line2: "Suite 200", City: "Denver", Region: "CO", Postcode: "80202"},
		Phone:   "+1 303 555 0142", Email: "hello@riverside.example", TimeZone: "America/Denver", Country: "US",
		MapURL:  "https://www.openstreetmap.org/?mlat=39.7589&mlon=-105.0078#map=18/39.7589/-105.0078",
		Parking: "Free parking for patients in the garage under the building (enter on 16th Street); keep your ticket for validation at the front desk.",
		Access:  "Step-free entrance on Platte Street and an elevator to Suite 200 on the second floor; accessible restroom.",
		Closures: []backdesk.Closure{
			{From: backdesk.Date{Year: 2026, Month: 11, Day: 26}, To: backdesk.Date{Year: 2026, Month: 11, Day: 26}, Reason: "Thanksgiving"},
			{From: backdesk.Date{Year: 2026, Month: 12, Day: 25}, To: backdesk.Date{Year: 2026, Month: 12, Day: 25}, Reason: "Christmas Day"},
			{From: backdesk.Date{Year: 2027, Month: 1, Day: 1}, To: backdesk.Date{Year: 2027, Month: 1, Day: 1}, Reason: "New Year's Day"},
		},
	},
	currency: "USD",
	services: demoServices("Physical therapy initial evaluation", "Physical therapy follow-up", [8]int64{14000, 9500, 12000, 11000, 9500, 11000, 10000, 13000}),
	practitioners: []demoPractitioner{
		{Practitioner: backdesk.Practitioner{Name: "Amira Shah", Discipline: physio, Qualifications: []string{"DPT (Doctor of Physical Therapy)", "Board-Certified Orthopedic Clinical Specialist (OCS)"},
			Registration: backdesk.Registration{Body: "Colorado PT license", Number: "PT.0012345"}, Languages: []string{"English", "Urdu"},
			Bio: "Amira specializes in persistent low back pain and sciatica, combining clear explanation with graded exercise."},
			services: []string{"Physical therapy initial evaluation", "Physical therapy follow-up"}, hours: []demoHours{{"08:00", "16:00", []int{1, 2, 3, 4}}}},
		{Practitioner: backdesk.Practitioner{Name: "Tom Gallagher", Discipline: physio, Qualifications: []string{"DPT (Doctor of Physical Therapy)"},
			Registration: backdesk.Registration{Body: "Colorado PT license", Number: "PT.0018790"}, Languages: []string{"English"},
			Bio: "Tom works with desk workers and manual workers on getting back to work, including evening appointments."},
			services: []string{"Physical therapy initial evaluation", "Physical therapy follow-up"}, hours: []demoHours{{"12:00", "20:00", []int{2, 3, 4, 5}}, {"09:00", "13:00", []int{6}}}},
		{Practitioner: backdesk.Practitioner{Name: "Jordan Reid", Discipline: sports, Qualifications: []string{"MS Athletic Training", "Certified Athletic Trainer (ATC)"},
			Registration: backdesk.Registration{Body: "Colorado athletic trainer registration", Number: "AT.0002291"}, Languages: []string{"English"},
			Bio: "Jordan treats runners, climbers and gym-goers with back pain and builds return-to-sport programs."},
			services: []string{"Sports therapy assessment", "Sports massage"}, hours: []demoHours{{"10:00", "18:00", []int{1, 3, 5}}}},
		{Practitioner: backdesk.Practitioner{Name: "Elena Kowalska", Discipline: massage, Qualifications: []string{"Licensed Massage Therapist (LMT)", "Sports massage certificate"},
			Registration: backdesk.Registration{Body: "Colorado massage therapy license", Number: "MT.0012345"}, Languages: []string{"English", "Polish"},
			Bio: "Elena combines deep tissue and trigger-point work for recurring tightness from desk work and stress."},
			services: []string{"Massage first visit", "Sports massage", "Deep tissue massage", "Swedish massage", "Hot stone massage"}, hours: []demoHours{{"09:00", "17:00", []int{1, 2, 3, 4, 5}}}},
		{Practitioner: backdesk.Practitioner{Name: "Ben Okafor", Discipline: massage, Qualifications: []string{"Licensed Massage Therapist (LMT)", "Prenatal massage certificate"},
			Registration: backdesk.Registration{Body: "Colorado massage therapy license", Number: "MT.0019876"}, Languages: []string{"English", "Yoruba"},
			Bio: "Ben offers gentle Swedish and prenatal massage as well as firmer sports massage."},
			services: []string{"Massage first visit", "Sports massage", "Swedish massage"}, hours: []demoHours{{"12:00", "20:00", []int{3, 4, 5}}, {"09:00", "13:00", []int{6}}}},
	},
}

func createDemoClinic(ctx context.Context, svcs *services, d demoClinic) error {
	ct := backdesk.MustClockTime
	day := func(n int) backdesk.Weekday { return backdesk.Weekday(n) }
	loc := d.location
	loc.Closures = append([]backdesk.Closure(nil), d.location.Closures...)
	for n := 1; n <= 5; n++ {
		loc.Hours = append(loc.Hours, backdesk.OpeningHours{Weekday: day(n), Opens: ct("08:00"), Closes: ct("20:00")})
	}
	loc.Hours = append(loc.Hours, backdesk.OpeningHours{Weekday: day(6), Opens: ct("09:00"), Closes: ct("13:00")})
	if err := svcs.web.Locations.CreateLocation(ctx, &loc); err != nil {
		return err
	}

	byName := map[string]*backdesk.Offering{}
	for _, tmpl := range d.services {
		o := *tmpl
		o.Currency, o.Active = d.currency, true
		o.BookableOnline = o.Name != "Hot stone massage"
		if err := svcs.web.Offerings.CreateOffering(ctx, &o); err != nil {
			return err
		}
		byName[o.Name] = &o
	}
	pracByName := map[string]int64{}
	for _, dp := range d.practitioners {
		p := dp.Practitioner
		p.Active = true
		for _, n := range dp.services {
			p.Offers = append(p.Offers, backdesk.Offer{ServiceID: byName[n].ID, LocationID: loc.ID})
		}
		for _, h := range dp.hours {
			for _, n := range h.days {
				p.Hours = append(p.Hours, backdesk.WorkingHours{LocationID: loc.ID, Weekday: day(n), Starts: ct(h.from), Ends: ct(h.to)})
			}
		}
		if err := svcs.web.Practitioners.CreatePractitioner(ctx, &p); err != nil {
			return err
		}
		pracByName[p.Name] = p.ID
	}
	for _, l := range demoLogins {
		_, err := svcs.users.CreateUser(ctx, backdesk.NewUser{Email: l.email, Name: l.name, Role: l.role, Password: DemoPassword, PractitionerID: pracByName[l.practitioner]})
		if err != nil && backdesk.ErrorCode(err) != backdesk.CodeConflict {
			return err
		}
	}
	return nil
}
