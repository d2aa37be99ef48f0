package main

import (
	"context"
	"log/slog"
	"time"

	"backdesk"
)

// runSweeps writes, every interval until ctx ends, the daily plan
// reminders and the questionnaires before follow-up appointments that are
// due, as the system (audited as "plan_reminders" and "outcome_requests").
// The outbox delivers them. Several processes may sweep one database: the
// store writes each reminder once a day per patient and each questionnaire
// once per appointment.
func runSweeps(ctx context.Context, svcs *services, interval time.Duration, logger *slog.Logger) {
	if interval <= 0 {
		return
	}
	sweep := func() {
		rctx := backdesk.NewContextWithActor(ctx, backdesk.SystemActor("plan_reminders"))
		if n, err := svcs.reminders.SendDueReminders(rctx); err != nil && ctx.Err() == nil {
			logger.Error("plan reminders failed", "err", err)
		} else if n > 0 {
			logger.Info("plan reminders written", "count", n)
		}
		octx := backdesk.NewContextWithActor(ctx, backdesk.SystemActor("outcome_requests"))
		if n, err := svcs.outcomes.SendOutcomeRequests(octx); err != nil && ctx.Err() == nil {
			logger.Error("outcome requests failed", "err", err)
		} else if n > 0 {
			logger.Info("outcome requests written", "count", n)
		}
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		sweep()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
