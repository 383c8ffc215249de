package runner

import (
	"context"
	"errors"
	"fmt"
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
// waits up to 60 seconds) or ctx ends first. A poller that waits when a
// commit schedules a task of its activity receives it from that commit
// (see handOff), already claimed and started. A poller that finds a task
// queued claims it in the commit of the task's execution that records
// ActivityStarted (see claimQueued).
func (r *Runner) GetActivityTask(ctx context.Context, activityARN, worker string, wait time.Duration) (*ActivityTask, error) {
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		// Register before looking, so that no enqueue is missed.
		w := r.activities.register(activityARN, worker)
		queued, err := r.nextQueued(ctx, activityARN)
		if err != nil {
			r.activities.leave(activityARN, w)
			return nil, err
		}
		if queued != nil {
			r.activities.leave(activityARN, w)
			t, err := r.claimQueued(queued, worker)
			r.activities.endClaim(activityARN, queued.TaskToken)
			if err != nil || t != nil {
				return t, err
			}
			continue // another poller or node claimed it first: look again
		}
		r.activities.wait(activityARN, w)
		select {
		case <-w.wake:
			continue // a task was queued: try to claim it
		case t := <-w.handed:
			if t != nil {
				return t, nil
			}
			continue // the commit that reserved this poller failed
		case <-deadline.C:
		case <-ctx.Done():
		case <-r.ctx.Done():
		}
		if r.activities.leave(activityARN, w) {
			// A commit reserved this poller just now: its task is claimed
			// for this worker, so it is returned even though the poll has
			// ended (as a task claimed from the store would be).
			if t := <-w.handed; t != nil {
				return t, nil
			}
		}
		return nil, nil
	}
}

// nextQueued returns the oldest queued task of the activity that no other
// poller of this runner is claiming, marked as claimed by this poller until
// endClaim, or nil if there is none.
func (r *Runner) nextQueued(ctx context.Context, arn string) (*store.ActivityTask, error) {
	p := &store.ListQueuedActivityTasksParams{ActivityARN: arn}
	for {
		// The tasks other pollers are claiming are the oldest ones (they
		// were when those pollers looked): the first page skips them.
		p.Limit = r.activities.claims(arn) + 1
		page, err := r.store.ListQueuedActivityTasks(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("look for tasks of %s: %w", arn, err)
		}
		if t := r.activities.startClaim(arn, page.Items); t != nil {
			return t, nil
		}
		if page.NextToken == "" {
			return nil, nil
		}
		p.NextToken = page.NextToken
	}
}

// claimQueued claims a queued task for worker and returns it, or returns
// nil if another poller (of this runner or of another node) claimed it
// first.
//
// The claim rides on the InputTaskStarted the poll sends to the task's
// execution: the commit that records ActivityStarted also claims the task
// (store.ActivityTaskClaim), and the worker is answered once that commit is
// durable. A poll that finds a task queued so costs one commit; claiming
// in a commit of its own (store.ClaimActivityTask) and then recording the
// start in a second one cost two, and the second held up the worker's
// SendTaskSuccess, which waits behind it in the execution's mailbox. (A
// claim commit that also appended ActivityStarted would not be simpler: the
// event belongs to the execution's next step, which must also update its
// snapshot and version, so that commit is the execution's anyway.) The
// trade: the step and a larger commit now come before the answer, where
// the old second commit mostly overlapped the answer's way back. With one
// poller on a disk whose fsync takes 0.1 ms, BenchmarkActivityRoundTrip
// measured p99 about 0.5 ms lower and p50 about 0.1 ms higher; the slower
// the fsync, the more this way gains.
//
// If the claim loses (the batch fails with store.ErrClaimLost), process
// applies the execution's other inputs again without it. If the execution
// does not record the start (it no longer waits for the task) or its
// commit fails for another reason, the task is claimed alone, as a poll
// claimed every task before, and its start delivered after.
func (r *Runner) claimQueued(t *store.ActivityTask, worker string) (*ActivityTask, error) {
	c := &claim{}
	started := engine.Input{Kind: engine.InputTaskStarted, Token: t.TaskToken, Worker: worker}
	done := make(chan error, 1)
	r.deliver(t.ExecutionARN, pending{in: started, done: done, claim: c})
	err := <-done // a commit's outcome always comes, even when ctx ends
	switch {
	case err == nil && c.claimed:
		return &ActivityTask{Token: t.TaskToken, Input: t.Input}, nil
	case errors.Is(err, store.ErrClaimLost):
		return nil, nil
	case errors.Is(err, errClosed) || r.ctx.Err() != nil:
		return nil, nil // shutting down: the task stays queued
	}
	err = r.store.Commit(context.Background(), &store.Batch{ActivityTaskClaims: []store.ActivityTaskClaim{
		{TaskToken: t.TaskToken, WorkerName: worker, ClaimedAt: r.now()}}})
	switch {
	case errors.Is(err, store.ErrClaimLost):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("claim task %s: %w", t.TaskToken, err)
	}
	r.deliver(t.ExecutionARN, pending{in: started})
	return &ActivityTask{Token: t.TaskToken, Input: t.Input}, nil
}

// claim marks the InputTaskStarted of a poll that claims a queued task
// (see claimQueued).
type claim struct {
	// claimed is set by apply when the step records the task's start and
	// its batch claims the task; the commit's outcome on the input's done
	// channel then tells whether the task is the poller's.
	claimed bool
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
	done := make(chan error, 1)
	var ignored bool
	// Not held behind the task's call (deliverToTask): a handler whose call
	// waits for a worker that answers first (Lambda .waitForTaskToken)
	// would wait for itself. The engine takes an answer before the
	// submission.
	r.deliver(arn, pending{in: in, done: done, ignored: &ignored, findWorker: true})
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

// activityWaiters keeps the pollers waiting for tasks, per activity,
// oldest first. A commit that schedules a task may reserve one that waits
// (reserve) and hand it the task once committed; a task queued otherwise
// wakes one (notify), which then claims it. So a hundred idle pollers do not
// all rush to claim one task. It also keeps the queued tasks that pollers of
// this runner are claiming, so that the others pass them over.
type activityWaiters struct {
	mu      sync.Mutex
	waiting map[string][]*activityWaiter
	// claiming holds, per activity, the tokens of the queued tasks being
	// claimed (see nextQueued).
	claiming map[string]map[string]bool
	// waited, if set, is called when a poller starts waiting (tests use it
	// to act once a poller waits, without sleeping).
	waited func(arn string)
}

// activityWaiter is one poll of an activity.
type activityWaiter struct {
	worker string
	wake   chan struct{}      // a task was queued: claim it
	handed chan *ActivityTask // the task reserved for this poller; nil if its commit failed
	// Guarded by activityWaiters.mu: looking until the poll found the
	// queue empty (only then may a commit reserve it), then reserved once
	// a commit did.
	looking, reserved bool
}

func newActivityWaiters() *activityWaiters {
	return &activityWaiters{waiting: map[string][]*activityWaiter{}, claiming: map[string]map[string]bool{}}
}

// claims returns how many queued tasks of the activity pollers are
// claiming.
func (w *activityWaiters) claims(arn string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.claiming[arn])
}

// startClaim returns the first of the activity's tasks that no poller is
// claiming, now marked as claimed, or nil.
func (w *activityWaiters) startClaim(arn string, tasks []store.ActivityTask) *store.ActivityTask {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i := range tasks {
		if t := &tasks[i]; !w.claiming[arn][t.TaskToken] {
			if w.claiming[arn] == nil {
				w.claiming[arn] = map[string]bool{}
			}
			w.claiming[arn][t.TaskToken] = true
			return t
		}
	}
	return nil
}

// endClaim ends a claim that startClaim marked.
func (w *activityWaiters) endClaim(arn, token string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.claiming[arn], token)
	if len(w.claiming[arn]) == 0 {
		delete(w.claiming, arn)
	}
}

// register adds a poller, still looking at the queue.
func (w *activityWaiters) register(arn, worker string) *activityWaiter {
	x := &activityWaiter{worker: worker, wake: make(chan struct{}, 1), handed: make(chan *ActivityTask, 1), looking: true}
	w.mu.Lock()
	w.waiting[arn] = append(w.waiting[arn], x)
	w.mu.Unlock()
	return x
}

// wait marks a poller as waiting: the queue was empty.
func (w *activityWaiters) wait(arn string, x *activityWaiter) {
	w.mu.Lock()
	x.looking = false
	w.mu.Unlock()
	if w.waited != nil {
		w.waited(arn)
	}
}

// leave removes a poller that stops waiting. If it had been woken, the
// wake-up is passed on to the next poller, so that no queued task is left
// without one. It reports whether a commit has reserved the poller: its
// task then comes on x.handed.
func (w *activityWaiters) leave(arn string, x *activityWaiter) (reserved bool) {
	w.mu.Lock()
	w.remove(arn, x)
	reserved = x.reserved
	w.mu.Unlock()
	select {
	case <-x.wake:
		w.notify(arn)
	default:
	}
	return reserved
}

func (w *activityWaiters) remove(arn string, x *activityWaiter) {
	list := w.waiting[arn]
	for i, y := range list {
		if y == x {
			w.waiting[arn] = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(w.waiting[arn]) == 0 {
		delete(w.waiting, arn)
	}
}

// notify wakes the oldest poller of the activity, if any.
func (w *activityWaiters) notify(arn string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	list := w.waiting[arn]
	if len(list) == 0 {
		return
	}
	x := list[0]
	w.remove(arn, x)
	x.wake <- struct{}{}
}

// reserve takes the oldest poller of the activity that waits (its queue
// was empty), or returns nil. The caller must send it a task or nil on
// x.handed.
func (w *activityWaiters) reserve(arn string) *activityWaiter {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, x := range w.waiting[arn] {
		if !x.looking {
			w.remove(arn, x)
			x.reserved = true
			return x
		}
	}
	return nil
}
