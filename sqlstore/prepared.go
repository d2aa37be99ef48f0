package sqlstore

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// writeStatements are SQLite's write statements prepared on its one writer
// connection, by text. Compiling SQL is most of what a short statement
// costs SQLite, and every write runs on that one connection, in the
// committer's batches: a statement compiled once there serves every batch
// after. A text cannot be prepared inside a batch (the batch's transaction
// holds the only connection), so a text a write ran unprepared is noted,
// and prepared once the committer is idle between batches (prepareNoted),
// when it has been seen twice: a text built for one call only (an IN list
// of some length) is not kept. At most maxWriteStatements are kept.
//
// PostgreSQL needs none of this: pgx prepares and caches the statements of
// each connection itself.
type writeStatements struct {
	ready atomic.Pointer[map[string]*sql.Stmt] // replaced whole, never changed
	mu    sync.Mutex
	seen  map[string]int // texts run unprepared, and how often
	// unprepared counts the statements run without a prepared one.
	unprepared atomic.Int64
}

const (
	maxWriteStatements = 128
	// maxSeenStatements bounds the texts noted but not (yet) prepared.
	maxSeenStatements = 1024
)

// get returns q's prepared statement, or nil after noting that q ran
// without one.
func (w *writeStatements) get(q string) *sql.Stmt {
	if m := w.ready.Load(); m != nil {
		if st, ok := (*m)[q]; ok {
			return st
		}
	}
	w.unprepared.Add(1)
	w.mu.Lock()
	if w.seen == nil || len(w.seen) >= maxSeenStatements {
		w.seen = map[string]int{}
	}
	w.seen[q]++
	w.mu.Unlock()
	return nil
}

// prepare prepares on db every text seen at least twice (or, with all,
// every text seen) and publishes them with the ones already kept. A text
// that does not prepare is forgotten: it runs unprepared and meets its
// error there.
func (w *writeStatements) prepare(ctx context.Context, db *sql.DB, all bool) {
	w.mu.Lock()
	var todo []string
	for q, n := range w.seen {
		if n >= 2 || all {
			todo = append(todo, q)
			delete(w.seen, q)
		}
	}
	w.mu.Unlock()
	if len(todo) == 0 {
		return
	}
	old := w.ready.Load()
	next := map[string]*sql.Stmt{}
	if old != nil {
		for q, st := range *old {
			next[q] = st
		}
	}
	for _, q := range todo {
		if len(next) >= maxWriteStatements {
			break
		}
		if _, ok := next[q]; ok {
			continue
		}
		if st, err := db.PrepareContext(ctx, q); err == nil {
			next[q] = st
		}
	}
	w.ready.Store(&next)
}

// close closes every statement kept.
func (w *writeStatements) close() {
	if m := w.ready.Swap(nil); m != nil {
		for _, st := range *m {
			st.Close()
		}
	}
}

// count is how many statements are kept.
func (w *writeStatements) count() int {
	if m := w.ready.Load(); m != nil {
		return len(*m)
	}
	return 0
}
