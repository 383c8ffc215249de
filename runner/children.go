package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/store"
)

// Child executions
//
// A Task state with the resource states:startExecution.sync (or .sync:2)
// starts a child execution and waits for its end. The handler starts the
// child through the service with a context made by WithParentTask; the
// runner then records the link durably and completes the parent's task
// when the child ends:
//
//   - The child's creation commit also inserts an outbox row of kind
//     "parent" (id CHILD#parent#N, N a hash of the token; execution
//     CHILD) whose payload names the parent execution, its task token and
//     the pattern. Creation and link are one transaction: a child never
//     exists without its link. A start repeated with the same name and
//     input (after a crash, or by another parent) links the existing
//     child to its task with a row of its own.
//   - The runner keeps an index of the links it knows (child → links,
//     parent → children). Start rebuilds it from the outbox, so it
//     survives restarts.
//   - When a commit ends the child, the runner delivers the child's outcome
//     to the parent by token. The parent's commit that consumes it deletes
//     the link row in the same transaction; if the parent no longer waits
//     (it ended, or the token is stale), a commit of its own deletes the
//     row. A crash in between leaves the row, and Start delivers again: the
//     engine ignores an outcome nobody waits for.
//   - When a commit ends a parent, the runner stops the children still
//     linked to it (a stopped, failed or timed-out parent no longer waits).
//     After a restart, Start stops the running children of parents that
//     ended. A parent that runs on after its task stopped waiting (the
//     task timed out, or its Parallel or Map branch ended) stops the child
//     too: after each of its commits, the runner checks that the tokens
//     of its linked tasks are still waited for (stopAbandoned).
//
// Delivery assumes one runner process per store (as `stepwise serve`
// runs); a child ending in another process is noticed on the next Start.

// kindParent is the outbox row kind of a child's link to its parent task.
const kindParent = "parent"

// parentLink is the payload of a kindParent outbox row.
type parentLink struct {
	Parent  string `json:"parent"`  // parent execution ARN
	Token   string `json:"token"`   // the parent task's token
	Pattern string `json:"pattern"` // "sync" or "sync:2"
}

type parentKey struct{}

// WithParentTask returns a copy of ctx with which StartExecution links the
// execution it creates to the task t (a Task state with the pattern "sync"
// or "sync:2"): when that execution ends, the task succeeds with the
// execution's description or fails with States.TaskFailed, and when the
// parent execution ends first, the child is stopped. If the execution
// already exists with the same state machine and input (the handler ran
// again after a crash), StartExecution still returns
// store.ErrAlreadyExists but links the existing execution to t.
func WithParentTask(ctx context.Context, t *engine.TaskRequest) context.Context {
	return context.WithValue(ctx, parentKey{}, parentLink{Parent: t.ExecutionARN, Token: t.Token, Pattern: t.Pattern})
}

func parentFrom(ctx context.Context) (parentLink, bool) {
	l, ok := ctx.Value(parentKey{}).(parentLink)
	return l, ok && l.Parent != "" && l.Token != ""
}

// ended is called after a commit that ended an execution: it completes the
// parent tasks the execution is linked to and stops the children linked to
// it.
func (r *Runner) ended(x *store.Execution) {
	for _, l := range r.links.takeAll(x.ARN) {
		r.notifyParent(x, l)
	}
	for _, child := range r.links.children(x.ARN) {
		r.stopChild(child, x.ARN)
	}
}

// stopAbandoned stops the children of a running parent whose tasks no
// longer wait for them: the task timed out, or its Parallel or Map branch
// ended.
func (r *Runner) stopAbandoned(m *engine.Machine, x *engine.Execution, parent string) {
	for _, child := range r.links.children(parent) {
		for _, token := range r.links.tokens(child, parent) {
			if !x.Waits(token) {
				r.stopChild(child, parent)
				break
			}
		}
	}
}

// notifyParent delivers a child's outcome to the parent task waiting for
// it. The commit that consumes it deletes the link row; if the parent does
// not consume it, the row is deleted on its own.
func (r *Runner) notifyParent(child *store.Execution, l parentLink) {
	row := linkRowID(child.ARN, l.Token)
	done := make(chan error, 1)
	ignored := new(bool)
	if !r.goBackground(func() {
		if err := <-done; err != nil || !*ignored {
			return // consumed, or left for the next Start
		}
		err := r.store.Commit(context.Background(), &store.Batch{OutboxDeletes: []string{row}})
		if err != nil && !errors.Is(err, store.ErrConflict) {
			r.log.Error("drop link", "execution", child.ARN, "err", err)
		}
	}) {
		return
	}
	in := childOutcome(l.Pattern, child)
	in.Token = l.Token
	r.deliverToTask(l.Parent, l.Token, pending{in: in, row: row, done: done, ignored: ignored})
}

// notifyParentOfExpress delivers the outcome of an Express child, whose
// link lives in memory only (as the child does): there is no row to
// delete. If the server stops first, the parent's task is offered again
// after the restart and starts a new child (Express runs at least once).
func (r *Runner) notifyParentOfExpress(child *store.Execution, l parentLink) {
	in := childOutcome(l.Pattern, child)
	in.Token = l.Token
	r.deliverToTask(l.Parent, l.Token, pending{in: in})
}

// stopChild stops a child whose parent ended. (AWS stops the work of a
// .sync task whose execution is aborted; the cause names the parent, as
// AWS's does for the jobs it stops. The exact text AWS gives a nested
// execution is not documented.)
func (r *Runner) stopChild(child, parent string) {
	cause := "The Task state in the execution [" + parent + "] which was waiting for this execution has ended."
	r.goBackground(func() {
		if _, err := r.StopExecution(r.ctx, child, "", cause); err != nil && r.ctx.Err() == nil {
			r.log.Error("stop child execution", "execution", child, "err", err)
		}
	})
}

// goBackground runs f in a goroutine Close waits for; it reports false
// (and does not run f) once the runner is closed.
func (r *Runner) goBackground(f func()) bool {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return false
	}
	r.wg.Add(1)
	r.mu.Unlock()
	go func() {
		defer r.wg.Done()
		f()
	}()
	return true
}

// deliverToTask delivers an input for the task with token. While the
// task's own call is still in flight (its submission not yet delivered),
// the input is held and delivered right after the submission, so that the
// history shows TaskSubmitted before the outcome.
func (r *Runner) deliverToTask(arn, token string, p pending) {
	r.mu.Lock()
	if held, ok := r.submitting[token]; ok {
		r.submitting[token] = append(held, p)
		r.mu.Unlock()
		return
	}
	r.mu.Unlock()
	r.deliver(arn, p)
}

// holdTask marks a patterned task's call as in flight (see deliverToTask).
func (r *Runner) holdTask(token string) {
	r.mu.Lock()
	r.submitting[token] = nil
	r.mu.Unlock()
}

// releaseTask ends holdTask and delivers what was held, after the
// submission if submitted is set.
func (r *Runner) releaseTask(arn, token string, submitted *pending) {
	r.mu.Lock()
	held := r.submitting[token]
	delete(r.submitting, token)
	r.mu.Unlock()
	if submitted != nil {
		r.deliver(arn, *submitted)
	}
	for _, p := range held {
		r.deliver(arn, p)
	}
}

// adopt links an existing execution that a retried start tried to create
// again (same state machine and input) to the parent task, and completes
// the task at once if the execution has ended.
func (r *Runner) adopt(ctx context.Context, p startKey, l parentLink) error {
	x, err := r.store.GetExecution(ctx, p.arn)
	if err != nil {
		return err
	}
	if string(x.Input) != p.input || x.StateMachineARN != p.stateMachine {
		return nil // a different execution: the service reports the name as taken
	}
	if !r.links.add(x.ARN, l) {
		return nil // already linked to this task
	}
	err = r.store.Commit(ctx, &store.Batch{OutboxInserts: []store.OutboxRow{linkRow(x.ARN, l)}})
	if err != nil && !errors.Is(err, store.ErrAlreadyExists) {
		r.links.remove(x.ARN, l.Token)
		return fmt.Errorf("link child execution: %w", err)
	}
	// Read again: the child may have ended before the link was indexed.
	if x, err = r.store.GetExecution(ctx, x.ARN); err != nil {
		return err
	}
	if x.Status != store.StatusRunning {
		r.ended(x)
	}
	return nil
}

// startKey identifies an execution a start asked for.
type startKey struct{ arn, stateMachine, input string }

// recoverLink indexes a link row found by Start: it completes the parent
// if the child has ended, and stops the child if the parent has.
func (r *Runner) recoverLink(ctx context.Context, row store.OutboxRow) error {
	var l parentLink
	if err := json.Unmarshal(row.Payload, &l); err != nil {
		return fmt.Errorf("decode link row %s: %w", row.ID, err)
	}
	child := row.ExecutionARN
	if !r.links.add(child, l) {
		return nil
	}
	x, err := r.store.GetExecution(ctx, child)
	if err != nil {
		return err
	}
	if x.Status != store.StatusRunning {
		r.ended(x)
		return nil
	}
	parent, err := r.store.GetExecution(ctx, l.Parent)
	if err == nil && parent.Status != store.StatusRunning {
		r.stopChild(child, l.Parent)
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}
