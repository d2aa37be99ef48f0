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

// seedDemo adds the demo clinic when the database has no location yet and
// prints the demo logins. It runs as the system, through the clinic's own
// services, so every record it makes is checked and audited as the demo's.
func seedDemo(ctx context.Context, svcs *services, stdout io.Writer) error {
	ctx = backdesk.NewContextWithActor(ctx, backdesk.SystemActor("demo"))
	existing, err := svcs.web.Locations.FindLocations(ctx)
	if err != nil {
		return err
	}
	if len(existing) == 0 {
		if err := createDemoClinic(ctx, svcs); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "demo clinic created: Riverside Back Clinic, Bristol (Europe/London)")
	} else {
		fmt.Fprintln(stdout, "the database already has a clinic; demo data not added again")
	}
	fmt.Fprintln(stdout, "demo logins (password for all: "+DemoPassword+"):")
	for _, l := range demoLogins {
		fmt.Fprintf(stdout, "  %-13s %s\n", l.role, l.email)
	}
	return nil
}

func createDemoClinic(ctx context.Context, svcs *services) error {
	ct := backdesk.MustClockTime
	day := func(d int) backdesk.Weekday { return backdesk.Weekday(d) }
	loc := &backdesk.Location{
		Name:    "Riverside Back Clinic",
		Address: backdesk.Address{Line1: "12 Mill Lane", Line2: "Redcliffe", City: "Bristol", Postcode: "BS1 4DJ"},
		Phone:   "+44 117 496 0123", Email: "hello@riverside.example", TimeZone: "Europe/London", Country: "GB",
		Closures: []backdesk.Closure{
			{From: backdesk.Date{Year: 2026, Month: 12, Day: 25}, To: backdesk.Date{Year: 2026, Month: 12, Day: 26}, Reason: "Christmas"},
			{From: backdesk.Date{Year: 2027, Month: 1, Day: 1}, To: backdesk.Date{Year: 2027, Month: 1, Day: 1}, Reason: "New Year's Day"},
		},
	}
	for d := 1; d <= 5; d++ {
		loc.Hours = append(loc.Hours, backdesk.OpeningHours{Weekday: day(d), Opens: ct("08:00"), Closes: ct("20:00")})
	}
	loc.Hours = append(loc.Hours, backdesk.OpeningHours{Weekday: day(6), Opens: ct("09:00"), Closes: ct("13:00")})
	if err := svcs.web.Locations.CreateLocation(ctx, loc); err != nil {
		return err
	}

	physio, sports, massage := backdesk.DisciplinePhysiotherapist, backdesk.DisciplineSportsTherapist, backdesk.DisciplineMassageTherapist
	services := []*backdesk.Offering{
		{Name: "Physiotherapy initial assessment", Discipline: physio, DurationMinutes: 45, BufferAfterMinutes: 15, PriceMinor: 6500, FirstVisit: true,
			Description: "Examination and diagnosis of your back pain, a treatment plan and exercises to start at home."},
		{Name: "Physiotherapy follow-up", Discipline: physio, DurationMinutes: 30, BufferAfterMinutes: 10, PriceMinor: 5000,
			Description: "Treatment and progression of your exercise plan."},
		{Name: "Sports therapy assessment", Discipline: sports, DurationMinutes: 45, BufferAfterMinutes: 15, PriceMinor: 6000, FirstVisit: true,
			Description: "Assessment of sport- and activity-related back pain with soft-tissue treatment and a return-to-sport plan."},
		{Name: "Massage first visit", Discipline: massage, DurationMinutes: 60, BufferAfterMinutes: 15, PriceMinor: 6000, FirstVisit: true,
			Description: "Health questions, then a back massage in the technique that suits you."},
		{Name: "Sports massage", Discipline: massage, DurationMinutes: 45, BufferAfterMinutes: 15, PriceMinor: 5000,
			Description: "Firm work on muscles tightened by training, lifting or a physical job."},
		{Name: "Deep tissue massage", Discipline: massage, DurationMinutes: 60, BufferAfterMinutes: 15, PriceMinor: 6000,
			Description: "Slow, deep pressure for chronic muscle tension and knots."},
		{Name: "Swedish massage", Discipline: massage, DurationMinutes: 60, BufferAfterMinutes: 15, PriceMinor: 5500,
			Description: "Gentle, relaxing full-back massage; good for stress and low pain tolerance."},
		{Name: "Hot stone massage", Discipline: massage, DurationMinutes: 75, BufferAfterMinutes: 15, PriceMinor: 7000, BookableOnline: false,
			Description: "Warm stones ease tight muscles. Not suitable in pregnancy."},
	}
	byName := map[string]*backdesk.Offering{}
	for _, o := range services {
		o.Currency, o.Active = "GBP", true
		if o.Name != "Hot stone massage" {
			o.BookableOnline = true
		}
		if err := svcs.web.Offerings.CreateOffering(ctx, o); err != nil {
			return err
		}
		byName[o.Name] = o
	}
	offers := func(names ...string) []backdesk.Offer {
		var out []backdesk.Offer
		for _, n := range names {
			out = append(out, backdesk.Offer{ServiceID: byName[n].ID, LocationID: loc.ID})
		}
		return out
	}
	hours := func(from, to string, days ...int) []backdesk.WorkingHours {
		var out []backdesk.WorkingHours
		for _, d := range days {
			out = append(out, backdesk.WorkingHours{LocationID: loc.ID, Weekday: day(d), Starts: ct(from), Ends: ct(to)})
		}
		return out
	}
	practitioners := []*backdesk.Practitioner{
		{Name: "Amira Shah", Discipline: physio, Qualifications: []string{"MSc Musculoskeletal Physiotherapy", "BSc (Hons) Physiotherapy", "MCSP"},
			Registration: backdesk.Registration{Body: "HCPC", Number: "PH104233"}, Languages: []string{"English", "Urdu"},
			Bio:    "Amira specialises in persistent low back pain and sciatica, combining clear explanation with graded exercise.",
			Offers: offers("Physiotherapy initial assessment", "Physiotherapy follow-up"), Hours: hours("08:00", "16:00", 1, 2, 3, 4)},
		{Name: "Tom Gallagher", Discipline: physio, Qualifications: []string{"BSc (Hons) Physiotherapy", "MCSP"},
			Registration: backdesk.Registration{Body: "HCPC", Number: "PH118790"}, Languages: []string{"English"},
			Bio:    "Tom works with desk workers and manual workers on getting back to work, including evening appointments.",
			Offers: offers("Physiotherapy initial assessment", "Physiotherapy follow-up"),
			Hours:  append(hours("12:00", "20:00", 2, 3, 4, 5), hours("09:00", "13:00", 6)...)},
		{Name: "Jordan Reid", Discipline: sports, Qualifications: []string{"BSc (Hons) Sports Therapy", "Graduate Sports Therapist"},
			Registration: backdesk.Registration{Body: "SST", Number: "MSST 2291"}, Languages: []string{"English"},
			Bio:    "Jordan treats runners, rowers and gym-goers with back pain and builds return-to-sport programmes.",
			Offers: offers("Sports therapy assessment", "Sports massage"), Hours: hours("10:00", "18:00", 1, 3, 5)},
		{Name: "Elena Kowalska", Discipline: massage, Qualifications: []string{"ITEC Level 4 Sports Massage", "ITEC Level 3 Holistic Massage"},
			Registration: backdesk.Registration{Body: "CNHC", Number: "CNHC 012345"}, Languages: []string{"English", "Polish"},
			Bio:    "Elena combines deep tissue and trigger-point work for recurring tightness from desk work and stress.",
			Offers: offers("Massage first visit", "Sports massage", "Deep tissue massage", "Swedish massage", "Hot stone massage"),
			Hours:  hours("09:00", "17:00", 1, 2, 3, 4, 5)},
		{Name: "Ben Okafor", Discipline: massage, Qualifications: []string{"BTEC Level 5 Soft Tissue Therapy", "Pregnancy massage certificate"},
			Registration: backdesk.Registration{Body: "CNHC", Number: "CNHC 019876"}, Languages: []string{"English", "Yoruba"},
			Bio:    "Ben offers gentle Swedish and pregnancy massage as well as firmer sports massage.",
			Offers: offers("Massage first visit", "Sports massage", "Swedish massage"),
			Hours:  append(hours("12:00", "20:00", 3, 4, 5), hours("09:00", "13:00", 6)...)},
	}
	pracByName := map[string]int64{}
	for _, p := range practitioners {
		p.Active = true
		if err := svcs.web.Practitioners.CreatePractitioner(ctx, p); err != nil {
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
