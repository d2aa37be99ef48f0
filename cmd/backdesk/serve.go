package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"backdesk/mail"
	"backdesk/sqlstore"
	"backdesk/web"
	"backdesk/webhook"
)

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	fs := newFlags("serve", &cfg, getenv, stderr)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on (env BACKDESK_ADDR)")
	fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "public address of the site, for links in emails (env BACKDESK_BASE_URL; default http://ADDR)")
	fs.StringVar(&cfg.SMTP, "smtp", cfg.SMTP, "mail server for the outbox, smtp://user:password@host:587 (env BACKDESK_SMTP); without it emails wait in the staff outbox")
	fs.StringVar(&cfg.MailFrom, "mail-from", cfg.MailFrom, "sender address of emails (env BACKDESK_MAIL_FROM)")
	fs.DurationVar(&cfg.MailInterval, "mail-interval", cfg.MailInterval, "how often to look for emails that are due")
	fs.DurationVar(&cfg.SweepInterval, "sweep-interval", cfg.SweepInterval, "how often to write the plan reminders and the questionnaires before follow-ups that are due")
	fs.DurationVar(&cfg.OutcomeRequestBefore, "outcome-request-before", cfg.OutcomeRequestBefore, "how long before a follow-up appointment its questionnaire is emailed")
	fs.Var(demoFlag{&cfg.Demo}, "demo", "add a demo clinic when the database has no location yet: --demo for the UK clinic, --demo=us for the US one")
	fs.BoolVar(&cfg.Dev, "dev", false, "read templates and static files from ./web on every request")
	fs.StringVar(&cfg.ODIText, "odi-text", cfg.ODIText, "JSON file with the clinic's licensed Oswestry wording (env BACKDESK_ODI_TEXT)")
	fs.StringVar(&cfg.TrustedProxies, "trusted-proxies", cfg.TrustedProxies, "reverse proxies in front, addresses or CIDR ranges, comma-separated, whose X-Forwarded-For names the client (env BACKDESK_TRUSTED_PROXIES)")
	fs.DurationVar(&cfg.WebhookInterval, "webhook-interval", cfg.WebhookInterval, "how often to look for webhook deliveries that are due")
	fs.DurationVar(&cfg.WebhookFirstRetry, "webhook-first-retry", cfg.WebhookFirstRetry, "the wait after a first failed webhook delivery; the rest of the retry schedule (5 min, 30 min, 2 h … 24 h) scales with it")
	fs.BoolVar(&cfg.WebhookAllowPrivate, "webhook-allow-private", false, "let webhook endpoints be on private networks and this machine (env BACKDESK_WEBHOOK_ALLOW_PRIVATE=true)")
	fs.StringVar(&cfg.DebugAddr, "debug-addr", cfg.DebugAddr, "loopback HOST:PORT for Go's profiles at /debug/pprof/ (env BACKDESK_DEBUG_ADDR; default: off)")
	if err := backupFlags(fs, &cfg, getenv); err != nil {
		return err
	}
	if err := envFlags(fs, getenv, map[string]string{"webhook-allow-private": "BACKDESK_WEBHOOK_ALLOW_PRIVATE"}); err != nil {
		return err
	}
	if err := clinicFlags(fs, &cfg, getenv); err != nil {
		return err
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkClinicConfig(cfg); err != nil {
		return err
	}
	proxies, err := web.ParseTrustedProxies(cfg.TrustedProxies)
	if err != nil {
		return err
	}
	if err := checkDebugAddr(cfg.DebugAddr); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	odi, err := loadODIText(cfg.ODIText)
	if err != nil {
		return err
	}

	// serve applies pending migrations at start, as migrate does.
	db, applied, err := sqlstore.OpenMigrated(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, name := range applied {
		logger.Info("applied migration", "name", name)
	}
	stopBackups, err := startBackups(ctx, db, cfg, logger)
	if err != nil {
		return err
	}
	defer stopBackups()
	// Listen first, so that without --base-url the links the clinic hands
	// out (emails, calendar feeds) name the address actually listened on.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %v", cfg.Addr, err)
	}
	defer ln.Close()
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + ln.Addr().String()
	}
	svcs, err := newServices(db, cfg, odi, logger)
	if err != nil {
		return err
	}
	if cfg.SMTP != "" {
		sender, err := mail.ParseSMTP(cfg.SMTP, cfg.MailFrom)
		if err != nil {
			return err
		}
		// Two workers per process; with several processes on PostgreSQL they
		// share the outbox without sending anything twice. They stop claiming
		// when ctx ends and finish or give back what they hold within
		// mail.StopGrace; serve waits for them after the HTTP server has shut
		// down and before the database closes (defers run last first).
		// mailCtx also ends on an early return, so the wait cannot hang.
		mailCtx, stopMail := context.WithCancel(ctx)
		var workers sync.WaitGroup
		defer workers.Wait()
		defer stopMail()
		for range 2 {
			w := mail.NewWorker(db, sender, time.Now, logger)
			workers.Go(func() { w.Run(mailCtx, cfg.MailInterval) })
		}
	}
	if cfg.Demo != "" {
		// Processes starting together on one PostgreSQL database seed it once.
		if err := db.Exclusive(ctx, "backdesk demo seed", func() error { return seedDemo(ctx, svcs, cfg.Demo, stdout) }); err != nil {
			return fmt.Errorf("demo clinic: %w", err)
		}
	}
	// Each process sweeps for due reminders and questionnaires; the
	// database writes each once, however many processes sweep.
	sweepCtx, stopSweeps := context.WithCancel(ctx)
	var sweeping sync.WaitGroup
	defer sweeping.Wait()
	defer stopSweeps()
	sweeping.Go(func() { runSweeps(sweepCtx, svcs, cfg.SweepInterval, logger) })
	srv, err := web.NewServer(web.Config{ClinicName: cfg.ClinicName, BaseURL: cfg.BaseURL, Dev: cfg.Dev, DevDir: "web", MailConfigured: cfg.SMTP != "",
		SecureCookies: strings.HasPrefix(cfg.BaseURL, "https://"), TrustedProxies: proxies,
		AllowPrivateWebhooks: cfg.WebhookAllowPrivate}, svcs.web, logger)
	if err != nil {
		return err
	}
	// Two webhook workers per process, as for the mail; with several
	// processes on PostgreSQL they share the deliveries without sending one
	// twice. They stop with the mail workers, after the HTTP server.
	hookCtx, stopHooks := context.WithCancel(ctx)
	var hookWorkers sync.WaitGroup
	defer hookWorkers.Wait()
	defer stopHooks()
	client := webhook.NewClient(cfg.WebhookAllowPrivate)
	for range 2 {
		w := webhook.NewWorker(db, client, cfg.BaseURL, time.Now, logger)
		w.FirstRetry = cfg.WebhookFirstRetry
		hookWorkers.Go(func() { w.Run(hookCtx, cfg.WebhookInterval) })
	}
	hs := newHTTPServer(srv, logger)
	fmt.Fprintf(stdout, "backdesk listening on http://%s (database: %s)\n", ln.Addr(), db.Kind())
	if cfg.DebugAddr != "" {
		addr, stopDebug, err := startDebug(cfg.DebugAddr, logger)
		if err != nil {
			ln.Close()
			return err
		}
		defer stopDebug()
		fmt.Fprintf(stdout, "backdesk debug listener on http://%s/debug/pprof/\n", addr)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// The public server's limits (README, Operations). A client has
// readHeaderTimeout to send its request line and headers, readTimeout for
// the whole request with its body, and the answer must be written within
// writeTimeout of the request's headers being read; an idle keep-alive
// connection is closed after idleTimeout. Headers beyond maxHeaderBytes are
// answered 431. Bodies are bounded by the handlers (1 MiB, web.decodeJSON
// and the forms).
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
)

// newHTTPServer is the public server with those limits.
func newHTTPServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		WriteTimeout: writeTimeout, IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
}

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	fs := newFlags("migrate", &cfg, getenv, stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, applied, err := sqlstore.OpenMigrated(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, name := range applied {
		fmt.Fprintf(stdout, "applied %s\n", name)
	}
	names, _ := sqlstore.MigrationNames(db.Kind())
	fmt.Fprintf(stdout, "database is up to date (%d migrations, %d applied now, %s)\n", len(names), len(applied), db.Kind())
	return nil
}
