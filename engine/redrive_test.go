package engine

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/value"
)

// redrive redrives the harness's execution, first encoding and decoding
// it when roundTrip is set (as the server does: the snapshot of a failed
// execution is all it keeps).
func (h *harness) redrive(roundTrip bool) {
	h.t.Helper()
	if roundTrip {
		b, err := h.m.Encode(h.x)
		if err != nil {
			h.t.Fatal(err)
		}
		if h.x, err = h.m.Decode(b); err != nil {
			h.t.Fatal(err)
		}
	}
	h.now = h.now.Add(time.Minute)
	res, err := h.m.Redrive(h.x, h.now)
	if err != nil {
		h.t.Fatal(err)
	}
	h.apply(res)
}

// since returns the event types from the last ExecutionRedriven on.
func (h *harness) since() string {
	t := h.types()
	return t[strings.LastIndex(t, "ExecutionRedriven"):]
}

// checkChain checks that event ids are contiguous from 1 and that each
// ExecutionRedriven follows the event that ended the previous attempt.
func (h *harness) checkChain() {
	h.t.Helper()
	for i, e := range h.events {
		if e.ID != int64(i+1) {
			h.t.Fatalf("event %d has id %d", i+1, e.ID)
		}
		if e.PreviousEventID >= e.ID {
			h.t.Fatalf("event %d names %d as previous", e.ID, e.PreviousEventID)
		}
		if e.Type == "ExecutionRedriven" && e.PreviousEventID != e.ID-1 {
			h.t.Fatalf("ExecutionRedriven %d follows %d, want %d", e.ID, e.PreviousEventID, e.ID-1)
		}
	}
}

// succeedEach completes every pending task with f(its input), oldest first.
func (h *harness) succeedEach(f func(in any) string) {
	h.t.Helper()
	for len(h.tasks) > 0 && !h.x.Done() {
		id, task := h.nextTask()
		delete(h.tasks, id)
		h.step(Input{Kind: InputTaskSucceeded, ID: id, Output: value.MustParse(f(task.Input))})
	}
}

// finish completes task id with output, or fails it with errName.
func (h *harness) finish(id int64, output, errName string) {
	h.t.Helper()
	delete(h.tasks, id)
	if errName != "" {
		h.step(Input{Kind: InputTaskFailed, ID: id, Error: errName})
		return
	}
	h.step(Input{Kind: InputTaskSucceeded, ID: id, Output: value.MustParse(output)})
}

// both runs a test once redriving the execution in memory and once
// redriving it decoded from its snapshot.
func both(t *testing.T, test func(t *testing.T, roundTrip bool)) {
	t.Run("in memory", func(t *testing.T) { test(t, false) })
	t.Run("from snapshot", func(t *testing.T) { test(t, true) })
}

func TestRedriveFailedTask(t *testing.T) {
	def := `{"StartAt":"Prep","States":{
		"Prep":{"Type":"Pass","Parameters":{"n.$":"$.n"},"Next":"T"},
		"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"n.$":"$.n","rc.$":"$$.Execution.RedriveCount"},
			"Retry":[{"ErrorEquals":["Flaky"],"MaxAttempts":1}],"Next":"Done"},
		"Done":{"Type":"Pass","End":true}}}`
	both(t, func(t *testing.T, roundTrip bool) {
		h := start(t, def, `{"n":7,"x":1}`)
		_, task := h.nextTask()
		if got := value.String(task.Input); got != `{"n":7,"rc":0}` {
			t.Fatalf("first task input %s", got)
		}
		h.fail("Flaky", "once")
		h.fireNextTimer()
		h.fail("Flaky", "twice")
		h.wantStatus(StatusFailed, "")
		h.redrive(roundTrip)
		if h.x.Status != StatusRunning || h.x.Meta.RedriveCount != 1 || h.x.Error != "" || !h.x.StopTime().IsZero() {
			t.Fatalf("after redrive: %s count %d error %q stop %v", h.x.Status, h.x.Meta.RedriveCount, h.x.Error, h.x.StopTime())
		}
		if got := h.since(); got != "ExecutionRedriven TaskStateEntered TaskScheduled TaskStarted" {
			t.Fatalf("redrive events %s", got)
		}
		redriven := h.events[len(h.events)-4]
		if d, ok := redriven.Details.(*history.ExecutionRedrivenDetails); !ok || d.RedriveCount != 1 || !redriven.Timestamp.Equal(h.now) {
			t.Fatalf("ExecutionRedriven %+v", redriven)
		}
		_, task = h.nextTask()
		if got := value.String(task.Input); got != `{"n":7,"rc":1}` {
			t.Fatalf("redriven task input %s", got)
		}
		// Retry counts start again: one more retry is allowed.
		h.fail("Flaky", "again")
		if len(h.timers) != 1 {
			t.Fatalf("the redriven state did not retry: %s", h.since())
		}
		h.fireNextTimer()
		h.succeed(`{"ok":true}`)
		h.wantStatus(StatusSucceeded, `{"ok":true}`)
		if n := strings.Count(h.types(), "PassStateEntered"); n != 2 {
			t.Fatalf("Prep ran again: %s", h.types())
		}
		h.checkChain()
	})
}

func TestRedriveContext(t *testing.T) {
	def := `{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"Arguments":{"rc":"{% $states.context.Execution.RedriveCount %}","rt":"{% $exists($states.context.Execution.RedriveTime) ? $states.context.Execution.RedriveTime : 'none' %}"},"End":true}}}`
	both(t, func(t *testing.T, roundTrip bool) {
		h := start(t, def, `{}`)
		_, task := h.nextTask()
		if got := value.String(task.Input); got != `{"rc":0,"rt":"none"}` {
			t.Fatalf("first task input %s", got)
		}
		h.fail("Bad", "")
		h.redrive(roundTrip)
		_, task = h.nextTask()
		if got := value.String(task.Input); got != `{"rc":1,"rt":"2026-03-01T12:01:00.000Z"}` {
			t.Fatalf("redriven task input %s", got)
		}
	})
}

func TestRedriveMapRunsOnlyFailedIterations(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
		"ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}`
	both(t, func(t *testing.T, roundTrip bool) {
		h := start(t, def, `[0,1,2,3,4]`)
		ids := append([]int64(nil), h.order[:5]...)
		h.finish(ids[0], "0", "")
		h.finish(ids[4], "40", "")
		h.finish(ids[1], "", "Bad") // fails the Map; items 2 and 3 are cancelled
		h.wantStatus(StatusFailed, "")
		if len(h.tasks) != 0 {
			t.Fatalf("tasks left: %v", h.tasks)
		}
		h.redrive(roundTrip)
		var inputs []string
		for _, id := range h.order[5:] {
			inputs = append(inputs, value.String(h.tasks[id].Input))
		}
		if strings.Join(inputs, ",") != "1,2,3" {
			t.Fatalf("redriven iterations ran items %v, want 1,2,3", inputs)
		}
		if n := strings.Count(h.since(), "MapIterationStarted"); n != 3 {
			t.Fatalf("redrive events %s", h.since())
		}
		h.succeedEach(func(in any) string { return value.FormatNumber(in.(float64) * 10) })
		h.wantStatus(StatusSucceeded, `[0,10,20,30,40]`)
		if !strings.HasSuffix(h.types(), "MapIterationSucceeded MapStateSucceeded MapStateExited ExecutionSucceeded") {
			t.Fatalf("events %s", h.since())
		}
		h.checkChain()
	})
}

func TestRedriveDistributedMapWithTolerance(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","ToleratedFailureCount":1,"End":true,
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
			"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}`
	both(t, func(t *testing.T, roundTrip bool) {
		h := start(t, def, `[0,1,2,3]`)
		ids := append([]int64(nil), h.order[:4]...)
		h.finish(ids[0], "0", "")
		h.finish(ids[1], "", "Bad") // tolerated
		h.finish(ids[3], "", "Bad") // exceeds the tolerance; item 2 is cancelled
		h.wantStatus(StatusFailed, "")
		if h.x.Error != "States.ExceedToleratedFailureThreshold" {
			t.Fatalf("error %s", h.x.Error)
		}
		h.redrive(roundTrip)
		if len(h.tasks) != 3 {
			t.Fatalf("%d tasks after the redrive, want 3 (items 1, 2, 3)", len(h.tasks))
		}
		h.succeedEach(func(in any) string { return value.FormatNumber(in.(float64) * 10) })
		h.wantStatus(StatusSucceeded, `[0,10,20,30]`)
		h.checkChain()
	})
}

func TestRedriveMapRespectsMaxConcurrency(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"End":true,
		"ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}`
	both(t, func(t *testing.T, roundTrip bool) {
		h := start(t, def, `[0,1,2]`)
		h.succeed(`"a"`)
		h.fail("Bad", "")
		h.wantStatus(StatusFailed, "")
		h.redrive(roundTrip)
		for _, want := range []string{"1", "2"} {
			if len(h.tasks) != 1 {
				t.Fatalf("%d tasks at once with MaxConcurrency 1", len(h.tasks))
			}
			_, task := h.nextTask()
			if got := value.String(task.Input); got != want {
				t.Fatalf("task for item %s, want %s", got, want)
			}
			h.succeed(`"b"`)
		}
		h.wantStatus(StatusSucceeded, `["a","b","b"]`)
		h.checkChain()
	})
}

func TestRedriveParallelRunsOnlyUnsuccessfulBranches(t *testing.T) {
	def := `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
		{"StartAt":"B0","States":{"B0":{"Type":"Pass","Result":"b","Next":"B"},"B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
		{"StartAt":"C","States":{"C":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}]}}}`
	both(t, func(t *testing.T, roundTrip bool) {
		h := start(t, def, `{}`)
		ids := append([]int64(nil), h.order...)
		h.finish(ids[0], `"A"`, "")
		h.finish(ids[1], "", "Bad") // branch 2 fails; branch 3 is cancelled
		h.wantStatus(StatusFailed, "")
		if len(h.tasks) != 0 {
			t.Fatalf("tasks left: %v", h.tasks)
		}
		h.redrive(roundTrip)
		if got := h.since(); got != "ExecutionRedriven TaskStateEntered TaskScheduled TaskStarted TaskStateEntered TaskScheduled TaskStarted" {
			t.Fatalf("redrive events %s", got)
		}
		var states []string
		for _, id := range h.order[3:] {
			states = append(states, h.tasks[id].StateName)
		}
		if strings.Join(states, ",") != "B,C" {
			t.Fatalf("redriven tasks %v", states)
		}
		h.succeedEach(func(in any) string { return `{"got":` + value.String(in) + `}` })
		h.wantStatus(StatusSucceeded, `["A",{"got":"b"},{"got":{}}]`)
		if n := strings.Count(h.types(), "PassStateEntered"); n != 1 {
			t.Fatalf("B0 ran again: %s", h.types())
		}
		h.checkChain()
	})
}

func TestRedriveTimedOut(t *testing.T) {
	def := `{"TimeoutSeconds":10,"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`
	both(t, func(t *testing.T, roundTrip bool) {
		h := start(t, def, `{"k":1}`)
		h.fireNextTimer()
		h.wantStatus(StatusTimedOut, "")
		h.redrive(roundTrip)
		if at, ok := h.timers[executionTimeoutTimer]; !ok || !at.Equal(h.now.Add(10*time.Second)) {
			t.Fatalf("execution timeout not armed again from the redrive: %v", h.timers)
		}
		_, task := h.nextTask()
		if value.String(task.Input) != `{"k":1}` {
			t.Fatalf("task input %s", value.String(task.Input))
		}
		h.succeed(`1`)
		h.wantStatus(StatusSucceeded, `1`)
		if _, ok := h.timers[executionTimeoutTimer]; ok {
			t.Fatal("execution timeout still armed")
		}
		h.checkChain()
	})
}

func TestRedriveAborted(t *testing.T) {
	def := `{"StartAt":"S","States":{"S":{"Type":"Pass","Result":{"v":2},"Next":"W"},
		"W":{"Type":"Wait","Seconds":30,"Next":"T"},
		"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`
	both(t, func(t *testing.T, roundTrip bool) {
		h := start(t, def, `{}`)
		h.step(Input{Kind: InputStop, Error: "Stop", Cause: "by hand"})
		h.timers = map[int64]time.Time{} // cancelled by the stop
		h.wantStatus(StatusAborted, "")
		h.redrive(roundTrip)
		if got := h.since(); got != "ExecutionRedriven WaitStateEntered" {
			t.Fatalf("redrive events %s", got)
		}
		if d := h.fireNextTimer(); d != 30*time.Second {
			t.Fatalf("waited %v", d)
		}
		h.succeed(`"done"`)
		h.wantStatus(StatusSucceeded, `"done"`)
		h.checkChain()
	})
}

func TestRedriveTwiceAndNested(t *testing.T) {
	// A Map inside a Parallel branch: the redrive reaches the failed
	// iteration through both.
	def := `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
			"ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}},
		{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}]}}}`
	both(t, func(t *testing.T, roundTrip bool) {
		h := start(t, def, `[1,2]`)
		h.succeed(`"one"`)
		h.fail("Bad", "first")
		h.wantStatus(StatusFailed, "")
		h.redrive(roundTrip)
		h.fail("Bad", "second")
		h.wantStatus(StatusFailed, "")
		if h.x.Cause != "second" {
			t.Fatalf("cause %q", h.x.Cause)
		}
		h.redrive(roundTrip)
		if h.x.Meta.RedriveCount != 2 {
			t.Fatalf("redrive count %d", h.x.Meta.RedriveCount)
		}
		_, task := h.nextTask()
		if value.String(task.Input) != "2" || len(h.tasks) != 1 {
			t.Fatalf("redriven task input %s (%d tasks)", value.String(task.Input), len(h.tasks))
		}
		h.succeed(`"two"`)
		h.wantStatus(StatusSucceeded, `[["one","two"],[1,2]]`)
		h.checkChain()
	})
}

// TestSnapshotKeepsRedriveFrames checks that the frames kept for a
// redrive (a failed Parallel's branches, a Map's failed iterations) and a
// redriven Map's queue survive Encode and Decode unchanged.
func TestSnapshotKeepsRedriveFrames(t *testing.T) {
	roundTrip := func(h *harness, want string) {
		t.Helper()
		a, err := h.m.Encode(h.x)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(a), want) {
			t.Fatalf("snapshot has no %s: %s", want, a)
		}
		x, err := h.m.Decode(a)
		if err != nil {
			t.Fatal(err)
		}
		b, err := h.m.Encode(x)
		if err != nil {
			t.Fatal(err)
		}
		if string(a) != string(b) {
			t.Fatalf("round trip changed the snapshot:\n%s\n%s", a, b)
		}
	}
	par := start(t, `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
		{"StartAt":"B","States":{"B":{"Type":"Fail","Error":"Bad"}}}]}}}`, `{}`)
	par.wantStatus(StatusFailed, "")
	roundTrip(par, `"kept":[`)

	m := start(t, `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"ToleratedFailureCount":1,"End":true,
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
			"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}`, `[1,2,3]`)
	m.fail("Bad", "")
	m.fail("Bad", "")
	m.wantStatus(StatusFailed, "")
	roundTrip(m, `"kept":[`)
	m.redrive(false)
	roundTrip(m, `"redo":[`) // item 1 runs again, item 2 waits
	m.succeedEach(func(any) string { return "0" })
	m.wantStatus(StatusSucceeded, "[0,0,0]")
}

func TestRedriveRefused(t *testing.T) {
	task := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`
	h := start(t, task, `{}`)
	if _, err := h.m.Redrive(h.x, h.now); !errors.Is(err, ErrNotRedrivable) {
		t.Fatalf("running: %v", err)
	}
	h.succeed(`1`)
	if _, err := h.m.Redrive(h.x, h.now); !errors.Is(err, ErrNotRedrivable) {
		t.Fatalf("succeeded: %v", err)
	}
	h = start(t, task, `{}`)
	h.fail("Bad", "")
	h.x.Meta.RedriveCount = MaxRedrives
	if _, err := h.m.Redrive(h.x, h.now); !errors.Is(err, ErrNotRedrivable) {
		t.Fatalf("after %d redrives: %v", MaxRedrives, err)
	}
}

// FuzzRedrive runs definitions with some tasks failing (a bit of mask per
// task) until the execution fails or is stopped, redrives it from its
// snapshot and runs it with every task succeeding: nothing may panic, the
// history's ids must stay contiguous and a redriven execution must be
// RUNNING or finished.
func FuzzRedrive(f *testing.F) {
	seeds := []struct{ def, input string }{
		{`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`, `{}`},
		{`{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,"ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},"End":true}}}`, `[1,2,3,4]`},
		{`{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3,"Next":"B"},"B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}],"End":true}}}`, `{}`},
		{`{"TimeoutSeconds":5,"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},"ToleratedFailureCount":1,"End":true}}}`, `[1,2,3]`},
	}
	for i, s := range seeds {
		f.Add(s.def, s.input, uint64(0b1010)<<i)
	}
	f.Fuzz(func(t *testing.T, def, input string, mask uint64) {
		d, diags := asl.Check([]byte(def), asl.ValidateOptions{})
		if asl.HasErrors(diags) {
			return
		}
		m, err := Compile(d)
		if err != nil {
			return
		}
		x, res, err := m.Start(testMeta(), input, t0)
		if err != nil {
			return
		}
		var events []history.Event
		events = append(events, res.Events...)
		now, task := t0, 0
		drive := func(failing bool) {
			for steps := 0; !x.Done() && steps < 50; steps++ {
				var in Input
				for _, e := range res.Effects {
					switch e.Kind {
					case EffectScheduleTask:
						if in.Kind == 0 || in.Kind == InputTimerFired {
							in = Input{Kind: InputTaskSucceeded, ID: e.ID, Output: e.Task.Input}
							if failing && mask>>(task%64)&1 == 1 {
								in = Input{Kind: InputTaskFailed, ID: e.ID, Error: "Fuzz"}
							}
							task++
						}
					case EffectArmTimer:
						if in.Kind == 0 {
							in = Input{Kind: InputTimerFired, ID: e.ID}
							if e.At.After(now) {
								now = e.At
							}
						}
					}
				}
				if in.Kind == 0 {
					in = Input{Kind: InputStop, Error: "Fuzz"}
				}
				in.Now = now
				if res, err = m.Step(x, in); err != nil {
					t.Fatalf("Step: %v", err)
				}
				events = append(events, res.Events...)
			}
		}
		drive(true)
		if !x.Done() || x.Status == StatusSucceeded {
			return
		}
		b, err := m.Encode(x)
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		if x, err = m.Decode(b); err != nil {
			t.Fatalf("Decode: %v", err)
		}
		if res, err = m.Redrive(x, now); err != nil {
			if errors.Is(err, ErrNotRedrivable) {
				return
			}
			t.Fatalf("Redrive: %v", err)
		}
		events = append(events, res.Events...)
		if x.Meta.RedriveCount != 1 {
			t.Fatalf("redrive count %d", x.Meta.RedriveCount)
		}
		drive(false)
		for i, e := range events {
			if e.ID != int64(i+1) || e.PreviousEventID >= e.ID {
				t.Fatalf("event %d: id %d previous %d", i+1, e.ID, e.PreviousEventID)
			}
		}
	})
}
