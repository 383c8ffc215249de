package runner

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/value"
)

func TestChildOutcome(t *testing.T) {
	start := time.UnixMilli(1700000000123).UTC()
	stop := start.Add(2 * time.Second)
	base := store.Execution{ARN: "arn:aws:states:us-east-1:123456789012:execution:c:x", StateMachineARN: smARN, Name: "x",
		Input: []byte(`{"a":1}`), StartDate: start, StopDate: stop}
	ok := base
	ok.Status, ok.Output = store.StatusSucceeded, []byte(`{"b":2}`)
	failed := base
	failed.Status, failed.Error, failed.Cause = store.StatusFailed, "Boom", "bad"
	aborted := base
	aborted.Status, aborted.VersionARN = store.StatusAborted, smARN+":3"
	for _, tc := range []struct {
		name    string
		pattern string
		x       store.Execution
		kind    engine.InputKind
		want    string
	}{
		{"sync succeeded", "sync", ok, engine.InputTaskSucceeded,
			`{"ExecutionArn":"` + base.ARN + `","Input":"{\"a\":1}","InputDetails":{"Included":true},"Name":"x","Output":"{\"b\":2}",` +
				`"OutputDetails":{"Included":true},"RedriveCount":0,"RedriveStatus":"NOT_REDRIVABLE",` +
				`"RedriveStatusReason":"Execution is SUCCEEDED and cannot be redriven","StartDate":1700000000123,` +
				`"StateMachineArn":"` + smARN + `","Status":"SUCCEEDED","StopDate":1700000002123}`},
		{"sync:2 succeeded", "sync:2", ok, engine.InputTaskSucceeded,
			`{"ExecutionArn":"` + base.ARN + `","Input":{"a":1},"InputDetails":{"Included":true},"Name":"x","Output":{"b":2},` +
				`"OutputDetails":{"Included":true},"RedriveCount":0,"RedriveStatus":"NOT_REDRIVABLE",` +
				`"RedriveStatusReason":"Execution is SUCCEEDED and cannot be redriven","StartDate":1700000000123,` +
				`"StateMachineArn":"` + smARN + `","Status":"SUCCEEDED","StopDate":1700000002123}`},
		{"sync failed", "sync", failed, engine.InputTaskFailed,
			`{"Cause":"bad","Error":"Boom","ExecutionArn":"` + base.ARN + `","Input":"{\"a\":1}","InputDetails":{"Included":true},"Name":"x",` +
				`"OutputDetails":{"Included":true},"RedriveCount":0,"RedriveStatus":"REDRIVABLE","StartDate":1700000000123,` +
				`"StateMachineArn":"` + smARN + `","Status":"FAILED","StopDate":1700000002123}`},
		{"sync:2 aborted through a version", "sync:2", aborted, engine.InputTaskFailed,
			`{"ExecutionArn":"` + base.ARN + `","Input":{"a":1},"InputDetails":{"Included":true},"Name":"x",` +
				`"OutputDetails":{"Included":true},"RedriveCount":0,"RedriveStatus":"REDRIVABLE","StartDate":1700000000123,` +
				`"StateMachineArn":"` + smARN + `","StateMachineVersionArn":"` + smARN + `:3","Status":"ABORTED","StopDate":1700000002123}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := childOutcome(tc.pattern, &tc.x)
			if in.Kind != tc.kind {
				t.Fatalf("kind %v, want %v", in.Kind, tc.kind)
			}
			got := in.Cause
			if in.Kind == engine.InputTaskSucceeded {
				got = value.String(in.Output)
			} else if in.Error != "States.TaskFailed" {
				t.Fatalf("error %q", in.Error)
			}
			if got != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestRetriedStartAdoptsChild: a start repeated after a crash finds the
// child already created (here without a link) and links it, so the parent
// task still completes; a start with other input links nothing.
func TestRetriedStartAdoptsChild(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	w := newWaiter()
	tokens := make(chan string, 8)
	tasks := taskFunc(func(ctx context.Context, req *engine.TaskRequest) (any, error) {
		tokens <- req.Token
		return "sent", nil
	})
	r := newRunner(t, Config{Store: s, OnCommit: w.onCommit, Tasks: tasks})
	defer r.Close()
	ctx := context.Background()
	parkDef := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		"Parameters":{"t.$":"$$.Task.Token"},"End":true}}}`
	next := func() string {
		select {
		case tok := <-tokens:
			return tok
		case <-time.After(20 * time.Second):
			t.Fatal("no task")
			return ""
		}
	}
	parent := params("parent", parkDef, `{}`)
	if _, err := r.StartExecution(ctx, parent); err != nil {
		t.Fatal(err)
	}
	ptok := next()
	child := params("child", parkDef, `{"c":1}`)
	if _, err := r.StartExecution(ctx, child); err != nil {
		t.Fatal(err)
	}
	ctok := next()
	link := WithParentTask(ctx, &engine.TaskRequest{Pattern: "sync", Token: ptok, ExecutionARN: parent.ExecutionARN})
	other := *child
	other.Input = `{"c":2}`
	if _, err := r.StartExecution(link, &other); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("other input: %v", err)
	}
	if len(r.links.tokens(child.ExecutionARN, parent.ExecutionARN)) != 0 {
		t.Fatal("a start with other input linked the execution")
	}
	if _, err := r.StartExecution(link, child); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("repeated start: %v", err)
	}
	if err := r.SendTaskSuccess(ctx, ctok, `{"out":1}`); err != nil {
		t.Fatal(err)
	}
	if st := w.wait(t, child.ExecutionARN); st != store.StatusSucceeded {
		t.Fatalf("child %s", st)
	}
	if st := w.wait(t, parent.ExecutionARN); st != store.StatusSucceeded {
		t.Fatalf("parent %s", st)
	}
	x, err := s.GetExecution(ctx, parent.ExecutionARN)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(x.Output), `"Output":"{\"out\":1}"`) || !strings.Contains(string(x.Output), child.ExecutionARN) {
		t.Fatalf("parent output %s", x.Output)
	}
}

// TestExpressChildSync: a .sync:2 task waits for an Express child run in
// memory and gets its output; a parent that stops first stops the child.
func TestExpressChildSync(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	w := newWaiter()
	var r *Runner
	children := make(chan string, 2)
	tasks := taskFunc(func(ctx context.Context, req *engine.TaskRequest) (any, error) {
		in := req.Input.(*value.Object)
		def, _ := in.Get("def")
		p := params("child-of-"+nameOf(req.ExecutionARN), def.(string), `{"from":"parent"}`)
		p.Type = store.TypeExpress
		p.ExecutionARN = "arn:aws:states:us-east-1:123456789012:express:sm:" + p.Name + ":1"
		children <- p.ExecutionARN
		if _, err := r.StartExecution(WithParentTask(ctx, req), p); err != nil {
			return nil, err
		}
		return "started", nil
	})
	r = newRunner(t, Config{Store: s, OnCommit: w.onCommit, Tasks: tasks})
	defer r.Close()
	ctx := context.Background()
	parent := func(name, childDef string) *service.StartParams {
		def := `{"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
			"Parameters":{"def":` + strconv.Quote(childDef) + `},"End":true}}}`
		return params(name, def, `{}`)
	}

	done := parent("done", `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"got.$":"$.from"},"End":true}}}`)
	if _, err := r.StartExecution(ctx, done); err != nil {
		t.Fatal(err)
	}
	child := <-children
	if st := w.wait(t, child); st != store.StatusSucceeded {
		t.Fatalf("child %s", st)
	}
	if st := w.wait(t, done.ExecutionARN); st != store.StatusSucceeded {
		t.Fatalf("parent %s", st)
	}
	x, err := s.GetExecution(ctx, done.ExecutionARN)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(x.Output), `"Output":{"got":"parent"}`) || !strings.Contains(string(x.Output), child) {
		t.Fatalf("parent output %s", x.Output)
	}

	stopped := parent("stopped", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"End":true}}}`)
	if _, err := r.StartExecution(ctx, stopped); err != nil {
		t.Fatal(err)
	}
	child = <-children
	if _, err := r.StopExecution(ctx, stopped.ExecutionARN, "", ""); err != nil {
		t.Fatal(err)
	}
	if st := w.wait(t, child); st != store.StatusAborted {
		t.Fatalf("child of a stopped parent: %s", st)
	}
	c, err := r.DescribeExpress(ctx, child)
	if err != nil || !strings.Contains(c.Cause, stopped.ExecutionARN) {
		t.Fatalf("child %+v, %v", c, err)
	}
}

// TestRecoveryStopsOrphans: a parent ended by a process that did not know
// its link (here: a runner never started) leaves its .sync child running;
// the next Start stops it.
func TestRecoveryStopsOrphans(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	defer s.Close()
	w := newWaiter()
	tokens := make(chan string, 8)
	tasks := taskFunc(func(ctx context.Context, req *engine.TaskRequest) (any, error) {
		tokens <- req.Token
		return "sent", nil
	})
	ctx := context.Background()
	parkDef := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		"Parameters":{"t.$":"$$.Task.Token"},"End":true}}}`
	r := newRunner(t, Config{Store: s, OnCommit: w.onCommit, Tasks: tasks})
	parent := params("parent", parkDef, `{}`)
	if _, err := r.StartExecution(ctx, parent); err != nil {
		t.Fatal(err)
	}
	ptok := <-tokens
	child := params("child", parkDef, `{}`)
	link := WithParentTask(ctx, &engine.TaskRequest{Pattern: "sync:2", Token: ptok, ExecutionARN: parent.ExecutionARN})
	if _, err := r.StartExecution(link, child); err != nil {
		t.Fatal(err)
	}
	<-tokens
	r.Close()

	// A runner that never ran Start knows no links.
	r2, err := New(Config{Store: s, OnCommit: w.onCommit, Tasks: tasks})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r2.StopExecution(ctx, parent.ExecutionARN, "", ""); err != nil {
		t.Fatal(err)
	}
	if st := w.wait(t, parent.ExecutionARN); st != store.StatusAborted {
		t.Fatalf("parent %s", st)
	}
	r2.Close()
	if x, err := s.GetExecution(ctx, child.ExecutionARN); err != nil || x.Status != store.StatusRunning {
		t.Fatalf("child before recovery: %v %v", x, err)
	}

	r3 := newRunner(t, Config{Store: s, OnCommit: w.onCommit, Tasks: tasks})
	if st := w.wait(t, child.ExecutionARN); st != store.StatusAborted {
		t.Fatalf("child %s", st)
	}
	r3.Close() // waits for the link's clean-up
	x, err := s.GetExecution(ctx, child.ExecutionARN)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(x.Cause, parent.ExecutionARN) {
		t.Fatalf("child cause %q", x.Cause)
	}
	page, err := s.ListOutbox(ctx, &store.ListOutboxParams{ListParams: store.ListParams{Limit: 10}})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range page.Items {
		if row.Kind == kindParent {
			t.Fatalf("link row left: %s", row.ID)
		}
	}
}

// TestAnswerDuringCall: a worker may answer a .waitForTaskToken task
// before the call that handed it the token returns (a Lambda function
// calling SendTaskSuccess); the answer must not wait for that call.
func TestAnswerDuringCall(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	w := newWaiter()
	var r *Runner
	tasks := taskFunc(func(ctx context.Context, req *engine.TaskRequest) (any, error) {
		if err := r.SendTaskSuccess(ctx, req.Token, `{"early":true}`); err != nil {
			return nil, err
		}
		return "sent", nil
	})
	r = newRunner(t, Config{Store: s, OnCommit: w.onCommit, Tasks: tasks})
	defer r.Close()
	p := params("cb", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"Parameters":{"t.$":"$$.Task.Token"},"End":true}}}`, `{}`)
	if _, err := r.StartExecution(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if st := w.wait(t, p.ExecutionARN); st != store.StatusSucceeded {
		t.Fatalf("status %s", st)
	}
}

// TestTwoParentsShareChild: a second parent starting the same child (same
// name and input) waits for it too, and both complete.
func TestTwoParentsShareChild(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	w := newWaiter()
	tokens := make(chan string, 8)
	tasks := taskFunc(func(ctx context.Context, req *engine.TaskRequest) (any, error) {
		tokens <- req.Token
		return "sent", nil
	})
	r := newRunner(t, Config{Store: s, OnCommit: w.onCommit, Tasks: tasks})
	defer r.Close()
	ctx := context.Background()
	parkDef := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		"Parameters":{"t.$":"$$.Task.Token"},"End":true}}}`
	var parents []*service.StartParams
	var ptoks []string
	for _, name := range []string{"p1", "p2"} {
		p := params(name, parkDef, `{}`)
		if _, err := r.StartExecution(ctx, p); err != nil {
			t.Fatal(err)
		}
		parents = append(parents, p)
		ptoks = append(ptoks, <-tokens)
	}
	child := params("child", parkDef, `{"c":1}`)
	for i, p := range parents {
		link := WithParentTask(ctx, &engine.TaskRequest{Pattern: "sync", Token: ptoks[i], ExecutionARN: p.ExecutionARN})
		_, err := r.StartExecution(link, child)
		if want := i > 0; errors.Is(err, store.ErrAlreadyExists) != want || (!want && err != nil) {
			t.Fatalf("start %d: %v", i, err)
		}
	}
	if err := r.SendTaskSuccess(ctx, <-tokens, `{"out":1}`); err != nil {
		t.Fatal(err)
	}
	for _, p := range parents {
		if st := w.wait(t, p.ExecutionARN); st != store.StatusSucceeded {
			t.Fatalf("%s: %s", p.Name, st)
		}
	}
	r.Close()
	page, err := s.ListOutbox(ctx, &store.ListOutboxParams{ListParams: store.ListParams{Limit: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 0 {
		t.Fatalf("rows left: %+v", page.Items)
	}
}

func TestLinkTable(t *testing.T) {
	lt := newLinkTable()
	a1 := parentLink{Parent: "A", Token: "a1", Pattern: "sync"}
	a2 := parentLink{Parent: "A", Token: "a2", Pattern: "sync"}
	b1 := parentLink{Parent: "B", Token: "b1", Pattern: "sync:2"}
	for _, step := range []struct {
		child string
		l     parentLink
		want  bool
	}{{"c", a1, true}, {"c", a1, false}, {"c", a2, true}, {"c", b1, true}, {"d", a1, true}} {
		if got := lt.add(step.child, step.l); got != step.want {
			t.Fatalf("add %s %s: %v", step.child, step.l.Token, got)
		}
	}
	if got := strings.Join(lt.tokens("c", "A"), ","); got != "a1,a2" {
		t.Fatalf("tokens %s", got)
	}
	if got := len(lt.children("A")); got != 2 {
		t.Fatalf("children of A: %d", got)
	}
	lt.remove("c", "a1")
	if got := strings.Join(lt.tokens("c", "A"), ","); got != "a2" {
		t.Fatalf("tokens after remove %s", got)
	}
	if got := len(lt.takeAll("c")); got != 2 {
		t.Fatalf("takeAll: %d", got)
	}
	if got := lt.children("B"); len(got) != 0 {
		t.Fatalf("children of B: %v", got)
	}
	if got := lt.children("A"); len(got) != 1 || got[0] != "d" {
		t.Fatalf("children of A: %v", got)
	}
	if linkRowID("c", "a1") == linkRowID("c", "a2") {
		t.Fatal("row ids collide")
	}
	if _, kind, id, ok := parseRowID(linkRowID("c", "a1")); !ok || kind != kindParent || id < 0 {
		t.Fatalf("row id %s", linkRowID("c", "a1"))
	}
}

// TestTaskRowKeepsPattern: a task offered again after a restart keeps its
// integration pattern, so that its call's return is only the submission.
func TestTaskRowKeepsPattern(t *testing.T) {
	for _, tc := range []struct{ resource, pattern, payload string }{
		{"arn:aws:states:::states:startExecution.sync:2", "sync:2", ""},
		{"arn:aws:states:::lambda:invoke", "", ""},
		{"arn:aws:states:::sqs:sendMessage.waitForTaskToken", "waitForTaskToken",
			`{"resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","stateName":"S","input":{},"token":"t"}`},
	} {
		payload := []byte(tc.payload)
		if tc.payload == "" {
			payload = encodeTask(&engine.TaskRequest{Resource: tc.resource, Pattern: tc.pattern, StateName: "S", Input: value.MustParse(`{}`), Token: "t"})
		}
		got, err := decodeTask("arn:x", payload)
		if err != nil {
			t.Fatal(err)
		}
		if got.Pattern != tc.pattern || got.Resource != tc.resource {
			t.Errorf("%s: pattern %q, want %q", tc.resource, got.Pattern, tc.pattern)
		}
	}
}
