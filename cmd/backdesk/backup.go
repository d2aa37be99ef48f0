package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"backdesk/sqlstore"
)

// runBackup copies a live SQLite database to --to.
func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	var to string
	var force bool
	fs := newFlags("backup", &cfg, getenv, stderr)
	fs.StringVar(&to, "to", "", "the backup file to write (required)")
	fs.BoolVar(&force, "force", false, "replace --to if it exists")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if to == "" {
		return errors.New("usage: backdesk backup --to FILE [--force] [--db URL]")
	}
	start := time.Now()
	info, err := sqlstore.Backup(ctx, cfg.DatabaseURL, to, force)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up the database to %s (%d bytes, %d migrations, integrity ok) in %s\n",
		info.Path, info.Bytes, info.Migrations, time.Since(start).Round(time.Millisecond))
	return nil
}

// runRestore puts a backup in place of a SQLite database that no backdesk
// process has open.
func runRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	var from string
	fs := newFlags("restore", &cfg, getenv, stderr)
	fs.StringVar(&from, "from", "", "the backup file to put in place (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if from == "" {
		return errors.New("usage: backdesk restore --from FILE [--db URL]")
	}
	r, err := sqlstore.Restore(ctx, cfg.DatabaseURL, from, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s (%d bytes, %d migrations, integrity ok)\n", r.Path, r.From, r.Bytes, r.Migrations)
	if r.Previous != "" {
		fmt.Fprintf(stdout, "kept the previous database as %s\n", r.Previous)
	}
	for _, f := range r.Moved {
		fmt.Fprintf(stdout, "kept the previous database's unfolded journal as %s\n", f)
	}
	for _, f := range r.Removed {
		fmt.Fprintf(stdout, "removed %s, which belonged to the previous database\n", f)
	}
	return nil
}

// backupFlags adds serve's scheduled-backup flags, with defaults from
// BACKDESK_BACKUP_DIR, BACKDESK_BACKUP_EVERY and BACKDESK_BACKUP_KEEP.
func backupFlags(fs *flag.FlagSet, cfg *Config, getenv func(string) string) error {
	fs.StringVar(&cfg.BackupDir, "backup-dir", cfg.BackupDir, "back up the SQLite database into this folder on a schedule (env BACKDESK_BACKUP_DIR)")
	fs.DurationVar(&cfg.BackupEvery, "backup-every", cfg.BackupEvery, "how often to back up, e.g. 1h or 30m")
	fs.IntVar(&cfg.BackupKeep, "backup-keep", cfg.BackupKeep, "how many scheduled backups to keep, the newest")
	return envFlags(fs, getenv, map[string]string{"backup-every": "BACKDESK_BACKUP_EVERY", "backup-keep": "BACKDESK_BACKUP_KEEP"})
}

// checkBackupConfig says what is wrong with the scheduled-backup settings
// for a database of kind ("sqlite" or "postgres"); nil when they are off.
func checkBackupConfig(cfg Config, kind string) error {
	switch {
	case cfg.BackupDir == "":
		return nil
	case kind != "sqlite":
		return errors.New("--backup-dir backs up a SQLite database; back up PostgreSQL with pg_dump (see Backups in the README)")
	case cfg.BackupEvery <= 0:
		return fmt.Errorf("--backup-every %s: give a positive interval, e.g. 1h", cfg.BackupEvery)
	case cfg.BackupKeep < 1:
		return fmt.Errorf("--backup-keep %d: keep at least one backup", cfg.BackupKeep)
	}
	fi, err := os.Stat(cfg.BackupDir)
	if err != nil || !fi.IsDir() {
		return fmt.Errorf("backup folder %s does not exist", cfg.BackupDir)
	}
	f, err := os.CreateTemp(cfg.BackupDir, ".backdesk-check-*")
	if err != nil {
		return fmt.Errorf("backup folder %s cannot be written: %v", cfg.BackupDir, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// startBackups starts serve's scheduled backups of db when cfg asks for
// them. The returned stop ends them (interrupting a backup under way, which
// leaves nothing behind) and waits until they have ended.
func startBackups(ctx context.Context, db *sqlstore.DB, cfg Config, logger *slog.Logger) (stop func(), err error) {
	if err := checkBackupConfig(cfg, db.Kind()); err != nil || cfg.BackupDir == "" {
		return func() {}, err
	}
	base := filepath.Base(db.Path())
	s := &backupSchedule{db: db, dir: cfg.BackupDir, prefix: strings.TrimSuffix(base, filepath.Ext(base)) + "-",
		every: cfg.BackupEvery, keep: cfg.BackupKeep, log: logger, now: time.Now}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { s.run(ctx) })
	logger.Info("scheduled backups", "dir", s.dir, "every", s.every, "keep", s.keep)
	return func() { cancel(); wg.Wait() }, nil
}

// backupSchedule writes DIR/NAME-TIME.db, NAME being the database file's
// name without its extension and TIME the UTC time of the backup to the
// millisecond, and removes all but the newest keep of them. Other files in
// DIR are never touched.
type backupSchedule struct {
	db     *sqlstore.DB
	dir    string
	prefix string
	every  time.Duration
	keep   int
	log    *slog.Logger
	now    func() time.Time
}

const backupTimeFormat = "20060102T150405.000Z"

// run backs up every interval until ctx ends. The first backup is due one
// interval after the newest already in the folder (at once if there is
// none, or it is older), so restarts neither skip nor crowd them.
func (s *backupSchedule) run(ctx context.Context) {
	now := s.now()
	next := now
	if names := s.backups(); len(names) > 0 {
		if t, ok := s.timeOf(names[len(names)-1]); ok && t.Before(now) {
			next = t.Add(s.every) // one from the future (a clock set back) does not hold them up
		}
	}
	timer := time.NewTimer(max(next.Sub(now), 0))
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		s.once(ctx)
		timer.Reset(s.every)
	}
}

// once takes one backup and prunes; failures are logged, never fatal.
func (s *backupSchedule) once(ctx context.Context) {
	start := s.now()
	name := filepath.Join(s.dir, s.prefix+start.UTC().Format(backupTimeFormat)+".db")
	info, err := s.db.Backup(ctx, name, false)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("backup failed", "file", name, "err", err)
		}
		return
	}
	s.log.Info("backup", "file", info.Path, "bytes", info.Bytes, "took", s.now().Sub(start).Round(time.Millisecond))
	names := s.backups()
	for len(names) > s.keep {
		old := filepath.Join(s.dir, names[0])
		if err := os.Remove(old); err != nil {
			s.log.Error("could not remove an old backup", "file", old, "err", err)
		} else {
			s.log.Info("removed old backup", "file", old)
		}
		names = names[1:]
	}
}

// backups lists the folder's scheduled backups of this database, oldest
// first.
func (s *backupSchedule) backups() []string {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		s.log.Error("listing backups failed", "dir", s.dir, "err", err)
		return nil
	}
	var names []string
	for _, e := range entries {
		if _, ok := s.timeOf(e.Name()); ok && e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names) // the fixed-width UTC time sorts as it reads
	return names
}

// timeOf is the time in a scheduled backup's name; false for any other.
func (s *backupSchedule) timeOf(name string) (time.Time, bool) {
	ts, ok := strings.CutPrefix(name, s.prefix)
	if !ok {
		return time.Time{}, false
	}
	ts, ok = strings.CutSuffix(ts, ".db")
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(backupTimeFormat, ts)
	return t, err == nil && t.Format(backupTimeFormat) == ts
}
