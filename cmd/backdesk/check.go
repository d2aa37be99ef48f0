package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/url"
	"strings"

	bdmail "backdesk/mail"
	"backdesk/sqlstore"
	"backdesk/web"
)

// runCheck verifies what serve would start with — its configuration, the
// database and its migrations, the mail server — without serving and
// without changing anything. Each check prints one line: "ok: …" on stdout,
// or "problem: …" on stderr, and any problem makes the exit status 1.
func runCheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	fs := newFlags("check", &cfg, getenv, stderr)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address serve would listen on (env BACKDESK_ADDR)")
	fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "public address of the site (env BACKDESK_BASE_URL; default http://ADDR)")
	fs.StringVar(&cfg.SMTP, "smtp", cfg.SMTP, "mail server, smtp://user:password@host:587 (env BACKDESK_SMTP)")
	fs.StringVar(&cfg.MailFrom, "mail-from", cfg.MailFrom, "sender address of emails (env BACKDESK_MAIL_FROM)")
	fs.StringVar(&cfg.ODIText, "odi-text", cfg.ODIText, "JSON file with the clinic's licensed Oswestry wording (env BACKDESK_ODI_TEXT)")
	fs.StringVar(&cfg.TrustedProxies, "trusted-proxies", cfg.TrustedProxies, "reverse proxies in front, addresses or CIDR ranges, comma-separated (env BACKDESK_TRUSTED_PROXIES)")
	fs.StringVar(&cfg.DebugAddr, "debug-addr", cfg.DebugAddr, "loopback HOST:PORT serve would offer its profiles on (env BACKDESK_DEBUG_ADDR)")
	envErr := errors.Join(backupFlags(fs, &cfg, getenv), clinicFlags(fs, &cfg, getenv))
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	problems := 0
	ok := func(format string, args ...any) { fmt.Fprintf(stdout, "ok: "+format+"\n", args...) }
	problem := func(what string, err error) {
		problems++
		msg := strings.Join(strings.Fields(err.Error()), " ")
		if !strings.HasPrefix(strings.ToLower(msg), strings.ToLower(what)) {
			msg = what + ": " + msg
		}
		fmt.Fprintln(stderr, "problem: "+msg)
	}
	if envErr != nil {
		problem("environment", envErr)
	}

	if _, _, err := net.SplitHostPort(cfg.Addr); err != nil {
		problem("address", fmt.Errorf("%q: want HOST:PORT, e.g. 127.0.0.1:8080", cfg.Addr))
	} else {
		ok("address %s", cfg.Addr)
	}
	if err := checkBaseURL(cfg.BaseURL); err != nil {
		problem("base URL", err)
	} else if cfg.BaseURL == "" {
		ok("base URL not set: links in emails use http://%s", cfg.Addr)
	} else {
		ok("base URL %s", cfg.BaseURL)
	}
	if proxies, err := web.ParseTrustedProxies(cfg.TrustedProxies); err != nil {
		problem("trusted proxies", err)
	} else if len(proxies) == 0 {
		ok("trusted proxies: none (X-Forwarded-For is ignored)")
	} else {
		ok("trusted proxies %v", proxies)
	}
	if err := checkDebugAddr(cfg.DebugAddr); err != nil {
		problem("debug address", err)
	} else if cfg.DebugAddr != "" {
		ok("debug address %s (profiles at /debug/pprof/)", cfg.DebugAddr)
	}
	if err := checkClinicConfig(cfg); err != nil {
		problem("clinic settings", err)
	} else {
		allow, _ := web.ParseTrustedProxies(cfg.MetricsAllow)
		switch {
		case cfg.MetricsToken == "" && len(allow) == 0:
			ok("metrics: closed (set --metrics-token or --metrics-allow to read /metrics)")
		case cfg.MetricsToken != "" && len(allow) > 0:
			ok("metrics: with the token, or from %v", allow)
		case cfg.MetricsToken != "":
			ok("metrics: with the token")
		default:
			ok("metrics: from %v", allow)
		}
		ok("patients booking online hold at most %s and %s", limitWords(cfg.PatientBookings, "future appointment"), limitWords(cfg.PatientWaitlist, "waiting waitlist request"))
	}
	if cfg.ODIText != "" {
		if _, err := loadODIText(cfg.ODIText); err != nil {
			problem("Oswestry wording", err)
		} else {
			ok("Oswestry wording %s", cfg.ODIText)
		}
	}

	if db, err := sqlstore.OpenExisting(ctx, cfg.DatabaseURL); err != nil {
		problem("database", err)
	} else {
		checkDatabase(ctx, db, cfg, ok, problem)
		db.Close()
	}

	if cfg.SMTP == "" {
		ok("mail server not set: emails wait in the staff outbox")
	} else if _, err := mail.ParseAddress(cfg.MailFrom); err != nil {
		problem("sender address", fmt.Errorf("%q: %v", cfg.MailFrom, err))
	} else if s, err := bdmail.ParseSMTP(cfg.SMTP, cfg.MailFrom); err != nil {
		problem("mail server", err)
	} else if did, err := s.Check(ctx); err != nil {
		problem("mail server "+s.Addr, err)
	} else {
		ok("mail server %s answers (%s); nothing sent", s.Addr, did)
	}

	if problems > 0 {
		return exitError{code: 1}
	}
	return nil
}

// checkDatabase reports the database's migrations, whether it takes writes
// and the backup settings for it.
func checkDatabase(ctx context.Context, db *sqlstore.DB, cfg Config, ok func(string, ...any), problem func(string, error)) {
	name := db.Kind()
	if db.Path() != "" {
		name += " " + db.Path()
	}
	st, err := db.MigrationState(ctx)
	if err != nil {
		problem("database "+name, err)
		return
	}
	if err := db.Writable(ctx); err != nil {
		problem("database "+name, err)
	} else {
		ok("database %s answers and takes writes", name)
	}
	switch {
	case len(st.Unknown) > 0:
		problem("migrations", fmt.Errorf("the database has %d that this backdesk does not (%s): a newer version wrote it", len(st.Unknown), strings.Join(st.Unknown, ", ")))
	case len(st.Pending) > 0:
		problem("migrations", fmt.Errorf("%d not applied (%s): serve applies them at start, backdesk migrate now", len(st.Pending), strings.Join(st.Pending, ", ")))
	default:
		ok("migrations: all %d applied", len(st.Applied))
	}
	if err := checkBackupConfig(cfg, db.Kind()); err != nil {
		problem("scheduled backups", err)
	} else if cfg.BackupDir != "" {
		ok("scheduled backups into %s every %s, keeping %d", cfg.BackupDir, cfg.BackupEvery, cfg.BackupKeep)
	}
}

// limitWords says a cap in words: "4 future appointments", "any number of …".
func limitWords(n int, what string) string {
	switch n {
	case 0:
		return "any number of " + what + "s"
	case 1:
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// checkBaseURL accepts "" (serve then uses http://ADDR) or an absolute
// http or https address.
func checkBaseURL(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return err
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "":
		return fmt.Errorf("%q: want the site's public address, e.g. https://clinic.example", raw)
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Errorf("%q: the public address takes no query or fragment", raw)
	}
	return nil
}
