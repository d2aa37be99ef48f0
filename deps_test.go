package backdesk_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyRules enforces the import rules of STYLE.md: the root is
// vocabulary (standard library only), web never sees storage, policy
// packages stay pure, and sqlstore never reaches up into web or clinic.
func TestDependencyRules(t *testing.T) {
	for _, tc := range []struct {
		pkg    string
		forbid []string
	}{
		{"backdesk", []string{"database/sql", "net/http", "html/template", "backdesk/"}},
		{"backdesk/web", []string{"database/sql", "backdesk/sqlstore", "backdesk/clinic", "backdesk/triage", "backdesk/schedule"}},
		{"backdesk/clinic", []string{"database/sql", "net/http", "backdesk/sqlstore", "backdesk/web"}},
		{"backdesk/sqlstore", []string{"net/http", "backdesk/web", "backdesk/clinic", "backdesk/triage"}},
		{"backdesk/triage", []string{"database/sql", "net/http", "os", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"}},
		{"backdesk/schedule", []string{"database/sql", "net/http", "os", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"}},
		{"backdesk/mock", []string{"database/sql", "net/http", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"}},
		{"backdesk/storetest", []string{"net/http", "backdesk/sqlstore", "backdesk/web", "backdesk/clinic"}},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			out, err := exec.Command("go", "list", "-deps", tc.pkg).CombinedOutput()
			if err != nil {
				if strings.Contains(string(out), "is not in std") || strings.Contains(string(out), "cannot find") {
					t.Skipf("%s does not exist yet", tc.pkg)
				}
				t.Fatalf("go list %s: %v\n%s", tc.pkg, err, out)
			}
			for _, dep := range strings.Fields(string(out)) {
				if dep == tc.pkg {
					continue
				}
				for _, f := range tc.forbid {
					if dep == f || strings.HasSuffix(f, "/") && strings.HasPrefix(dep, f) {
						t.Errorf("%s imports %s, which STYLE.md forbids", tc.pkg, dep)
					}
				}
			}
		})
	}
}
