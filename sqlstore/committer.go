package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// committer runs SQLite's write transactions with group commit. SQLite has
// one writer, and with synchronous=FULL every commit waits for the disk, so
// writers arriving together would otherwise queue for one durable commit
// each. The committer takes every change already waiting (at most maxBatch),
// runs each in its own savepoint of one transaction, and commits them with
// one write to the log and one sync.
//
// Each change keeps its own all-or-nothing: one that fails is rolled back to
// its savepoint and its caller gets its error, while the others go on. No
// caller hears success before the shared commit is durable; when the
// commit fails, every change of the batch fails with it. A change alone in
// its batch runs without a savepoint, exactly as a plain transaction.
//
// A change starts with its caller's context stripped of cancellation:
// SQLite answers an interrupted write by rolling back the whole transaction,
// which would take the batch's other changes with it. A caller whose context
// has ended before its turn is skipped. A change that panics fails alone,
// and the panic is raised again in its caller's goroutine.
type committer struct {
	db *sql.DB
	// idle runs between batches, when no transaction holds the connection
	// (the writer's statements are prepared then: prepared.go).
	idle func()
	// stmts are the savepoint statements, prepared at start (read-only
	// after; a text missing runs unprepared).
	stmts map[string]*sql.Stmt
	reqs  chan *change
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
}

// change is one caller's write transaction, waiting for its batch.
type change struct {
	ctx    context.Context
	fn     func(ctx context.Context, tx *sql.Tx) error
	result chan error // buffered: the committer never waits for a caller
}

// maxBatch bounds how many changes share one commit, and so how long one
// batch holds the write lock.
const maxBatch = 64

var errClosed = errors.New("database is closed")

func newCommitter(db *sql.DB, idle func()) *committer {
	c := &committer{db: db, idle: idle, stmts: map[string]*sql.Stmt{}, reqs: make(chan *change), stop: make(chan struct{}), done: make(chan struct{})}
	for _, q := range []string{`SAVEPOINT change`, `ROLLBACK TO change`, `RELEASE change`} {
		if st, err := db.Prepare(q); err == nil {
			c.stmts[q] = st
		}
	}
	go c.loop()
	return c
}

// run runs fn in a write transaction shared with the changes waiting beside
// it, and returns fn's error, or the commit's, once the outcome is durable.
func (c *committer) run(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	ch := &change{ctx: ctx, fn: fn, result: make(chan error, 1)}
	select {
	case c.reqs <- ch:
	case <-ctx.Done():
		return ctx.Err()
	case <-c.stop:
		return errClosed
	}
	// Once taken, the change's outcome is decided by its batch: wait for it
	// rather than leave the caller not knowing whether it was written.
	err := <-ch.result
	if p, ok := err.(*changePanic); ok {
		panic(p.value) // in the caller's goroutine, as without the committer
	}
	return err
}

// changePanic carries a change's panic back to its caller, so that a bug in
// one change fails that change (and its request), not the server.
type changePanic struct{ value any }

func (p *changePanic) Error() string { return fmt.Sprintf("change panicked: %v", p.value) }

// apply runs one change's fn, turning a panic into its error.
func apply(ctx context.Context, ch *change, tx *sql.Tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &changePanic{value: v}
		}
	}()
	return ch.fn(ctx, tx)
}

// close stops the committer after the batch in hand; callers still
// waiting to join a batch get errClosed.
func (c *committer) close() {
	c.once.Do(func() { close(c.stop) })
	<-c.done
}

func (c *committer) loop() {
	defer close(c.done)
	defer func() {
		for _, st := range c.stmts {
			st.Close()
		}
	}()
	batch := make([]*change, 0, maxBatch)
	for {
		select {
		case ch := <-c.reqs:
			batch = append(batch[:0], ch)
		case <-c.stop:
			return
		}
	gather:
		for len(batch) < maxBatch {
			select {
			case ch := <-c.reqs:
				batch = append(batch, ch)
			default:
				break gather
			}
		}
		c.commit(batch)
		if c.idle != nil {
			c.idle()
		}
	}
}

// commit runs one batch in one transaction and answers every caller.
func (c *committer) commit(batch []*change) {
	errs := make([]error, len(batch))
	err := c.runBatch(batch, errs)
	for i, ch := range batch {
		if err != nil && errs[i] == nil {
			errs[i] = err
		}
		ch.result <- errs[i]
	}
}

// exec runs one of the batch's own statements (the savepoints), prepared
// on the connection when the committer started: each batch runs two for
// every change.
func (c *committer) exec(tx *sql.Tx, q string) (sql.Result, error) {
	if st, ok := c.stmts[q]; ok {
		return tx.Stmt(st).Exec()
	}
	return tx.Exec(q)
}

// runBatch fills errs with each change's own error and returns the error
// that fails the whole batch, if any: begin, a savepoint that could not be
// rolled back (SQLite ended the transaction), or commit.
func (c *committer) runBatch(batch []*change, errs []error) error {
	tx, err := c.db.BeginTx(context.Background(), nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	alone := len(batch) == 1
	for i, ch := range batch {
		if errs[i] = ch.ctx.Err(); errs[i] != nil {
			continue
		}
		ctx := context.WithoutCancel(ch.ctx)
		if alone {
			if errs[i] = apply(ctx, ch, tx); errs[i] != nil {
				tx.Rollback()
				return nil
			}
			break
		}
		if _, err := c.exec(tx, `SAVEPOINT change`); err != nil {
			tx.Rollback()
			return fmt.Errorf("savepoint: %w", err)
		}
		if errs[i] = apply(ctx, ch, tx); errs[i] != nil {
			if _, err := c.exec(tx, `ROLLBACK TO change`); err != nil {
				tx.Rollback()
				return fmt.Errorf("roll back a failed change: %w (after: %v)", err, errs[i])
			}
		}
		if _, err := c.exec(tx, `RELEASE change`); err != nil {
			tx.Rollback()
			return fmt.Errorf("release savepoint: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
