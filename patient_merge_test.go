package backdesk_test

import (
	"os"
	"regexp"
	"testing"

	"backdesk"
)

func TestFoldText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Siobhán Ó Briain", "siobhan o briain"},
		{"  SIOBHAN   o'briain ", "siobhan o briain"},
		{"Zoë Ødegård-Smith", "zoe odegard smith"},
		{"Straße", "strasse"},
		{"Łukasz Żółć", "lukasz zolc"},
		{"Nguyễn Thị", "nguyen thi"},
		{"jo.caller@example.org", "jo caller@example org"},
		{"100%", "100"},
		{"_", ""},
	} {
		if got := backdesk.FoldText(tc.in); got != tc.want {
			t.Errorf("FoldText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSamePhone(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"07700 900123", "+44 7700 900123", true},
		{"07700900123", "07700 900 123", true},
		{"0044 7700 900123", "07700 900123", true},
		{"(303) 555-0100", "+1 303 555 0100", true},
		{"07700 900123", "07700 900124", false},
		{"900123", "+44 7700 900123", false}, // part of a number is not the same number
		{"", "", false},
		{"+1 7700 900123", "+44 7700 900123", false},
	} {
		if got := backdesk.SamePhone(tc.a, tc.b); got != tc.want {
			t.Errorf("SamePhone(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestSimilarNames(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"Siobhán Ó Briain", "Siobhan O Briain", true},
		{"Siobhan O'Briain", "siobhan obriain", true},
		{"Taylor Sam", "Sam Taylor", true},
		{"Sam Taylor", "Samantha Taylor", true},
		{"Siobhan Briain", "Siobahn Briain", true}, // two letters swapped
		{"Jon Smithe", "John Smithe", true},        // one letter missing
		{"Sam Taylor", "Robin Taylor", false},
		{"Ann Lee", "Ian Lee", false},
		{"", "Sam", false},
	} {
		if got := backdesk.SimilarNames(tc.a, tc.b); got != tc.want {
			t.Errorf("SimilarNames(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestBookingPolicyInPlainWords(t *testing.T) {
	got := backdesk.BookingPolicy{MinNoticeMinutes: 90, HorizonDays: 1, LateCancelHours: 48, SlotStepMinutes: 20, MaxFirstVisits: 2}.InPlainWords()
	want := []string{"Book at least 90 minutes before the appointment.", "Times are offered up to 1 day ahead.",
		"Cancel or change an appointment for free up to 2 days before it starts; after that it counts as a late cancellation.",
		"Appointments start every 20 minutes: 9:00, 9:20, 9:40 and so on.", "You can have up to 2 first visits of each kind booked at a time."}
	if len(got) != len(want) {
		t.Fatalf("InPlainWords = %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i, got[i], want[i])
		}
	}
}

// TestAuditActionsListsEvery: the audit log's action filter offers every
// action the code writes.
func TestAuditActionsListsEvery(t *testing.T) {
	src, err := os.ReadFile("audit.go")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[backdesk.AuditAction]bool{}
	for _, a := range backdesk.AuditActions {
		listed[a] = true
	}
	for _, m := range regexp.MustCompile(`(?m)^\t\w+\s+AuditAction = "([^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		if !listed[backdesk.AuditAction(m[1])] {
			t.Errorf("AuditActions lacks %s", m[1])
		}
	}
}

// TestMergeCountLeavesOutEmails: "N records moved" counts the person's
// records, not the emails that moved with them.
func TestMergeCountLeavesOutEmails(t *testing.T) {
	m := &backdesk.PatientMerge{Moved: map[string][]string{"bookings": {"1", "2"}, "clinical_notes": {"7"}, "outbox": {"3", "4", "5", "6"}}}
	if got := m.Count(); got != 3 {
		t.Errorf("Count() = %d, want 3 (two appointments and a note; not the four emails)", got)
	}
}
