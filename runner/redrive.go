package runner

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/store"
)

// RedriveExecution restarts a FAILED, TIMED_OUT or ABORTED Standard
// execution from the states that did not succeed (engine.Machine.Redrive)
// and returns the redrive date. The redrive is one commit, like any other
// step: the execution RUNNING again with its redrive count and date, the
// history from ExecutionRedriven on, and the outbox rows of the timers and
// tasks it starts; those effects run after the commit.
func (r *Runner) RedriveExecution(ctx context.Context, arn string) (time.Time, error) {
	for attempt := 1; ; attempt++ {
		date, err := r.redrive(ctx, arn)
		if !errors.Is(err, store.ErrConflict) || attempt == 3 {
			return date, err
		}
		// Another commit of the execution came first (a concurrent
		// redrive, or a late input); look at it again.
	}
}

// redrive makes one attempt at RedriveExecution; it returns an error
// wrapping store.ErrConflict if the execution changed since it was read.
func (r *Runner) redrive(ctx context.Context, arn string) (time.Time, error) {
	rec, err := r.store.GetExecution(ctx, arn)
	if err != nil {
		return time.Time{}, err
	}
	switch rec.Status {
	case store.StatusFailed, store.StatusTimedOut, store.StatusAborted:
	default:
		return time.Time{}, fmt.Errorf("%w: Execution is %s and cannot be redriven", service.ErrNotRedrivable, rec.Status)
	}
	if len(rec.Snapshot) == 0 {
		return time.Time{}, fmt.Errorf("%w: the execution's state was not kept", service.ErrNotRedrivable)
	}
	m, err := r.machine(rec.Definition)
	if err != nil {
		return time.Time{}, err
	}
	x, err := m.Decode(rec.Snapshot)
	if err != nil {
		return time.Time{}, err
	}
	now := r.now()
	res, err := m.Redrive(x, now)
	if errors.Is(err, engine.ErrNotRedrivable) {
		return time.Time{}, fmt.Errorf("%w: %s", service.ErrNotRedrivable, reasonOf(err))
	}
	if err != nil {
		return time.Time{}, err
	}
	w := *rec
	w.StopDate, w.Output, w.Error, w.Cause = time.Time{}, nil, "", ""
	w.RedriveCount, w.RedriveDate = x.Meta.RedriveCount, now
	b, err := r.batch(m, x, &w, rec.Version, res)
	if err != nil {
		return time.Time{}, err
	}
	if err := r.store.Commit(ctx, b); err != nil {
		return time.Time{}, fmt.Errorf("redrive %s: %w", arn, err)
	}
	if x.Done() {
		r.ended(&b.Executions[0].Execution) // failed again at once (a Fail state)
	}
	r.committed(arn, string(x.Status))
	r.afterCommit(arn, res, x.Meta.SkipTime, nil)
	return now, nil
}

// reasonOf returns the reason of an engine.ErrNotRedrivable error: its
// text after the sentinel's.
func reasonOf(err error) string {
	s, p := err.Error(), engine.ErrNotRedrivable.Error()+": "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}
