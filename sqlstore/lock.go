package sqlstore

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// A SQLite database file PATH has an advisory lock file beside it,
// PATH.lock (flock(2), released by the kernel when the process ends, however
// it ends). Every process that opens the database holds a shared lock on it
// for as long as it has the database open; a restore takes it exclusively,
// without waiting, and so refuses a database in use. The lock is on a file of
// its own, not on the database: closing any descriptor of the database file
// would drop SQLite's own POSIX locks on it, and a restore renames the
// database, which a lock on the file itself would not survive.

// lockSQLite takes the lock of the database at path, shared or exclusive,
// without waiting. Closing the returned file releases it.
func lockSQLite(path string, exclusive bool) (*os.File, error) {
	// Read-only and world-readable: a process of another user (a restore
	// run as root, a server as its own user) can still open it to lock.
	f, err := os.OpenFile(path+".lock", os.O_RDONLY|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock database %s: %v", path, err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	switch {
	case err == nil:
		return f, nil
	case errors.Is(err, syscall.EWOULDBLOCK) && exclusive:
		f.Close()
		return nil, fmt.Errorf("database %s is in use by a backdesk process (serve, migrate, users or backup): stop it first", path)
	case errors.Is(err, syscall.EWOULDBLOCK):
		f.Close()
		return nil, fmt.Errorf("database %s is being restored: try again when the restore has finished", path)
	}
	f.Close()
	return nil, fmt.Errorf("lock database %s: %v", path, err)
}
