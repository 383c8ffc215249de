package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/history"
)

// ErrNotRedrivable is returned (wrapped, with the reason) by Redrive when
// the execution cannot be redriven.
var ErrNotRedrivable = errors.New("execution is not redrivable")

// MaxRedrives is AWS's quota of redrives of one execution.
const MaxRedrives = 1000

// Redrive restarts a FAILED, TIMED_OUT or ABORTED execution from where it
// stopped, as RedriveExecution does: it records ExecutionRedriven (with the
// new redrive count), sets the execution RUNNING again and re-enters each
// state that failed or was interrupted, with the input it had. Inside a
// Parallel or inline Map state only the branches and iterations that did
// not succeed run again; the results of the others are kept. States that
// run again start with fresh retry counts.
//
// Choices where AWS is silent: a redriven Parallel or Map state is not
// entered again (its re-run iterations record MapIterationStarted again),
// and the execution's TimeoutSeconds, if any, counts again from now.
func (m *Machine) Redrive(x *Execution, now time.Time) (Result, error) {
	switch x.Status {
	case StatusFailed, StatusTimedOut, StatusAborted:
	default:
		return Result{}, fmt.Errorf("%w: Execution is %s and cannot be redriven", ErrNotRedrivable, x.Status)
	}
	if x.root == nil {
		return Result{}, fmt.Errorf("%w: the execution has no state to redrive", ErrNotRedrivable)
	}
	if x.eventCount >= HistoryLimit-1 {
		return Result{}, fmt.Errorf("%w: Execution history event limit exceeded", ErrNotRedrivable)
	}
	if x.Meta.RedriveCount >= MaxRedrives {
		return Result{}, fmt.Errorf("%w: Execution has been redriven %d times, the maximum", ErrNotRedrivable, MaxRedrives)
	}
	if now.Before(x.lastTime) {
		now = x.lastTime
	}
	r := &run{m: m, x: x, now: now, ctx: context.Background()}
	defer func() { x.lastTime = r.now }()
	x.Meta.RedriveCount++
	x.Meta.RedriveTime = now
	x.Status = StatusRunning
	x.Output, x.Error, x.Cause, x.HasError, x.HasCause = nil, "", "", false, false
	x.stopTime = time.Time{}
	id := r.emit(nil, "ExecutionRedriven", func(e *history.Event) {
		e.Details = &history.ExecutionRedrivenDetails{RedriveCount: x.Meta.RedriveCount}
	})
	if t := m.Definition.TimeoutSeconds; t != nil && *t > 0 {
		r.effect(Effect{Kind: EffectArmTimer, ID: executionTimeoutTimer, At: now.Add(time.Duration(*t) * time.Second)})
		x.timeoutArmed = true
	}
	root := x.root
	if succeeded(root) {
		// Nothing failed (a stop arrived after the last state): the
		// execution ends as it would have.
		r.finishExecution(root)
		return r.res, nil
	}
	r.redriveFrame(root, id)
	r.drive(root)
	return r.res, nil
}

// succeeded reports whether frame f finished without an error.
func succeeded(f *Frame) bool { return f.phase == phaseDone && f.err == nil }

// redriveFrame prepares a frame that did not succeed to run again from
// its current state, with last as the previous event of its next one. A
// Parallel or Map state that has branch or iteration frames resumes
// waiting for them and runs again those that did not succeed; any other
// state is entered again.
func (r *run) redriveFrame(f *Frame, last int64) {
	f.last = last
	f.err = nil
	f.output, f.outputText = nil, ""
	f.timerID, f.taskID, f.hbTimerID, f.taskToken = 0, 0, 0, ""
	f.taskStarted, f.taskPending, f.heartbeat = false, false, 0
	f.attempts, f.retryCount = f.attempts[:0], 0
	n := f.node
	switch {
	case n.s.Type == asl.TypeParallel && (f.phase == phaseWaitChildren || len(f.kept) > 0):
		r.redriveParallel(f)
	case n.s.Type == asl.TypeMap && f.items != nil && (f.phase == phaseWaitChildren || f.phase == phaseDone):
		r.redriveMap(f)
	default:
		f.kept, f.redo, f.children = nil, nil, nil
		f.phase = phaseEnter
	}
}

// redriveParallel runs again the branches of f that did not succeed.
func (r *run) redriveParallel(f *Frame) {
	branches := f.children
	if f.phase != phaseWaitChildren {
		branches = f.kept
	}
	f.kept, f.redo = nil, nil
	f.children = branches
	f.failEvent = "ParallelStateFailed"
	f.childErr = nil
	f.phase = phaseWaitChildren
	if len(f.results) != len(branches) {
		f.results = make([]any, len(branches))
	}
	f.active = 0
	last := f.last
	var again []*Frame
	for _, c := range branches {
		if !succeeded(c) {
			f.active++
			again = append(again, c)
		}
	}
	for _, c := range again {
		if f.phase != phaseWaitChildren {
			break // a branch failed again
		}
		r.redriveFrame(c, last)
		r.runFrame(c)
		if c.phase == phaseDone {
			r.childDone(f, c)
		}
	}
	if f.phase == phaseWaitChildren && f.active == 0 {
		// Every branch had succeeded: only the state's own work failed.
		// Complete it from the kept results (childDone of any branch does).
		f.active = 1
		r.childDone(f, branches[len(branches)-1])
	}
}

// redriveMap queues the iterations of f that failed or were interrupted
// to run again, in index order, before the items not yet started.
func (r *run) redriveMap(f *Frame) {
	redo := append(append(append([]*Frame(nil), f.redo...), f.kept...), f.children...)
	slices.SortFunc(redo, func(a, b *Frame) int { return a.index - b.index })
	f.redo, f.kept, f.children = redo, nil, nil
	f.failEvent = "MapStateFailed"
	f.childErr = nil
	f.active, f.failed = 0, 0
	f.phase = phaseWaitChildren
	if len(f.results) != len(f.items) {
		f.results = make([]any, len(f.items))
	}
	r.startIterations(f)
}

// redoIteration starts again the first iteration queued by redriveMap.
func (r *run) redoIteration(f *Frame) {
	c := f.redo[0]
	f.redo = f.redo[1:]
	f.active++
	f.children = append(f.children, c)
	c.last = f.last
	r.emit(c, "MapIterationStarted", func(e *history.Event) {
		e.Details = &history.MapIterationDetails{Name: f.node.s.Name, Index: c.index}
	})
	r.redriveFrame(c, c.last)
	r.runFrame(c)
	if c.phase == phaseDone {
		r.iterationDone(f, c)
	}
}
