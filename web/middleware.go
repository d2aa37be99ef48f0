package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"backdesk"
)

// SessionCookie is the name of the sign-in cookie.
const SessionCookie = "backdesk_session"

type ctxKey int

const (
	requestIDKey ctxKey = iota
	routeKey
)

// routeHolder carries the matched route pattern back out to accessLog, which
// sees an earlier copy of the request than the mux does.
type routeHolder struct{ pattern string }

// recordRoute wraps the mux and notes the pattern it matched.
func recordRoute(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := r.Context().Value(routeKey).(*routeHolder); ok {
			defer func() { h.pattern = r.Pattern }() // the mux sets r.Pattern in place
		}
		mux.ServeHTTP(w, r)
	})
}

func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// requestID gives every request an id, echoed in X-Request-ID.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
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
		rh := &routeHolder{}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), routeKey, rh)))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		elapsed := time.Since(start)
		route := rh.pattern
		if route == "" {
			route = "unmatched"
		}
		s.metrics.observe(r.Method, route, sw.status, elapsed)
		s.log.Info("request", "request_id", requestIDFrom(r.Context()), "method", r.Method, "path", r.URL.Path,
			"route", route, "status", sw.status, "bytes", sw.bytes, "duration_ms", float64(elapsed.Microseconds())/1000,
			"remote", s.clientAddr(r))
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
				err := fmt.Errorf("panic: %v\n%s", v, debug.Stack())
				if isFHIR(r) {
					s.fhirError(w, r, err)
				} else if isAPI(r) {
					s.apiError(w, r, err)
				} else {
					s.pageError(w, r, err)
				}
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
// any. A stale cookie is cleared and the request goes on anonymously.
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
				if isFHIR(r) {
					s.fhirError(w, r, err)
				} else {
					s.apiError(w, r, err)
				}
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
				s.log.Error("session lookup", "request_id", requestIDFrom(r.Context()), "err", err)
			}
		}
		actor.Source = s.clientAddr(r)
		next.ServeHTTP(w, r.WithContext(backdesk.NewContextWithActor(r.Context(), actor)))
	})
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
