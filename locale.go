package backdesk

import (
	"strings"
	"time"
)

// Locale is how the clinic speaks to the people it treats: the words of
// its main location's country (physiotherapy or physical therapy, GP or
// primary care doctor), the numbers to call in an emergency, and how dates
// and times are written. It is the one home of wording that differs between
// countries; pages, emails and the self-assessment's texts all take theirs
// from here, keyed by the main location's country (MainLocation).
//
// The product's texts are written once, in British English; a locale whose
// Lang is not en-GB rewrites them through its table of terms (Say), so that
// a rule's text and its cited source stay the same rule.
type Locale struct {
	Country string // ISO 3166-1 alpha-2
	Lang    string // BCP 47, for the pages' lang attribute: en-GB, en-US

	Physiotherapy   string // the discipline's field: "physiotherapy", "physical therapy"
	Physiotherapist string // its practitioner: "physiotherapist", "physical therapist"
	FamilyDoctor    string // "GP", "primary care doctor"
	// FamilyDoctorField labels the intake question about the person's own
	// doctor.
	FamilyDoctorField string
	// UrgentCare is what to do when a doctor cannot be seen soon enough:
	// "call NHS 111", "go to an urgent care clinic".
	UrgentCare string
	// EmergencyNumbers are the numbers to call, the national one first.
	EmergencyNumbers []string
	// Registration names the professional registers a practitioner's
	// number belongs to, for forms and hints.
	Registration  string
	PostcodeLabel string // "Postcode", "ZIP code"
	RegionLabel   string // "County or region", "State"

	dateTime, when, date, day, clock, shortDay string
	terms                                      *strings.Replacer // nil: the texts are already in this locale's words
}

// LocaleFor returns the locale of a country (ISO 3166-1 alpha-2, either
// case); countries without their own entry get British English with the
// European emergency number.
func LocaleFor(country string) *Locale {
	if l, ok := locales[strings.ToUpper(country)]; ok {
		return l
	}
	return localeDefault
}

// DefaultLocale is the locale of a clinic with no location yet.
func DefaultLocale() *Locale { return locales["GB"] }

// british is the wording the product's texts are written in.
func british(country, doctor string, numbers ...string) *Locale {
	return &Locale{Country: country, Lang: "en-GB", Physiotherapy: "physiotherapy", Physiotherapist: "physiotherapist",
		FamilyDoctor: doctor, FamilyDoctorField: "Your " + doctor + " (name and practice)", UrgentCare: "go to an urgent care clinic",
		EmergencyNumbers: numbers, Registration: "a professional register (HCPC, CNHC, SST…)", PostcodeLabel: "Postcode", RegionLabel: "County or region",
		dateTime: "Monday 2 January 2006, 15:04 MST", when: "Monday 2 January 2006 at 15:04 MST", date: "2 January 2006",
		day: "Monday 2 January", clock: "15:04", shortDay: "Mon 2 Jan"}
}

var (
	localeGB = func() *Locale {
		l := british("GB", "GP", "999", "112")
		l.UrgentCare = "call NHS 111"
		return l
	}()
	localeUS = &Locale{Country: "US", Lang: "en-US", Physiotherapy: "physical therapy", Physiotherapist: "physical therapist",
		FamilyDoctor: "primary care doctor", FamilyDoctorField: "Your primary care doctor (name and practice)",
		UrgentCare: "go to an urgent care clinic", EmergencyNumbers: []string{"911"},
		Registration: "a state license (PT, LMT…)", PostcodeLabel: "ZIP code", RegionLabel: "State",
		dateTime: "Monday, January 2, 2006, 3:04 PM MST", when: "Monday, January 2, 2006 at 3:04 PM MST", date: "January 2, 2006",
		day: "Monday, January 2", clock: "3:04 PM", shortDay: "Mon, Jan 2",
		terms: strings.NewReplacer(
			// Longer terms first: at one place in a text the first that
			// matches wins.
			"Physiotherapists", "Physical therapists", "physiotherapists", "physical therapists",
			"Physiotherapist", "Physical therapist", "physiotherapist", "physical therapist",
			"Physiotherapy", "Physical therapy", "physiotherapy", "physical therapy",
			"GP (family doctor)", "Primary care doctor",
			"your GP", "your primary care doctor", "Your GP", "Your primary care doctor", "a GP", "a primary care doctor",
			"A&E", "the emergency room",
			"programmes", "programs", "programme", "program",
			"behavioural", "behavioral", "organisations", "organizations", "organisation", "organization",
			"licence", "license", "Licence", "License", "centre", "center",
			"Postcode", "ZIP code", "postcode", "ZIP code",
		)}
	localeDefault = british("", "family doctor", "112")
	locales       = map[string]*Locale{
		"GB": localeGB,
		"IE": british("IE", "GP", "112", "999"),
		"AU": british("AU", "GP", "000", "112"),
		"NZ": british("NZ", "GP", "111"),
		"CA": british("CA", "family doctor", "911"),
		"US": localeUS,
	}
)

// Say puts a text written in the product's British English into the
// locale's words ("physiotherapist" becomes "physical therapist" in the
// United States). Texts are unchanged where the locale speaks British
// English.
func (l *Locale) Say(text string) string {
	if l.terms == nil {
		return text
	}
	return l.terms.Replace(text)
}

// Rewords reports whether Say changes texts: whether the locale's words
// differ from the British English the product's texts are written in.
func (l *Locale) Rewords() bool { return l.terms != nil }

// EmergencyCall is how to say "call the emergency number": "call 999 (or
// 112)", "call 911".
func (l *Locale) EmergencyCall() string {
	call := "call " + l.EmergencyNumbers[0]
	if len(l.EmergencyNumbers) > 1 {
		call += " (or " + l.EmergencyNumbers[1] + ")"
	}
	return call
}

// Discipline is a discipline's name in the locale's words
// ("Physiotherapist", "Physical therapist").
func (l *Locale) Discipline(d Discipline) string { return l.Say(d.Label()) }

// DateTime writes an instant as the people of the locale read it, in t's
// zone: "Monday 2 January 2026, 15:04 GMT", "Monday, January 2, 2026, 3:04 PM MST".
func (l *Locale) DateTime(t time.Time) string { return t.Format(l.dateTime) }

// When is DateTime for a sentence: "Monday 2 January 2026 at 15:04 GMT".
func (l *Locale) When(t time.Time) string { return t.Format(l.when) }

// Date writes a day: "2 January 2026", "January 2, 2026".
func (l *Locale) Date(t time.Time) string { return t.Format(l.date) }

// Day writes a day of the week with its date, without the year: "Monday 2
// January", "Monday, January 2".
func (l *Locale) Day(t time.Time) string { return t.Format(l.day) }

// ShortDay is Day abbreviated: "Mon 2 Jan", "Mon, Jan 2".
func (l *Locale) ShortDay(t time.Time) string { return t.Format(l.shortDay) }

// Clock writes a time of day: "15:04", "3:04 PM".
func (l *Locale) Clock(t time.Time) string { return t.Format(l.clock) }
