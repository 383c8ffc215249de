// Package local runs one execution of a state machine in-process, from
// start to finish: the fastest way to try a workflow, and what
// `stepwise run`, the conformance tests and programs embedding Stepwise use.
//
// Task states go to Handlers, chosen by state name first and then by
// resource. With Fast set, a virtual clock makes Wait states, retry
// back-offs and timeouts complete at once, while the history still shows the
// times a real run would have.
package local

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/value"
)

// Handler performs the work of a Task state. It returns the task's result,
// or an error: a *failure.Error names the error Retry and Catch see; any
// other error fails the task with States.TaskFailed.
type Handler interface {
	Invoke(ctx context.Context, t *engine.TaskRequest) (any, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, t *engine.TaskRequest) (any, error)

// Invoke calls f.
func (f HandlerFunc) Invoke(ctx context.Context, t *engine.TaskRequest) (any, error) {
	return f(ctx, t)
}

// Options configure Run.
type Options struct {
	// Handlers by state name or by resource ARN; the state name wins.
	Handlers map[string]Handler
	// Fallback handles tasks no entry of Handlers names; nil fails them.
	Fallback Handler
	// Fast makes timers fire at once (virtual time).
	Fast bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Meta names the execution; zero fields get defaults (see Defaults).
	Meta engine.Meta
}

// Result is a finished execution.
type Result struct {
	Status engine.Status
	Output any    // SUCCEEDED
	Error  string // FAILED, TIMED_OUT, ABORTED
	Cause  string
	Events []history.Event
	// StartDate and StopDate are when the execution started and ended
	// (virtual times with Fast).
	StartDate, StopDate time.Time
}

// Defaults fills the zero fields of m with local names and ARNs
// (region us-east-1, account 123456789012) and a random seed.
func Defaults(m engine.Meta, now time.Time) engine.Meta {
	if m.StateMachineName == "" {
		m.StateMachineName = "local"
	}
	if m.StateMachineARN == "" {
		m.StateMachineARN = "arn:aws:states:us-east-1:123456789012:stateMachine:" + m.StateMachineName
	}
	if m.ExecutionName == "" {
		m.ExecutionName = fmt.Sprintf("run-%d", now.UnixNano())
	}
	if m.ExecutionARN == "" {
		m.ExecutionARN = "arn:aws:states:us-east-1:123456789012:execution:" + m.StateMachineName + ":" + m.ExecutionName
	}
	if m.RoleARN == "" {
		m.RoleARN = "arn:aws:iam::123456789012:role/stepwise-local"
	}
	if m.StartTime.IsZero() {
		m.StartTime = now
	}
	if m.Seed == 0 {
		var b [8]byte
		_, _ = rand.Read(b[:])
		m.Seed = binary.LittleEndian.Uint64(b[:])
	}
	return m
}

type outcome struct {
	id  int64
	out any
	err error
	// submitted marks the submission of a task with an integration
	// pattern: its result comes later, in another outcome.
	submitted bool
	// at is when the task's work ended, if the handler said (virtual
	// time: a nested execution's end); zero otherwise.
	at time.Time
}

// taskEnv is what Run tells the handlers of its tasks through their
// context (see Nested): the run's options and time, and how to report a
// submission and the end of the work.
type taskEnv struct {
	opts   Options
	now    time.Time // the run's time when it scheduled the task
	submit func(out any)
	doneAt time.Time // set by the handler: when the work ended
}

type envKey struct{}

// envOf returns the environment Run gave a task's handler, or nil.
func envOf(ctx context.Context) *taskEnv {
	env, _ := ctx.Value(envKey{}).(*taskEnv)
	return env
}

// Run executes the machine on input (JSON text) until the execution ends
// or ctx is cancelled (then the execution is aborted).
func Run(ctx context.Context, m *engine.Machine, input string, opts Options) (*Result, error) {
	clock := opts.Now
	if clock == nil {
		clock = time.Now
	}
	virtual := clock()
	now := func() time.Time {
		if opts.Fast {
			return virtual
		}
		return clock()
	}
	meta := Defaults(opts.Meta, now())
	x, res, err := m.Start(meta, input, now())
	if err != nil {
		return nil, err
	}
	var events []history.Event
	timers := map[int64]time.Time{}
	inflight := 0
	results := make(chan outcome, 16)
	taskCtx, cancelTasks := context.WithCancel(ctx)
	defer cancelTasks()

	apply := func(res engine.Result) {
		events = append(events, res.Events...)
		for _, e := range res.Effects {
			switch e.Kind {
			case engine.EffectArmTimer:
				timers[e.ID] = e.At
			case engine.EffectCancelTimer:
				delete(timers, e.ID)
			case engine.EffectScheduleTask:
				inflight++
				h := opts.handler(e.Task)
				env := &taskEnv{opts: opts, now: now()}
				id := e.ID
				env.submit = func(out any) {
					select {
					case results <- outcome{id: id, out: out, submitted: true}:
					case <-taskCtx.Done():
					}
				}
				go func(t *engine.TaskRequest) {
					out, err := invoke(context.WithValue(taskCtx, envKey{}, env), h, t)
					results <- outcome{id: id, out: out, err: err, at: env.doneAt}
				}(e.Task)
			}
		}
	}
	apply(res)
	for !x.Done() {
		// The earliest timer.
		var nextID int64
		var nextAt time.Time
		for id, at := range timers {
			if nextID == 0 || at.Before(nextAt) || (at.Equal(nextAt) && id < nextID) {
				nextID, nextAt = id, at
			}
		}
		var in engine.Input
		switch {
		case inflight == 0 && nextID == 0:
			return nil, errors.New("execution is blocked: no task or timer can wake it")
		case opts.Fast && inflight == 0:
			if nextAt.After(virtual) {
				virtual = nextAt
			}
			delete(timers, nextID)
			in = engine.Input{Kind: engine.InputTimerFired, ID: nextID, Now: virtual}
		default:
			in = waitForInput(ctx, results, &inflight, timers, nextID, nextAt, opts.Fast, now, func(at time.Time) {
				if opts.Fast && at.After(virtual) {
					virtual = at // the task's work took virtual time (a nested execution)
				}
			})
		}
		res, err := m.Step(x, in)
		if err != nil {
			return nil, err
		}
		apply(res)
	}
	out := &Result{Status: x.Status, Error: x.Error, Cause: x.Cause, Events: events, StartDate: meta.StartTime, StopDate: now()}
	if x.Status == engine.StatusSucceeded {
		out.Output = x.Output
	}
	return out, nil
}

// waitForInput blocks until a task finishes or is submitted, the next
// timer is due (real time only) or ctx ends. A finished task's end time
// goes to advance before the clock is read.
func waitForInput(ctx context.Context, results <-chan outcome, inflight *int, timers map[int64]time.Time,
	nextID int64, nextAt time.Time, fast bool, now func() time.Time, advance func(time.Time)) engine.Input {
	var timerC <-chan time.Time
	if nextID != 0 && !fast {
		t := time.NewTimer(time.Until(nextAt))
		defer t.Stop()
		timerC = t.C
	}
	select {
	case o := <-results:
		if o.submitted {
			return engine.Input{Kind: engine.InputTaskSubmitted, ID: o.id, Output: o.out, Now: now()}
		}
		*inflight--
		if !o.at.IsZero() {
			advance(o.at)
		}
		return taskInput(o, now())
	case <-timerC:
		delete(timers, nextID)
		return engine.Input{Kind: engine.InputTimerFired, ID: nextID, Now: now()}
	case <-ctx.Done():
		return engine.Input{Kind: engine.InputStop, Now: now(), Error: "States.Aborted", Cause: ctx.Err().Error()}
	}
}

func (o Options) handler(t *engine.TaskRequest) Handler {
	if h, ok := o.Handlers[t.StateName]; ok {
		return h
	}
	if h, ok := o.Handlers[t.Resource]; ok {
		return h
	}
	return o.Fallback
}

func invoke(ctx context.Context, h Handler, t *engine.TaskRequest) (out any, err error) {
	if h == nil {
		return nil, failure.Errorf(failure.TaskFailed,
			"No task handler is configured for resource '%s' (state '%s'). Give one with --task %s=COMMAND.",
			t.Resource, t.StateName, t.StateName)
	}
	defer func() {
		if p := recover(); p != nil {
			err = failure.Errorf(failure.TaskFailed, "task handler panicked: %v", p)
		}
	}()
	return h.Invoke(ctx, t)
}

func taskInput(o outcome, now time.Time) engine.Input {
	if o.err == nil {
		if final, ok := o.out.(engine.FinalResult); ok {
			return engine.Input{Kind: engine.InputTaskSucceeded, ID: o.id, Output: final.Output, Now: now}
		}
		return engine.Input{Kind: engine.InputTaskSucceeded, ID: o.id, Output: o.out, Now: now}
	}
	var fe *failure.Error
	if errors.As(o.err, &fe) {
		return engine.Input{Kind: engine.InputTaskFailed, ID: o.id, Error: fe.Name, Cause: fe.Cause, Now: now}
	}
	return engine.Input{Kind: engine.InputTaskFailed, ID: o.id, Error: failure.TaskFailed, Cause: o.err.Error(), Now: now}
}

// MarshalResult renders a Result as the JSON object `stepwise run` prints:
// status, and output or error and cause.
func MarshalResult(r *Result, withHistory bool) []byte {
	o := value.NewObject(4)
	o.Set("status", string(r.Status))
	if r.Status == engine.StatusSucceeded {
		o.Set("output", r.Output)
	} else {
		o.Set("error", r.Error)
		o.Set("cause", r.Cause)
	}
	b := value.Marshal(o)
	if !withHistory {
		return b
	}
	hist, _ := marshalEvents(r.Events)
	return append(append(b[:len(b)-1], `,"events":`...), append(hist, '}')...)
}
