package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
	"github.com/stepwise-run/stepwise/api"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/memory"
)

// post sends a raw request and returns the status, the decoded error body
// and the response headers.
func post(t *testing.T, url, target, body string) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", api.ContentType)
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("response %q is not a JSON object: %v", b, err)
	}
	return resp.StatusCode, m, resp.Header
}

func TestProtocolErrors(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.createSM(t, "proto", passDef)
	smARN := "arn:aws:states:us-east-1:123456789012:stateMachine:proto"
	tests := []struct {
		name, target, body string
		status             int
		typ                string
	}{
		{"malformed JSON", "AWSStepFunctions.ListStateMachines", `{"maxResults":`, 400, "com.amazon.coral.service#SerializationException"},
		{"not an object", "AWSStepFunctions.ListStateMachines", `[1,2]`, 400, "com.amazon.coral.service#SerializationException"},
		{"trailing data", "AWSStepFunctions.ListStateMachines", `{} {}`, 400, "com.amazon.coral.service#SerializationException"},
		{"number as string", "AWSStepFunctions.ListStateMachines", `{"maxResults":"10"}`, 400, "com.amazon.coral.service#SerializationException"},
		{"fractional number", "AWSStepFunctions.ListStateMachines", `{"maxResults":1.5}`, 400, "com.amazon.coral.service#SerializationException"},
		{"object as string", "AWSStepFunctions.StartExecution", `{"stateMachineArn":"` + smARN + `","input":{"a":1}}`, 400, "com.amazon.coral.service#SerializationException"},
		{"bool as string", "AWSStepFunctions.CreateStateMachine", `{"name":"x","definition":"{}","roleArn":"arn:aws:iam::1:role/r","publish":"yes"}`, 400, "com.amazon.coral.service#SerializationException"},
		{"list as object", "AWSStepFunctions.TagResource", `{"resourceArn":"` + smARN + `","tags":{"k":"v"}}`, 400, "com.amazon.coral.service#SerializationException"},
		{"unknown action", "AWSStepFunctions.LaunchRocket", `{}`, 400, "com.amazon.coral.service#UnknownOperationException"},
		{"other service", "DynamoDB_20120810.ListTables", `{}`, 400, "com.amazon.coral.service#UnknownOperationException"},
		{"unsupported action", "AWSStepFunctions.DescribeMapRun", `{}`, 400, "com.amazon.coral.service#UnknownOperationException"},
		{"missing target", "", `{}`, 400, "com.amazon.coral.service#UnknownOperationException"},
		{"oversize body", "AWSStepFunctions.ListStateMachines", `{"x":"` + strings.Repeat("a", 5<<20) + `"}`, 413, "com.amazon.coral.service#RequestEntityTooLargeException"},
		{"missing member", "AWSStepFunctions.DescribeStateMachine", `{}`, 400, "com.amazonaws.swf.service.v2.model#ValidationException"},
		{"invalid arn", "AWSStepFunctions.DescribeStateMachine", `{"stateMachineArn":"not_a_valid_arn"}`, 400, "com.amazonaws.swf.service.v2.model#InvalidArn"},
		{"wrong arn kind", "AWSStepFunctions.DescribeExecution", `{"executionArn":"` + smARN + `"}`, 400, "com.amazonaws.swf.service.v2.model#InvalidArn"},
		{"bad enum", "AWSStepFunctions.ListExecutions", `{"stateMachineArn":"` + smARN + `","statusFilter":"succeeded"}`, 400, "com.amazonaws.swf.service.v2.model#ValidationException"},
		{"max results", "AWSStepFunctions.ListStateMachines", `{"maxResults":1001}`, 400, "com.amazonaws.swf.service.v2.model#ValidationException"},
		{"bad token", "AWSStepFunctions.ListStateMachines", `{"nextToken":"garbage"}`, 400, "com.amazonaws.swf.service.v2.model#InvalidToken"},
		{"unknown members ignored", "AWSStepFunctions.ListStateMachines", `{"futureField":{"x":[1]}}`, 200, ""},
		{"empty body", "AWSStepFunctions.ListStateMachines", ``, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, hdr := post(t, e.url, tt.target, tt.body)
			if status != tt.status {
				t.Errorf("status %d, want %d (%v)", status, tt.status, body)
			}
			if hdr.Get("x-amzn-RequestId") == "" {
				t.Error("no x-amzn-RequestId")
			}
			if tt.typ == "" {
				return
			}
			if body["__type"] != tt.typ {
				t.Errorf("__type %v, want %s", body["__type"], tt.typ)
			}
			if msg, _ := body["message"].(string); msg == "" {
				t.Errorf("no message in %v", body)
			}
		})
	}
}

func TestMessages(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.createSM(t, "msgs", passDef)
	tests := []struct{ target, body, typ, message string }{
		{"DescribeStateMachine", `{"stateMachineArn":"not_a_valid_arn"}`, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'"},
		{"GetExecutionHistory", `{"executionArn":"invalid_state_machine_arn"}`, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: invalid_state_machine_arn'"},
		{"DescribeStateMachine", `{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:nope"}`, "StateMachineDoesNotExist", "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:nope'"},
		{"CreateActivity", `{"name":"activity:name"}`, "InvalidName", "Invalid Name: 'activity:name'"},
		{"CreateStateMachine", `{"name":"a b","definition":"{}","roleArn":"arn:aws:iam::1:role/r"}`, "InvalidName", "Invalid Name: 'a b'"},
		{"CreateStateMachine", `{"name":"v","definition":"` + strings.ReplaceAll(passDef, `"`, `\"`) + `","roleArn":"arn:aws:iam::1:role/r","versionDescription":"d"}`, "ValidationException", "Version description can only be set when publish is true"},
		{"CreateStateMachine", `{"name":"l","definition":"` + strings.ReplaceAll(passDef, `"`, `\"`) + `","roleArn":"arn:aws:iam::1:role/r","loggingConfiguration":{"level":"ALL"}}`, "InvalidLoggingConfiguration", "Invalid Logging Configuration: Must specify exactly one Log Destination."},
		{"ListExecutions", `{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:msgs","statusFilter":"succeeded"}`, "ValidationException", "1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]"},
		{"DescribeActivity", `{"activityArn":"arn:aws:states:us-east-1:123456789012:activity:none"}`, "ActivityDoesNotExist", "Activity Does Not Exist: 'arn:aws:states:us-east-1:123456789012:activity:none'"},
		{"StartExecution", `{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:execution:msgs:e"}`, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: execution'"},
	}
	for _, tt := range tests {
		status, body, _ := post(t, e.url, "AWSStepFunctions."+tt.target, tt.body)
		if status != 400 || body["__type"] != "com.amazonaws.swf.service.v2.model#"+tt.typ || body["message"] != tt.message {
			t.Errorf("%s %s: %d %v\nwant %s %q", tt.target, tt.body, status, body, tt.typ, tt.message)
		}
	}
}

// TestSDKTypedErrors checks that the AWS SDK decodes the server's errors
// into its typed errors and sees a 4xx status.
func TestSDKTypedErrors(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	c := e.client
	check := func(name string, err error, target any, code string) {
		t.Helper()
		if err == nil || !errors.As(err, target) {
			t.Errorf("%s: %v, want %T", name, err, target)
			return
		}
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != code || ae.ErrorFault() != smithy.FaultClient {
			t.Errorf("%s: code %v", name, err)
		}
		var re interface{ HTTPStatusCode() int }
		if !errors.As(err, &re) || re.HTTPStatusCode()/100 != 4 {
			t.Errorf("%s: not a 4xx: %v", name, err)
		}
	}
	_, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String("nope")})
	check("invalid arn", err, new(*types.InvalidArn), "InvalidArn")
	_, err = c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("bad/name"), Definition: aws.String(passDef), RoleArn: aws.String(roleARN)})
	check("invalid name", err, new(*types.InvalidName), "InvalidName")
	_, err = c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("n"), Definition: aws.String("{"), RoleArn: aws.String(roleARN)})
	check("invalid definition", err, new(*types.InvalidDefinition), "InvalidDefinition")
	_, err = c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("n"), Definition: aws.String(passDef), RoleArn: aws.String(roleARN), Type: "BATCH"})
	check("bad type", err, new(*types.ValidationException), "ValidationException")
	_, err = c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String("arn:aws:states:us-east-1:123456789012:execution:m:e")})
	check("stop missing", err, new(*types.ExecutionDoesNotExist), "ExecutionDoesNotExist")
	_, err = c.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: aws.String("arn:aws:states:us-east-1:123456789012:stateMachine:m:a")})
	check("alias missing", err, new(*types.ResourceNotFound), "ResourceNotFound")
	_, err = c.ListStateMachineAliases(ctx, &sfn.ListStateMachineAliasesInput{StateMachineArn: aws.String("arn:aws:states:us-east-1:123456789012:stateMachine:m"), NextToken: aws.String("x")})
	check("list aliases of missing machine", err, new(*types.ResourceNotFound), "ResourceNotFound")
	_, err = c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String("arn:aws:states:us-east-1:123456789012:stateMachine:m")})
	check("update nothing", err, new(*types.MissingRequiredParameter), "MissingRequiredParameter")
}

func TestHealthzAndPanics(t *testing.T) {
	e := newEnv(t, envOptions{})
	resp, err := http.Get(e.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "ok" {
		t.Errorf("healthz = %d %q", resp.StatusCode, b)
	}

	// A store that panics: the handler recovers and answers 500.
	svc, err := service.New(service.Config{Store: panicStore{memory.New()}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := api.New(api.Config{Service: svc, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	status, body, _ := post(t, srv.URL, "AWSStepFunctions.ListStateMachines", `{}`)
	if status != 500 || body["__type"] != "com.amazon.coral.service#InternalFailure" {
		t.Errorf("panic answered %d %v", status, body)
	}
}

type panicStore struct{ *memory.Store }

func (panicStore) ListStateMachines(context.Context, *store.ListParams) (*store.Page[store.StateMachine], error) {
	panic("boom")
}
