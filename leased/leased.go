// Package leased runs one round of a leased delivery worker (the mail
// outbox's, the webhooks'): claim a batch for a lease, deliver each item
// at once, and stop in time.
package leased

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Round claims a batch with claim and delivers every item concurrently
// with deliver, returning how many deliver reported done and every error.
//
// The deliveries' deadline starts before the claim, so it falls at least
// half a lease before the claim ends in the store: no delivery outlives
// its claim, and no other worker claims an item still being sent. A claim
// under way is not cut short by ctx (one the store had committed would
// hold its items until the lease ran out); it has recordTimeout. When ctx
// ends during the deliveries they get grace, and are then abandoned with
// stopping as the cause.
func Round[T any](ctx context.Context, lease, grace, recordTimeout time.Duration, stopping error,
	claim func(context.Context) ([]T, error), deliver func(context.Context, T) (bool, error)) (int, error) {
	detached, abandon := context.WithCancelCause(context.WithoutCancel(ctx))
	defer abandon(nil)
	sendCtx, cancel := context.WithTimeout(detached, lease/2)
	defer cancel()
	cctx, ccancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	due, err := claim(cctx)
	ccancel()
	if err != nil {
		return 0, err
	}
	stop := context.AfterFunc(ctx, func() {
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-t.C:
			abandon(stopping)
		case <-sendCtx.Done():
		}
	})
	defer stop()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		sent int
		errs []error
	)
	for _, d := range due {
		wg.Go(func() {
			ok, err := deliver(sendCtx, d)
			mu.Lock()
			defer mu.Unlock()
			if ok {
				sent++
			}
			if err != nil {
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	return sent, errors.Join(errs...)
}
