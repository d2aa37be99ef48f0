package backdesk

import (
	"slices"
	"strings"
	"time"
)

// LookAlike is an existing record that may be the same person as one
// being recorded, and why.
type LookAlike struct {
	Patient *Patient `json:"patient"`
	// Reasons say what matched, in plain words: "the same phone number",
	// "the same email address", "the same date of birth and a similar
	// name".
	Reasons []string `json:"reasons"`
}

// Look-alike reasons.
const (
	SamePhoneReason = "the same phone number"
	SameEmailReason = "the same email address"
	SameBirthReason = "the same date of birth and a similar name"
)

// FindLookAlikes returns those of candidates that look like p: the same
// phone number (however either is written, nationally or with the
// country code), the same email address, or the same date of birth and a
// similar name. Those with most reasons come first; p itself (the same
// ID) and erased or merged records never look alike.
func FindLookAlikes(p *Patient, candidates []*Patient) []*LookAlike {
	var out []*LookAlike
	for _, c := range candidates {
		if c.ID == p.ID && p.ID != 0 || c.ErasedAt != nil || c.MergedInto != 0 {
			continue
		}
		var why []string
		if SamePhone(p.Phone, c.Phone) {
			why = append(why, SamePhoneReason)
		}
		if e := strings.ToLower(strings.TrimSpace(p.Email)); e != "" && e == c.Email {
			why = append(why, SameEmailReason)
		}
		if d := strings.TrimSpace(p.DateOfBirth); d != "" && d == c.DateOfBirth && SimilarNames(p.Name, c.Name) {
			why = append(why, SameBirthReason)
		}
		if len(why) > 0 {
			out = append(out, &LookAlike{Patient: c, Reasons: why})
		}
	}
	slices.SortStableFunc(out, func(a, b *LookAlike) int { return len(b.Reasons) - len(a.Reasons) })
	return out
}

// PhoneKey is a phone number as numbers are compared: its digits without
// the leading zeros of a trunk or international prefix ("07700 900123"
// and "+44 7700 900123" give "7700900123" and "447700900123").
func PhoneKey(s string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	return strings.TrimLeft(digits, "0")
}

// MinPhoneKey is the fewest digits a number needs to be compared whole:
// a national number without its trunk zero (UK 10, US 10 digits; short
// ones 9).
const MinPhoneKey = 9

// SamePhone reports whether a and b are the same number, one perhaps
// written with the country code and the other nationally: their keys are
// equal, or one ends with the other, and both are long enough to be whole
// numbers.
func SamePhone(a, b string) bool {
	ka, kb := PhoneKey(a), PhoneKey(b)
	if len(ka) < MinPhoneKey || len(kb) < MinPhoneKey {
		return false
	}
	if len(ka) < len(kb) {
		ka, kb = kb, ka
	}
	return strings.HasSuffix(ka, kb) && len(ka)-len(kb) <= 3 // a country code is 1 to 3 digits
}

// SimilarNames reports whether two names may be the same person's
// written differently: equal once folded (accents, case, spacing,
// apostrophes: "Siobhán Ó Briain" and "Siobhan O'Briain"), the same words
// in another order, the same surname with one first name the start of
// the other ("Sam" and "Samantha"), or one slip of the keyboard apart.
func SimilarNames(a, b string) bool {
	fa, fb := FoldText(a), FoldText(b)
	if fa == "" || fb == "" {
		return false
	}
	ja, jb := strings.ReplaceAll(fa, " ", ""), strings.ReplaceAll(fb, " ", "")
	if ja == jb {
		return true
	}
	wa, wb := strings.Fields(fa), strings.Fields(fb)
	sa, sb := slices.Sorted(slices.Values(wa)), slices.Sorted(slices.Values(wb))
	if slices.Equal(sa, sb) {
		return true
	}
	if len(wa) > 1 && len(wb) > 1 && wa[len(wa)-1] == wb[len(wb)-1] &&
		(strings.HasPrefix(wa[0], wb[0]) || strings.HasPrefix(wb[0], wa[0])) {
		return true
	}
	return len(ja) >= 6 && editDistance(ja, jb) <= 1
}

// editDistance counts the single-letter changes (insert, delete,
// replace, swap of neighbours) between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// PatientMerge is one merge of a duplicate record into the record kept:
// what belonged to the duplicate (appointments, assessments, referrals,
// notes, plans, scores…) now belongs to the record kept, and the
// duplicate is kept, marked merged, out of every search. Undoing it moves
// back exactly what it moved.
type PatientMerge struct {
	ID       int64 `json:"id,string"`
	KeptID   int64 `json:"kept_id,string"`
	MergedID int64 `json:"merged_id,string"`
	// Moved lists, by table, the keys of the rows the merge moved.
	Moved    map[string][]string `json:"moved"`
	ByUserID int64               `json:"by_user_id,string,omitempty"`
	At       time.Time           `json:"at"`
	UndoneAt *time.Time          `json:"undone_at,omitempty"`
}

// Count is how many of the person's records the merge moved: their
// appointments, notes, plans and the rest, not the emails that went with
// them (Moved["outbox"]).
func (m *PatientMerge) Count() int {
	n := 0
	for table, ids := range m.Moved {
		if table != "outbox" {
			n += len(ids)
		}
	}
	return n
}
