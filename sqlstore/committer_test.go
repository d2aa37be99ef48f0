package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// Group commit on SQLite: each change stays all-or-nothing inside a shared
// transaction, and nobody hears success for a change that was not written.

func openCommitterDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.write.Exec(`CREATE TABLE scratch (k TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	return db
}

func insertKeys(keys ...string) func(ctx context.Context, tx *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO scratch (k) VALUES ($1)`, k); err != nil {
				return err
			}
		}
		return nil
	}
}

func scratchKeys(t *testing.T, db *DB) []string {
	t.Helper()
	var keys []string
	err := eachRow(context.Background(), db.read, `SELECT k FROM scratch ORDER BY k`, nil, func(sc scanner) error {
		var k string
		err := sc.Scan(&k)
		keys = append(keys, k)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func newChange(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) *change {
	return &change{ctx: ctx, fn: fn, result: make(chan error, 1)}
}

var errRefused = errors.New("refused by the change itself")

func TestCommitterBatchKeepsEachChangeAllOrNothing(t *testing.T) {
	db := openCommitterDB(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	bg := context.Background()
	batch := []*change{
		newChange(bg, insertKeys("a")),
		newChange(bg, insertKeys("b", "a")), // b, then a unique violation
		newChange(bg, func(ctx context.Context, tx *sql.Tx) error {
			if err := insertKeys("c")(ctx, tx); err != nil {
				return err
			}
			return errRefused // after its write: the write must go
		}),
		newChange(cancelled, func(ctx context.Context, tx *sql.Tx) error { ran = true; return nil }),
		newChange(bg, insertKeys("d")),
	}
	db.commits.commit(batch)
	got := make([]error, len(batch))
	for i, ch := range batch {
		got[i] = <-ch.result
	}
	if got[0] != nil || got[4] != nil {
		t.Errorf("the good changes failed: %v, %v", got[0], got[4])
	}
	if got[1] == nil || db.d.constraint(got[1]) != uniqueViolation {
		t.Errorf("the duplicate key: %v, want a unique violation", got[1])
	}
	if !errors.Is(got[2], errRefused) {
		t.Errorf("the refusing change: %v", got[2])
	}
	if !errors.Is(got[3], context.Canceled) || ran {
		t.Errorf("the cancelled change: %v, ran %v", got[3], ran)
	}
	if keys := scratchKeys(t, db); !slices.Equal(keys, []string{"a", "d"}) {
		t.Errorf("written %v, want [a d]: a failed change left a trace or a good one was lost", keys)
	}
}

func TestCommitterAbortedTransactionFailsWholeBatch(t *testing.T) {
	// A change that ends the transaction (as SQLite does on an I/O error or
	// a full disk) takes the batch with it: every caller hears the failure,
	// none hears success, and the next batch works.
	for _, tc := range []struct {
		name  string
		abort func(ctx context.Context, tx *sql.Tx) error
	}{
		{"failing", func(ctx context.Context, tx *sql.Tx) error {
			tx.ExecContext(ctx, `ROLLBACK`)
			return errRefused
		}},
		{"silent", func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `ROLLBACK`)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openCommitterDB(t)
			bg := context.Background()
			batch := []*change{newChange(bg, insertKeys("a")), newChange(bg, tc.abort), newChange(bg, insertKeys("c"))}
			db.commits.commit(batch)
			for i, ch := range batch {
				if err := <-ch.result; err == nil {
					t.Errorf("change %d heard success from an aborted batch", i)
				}
			}
			if keys := scratchKeys(t, db); len(keys) != 0 {
				t.Errorf("written %v from an aborted batch", keys)
			}
			if err := db.tx(bg, insertKeys("after")); err != nil {
				t.Fatalf("the next change: %v", err)
			}
			if keys := scratchKeys(t, db); !slices.Equal(keys, []string{"after"}) {
				t.Errorf("written %v, want [after]", keys)
			}
		})
	}
}

func TestCommitterAloneIsAPlainTransaction(t *testing.T) {
	db := openCommitterDB(t)
	bg := context.Background()
	ch := newChange(bg, func(ctx context.Context, tx *sql.Tx) error {
		insertKeys("x")(ctx, tx)
		return errRefused
	})
	db.commits.commit([]*change{ch})
	if err := <-ch.result; !errors.Is(err, errRefused) {
		t.Errorf("got %v", err)
	}
	ok := newChange(bg, insertKeys("y"))
	db.commits.commit([]*change{ok})
	if err := <-ok.result; err != nil {
		t.Fatal(err)
	}
	if keys := scratchKeys(t, db); !slices.Equal(keys, []string{"y"}) {
		t.Errorf("written %v, want [y]", keys)
	}
}

func TestCommitterConcurrentChanges(t *testing.T) {
	// Many writers at once through db.tx: each gets its own answer, and the
	// table holds exactly the changes that were answered with success.
	db := openCommitterDB(t)
	if err := db.tx(context.Background(), insertKeys("taken")); err != nil {
		t.Fatal(err)
	}
	const writers = 300
	var (
		mu      sync.Mutex
		batches = map[*sql.Tx]int{}
		wg      sync.WaitGroup
		errs    = make([]error, writers)
	)
	for i := range writers {
		wg.Go(func() {
			key := fmt.Sprintf("k%03d", i)
			errs[i] = db.tx(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
				mu.Lock()
				batches[tx]++
				mu.Unlock()
				if err := insertKeys(key)(ctx, tx); err != nil {
					return err
				}
				switch i % 5 {
				case 1:
					return errRefused
				case 2:
					return insertKeys("taken")(ctx, tx)
				}
				return nil
			})
		})
	}
	wg.Wait()
	want := []string{"taken"}
	for i, err := range errs {
		switch i % 5 {
		case 1:
			if !errors.Is(err, errRefused) {
				t.Errorf("writer %d: %v, want its own refusal", i, err)
			}
		case 2:
			if err == nil {
				t.Errorf("writer %d: success despite the duplicate key", i)
			}
		default:
			if err != nil {
				t.Errorf("writer %d: %v", i, err)
			}
			want = append(want, fmt.Sprintf("k%03d", i))
		}
	}
	slices.Sort(want)
	if keys := scratchKeys(t, db); !slices.Equal(keys, want) {
		t.Errorf("written %d keys, want %d", len(keys), len(want))
	}
	t.Logf("%d changes in %d transactions", writers, len(batches))
}

func TestCommitterClosed(t *testing.T) {
	db := openCommitterDB(t)
	db.Close()
	if err := db.tx(context.Background(), insertKeys("late")); err == nil {
		t.Fatal("a change after Close succeeded")
	}
}

func TestCommitterPanicFailsOnlyItsChange(t *testing.T) {
	// A bug that panics inside one change must not take the server (the
	// committer's goroutine) or the batch's other changes with it: the panic
	// goes back to its own caller.
	db := openCommitterDB(t)
	bg := context.Background()
	batch := []*change{
		newChange(bg, insertKeys("a")),
		newChange(bg, func(ctx context.Context, tx *sql.Tx) error {
			insertKeys("p")(ctx, tx)
			panic("a bug")
		}),
		newChange(bg, insertKeys("c")),
	}
	db.commits.commit(batch)
	if err := <-batch[0].result; err != nil {
		t.Errorf("first change: %v", err)
	}
	if p, ok := (<-batch[1].result).(*changePanic); !ok || p.value != "a bug" {
		t.Errorf("the panicking change's result: %#v", p)
	}
	if err := <-batch[2].result; err != nil {
		t.Errorf("last change: %v", err)
	}
	if keys := scratchKeys(t, db); !slices.Equal(keys, []string{"a", "c"}) {
		t.Errorf("written %v, want [a c]", keys)
	}

	got := func() (v any) {
		defer func() { v = recover() }()
		db.tx(bg, func(ctx context.Context, tx *sql.Tx) error { panic("in the caller") })
		return nil
	}()
	if got != "in the caller" {
		t.Errorf("db.tx recovered %v, want the change's own panic", got)
	}
	if err := db.tx(bg, insertKeys("after")); err != nil {
		t.Errorf("a change after the panic: %v", err)
	}
}
