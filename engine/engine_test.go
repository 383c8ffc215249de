package engine

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/value"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func compile(t testing.TB, def string) *Machine {
	t.Helper()
	d, diags := asl.Check([]byte(def), asl.ValidateOptions{})
	for _, dg := range diags {
		if dg.Severity != "WARNING" {
			t.Fatalf("definition: %v", diags)
		}
	}
	m, err := Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func testMeta() Meta {
	return Meta{
		ExecutionARN: "arn:aws:states:us-east-1:123456789012:execution:sm:e", ExecutionName: "e",
		StateMachineARN: "arn:aws:states:us-east-1:123456789012:stateMachine:sm", StateMachineName: "sm",
		RoleARN: "arn:aws:iam::123456789012:role/r", StartTime: t0, Seed: 42,
	}
}

// harness drives an execution step by step, keeping what is pending.
type harness struct {
	t      *testing.T
	m      *Machine
	x      *Execution
	events []history.Event
	timers map[int64]time.Time
	tasks  map[int64]*TaskRequest
	order  []int64 // task ids in scheduling order
	now    time.Time
}

func start(t *testing.T, def, input string) *harness {
	t.Helper()
	h := &harness{t: t, m: compile(t, def), timers: map[int64]time.Time{}, tasks: map[int64]*TaskRequest{}, now: t0}
	x, res, err := h.m.Start(testMeta(), input, t0)
	if err != nil {
		t.Fatal(err)
	}
	h.x = x
	h.apply(res)
	return h
}

func (h *harness) apply(res Result) {
	h.events = append(h.events, res.Events...)
	for _, e := range res.Effects {
		switch e.Kind {
		case EffectArmTimer:
			h.timers[e.ID] = e.At
		case EffectCancelTimer:
			delete(h.timers, e.ID)
		case EffectScheduleTask:
			h.tasks[e.ID] = e.Task
			h.order = append(h.order, e.ID)
		case EffectCancelTask:
			delete(h.tasks, e.ID)
		}
	}
}

func (h *harness) step(in Input) {
	h.t.Helper()
	in.Now = h.now
	res, err := h.m.Step(h.x, in)
	if err != nil {
		h.t.Fatal(err)
	}
	h.apply(res)
}

// nextTask returns the oldest pending task.
func (h *harness) nextTask() (int64, *TaskRequest) {
	h.t.Helper()
	for _, id := range h.order {
		if t, ok := h.tasks[id]; ok {
			return id, t
		}
	}
	h.t.Fatal("no pending task")
	return 0, nil
}

func (h *harness) succeed(output string) {
	id, _ := h.nextTask()
	delete(h.tasks, id)
	h.step(Input{Kind: InputTaskSucceeded, ID: id, Output: value.MustParse(output)})
}

func (h *harness) fail(errName, cause string) {
	id, _ := h.nextTask()
	delete(h.tasks, id)
	h.step(Input{Kind: InputTaskFailed, ID: id, Error: errName, Cause: cause})
}

// fireNextTimer advances time to the earliest timer that no task owns and
// fires it; it returns how far time moved.
func (h *harness) fireNextTimer() time.Duration {
	h.t.Helper()
	var id int64
	var at time.Time
	for tid, tat := range h.timers {
		if id == 0 || tat.Before(at) {
			id, at = tid, tat
		}
	}
	if id == 0 {
		h.t.Fatal("no pending timer")
	}
	delete(h.timers, id)
	d := at.Sub(h.now)
	h.now = at
	h.step(Input{Kind: InputTimerFired, ID: id})
	return d
}

func (h *harness) types() string {
	var s []string
	for _, e := range h.events {
		s = append(s, e.Type)
	}
	return strings.Join(s, " ")
}

func (h *harness) wantStatus(st Status, output string) {
	h.t.Helper()
	if h.x.Status != st {
		h.t.Fatalf("status %s (%s: %s), want %s\nevents: %s", h.x.Status, h.x.Error, h.x.Cause, st, h.types())
	}
	if output != "" && value.String(h.x.Output) != output {
		h.t.Fatalf("output %s, want %s", value.String(h.x.Output), output)
	}
}

func TestRetryBackoff(t *testing.T) {
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
		"Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":3,"MaxDelaySeconds":10}]}}}`
	h := start(t, def, `{}`)
	var waits []time.Duration
	for range 3 {
		h.fail("Flaky", "try again")
		waits = append(waits, h.fireNextTimer())
	}
	if fmt.Sprint(waits) != "[2s 6s 10s]" { // 2, 2*3, min(18, 10)
		t.Fatalf("retry waits %v", waits)
	}
	h.fail("Flaky", "still")
	h.wantStatus(StatusFailed, "")
	if h.x.Error != "Flaky" || h.x.Cause != "still" {
		t.Fatalf("error %s: %s", h.x.Error, h.x.Cause)
	}
	if got := strings.Count(h.types(), "TaskScheduled"); got != 4 {
		t.Fatalf("%d attempts, want 4: %s", got, h.types())
	}
}

func TestRetryJitterIsDeterministic(t *testing.T) {
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
		"Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":100,"JitterStrategy":"FULL"}]}}}`
	run := func() time.Duration {
		h := start(t, def, `{}`)
		h.fail("X", "")
		return h.fireNextTimer()
	}
	a, b := run(), run()
	if a != b || a <= 0 || a > 100*time.Second {
		t.Fatalf("jittered waits %v and %v", a, b)
	}
}

func TestCatchPlacesErrorOutput(t *testing.T) {
	def := `{"StartAt":"T","States":{
		"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"Ok","Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.err","Next":"Handler"}]},
		"Ok":{"Type":"Succeed"},
		"Handler":{"Type":"Pass","End":true}}}`
	h := start(t, def, `{"a":1}`)
	h.fail("Custom.Error", "bad thing")
	h.wantStatus(StatusSucceeded, `{"a":1,"err":{"Error":"Custom.Error","Cause":"bad thing"}}`)
	want := "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskFailed TaskStateExited PassStateEntered PassStateExited ExecutionSucceeded"
	if h.types() != want {
		t.Fatalf("events %s", h.types())
	}
}

func TestTaskTimeout(t *testing.T) {
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,"End":true,
		"Catch":[{"ErrorEquals":["States.Timeout"],"Next":"Late"}]},"Late":{"Type":"Pass","Result":"late","End":true}}}`
	h := start(t, def, `{}`)
	if d := h.fireNextTimer(); d != 5*time.Second {
		t.Fatalf("timeout after %v", d)
	}
	h.wantStatus(StatusSucceeded, `"late"`)
	if len(h.tasks) != 0 {
		t.Fatalf("timed-out task not cancelled")
	}
	if !strings.Contains(h.types(), "TaskTimedOut") {
		t.Fatalf("events %s", h.types())
	}
}

func TestParallelFailureStopsSiblings(t *testing.T) {
	def := `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"Slow","States":{"Slow":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
		{"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"Boom","Cause":"branch 2"}}}]}}}`
	h := start(t, def, `{}`)
	h.wantStatus(StatusFailed, "")
	if h.x.Error != "Boom" {
		t.Fatalf("error %s", h.x.Error)
	}
	if len(h.tasks) != 0 {
		t.Fatalf("the sibling's task was not cancelled: %v", h.tasks)
	}
	if !strings.Contains(h.types(), "ParallelStateFailed ExecutionFailed") {
		t.Fatalf("events %s", h.types())
	}
}

func TestParallelOutputsInBranchOrder(t *testing.T) {
	def := `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
		{"StartAt":"B","States":{"B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}]}}}`
	h := start(t, def, `{}`)
	// Finish the second branch first.
	idA, _ := h.nextTask()
	var idB int64
	for id := range h.tasks {
		if id != idA {
			idB = id
		}
	}
	h.step(Input{Kind: InputTaskSucceeded, ID: idB, Output: "b"})
	h.step(Input{Kind: InputTaskSucceeded, ID: idA, Output: "a"})
	h.wantStatus(StatusSucceeded, `["a","b"]`)
}

func TestMapMaxConcurrency(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,"End":true,
		"ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}`
	h := start(t, def, `[1,2,3,4,5]`)
	var seen []string
	for !h.x.Done() {
		if len(h.tasks) > 2 {
			t.Fatalf("%d tasks in flight with MaxConcurrency 2", len(h.tasks))
		}
		_, task := h.nextTask()
		seen = append(seen, value.String(task.Input))
		h.succeed(value.String(task.Input.(float64) * 10))
	}
	h.wantStatus(StatusSucceeded, `[10,20,30,40,50]`)
	if strings.Join(seen, ",") != "1,2,3,4,5" {
		t.Fatalf("items ran in order %v", seen)
	}
}

func TestMapToleratedFailures(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","ToleratedFailureCount":1,"End":true,
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":0,"Next":"F"}],"Default":"P"},
		"F":{"Type":"Fail","Error":"Zero"},"P":{"Type":"Pass","End":true}}}}}}`
	tests := []struct {
		input  string
		status Status
		err    string
	}{
		{`[1,0,2]`, StatusSucceeded, ""},
		{`[0,0,2]`, StatusFailed, "States.ExceedToleratedFailureThreshold"},
	}
	for _, tt := range tests {
		h := start(t, def, tt.input)
		h.wantStatus(tt.status, "")
		if h.x.Error != tt.err {
			t.Errorf("%s: error %q, want %q", tt.input, h.x.Error, tt.err)
		}
	}
}

func TestExecutionTimeoutAndStop(t *testing.T) {
	def := `{"StartAt":"W","TimeoutSeconds":60,"States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`
	h := start(t, def, `{}`)
	if d := h.fireNextTimer(); d != time.Minute {
		t.Fatalf("execution timed out after %v", d)
	}
	h.wantStatus(StatusTimedOut, "")
	if len(h.timers) != 0 {
		t.Fatalf("the Wait timer was not cancelled")
	}

	h = start(t, def, `{}`)
	h.step(Input{Kind: InputStop, Error: "Stopped", Cause: "by test"})
	h.wantStatus(StatusAborted, "")
	if !strings.HasSuffix(h.types(), "ExecutionAborted") {
		t.Fatalf("events %s", h.types())
	}
	if _, err := h.m.Step(h.x, Input{Kind: InputTimerFired, ID: 1, Now: t0}); err == nil {
		t.Fatal("Step on a finished execution: want error")
	}

	// InputFail ends it as FAILED from outside (a deleted state machine),
	// cancelling what it waits for.
	h = start(t, def, `{}`)
	h.step(Input{Kind: InputFail, Error: "States.Runtime", Cause: "State machine sm has been deleted."})
	h.wantStatus(StatusFailed, "")
	if !strings.HasSuffix(h.types(), "WaitStateEntered ExecutionFailed") || h.x.Cause != "State machine sm has been deleted." {
		t.Fatalf("events %s, cause %q", h.types(), h.x.Cause)
	}
	if len(h.timers) != 0 {
		t.Fatal("the timers of a failed execution are still armed")
	}
}

func TestWaitTimestampAndStaleInputs(t *testing.T) {
	def := `{"StartAt":"W","States":{"W":{"Type":"Wait","TimestampPath":"$.at","End":true}}}`
	h := start(t, def, `{"at":"2026-03-01T12:30:00Z"}`)
	// A stale timer id and a task nobody scheduled change nothing.
	h.step(Input{Kind: InputTimerFired, ID: 999})
	h.step(Input{Kind: InputTaskSucceeded, ID: 998})
	if h.x.Done() {
		t.Fatal("finished on a stale input")
	}
	if d := h.fireNextTimer(); d != 30*time.Minute {
		t.Fatalf("waited %v", d)
	}
	h.wantStatus(StatusSucceeded, `{"at":"2026-03-01T12:30:00Z"}`)
}

func TestDeterministicReplay(t *testing.T) {
	def := `{"StartAt":"U","States":{"U":{"Type":"Pass","Parameters":{"id.$":"States.UUID()","r.$":"States.MathRandom(1, 1000)"},"Next":"T"},
		"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`
	run := func() string {
		h := start(t, def, `{}`)
		_, task := h.nextTask()
		h.succeed(`"done"`)
		var b strings.Builder
		for _, e := range h.events {
			fmt.Fprintf(&b, "%d<%d %s|", e.ID, e.PreviousEventID, e.Type)
			if d, ok := e.Details.(*history.StateExitedDetails); ok {
				b.WriteString(d.Output.String())
			}
		}
		return b.String() + task.Token
	}
	if a, b := run(), run(); a != b {
		t.Fatalf("two runs with the same seed differ:\n%s\n%s", a, b)
	}
}

// BenchmarkPassChain runs a 10-state Pass chain over a 1 KiB document, in
// JSONPath and in the equivalent JSONata, in the same process so the two can
// be compared as a ratio. In JSONPath each state applies Parameters (five
// paths and an intrinsic), places its result with ResultPath and trims with
// OutputPath (the States Language does not allow ResultSelector on Pass
// states). In JSONata each state's Output merges the same object into the
// input. It reports transitions/s across all cores.
func BenchmarkPassChain(b *testing.B) {
	jsonPathState := `"Type":"Pass","Parameters":{"id.$":"$.doc.id","name.$":"$.doc.name",
		"tags.$":"$.doc.tags","first.$":"$.doc.items[0]","n.$":"$.doc.count","label.$":"States.Format('{}-{}', $.doc.name, $.doc.count)"},
		"ResultPath":"$.step","OutputPath":"$"`
	jsonataState := `"Type":"Pass","Output":"{% $merge([$states.input, {'step': {'id': $states.input.doc.id, 'name': $states.input.doc.name, ` +
		`'tags': $states.input.doc.tags, 'first': $states.input.doc.items[0], 'n': $states.input.doc.count, ` +
		`'label': $states.input.doc.name & '-' & $string($states.input.doc.count)}}]) %}"`
	chain := func(lang, state string) string {
		var states []string
		for i := range 10 {
			next := fmt.Sprintf(`"Next":"S%d"`, i+1)
			if i == 9 {
				next = `"End":true`
			}
			states = append(states, fmt.Sprintf(`"S%d":{%s,%s}`, i, state, next))
		}
		return `{"QueryLanguage":"` + lang + `","StartAt":"S0","States":{` + strings.Join(states, ",") + `}}`
	}
	var items []string
	for i := range 12 {
		items = append(items, fmt.Sprintf(`{"sku":"SKU-%04d","qty":%d,"price":%d.99}`, i, i+1, 10+i))
	}
	input := `{"doc":{"id":"7f1c0e7a-1d2b-4c38-9a0e-5b2f6c7d8e9f","name":"order","count":12,"tags":["a","b","c"],"items":[` +
		strings.Join(items, ",") + `]},"padding":"` + strings.Repeat("x", 420) + `"}`
	if len(input) < 1024 {
		b.Fatalf("input is %d bytes", len(input))
	}
	for _, bc := range []struct{ name, def string }{
		{"JSONPath", chain("JSONPath", jsonPathState)},
		{"JSONata", chain("JSONata", jsonataState)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			m := compile(b, bc.def)
			x, _, err := m.Start(testMeta(), input, t0)
			if err != nil || x.Status != StatusSucceeded {
				b.Fatalf("run: %v %s %s", err, x.Error, x.Cause)
			}
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					x, _, err := m.Start(testMeta(), input, t0)
					if err != nil || x.Status != StatusSucceeded {
						b.Fatalf("run: %v", err)
					}
				}
			})
			b.ReportMetric(float64(b.N*10)/b.Elapsed().Seconds(), "transitions/s")
		})
	}
}

func TestHistoryLimit(t *testing.T) {
	// A loop of Pass states that never ends on its own.
	def := `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
		"B":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"End"}],"Default":"A"},"End":{"Type":"Succeed"}}}`
	h := start(t, def, `{}`)
	h.wantStatus(StatusFailed, "")
	if len(h.events) != HistoryLimit || h.events[len(h.events)-1].Type != "ExecutionFailed" {
		t.Fatalf("%d events, last %s", len(h.events), h.events[len(h.events)-1].Type)
	}
	if h.x.Error != "States.Runtime" || !strings.Contains(h.x.Cause, "25000") {
		t.Fatalf("error %s: %s", h.x.Error, h.x.Cause)
	}
}

func TestPayloadLimit(t *testing.T) {
	def := `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"big.$":"States.ArrayRange(1, 1000, 1)","again.$":"$"},"Next":"B"},
		"B":{"Type":"Pass","Parameters":{"x.$":"$","y.$":"$","z.$":"$","w.$":"$"},"Next":"C"},
		"C":{"Type":"Pass","Parameters":{"x.$":"$","y.$":"$","z.$":"$","w.$":"$"},"Next":"D"},
		"D":{"Type":"Pass","Parameters":{"x.$":"$","y.$":"$","z.$":"$","w.$":"$"},"Next":"E"},
		"E":{"Type":"Pass","Parameters":{"x.$":"$","y.$":"$","z.$":"$","w.$":"$"},"End":true}}}`
	h := start(t, def, `{"pad":"`+strings.Repeat("x", 4000)+`"}`)
	h.wantStatus(StatusFailed, "")
	if h.x.Error != "States.DataLimitExceeded" {
		t.Fatalf("error %s: %s", h.x.Error, h.x.Cause)
	}
}

func TestVariableLimitsAndScopes(t *testing.T) {
	big := strings.Repeat("x", 200*1024)
	tests := []struct {
		name, def, input string
		status           Status
		output, err      string
	}{
		{"one variable too big", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"v.$":"$.s"},"End":true}}}`,
			`{"s":"` + big + big + `"}`, StatusFailed, "", "States.DataLimitExceeded"},
		{"one Assign too big", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"a.$":"$.s","b.$":"$.s"},"End":true}}}`,
			`{"s":"` + big + `"}`, StatusFailed, "", "States.DataLimitExceeded"},
		{"branch assignments stay in the branch", `{"StartAt":"Set","States":{
			"Set":{"Type":"Pass","Assign":{"x":1},"Next":"P"},
			"P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Assign":{"x":2,"y":3},"Parameters":{"inner.$":"$x"},"End":true}}}],"Next":"Read"},
			"Read":{"Type":"Pass","Parameters":{"x.$":"$x"},"End":true}}}`, `{}`, StatusSucceeded, `{"x":1}`, ""},
		{"branches read outer variables", `{"StartAt":"Set","States":{
			"Set":{"Type":"Pass","Assign":{"x":1},"Next":"M"},
			"M":{"Type":"Map","ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Pass","Parameters":{"x.$":"$x","i.$":"$"},"End":true}}},"End":true}}}`,
			`[7]`, StatusSucceeded, `[{"x":1,"i":7}]`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t, tt.def, tt.input)
			h.wantStatus(tt.status, tt.output)
			if h.x.Error != tt.err {
				t.Fatalf("error %s: %s", h.x.Error, h.x.Cause)
			}
		})
	}
}
