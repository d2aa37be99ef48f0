package triage_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"backdesk"
	"backdesk/triage"
)

// clinicalCase is one case from testdata/cases/*.txt:
//
//	# a name
//	answers age=45 episode=first pain_now=2 red_flags.saddle_numbness=true conditions=disc,arthritis odi=1,2,_,3
//	want emergency            (the disposition)
//	massage no                (massage.suitable)
//	fired rf_saddle_numbness  (rules that must fire)
//	notfired route_massage    (rules that must not)
//	redflags saddle_numbness  (the whole red_flags list; "-" for none)
//	techniques swedish        (the whole technique list; "-" for none)
//	book -                    (the whole book list)
//	invalid pain_now age      (decoding must fail naming the first field, and
//	                          every field listed among its problems)
type clinicalCase struct {
	file, name string
	line       int
	answers    json.RawMessage
	checks     [][]string
}

// parseAnswers turns key=value words into an answers object: dotted keys
// nest, comma lists become arrays ("_" is null), true/false and integers
// keep their type, everything else is a string.
func parseAnswers(words []string) json.RawMessage {
	obj := map[string]any{}
	scalar := func(v string) any {
		if v == "_" {
			return nil
		} else if v == "true" || v == "false" {
			return v == "true"
		} else if n, err := strconv.Atoi(v); err == nil {
			return n
		}
		return v
	}
	for _, w := range words {
		k, v, _ := strings.Cut(w, "=")
		var val any = scalar(v)
		if k == "conditions" || k == "goals" || k == "odi" {
			list := []any{}
			for _, p := range strings.Split(v, ",") {
				if p != "" {
					list = append(list, scalar(p))
				}
			}
			val = list
		}
		m := obj
		parts := strings.Split(k, ".")
		for _, p := range parts[:len(parts)-1] {
			if _, ok := m[p].(map[string]any); !ok {
				m[p] = map[string]any{}
			}
			m = m[p].(map[string]any)
		}
		m[parts[len(parts)-1]] = val
	}
	b, _ := json.Marshal(obj)
	return b
}

func readCases(t *testing.T) []clinicalCase {
	files, err := filepath.Glob("testdata/cases/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	var out []clinicalCase
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		var cur *clinicalCase
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			switch {
			case line == "":
			case strings.HasPrefix(line, "#"):
				out = append(out, clinicalCase{file: filepath.Base(f), name: strings.TrimSpace(line[1:]), line: n})
				cur = &out[len(out)-1]
			case cur == nil:
				t.Fatalf("%s:%d: a case must start with a # name line", f, n)
			default:
				words := strings.Fields(line)
				if words[0] == "answers" {
					cur.answers = parseAnswers(words[1:])
				} else {
					cur.checks = append(cur.checks, words)
				}
			}
		}
		fh.Close()
	}
	return out
}

func listArg(words []string) []string {
	if len(words) == 2 && words[1] == "-" {
		return []string{}
	}
	return words[1:]
}

func TestClinicalCases(t *testing.T) {
	for _, c := range readCases(t) {
		t.Run(c.file+"/"+c.name, func(t *testing.T) {
			a, err := triage.DecodeAnswers(c.answers)
			for _, w := range c.checks {
				if w[0] == "invalid" {
					if backdesk.ErrorCode(err) != backdesk.CodeInvalid || backdesk.ErrorField(err) != w[1] {
						t.Fatalf("%s:%d: DecodeAnswers(%s) = %v (field %q), want invalid %s", c.file, c.line, c.answers, err, backdesk.ErrorField(err), w[1])
					}
					var e *backdesk.Error
					errors.As(err, &e)
					for _, f := range w[1:] {
						if e.Fields[f] == "" {
							t.Errorf("%s:%d: DecodeAnswers(%s) does not name %s among its problems %v", c.file, c.line, c.answers, f, e.Fields)
						}
					}
					if len(e.Fields) != len(w)-1 {
						t.Errorf("%s:%d: DecodeAnswers(%s) names %d problems %v, want %d", c.file, c.line, c.answers, len(e.Fields), e.Fields, len(w)-1)
					}
					return
				}
			}
			if err != nil {
				t.Fatalf("%s:%d: DecodeAnswers(%s): %v", c.file, c.line, c.answers, err)
			}
			res := triage.Evaluate(triage.V1, a, "GB")
			var names []string
			for _, tq := range res.Massage.Techniques {
				names = append(names, tq.Name)
			}
			for _, w := range c.checks {
				bad := false
				switch w[0] {
				case "want":
					bad = string(res.Disposition) != w[1]
				case "massage":
					bad = string(res.Massage.Suitable) != w[1]
				case "fired":
					for _, id := range w[1:] {
						bad = bad || !slices.Contains(res.Fired, id)
					}
				case "notfired":
					for _, id := range w[1:] {
						bad = bad || slices.Contains(res.Fired, id)
					}
				case "redflags":
					bad = !slices.Equal(res.RedFlags, listArg(w))
				case "techniques":
					bad = !slices.Equal(append([]string{}, names...), listArg(w))
				case "book":
					bad = !slices.Equal(res.Book, listArg(w))
				case "contraindications":
					bad = !slices.Equal(res.Massage.Contraindications, listArg(w))
				default:
					t.Fatalf("%s:%d: unknown check %q", c.file, c.line, w[0])
				}
				if bad {
					t.Errorf("%s:%d: %s: got disposition=%s massage=%s red_flags=%v techniques=%v book=%v contraindications=%v fired=%v",
						c.file, c.line, strings.Join(w, " "), res.Disposition, res.Massage.Suitable, res.RedFlags, names, res.Book, res.Massage.Contraindications, res.Fired)
				}
			}
		})
	}
}
