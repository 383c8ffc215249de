package runner

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/value"
)

// Errors of the task-token calls, for the API to translate.
var (
	// ErrInvalidToken: the token is not one this server issues.
	ErrInvalidToken = errors.New("invalid task token")
	// ErrTaskDoesNotExist: the token names no task that is waited for
	// (finished, timed out, or its execution ended).
	ErrTaskDoesNotExist = errors.New("task does not exist")
)

// ActivityTask is a task handed to an activity worker.
type ActivityTask struct {
	Token string
	Input []byte
}

// GetActivityTask long-polls an activity's queue: it returns the oldest
// queued task, claimed for this worker alone, or nil when wait ends (AWS
// waits up to 60 seconds) or ctx ends first.
func (r *Runner) GetActivityTask(ctx context.Context, activityARN, worker string, wait time.Duration) (*ActivityTask, error) {
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		// Register before looking, so that no enqueue is missed.
		w := r.activities.register(activityARN)
		t, err := r.store.ClaimActivityTask(ctx, &store.ClaimActivityTaskParams{ActivityARN: activityARN, WorkerName: worker, Now: r.now()})
		if err == nil {
			r.activities.leave(activityARN, w)
			r.deliver(t.ExecutionARN, pending{in: engine.Input{Kind: engine.InputTaskStarted, Token: t.TaskToken, Worker: worker}})
			return &ActivityTask{Token: t.TaskToken, Input: t.Input}, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			r.activities.leave(activityARN, w)
			return nil, err
		}
		select {
		case <-w:
			continue // a task was queued: try to claim it
		case <-deadline.C:
		case <-ctx.Done():
		case <-r.ctx.Done():
		}
		r.activities.leave(activityARN, w)
		return nil, nil
	}
}

// SendTaskSuccess completes the task the token names with output (JSON).
func (r *Runner) SendTaskSuccess(ctx context.Context, token, output string) error {
	out, err := value.ParseString(output)
	if err != nil {
		return err
	}
	return r.sendToken(ctx, token, engine.Input{Kind: engine.InputTaskSucceeded, Output: out})
}

// SendTaskFailure fails the task the token names.
func (r *Runner) SendTaskFailure(ctx context.Context, token, errName, cause string) error {
	return r.sendToken(ctx, token, engine.Input{Kind: engine.InputTaskFailed, Error: errName, Cause: cause})
}

// SendTaskHeartbeat records a heartbeat for the task the token names.
func (r *Runner) SendTaskHeartbeat(ctx context.Context, token string) error {
	return r.sendToken(ctx, token, engine.Input{Kind: engine.InputTaskHeartbeat})
}

// sendToken delivers a token-addressed input and waits for its commit.
func (r *Runner) sendToken(ctx context.Context, token string, in engine.Input) error {
	arn, _, ok := engine.ParseToken(token)
	if !ok || len(token) > 1024 {
		return ErrInvalidToken
	}
	in.Token = token
	in.Now = r.now()
	if t, err := r.store.GetActivityTask(ctx, token); err == nil {
		in.Worker = t.WorkerName // for an ActivityStarted the crash kept from being recorded
	}
	done := make(chan error, 1)
	var ignored bool
	// Not held behind the task's call (deliverToTask): a handler whose call
	// waits for a worker that answers first (Lambda .waitForTaskToken)
	// would wait for itself. The engine takes an answer before the
	// submission.
	r.deliver(arn, pending{in: in, done: done, ignored: &ignored})
	select {
	case err := <-done:
		if errors.Is(err, store.ErrNotFound) {
			return ErrTaskDoesNotExist // no such execution
		}
		if err != nil {
			return err
		}
		if ignored { // not waited for, or the execution has ended
			return ErrTaskDoesNotExist
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// activityWaiters wakes waiting pollers when tasks are queued for an
// activity: one poller per task, oldest first, so that a hundred idle
// pollers do not all rush to claim one task.
type activityWaiters struct {
	mu      sync.Mutex
	waiting map[string][]chan struct{}
}

func newActivityWaiters() *activityWaiters {
	return &activityWaiters{waiting: map[string][]chan struct{}{}}
}

// register adds a waiter for the activity.
func (w *activityWaiters) register(arn string) chan struct{} {
	c := make(chan struct{}, 1)
	w.mu.Lock()
	w.waiting[arn] = append(w.waiting[arn], c)
	w.mu.Unlock()
	return c
}

// leave removes a waiter that stops waiting. If it had been woken, the
// wake-up is passed on to the next waiter, so that no queued task is left
// without one.
func (w *activityWaiters) leave(arn string, c chan struct{}) {
	w.mu.Lock()
	list := w.waiting[arn]
	for i, x := range list {
		if x == c {
			w.waiting[arn] = append(list[:i], list[i+1:]...)
			break
		}
	}
	w.mu.Unlock()
	select {
	case <-c:
		w.notify(arn)
	default:
	}
}

// notify wakes the oldest waiter of the activity, if any.
func (w *activityWaiters) notify(arn string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	list := w.waiting[arn]
	if len(list) == 0 {
		return
	}
	c := list[0]
	w.waiting[arn] = list[1:]
	c <- struct{}{}
}
