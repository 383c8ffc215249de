// Package runner runs executions for `stepwise serve`: Standard executions
// durably over a store.Store, Express executions in memory.
//
// # Durability
//
// An execution lives in memory only while it has inputs to process. Each
// input (start, timer fired, task finished, stop) is fed to the engine,
// which runs every transition it can; everything the step produced — the
// new snapshot, the history events, the timers and tasks to arm and the
// outbox rows it consumed — is committed in one store.Batch. Effects run
// only after that commit (a transactional outbox): a crash before the
// commit loses nothing that was acknowledged, a crash after it leaves
// outbox rows that the next process picks up. Timers are outbox rows with a
// due time, so a Wait of a week costs a row, not memory. Tasks are outbox
// rows without one; after a restart they are offered again (delivery is at
// least once and the engine ignores outcomes nobody waits for).
//
// # Child executions
//
// A Task state states:startExecution.sync (or .sync:2) starts its child
// with a context from WithParentTask. The child's creation commit also
// records an outbox row linking it to the parent's task token; when a
// commit ends the child, the runner delivers its outcome to that token,
// and the parent's commit that consumes it deletes the row. When a parent
// ends, its linked children are stopped. Start rebuilds the links from
// the outbox, so a restart loses none (see children.go).
//
// # Concurrency
//
// Each execution's inputs are processed one at a time, in arrival order, by
// one goroutine; different executions proceed in parallel, and the store
// groups their commits into shared transactions.
package runner

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/store"
)

// TaskHandler performs the work of Task states. It returns the task's
// result or an error; a *failure.Error names the error Retry and Catch see.
type TaskHandler interface {
	Invoke(ctx context.Context, t *engine.TaskRequest) (any, error)
}

// Config configures a Runner.
type Config struct {
	Store store.Store
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives operational messages; nil means slog.Default().
	Logger *slog.Logger
	// Tasks performs Task states; nil fails every task with
	// States.TaskFailed.
	Tasks TaskHandler
	// TimerPoll is how often the store is asked for due timers armed by
	// earlier processes; 0 means one second.
	TimerPoll time.Duration
	// OnCommit, if set, is called after each commit of a Standard
	// execution with its status, and when an Express execution ends
	// (tests use it to wait without sleeping).
	OnCommit func(arn, status string)
	// SkipTime makes timers (Wait states, retry back-offs, timeouts) fire
	// at once; the history still shows the times a real run would have.
	SkipTime bool
	// LiveCacheBytes bounds the running executions kept decoded in memory
	// between their inputs, counted by the length of their snapshots and
	// inputs; 0 means 64 MiB, a negative value keeps none.
	LiveCacheBytes int64
}

// Runner runs executions. It implements service.Runtime.
type Runner struct {
	store    store.Store
	now      func() time.Time
	log      *slog.Logger
	tasks    TaskHandler
	poll     time.Duration
	skip     bool
	onCommit func(arn, status string)

	machines sync.Map // definition text → *engine.Machine
	live     *liveCache
	deleting sync.Map // ARNs of state machines being deleted → true

	mu      sync.Mutex
	mailbox map[string]*mailbox // executions with inputs to process
	express *expressTable
	closed  bool

	timers     *timerQueue
	activities *activityWaiters
	links      *linkTable
	// submitting holds, by task token, inputs for patterned tasks whose
	// call is still in flight (see deliverToTask). Guarded by mu.
	submitting map[string][]pending
	ctx        context.Context
	cancel     context.CancelFunc
	wg         sync.WaitGroup
}

var _ service.Runtime = (*Runner)(nil)

// mailbox holds the pending inputs of one execution.
type mailbox struct {
	inputs []pending
	busy   bool
}

// pending is one input with the outbox row it consumes and who waits for
// its commit.
type pending struct {
	in   engine.Input
	row  string     // outbox row consumed by this input, "" if none
	done chan error // closed after the commit, if not nil
	stop *time.Time // set for stop requests: the stop date
	// ignored, if set, receives whether the engine ignored the input (a
	// stale or forged task token).
	ignored *bool
	// findWorker asks for the activity worker's name to be read from the
	// store if the task's start is not recorded (see workerOf).
	findWorker bool
	// claim, if set, makes an InputTaskStarted the claim of a queued task:
	// the commit that records the start also claims the task for the
	// worker (see claimQueued).
	claim *claim
}

// New returns a Runner. Call Start to begin recovery and background work.
func New(cfg Config) (*Runner, error) {
	if cfg.Store == nil {
		return nil, errors.New("runner: Config.Store is required")
	}
	r := &Runner{
		store: cfg.Store, now: cfg.Now, log: cfg.Logger, tasks: cfg.Tasks, poll: cfg.TimerPoll, skip: cfg.SkipTime, onCommit: cfg.OnCommit,
		mailbox: map[string]*mailbox{}, express: newExpressTable(1000),
		links: newLinkTable(), submitting: map[string][]pending{},
	}
	if r.now == nil {
		r.now = time.Now
	}
	if r.log == nil {
		r.log = slog.Default()
	}
	if r.poll <= 0 {
		r.poll = time.Second
	}
	live := cfg.LiveCacheBytes
	if live == 0 {
		live = defaultLiveBytes
	}
	r.live = newLiveCache(live) // negative: nothing fits
	r.ctx, r.cancel = context.WithCancel(context.Background())
	r.timers = newTimerQueue(r.now, r.fireTimer)
	r.activities = newActivityWaiters()
	return r, nil
}

// Start resumes the work left by earlier processes (tasks to offer again;
// timers are found by the poll) and starts the background loops.
func (r *Runner) Start(ctx context.Context) error {
	r.wg.Add(2)
	go func() { defer r.wg.Done(); r.timers.run(r.ctx) }()
	go func() { defer r.wg.Done(); r.pollTimers(r.ctx) }()
	if err := r.loadDeleting(ctx); err != nil {
		return err
	}
	return r.reofferTasks(ctx)
}

// Close stops background work and waits for in-flight commits. It does
// not close the store.
func (r *Runner) Close() error {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.cancel()
	r.wg.Wait()
	return nil
}

// machine returns the compiled machine for a definition, compiling it once.
func (r *Runner) machine(definition string) (*engine.Machine, error) {
	if m, ok := r.machines.Load(definition); ok {
		return m.(*engine.Machine), nil
	}
	def, diags := asl.Parse([]byte(definition))
	if asl.HasErrors(diags) {
		return nil, fmt.Errorf("compile definition: %s", asl.FormatInvalidDefinition(diags))
	}
	m, err := engine.Compile(def)
	if err != nil {
		return nil, fmt.Errorf("compile definition: %w", err)
	}
	r.machines.Store(definition, m)
	return m, nil
}

func newSeed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}

func metaFor(p *service.StartParams, start time.Time) engine.Meta {
	return engine.Meta{
		ExecutionARN: p.ExecutionARN, ExecutionName: p.Name,
		StateMachineARN: p.StateMachineARN, StateMachineName: nameOf(p.StateMachineARN),
		RoleARN: p.RoleARN, StateMachineVersionARN: p.VersionARN, StateMachineAliasARN: p.AliasARN,
		StartTime: start, Seed: newSeed(), TestCase: p.TestCase, SkipTime: p.SkipTime,
	}
}

// nameOf returns the last ':'-separated part of an ARN.
func nameOf(arn string) string {
	for i := len(arn) - 1; i >= 0; i-- {
		if arn[i] == ':' {
			return arn[i+1:]
		}
	}
	return arn
}

// StartExecution creates a Standard execution durably and runs it as far
// as it goes, or starts an Express execution in memory. With a context
// from WithParentTask, the execution is a child linked to a parent task.
func (r *Runner) StartExecution(ctx context.Context, p *service.StartParams) (*store.Execution, error) {
	link, linked := parentFrom(ctx)
	if p.Type == store.TypeExpress {
		if linked {
			return r.startExpress(p, &link)
		}
		return r.startExpress(p, nil)
	}
	m, err := r.machine(p.Definition)
	if err != nil {
		return nil, err
	}
	start := p.StartDate
	if start.IsZero() {
		start = r.now()
	}
	x, res, err := m.Start(metaFor(p, start), p.Input, start)
	if err != nil {
		return nil, err
	}
	rec := &store.Execution{
		ARN: p.ExecutionARN, StateMachineARN: p.StateMachineARN, VersionARN: p.VersionARN, AliasARN: p.AliasARN,
		Name: p.Name, Definition: p.Definition, RevisionID: p.RevisionID, RoleARN: p.RoleARN,
		TraceHeader: p.TraceHeader, Input: []byte(p.Input), StartDate: start,
	}
	added := false
	b, handed, err := r.commitStep(ctx, m, x, rec, 0, &res, func(b *store.Batch) {
		if linked {
			// Index the link before the commit: the child may end (in
			// another goroutine) as soon as it is committed.
			if added = r.links.add(rec.ARN, link); added {
				b.OutboxInserts = append(b.OutboxInserts, linkRow(rec.ARN, link))
			}
		}
	})
	if err != nil {
		if added {
			r.links.remove(rec.ARN, link.Token)
		}
		if linked {
			if errors.Is(err, store.ErrAlreadyExists) {
				if aerr := r.adopt(ctx, startKey{rec.ARN, rec.StateMachineARN, p.Input}, link); aerr != nil {
					return nil, errors.Join(err, aerr)
				}
			}
		}
		return nil, err
	}
	rec.Version = 1
	rec.Status = string(x.Status)
	if x.Done() {
		r.ended(&b.Executions[0].Execution) // before committed: observers see the parent notified
	} else {
		r.cache(m, x, &b.Executions[0].Execution, 1)
	}
	r.committed(rec.ARN, rec.Status)
	r.afterCommit(rec.ARN, res, x.Meta.SkipTime, handed)
	return rec, nil
}

// StopExecution aborts a running Standard execution (or an Express one held
// in memory) and returns its stop date once the abort is committed.
func (r *Runner) StopExecution(ctx context.Context, arn, errName, cause string) (time.Time, error) {
	if r.express.stop(arn, errName, cause) {
		return r.now(), nil
	}
	rec, err := r.store.GetExecution(ctx, arn)
	if err != nil {
		return time.Time{}, err
	}
	if rec.Status != store.StatusRunning {
		return rec.StopDate, nil
	}
	stopAt := r.now()
	done := make(chan error, 1)
	r.deliver(arn, pending{in: engine.Input{Kind: engine.InputStop, Error: errName, Cause: cause, Now: stopAt}, done: done, stop: &stopAt})
	select {
	case err := <-done:
		return stopAt, err
	case <-ctx.Done():
		return time.Time{}, ctx.Err()
	}
}

// deliver queues an input for an execution and makes sure a goroutine
// processes its mailbox.
func (r *Runner) deliver(arn string, p pending) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		if p.done != nil {
			p.done <- errClosed
		}
		return
	}
	mb := r.mailbox[arn]
	if mb == nil {
		mb = &mailbox{}
		r.mailbox[arn] = mb
	}
	mb.inputs = append(mb.inputs, p)
	if !mb.busy {
		mb.busy = true
		r.wg.Add(1)
		go r.drain(arn, mb)
	}
	r.mu.Unlock()
}

// drain processes an execution's inputs one at a time until none is left.
func (r *Runner) drain(arn string, mb *mailbox) {
	defer r.wg.Done()
	for {
		r.mu.Lock()
		if len(mb.inputs) == 0 {
			mb.busy = false
			delete(r.mailbox, arn)
			r.mu.Unlock()
			return
		}
		batch := mb.inputs
		mb.inputs = nil
		r.mu.Unlock()
		r.process(arn, batch)
	}
}

// process feeds the inputs to the execution and commits the result once
// for all of them. The execution comes from the live cache when this
// process committed it last, from the store otherwise. A cached entry may
// be stale (another node wrote the execution since): a commit from it fails
// the store's version check, and an input it ignores may be one the stored
// execution waits for. So whenever the cached entry does not lead to a
// commit, it is dropped and the inputs are applied again to the execution
// as stored. They are so, up to twice more, when another node's commit
// makes this one fail the version check.
func (r *Runner) process(arn string, inputs []pending) {
	finish := func(err error) {
		for _, p := range inputs {
			if p.done != nil {
				p.done <- err
			}
		}
	}
	l := r.live.take(arn)
	for attempt := 1; ; attempt++ {
		if len(inputs) == 0 {
			return
		}
		cached := l != nil
		if !cached {
			var err error
			if l, err = r.load(context.Background(), arn); err != nil {
				r.log.Error("load execution", "execution", arn, "err", err)
				finish(err)
				return
			}
			if l == nil {
				for _, p := range inputs {
					if p.ignored != nil {
						*p.ignored = true
					}
				}
				finish(nil) // finished meanwhile; its rows were consumed by its last commit
				return
			}
		}
		err := r.apply(l, inputs, finish, cached)
		switch {
		case err == nil:
			return
		case errors.Is(err, store.ErrClaimLost) && claiming(inputs):
			// Another poller or node claimed a queued task this commit
			// claimed (see claimQueued): the claims go back to their
			// pollers, which look again, and the other inputs are applied
			// again without them. Each such round drops at least one
			// input, so it is not counted as an attempt.
			inputs = dropClaims(inputs, err)
			l = nil
			attempt--
		case cached || errors.Is(err, store.ErrConflict) && attempt < 3:
			// A stale cached copy, or another node committed the
			// execution since it was read: apply the inputs again to the
			// execution as stored.
			l = nil
		default:
			r.log.Error("commit", "execution", arn, "err", err)
			finish(err)
			return
		}
	}
}

// claiming reports whether a claim of the inputs was in the last commit.
func claiming(inputs []pending) bool {
	for _, p := range inputs {
		if p.claim != nil && p.claim.claimed {
			return true
		}
	}
	return false
}

// dropClaims reports err to the inputs whose claims were in the failed
// commit and returns the other inputs.
func dropClaims(inputs []pending, err error) []pending {
	kept := make([]pending, 0, len(inputs))
	for _, p := range inputs {
		if p.claim != nil && p.claim.claimed {
			p.claim.claimed = false
			p.done <- err
			continue
		}
		kept = append(kept, p)
	}
	return kept
}

// load reads a running execution from the store and decodes it; it returns
// nil if the execution is no longer running.
func (r *Runner) load(ctx context.Context, arn string) (*live, error) {
	rec, err := r.store.GetExecution(ctx, arn)
	if err != nil {
		return nil, err
	}
	if rec.Status != store.StatusRunning {
		return nil, nil
	}
	m, err := r.machine(rec.Definition)
	if err != nil {
		return nil, err
	}
	x, err := m.Decode(rec.Snapshot)
	if err != nil {
		return nil, fmt.Errorf("decode snapshot: %w", err)
	}
	return &live{rec: *rec, m: m, x: x}, nil
}

// apply feeds the inputs to l's execution, commits the step and, once
// committed, reports to the inputs' waiters (finish), runs the effects and
// caches the execution again if it still runs. It returns the commit's
// error without reporting it. For a cached l (see process), it also
// returns errNoCommit, without reporting, when there is nothing to commit.
func (r *Runner) apply(l *live, inputs []pending, finish func(error), cached bool) error {
	m, x, arn := l.m, l.x, l.rec.ARN
	for _, p := range inputs {
		if p.claim != nil {
			p.claim.claimed = false // an earlier attempt's claim was not committed
		}
	}
	if failed := r.deletedInputs(&l.rec, inputs); failed != nil {
		inputs = failed
	}
	var all engine.Result
	var consumed []string
	var claims []store.ActivityTaskClaim
	clean := true
	for _, p := range inputs {
		if x.Done() {
			break
		}
		if p.in.Now.IsZero() {
			p.in.Now = r.now()
		}
		if p.findWorker && x.WaitsUnstarted(p.in.Token) {
			p.in.Worker = r.workerOf(p.in.Token)
		}
		res, err := m.Step(x, p.in)
		if err != nil {
			r.log.Error("step", "execution", arn, "err", err)
			clean = false
			continue
		}
		if p.ignored != nil {
			*p.ignored = res.Ignored
		}
		if p.row != "" && !res.Ignored {
			consumed = append(consumed, p.row)
		}
		if p.claim != nil && p.in.Kind == engine.InputTaskStarted && len(res.Events) > 0 {
			// The step records the start of a queued task: its commit
			// claims the task for the worker (see claimQueued).
			p.claim.claimed = true
			claims = append(claims, store.ActivityTaskClaim{TaskToken: p.in.Token, WorkerName: p.in.Worker, ClaimedAt: p.in.Now})
		}
		all.Events = append(all.Events, res.Events...)
		all.Effects = append(all.Effects, res.Effects...)
	}
	if len(all.Events) == 0 && len(all.Effects) == 0 {
		if cached {
			return errNoCommit
		}
		if clean {
			r.live.put(l) // stale inputs changed nothing
		}
		finish(nil)
		return nil
	}
	b, handed, err := r.commitStep(context.Background(), m, x, &l.rec, l.rec.Version, &all, func(b *store.Batch) {
		b.OutboxDeletes = netDeletes(b, consumed)
		b.ActivityTaskClaims = claims
	})
	if err != nil {
		return err // x has moved on from what is stored: it is not cached again
	}
	finish(nil)
	w := &b.Executions[0].Execution
	if x.Done() {
		r.ended(w) // before committed: observers see the parent notified
	} else {
		r.stopAbandoned(m, x, arn)
		r.cache(m, x, w, l.rec.Version+1)
	}
	r.committed(arn, string(x.Status))
	r.afterCommit(arn, all, x.Meta.SkipTime, handed)
	return nil
}

// workerOf returns the name of the worker that claimed the activity task
// with token, or "". An answer to a task whose start the engine has not
// recorded (the process died between handing the task out and committing
// ActivityStarted) records the start first, naming this worker.
func (r *Runner) workerOf(token string) string {
	t, err := r.store.GetActivityTask(context.Background(), token)
	if err != nil {
		return ""
	}
	return t.WorkerName
}

// errClosed answers inputs delivered after Close.
var errClosed = errors.New("runner is closed")

// errNoCommit reports that inputs applied to a cached execution changed
// nothing; they are applied again to the execution as stored.
var errNoCommit = errors.New("nothing to commit")

// cache keeps a running execution just committed at version in the live
// cache, if its engine step was clean.
func (r *Runner) cache(m *engine.Machine, x *engine.Execution, w *store.Execution, version int64) {
	l := &live{rec: *w, m: m, x: x, size: int64(len(w.Snapshot) + len(w.Input))}
	l.rec.Version = version
	r.live.put(l)
}

func (r *Runner) committed(arn, status string) {
	if r.onCommit != nil {
		r.onCommit(arn, status)
	}
}
