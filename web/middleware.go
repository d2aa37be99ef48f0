package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"backdesk"
)

// SessionCookie is the name of the sign-in cookie.
const SessionCookie = "backdesk_session"

type ctxKey int

const requestInfoKey ctxKey = iota

// requestInfo is what the middleware learns about a request, kept once in
// its context: its id, the route pattern the mux matched (recordRoute sets
// it; accessLog sees an earlier copy of the request than the mux does) and
// the client's address, worked out on first use (clientAddr).
type requestInfo struct {
	id      string
	pattern string
	client  string
}

func infoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(requestInfoKey).(*requestInfo)
	return info
}

// recordRoute wraps the mux and notes the pattern it matched.
func recordRoute(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info := infoFrom(r.Context()); info != nil {
			defer func() { info.pattern = r.Pattern }() // the mux sets r.Pattern in place
		}
		mux.ServeHTTP(w, r)
	})
}

func requestIDFrom(ctx context.Context) string {
	if info := infoFrom(ctx); info != nil {
		return info.id
	}
	return ""
}

// requestID gives every request an id, echoed in X-Request-ID.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestInfoKey, &requestInfo{id: id})))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// accessLog writes one structured line per request and records metrics by
// route pattern (never by raw path, so ids do not explode the series).
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		info := infoFrom(r.Context())
		if info == nil {
			info = &requestInfo{}
			r = r.WithContext(context.WithValue(r.Context(), requestInfoKey, info))
		}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		elapsed := time.Since(start)
		route := info.pattern
		if route == "" {
			route = "unmatched"
		}
		s.metrics.observe(r.Method, route, sw.status, elapsed)
		// Typed attributes: no value boxed, on every request.
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("request_id", info.id), slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.String("route", route), slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000), slog.String("remote", s.clientAddr(r)))
	})
}

// recoverer turns a panic into a logged 500.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.refuse(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows no inline script and no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if s.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=63072000")
		}
		next.ServeHTTP(w, r)
	})
}

// bearer is the API token a request to /api/v1 or /fhir carries in
// "Authorization: Bearer …"; "" for none (and on any other path, where a
// token is not accepted). ok reports whether the header was there at all.
func bearer(r *http.Request) (token string, ok bool) {
	if !strings.HasPrefix(r.URL.Path, "/api/v1/") && r.URL.Path != "/fhir" && !strings.HasPrefix(r.URL.Path, "/fhir/") {
		return "", false
	}
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", false
	}
	scheme, token, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", true
	}
	return strings.TrimSpace(token), true
}

// crossOrigin applies the cross-origin check to every request but those an
// integration makes with an API token and no cookie at all: a browser
// cannot send such a request from another site (it would need CORS, which
// backdesk does not grant), and the token is its own proof. A request with
// a cookie is checked whatever else it carries.
func (s *Server) crossOrigin(cop *http.CrossOriginProtection, next http.Handler) http.Handler {
	checked := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := bearer(r); ok && r.Header.Get("Cookie") == "" {
			next.ServeHTTP(w, r)
			return
		}
		checked.ServeHTTP(w, r)
	})
}

// authenticate puts the actor into the context: an API token's on /api/v1
// and /fhir (a request with a bad or revoked token is refused there and
// then, never served as anonymous), otherwise the signed-in user's, if
// any. A stale cookie is cleared and the request goes on anonymously. When
// the session cannot be looked up at all (the database does not answer),
// the person is told so with 503 and keeps their cookie: they are signed
// in, and "please sign in" would be untrue.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := backdesk.Actor{Source: s.clientAddr(r)}
		if token, ok := bearer(r); ok {
			ctx := backdesk.NewContextWithActor(r.Context(), actor)
			a, err := s.svcs.Tokens.ActorForAPIToken(ctx, token, r.Method+" "+r.URL.Path)
			if err != nil {
				if backdesk.ErrorCode(err) == backdesk.CodeUnauthorized {
					w.Header().Set("WWW-Authenticate", `Bearer realm="backdesk", error="invalid_token"`)
				}
				s.refuse(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(backdesk.NewContextWithActor(r.Context(), a)))
			return
		}
		if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			a, err := s.svcs.Users.ActorForSession(r.Context(), c.Value)
			switch backdesk.ErrorCode(err) {
			case "":
				actor = a
			case backdesk.CodeUnauthorized:
				s.clearSessionCookie(w, r)
			default:
				if !operational(r) {
					s.refuse(w, r, recordsDown(r, fmt.Errorf("session lookup: %w", err)))
					return
				}
			}
		}
		actor.Source = s.clientAddr(r)
		next.ServeHTTP(w, r.WithContext(backdesk.NewContextWithActor(r.Context(), actor)))
	})
}

// operational reports whether r is for the operators or a static file,
// which need nobody's sign-in.
func operational(r *http.Request) bool {
	switch r.URL.Path {
	case "/healthz", "/readyz", "/metrics":
		return true
	}
	return strings.HasPrefix(r.URL.Path, "/static/")
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, sess *backdesk.Session) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: sess.Token, Path: "/", Expires: sess.ExpiresAt,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

// secure reports whether cookies must be Secure: over TLS, or when the site
// is known to be served over https.
func (s *Server) secure(r *http.Request) bool { return r.TLS != nil || s.cfg.SecureCookies }

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}
