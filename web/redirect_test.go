package web

import (
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// nextCases are post-sign-in destinations an attacker might write, and
// what safeNext makes of each: "/" when a browser could leave the site.
var nextCases = []struct {
	name, in, want string
}{
	{"tab inside, dropped by browsers", "/\t/evil.example/", "/"},
	{"newline inside", "/\n/evil", "/"},
	{"carriage return inside", "/\r/evil", "/"},
	{"NUL", "/x\x00", "/"},
	{"DEL", "/x\x7f", "/"},
	{"scheme-relative", "//evil", "/"},
	{"three slashes", "///evil", "/"},
	{"slash backslash", "/\\evil", "/"},
	{"backslash slash", "\\/evil", "/"},
	{"backslash later", "/a\\b", "/"},
	{"leading space", " /x", "/"},
	{"trailing space", "/x ", "/"},
	{"absolute URL", "https://evil", "/"},
	{"scheme without slashes", "http:/evil", "/"},
	{"scheme, no path", "https:evil", "/"},
	{"javascript", "javascript:alert(1)", "/"},
	{"userinfo", "//user@evil", "/"},
	{"empty", "", "/"},
	{"dot", ".", "/"},
	{"query only", "?x", "/"},
	{"relative path", "appointments", "/"},
	{"full-width solidus, no slash first", "\uff0f\uff0fevil", "/"},
	{"not UTF-8", "/\xff", "/"},
	{"bad percent escape", "/%zz", "/"},

	{"a path", "/appointments", "/appointments"},
	{"a host-like path is a path", "/evil.example", "/evil.example"},
	{"query and fragment kept", "/appointments/3?x=1#top", "/appointments/3?x=1#top"},
	{"a URL in the query is data", "/ok?next=//evil", "/ok?next=//evil"},
	{"empty query kept", "/x?", "/x?"},
	{"dot-dot removed", "/a/../b", "/b"},
	{"dot-dot above the root", "/../../x", "/x"},
	{"dot then double slash", "/.//evil", "/evil"},
	{"encoded dots are dots", "/%2e/%2E%2e//evil", "/evil"},
	{"repeated slashes inside", "/a//b/", "/a/b/"},
	{"encoded tab stays encoded", "/%09/evil", "/%09/evil"},
	{"encoded slashes stay encoded", "/%2F%2Fevil", "/%2F%2Fevil"},
	{"encoded backslash stays encoded", "/%5Cevil", "/%5Cevil"},
	{"full-width solidus", "/\uff0f\uff0fevil", "/%EF%BC%8F%EF%BC%8Fevil"},
	{"non-ASCII encoded", "/caf\u00e9?q=\u00e9", "/caf%C3%A9?q=%C3%A9"},
	{"space and quotes encoded", "/a b?c d'\"<>#e f", "/a%20b?c%20d%27%22%3C%3E#e%20f"},
	{"colon in the first segment", "/javascript:alert(1)", "/javascript:alert(1)"},
}

func TestSafeNext(t *testing.T) {
	for _, tc := range nextCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := safeNext(tc.in); got != tc.want {
				t.Errorf("safeNext(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestSafeNextInBrowser reads every answer of the table with a real WHATWG
// URL parser (Node's) against the clinic's address: it must stay on the
// clinic's origin, and read back exactly as written (so nothing in it is
// stripped, decoded or resolved differently by a browser).
func TestSafeNextInBrowser(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("BACKDESK_REQUIRE_BROWSER") != "" {
			t.Fatal("node not found, and BACKDESK_REQUIRE_BROWSER is set")
		}
		t.Skip("node not installed")
	}
	var outs []string
	for _, tc := range nextCases {
		outs = append(outs, safeNext(tc.in))
	}
	in, _ := json.Marshal(outs)
	const script = `
const outs = JSON.parse(require("fs").readFileSync(0, "utf8"));
const base = new URL("https://clinic.example/");
console.log(JSON.stringify(outs.map(o => { const u = new URL(o, base); return {host: u.host, origin: u.origin, href: u.href}; })));`
	cmd := exec.Command(node, "-e", script)
	cmd.Stdin = strings.NewReader(string(in))
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var got []struct{ Host, Origin, Href string }
	if err := json.Unmarshal(b, &got); err != nil || len(got) != len(outs) {
		t.Fatalf("node answered %s (%v)", b, err)
	}
	for i, g := range got {
		if g.Host != "clinic.example" || g.Origin != "https://clinic.example" || g.Href != "https://clinic.example"+outs[i] {
			t.Errorf("safeNext(%q) = %q, which a browser reads as %s (host %q, origin %q)", nextCases[i].in, outs[i], g.Href, g.Host, g.Origin)
		}
	}
}

// FuzzSafeNext: whatever comes in, the answer is "/" or a path starting
// with one "/", that net/url reads without a scheme, host or user, that the
// WHATWG preprocessing leaves as it is, and that safeNext keeps unchanged.
func FuzzSafeNext(f *testing.F) {
	for _, tc := range nextCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := safeNext(in)
		if got == "/" {
			return
		}
		if len(got) < 2 || got[0] != '/' || got[1] == '/' || got[1] == '\\' {
			t.Fatalf("safeNext(%q) = %q, not a path on this site", in, got)
		}
		if strings.ContainsFunc(got, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
			t.Fatalf("safeNext(%q) = %q, with a control character or backslash", in, got)
		}
		if whatwgPreprocess(got) != got {
			t.Fatalf("safeNext(%q) = %q, which a browser reads as %q", in, got, whatwgPreprocess(got))
		}
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
			t.Fatalf("safeNext(%q) = %q: net/url reads %#v, %v", in, got, u, err)
		}
		if again := safeNext(got); again != got {
			t.Fatalf("safeNext(%q) = %q, but safeNext(%q) = %q", in, got, got, again)
		}
	})
}

// whatwgPreprocess is what a browser's URL parser does to the text before
// parsing a URL with a special scheme such as https.
func whatwgPreprocess(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	return strings.ReplaceAll(s, "\\", "/")
}
