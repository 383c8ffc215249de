package teststate

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/value"
)

var testNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func str(s string) *string { return &s }
func num(n int) *int       { return &n }

func TestRunStatuses(t *testing.T) {
	tests := []struct {
		name     string
		req      Request
		status   string
		output   string // compared as JSON values
		next     string
		err      string
		cause    string
		retryIdx *int
		backoff  *int
		catchIdx *int
	}{
		{
			name:   "pass succeeds",
			req:    Request{Definition: `{"Type":"Pass","Result":{"a":1},"ResultPath":"$.r","End":true}`, Input: str(`{"x":0}`)},
			status: StatusSucceeded, output: `{"x":0,"r":{"a":1}}`,
		},
		{
			name:   "pass reports its next state",
			req:    Request{Definition: `{"Type":"Pass","Next":"Later"}`, Input: str(`{"x":0}`)},
			status: StatusSucceeded, output: `{"x":0}`, next: "Later",
		},
		{
			name: "choice chooses",
			req: Request{Definition: `{"Type":"Choice","Choices":[{"Variable":"$.v","NumericGreaterThan":1,"Next":"Big"}],"Default":"Small"}`,
				Input: str(`{"v":5}`)},
			status: StatusSucceeded, output: `{"v":5}`, next: "Big",
		},
		{
			name: "choice default",
			req: Request{Definition: `{"Type":"Choice","Choices":[{"Variable":"$.v","NumericGreaterThan":1,"Next":"Big"}],"Default":"Small"}`,
				Input: str(`{"v":0}`)},
			status: StatusSucceeded, output: `{"v":0}`, next: "Small",
		},
		{
			name:   "fail fails",
			req:    Request{Definition: `{"Type":"Fail","Error":"E","Cause":"C"}`},
			status: StatusFailed, err: "E", cause: "C",
		},
		{
			name:   "wait waits in virtual time",
			req:    Request{Definition: `{"Type":"Wait","Seconds":3600,"Next":"After"}`, Input: str(`[1]`)},
			status: StatusSucceeded, output: `[1]`, next: "After",
		},
		{
			name: "mocked task succeeds",
			req: Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultSelector":{"p.$":"$.Payload"},"End":true}`,
				Mock: &Mock{Result: str(`{"Payload":7}`)}},
			status: StatusSucceeded, output: `{"p":7}`,
		},
		{
			name: "mocked error is retriable",
			req: Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
				"Retry":[{"ErrorEquals":["Other"]},{"ErrorEquals":["Boom"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":5}]}`,
				Mock:               &Mock{ErrorOutput: &ErrorOutput{Error: "Boom", Cause: "bang"}},
				StateConfiguration: &StateConfiguration{RetrierRetryCount: num(2)}},
			status: StatusRetriable, err: "Boom", cause: "bang", retryIdx: num(1), backoff: num(18),
		},
		{
			name: "retries exhausted, caught",
			req: Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
				"Retry":[{"ErrorEquals":["Boom"],"MaxAttempts":2}],
				"Catch":[{"ErrorEquals":["Other"],"Next":"No"},{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Handler"}]}`,
				Input:              str(`{"a":1}`),
				Mock:               &Mock{ErrorOutput: &ErrorOutput{Error: "Boom", Cause: "bang"}},
				StateConfiguration: &StateConfiguration{RetrierRetryCount: num(2)}},
			status: StatusCaughtError, err: "Boom", cause: "bang", next: "Handler", catchIdx: num(1),
			output: `{"a":1,"err":{"Error":"Boom","Cause":"bang"}}`,
		},
		{
			name: "uncaught error fails",
			req: Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
				"Catch":[{"ErrorEquals":["Other"],"Next":"No"}]}`,
				Mock: &Mock{ErrorOutput: &ErrorOutput{Error: "Boom", Cause: "bang"}}},
			status: StatusFailed, err: "Boom", cause: "bang",
		},
		{
			name: "mocked parallel",
			req: Request{Definition: `{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}],"ResultPath":"$.r","End":true}`,
				Input: str(`{}`), Mock: &Mock{Result: str(`[5]`)}},
			status: StatusSucceeded, output: `{"r":[5]}`,
		},
		{
			name: "mocked map over its tolerance",
			req: Request{Definition: `{"Type":"Map","ItemsPath":"$.items","ToleratedFailureCount":0,
				"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},"End":true}`,
				Input: str(`{"items":[1,2]}`), Mock: &Mock{Result: str(`[1,2]`)},
				StateConfiguration: &StateConfiguration{MapIterationFailureCount: num(1)}},
			status: StatusFailed, err: "States.ExceedToleratedFailureThreshold", cause: "The specified tolerated failure threshold was exceeded",
		},
		{
			name: "named state of a machine",
			req: Request{Definition: `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Parameters":{"b.$":"$.v"},"Next":"C"},"C":{"Type":"Succeed"}}}`,
				StateName: str("B"), Input: str(`{"v":2}`)},
			status: StatusSucceeded, output: `{"b":2}`, next: "C",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.InspectionLevel = LevelDebug
			resp, err := Run(context.Background(), &tt.req, Options{Now: testNow})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if resp.Status != tt.status || resp.NextState != tt.next || resp.Error != tt.err || resp.Cause != tt.cause {
				t.Fatalf("got status %s next %q error %q cause %q, want %s %q %q %q",
					resp.Status, resp.NextState, resp.Error, resp.Cause, tt.status, tt.next, tt.err, tt.cause)
			}
			if tt.output != "" {
				if got, err := value.ParseString(resp.Output); err != nil || !value.Equal(got, value.MustParse(tt.output)) {
					t.Fatalf("output %s, want %s", resp.Output, tt.output)
				}
			} else if resp.Output != "" {
				t.Fatalf("output %s, want none", resp.Output)
			}
			d := resp.InspectionData
			if d == nil {
				t.Fatal("no inspectionData at DEBUG")
			}
			var gotRetry, gotBackoff, gotCatch *int
			if d.ErrorDetails != nil {
				gotRetry, gotBackoff, gotCatch = d.ErrorDetails.RetryIndex, d.ErrorDetails.RetryBackoffIntervalSeconds, d.ErrorDetails.CatchIndex
			}
			for _, c := range []struct {
				what      string
				got, want *int
			}{{"retryIndex", gotRetry, tt.retryIdx}, {"retryBackoffIntervalSeconds", gotBackoff, tt.backoff}, {"catchIndex", gotCatch, tt.catchIdx}} {
				if (c.got == nil) != (c.want == nil) || (c.got != nil && *c.got != *c.want) {
					t.Errorf("%s = %v, want %v", c.what, deref(c.got), deref(c.want))
				}
			}
		})
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestRunInfoHasNoInspectionData(t *testing.T) {
	resp, err := Run(context.Background(), &Request{Definition: `{"Type":"Pass","End":true}`}, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if resp.InspectionData != nil || resp.Output != "{}" || resp.Status != StatusSucceeded {
		t.Fatalf("got %+v", resp)
	}
}

func TestRunTaskHandler(t *testing.T) {
	def := `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"n.$":"$.n"},"Catch":[{"ErrorEquals":["Bad"],"Next":"H"}],"End":true}`
	handler := taskFunc(func(_ context.Context, tr *engine.TaskRequest) (any, error) {
		n, _ := member(tr.Input.(*value.Object), "n").(float64)
		if n < 0 {
			return nil, failure.New("Bad", "negative")
		}
		return n * 2, nil
	})
	resp, err := Run(context.Background(), &Request{Definition: def, Input: str(`{"n":21}`)}, Options{Now: testNow, Tasks: handler})
	if err != nil || resp.Status != StatusSucceeded || resp.Output != "42" {
		t.Fatalf("got %+v, %v", resp, err)
	}
	resp, err = Run(context.Background(), &Request{Definition: def, Input: str(`{"n":-1}`)}, Options{Now: testNow, Tasks: handler})
	if err != nil || resp.Status != StatusCaughtError || resp.NextState != "H" || resp.Error != "Bad" {
		t.Fatalf("got %+v, %v", resp, err)
	}
	_, err = Run(context.Background(), &Request{Definition: def, Input: str(`{"n":1}`)}, Options{Now: testNow})
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeValidation {
		t.Fatalf("without a handler: %v", err)
	}
}

type taskFunc func(context.Context, *engine.TaskRequest) (any, error)

func (f taskFunc) Invoke(ctx context.Context, t *engine.TaskRequest) (any, error) { return f(ctx, t) }

func TestRunRejects(t *testing.T) {
	tests := []struct {
		name string
		req  Request
		code string
		msg  string
	}{
		{"no definition", Request{}, CodeValidation, ""},
		{"bad level", Request{Definition: `{"Type":"Pass","End":true}`, InspectionLevel: "ALL"}, CodeValidation, ""},
		{"bad input", Request{Definition: `{"Type":"Pass","End":true}`, Input: str(`{`)}, CodeInvalidExecutionInput, ""},
		{"bad state", Request{Definition: `{"Type":"Nope","End":true}`}, CodeInvalidDefinition, ""},
		{"not json", Request{Definition: `{"Type":`}, CodeInvalidDefinition, ""},
		{"unknown state name", Request{Definition: `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`, StateName: str("B")},
			CodeValidation, "State not found in definition"},
		{"map without mock", Request{Definition: `{"Type":"Map","ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},"End":true}`},
			CodeInvalidDefinition, "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]"},
		{"mocked pass", Request{Definition: `{"Type":"Pass","End":true}`, Mock: &Mock{Result: str(`{}`)}},
			CodeValidation, "State type 'Pass' is not supported when a mock is specified"},
		{"mock not json", Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}`, Mock: &Mock{Result: str(`x`)}},
			CodeValidation, "Mocked result must be valid JSON"},
		{"mock and reveal secrets", Request{Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}`, Mock: &Mock{Result: str(`{}`)}, RevealSecrets: true},
			CodeValidation, "TestState does not support RevealSecrets when a mock is specified."},
		{"context field", Request{Definition: `{"Type":"Pass","End":true}`, Context: str(`{"Nope":{}}`)},
			CodeValidation, "Invalid Context object provided: Field 'Nope' is not allowed"},
		{"context type", Request{Definition: `{"Type":"Pass","End":true}`, Context: str(`{"State":{"Name":1}}`)},
			CodeValidation, "Invalid Context object provided: State.Name must be a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), &tt.req, Options{Now: testNow})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if e.Code != tt.code || (tt.msg != "" && e.Message != tt.msg) {
				t.Fatalf("got %s: %s, want %s: %s", e.Code, e.Message, tt.code, tt.msg)
			}
		})
	}
}

func TestDecodeRequest(t *testing.T) {
	req, err := DecodeRequest([]byte(`{"definition":"{}","Input":"ignored","input":"{\"a\":1}","mock":{"errorOutput":{"error":"E"}},
		"stateConfiguration":{"retrierRetryCount":2},"revealSecrets":null}`))
	if err != nil {
		t.Fatal(err)
	}
	if req.Definition != "{}" || req.Input == nil || *req.Input != `{"a":1}` || req.Mock.ErrorOutput.Error != "E" ||
		*req.StateConfiguration.RetrierRetryCount != 2 || req.RevealSecrets {
		t.Fatalf("decoded %+v", req)
	}
	for _, bad := range []string{``, `[]`, `null`, `{"definition":1}`, `{"stateConfiguration":{"retrierRetryCount":"x"}}`} {
		var e *Error
		if _, err := DecodeRequest([]byte(bad)); !errors.As(err, &e) {
			t.Errorf("DecodeRequest(%q) = %v, want *Error", bad, err)
		}
	}
}

func TestRunSelfTransition(t *testing.T) {
	def := `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.again","BooleanEquals":true,"Next":"A"}],"Default":"B"},"B":{"Type":"Succeed"}}}`
	resp, err := Run(context.Background(), &Request{Definition: def, StateName: str("A"), Input: str(`{"again":true}`)}, Options{Now: testNow})
	if err != nil || resp.Status != StatusSucceeded || resp.NextState != "A" {
		t.Fatalf("got %+v, %v", resp, err)
	}
}

func TestMockFieldValidation(t *testing.T) {
	const getFunction = `{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:lambda:getFunction","End":true}`
	const startExecution = `{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","End":true}`
	tests := []struct {
		name, def, result, mode, msg string
	}{
		{"in range", getFunction, `{"Configuration":{"MemorySize":128}}`, "", ""},
		{"below minimum", getFunction, `{"Configuration":{"MemorySize":127}}`, "", "Field 'MemorySize' is less than the minimum value"},
		{"not validated", getFunction, `{"Configuration":{"MemorySize":"x"}}`, "NONE", ""},
		{"enum in a list", getFunction, `{"Configuration":{"Architectures":["sparc"]}}`, "PRESENT", "Field 'Architectures' is not an expected value"},
		{"unknown fields pass", getFunction, `{"Other":1}`, "STRICT", ""},
		{"required in strict mode", startExecution, `{"ExecutionArn":"a"}`, "STRICT", "Field 'StartDate' is required"},
		{"not required in present mode", startExecution, `{"ExecutionArn":"a"}`, "PRESENT", ""},
		{"integral", `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}`, `{"StatusCode":1.5}`, "", "Field 'StatusCode' must be an integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &Request{Definition: tt.def, Mock: &Mock{Result: str(tt.result), FieldValidationMode: tt.mode}}
			resp, err := Run(context.Background(), req, Options{Now: testNow})
			if tt.msg == "" {
				if err != nil || resp.Status != StatusSucceeded {
					t.Fatalf("got %+v, %v", resp, err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeValidation || e.Message != "Mock result schema validation error: "+tt.msg {
				t.Fatalf("err = %v, want %s", err, tt.msg)
			}
		})
	}
}

func TestTestContext(t *testing.T) {
	built := value.MustParse(`{"Execution":{"Id":"x","RedriveCount":0},"State":{"Name":"S"}}`).(*value.Object)
	got := testContext(nil, built)
	if want := value.MustParse(`{"Execution":{"Id":"x"},"State":{"Name":"S","RetryCount":0}}`); !value.Equal(got, want) {
		t.Fatalf("got %s", value.String(got))
	}
	if value.String(built) != `{"Execution":{"Id":"x","RedriveCount":0},"State":{"Name":"S"}}` {
		t.Fatalf("built was modified: %s", value.String(built))
	}
	req := value.NewObject(0)
	if testContext(req, built) != req {
		t.Fatal("the request's context does not replace the built one")
	}
}

func TestRequestLimits(t *testing.T) {
	pass := `{"Type":"Pass","End":true}`
	for _, req := range []Request{
		{Definition: pass, StateConfiguration: &StateConfiguration{RetrierRetryCount: num(-1)}},
		{Definition: pass, StateConfiguration: &StateConfiguration{ErrorCausedByState: str("")}},
		{Definition: pass, StateName: str(strings.Repeat("x", 81))},
		{Definition: pass, Variables: str(`[1]`)},
	} {
		var e *Error
		if _, err := Run(context.Background(), &req, Options{Now: testNow}); !errors.As(err, &e) || e.Code != CodeValidation {
			t.Errorf("%+v: err = %v, want ValidationException", req, err)
		}
	}
	if _, err := Run(context.Background(), &Request{Definition: pass, Variables: str(`{}`)}, Options{Now: testNow}); err != nil {
		t.Errorf("empty variables: %v", err)
	}
}

func TestRunCallbackDoesNotFinish(t *testing.T) {
	def := `{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"t.$":"$$.Task.Token"},"End":true}`
	handler := taskFunc(func(context.Context, *engine.TaskRequest) (any, error) { return "submitted", nil })
	_, err := Run(context.Background(), &Request{Definition: def}, Options{Now: testNow, Tasks: handler})
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeValidation {
		t.Fatalf("err = %v, want ValidationException", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, &Request{Definition: `{"Type":"Wait","Seconds":1,"End":true}`}, Options{Now: testNow}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: err = %v", err)
	}
}
