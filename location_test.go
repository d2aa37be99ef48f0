package backdesk_test

import (
	"testing"

	"backdesk"
)

func TestLocationZone(t *testing.T) {
	l := &backdesk.Location{ID: 1, TimeZone: "Europe/London"}
	z1, err := l.Zone()
	if err != nil || z1.String() != "Europe/London" {
		t.Fatalf("Zone() = %v, %v; want Europe/London", z1, err)
	}
	z2, err := (&backdesk.Location{ID: 2, TimeZone: "Europe/London"}).Zone()
	if err != nil || z2 != z1 {
		t.Errorf("second Zone() = %p, %v; want the loaded %p again", z2, err, z1)
	}
	if z, err := (&backdesk.Location{ID: 3, TimeZone: "Mars/Olympus_Mons"}).Zone(); err == nil {
		t.Errorf("Zone() of an unknown zone = %v, want an error", z)
	}
}
