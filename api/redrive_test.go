package api_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stepwise-run/stepwise/store/sqlite"
)

// TestRedriveExecution redrives a stopped execution and a failed one
// through the SDK: the execution runs again under the same ARN, Describe
// and List show the redrive, and the history continues with
// ExecutionRedriven.
func TestRedriveExecution(t *testing.T) {
	st, err := sqlite.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOptions{store: st})
	c, ctx := e.client, context.Background()

	sm := e.createSM(t, "redrive-wait", waitDef)
	run, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String("w")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: run.ExecutionArn})
	var nr *types.ExecutionNotRedrivable
	if !errors.As(err, &nr) {
		t.Fatalf("redrive a running execution: %v", err)
	}
	if _, err := c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: run.ExecutionArn, Error: aws.String("Halt")}); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: run.ExecutionArn})
	if err != nil || d.RedriveStatus != types.ExecutionRedriveStatusRedrivable {
		t.Fatalf("describe aborted: %+v, %v", d, err)
	}
	out, err := c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: run.ExecutionArn, ClientToken: aws.String("tok")})
	if err != nil || out.RedriveDate == nil {
		t.Fatalf("RedriveExecution = %+v, %v", out, err)
	}
	d, err = c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: run.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != types.ExecutionStatusRunning || aws.ToInt32(d.RedriveCount) != 1 || d.RedriveDate == nil ||
		!d.RedriveDate.Equal(*out.RedriveDate) || d.StopDate != nil || d.RedriveStatus != types.ExecutionRedriveStatusNotRedrivable {
		t.Fatalf("describe redriven: status %s count %d date %v stop %v redrive status %s",
			d.Status, aws.ToInt32(d.RedriveCount), d.RedriveDate, d.StopDate, d.RedriveStatus)
	}
	l, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: sm.StateMachineArn, RedriveFilter: types.ExecutionRedriveFilterRedriven})
	if err != nil || len(l.Executions) != 1 || aws.ToInt32(l.Executions[0].RedriveCount) != 1 {
		t.Fatalf("ListExecutions REDRIVEN = %+v, %v", l, err)
	}
	h, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: run.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	var got []types.HistoryEventType
	for _, ev := range h.Events {
		got = append(got, ev.Type)
	}
	want := []types.HistoryEventType{types.HistoryEventTypeExecutionStarted, types.HistoryEventTypeWaitStateEntered,
		types.HistoryEventTypeExecutionAborted, types.HistoryEventTypeExecutionRedriven, types.HistoryEventTypeWaitStateEntered}
	if len(got) != len(want) {
		t.Fatalf("history %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] || h.Events[i].Id != int64(i+1) {
			t.Fatalf("history %v, want %v", got, want)
		}
	}
	rd := h.Events[3]
	if rd.ExecutionRedrivenEventDetails == nil || aws.ToInt32(rd.ExecutionRedrivenEventDetails.RedriveCount) != 1 || rd.PreviousEventId != 3 {
		t.Fatalf("ExecutionRedriven event %+v", rd)
	}

	// A failed execution fails again at its Fail state, and can be
	// redriven again.
	fsm := e.createSM(t, "redrive-fail", failDef)
	fr, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: fsm.StateMachineArn, Name: aws.String("f")})
	if err != nil {
		t.Fatal(err)
	}
	e.waiter.wait(t, *fr.ExecutionArn)
	for n := int32(1); n <= 2; n++ {
		if _, err := c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: fr.ExecutionArn}); err != nil {
			t.Fatalf("redrive %d: %v", n, err)
		}
		d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: fr.ExecutionArn})
		if err != nil || d.Status != types.ExecutionStatusFailed || aws.ToInt32(d.RedriveCount) != n || aws.ToString(d.Error) != "Boom" {
			t.Fatalf("after redrive %d: %+v, %v", n, d, err)
		}
	}

	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String("arn:aws:states:us-east-1:123456789012:execution:redrive-fail:nope")})
	var dne *types.ExecutionDoesNotExist
	if !errors.As(err, &dne) {
		t.Fatalf("redrive a missing execution: %v", err)
	}
}
