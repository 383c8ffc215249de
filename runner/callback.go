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
		ch := r.activities.channel(activityARN) // subscribe before looking, so no enqueue is missed
		t, err := r.store.ClaimActivityTask(ctx, &store.ClaimActivityTaskParams{ActivityARN: activityARN, WorkerName: worker, Now: r.now()})
		if err == nil {
			r.deliver(t.ExecutionARN, pending{in: engine.Input{Kind: engine.InputTaskStarted, Token: t.TaskToken, Worker: worker}})
			return &ActivityTask{Token: t.TaskToken, Input: t.Input}, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		select {
		case <-ch:
		case <-deadline.C:
			return nil, nil
		case <-ctx.Done():
			return nil, nil
		case <-r.ctx.Done():
			return nil, nil
		}
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
	rec, err := r.store.GetExecution(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return ErrTaskDoesNotExist
	}
	if err != nil {
		return err
	}
	if rec.Status != store.StatusRunning {
		return ErrTaskDoesNotExist
	}
	in.Token = token
	in.Now = r.now()
	done := make(chan error, 1)
	var ignored bool
	r.deliver(arn, pending{in: in, done: done, ignored: &ignored})
	select {
	case err := <-done:
		if err != nil {
			return err
		}
		if ignored {
			return ErrTaskDoesNotExist
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// activityWaiters wakes pollers when tasks are queued for an activity.
type activityWaiters struct {
	mu sync.Mutex
	ch map[string]chan struct{}
}

func newActivityWaiters() *activityWaiters { return &activityWaiters{ch: map[string]chan struct{}{}} }

// channel returns a channel closed at the next notify for the activity.
func (w *activityWaiters) channel(arn string) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.ch[arn]
	if !ok {
		c = make(chan struct{})
		w.ch[arn] = c
	}
	return c
}

func (w *activityWaiters) notify(arn string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c, ok := w.ch[arn]; ok {
		close(c)
		delete(w.ch, arn)
	}
}
