package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/value"
)

func TestTokens(t *testing.T) {
	h := start(t, `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}`, `{}`)
	_, task := h.nextTask()
	if task.Pattern != "waitForTaskToken" || len(task.Token) > 1024 {
		t.Fatalf("pattern %q token %q", task.Pattern, task.Token)
	}
	arn, id, ok := ParseToken(task.Token)
	if !ok || arn != h.x.Meta.ExecutionARN || id == 0 {
		t.Fatalf("ParseToken = %q %d %v", arn, id, ok)
	}
	for _, bad := range []string{"", "x", "a.b.c", task.Token + "0", strings.Replace(task.Token, ".", "!", 1)} {
		if _, _, ok := ParseToken(bad); ok {
			t.Errorf("ParseToken(%q) accepted", bad)
		}
	}
}

func TestWaitForTaskToken(t *testing.T) {
	h := start(t, `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		"Parameters":{"token.$":"$$.Task.Token"},"End":true}}}`, `{}`)
	id, task := h.nextTask()
	if tok, _ := task.Input.(*value.Object).Get("token"); tok != task.Token {
		t.Fatalf("$$.Task.Token = %v, want the task's token", tok)
	}
	delete(h.tasks, id)
	h.step(Input{Kind: InputTaskSubmitted, ID: id, Output: value.MustParse(`{"MessageId":"m1"}`)})
	// A forged token with the right execution and task id is ignored.
	forged := task.Token[:len(task.Token)-1] + "0"
	if forged == task.Token {
		forged = task.Token[:len(task.Token)-1] + "1"
	}
	res, err := h.m.Step(h.x, Input{Kind: InputTaskSucceeded, Token: forged, Output: "no", Now: h.now})
	if err != nil || !res.Ignored {
		t.Fatalf("forged token: ignored=%v err=%v", res.Ignored, err)
	}
	h.step(Input{Kind: InputTaskSucceeded, Token: task.Token, Output: value.MustParse(`{"done":true}`)})
	h.wantStatus(StatusSucceeded, `{"done":true}`)
	want := "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded TaskStateExited ExecutionSucceeded"
	if h.types() != want {
		t.Fatalf("events %s", h.types())
	}
}

func TestActivityHeartbeat(t *testing.T) {
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:work",
		"HeartbeatSeconds":10,"TimeoutSeconds":100,"End":true,"Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],"Next":"Late"}]},
		"Late":{"Type":"Pass","Result":"heartbeat missed","End":true}}}`
	h := start(t, def, `{"job":1}`)
	_, task := h.nextTask()
	if !task.Activity {
		t.Fatal("activity task not marked")
	}
	if len(h.timers) != 1 {
		t.Fatalf("heartbeat armed before the worker started: %d timers", len(h.timers))
	}
	h.step(Input{Kind: InputTaskStarted, Token: task.Token, Worker: "w1"})
	// Two heartbeats keep it alive for 25 s; then it goes quiet.
	for range 2 {
		h.now = h.now.Add(8 * time.Second)
		h.step(Input{Kind: InputTaskHeartbeat, Token: task.Token})
	}
	if d := h.fireNextTimer(); d != 10*time.Second {
		t.Fatalf("heartbeat timeout after %v", d)
	}
	h.wantStatus(StatusSucceeded, `"heartbeat missed"`)
	want := "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted ActivityTimedOut TaskStateExited PassStateEntered PassStateExited ExecutionSucceeded"
	if h.types() != want {
		t.Fatalf("events %s", h.types())
	}
	started, timedOut := h.events[3].Details.(*history.ActivityStartedDetails), h.events[4].Details.(*history.ErrorDetails)
	if h.events[3].Type != "ActivityStarted" || started.WorkerName != "w1" || h.events[4].Type != "ActivityTimedOut" || *timedOut.Error != "States.HeartbeatTimeout" {
		t.Fatalf("details %+v %+v", started, timedOut)
	}
	if len(h.timers) != 0 || len(h.tasks) != 0 {
		t.Fatalf("left over: timers %v tasks %v", h.timers, h.tasks)
	}
}

func TestLambdaLegacyEvents(t *testing.T) {
	h := start(t, `{"StartAt":"L","States":{"L":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}}`, `{}`)
	h.succeed(`{"ok":1}`)
	want := "ExecutionStarted TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionSucceeded TaskStateExited ExecutionSucceeded"
	if h.types() != want {
		t.Fatalf("events %s", h.types())
	}
}

func TestInspectAndMock(t *testing.T) {
	m := compile(t, `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"InputPath":"$.in","Parameters":{"p.$":"$.v"},"ResultSelector":{"r.$":"$.out"},"ResultPath":"$.res","End":true}}}`)
	x, _, err := m.Start(testMeta(), `{"in":{"v":1}}`, t0)
	if err != nil {
		t.Fatal(err)
	}
	_ = x
	seen := map[string]string{}
	meta := testMeta()
	m2 := m
	x, res, err := m2.StartWith(meta, `{"in":{"v":1}}`, t0, func(x *Execution) {
		x.Inspect = func(stage string, v any) { seen[stage] = value.String(v) }
		x.Mock = func(state string) (any, *failure.Error, bool) { return value.MustParse(`{"out":42}`), nil, true }
	})
	if err != nil || x.Status != StatusSucceeded {
		t.Fatalf("status %s %v %+v", x.Status, err, res)
	}
	want := map[string]string{"input": `{"in":{"v":1}}`, "afterInputPath": `{"v":1}`, "afterParameters": `{"p":1}`,
		"result": `{"out":42}`, "afterResultSelector": `{"r":42}`, "afterResultPath": `{"in":{"v":1},"res":{"r":42}}`}
	for k, v := range want {
		if seen[k] != v {
			t.Errorf("%s = %s, want %s", k, seen[k], v)
		}
	}
}
