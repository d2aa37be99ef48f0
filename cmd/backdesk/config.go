package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"backdesk/clinic"
	"backdesk/web"
)

// Config is the whole configuration of a backdesk process: flags first, then
// BACKDESK_* environment variables, then DefaultConfig.
type Config struct {
	Addr        string
	DatabaseURL string
	// Demo is the demo clinic to add to an empty database: "" none, "uk"
	// (Bristol) or "us" (Denver).
	Demo       string
	Dev        bool
	ClinicName string
	ODIText    string // path of the licensed Oswestry wording, optional
	BaseURL    string // public address, for links in emails
	SMTP       string // smtp://user:password@host:port; empty: emails wait in the outbox
	MailFrom   string // the sender address of emails
	// TrustedProxies lists the reverse proxies in front (addresses or CIDR
	// ranges, comma-separated) whose X-Forwarded-For names the client.
	TrustedProxies string
	// MailInterval is how often delivery workers look for due emails.
	MailInterval time.Duration
	// SweepInterval is how often serve writes the plan reminders and the
	// questionnaires before follow-ups that are due.
	SweepInterval time.Duration
	// OutcomeRequestBefore is how long before a follow-up appointment its
	// questionnaire is emailed.
	OutcomeRequestBefore time.Duration
	// WebhookInterval is how often webhook workers look for due
	// deliveries; WebhookFirstRetry scales the retry schedule (its first
	// step, 5 s as the Standard Webhooks specification suggests).
	WebhookInterval   time.Duration
	WebhookFirstRetry time.Duration
	// WebhookAllowPrivate lets webhook endpoints be on private networks and
	// this machine.
	WebhookAllowPrivate bool
	// BackupDir, when set, is where serve writes a backup of its SQLite
	// database every BackupEvery, keeping the newest BackupKeep.
	BackupDir   string
	BackupEvery time.Duration
	BackupKeep  int
	// MetricsToken is the bearer token that reads /metrics; MetricsAllow
	// the addresses or CIDR ranges (comma-separated) that read it without
	// one. With neither, nobody does.
	MetricsToken string
	MetricsAllow string
	// PatientBookings and PatientWaitlist cap what one patient holds when
	// they book for themselves: live future appointments, and waitlist
	// requests still waiting (0: no cap). Reception is not capped.
	PatientBookings int
	PatientWaitlist int
	// DebugAddr, when set, is a loopback address where serve offers Go's
	// runtime profiles (/debug/pprof/), apart from the public address.
	DebugAddr string
}

// DefaultConfig is what a newcomer gets with no flags and no environment.
func DefaultConfig() Config {
	return Config{Addr: "127.0.0.1:8080", DatabaseURL: "sqlite:backdesk.db", ClinicName: "Riverside Back Clinic", MailFrom: "reception@riverside.example",
		MailInterval: 10 * time.Second, SweepInterval: time.Minute, OutcomeRequestBefore: 24 * time.Hour, BackupEvery: time.Hour, BackupKeep: 48,
		WebhookInterval: time.Second, WebhookFirstRetry: 5 * time.Second,
		PatientBookings: clinic.DefaultLimits.FutureBookings, PatientWaitlist: clinic.DefaultLimits.WaitingEntries}
}

// clinicFlags adds the settings serve and check share for the clinic's
// own rules and the operators' metrics.
func clinicFlags(fs *flag.FlagSet, cfg *Config, getenv func(string) string) error {
	fs.StringVar(&cfg.MetricsToken, "metrics-token", cfg.MetricsToken, "bearer token that reads /metrics (env BACKDESK_METRICS_TOKEN)")
	fs.StringVar(&cfg.MetricsAllow, "metrics-allow", cfg.MetricsAllow, "addresses or CIDR ranges, comma-separated, that read /metrics without a token (env BACKDESK_METRICS_ALLOW)")
	fs.IntVar(&cfg.PatientBookings, "patient-bookings", cfg.PatientBookings, "most future appointments a patient may hold when booking online (0: no cap)")
	fs.IntVar(&cfg.PatientWaitlist, "patient-waitlist", cfg.PatientWaitlist, "most waitlist requests a patient may have waiting (0: no cap)")
	return envFlags(fs, getenv, map[string]string{"metrics-token": "BACKDESK_METRICS_TOKEN", "metrics-allow": "BACKDESK_METRICS_ALLOW",
		"patient-bookings": "BACKDESK_PATIENT_BOOKINGS", "patient-waitlist": "BACKDESK_PATIENT_WAITLIST"})
}

// checkClinicConfig says what is wrong with those settings.
func checkClinicConfig(cfg Config) error {
	if _, err := web.ParseTrustedProxies(cfg.MetricsAllow); err != nil {
		return fmt.Errorf("--metrics-allow: %v", err)
	}
	if cfg.PatientBookings < 0 || cfg.PatientWaitlist < 0 {
		return fmt.Errorf("--patient-bookings %d, --patient-waitlist %d: give 0 (no cap) or more", cfg.PatientBookings, cfg.PatientWaitlist)
	}
	return nil
}

// newFlags returns a flag set for a subcommand with the shared --db flag and
// defaults from the environment.
func newFlags(name string, cfg *Config, getenv func(string) string, stderr io.Writer) *flag.FlagSet {
	for env, dst := range map[string]*string{
		"BACKDESK_DB": &cfg.DatabaseURL, "BACKDESK_ADDR": &cfg.Addr, "BACKDESK_SMTP": &cfg.SMTP, "BACKDESK_MAIL_FROM": &cfg.MailFrom,
		"BACKDESK_BASE_URL": &cfg.BaseURL, "BACKDESK_ODI_TEXT": &cfg.ODIText, "BACKDESK_TRUSTED_PROXIES": &cfg.TrustedProxies,
		"BACKDESK_CLINIC_NAME": &cfg.ClinicName, "BACKDESK_BACKUP_DIR": &cfg.BackupDir,
		"BACKDESK_DEBUG_ADDR": &cfg.DebugAddr,
	} {
		if v := getenv(env); v != "" {
			*dst = v
		}
	}
	fs := flag.NewFlagSet("backdesk "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.DatabaseURL, "db", cfg.DatabaseURL, "database: sqlite:PATH or postgres://USER@HOST/DBNAME (env BACKDESK_DB)")
	return fs
}

// envFlags sets each flag named in vars (flag name → BACKDESK_* variable)
// to its variable's value when that is set, before the command line is
// parsed, so that a flag still wins. It is for flags that are not strings,
// whose values must parse.
func envFlags(fs *flag.FlagSet, getenv func(string) string, vars map[string]string) error {
	for name, env := range vars {
		if v := getenv(env); v != "" {
			if err := fs.Set(name, v); err != nil {
				return fmt.Errorf("%s=%q is not valid for --%s (%s): %v", env, v, name, fs.Lookup(name).Usage, err)
			}
		}
	}
	return nil
}

// demoFlag is --demo: alone the UK demo clinic, --demo=us the US one.
type demoFlag struct{ v *string }

func (d demoFlag) String() string {
	if d.v == nil {
		return ""
	}
	return *d.v
}

// IsBoolFlag lets --demo stand alone.
func (demoFlag) IsBoolFlag() bool { return true }

func (d demoFlag) Set(s string) error {
	switch strings.ToLower(s) {
	case "true", "uk", "gb":
		*d.v = "uk"
	case "us":
		*d.v = "us"
	case "false", "":
		*d.v = ""
	default:
		return fmt.Errorf("--demo takes no value (the UK clinic) or =us (the US clinic), not %q", s)
	}
	return nil
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}
