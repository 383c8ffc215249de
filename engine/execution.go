package engine

import (
	"time"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/value"
)

// Status is an execution's status, as the API reports it.
type Status string

// Execution statuses.
const (
	StatusRunning   Status = "RUNNING"
	StatusSucceeded Status = "SUCCEEDED"
	StatusFailed    Status = "FAILED"
	StatusTimedOut  Status = "TIMED_OUT"
	StatusAborted   Status = "ABORTED"
)

// Meta holds the fixed facts about an execution that the context object
// and the history expose.
type Meta struct {
	ExecutionARN     string
	ExecutionName    string
	StateMachineARN  string
	StateMachineName string
	RoleARN          string
	// Set when the execution was started through a version or an alias.
	StateMachineVersionARN string
	StateMachineAliasARN   string
	RedriveCount           int
	// RedriveTime is when the execution was last redriven (zero if never).
	RedriveTime time.Time `json:",omitzero"`
	StartTime   time.Time
	// Seed initialises the execution's random generator (retry jitter,
	// States.UUID, States.MathRandom without a seed, $uuid, $random).
	Seed uint64
	// TestCase names the mock test case the execution runs under (the
	// "#TestCase" suffix of the state machine ARN in StartExecution, as
	// in AWS Step Functions Local); "" for none.
	TestCase string `json:",omitempty"`
	// SkipTime makes the runtime fire this execution's timers at once
	// (virtual time), whatever the server's setting.
	SkipTime bool `json:",omitempty"`
}

// Execution is the complete mutable state of one run. It is driven by Start
// and Step; between calls it can be encoded and stored.
type Execution struct {
	Meta      Meta
	Input     any
	InputText string // the input exactly as submitted

	Status Status
	Output any
	Error  string
	Cause  string
	// HasError is false when the execution failed without an error name
	// (AWS omits it then).
	HasError, HasCause bool

	// Inspect, if set, receives the intermediate values of the data flow
	// as the TestState API reports them in inspectionData: "input",
	// "afterInputPath", "afterParameters", "afterArguments", "result",
	// "afterResultSelector", "afterResultPath", "maxConcurrency",
	// "toleratedFailureCount", "toleratedFailurePercentage",
	// "errorDetails". It is not part of the snapshot.
	Inspect func(stage string, v any)
	// Mock, if set, may replace the work of a Task, Parallel or Map state
	// (TestState's mock): it returns the state's result, or an error, and
	// ok=true; ok=false runs the state normally. Not part of the snapshot.
	Mock func(stateName string) (result any, err *failure.Error, ok bool)
	// Context, if set, may replace the context object the engine built
	// ("$$", $states.context); TestState supplies the request's context.
	// Not part of the snapshot.
	Context func(built *value.Object) *value.Object

	root        *Frame
	nextEventID int64 // id of the next history event
	nextID      int64 // frame, timer and task ids
	rng         uint64
	eventCount  int64
	stopTime    time.Time
	// timeoutArmed is set while the execution's TimeoutSeconds timer is
	// armed; the engine cancels it when the execution ends.
	timeoutArmed bool
	lastTime     time.Time // the time of the latest input
}

// Variables returns the execution's top-level variable scope (TestState
// presets variables through it before the first state runs).
func (x *Execution) Variables() *Scope {
	if x.root == nil {
		return nil
	}
	return x.root.vars
}

// Waits reports whether a task of the execution waits for the task token
// (its outcome would be consumed, not ignored).
func (x *Execution) Waits(token string) bool {
	return x.waiting(token) != nil
}

// WaitsUnstarted reports whether a task waits for the token whose start
// (ActivityStarted) is not recorded: an answer to it records the start
// first, with the Input's Worker.
func (x *Execution) WaitsUnstarted(token string) bool {
	f := x.waiting(token)
	return f != nil && !f.taskStarted
}

// waiting returns the frame whose task waits for the token, or nil.
func (x *Execution) waiting(token string) *Frame {
	var walk func(f *Frame) *Frame
	walk = func(f *Frame) *Frame {
		if f == nil {
			return nil
		}
		if f.phase == phaseWaitTask && f.taskToken == token {
			return f
		}
		for _, c := range f.children {
			if found := walk(c); found != nil {
				return found
			}
		}
		return nil
	}
	if x.Done() {
		return nil
	}
	return walk(x.root)
}

// StopTime is when the execution finished (zero while it runs).
func (x *Execution) StopTime() time.Time { return x.stopTime }

// inspect reports a data-flow stage to the Inspect hook, if any.
func (x *Execution) inspect(stage string, v any) {
	if x.Inspect != nil {
		x.Inspect(stage, v)
	}
}

// Done reports whether the execution has finished.
func (x *Execution) Done() bool { return x.Status != StatusRunning && x.Status != "" }

// phase is where a frame is within its current state.
type phase uint8

const (
	phaseEnter        phase = iota // the state is about to be entered
	phaseRun                       // entered; about to run its body
	phaseWaitTimer                 // a Wait state is waiting for its timer
	phaseWaitTask                  // a Task state is waiting for its task
	phaseWaitChildren              // a Parallel or Map state waits for its frames
	phaseRetryWait                 // waiting out a retry interval
	phaseDone                      // the frame finished (Output or Err set)
)

// Frame is one thread of control: the top level of an execution, a branch
// of a Parallel state or an iteration of an inline Map state.
type Frame struct {
	ID     int64
	g      *graph
	parent *Frame
	vars   *Scope

	// last is the id of the last event this frame emitted; the next event
	// names it as its previousEventId.
	last int64

	// The current state.
	node        *node
	phase       phase
	input       any    // the state's raw input
	inputText   string // the input's JSON text when it is the unchanged text AWS would show
	resultText  string // the text of a Parallel result assembled from its branches' texts
	outputText  string // a finished frame's output text, when known
	enteredID   int64
	enteredPrev int64 // the frame's last event before the state was entered
	enteredTime time.Time
	attempts    []int // per retrier
	retryCount  int
	effective   any // input after InputPath/Parameters (Task, Map, Parallel)
	timerID     int64
	taskID      int64
	taskToken   string
	hbTimerID   int64 // the heartbeat timer of the task, 0 when none
	taskStarted bool  // the task's Started event was recorded
	heartbeat   int64 // the task's HeartbeatSeconds, 0 when none
	// taskPending is set while the task's call (or queued activity task)
	// is outstanding: cancelling the task must then tell the runtime.
	taskPending bool

	// Parallel and Map bookkeeping.
	children    []*Frame
	results     []any
	items       []any
	nextItem    int
	active      int
	failed      int
	maxConc     int
	tolCount    int
	tolCountSet bool
	tolPct      float64
	tolPctSet   bool
	childErr    *failure.Error
	lastMarker  int64
	mapRunDone  bool
	index       int    // this frame's Map iteration index, -1 elsewhere
	starting    bool   // startIterations is running for this frame
	silent      bool   // events are not recorded (distributed Map iterations)
	failEvent   string // the *StateFailed event to record if the state fails
	itemValue   any
	// kept holds, after a Parallel or Map state failed without being
	// caught, its branch frames (all of them, in branch order) or its
	// failed and interrupted iterations, so that a redrive can run them
	// again; redo holds the iterations a redriven Map runs before its
	// remaining items. Neither is walked for inputs.
	kept []*Frame
	redo []*Frame

	// Completion.
	output any
	err    *failure.Error
}

// Scope holds workflow variables. A Parallel branch or Map iteration gets
// a child scope: it reads the variables of its ancestors, and what it
// assigns stays in it.
type Scope struct {
	parent *Scope
	vars   *value.Object
	lookup func(string) (any, bool) // s.Lookup, bound once
}

// lookupFunc returns s.Lookup as a function value, binding it only once.
func (s *Scope) lookupFunc() func(string) (any, bool) {
	if s.lookup == nil {
		s.lookup = s.Lookup
	}
	return s.lookup
}

// NewScope returns an empty scope under parent (nil for the top level).
func NewScope(parent *Scope) *Scope { return &Scope{parent: parent} }

// Lookup finds a variable in s or its ancestors.
func (s *Scope) Lookup(name string) (any, bool) {
	for ; s != nil; s = s.parent {
		if v, ok := s.vars.Get(name); ok {
			return v, true
		}
	}
	return nil, false
}

// Set assigns a variable in s.
func (s *Scope) Set(name string, v any) {
	if s.vars == nil {
		s.vars = value.NewObject(4)
	}
	s.vars.Set(name, v)
}

// Vars returns the variables assigned in s itself (not its ancestors).
func (s *Scope) Vars() *value.Object { return s.vars }

// random returns the next number of the execution's generator
// (splitmix64: small state, good distribution, trivially serialisable).
func (x *Execution) random() uint64 {
	x.rng += 0x9e3779b97f4a7c15
	z := x.rng
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Float64 returns a random number in [0, 1) from the execution's generator.
func (x *Execution) Float64() float64 { return float64(x.random()>>11) / (1 << 53) }

// Uint64 returns a random number from the execution's generator.
func (x *Execution) Uint64() uint64 { return x.random() }
