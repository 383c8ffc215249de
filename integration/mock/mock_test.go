package mock

import (
	"context"

	"testing"
	"time"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/local"
	"github.com/stepwise-run/stepwise/value"
)

const config = `{
  "StateMachines": {"orders": {"TestCases": {
    "Retry": {"Charge": "BusyThenOK", "Notify": "Sent"},
    "Declined": {"Charge": "Declined"}
  }}},
  "MockedResponses": {
    "BusyThenOK": {"0-1": {"Throw": {"Error": "Gateway.Busy", "Cause": "busy"}}, "2": {"Return": {"charged": true}}},
    "Declined": {"0": {"Throw": {"Error": "Card.Declined", "Cause": "no funds"}}},
    "Sent": {"0": {"Return": {"sent": true}}}
  }
}`

const def = `{"StartAt":"Charge","States":{
  "Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultPath":"$.charge",
    "Retry":[{"ErrorEquals":["Gateway.Busy"],"IntervalSeconds":1,"MaxAttempts":3}],
    "Catch":[{"ErrorEquals":["Card.Declined"],"ResultPath":"$.error","Next":"Rejected"}],"Next":"Notify"},
  "Notify":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "Parameters":{"MessageBody.$":"$$.Task.Token"},"ResultPath":"$.notify","Next":"Audit"},
  "Audit":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultPath":"$.audit","End":true},
  "Rejected":{"Type":"Fail","Error":"Rejected"}}}`

func TestMockedExecution(t *testing.T) {
	c, err := Parse([]byte(config))
	if err != nil {
		t.Fatal(err)
	}
	real := 0
	next := local.HandlerFunc(func(ctx context.Context, tr *engine.TaskRequest) (any, error) {
		real++ // the states a test case does not mock reach the real integration
		return value.MustParse(`{"audited":true}`), nil
	})
	d, diags := asl.Check([]byte(def), asl.ValidateOptions{})
	if asl.HasErrors(diags) {
		t.Fatal(diags)
	}
	m, err := engine.Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	run := func(testCase string) *local.Result {
		res, err := local.Run(context.Background(), m, `{"order":1}`, local.Options{Fast: true,
			Fallback: Wrap(c, next), Now: func() time.Time { return time.Unix(1e9, 0) },
			Meta: engine.Meta{StateMachineName: "orders", TestCase: testCase}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := run("Retry")
	if res.Status != engine.StatusSucceeded || value.String(res.Output) != `{"order":1,"charge":{"charged":true},"notify":{"sent":true},"audit":{"audited":true}}` {
		t.Fatalf("Retry: %s %s %s %v", res.Status, res.Error, res.Cause, value.String(res.Output))
	}
	if real != 1 {
		t.Fatalf("real integration called %d times, want 1 (Audit)", real)
	}
	res = run("Declined")
	if res.Status != engine.StatusFailed || res.Error != "Rejected" {
		t.Fatalf("Declined: %s %s", res.Status, res.Error)
	}
	res = run("Nope")
	if res.Status != engine.StatusFailed || res.Error != failure.Runtime {
		t.Fatalf("unknown test case: %s %s %s", res.Status, res.Error, res.Cause)
	}
}

func TestParseErrors(t *testing.T) {
	for _, bad := range []string{
		`{`,
		`{"MockedResponses":{"R":{"x":{"Return":1}}}}`,
		`{"MockedResponses":{"R":{"2-1":{"Return":1}}}}`,
		`{"MockedResponses":{"R":{"0":{}}}}`,
		`{"MockedResponses":{"R":{"0":{"Return":1,"Throw":{"Error":"E"}}}}}`,
		`{"StateMachines":{"S":{"TestCases":{"T":{"A":"Missing"}}}},"MockedResponses":{}}`,
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%s): want error", bad)
		}
	}
}
