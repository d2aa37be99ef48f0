package triage

import (
	"fmt"
	"strings"
)

// Op is a condition's operator.
type Op int

const (
	OpAlways Op = iota
	OpAll
	OpAny
	OpNot
	OpTrue    // a boolean fact is true
	OpIs      // an enum fact equals Value
	OpAtLeast // an int fact is ≥ N
	OpBelow   // an int fact is < N
	OpBetween // an int fact is within N..M, inclusive
)

// Cond is a condition over facts: a tree of values, never a closure, so
// that it can be validated, printed for clinicians and marshalled.
type Cond struct {
	Op    Op
	Fact  Fact
	Value string
	N, M  int
	Sub   []Cond
}

// Always matches every answer set.
func Always() Cond { return Cond{Op: OpAlways} }

// All matches when every sub-condition does.
func All(c ...Cond) Cond { return Cond{Op: OpAll, Sub: c} }

// Any matches when at least one sub-condition does.
func Any(c ...Cond) Cond { return Cond{Op: OpAny, Sub: c} }

// Not matches when c does not.
func Not(c Cond) Cond { return Cond{Op: OpNot, Sub: []Cond{c}} }

// True matches when boolean fact f is true.
func True(f Fact) Cond { return Cond{Op: OpTrue, Fact: f} }

// Is matches when enum fact f has value v.
func Is(f Fact, v string) Cond { return Cond{Op: OpIs, Fact: f, Value: v} }

// AtLeast matches when int fact f is given and ≥ n.
func AtLeast(f Fact, n int) Cond { return Cond{Op: OpAtLeast, Fact: f, N: n} }

// Below matches when int fact f is given and < n.
func Below(f Fact, n int) Cond { return Cond{Op: OpBelow, Fact: f, N: n} }

// Between matches when int fact f is given and lo ≤ f ≤ hi.
func Between(f Fact, lo, hi int) Cond { return Cond{Op: OpBetween, Fact: f, N: lo, M: hi} }

func (c *Cond) eval(v *values) bool {
	switch c.Op {
	case OpAlways:
		return true
	case OpAll:
		for i := range c.Sub {
			if !c.Sub[i].eval(v) {
				return false
			}
		}
		return true
	case OpAny:
		for i := range c.Sub {
			if c.Sub[i].eval(v) {
				return true
			}
		}
		return false
	case OpNot:
		return !c.Sub[0].eval(v)
	case OpTrue:
		return v[c.Fact].n == 1
	case OpIs:
		return v[c.Fact].set && v[c.Fact].s == c.Value
	case OpAtLeast:
		return v[c.Fact].set && v[c.Fact].n >= c.N
	case OpBelow:
		return v[c.Fact].set && v[c.Fact].n < c.N
	case OpBetween:
		return v[c.Fact].set && v[c.Fact].n >= c.N && v[c.Fact].n <= c.M
	}
	return false
}

// facts appends every fact c refers to.
func (c *Cond) facts(out []Fact) []Fact {
	switch c.Op {
	case OpAll, OpAny, OpNot:
		for i := range c.Sub {
			out = c.Sub[i].facts(out)
		}
	case OpAlways:
	default:
		out = append(out, c.Fact)
	}
	return out
}

// String renders c in plain words for the rulebook.
func (c Cond) String() string {
	switch c.Op {
	case OpAlways:
		return "always"
	case OpAll, OpAny:
		word := "all of"
		if c.Op == OpAny {
			word = "any of"
		}
		parts := make([]string, len(c.Sub))
		for i, s := range c.Sub {
			parts[i] = s.String()
		}
		if len(parts) == 1 {
			return parts[0]
		}
		return word + " (" + strings.Join(parts, "; ") + ")"
	case OpNot:
		s := c.Sub[0]
		switch s.Op {
		case OpTrue:
			return s.Fact.String() + " is no"
		case OpIs:
			return s.Fact.String() + " is not " + s.Value
		}
		return "not (" + s.String() + ")"
	case OpTrue:
		return c.Fact.String() + " is yes"
	case OpIs:
		return c.Fact.String() + " is " + c.Value
	case OpAtLeast:
		return fmt.Sprintf("%s is at least %d", c.Fact, c.N)
	case OpBelow:
		return fmt.Sprintf("%s is under %d", c.Fact, c.N)
	case OpBetween:
		return fmt.Sprintf("%s is %d to %d", c.Fact, c.N, c.M)
	}
	return "?"
}
