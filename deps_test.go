package backdesk_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyRules enforces the import rules of STYLE.md: the root is
// vocabulary (standard library only), web never sees storage, sqlstore never
// reaches up into web or clinic, and the policy packages stay pure: no I/O,
// no clock, no randomness of their own.
func TestDependencyRules(t *testing.T) {
	for _, tc := range []struct {
		pkg string
		// deps are forbidden anywhere below pkg; imports only directly (the
		// standard library itself uses os, so purity is about what pkg imports).
		deps, imports []string
	}{
		{"backdesk", []string{"database/sql", "net/http", "html/template", "backdesk/"}, nil},
		{"backdesk/web", []string{"database/sql", "backdesk/sqlstore", "backdesk/clinic", "backdesk/triage", "backdesk/schedule", "backdesk/progress"}, nil},
		{"backdesk/clinic", []string{"database/sql", "net/http", "backdesk/sqlstore", "backdesk/web"}, nil},
		{"backdesk/sqlstore", []string{"net/http", "backdesk/web", "backdesk/clinic", "backdesk/triage"}, nil},
		{"backdesk/triage", []string{"database/sql", "net/http", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"},
			[]string{"os", "time", "math/rand", "math/rand/v2", "crypto/rand", "io"}},
		{"backdesk/schedule", []string{"database/sql", "net/http", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"},
			[]string{"os", "math/rand", "math/rand/v2", "crypto/rand", "io"}},
		{"backdesk/exercises", []string{"database/sql", "net/http", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"},
			[]string{"os", "time", "math/rand", "math/rand/v2", "crypto/rand", "io", "io/fs"}},
		{"backdesk/progress", []string{"database/sql", "net/http", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"},
			[]string{"os", "math/rand", "math/rand/v2", "crypto/rand", "io"}},
		{"backdesk/chart", []string{"database/sql", "net/http", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"},
			[]string{"os", "math/rand", "math/rand/v2", "crypto/rand"}},
		{"backdesk/handout", []string{"database/sql", "net/http", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"},
			[]string{"os", "math/rand", "math/rand/v2", "crypto/rand"}},
		{"backdesk/mail", []string{"database/sql", "net/http", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"}, nil},
		{"backdesk/webhook", []string{"database/sql", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"}, nil},
		{"backdesk/r4", []string{"database/sql", "net/http", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"},
			[]string{"os", "time/tzdata", "math/rand", "math/rand/v2", "crypto/rand", "io"}},
		{"backdesk/ical", []string{"database/sql", "net/http", "backdesk/"}, []string{"os", "math/rand", "crypto/rand"}},
		{"backdesk/letter", []string{"database/sql", "net/http", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"},
			[]string{"os", "math/rand", "crypto/rand", "io/fs"}},
		{"backdesk/pdffont", []string{"database/sql", "net/http", "backdesk/"}, []string{"os", "math/rand", "crypto/rand", "io/fs"}},
		{"backdesk/mock", []string{"database/sql", "net/http", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"}, nil},
		{"backdesk/storetest", []string{"net/http", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"}, nil},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			out, err := exec.Command("go", "list", "-f", "{{join .Imports \" \"}}\n{{join .Deps \" \"}}", tc.pkg).CombinedOutput()
			if err != nil {
				if strings.Contains(string(out), "is not in std") || strings.Contains(string(out), "cannot find") {
					t.Skipf("%s does not exist yet", tc.pkg)
				}
				t.Fatalf("go list %s: %v\n%s", tc.pkg, err, out)
			}
			imports, deps, _ := strings.Cut(string(out), "\n")
			check := func(list string, forbidden []string, how string) {
				for _, dep := range strings.Fields(list) {
					for _, f := range forbidden {
						if dep == f || strings.HasSuffix(f, "/") && strings.HasPrefix(dep, f) {
							t.Errorf("%s %s %s, which STYLE.md forbids", tc.pkg, how, dep)
						}
					}
				}
			}
			check(deps, tc.deps, "depends on")
			check(imports, tc.imports, "imports")
		})
	}
}
