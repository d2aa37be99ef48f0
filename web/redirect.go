package web

import (
	"fmt"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"
)

// safeNext decides where to send someone after they sign in or register: a
// path on this site, or "/". A browser reads the Location header with the
// WHATWG URL parser, which strips leading and trailing C0 controls and
// spaces, removes every tab, CR and LF, and reads "\" as "/"; so "/\t/evil",
// "/\evil" and " //evil" all reach another host there. safeNext refuses
// anything those rules would change, then parses the rest with net/url and
// answers its own serialisation, which a browser reads back unchanged.
//
// Percent-encoding is left as it is: a browser never decodes %2F or %5C in
// a path, so "/%2F%2Fevil" is a path on this site ("%2e" segments are dots
// to a browser, so they are removed like "." and "..").
func safeNext(v string) string {
	if !utf8.ValidString(v) || strings.Trim(v, " ") != v {
		return "/"
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c == 0x7f || c == '\\' { // C0 controls (tab, CR, LF…), DEL, backslash
			return "/"
		}
	}
	if !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") { // a path: not "//host", "https:", "?x" or "x"
		return "/"
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	out := cleanPath(u.EscapedPath())
	if u.RawQuery != "" || u.ForceQuery {
		out += "?" + escapeQuery(u.RawQuery)
	}
	if u.Fragment != "" {
		out += "#" + u.EscapedFragment()
	}
	return out
}

// cleanPath removes dot segments (and "%2e" ones, dots to a browser) and
// repeated slashes from an escaped path, keeping a trailing slash; the
// result starts with one "/" followed by anything but "/".
func cleanPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		switch strings.ToLower(s) {
		case "%2e":
			segs[i] = "."
		case "%2e%2e", ".%2e", "%2e.":
			segs[i] = ".."
		}
	}
	out := path.Clean(strings.Join(segs, "/"))
	if strings.HasSuffix(p, "/") && out != "/" {
		out += "/"
	}
	return out
}

// escapeQuery percent-encodes what a browser would encode in a query
// (space, quotes, angle brackets, non-ASCII), so that the answer is already
// in the form a browser sends; net/url keeps the raw query as it came.
func escapeQuery(q string) string {
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case c == ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c >= 0x80:
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
