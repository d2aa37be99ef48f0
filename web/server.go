// Package web is backdesk's HTTP layer: HTML pages and the JSON API over the
// backdesk service interfaces. Handlers decode, call one service and render;
// they hold no SQL, no policy and no clock (see deps_test.go).
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"backdesk"
)

// Config is what the HTTP layer needs to know about its deployment.
type Config struct {
	// ClinicName is shown in page titles and headers.
	ClinicName string
	// BaseURL is the site's public address (https://clinic.example), for
	// the links it hands out (calendar feeds) and the absolute URLs of FHIR
	// answers; empty: the address each request was made to.
	BaseURL string
	// Dev reads templates and static files from DevDir on every request.
	Dev    bool
	DevDir string // the web folder, e.g. "web"
	// TrustedOrigins may POST cross-origin (another front end).
	TrustedOrigins []string
	// SecureCookies marks cookies Secure even when TLS ends at a proxy in
	// front (set when the public address is https).
	SecureCookies bool
	// MailConfigured says whether the outbox is delivered over SMTP.
	MailConfigured bool
	// TrustedProxies are the reverse proxies in front whose
	// X-Forwarded-For names the client (see clientAddress). Empty: the
	// peer's address is the client's.
	TrustedProxies []netip.Prefix
	// AllowPrivateWebhooks says webhook endpoints may be on private
	// networks and this machine (shown on the webhooks page).
	AllowPrivateWebhooks bool
}

// Services are the domain services the handlers call.
type Services struct {
	// Access answers whether the actor may do something, for pages that
	// show a form before anything is submitted.
	Access        AccessService
	Locations     LocationService
	Practitioners PractitionerService
	Offerings     OfferingService
	Users         UserService
	Assessments   AssessmentService
	Availability  AvailabilityService
	Bookings      BookingService
	TimeOff       TimeOffService
	Messages      MessageService
	Calendar      CalendarService
	Waitlist      WaitlistService
	Audit         AuditService
	Outbox        OutboxService
	Patients      PatientService
	Intakes       IntakeService
	Exercises     ExerciseService
	CarePlans     CarePlanService
	Outcomes      OutcomeService
	Reminders     ReminderService
	Referrals     ReferralService
	Notes         NoteService
	Day           DayService
	Tokens        APITokenService
	Webhooks      WebhookService
	// Ready reports whether the database answers (for /readyz).
	Ready func(ctx context.Context) error
}

// Server is the HTTP handler of backdesk.
type Server struct {
	cfg        Config
	svcs       Services
	log        *slog.Logger
	activeSite atomic.Pointer[site] // the templates and static files now served (see Server.site)
	metrics    *metrics
	handler    http.Handler
	patterns   []string
	// ops are the operations routes check first (Operations); nextOp is
	// the one precheck hands to the route being registered.
	ops    map[string]backdesk.Operation
	nextOp backdesk.Operation

	// openapi is the API's description, built on first request.
	openapiOnce sync.Once
	openapi     []byte
	openapiErr  error

	// now is the clock of every page and answer that depends on the time
	// (reuse of answers, the diary from today, late cancellation);
	// time.Now unless a test sets it.
	now func() time.Time
}

// NewServer builds the handler. It parses every template and fails on any
// error, so a broken template stops the start rather than a page view.
func NewServer(cfg Config, svcs Services, logger *slog.Logger) (*Server, error) {
	if cfg.ClinicName == "" {
		cfg.ClinicName = "backdesk"
	}
	s := &Server{cfg: cfg, svcs: svcs, log: logger, metrics: newMetrics(), now: time.Now, ops: map[string]backdesk.Operation{}}
	st, err := loadSite(s.files())
	if err != nil {
		return nil, err
	}
	s.activeSite.Store(st)
	mux := http.NewServeMux()
	s.routes(mux)
	cop := http.NewCrossOriginProtection()
	for _, o := range cfg.TrustedOrigins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, err
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))
	inner := s.authenticate(s.checkQuery(s.flashes(recordRoute(mux))))
	s.handler = s.requestID(s.accessLog(s.recoverer(s.securityHeaders(s.crossOrigin(cop, inner)))))
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }
