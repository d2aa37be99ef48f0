package sqlstore

// UnpreparedWrites is how many write statements ran on SQLite's writer
// without a prepared statement (prepared.go), for the tests.
func UnpreparedWrites(db *DB) int64 { return db.writes.unprepared.Load() }
