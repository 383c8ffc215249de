package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

func TestExecutions(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	c := e.client
	sm := e.createSM(t, "exec-sm", passDef)

	// A named execution runs to its end.
	st, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String("run-1"), Input: aws.String(`{"x":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if want := "arn:aws:states:us-east-1:123456789012:execution:exec-sm:run-1"; aws.ToString(st.ExecutionArn) != want {
		t.Fatalf("executionArn = %s", aws.ToString(st.ExecutionArn))
	}
	if s := e.waiter.wait(t, *st.ExecutionArn); s != "SUCCEEDED" {
		t.Fatalf("status %s", s)
	}
	d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: st.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Input) != `{"x":1}` || aws.ToString(d.Output) != `{"a":1}` ||
		d.StopDate == nil || d.RedriveStatus != types.ExecutionRedriveStatusNotRedrivable ||
		aws.ToString(d.RedriveStatusReason) != "Execution is SUCCEEDED and cannot be redriven" || !d.InputDetails.Included {
		t.Errorf("DescribeExecution = %+v", d)
	}
	// The name is now taken for good.
	_, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String("run-1"), Input: aws.String(`{"x":1}`)})
	var exists *types.ExecutionAlreadyExists
	if !errors.As(err, &exists) {
		t.Errorf("reuse a finished execution's name: %v", err)
	}
	// Without a name the execution is named with a UUID.
	st2, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn})
	if err != nil {
		t.Fatal(err)
	}
	e.waiter.wait(t, *st2.ExecutionArn)
	name := (*st2.ExecutionArn)[strings.LastIndex(*st2.ExecutionArn, ":")+1:]
	if len(name) != 36 || strings.Count(name, "-") != 4 {
		t.Errorf("default name %q is not a UUID", name)
	}

	// History: forwards, backwards, paged, without data.
	h, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: st.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	var types1 []string
	for _, ev := range h.Events {
		types1 = append(types1, string(ev.Type))
	}
	if got := strings.Join(types1, ","); got != "ExecutionStarted,PassStateEntered,PassStateExited,ExecutionSucceeded" || h.NextToken != nil {
		t.Fatalf("history = %s (next %v)", got, h.NextToken)
	}
	if in := aws.ToString(h.Events[0].ExecutionStartedEventDetails.Input); in != `{"x":1}` {
		t.Errorf("started input = %s", in)
	}
	var ids []int64
	var tok *string
	for {
		p, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: st.ExecutionArn, MaxResults: 3, ReverseOrder: true, NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range p.Events {
			ids = append(ids, ev.Id)
		}
		if tok = p.NextToken; tok == nil {
			break
		}
	}
	if fmt.Sprint(ids) != "[4 3 2 1]" {
		t.Errorf("reverse paged ids = %v", ids)
	}
	nd, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: st.ExecutionArn, IncludeExecutionData: aws.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	if det := nd.Events[0].ExecutionStartedEventDetails; det == nil || det.Input != nil || aws.ToString(det.RoleArn) != roleARN {
		t.Errorf("history without data: %+v", det)
	}
	_, err = c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: st.ExecutionArn, NextToken: aws.String("bogus")})
	var badTok *types.InvalidToken
	if !errors.As(err, &badTok) {
		t.Errorf("bogus history token: %v", err)
	}

	// Listing with a status filter.
	l, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: sm.StateMachineArn, StatusFilter: types.ExecutionStatusSucceeded})
	if err != nil || len(l.Executions) != 2 {
		t.Fatalf("ListExecutions SUCCEEDED = %+v, %v", l, err)
	}
	l, err = c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: sm.StateMachineArn, StatusFilter: types.ExecutionStatusRunning})
	if err != nil || len(l.Executions) != 0 {
		t.Fatalf("ListExecutions RUNNING = %+v, %v", l, err)
	}

	dsm, err := c.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: st.ExecutionArn})
	if err != nil || aws.ToString(dsm.Definition) != passDef || aws.ToString(dsm.Name) != "exec-sm" || dsm.UpdateDate == nil {
		t.Errorf("DescribeStateMachineForExecution = %+v, %v", dsm, err)
	}
	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: st.ExecutionArn})
	var nr *types.ExecutionNotRedrivable
	if !errors.As(err, &nr) {
		t.Errorf("redrive a succeeded execution: %v", err)
	}

	// A missing execution, and a missing state machine.
	_, err = c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String("arn:aws:states:us-east-1:123456789012:execution:exec-sm:nope")})
	var dne *types.ExecutionDoesNotExist
	if !errors.As(err, &dne) {
		t.Errorf("describe missing execution: %v", err)
	}
	_, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String("arn:aws:states:us-east-1:123456789012:stateMachine:nope")})
	var smdne *types.StateMachineDoesNotExist
	if !errors.As(err, &smdne) {
		t.Errorf("start missing machine: %v", err)
	}
}

func TestExecutionIdempotencyAndStop(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	c := e.client
	sm := e.createSM(t, "waiting", waitDef)
	in := &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String("w1"), Input: aws.String(`{"k":"v"}`)}
	first, err := c.StartExecution(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	// Same name and input while running: the same execution.
	second, err := c.StartExecution(ctx, in)
	if err != nil || aws.ToString(second.ExecutionArn) != aws.ToString(first.ExecutionArn) || !second.StartDate.Equal(*first.StartDate) {
		t.Fatalf("idempotent start = %+v, %v", second, err)
	}
	// Same name, other input: already exists.
	_, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String("w1"), Input: aws.String(`{"k":"other"}`)})
	var exists *types.ExecutionAlreadyExists
	if !errors.As(err, &exists) {
		t.Errorf("start with other input: %v", err)
	}
	d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: first.ExecutionArn})
	if err != nil || d.Status != types.ExecutionStatusRunning || d.StopDate != nil || aws.ToString(d.RedriveStatusReason) != "Execution is RUNNING and cannot be redriven" {
		t.Fatalf("running execution = %+v, %v", d, err)
	}
	stop, err := c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: first.ExecutionArn, Error: aws.String("Halt"), Cause: aws.String("enough")})
	if err != nil || stop.StopDate == nil {
		t.Fatalf("StopExecution = %+v, %v", stop, err)
	}
	d, err = c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: first.ExecutionArn})
	if err != nil || d.Status != types.ExecutionStatusAborted || aws.ToString(d.Error) != "Halt" || aws.ToString(d.Cause) != "enough" ||
		d.RedriveStatus != types.ExecutionRedriveStatusRedrivable || d.Output != nil {
		t.Fatalf("aborted execution = %+v, %v", d, err)
	}
	h, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: first.ExecutionArn, ReverseOrder: true, MaxResults: 1})
	if err != nil || len(h.Events) != 1 || h.Events[0].Type != types.HistoryEventTypeExecutionAborted || h.NextToken == nil {
		t.Fatalf("last event = %+v, %v", h, err)
	}
	// Stopping again answers with the stop date.
	if _, err := c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: first.ExecutionArn}); err != nil {
		t.Errorf("stop again: %v", err)
	}
	// An aborted execution passes the service's redrive checks; the
	// runtime's answer decides.
	if _, err := c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: first.ExecutionArn}); err != nil {
		var nr *types.ExecutionNotRedrivable
		if !errors.As(err, &nr) {
			t.Errorf("redrive aborted: %v", err)
		}
	}
}

func TestVersionAndAliasExecutions(t *testing.T) {
	// Rand 0.9 picks the second route of a 50/50 alias.
	e := newEnv(t, envOptions{rand: func() float64 { return 0.9 }})
	ctx := context.Background()
	c := e.client
	sm := e.createSM(t, "versioned", passDef, func(in *sfn.CreateStateMachineInput) { in.Publish = true })
	if _, err := c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: sm.StateMachineArn, Definition: aws.String(failDef), Publish: true}); err != nil {
		t.Fatal(err)
	}
	v1, v2 := *sm.StateMachineArn+":1", *sm.StateMachineArn+":2"
	al, err := c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("live"), RoutingConfiguration: []types.RoutingConfigurationListItem{
		{StateMachineVersionArn: aws.String(v1), Weight: 50}, {StateMachineVersionArn: aws.String(v2), Weight: 50},
	}})
	if err != nil {
		t.Fatal(err)
	}
	byVersion, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(v1)})
	if err != nil {
		t.Fatal(err)
	}
	if s := e.waiter.wait(t, *byVersion.ExecutionArn); s != "SUCCEEDED" {
		t.Errorf("version 1 run: %s", s)
	}
	byAlias, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: al.StateMachineAliasArn})
	if err != nil {
		t.Fatal(err)
	}
	if s := e.waiter.wait(t, *byAlias.ExecutionArn); s != "FAILED" {
		t.Errorf("alias run (version 2) status %s", s)
	}
	d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: byAlias.ExecutionArn})
	if err != nil || aws.ToString(d.StateMachineAliasArn) != *al.StateMachineAliasArn || aws.ToString(d.StateMachineVersionArn) != v2 ||
		aws.ToString(d.Error) != "Boom" || aws.ToString(d.Cause) != "it broke" || d.RedriveStatus != types.ExecutionRedriveStatusRedrivable {
		t.Errorf("alias execution = %+v, %v", d, err)
	}
	l, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(v1)})
	if err != nil || len(l.Executions) != 1 || aws.ToString(l.Executions[0].ExecutionArn) != *byVersion.ExecutionArn {
		t.Errorf("list by version = %+v, %v", l, err)
	}
	l, err = c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: al.StateMachineAliasArn})
	if err != nil || len(l.Executions) != 1 || aws.ToString(l.Executions[0].StateMachineAliasArn) != *al.StateMachineAliasArn {
		t.Errorf("list by alias = %+v, %v", l, err)
	}
	l, err = c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: sm.StateMachineArn})
	if err != nil || len(l.Executions) != 2 {
		t.Errorf("list all = %+v, %v", l, err)
	}
}

func TestExpressExecutions(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	c := e.client
	sm := e.createSM(t, "fast", `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"got.$":"$.n"},"End":true}}}`,
		func(in *sfn.CreateStateMachineInput) { in.Type = types.StateMachineTypeExpress })
	out, err := c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String("s1"), Input: aws.String(`{"n":7}`)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != types.SyncExecutionStatusSucceeded || aws.ToString(out.Output) != `{"got":7}` || aws.ToString(out.Input) != `{"n":7}` ||
		!strings.HasPrefix(aws.ToString(out.ExecutionArn), "arn:aws:states:us-east-1:123456789012:express:fast:s1:") || out.StopDate == nil {
		t.Errorf("StartSyncExecution = %+v", out)
	}
	failing := e.createSM(t, "fast-fail", failDef, func(in *sfn.CreateStateMachineInput) { in.Type = types.StateMachineTypeExpress })
	out, err = c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: failing.StateMachineArn})
	if err != nil || out.Status != types.SyncExecutionStatusFailed || aws.ToString(out.Error) != "Boom" || out.Output != nil {
		t.Errorf("failing sync = %+v, %v", out, err)
	}
	// Express executions are not described or listed; Standard machines
	// are not run synchronously.
	_, err = c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: out.ExecutionArn})
	var invArn *types.InvalidArn
	if !errors.As(err, &invArn) {
		t.Errorf("describe express: %v", err)
	}
	_, err = c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: sm.StateMachineArn})
	var unsupported *types.StateMachineTypeNotSupported
	if !errors.As(err, &unsupported) {
		t.Errorf("list express: %v", err)
	}
	std := e.createSM(t, "std", passDef)
	_, err = c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: std.StateMachineArn})
	if !errors.As(err, &unsupported) {
		t.Errorf("sync on standard: %v", err)
	}
	// StartExecution on an Express machine starts it asynchronously.
	async, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(`{"n":1}`)})
	if err != nil || !strings.Contains(aws.ToString(async.ExecutionArn), ":express:fast:") {
		t.Errorf("async express = %+v, %v", async, err)
	}
}

func TestExecutionInputErrors(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	sm := e.createSM(t, "inputs", passDef)
	big := `{"s":"` + strings.Repeat("x", 256*1024) + `"}`
	for _, tt := range []struct{ name, input string }{
		{"not json", `{"a":`},
		{"trailing", `{} x`},
		{"oversize", big},
	} {
		_, err := e.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(tt.input)})
		var inv *types.InvalidExecutionInput
		if !errors.As(err, &inv) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	// Scalars and arrays are valid JSON inputs.
	for _, in := range []string{`1`, `"s"`, `[1,2]`, `null`} {
		st, err := e.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(in)})
		if err != nil {
			t.Errorf("input %s: %v", in, err)
			continue
		}
		e.waiter.wait(t, *st.ExecutionArn)
	}
	var js json.RawMessage
	_ = js
}

// TestConcurrentIdempotentStart starts the same execution from many
// clients at once: one creates it, the others get it back.
func TestConcurrentIdempotentStart(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	sm := e.createSM(t, "race", waitDef)
	const n = 16
	arns := make(chan string, n)
	errs := make(chan error, n)
	for range n {
		go func() {
			out, err := e.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String("same"), Input: aws.String(`{"i":1}`)})
			if err != nil {
				errs <- err
				return
			}
			arns <- aws.ToString(out.ExecutionArn)
		}()
	}
	for range n {
		select {
		case err := <-errs:
			t.Errorf("concurrent start: %v", err)
		case a := <-arns:
			if a != "arn:aws:states:us-east-1:123456789012:execution:race:same" {
				t.Errorf("arn %s", a)
			}
		}
	}
	l, err := e.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: sm.StateMachineArn})
	if err != nil || len(l.Executions) != 1 {
		t.Errorf("executions = %+v, %v", l, err)
	}
}

// TestStartAfterUpdateUsesNewDefinition: StartExecution keeps state
// machine records in a cache; an update (or a deletion and a new machine
// under the same name) must reach the next start.
func TestStartAfterUpdateUsesNewDefinition(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	c := e.client
	sm := e.createSM(t, "changing", passDef)
	start := func(want string) {
		t.Helper()
		run, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn})
		if err != nil {
			t.Fatal(err)
		}
		if got := e.waiter.wait(t, *run.ExecutionArn); got != want {
			t.Fatalf("execution %s, want %s", got, want)
		}
	}
	start("SUCCEEDED")
	if _, err := c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: sm.StateMachineArn, Definition: aws.String(failDef)}); err != nil {
		t.Fatal(err)
	}
	start("FAILED")
	if _, err := c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: sm.StateMachineArn}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn}); err == nil {
		t.Fatal("StartExecution of a deleted state machine succeeded")
	}
	sm = e.createSM(t, "changing", passDef)
	start("SUCCEEDED")
}
