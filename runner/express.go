package runner

import (
	"context"
	"sync"
	"time"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/local"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/value"
)

// Express executions run in memory, as on AWS: no durable history, at
// least once (an Express execution in flight when the server stops is
// lost). The table keeps running ones and the most recent finished ones.
type expressTable struct {
	mu    sync.Mutex
	max   int
	execs map[string]*expressExec
	order []string // finished, oldest first
}

type expressExec struct {
	rec    store.Execution
	cancel context.CancelCauseFunc
}

func newExpressTable(max int) *expressTable {
	return &expressTable{max: max, execs: map[string]*expressExec{}}
}

func (t *expressTable) put(e *expressExec) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.execs[e.rec.ARN] = e
}

func (t *expressTable) finish(arn string, rec store.Execution) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.execs[arn]; ok {
		e.rec = rec
	}
	t.order = append(t.order, arn)
	for len(t.order) > t.max {
		delete(t.execs, t.order[0])
		t.order = t.order[1:]
	}
}

// stop aborts a running Express execution; it reports whether it knew it.
func (t *expressTable) stop(arn, errName, cause string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.execs[arn]
	if !ok {
		return false
	}
	if e.rec.Status == store.StatusRunning && e.cancel != nil {
		e.cancel(&stopCause{errName, cause})
	}
	return true
}

type stopCause struct{ name, cause string }

func (s *stopCause) Error() string { return s.name + ": " + s.cause }

// DescribeExpress returns an Express execution held in memory.
func (r *Runner) DescribeExpress(ctx context.Context, arn string) (*store.Execution, error) {
	r.express.mu.Lock()
	defer r.express.mu.Unlock()
	e, ok := r.express.execs[arn]
	if !ok {
		return nil, store.ErrNotFound
	}
	rec := e.rec
	return &rec, nil
}

// runExpress runs an Express execution to its end.
func (r *Runner) runExpress(ctx context.Context, p *service.StartParams) (store.Execution, error) {
	e, runCtx := r.registerExpress(ctx, p)
	return r.finishExpress(runCtx, e, p)
}

// registerExpress enters an Express execution in the table, so that it can
// be described and stopped from now on, and returns the context it runs
// under (StopExecution cancels it).
func (r *Runner) registerExpress(ctx context.Context, p *service.StartParams) (*expressExec, context.Context) {
	start := p.StartDate
	if start.IsZero() {
		start = r.now()
	}
	rec := store.Execution{ARN: p.ExecutionARN, StateMachineARN: p.StateMachineARN, VersionARN: p.VersionARN,
		AliasARN: p.AliasARN, Name: p.Name, Definition: p.Definition, RoleARN: p.RoleARN, Input: []byte(p.Input),
		StartDate: start, Status: store.StatusRunning}
	runCtx, cancel := context.WithCancelCause(ctx)
	e := &expressExec{rec: rec, cancel: cancel}
	r.express.put(e)
	return e, runCtx
}

// finishExpress runs the registered Express execution e under runCtx and
// records its end in the table.
func (r *Runner) finishExpress(runCtx context.Context, e *expressExec, p *service.StartParams) (store.Execution, error) {
	defer e.cancel(nil)
	r.express.mu.Lock()
	rec := e.rec
	r.express.mu.Unlock()
	start := rec.StartDate
	m, err := r.machine(p.Definition)
	if err != nil {
		return rec, err
	}
	opts := local.Options{Now: r.now, Meta: metaFor(p, start)}
	if r.tasks != nil {
		opts.Fallback = local.HandlerFunc(r.tasks.Invoke)
	}
	res, err := local.Run(runCtx, m, p.Input, opts)
	if err != nil {
		rec.Status, rec.Error, rec.Cause = string(engine.StatusFailed), "States.Runtime", err.Error()
	} else {
		rec.Status, rec.Error, rec.Cause = string(res.Status), res.Error, res.Cause
		if res.Status == engine.StatusSucceeded {
			rec.Output = value.Marshal(res.Output)
		}
		if sc, ok := context.Cause(runCtx).(*stopCause); ok && res.Status == engine.StatusAborted {
			rec.Error, rec.Cause = sc.name, sc.cause
		}
	}
	rec.StopDate = r.now()
	r.express.finish(rec.ARN, rec)
	return rec, nil
}

// startExpress starts an Express execution in the background. With a
// parent link (a .sync task), the parent's task completes when the
// execution ends, and the execution stops when the parent no longer waits.
func (r *Runner) startExpress(p *service.StartParams, parent *parentLink) (*store.Execution, error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, context.Canceled
	}
	r.wg.Add(1)
	r.mu.Unlock()
	e, runCtx := r.registerExpress(r.ctx, p) // before the goroutine: a stop may come at once
	rec := e.rec
	if parent != nil {
		r.links.add(rec.ARN, *parent)
	}
	go func() {
		defer r.wg.Done()
		end, err := r.finishExpress(runCtx, e, p)
		if err != nil {
			r.log.Error("express execution", "execution", p.ExecutionARN, "err", err)
			end.Status, end.Error, end.Cause, end.StopDate = store.StatusFailed, "States.Runtime", err.Error(), r.now()
		}
		if parent != nil {
			for _, l := range r.links.takeAll(rec.ARN) {
				r.notifyParentOfExpress(&end, l)
			}
		}
		r.committed(rec.ARN, end.Status)
	}()
	return &rec, nil
}

// StartSyncExecution runs an Express execution to its end.
func (r *Runner) StartSyncExecution(ctx context.Context, p *service.StartParams) (*service.SyncResult, error) {
	rec, err := r.runExpress(ctx, p)
	if err != nil {
		return nil, err
	}
	if rec.StopDate.IsZero() {
		rec.StopDate = time.Now()
	}
	return &service.SyncResult{Execution: &rec}, nil
}
