package backdesk

import (
	"fmt"
	"strings"
)

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func upper(s string) string { return strings.ToUpper(s) }

func indexed(list string, i int, field string) string { return fmt.Sprintf("%s.%d.%s", list, i, field) }

func checkWeekday(d Weekday) error {
	if d < 0 || d > 6 {
		return fmt.Errorf("weekday must be monday … sunday")
	}
	return nil
}

// ValidEmail is a deliberately plain check: one @, something either side,
// a dot in the domain, no spaces.
func ValidEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-3 && !strings.ContainsAny(s, " \t\r\n<>,;") &&
		strings.Contains(s[at+1:], ".") && !strings.HasSuffix(s, ".") && len(s) <= 254
}
