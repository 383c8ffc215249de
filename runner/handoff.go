package runner

import (
	"context"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/store"
)

// handoff is an activity task given, in the commit that schedules it, to
// a poller that was waiting for one.
type handoff struct {
	poller *activityWaiter
	task   *engine.TaskRequest
	input  []byte // the task's input as stored; nil if the step dropped the task
}

// handOff reserves, for each activity task the step res schedules, a
// poller waiting for that activity, and records the task as started by
// that poller (ActivityStarted) in the same step. The commit then stores
// the task already claimed (claimHandOffs) and, once committed, gives it to
// the poller (finishHandOffs): one commit instead of two (the step, then the
// poll's claim with ActivityStarted, see claimQueued), and the poller has
// the task as soon as the step is durable.
func (r *Runner) handOff(m *engine.Machine, x *engine.Execution, res *engine.Result) []*handoff {
	var out []*handoff
	for i, n := 0, len(res.Effects); i < n; i++ {
		e := res.Effects[i]
		if e.Kind != engine.EffectScheduleTask || !e.Task.Activity || x.Done() {
			continue
		}
		poller := r.activities.reserve(e.Task.Resource)
		if poller == nil {
			continue
		}
		started, err := m.Step(x, engine.Input{Kind: engine.InputTaskStarted, Token: e.Task.Token, Worker: poller.worker, Now: r.now()})
		if err != nil || started.Ignored {
			poller.handed <- nil
			continue
		}
		res.Events = append(res.Events, started.Events...)
		res.Effects = append(res.Effects, started.Effects...)
		out = append(out, &handoff{poller: poller, task: e.Task})
	}
	return out
}

// commitStep commits a step of x at version: it hands the activity tasks
// the step schedules to waiting pollers (handOff, which adds their starts to
// res), builds the batch, lets prepare add to it, commits it, and then gives
// the pollers their tasks or, if the commit failed, sends them back to
// polling. It returns the batch and the hand-offs, for afterCommit.
func (r *Runner) commitStep(ctx context.Context, m *engine.Machine, x *engine.Execution, rec *store.Execution, version int64,
	res *engine.Result, prepare func(*store.Batch)) (*store.Batch, []*handoff, error) {
	handed := r.handOff(m, x, res)
	b, err := r.batch(m, x, rec, version, *res)
	if err == nil {
		r.claimHandOffs(b, handed)
		prepare(b)
		err = r.store.Commit(ctx, b)
	}
	finishHandOffs(handed, err == nil)
	return b, handed, err
}

// claimHandOffs marks the handed tasks of b as claimed by their pollers.
func (r *Runner) claimHandOffs(b *store.Batch, handed []*handoff) {
	for _, h := range handed {
		if i := activityIndex(b.ActivityTasks, h.task.Token); i >= 0 {
			t := &b.ActivityTasks[i]
			t.Claimed, t.ClaimedAt, t.WorkerName = true, r.now(), h.poller.worker
			h.input = t.Input
		}
	}
}

// finishHandOffs gives the pollers their tasks after the commit, or, if it
// failed (committed is false), sends them back to polling.
func finishHandOffs(handed []*handoff, committed bool) {
	for _, h := range handed {
		if !committed || h.input == nil {
			h.poller.handed <- nil
			continue
		}
		h.poller.handed <- &ActivityTask{Token: h.task.Token, Input: h.input}
	}
}

// handedOut reports whether the effect schedules a task handed to a
// poller (no poller needs waking for it).
func handedOut(e engine.Effect, handed []*handoff) bool {
	for _, h := range handed {
		if e.Kind == engine.EffectScheduleTask && h.task.Token == e.Task.Token {
			return true
		}
	}
	return false
}
