package nested_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/integration"
	"github.com/stepwise-run/stepwise/integration/nested"
	"github.com/stepwise-run/stepwise/runner"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/sqlite"
	"github.com/stepwise-run/stepwise/value"
)

const (
	role   = "arn:aws:iam::123456789012:role/r"
	prefix = "arn:aws:states:us-east-1:123456789012:"
	// park is a callback task the test completes: its handler publishes
	// the token.
	park = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
)

// statuses records the final status of each execution, so tests wait for
// ends without sleeping.
type statuses struct {
	mu   sync.Mutex
	done map[string]chan string
}

func (s *statuses) ch(arn string) chan string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done == nil {
		s.done = map[string]chan string{}
	}
	c, ok := s.done[arn]
	if !ok {
		c = make(chan string, 1)
		s.done[arn] = c
	}
	return c
}

func (s *statuses) onCommit(arn, status string) {
	if status != store.StatusRunning {
		select {
		case s.ch(arn) <- status:
		default:
		}
	}
}

func (s *statuses) wait(t *testing.T, arn string) string {
	t.Helper()
	select {
	case st := <-s.ch(arn):
		return st
	case <-time.After(20 * time.Second):
		t.Fatalf("execution %s did not end", arn)
		return ""
	}
}

// server is a runner, a SQLite store and a service wired as `stepwise
// serve` wires them, with the nested handler and a parking handler.
type server struct {
	st     store.Store
	run    *runner.Runner
	svc    *service.Service
	h      *nested.Handler
	ends   *statuses
	parked chan string // tokens of parked tasks
}

// open starts a server over dir. wrap, if given, wraps the nested
// handler on the router.
func open(t *testing.T, dir string, ends *statuses, parked chan string, wrap ...func(integration.Handler) integration.Handler) *server {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	router := integration.NewRouter()
	h := nested.New()
	var routed integration.Handler = h
	for _, w := range wrap {
		routed = w(routed)
	}
	for _, res := range nested.Resources {
		router.Handle(res, routed)
	}
	router.Handle(park, integration.HandlerFunc(func(ctx context.Context, t *engine.TaskRequest) (any, error) {
		parked <- t.Token
		return value.MustParse(`{"MessageId":"m"}`), nil
	}))
	r, err := runner.New(runner.Config{Store: st, Tasks: router, OnCommit: ends.onCommit})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Store: st, Runtime: r})
	if err != nil {
		t.Fatal(err)
	}
	h.Bind(svc)
	return &server{st: st, run: r, svc: svc, h: h, ends: ends, parked: parked}
}

func (s *server) close(t *testing.T) {
	t.Helper()
	if err := s.run.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.st.Close(); err != nil {
		t.Fatal(err)
	}
}

func newServer(t *testing.T) *server {
	t.Helper()
	s := open(t, t.TempDir(), &statuses{}, make(chan string, 16))
	t.Cleanup(func() { s.close(t) })
	return s
}

func (s *server) machine(t *testing.T, name, def string) string {
	t.Helper()
	out, err := s.svc.CreateStateMachine(context.Background(), &service.CreateStateMachineInput{Name: name, Definition: def, RoleArn: role})
	if err != nil {
		t.Fatal(err)
	}
	return out.StateMachineArn
}

func (s *server) start(t *testing.T, sm, name, input string) string {
	t.Helper()
	out, err := s.svc.StartExecution(context.Background(), &service.StartExecutionInput{StateMachineArn: sm, Name: name, Input: &input})
	if err != nil {
		t.Fatal(err)
	}
	return out.ExecutionArn
}

func (s *server) get(t *testing.T, arn string) *store.Execution {
	t.Helper()
	x, err := s.st.GetExecution(context.Background(), arn)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func (s *server) events(t *testing.T, arn string) []history.Event {
	t.Helper()
	chunks, err := s.st.ReadHistory(context.Background(), &store.ReadHistoryParams{ExecutionARN: arn, FromEventID: 1})
	if err != nil {
		t.Fatal(err)
	}
	var all []history.Event
	for _, c := range chunks {
		var evs []history.Event
		if err := json.Unmarshal(c.Events, &evs); err != nil {
			t.Fatal(err)
		}
		all = append(all, evs...)
	}
	return all
}

func (s *server) parkedToken(t *testing.T) string {
	t.Helper()
	select {
	case tok := <-s.parked:
		return tok
	case <-time.After(20 * time.Second):
		t.Fatal("no task parked")
		return ""
	}
}

// outboxRows counts the outbox rows left without a due time.
func outboxRows(t *testing.T, st store.Store) int {
	t.Helper()
	page, err := st.ListOutbox(context.Background(), &store.ListOutboxParams{ListParams: store.ListParams{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Items)
}

func parent(resource, params string) string {
	return `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"` + resource + `","Parameters":` + params + `,"End":true}}}`
}

func obj(t *testing.T, text string) *value.Object {
	t.Helper()
	v, err := value.ParseString(text)
	if err != nil {
		t.Fatalf("parse %s: %v", text, err)
	}
	o, ok := v.(*value.Object)
	if !ok {
		t.Fatalf("not an object: %s", text)
	}
	return o
}

func field(t *testing.T, o *value.Object, key string) any {
	t.Helper()
	v, ok := o.Get(key)
	if !ok {
		t.Fatalf("no %s in %s", key, value.String(o))
	}
	return v
}

const echo = `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"got.$":"$"},"End":true}}}`

func TestRequestResponse(t *testing.T) {
	s := newServer(t)
	child := s.machine(t, "child", echo)
	p := s.machine(t, "parent", parent(nested.Resource,
		`{"StateMachineArn":"`+child+`","Input":{"n":1,"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$":"$$.Execution.Id"}}`))
	pa := s.start(t, p, "p1", `{}`)
	if st := s.ends.wait(t, pa); st != store.StatusSucceeded {
		t.Fatalf("parent %s: %s %s", st, s.get(t, pa).Error, s.get(t, pa).Cause)
	}
	out := obj(t, string(s.get(t, pa).Output))
	if keys := strings.Join(out.Keys(), ","); keys != "ExecutionArn,SdkHttpMetadata,SdkResponseMetadata,StartDate" {
		t.Fatalf("output keys %s", keys)
	}
	ca := field(t, out, "ExecutionArn").(string)
	if !strings.HasPrefix(ca, prefix+"execution:child:") {
		t.Fatalf("child ARN %s", ca)
	}
	if _, ok := field(t, out, "StartDate").(float64); !ok {
		t.Fatalf("StartDate is not a number: %s", value.String(out))
	}
	meta := field(t, out, "SdkHttpMetadata").(*value.Object)
	if code := field(t, meta, "HttpStatusCode"); code != 200.0 {
		t.Fatalf("HttpStatusCode %v", code)
	}
	reqID := field(t, field(t, out, "SdkResponseMetadata").(*value.Object), "RequestId")
	if got := field(t, field(t, meta, "HttpHeaders").(*value.Object), "x-amzn-RequestId"); got != reqID || reqID == "" {
		t.Fatalf("request ids %v %v", got, reqID)
	}
	if st := s.ends.wait(t, ca); st != store.StatusSucceeded {
		t.Fatalf("child %s", st)
	}
	want := `{"got":{"n":1,"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID":"` + pa + `"}}`
	if got := string(s.get(t, ca).Output); got != want {
		t.Fatalf("child output %s, want %s", got, want)
	}
}

func TestSync(t *testing.T) {
	for _, tc := range []struct {
		resource string
		output   any // the child's Output in the task result
		input    any
	}{
		{nested.Resource + ".sync", `{"got":{"k":"v"}}`, `{"k":"v"}`},
		{nested.Resource + ".sync:2", value.MustParse(`{"got":{"k":"v"}}`), value.MustParse(`{"k":"v"}`)},
	} {
		t.Run(tc.resource, func(t *testing.T) {
			s := newServer(t)
			child := s.machine(t, "child", echo)
			p := s.machine(t, "parent", parent(tc.resource, `{"StateMachineArn":"`+child+`","Input":"{\"k\":\"v\"}","Name":"kid"}`))
			pa := s.start(t, p, "p1", `{}`)
			if st := s.ends.wait(t, pa); st != store.StatusSucceeded {
				x := s.get(t, pa)
				t.Fatalf("parent %s: %s %s", st, x.Error, x.Cause)
			}
			out := obj(t, string(s.get(t, pa).Output))
			wantKeys := "ExecutionArn,Input,InputDetails,Name,Output,OutputDetails,RedriveCount,RedriveStatus,RedriveStatusReason,StartDate,StateMachineArn,Status,StopDate"
			if keys := strings.Join(out.Keys(), ","); keys != wantKeys {
				t.Fatalf("keys %s", keys)
			}
			ca := prefix + "execution:child:kid"
			for k, want := range map[string]any{"ExecutionArn": ca, "Name": "kid", "Status": "SUCCEEDED", "StateMachineArn": child,
				"Output": tc.output, "Input": tc.input, "RedriveStatus": "NOT_REDRIVABLE"} {
				if got := field(t, out, k); !value.Equal(got, want) {
					t.Errorf("%s = %s, want %s", k, value.String(got), value.String(want))
				}
			}
			// The parent's history shows the submission (with the child's
			// ARN) before the result.
			var types []string
			for _, e := range s.events(t, pa) {
				types = append(types, e.Type)
				if d, ok := e.Details.(*history.TaskOutputDetails); ok && e.Type == "TaskSubmitted" && !strings.Contains(d.Output.String(), ca) {
					t.Errorf("TaskSubmitted output %s lacks the child ARN", d.Output.String())
				}
			}
			want := "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded TaskStateExited ExecutionSucceeded"
			if got := strings.Join(types, " "); got != want {
				t.Fatalf("history %s", got)
			}
			if n := outboxRows(t, s.st); n != 0 {
				t.Fatalf("%d outbox rows left", n)
			}
		})
	}
}

// TestSyncExpressChild: .sync:2 waits for an Express child too (run in
// memory) and gets its output.
func TestSyncExpressChild(t *testing.T) {
	s := newServer(t)
	out, err := s.svc.CreateStateMachine(context.Background(), &service.CreateStateMachineInput{Name: "child", Definition: echo,
		RoleArn: role, Type: "EXPRESS"})
	if err != nil {
		t.Fatal(err)
	}
	p := s.machine(t, "parent", parent(nested.Resource+".sync:2", `{"StateMachineArn":"`+out.StateMachineArn+`","Input":{"k":"v"}}`))
	pa := s.start(t, p, "p1", `{}`)
	if st := s.ends.wait(t, pa); st != store.StatusSucceeded {
		x := s.get(t, pa)
		t.Fatalf("parent %s: %s %s", st, x.Error, x.Cause)
	}
	res := obj(t, string(s.get(t, pa).Output))
	if got := field(t, res, "Output"); !value.Equal(got, value.MustParse(`{"got":{"k":"v"}}`)) {
		t.Fatalf("Output %s", value.String(got))
	}
	if ca := field(t, res, "ExecutionArn").(string); !strings.HasPrefix(ca, prefix+"express:child:") {
		t.Fatalf("child ARN %s", ca)
	}
}

func TestSyncChildFails(t *testing.T) {
	s := newServer(t)
	child := s.machine(t, "child", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom","Cause":"it broke"}}}`)
	p := s.machine(t, "parent", `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"`+nested.Resource+`.sync",
		"Parameters":{"StateMachineArn":"`+child+`","Input":{"a":1}},
		"Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.err","Next":"Caught"}],"End":true},
		"Caught":{"Type":"Pass","End":true}}}`)
	pa := s.start(t, p, "p1", `{}`)
	if st := s.ends.wait(t, pa); st != store.StatusSucceeded {
		t.Fatalf("parent %s", st)
	}
	errObj := field(t, obj(t, string(s.get(t, pa).Output)), "err").(*value.Object)
	if e := field(t, errObj, "Error"); e != "States.TaskFailed" {
		t.Fatalf("error %v", e)
	}
	cause := obj(t, field(t, errObj, "Cause").(string))
	for k, want := range map[string]any{"Status": "FAILED", "Error": "Boom", "Cause": "it broke", "Input": `{"a":1}`, "RedriveStatus": "REDRIVABLE"} {
		if got := field(t, cause, k); !value.Equal(got, want) {
			t.Errorf("cause %s = %s, want %s", k, value.String(got), value.String(want))
		}
	}
	if cause.Has("Output") {
		t.Errorf("a failed child has no Output: %s", value.String(cause))
	}
	if !strings.HasPrefix(cause.Keys()[0], "Cause") {
		t.Errorf("keys not sorted: %v", cause.Keys())
	}
}

func TestWaitForTaskToken(t *testing.T) {
	s := newServer(t)
	child := s.machine(t, "child", echo)
	p := s.machine(t, "parent", parent(nested.Resource+".waitForTaskToken",
		`{"StateMachineArn":"`+child+`","Name":"cb","Input":{"token.$":"$$.Task.Token"}}`))
	pa := s.start(t, p, "p1", `{}`)
	ca := prefix + "execution:child:cb"
	if st := s.ends.wait(t, ca); st != store.StatusSucceeded {
		t.Fatalf("child %s", st)
	}
	// The child answers the parent's token (as it would with
	// aws-sdk:sfn:sendTaskSuccess).
	got := obj(t, string(s.get(t, ca).Output))
	tok := field(t, field(t, got, "got").(*value.Object), "token").(string)
	if err := s.run.SendTaskSuccess(context.Background(), tok, `{"answer":42}`); err != nil {
		t.Fatal(err)
	}
	if st := s.ends.wait(t, pa); st != store.StatusSucceeded {
		t.Fatalf("parent %s", st)
	}
	if out := string(s.get(t, pa).Output); out != `{"answer":42}` {
		t.Fatalf("parent output %s", out)
	}
}

func TestStopParentStopsSyncChild(t *testing.T) {
	s := newServer(t)
	child := s.machine(t, "child", parent(park, `{"t.$":"$$.Task.Token"}`))
	p := s.machine(t, "parent", parent(nested.Resource+".sync", `{"StateMachineArn":"`+child+`","Name":"kid"}`))
	pa := s.start(t, p, "p1", `{}`)
	s.parkedToken(t) // the child runs and waits
	ca := prefix + "execution:child:kid"
	if _, err := s.svc.StopExecution(context.Background(), &service.StopExecutionInput{ExecutionArn: pa}); err != nil {
		t.Fatal(err)
	}
	if st := s.ends.wait(t, pa); st != store.StatusAborted {
		t.Fatalf("parent %s", st)
	}
	if st := s.ends.wait(t, ca); st != store.StatusAborted {
		t.Fatalf("child %s", st)
	}
	if cause := s.get(t, ca).Cause; !strings.Contains(cause, pa) {
		t.Fatalf("child cause %q does not name the parent", cause)
	}
	if err := s.run.Close(); err != nil { // waits for the link's clean-up
		t.Fatal(err)
	}
	if n := outboxRows(t, s.st); n != 0 {
		t.Fatalf("%d outbox rows left", n)
	}
}

func TestSyncSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	ends, parked := &statuses{}, make(chan string, 16)
	s := open(t, dir, ends, parked)
	child := s.machine(t, "child", parent(park, `{"t.$":"$$.Task.Token"}`))
	p := s.machine(t, "parent", parent(nested.Resource+".sync:2", `{"StateMachineArn":"`+child+`","Input":{"x":1}}`))
	pa := s.start(t, p, "p1", `{}`)
	tok := s.parkedToken(t)
	s.close(t)

	// A new process over the same data: the parent still waits, the
	// child's task is answered, and the parent completes.
	s = open(t, dir, ends, parked)
	defer s.close(t)
	if x := s.get(t, pa); x.Status != store.StatusRunning {
		t.Fatalf("parent %s after restart", x.Status)
	}
	if err := s.run.SendTaskSuccess(context.Background(), tok, `{"done":true}`); err != nil {
		t.Fatal(err)
	}
	if st := ends.wait(t, pa); st != store.StatusSucceeded {
		x := s.get(t, pa)
		t.Fatalf("parent %s: %s %s", st, x.Error, x.Cause)
	}
	out := obj(t, string(s.get(t, pa).Output))
	if got := field(t, out, "Output"); !value.Equal(got, value.MustParse(`{"done":true}`)) {
		t.Fatalf("child output in parent: %s", value.String(got))
	}
	if got := field(t, out, "Input"); !value.Equal(got, value.MustParse(`{"x":1}`)) {
		t.Fatalf("child input in parent: %s", value.String(got))
	}
}

// TestChildEndsWhileDown: the child ends in a process that stops before
// the parent consumes the outcome; the next Start delivers it.
func TestChildEndedBeforeRestart(t *testing.T) {
	dir := t.TempDir()
	ends, parked := &statuses{}, make(chan string, 16)
	s := open(t, dir, ends, parked)
	child := s.machine(t, "child", parent(park, `{"t.$":"$$.Task.Token"}`))
	// The parent's .sync task waits behind a second task of the parent
	// that never ends, so the parent cannot finish in this process.
	p := s.machine(t, "parent", `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"`+nested.Resource+`.sync","Parameters":{"StateMachineArn":"`+child+`","Name":"kid"},"End":true}}},
		{"StartAt":"Hold","States":{"Hold":{"Type":"Task","Resource":"`+park+`","Parameters":{"t.$":"$$.Task.Token"},"End":true}}}]}}}`)
	pa := s.start(t, p, "p1", `{}`)
	tokens := []string{s.parkedToken(t), s.parkedToken(t)}
	ca := prefix + "execution:child:kid"
	var childTok, holdTok string
	for _, tok := range tokens {
		if arn, _, _ := engine.ParseToken(tok); arn == ca {
			childTok = tok
		} else {
			holdTok = tok
		}
	}
	if childTok == "" || holdTok == "" {
		t.Fatalf("tokens %v", tokens)
	}
	if err := s.run.SendTaskSuccess(context.Background(), childTok, `{"c":1}`); err != nil {
		t.Fatal(err)
	}
	if st := ends.wait(t, ca); st != store.StatusSucceeded {
		t.Fatalf("child %s", st)
	}
	s.close(t)

	s = open(t, dir, ends, parked)
	defer s.close(t)
	if err := s.run.SendTaskSuccess(context.Background(), holdTok, `{"h":1}`); err != nil {
		t.Fatal(err)
	}
	if st := ends.wait(t, pa); st != store.StatusSucceeded {
		x := s.get(t, pa)
		t.Fatalf("parent %s: %s %s", st, x.Error, x.Cause)
	}
	out := string(s.get(t, pa).Output)
	if !strings.Contains(out, `"Output":"{\"c\":1}"`) {
		t.Fatalf("parent output %s", out)
	}
}

func TestInvokeIsIdempotent(t *testing.T) {
	s := newServer(t)
	child := s.machine(t, "child", parent(park, `{"t.$":"$$.Task.Token"}`))
	// A parent waiting on a callback task stands in for a parent whose
	// .sync call is repeated after a crash.
	holder := s.machine(t, "holder", parent(park, `{"t.$":"$$.Task.Token"}`))
	pa := s.start(t, holder, "p1", `{}`)
	ptok := s.parkedToken(t)
	task := &engine.TaskRequest{Pattern: "sync", Resource: nested.Resource + ".sync", StateName: "Call",
		Input: obj(t, `{"StateMachineArn":"`+child+`","Input":{"q":1}}`), Token: ptok, ExecutionARN: pa}
	ctx := context.Background()
	first, err := s.h.Invoke(ctx, task)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.h.Invoke(ctx, task)
	if err != nil {
		t.Fatalf("repeated call: %v", err)
	}
	if !value.Equal(first, second) {
		t.Fatalf("first %s, second %s", value.String(first), value.String(second))
	}
	ca := field(t, first.(*value.Object), "ExecutionArn").(string)
	if err := s.run.SendTaskSuccess(ctx, s.parkedToken(t), `{}`); err != nil {
		t.Fatal(err)
	}
	if st := s.ends.wait(t, ca); st != store.StatusSucceeded {
		t.Fatalf("child %s", st)
	}
	if st := s.ends.wait(t, pa); st != store.StatusSucceeded {
		t.Fatalf("parent %s", st)
	}
	// A different input under the same name is a different execution.
	task.Input = obj(t, `{"StateMachineArn":"`+child+`","Input":{"q":2}}`)
	_, err = s.h.Invoke(ctx, task)
	if err == nil || !strings.Contains(err.Error(), "StepFunctions.ExecutionAlreadyExistsException") {
		t.Fatalf("reused name with other input: %v", err)
	}
}

func TestInvokeErrors(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	for _, tc := range []struct{ input, want string }{
		{`{"Input":{}}`, "StateMachineArn"},
		{`{"StateMachineArn":7}`, "StateMachineArn"},
		{`{"StateMachineArn":"` + prefix + `stateMachine:nope","Name":3}`, "Name"},
		{`{"StateMachineArn":"` + prefix + `stateMachine:nope","Extra":1}`, "Extra"},
		{`{"StateMachineArn":"` + prefix + `stateMachine:nope"}`, "StepFunctions.StateMachineDoesNotExistException"},
		{`{"StateMachineArn":"` + prefix + `stateMachine:nope","Name":"bad name!"}`, "StepFunctions.InvalidNameException"},
		{`[1]`, "must be an object"},
	} {
		v, err := value.ParseString(tc.input)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.h.Invoke(ctx, &engine.TaskRequest{Resource: nested.Resource, Input: v, Token: "x"})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.input, err, tc.want)
		}
	}
}

// TestAbandonedChildIsStopped: when the .sync task stops waiting while the
// parent runs on (its Parallel branch is cancelled by a failing sibling
// and the parent catches the error), the child is stopped.
func TestAbandonedChildIsStopped(t *testing.T) {
	s := newServer(t)
	child := s.machine(t, "child", parent(park, `{"t.$":"$$.Task.Token"}`))
	p := s.machine(t, "parent", `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","Next":"Done",
		"Catch":[{"ErrorEquals":["States.ALL"],"Next":"After"}],"Branches":[
		{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"`+nested.Resource+`.sync","Parameters":{"StateMachineArn":"`+child+`","Name":"kid"},"End":true}}},
		{"StartAt":"Hold","States":{"Hold":{"Type":"Task","Resource":"`+park+`","Parameters":{"t.$":"$$.Task.Token"},"End":true}}}]},
		"After":{"Type":"Task","Resource":"`+park+`","Parameters":{"t.$":"$$.Task.Token"},"Next":"Done"},
		"Done":{"Type":"Succeed"}}}`)
	pa := s.start(t, p, "p1", `{}`)
	ca := prefix + "execution:child:kid"
	var holdTok string
	for range 2 {
		if tok := s.parkedToken(t); !strings.Contains(tok, ".") {
			t.Fatalf("token %q", tok)
		} else if arn, _, _ := engine.ParseToken(tok); arn == pa {
			holdTok = tok
		}
	}
	ctx := context.Background()
	if err := s.run.SendTaskFailure(ctx, holdTok, "Nope", "sibling failed"); err != nil {
		t.Fatal(err)
	}
	afterTok := s.parkedToken(t) // the parent runs on, in After
	if st := s.ends.wait(t, ca); st != store.StatusAborted {
		t.Fatalf("child %s", st)
	}
	if x := s.get(t, pa); x.Status != store.StatusRunning {
		t.Fatalf("parent %s", x.Status)
	}
	if err := s.run.SendTaskSuccess(ctx, afterTok, `{}`); err != nil {
		t.Fatal(err)
	}
	if st := s.ends.wait(t, pa); st != store.StatusSucceeded {
		t.Fatalf("parent %s", st)
	}
}

// TestCrashAfterChildStart: the process stops after the child was created
// (and has even ended) but before the parent recorded the submission; the
// next process calls the handler again, which finds the same child, and
// the parent completes with the child's result.
func TestCrashAfterChildStart(t *testing.T) {
	dir := t.TempDir()
	ends, parked := &statuses{}, make(chan string, 16)
	started := make(chan struct{}, 1)
	stall := func(h integration.Handler) integration.Handler {
		return integration.HandlerFunc(func(ctx context.Context, t *engine.TaskRequest) (any, error) {
			out, err := h.Invoke(ctx, t)
			started <- struct{}{}
			<-ctx.Done() // the process "crashes" before the call returns
			return out, err
		})
	}
	s := open(t, dir, ends, parked, stall)
	child := s.machine(t, "child", echo)
	p := s.machine(t, "parent", parent(nested.Resource+".sync", `{"StateMachineArn":"`+child+`","Input":{"v":7}}`))
	pa := s.start(t, p, "p1", `{}`)
	<-started
	s.close(t)

	s = open(t, dir, ends, parked)
	defer s.close(t)
	if st := ends.wait(t, pa); st != store.StatusSucceeded {
		x := s.get(t, pa)
		t.Fatalf("parent %s: %s %s", st, x.Error, x.Cause)
	}
	out := obj(t, string(s.get(t, pa).Output))
	if got := field(t, out, "Output"); got != `{"got":{"v":7}}` {
		t.Fatalf("Output %v", got)
	}
	var types []string
	for _, e := range s.events(t, pa) {
		types = append(types, e.Type)
	}
	want := "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded TaskStateExited ExecutionSucceeded"
	if got := strings.Join(types, " "); got != want {
		t.Fatalf("history %s", got)
	}
	page, err := s.svc.ListExecutions(context.Background(), &service.ListExecutionsInput{StateMachineArn: child})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Executions) != 1 {
		t.Fatalf("%d child executions, want 1", len(page.Executions))
	}
}
