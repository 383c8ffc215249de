package engine

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/value"
)

// snapshotVersion is the version of the snapshot encoding. Decode refuses
// other versions.
const snapshotVersion = 1

// Encode serialises an execution's complete state, so that a runtime can
// store it and resume the execution later, in another process, with Decode
// on a Machine compiled from the same definition.
func (m *Machine) Encode(x *Execution) ([]byte, error) {
	s := snapshot{
		V: snapshotVersion, Meta: x.Meta, Input: raw(x.Input), InputText: x.InputText,
		Status: x.Status, Output: raw(x.Output), Error: x.Error, Cause: x.Cause,
		HasError: x.HasError, HasCause: x.HasCause,
		NextEventID: x.nextEventID, NextID: x.nextID, RNG: x.rng, EventCount: x.eventCount, StopTime: x.stopTime,
		TimeoutArmed: x.timeoutArmed, LastTime: x.lastTime,
	}
	if x.root != nil {
		s.Root = encodeFrame(x.root)
	}
	return json.Marshal(&s)
}

// Decode restores an execution encoded by Encode.
func (m *Machine) Decode(b []byte) (*Execution, error) {
	var s snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("decode execution snapshot: %w", err)
	}
	if s.V != snapshotVersion {
		return nil, fmt.Errorf("decode execution snapshot: unsupported version %d", s.V)
	}
	x := &Execution{
		Meta: s.Meta, InputText: s.InputText, Status: s.Status, Error: s.Error, Cause: s.Cause,
		HasError: s.HasError, HasCause: s.HasCause,
		nextEventID: s.NextEventID, nextID: s.NextID, rng: s.RNG, eventCount: s.EventCount, stopTime: s.StopTime,
		timeoutArmed: s.TimeoutArmed, lastTime: s.LastTime,
	}
	var err error
	if x.Input, err = parseRaw(s.Input); err != nil {
		return nil, err
	}
	if x.Output, err = parseRaw(s.Output); err != nil {
		return nil, err
	}
	if s.Root != nil {
		if x.root, err = m.decodeFrame(s.Root, nil, nil); err != nil {
			return nil, err
		}
	}
	return x, nil
}

type snapshot struct {
	V            int             `json:"v"`
	Meta         Meta            `json:"meta"`
	Input        json.RawMessage `json:"input"`
	InputText    string          `json:"inputText,omitempty"`
	Status       Status          `json:"status"`
	Output       json.RawMessage `json:"output,omitempty"`
	Error        string          `json:"error,omitempty"`
	Cause        string          `json:"cause,omitempty"`
	HasError     bool            `json:"hasError,omitempty"`
	HasCause     bool            `json:"hasCause,omitempty"`
	NextEventID  int64           `json:"nextEventId"`
	NextID       int64           `json:"nextId"`
	RNG          uint64          `json:"rng"`
	EventCount   int64           `json:"eventCount"`
	StopTime     time.Time       `json:"stopTime,omitzero"`
	TimeoutArmed bool            `json:"timeoutArmed,omitempty"`
	LastTime     time.Time       `json:"lastTime,omitzero"`
	Root         *frameSnapshot  `json:"root,omitempty"`
}

type errSnapshot struct {
	Name     string `json:"name"`
	Cause    string `json:"cause"`
	Location string `json:"location,omitempty"`
}

type frameSnapshot struct {
	ID          int64             `json:"id"`
	Graph       string            `json:"graph"`
	Vars        json.RawMessage   `json:"vars,omitempty"`
	Last        int64             `json:"last"`
	State       string            `json:"state,omitempty"`
	Phase       phase             `json:"phase"`
	Input       json.RawMessage   `json:"input,omitempty"`
	InputText   string            `json:"inputText,omitempty"`
	ResultText  string            `json:"resultText,omitempty"`
	OutputText  string            `json:"outputText,omitempty"`
	EnteredID   int64             `json:"enteredId,omitempty"`
	EnteredPrev int64             `json:"enteredPrev,omitempty"`
	EnteredTime time.Time         `json:"enteredTime,omitzero"`
	Attempts    []int             `json:"attempts,omitempty"`
	RetryCount  int               `json:"retryCount,omitempty"`
	Effective   json.RawMessage   `json:"effective,omitempty"`
	TimerID     int64             `json:"timerId,omitempty"`
	TaskID      int64             `json:"taskId,omitempty"`
	TaskToken   string            `json:"taskToken,omitempty"`
	HBTimerID   int64             `json:"hbTimerId,omitempty"`
	TaskStarted bool              `json:"taskStarted,omitempty"`
	Heartbeat   int64             `json:"heartbeat,omitempty"`
	TaskPending bool              `json:"taskPending,omitempty"`
	Children    []*frameSnapshot  `json:"children,omitempty"`
	Kept        []*frameSnapshot  `json:"kept,omitempty"`
	Redo        []*frameSnapshot  `json:"redo,omitempty"`
	Results     []json.RawMessage `json:"results,omitempty"`
	HasResults  bool              `json:"hasResults,omitempty"`
	Items       json.RawMessage   `json:"items,omitempty"`
	NextItem    int               `json:"nextItem,omitempty"`
	Active      int               `json:"active,omitempty"`
	Failed      int               `json:"failed,omitempty"`
	MaxConc     int               `json:"maxConc,omitempty"`
	TolCount    int               `json:"tolCount,omitempty"`
	TolCountSet bool              `json:"tolCountSet,omitempty"`
	TolPct      float64           `json:"tolPct,omitempty"`
	TolPctSet   bool              `json:"tolPctSet,omitempty"`
	ChildErr    *errSnapshot      `json:"childErr,omitempty"`
	Index       int               `json:"index"`
	Silent      bool              `json:"silent,omitempty"`
	FailEvent   string            `json:"failEvent,omitempty"`
	Output      json.RawMessage   `json:"output,omitempty"`
	Err         *errSnapshot      `json:"err,omitempty"`
}

func raw(v any) json.RawMessage { return json.RawMessage(value.Marshal(v)) }

func parseRaw(b json.RawMessage) (any, error) {
	if len(b) == 0 {
		return nil, nil
	}
	v, err := value.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("decode execution snapshot: %w", err)
	}
	return v, nil
}

func encodeErr(e *failure.Error) *errSnapshot {
	if e == nil {
		return nil
	}
	return &errSnapshot{Name: e.Name, Cause: e.Cause, Location: e.Location}
}

func decodeErr(e *errSnapshot) *failure.Error {
	if e == nil {
		return nil
	}
	return &failure.Error{Name: e.Name, Cause: e.Cause, Location: e.Location}
}

func encodeFrame(f *Frame) *frameSnapshot {
	s := &frameSnapshot{
		ID: f.ID, Graph: f.g.key, Last: f.last, Phase: f.phase,
		Input: raw(f.input), InputText: f.inputText, ResultText: f.resultText, OutputText: f.outputText,
		EnteredID: f.enteredID, EnteredPrev: f.enteredPrev, EnteredTime: f.enteredTime,
		Attempts: f.attempts, RetryCount: f.retryCount, TimerID: f.timerID, TaskID: f.taskID, TaskToken: f.taskToken,
		HBTimerID: f.hbTimerID, TaskStarted: f.taskStarted, Heartbeat: f.heartbeat, TaskPending: f.taskPending,
		NextItem: f.nextItem, Active: f.active, Failed: f.failed, MaxConc: f.maxConc,
		TolCount: f.tolCount, TolCountSet: f.tolCountSet, TolPct: f.tolPct, TolPctSet: f.tolPctSet,
		ChildErr: encodeErr(f.childErr), Index: f.index, Silent: f.silent, FailEvent: f.failEvent,
		Err: encodeErr(f.err),
	}
	if f.node != nil {
		s.State = f.node.s.Name
	}
	if f.vars != nil && f.vars.vars != nil {
		s.Vars = raw(f.vars.vars)
	}
	if f.effective != nil {
		s.Effective = raw(f.effective)
	}
	if f.output != nil {
		s.Output = raw(f.output)
	}
	if f.items != nil {
		s.Items = raw(f.items)
	}
	if f.results != nil {
		s.HasResults = true
		s.Results = make([]json.RawMessage, len(f.results))
		for i, r := range f.results {
			s.Results[i] = raw(r)
		}
	}
	for _, c := range f.children {
		s.Children = append(s.Children, encodeFrame(c))
	}
	for _, c := range f.kept {
		s.Kept = append(s.Kept, encodeFrame(c))
	}
	for _, c := range f.redo {
		s.Redo = append(s.Redo, encodeFrame(c))
	}
	return s
}

func (m *Machine) decodeFrame(s *frameSnapshot, parent *Frame, parentVars *Scope) (*Frame, error) {
	g, ok := m.graphs[s.Graph]
	if !ok {
		return nil, fmt.Errorf("decode execution snapshot: unknown graph %q", s.Graph)
	}
	f := &Frame{
		ID: s.ID, g: g, parent: parent, last: s.Last, phase: s.Phase,
		inputText: s.InputText, resultText: s.ResultText, outputText: s.OutputText,
		enteredID: s.EnteredID, enteredPrev: s.EnteredPrev, enteredTime: s.EnteredTime,
		attempts: s.Attempts, retryCount: s.RetryCount, timerID: s.TimerID, taskID: s.TaskID, taskToken: s.TaskToken,
		hbTimerID: s.HBTimerID, taskStarted: s.TaskStarted, heartbeat: s.Heartbeat, taskPending: s.TaskPending,
		nextItem: s.NextItem, active: s.Active, failed: s.Failed, maxConc: s.MaxConc,
		tolCount: s.TolCount, tolCountSet: s.TolCountSet, tolPct: s.TolPct, tolPctSet: s.TolPctSet,
		childErr: decodeErr(s.ChildErr), index: s.Index, silent: s.Silent, failEvent: s.FailEvent,
		err: decodeErr(s.Err),
	}
	if s.State != "" {
		if f.node, ok = g.states[s.State]; !ok {
			return nil, fmt.Errorf("decode execution snapshot: unknown state %q", s.State)
		}
	}
	f.vars = NewScope(parentVars)
	if len(s.Vars) > 0 {
		v, err := parseRaw(s.Vars)
		if err != nil {
			return nil, err
		}
		obj, ok := v.(*value.Object)
		if !ok {
			return nil, fmt.Errorf("decode execution snapshot: variables are not an object")
		}
		f.vars.vars = obj
	}
	var err error
	if f.input, err = parseRaw(s.Input); err != nil {
		return nil, err
	}
	if f.effective, err = parseRaw(s.Effective); err != nil {
		return nil, err
	}
	if f.output, err = parseRaw(s.Output); err != nil {
		return nil, err
	}
	if len(s.Items) > 0 {
		items, err := parseRaw(s.Items)
		if err != nil {
			return nil, err
		}
		f.items, _ = items.([]any)
	}
	if s.HasResults {
		f.results = make([]any, len(s.Results))
		for i, r := range s.Results {
			if f.results[i], err = parseRaw(r); err != nil {
				return nil, err
			}
		}
	}
	if f.children, err = m.decodeFrames(s.Children, f); err != nil {
		return nil, err
	}
	if f.kept, err = m.decodeFrames(s.Kept, f); err != nil {
		return nil, err
	}
	if f.redo, err = m.decodeFrames(s.Redo, f); err != nil {
		return nil, err
	}
	return f, nil
}

// decodeFrames restores the child frames of parent.
func (m *Machine) decodeFrames(ss []*frameSnapshot, parent *Frame) ([]*Frame, error) {
	var out []*Frame
	for _, cs := range ss {
		c, err := m.decodeFrame(cs, parent, parent.vars)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
