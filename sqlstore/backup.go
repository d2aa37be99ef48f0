package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Backups of a SQLite database, and putting one back.
//
// A backup is VACUUM INTO run on a connection of its own opened read-only
// (SQLITE_OPEN_READONLY: it cannot write to the live database whatever it
// runs). VACUUM INTO reads the database inside one read transaction, so the
// copy is one consistent moment of it, and in WAL mode the server's writer
// goes on committing meanwhile. The copy is a single self-contained file
// (no -wal), compacted, and the statement stops when its context ends.
// SQLite does not fsync the file VACUUM INTO writes, so Backup does, before
// the rename that makes it visible.

// PostgreSQL is backed up with its own tools.
var (
	errBackupPostgres  = errors.New("backdesk backup copies SQLite databases; back up PostgreSQL with pg_dump (see Backups in the README)")
	errRestorePostgres = errors.New("backdesk restore puts back SQLite backups; restore PostgreSQL with pg_restore (see Backups in the README)")
)

// BackupInfo describes a backup made or checked.
type BackupInfo struct {
	Path       string
	Bytes      int64
	Migrations int // applied in the copy
}

// Backup backs up the SQLite database of rawURL to path, as DB.Backup,
// while any other process may be serving it. A PostgreSQL URL is refused,
// before connecting, with a pointer to pg_dump.
func Backup(ctx context.Context, rawURL, path string, overwrite bool) (BackupInfo, error) {
	if isPostgres(rawURL) {
		return BackupInfo{}, errBackupPostgres
	}
	db, err := OpenExisting(ctx, rawURL)
	if err != nil {
		return BackupInfo{}, err
	}
	defer db.Close()
	return db.Backup(ctx, path, overwrite)
}

// Backup writes a consistent copy of the SQLite database to path, through a
// temporary file beside it that becomes path only once the copy is on disk,
// whole (PRAGMA integrity_check) and a backdesk database. It refuses an
// existing path unless overwrite. PostgreSQL answers with a pointer to
// pg_dump.
func (db *DB) Backup(ctx context.Context, path string, overwrite bool) (BackupInfo, error) {
	if db.path == "" {
		return BackupInfo{}, errBackupPostgres
	}
	if fi, err := os.Stat(path); err == nil {
		switch {
		case fi.IsDir():
			return BackupInfo{}, fmt.Errorf("backup %s is a folder: give a file name", path)
		case sameFile(fi, db.path):
			return BackupInfo{}, fmt.Errorf("backup %s is the database itself", path)
		case !overwrite:
			return BackupInfo{}, fmt.Errorf("backup %s already exists: choose another name, or --force to replace it", path)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return BackupInfo{}, fmt.Errorf("backup %s: %v", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %v", err)
	}
	tmpName := tmp.Name()
	tmp.Close() // VACUUM INTO writes into an empty file
	defer os.Remove(tmpName)

	src, err := sql.Open("sqlite", sqliteDSN(db.path)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %v", err)
	}
	_, err = src.ExecContext(ctx, `VACUUM INTO $1`, tmpName)
	src.Close()
	if err != nil {
		if ctx.Err() != nil {
			return BackupInfo{}, fmt.Errorf("backup to %s stopped: %w", path, ctx.Err())
		}
		return BackupInfo{}, fmt.Errorf("backup to %s: %s", path, sqliteMessage(err))
	}
	if err := os.Chmod(tmpName, 0o600); err != nil { // patients' records
		return BackupInfo{}, fmt.Errorf("backup: %v", err)
	}
	if err := syncFile(tmpName); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %v", err)
	}
	info, err := verifyBackup(ctx, tmpName, path)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup to %s is unusable, not kept: %v", path, err)
	}
	if overwrite {
		err = os.Rename(tmpName, path)
	} else {
		err = os.Link(tmpName, path) // fails rather than replace a file made meanwhile
	}
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %v", err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %v", err)
	}
	info.Path = path
	return info, nil
}

// verifyBackup checks that the file at path is a whole backdesk SQLite
// database: SQLite's header, PRAGMA integrity_check ok, and a
// schema_migrations that records backdesk migrations and none unknown to
// this program. It opens the file immutable, changes nothing, and calls
// it name in errors.
func verifyBackup(ctx context.Context, path, name string) (BackupInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return BackupInfo{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return BackupInfo{}, err
	}
	if !fi.Mode().IsRegular() {
		return BackupInfo{}, fmt.Errorf("%s is not a file", name)
	}
	header := make([]byte, 100) // a database file's header is its first 100 bytes
	if _, err := io.ReadFull(f, header); err != nil || !bytes.HasPrefix(header, []byte("SQLite format 3\x00")) {
		return BackupInfo{}, fmt.Errorf("%s is not a SQLite database", name)
	}
	// immutable: no locks, no -wal or -shm made or read beside it.
	raw, err := sql.Open("sqlite", sqliteDSN(path)+"?mode=ro&immutable=1")
	if err != nil {
		return BackupInfo{}, err
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	rows, err := raw.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("%s cannot be read: %s", name, sqliteMessage(err))
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return BackupInfo{}, fmt.Errorf("%s cannot be read: %s", name, sqliteMessage(err))
		}
		problems = append(problems, line)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return BackupInfo{}, fmt.Errorf("%s cannot be read: %s", name, sqliteMessage(err))
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return BackupInfo{}, fmt.Errorf("%s is damaged (integrity_check: %s)", name, oneLine(errors.New(strings.Join(problems, "; "))))
	}
	st, err := (&DB{read: raw, d: sqliteDialect}).MigrationState(ctx)
	switch {
	case err != nil:
		return BackupInfo{}, fmt.Errorf("%s is not a backdesk database (%v)", name, err)
	case len(st.Applied) == 0:
		return BackupInfo{}, fmt.Errorf("%s is a SQLite database but not a backdesk one: it records no backdesk migrations", name)
	case len(st.Unknown) > 0:
		return BackupInfo{}, fmt.Errorf("%s records migrations this backdesk does not have (%s): it is not backdesk's, or a newer version made it", name, strings.Join(st.Unknown, ", "))
	}
	return BackupInfo{Bytes: fi.Size(), Migrations: len(st.Applied)}, nil
}

// Restored says what Restore did.
type Restored struct {
	BackupInfo        // the database now in place
	From       string // the backup it came from
	// Previous is where the database that was there is kept; "" if there
	// was none.
	Previous string
	// Moved lists the old database's journal files (-wal, -journal) that
	// held changes not yet in it, kept beside Previous under its name;
	// empty when they were folded into it or there were none.
	Moved []string
	// Removed lists stale files removed so that they do not apply to the
	// restored database (-shm, an empty -wal).
	Removed []string
}

// Restore puts the backup at from in place of the SQLite database of
// rawURL. It takes the database's lock exclusively and refuses, changing
// nothing, while any backdesk process has the database open, or when from
// is not a whole backdesk database (see VerifyBackup). The backup is copied
// to a temporary file beside the database, synced and checked there, and
// renamed over it. The database that was there is kept as
// PATH.before-restore-TIME, with what its write-ahead log held folded in;
// no -wal, -shm or -journal is left that SQLite would apply to the restored
// file.
func Restore(ctx context.Context, rawURL, from string, now time.Time) (*Restored, error) {
	if isPostgres(rawURL) {
		return nil, errRestorePostgres
	}
	path, err := sqlitePath(rawURL)
	if err != nil {
		return nil, err
	}
	old, err := os.Stat(path)
	if err == nil && !old.Mode().IsRegular() {
		return nil, fmt.Errorf("database path %s is not a file", path)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("database file %s: %v", path, err)
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("database folder %s does not exist", dir)
	}
	if old != nil && sameFile(old, from) {
		return nil, fmt.Errorf("%s is the database itself", from)
	}
	lock, err := lockSQLite(path, true)
	if err != nil {
		return nil, err
	}
	defer lock.Close()

	tmp, err := copyToTemp(from, dir, "."+filepath.Base(path)+".restore-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp) // gone by then once renamed
	info, err := verifyBackup(ctx, tmp, from)
	if err != nil {
		return nil, err
	}
	r := &Restored{BackupInfo: info, From: from}
	r.Path = path
	if old != nil {
		// The restored file takes the old one's owner and mode, so that the
		// server's user can still write it after a restore run as root.
		if st, ok := old.Sys().(*syscall.Stat_t); ok {
			if err := os.Lchown(tmp, int(st.Uid), int(st.Gid)); err != nil {
				return nil, fmt.Errorf("restore: give the restored file the owner of %s: %v", path, err)
			}
		}
		if err := os.Chmod(tmp, old.Mode().Perm()); err != nil {
			return nil, fmt.Errorf("restore: %v", err)
		}
		// Fold the write-ahead log into the old database (nobody else has
		// it open: we hold the lock), so that what is kept is one file. A
		// database too damaged for that keeps its log beside it instead.
		foldWAL(ctx, path)
	}
	keep, err := keepName(path, now)
	if err != nil {
		return nil, err
	}
	for _, suffix := range []string{"-wal", "-journal"} {
		fi, err := os.Stat(path + suffix)
		switch {
		case err != nil:
		case fi.Size() == 0 || old == nil:
			// Empty, or a log without its database: nothing to keep, and
			// SQLite must not apply it to the restored file.
			if err := os.Remove(path + suffix); err != nil {
				return nil, fmt.Errorf("restore: %v", err)
			}
			r.Removed = append(r.Removed, path+suffix)
		default:
			if err := os.Rename(path+suffix, keep+suffix); err != nil {
				return nil, fmt.Errorf("restore: %v", err)
			}
			r.Moved = append(r.Moved, keep+suffix)
		}
	}
	// The shared-memory index is rebuilt from the -wal by whoever opens
	// the database next; a stale one must not describe the restored file.
	if err := os.Remove(path + "-shm"); err == nil {
		r.Removed = append(r.Removed, path+"-shm")
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("restore: %v", err)
	}
	if old != nil {
		// A second name for the old file, then the restored one over the
		// first: the database path never stands empty.
		if err := os.Link(path, keep); err != nil {
			return nil, fmt.Errorf("restore: keep the old database as %s: %v", keep, err)
		}
		r.Previous = keep
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("restore: %v", err)
	}
	if err := syncDir(dir); err != nil {
		return nil, fmt.Errorf("restore: %v", err)
	}
	return r, nil
}

// keepName is a free PATH.before-restore-TIME name (with a counter when
// restores follow within a second).
func keepName(path string, now time.Time) (string, error) {
	base := path + ".before-restore-" + now.UTC().Format("20060102T150405Z")
	for i := 0; i < 100; i++ {
		name := base
		if i > 0 {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		if _, err := os.Lstat(name); errors.Is(err, os.ErrNotExist) {
			return name, nil
		}
	}
	return "", fmt.Errorf("restore: too many files named %s*", base)
}

// foldWAL checkpoints the database at path and closes it, which folds its
// -wal into it and removes the -wal and -shm. It is best effort: a file
// that SQLite cannot open keeps its log, which Restore then moves aside.
func foldWAL(ctx context.Context, path string) {
	if _, err := os.Stat(path + "-wal"); err != nil {
		return
	}
	c, err := sql.Open("sqlite", sqliteDSN(path)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return
	}
	defer c.Close()
	var busy, logged, done int
	c.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &done)
}

// copyToTemp copies the file from to a new file in dir and syncs it.
func copyToTemp(from, dir, pattern string) (string, error) {
	in, err := os.Open(from)
	if err != nil {
		return "", fmt.Errorf("restore: %v", err)
	}
	defer in.Close()
	if fi, err := in.Stat(); err != nil || !fi.Mode().IsRegular() {
		return "", fmt.Errorf("restore: %s is not a file", from)
	}
	out, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", fmt.Errorf("restore: %v", err)
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", fmt.Errorf("restore: copy %s: %v", from, err)
	}
	return out.Name(), nil
}

func sameFile(fi os.FileInfo, path string) bool {
	other, err := os.Stat(path)
	return err == nil && os.SameFile(fi, other)
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes a rename or link in dir durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Writable reports whether the database takes writes, without writing: on
// SQLite it begins a write transaction (which takes SQLite's write lock,
// waiting for the server's writer if need be) and rolls it back; on
// PostgreSQL it asks whether the session is read-only (a standby).
func (db *DB) Writable(ctx context.Context) error {
	if db.d.name == "postgres" {
		var ro string
		if err := db.read.QueryRowContext(ctx, `SHOW transaction_read_only`).Scan(&ro); err != nil {
			return fmt.Errorf("database: %s", oneLine(err))
		}
		if ro == "on" {
			return errors.New("the PostgreSQL database is read-only (a standby?): backdesk needs to write to it")
		}
		return nil
	}
	tx, err := db.write.BeginTx(ctx, nil) // BEGIN IMMEDIATE: _txlock=immediate
	if err != nil {
		return fmt.Errorf("database file %s cannot be written: %s", db.path, sqliteMessage(err))
	}
	return tx.Rollback()
}
