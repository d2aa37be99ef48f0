package web

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"unicode/utf8"
)

// A page's status line ("Booked.", "Saved Amira Shah.") is the clinic
// speaking, so it comes from the server only: redirect sets it in a cookie
// that the next page reads once and clears. Nothing in a URL can write it.

// flashCookie carries the status line to the page a redirect lands on.
const flashCookie = "backdesk_flash"

// maxFlash bounds a status line (a cookie holds about 4 KB).
const maxFlash = 500

const flashKey ctxKey = 100

// redirect answers 303 See Other to a path of this site, with msg, when not
// empty, as the status line of the page it lands on.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, msg string) {
	if msg != "" {
		if len(msg) > maxFlash {
			msg = msg[:maxFlash]
		}
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)), Path: "/",
			MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// flashes reads the status line a redirect left for a page, into the
// request's context, and clears it, so that it shows once.
func (s *Server) flashes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(flashCookie)
		if err != nil || r.Method != http.MethodGet || strings.HasPrefix(r.URL.Path, "/static/") || isAPI(r) {
			next.ServeHTTP(w, r)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
		b, err := base64.RawURLEncoding.DecodeString(c.Value)
		if err != nil || len(b) > maxFlash || !utf8.Valid(b) {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), flashKey, string(b))))
	})
}

// flashFrom is the status line for the page of ctx, if any.
func flashFrom(ctx context.Context) string {
	msg, _ := ctx.Value(flashKey).(string)
	return msg
}
