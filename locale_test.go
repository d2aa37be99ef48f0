package backdesk_test

import (
	"testing"

	"backdesk"
)

// TestLocaleSay: a US clinic's texts are put into American words, the
// referral's recipients and the disciplines with them; British English
// clinics keep the product's words.
func TestLocaleSay(t *testing.T) {
	us, gb := backdesk.LocaleFor("us"), backdesk.LocaleFor("GB")
	for _, tc := range []struct{ in, us string }{
		{"GP (family doctor)", "Primary care doctor"},
		{"GP (family doctor): Dr Lee, Mill Surgery", "Primary care doctor: Dr Lee, Mill Surgery"},
		{"Ask your GP.", "Ask your primary care doctor."},
		{"Go to A&E now.", "Go to the emergency room now."},
		{"Physiotherapy", "Physical therapy"},
		{"a physiotherapist's programme", "a physical therapist's program"},
	} {
		if got := us.Say(tc.in); got != tc.us {
			t.Errorf("US Say(%q) = %q, want %q", tc.in, got, tc.us)
		}
		if got := gb.Say(tc.in); got != tc.in {
			t.Errorf("GB Say(%q) = %q, want it unchanged", tc.in, got)
		}
	}
	if got := backdesk.ExternalGP.Label(); us.Say(got) == got {
		t.Errorf("the GP recipient %q stays British in a US clinic", got)
	}
}
