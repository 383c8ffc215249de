package engine

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/asl/jsonata"
	"github.com/stepwise-run/stepwise/asl/payload"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/value"
)

// InputKind names what happened to an execution.
type InputKind uint8

// Input kinds.
const (
	InputTimerFired    InputKind = iota + 1 // a timer armed by EffectArmTimer is due
	InputTaskStarted                        // a worker took the task (optional)
	InputTaskSucceeded                      // the task produced Output
	InputTaskFailed                         // the task failed with Error and Cause
	InputStop                               // StopExecution: abort with Error and Cause
	InputTaskSubmitted                      // a .waitForTaskToken call returned Output; the result comes later by token
	InputTaskHeartbeat                      // SendTaskHeartbeat for the task with Token
	InputFail                               // the execution fails with Error and Cause (its state machine was deleted)
)

// Input is one event fed to Step.
type Input struct {
	Kind   InputKind
	ID     int64     // the timer or task id from the effect
	Now    time.Time // the time the input happened
	Output any       // InputTaskSucceeded
	Error  string    // InputTaskFailed, InputStop, InputFail
	Cause  string
	// Worker names the activity worker (InputTaskStarted).
	Worker string
	// Token, when set, identifies the task instead of ID (SendTaskSuccess,
	// SendTaskFailure, SendTaskHeartbeat, GetActivityTask); the engine
	// accepts it only if it is the token of the task being waited for.
	Token string
}

// EffectKind names something the caller must do after committing a Result.
type EffectKind uint8

// Effect kinds.
const (
	EffectArmTimer     EffectKind = iota + 1 // deliver InputTimerFired{ID} at At
	EffectScheduleTask                       // run Task; deliver its outcome with ID
	EffectCancelTimer                        // the timer ID is no longer wanted
	EffectCancelTask                         // the task ID is no longer wanted
)

// Effect is one action for the caller.
type Effect struct {
	Kind EffectKind
	ID   int64
	At   time.Time    // EffectArmTimer
	Task *TaskRequest // EffectScheduleTask
	// TaskTimeout marks the timer of a task's TimeoutSeconds: it races
	// with the task, so runtimes that skip time must not fire it early.
	TaskTimeout bool
	// Token and Activity describe the task of an EffectCancelTask: an
	// activity task is dropped from its activity's queue by Token.
	Token    string
	Activity bool
}

// TaskRequest describes the work a Task state asks for.
type TaskRequest struct {
	// Activity is set for activity resources: the runtime queues the task
	// for workers instead of calling a handler.
	Activity bool
	// Pattern is "", "waitForTaskToken", "sync" or "sync:2" (the resource
	// suffix); with a pattern, the handler's return is only the submission
	// and the result arrives later.
	Pattern          string
	Resource         string
	StateName        string
	Input            any
	Token            string // task token ($$.Task.Token)
	TimeoutSeconds   int64  // 0: none
	HeartbeatSeconds int64  // 0: none
	Credentials      any
	ExecutionARN     string
	// StateMachineName and TestCase let a mocking handler find the mocked
	// response for this state.
	StateMachineName string
	TestCase         string
}

// FinalResult is returned by a task handler to complete a task that has an
// integration pattern (.waitForTaskToken, .sync) at once with Output,
// instead of waiting for the callback (mocked integrations do this).
type FinalResult struct {
	Output any
}

// Result is what one Start or Step produced: history events to append and
// effects to carry out, in order, once they are durably recorded.
type Result struct {
	Events  []history.Event
	Effects []Effect
	// Ignored is set when the input matched nothing the execution waits
	// for (a stale timer, a duplicate or forged task outcome).
	Ignored bool
}

// run is the working state of one Start or Step call.
type run struct {
	m   *Machine
	x   *Execution
	now time.Time
	ctx context.Context
	res Result
	ps  payload.Scope                // reused by pscope
	fns map[string]*jsonata.Function // AWS's JSONata functions, built once per run
	// nowFunc reports now to JSONata's $now(), built once per run.
	nowFunc func() time.Time
	// The JSONata environments (see jsonataEnv), made on first use, and
	// the variables of the evaluation under way.
	jenvs   *jsonataEnvs
	jstates *value.Object
	jvars   *Scope

	// Spare details records of the StateEntered and StateExited events,
	// allocated a few at a time.
	entered []history.StateEnteredDetails
	exited  []history.StateExitedDetails
}

// detailsBlock is how many details records of a kind a run allocates at
// once: enough for one pass through the top-level states, up to 16.
func (r *run) detailsBlock() int {
	return min(max(len(r.m.root.states), 1), 16)
}

// spare hands out the first of the spare records in *free, allocating n
// more when there are none.
func spare[T any](free *[]T, n int) *T {
	if len(*free) == 0 {
		*free = make([]T, n)
	}
	d := &(*free)[0]
	*free = (*free)[1:]
	return d
}

// notTruncated is the shared, never modified details value of payloads
// that were not truncated (all of them: a larger payload fails the state).
var notTruncated = &history.DataDetails{}

// Start begins an execution: it records ExecutionStarted and runs as far as
// the definition allows without outside input.
func (m *Machine) Start(meta Meta, inputText string, now time.Time) (*Execution, Result, error) {
	return m.StartWith(meta, inputText, now, nil)
}

// StartWith is Start with a function that prepares the new Execution (for
// instance sets its Inspect and Mock hooks) before it runs.
func (m *Machine) StartWith(meta Meta, inputText string, now time.Time, prepare func(*Execution)) (*Execution, Result, error) {
	input, err := value.ParseString(inputText)
	if err != nil {
		return nil, Result{}, fmt.Errorf("execution input: %w", err)
	}
	x := &Execution{Meta: meta, Input: input, InputText: inputText, Status: StatusRunning, nextEventID: 1, rng: meta.Seed}
	r := &run{m: m, x: x, now: now, ctx: context.Background()}
	// A run of pure states records two events per state, plus the
	// execution's first and last.
	r.res.Events = make([]history.Event, 0, min(2*len(m.root.states)+2, 32))
	x.lastTime = now
	id := r.emit(nil, "ExecutionStarted", func(e *history.Event) {
		e.Details = &history.ExecutionStartedDetails{
			Input: history.Text(inputText), InputDetails: &history.DataDetails{}, RoleArn: meta.RoleARN,
			StateMachineAliasArn: meta.StateMachineAliasARN, StateMachineVersionArn: meta.StateMachineVersionARN,
		}
	})
	_ = id
	x.root = r.newFrame(m.root, nil, NewScope(nil), 0)
	x.root.index = -1
	x.root.input, x.root.inputText = input, inputText
	if prepare != nil {
		prepare(x) // after the top-level frame exists, so it can preset variables
	}
	if t := m.Definition.TimeoutSeconds; t != nil && *t > 0 {
		r.effect(Effect{Kind: EffectArmTimer, ID: executionTimeoutTimer, At: now.Add(time.Duration(*t) * time.Second)})
		x.timeoutArmed = true
	}
	r.drive(x.root)
	return x, r.res, nil
}

// executionTimeoutTimer is the timer id of the execution's TimeoutSeconds.
const executionTimeoutTimer = -1

// Step applies one input to a running execution.
func (m *Machine) Step(x *Execution, in Input) (Result, error) {
	if x.Done() {
		return Result{}, fmt.Errorf("execution %s is %s", x.Meta.ExecutionARN, x.Status)
	}
	// Event times never go backwards within an execution (inputs may carry
	// an earlier time: another node's clock, or real time after a skipped
	// timer).
	now := in.Now
	if now.Before(x.lastTime) {
		now = x.lastTime
	}
	r := &run{m: m, x: x, now: now, ctx: context.Background()}
	defer func() { x.lastTime = r.now }()
	switch in.Kind {
	case InputStop:
		r.finishAborted(in.Error, in.Cause)
		return r.res, nil
	case InputFail:
		r.finishFailed(in.Error, in.Cause)
		return r.res, nil
	case InputTimerFired:
		if in.ID == executionTimeoutTimer {
			r.finishTimedOut()
			return r.res, nil
		}
	}
	f := r.findFrame(x.root, in)
	if f == nil {
		// A stale timer or a duplicate task outcome: nothing waits for it.
		r.res.Ignored = true
		return r.res, nil
	}
	r.resume(f, in)
	return r.res, nil
}

// findFrame finds the frame waiting for the input's timer or task id.
func (r *run) findFrame(f *Frame, in Input) *Frame {
	if f == nil {
		return nil
	}
	switch {
	case in.Kind == InputTimerFired && f.timerID == in.ID && (f.phase == phaseWaitTimer || f.phase == phaseRetryWait || f.phase == phaseWaitTask):
		return f
	case in.Kind == InputTimerFired && f.hbTimerID == in.ID && f.phase == phaseWaitTask:
		return f
	case in.Kind != InputTimerFired && f.phase == phaseWaitTask && in.Token != "" && f.taskToken == in.Token:
		return f
	case in.Kind != InputTimerFired && f.phase == phaseWaitTask && in.Token == "" && f.taskID == in.ID:
		return f
	}
	for _, c := range f.children {
		if found := r.findFrame(c, in); found != nil {
			return found
		}
	}
	return nil
}

func (r *run) newFrame(g *graph, parent *Frame, vars *Scope, last int64) *Frame {
	r.x.nextID++
	f := &Frame{ID: r.x.nextID, g: g, parent: parent, vars: vars, last: last, node: g.states[g.start], index: -1}
	return f
}

// emit appends a history event in frame f (nil for execution-level events)
// and returns its id. The event's previousEventId is the frame's last event.
func (r *run) emit(f *Frame, typ string, fill func(*history.Event)) int64 {
	return r.emitFrom(f, typ, true, fill)
}

// emitMarker appends an event that does not move the frame's chain: the
// next event names the same previous event (AWS does so for the
// *Succeeded/*Failed markers of Map and Parallel states).
func (r *run) emitMarker(f *Frame, typ string, fill func(*history.Event)) int64 {
	return r.emitFrom(f, typ, false, fill)
}

func (r *run) emitFrom(f *Frame, typ string, advance bool, fill func(*history.Event)) int64 {
	if f != nil && f.silent {
		return 0 // distributed Map iterations record their events in child executions
	}
	id := r.x.nextEventID
	r.x.nextEventID++
	r.x.eventCount++
	var prev int64
	if f != nil {
		prev = f.last
		if advance {
			f.last = id
		}
	} else if r.x.root != nil {
		prev = r.x.root.last
		if advance {
			r.x.root.last = id
		}
	}
	// The event is set up in place, field by field: an Event is large and
	// mostly empty, and copying one in costs more than the fields.
	// Elements past the length are zero (the slice only ever grows).
	if len(r.res.Events) == cap(r.res.Events) {
		r.res.Events = slices.Grow(r.res.Events, 1)
	}
	r.res.Events = r.res.Events[:len(r.res.Events)+1]
	e := &r.res.Events[len(r.res.Events)-1]
	e.ID, e.PreviousEventID, e.Timestamp, e.Type = id, prev, r.now, typ
	if fill != nil {
		fill(e)
	}
	return id
}

func (r *run) effect(e Effect) { r.res.Effects = append(r.res.Effects, e) }

// resume delivers an input to the frame waiting for it, then lets the
// frame and its ancestors run as far as they can.
func (r *run) resume(f *Frame, in Input) {
	switch f.phase {
	case phaseWaitTimer:
		f.phase = phaseRun
		r.finishWait(f)
	case phaseRetryWait:
		f.phase = phaseRun
	case phaseWaitTask:
		r.taskOutcome(f, in)
	}
	r.drive(f)
}

// drive runs frame f until it blocks or finishes, then propagates a
// finished frame to its parent, and so on up to the execution.
func (r *run) drive(f *Frame) {
	for f != nil {
		r.runFrame(f)
		if r.x.Done() {
			return
		}
		if f.phase != phaseDone {
			return
		}
		p := f.parent
		if p == nil {
			r.finishExecution(f)
			return
		}
		r.childDone(p, f)
		if p.phase == phaseWaitChildren {
			return // siblings still running
		}
		f = p
	}
}

// runFrame runs transitions in f until it blocks, finishes or starts
// children that block.
func (r *run) runFrame(f *Frame) {
	for !r.x.Done() {
		if r.x.eventCount >= HistoryLimit-1 {
			r.failExecution(failure.Errorf(failure.Runtime,
				"The execution history reached the limit of %d events.", HistoryLimit))
			return
		}
		switch f.phase {
		case phaseEnter:
			r.enterState(f)
		case phaseRun:
			r.runState(f)
		default:
			return
		}
	}
}

func (r *run) enterState(f *Frame) {
	n := f.node
	f.enteredPrev = f.last
	f.enteredID = r.emit(f, n.enteredType, func(e *history.Event) {
		d := spare(&r.entered, r.detailsBlock())
		d.Name, d.Input, d.InputDetails = n.s.Name, r.payload(f.input, f.inputText), notTruncated
		e.Details = d
	})
	r.x.inspect("input", f.input)
	f.enteredTime = r.now
	f.attempts = f.attempts[:0]
	f.retryCount = 0
	f.phase = phaseRun
}

// payload returns v as a history payload; raw, when set, is the text v
// was parsed from (AWS shows the execution input as it was submitted).
func (r *run) payload(v any, raw string) history.Payload {
	if raw != "" {
		return history.Text(raw)
	}
	return history.Value(v)
}

func (r *run) runState(f *Frame) {
	var err error
	switch f.node.s.Type {
	case asl.TypePass:
		err = r.runPass(f)
	case asl.TypeChoice:
		err = r.runChoice(f)
	case asl.TypeWait:
		err = r.runWait(f)
	case asl.TypeSucceed:
		err = r.runSucceed(f)
	case asl.TypeFail:
		err = r.runFail(f)
	case asl.TypeTask:
		err = r.runTask(f)
	case asl.TypeParallel:
		err = r.runParallel(f)
	case asl.TypeMap:
		err = r.runMap(f)
	default:
		err = failure.Errorf(failure.Runtime, "unsupported state type %q", f.node.s.Type)
	}
	if err != nil {
		r.stateFailed(f, asFailure(err))
	}
}

// asFailure converts any error to a States error; errors that are not
// *failure.Error become States.Runtime.
func asFailure(err error) *failure.Error {
	if fe, ok := err.(*failure.Error); ok {
		return fe
	}
	return failure.New(failure.Runtime, err.Error())
}

// exitState records the state's exit and moves the frame on.
func (r *run) exitState(f *Frame, output any, next string, assigned *value.Object) {
	n := f.node
	if err := r.checkSize(n, output); err != nil {
		r.stateFailed(f, err)
		return
	}
	text := r.textOf(f, output)
	r.emit(f, n.exitedType, func(e *history.Event) {
		d := spare(&r.exited, r.detailsBlock())
		d.Name, d.Output, d.OutputDetails = n.s.Name, r.payload(output, text), notTruncated
		e.Details = d
		if assigned != nil && assigned.Len() > 0 {
			d.AssignedVariables = make(map[string]string, assigned.Len())
			for k, v := range assigned.All() {
				d.AssignedVariables[k] = value.String(v)
			}
			d.AssignedVariablesDetails = &history.DataDetails{}
		}
	})
	r.transition(f, output, next, text)
}

// textOf returns the JSON text AWS would show for a state's output: AWS
// passes a document's original text along while no state transforms it
// (the execution input's spacing survives a chain of plain Pass states).
func (r *run) textOf(f *Frame, output any) string {
	if f.resultText != "" && sameValue(output, f.results) {
		return f.resultText
	}
	if f.inputText != "" && sameValue(output, f.input) {
		return f.inputText
	}
	return ""
}

// sameValue reports whether a and b are the same document: identical
// containers, or equal scalars.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case *value.Object:
		y, ok := b.(*value.Object)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	case nil, bool, float64, string:
		return a == b
	}
	return false
}

// transition moves f to the next state, or finishes it when next is "".
func (r *run) transition(f *Frame, output any, next, text string) {
	f.resultText = ""
	f.kept, f.redo = nil, nil
	if next == "" {
		f.output, f.outputText = output, text
		f.phase = phaseDone
		return
	}
	if n := f.node; n.next != nil && next == n.s.Next {
		f.node = n.next
	} else {
		f.node = f.g.states[next]
	}
	f.input, f.inputText = output, text
	f.phase = phaseEnter
	if f.node == nil {
		r.stateFailed(f, failure.Errorf(failure.Runtime, "state %q does not exist", next))
	}
}

// nextOf returns the state's Next, or "" when it ends its graph.
func nextOf(n *node) string {
	if n.s.End {
		return ""
	}
	return n.s.Next
}

// HistoryLimit is AWS's quota of events in one execution history. AWS
// documents that an execution reaching it fails, without naming the error;
// Stepwise fails it with States.Runtime and a cause that says why, keeping
// one event for ExecutionFailed.
const HistoryLimit = 25000

// failExecution ends the execution with err, whatever its frames were
// doing.
func (r *run) failExecution(err *failure.Error) {
	x := r.x
	r.cancelAll(x.root)
	r.disarmTimeout()
	x.Status = StatusFailed
	x.stopTime = r.now
	x.Error, x.Cause, x.HasError, x.HasCause = err.Name, err.Cause, true, true
	r.emit(x.root, "ExecutionFailed", func(e *history.Event) {
		e.Details = errorDetails(err.Name, err.Cause)
	})
}

// payloadLimit is AWS's payload size quota (256 KiB).
const payloadLimit = 256 * 1024

func (r *run) checkSize(n *node, v any) *failure.Error {
	if value.EncodedLenExceeds(v, payloadLimit) {
		return failure.Errorf(failure.DataLimitExceeded,
			"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", n.s.Name)
	}
	return nil
}

// stateFailed handles an error raised by the frame's current state:
// Retry, then Catch, else the frame fails.
func (r *run) stateFailed(f *Frame, err *failure.Error) {
	n := f.node
	if r.x.Inspect != nil {
		d := value.NewObject(2)
		d.Set("error", err.Name)
		d.Set("cause", r.stateCause(f, err))
		r.x.inspect("errorDetails", d)
	}
	if err.Name == failure.QueryEvaluationError {
		prev := f.enteredPrev
		if n.s.Type == asl.TypeWait {
			prev = f.last
		}
		f.last = prev
		r.emit(f, "EvaluationFailed", func(e *history.Event) {
			e.Details = &history.EvaluationFailedDetails{Error: err.Name, Cause: r.stateCause(f, err),
				Location: err.Location, State: n.s.Name}
		})
	}
	if !failure.Terminal(err.Name) && r.retry(f, err) {
		return
	}
	r.emitFailEvent(f, err)
	if !failure.Terminal(err.Name) && r.catch(f, err) {
		return
	}
	f.err = &failure.Error{Name: err.Name, Cause: r.stateCause(f, err)}
	f.phase = phaseDone
}

// stateCause prefixes causes of engine-detected errors with AWS's
// "An error occurred while executing the state …" sentence.
func (r *run) stateCause(f *Frame, err *failure.Error) string {
	if err.Name != failure.Runtime && err.Name != failure.QueryEvaluationError {
		return err.Cause
	}
	if hasStatePrefix(err.Cause) {
		return err.Cause
	}
	return fmt.Sprintf("An error occurred while executing the state '%s' (entered at the event id #%d). %s",
		f.node.s.Name, f.enteredID, err.Cause)
}

func hasStatePrefix(s string) bool {
	const p = "An error occurred while executing the state '"
	return len(s) >= len(p) && s[:len(p)] == p
}

func (r *run) finishExecution(root *Frame) {
	x := r.x
	x.stopTime = r.now
	r.disarmTimeout()
	if root.err != nil {
		x.Status = StatusFailed
		x.Error, x.Cause, x.HasError, x.HasCause = root.err.Name, root.err.Cause, true, true
		r.emit(root, "ExecutionFailed", func(e *history.Event) {
			e.Details = errorDetails(root.err.Name, root.err.Cause)
		})
		return
	}
	x.Status = StatusSucceeded
	x.Output = root.output
	r.emit(root, "ExecutionSucceeded", func(e *history.Event) {
		e.Details = &history.OutputDetails{Output: r.payload(root.output, root.outputText), OutputDetails: notTruncated}
	})
}

// errorDetails omits an empty error or cause, as AWS does.
func errorDetails(errName, cause string) *history.ErrorDetails {
	d := &history.ErrorDetails{}
	if errName != "" {
		d.Error = &errName
	}
	if cause != "" {
		d.Cause = &cause
	}
	return d
}

// disarmTimeout cancels the execution's TimeoutSeconds timer, if armed.
func (r *run) disarmTimeout() {
	if r.x.timeoutArmed {
		r.x.timeoutArmed = false
		r.effect(Effect{Kind: EffectCancelTimer, ID: executionTimeoutTimer})
	}
}

func (r *run) finishAborted(errName, cause string) {
	x := r.x
	r.disarmTimeout()
	x.Status = StatusAborted
	x.stopTime = r.now
	x.Error, x.Cause = errName, cause
	x.HasError, x.HasCause = errName != "", cause != ""
	r.cancelAll(x.root)
	r.emit(x.root, "ExecutionAborted", func(e *history.Event) {
		d := &history.ErrorDetails{}
		if errName != "" {
			d.Error = &errName
		}
		if cause != "" {
			d.Cause = &cause
		}
		e.Details = d
	})
}

// finishFailed ends the execution with ExecutionFailed from outside its
// states (AWS fails the executions of a deleted state machine so).
func (r *run) finishFailed(errName, cause string) {
	x := r.x
	r.disarmTimeout()
	x.Status = StatusFailed
	x.stopTime = r.now
	x.Error, x.Cause, x.HasError, x.HasCause = errName, cause, errName != "", cause != ""
	r.cancelAll(x.root)
	r.emit(x.root, "ExecutionFailed", func(e *history.Event) {
		e.Details = errorDetails(errName, cause)
	})
}

func (r *run) finishTimedOut() {
	x := r.x
	x.timeoutArmed = false // this is the timer that fired
	x.Status = StatusTimedOut
	x.stopTime = r.now
	x.Error, x.HasError = failure.Timeout, true
	r.cancelAll(x.root)
	r.emit(x.root, "ExecutionTimedOut", func(e *history.Event) {
		name := failure.Timeout
		e.Details = &history.ErrorDetails{Error: &name}
	})
}

// cancelAll emits cancellation effects for everything f and its
// descendants wait on.
func (r *run) cancelAll(f *Frame) {
	if f == nil {
		return
	}
	switch f.phase {
	case phaseWaitTimer, phaseRetryWait:
		r.effect(Effect{Kind: EffectCancelTimer, ID: f.timerID})
	case phaseWaitTask:
		r.endTask(f)
	}
	for _, c := range f.children {
		r.cancelAll(c)
	}
}
