package runner

import (
	"context"
	"errors"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/store"
)

// dispatch runs a committed task and delivers its outcome to the
// execution. The task's outbox row is deleted by the commit that consumes
// the outcome.
func (r *Runner) dispatch(arn string, id int64, t *engine.TaskRequest) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.wg.Add(1)
	r.mu.Unlock()
	if t.Pattern != "" {
		r.holdTask(t.Token)
	}
	go func() {
		defer r.wg.Done()
		out, err := r.invoke(r.ctx, t)
		if r.ctx.Err() != nil {
			if t.Pattern != "" {
				r.releaseTask(arn, t.Token, nil)
			}
			return // shutting down: the row stays and is offered again after restart
		}
		in := engine.Input{Kind: engine.InputTaskSucceeded, ID: id, Output: out}
		if final, ok := out.(engine.FinalResult); ok {
			in.Output = final.Output // complete now, whatever the pattern
		} else if t.Pattern != "" {
			in.Kind = engine.InputTaskSubmitted // the result arrives later, by token
		}
		if err != nil {
			in = engine.Input{Kind: engine.InputTaskFailed, ID: id, Error: failure.TaskFailed, Cause: err.Error()}
			var fe *failure.Error
			if errors.As(err, &fe) {
				in.Error, in.Cause = fe.Name, fe.Cause
			}
		}
		p := pending{in: in, row: rowID(arn, kindTask, id)}
		if t.Pattern != "" {
			r.releaseTask(arn, t.Token, &p) // outcomes that came during the call follow it
			return
		}
		r.deliver(arn, p)
	}()
}

func (r *Runner) invoke(ctx context.Context, t *engine.TaskRequest) (out any, err error) {
	if r.tasks == nil {
		return nil, failure.Errorf(failure.TaskFailed,
			"No integration is configured for resource '%s' (state '%s').", t.Resource, t.StateName)
	}
	defer func() {
		if p := recover(); p != nil {
			err = failure.Errorf(failure.TaskFailed, "task handler panicked: %v", p)
		}
	}()
	return r.tasks.Invoke(ctx, t)
}

// reofferTasks dispatches again the tasks that earlier processes recorded
// but whose outcome no commit consumed, and recovers the links of child
// executions to their parent tasks.
func (r *Runner) reofferTasks(ctx context.Context) error {
	token := ""
	for {
		page, err := r.store.ListOutbox(ctx, &store.ListOutboxParams{ListParams: store.ListParams{Limit: 500, NextToken: token}})
		if err != nil {
			return err
		}
		for _, row := range page.Items {
			if row.Kind == kindParent {
				if err := r.recoverLink(ctx, row); err != nil {
					r.log.Error("link row", "row", row.ID, "err", err)
				}
				continue
			}
			if row.Kind != kindTask {
				continue
			}
			arn, _, id, ok := parseRowID(row.ID)
			if !ok {
				continue
			}
			t, err := decodeTask(arn, row.Payload)
			if err != nil {
				r.log.Error("task row", "row", row.ID, "err", err)
				continue
			}
			r.dispatch(arn, id, t)
		}
		if page.NextToken == "" {
			return nil
		}
		token = page.NextToken
	}
}
