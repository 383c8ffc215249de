package main

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// startServe runs serve in the background and returns an SDK client for it
// and a function that stops it and returns serve's result.
func startServe(t *testing.T, opts serveOptions) (*sfn.Client, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, opts, slog.New(slog.DiscardHandler), func(a string) { addrs <- a })
	}()
	var addr string
	select {
	case addr = <-addrs:
	case err := <-done:
		cancel()
		t.Fatalf("serve: %v", err)
	case <-time.After(20 * time.Second):
		cancel()
		t.Fatal("serve did not start")
	}
	client := sfn.New(sfn.Options{
		Region:           "eu-west-1",
		BaseEndpoint:     aws.String("http://" + addr),
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		RetryMaxAttempts: 1,
	})
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not stop")
			return nil
		}
	}
	t.Cleanup(func() { _ = stop() })
	return client, stop
}

func TestServeEndToEnd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	opts := serveOptions{listen: "127.0.0.1:0", data: dir, region: "eu-west-1", account: "111122223333", shutdownTimeout: 10 * time.Second}
	c, stop := startServe(t, opts)
	ctx := context.Background()

	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name:       aws.String("e2e"),
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($.a, $.b)"},"End":true}}}`),
		RoleArn:    aws.String("arn:aws:iam::111122223333:role/r"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(sm.StateMachineArn); got != "arn:aws:states:eu-west-1:111122223333:stateMachine:e2e" {
		t.Fatalf("state machine ARN %s", got)
	}
	// A chain of pure states finishes within StartExecution's commit.
	st, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String("x1"), Input: aws.String(`{"a":2,"b":3}`)})
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: st.ExecutionArn})
	if err != nil || d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"sum":5}` {
		t.Fatalf("DescribeExecution = %+v, %v", d, err)
	}
	waiting, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name:       aws.String("waits"),
		Definition: aws.String(`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"End":true}}}`),
		RoleArn:    aws.String("arn:aws:iam::111122223333:role/r"),
	})
	if err != nil {
		t.Fatal(err)
	}
	long, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: waiting.StateMachineArn, Name: aws.String("long")})
	if err != nil {
		t.Fatal(err)
	}
	if err := stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "stepwise.db")); err != nil {
		t.Fatalf("no database in the data directory: %v", err)
	}

	// A restart on the same directory finds everything acknowledged.
	c2, stop2 := startServe(t, opts)
	d, err = c2.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: st.ExecutionArn})
	if err != nil || d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"sum":5}` {
		t.Fatalf("after restart: %+v, %v", d, err)
	}
	d, err = c2.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: long.ExecutionArn})
	if err != nil || d.Status != types.ExecutionStatusRunning {
		t.Fatalf("waiting execution after restart: %+v, %v", d, err)
	}
	h, err := c2.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: st.ExecutionArn})
	if err != nil || len(h.Events) != 4 {
		t.Fatalf("history after restart: %+v, %v", h, err)
	}
	if _, err := c2.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: long.ExecutionArn}); err != nil {
		t.Fatal(err)
	}
	d, err = c2.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: long.ExecutionArn})
	if err != nil || d.Status != types.ExecutionStatusAborted {
		t.Fatalf("stopped execution: %+v, %v", d, err)
	}
	l, err := c2.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil || len(l.StateMachines) != 2 {
		t.Fatalf("ListStateMachines after restart: %+v, %v", l, err)
	}
	if err := stop2(); err != nil {
		t.Fatal(err)
	}
}

func TestServePortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = serve(context.Background(), serveOptions{listen: ln.Addr().String(), data: t.TempDir()}, slog.New(slog.DiscardHandler), nil)
	if err == nil || !strings.Contains(err.Error(), "listen on "+ln.Addr().String()) || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("serve on a taken port: %v", err)
	}
}

func TestServeBadDataDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ data, want string }{
		{file, "not a directory"},
		{filepath.Join(file, "sub"), "data directory " + filepath.Join(file, "sub")},
		{"", "empty path"},
	} {
		err := serve(context.Background(), serveOptions{listen: "127.0.0.1:0", data: tt.data}, slog.New(slog.DiscardHandler), nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("serve --data %q: %v, want %q", tt.data, err, tt.want)
		}
	}
}

func TestServeCommandErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, stderr := runMain(t, "serve", "--listen", ln.Addr().String(), "--data", t.TempDir())
	if code != exitFailed || !strings.Contains(stderr, "address already in use") {
		t.Errorf("serve on a taken port: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runMain(t, "serve", "extra"); code != exitUsage {
		t.Errorf("serve with an argument: exit %d", code)
	}
}

// TestServeIntegrations runs a Task state through the integrations file:
// a Lambda function served by a local command.
func TestServeIntegrations(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "integrations.json")
	if err := os.WriteFile(cfg, []byte(`{"lambda":{"functions":{"echo":{"command":"cat"}}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c, _ := startServe(t, serveOptions{listen: "127.0.0.1:0", data: filepath.Join(dir, "data"), region: "us-east-1", account: "123456789012",
		integrations: cfg, shutdownTimeout: 10 * time.Second})
	ctx := context.Background()
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("lambda"),
		Definition: aws.String(`{"StartAt":"L","States":{"L":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
			"Parameters":{"FunctionName":"echo","Payload.$":"$"},"ResultSelector":{"echoed.$":"$.Payload"},"End":true}}}`),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
		Type:    types.StateMachineTypeExpress,
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(`{"hello":"world"}`)},
		func(o *sfn.Options) { o.APIOptions = append(o.APIOptions, noHostPrefix) })
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != types.SyncExecutionStatusSucceeded || aws.ToString(out.Output) != `{"echoed":{"hello":"world"}}` {
		t.Errorf("StartSyncExecution = %s %s %s %s", out.Status, aws.ToString(out.Output), aws.ToString(out.Error), aws.ToString(out.Cause))
	}

	// A bad integrations file is a clear startup error.
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"nope":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	err = serve(ctx, serveOptions{listen: "127.0.0.1:0", data: filepath.Join(dir, "data2"), integrations: bad}, slog.New(slog.DiscardHandler), nil)
	if err == nil || !strings.Contains(err.Error(), "integration config") {
		t.Errorf("bad integrations file: %v", err)
	}
}

// noHostPrefix stops the SDK from prefixing the endpoint's host name
// ("sync-" for StartSyncExecution), which a local endpoint cannot resolve.
func noHostPrefix(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("noHostPrefix",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
		}), middleware.Before)
}

// TestServeActivity runs an Activity task with a worker polling the server.
func TestServeActivity(t *testing.T) {
	c, _ := startServe(t, serveOptions{listen: "127.0.0.1:0", data: t.TempDir(), region: "us-east-1", account: "123456789012", shutdownTimeout: 10 * time.Second})
	ctx := context.Background()
	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("q")})
	if err != nil {
		t.Fatal(err)
	}
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name:       aws.String("act"),
		Definition: aws.String(`{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + *act.ActivityArn + `","End":true}}}`),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/r"),
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(`{"n":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	task, err := c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn, WorkerName: aws.String("w")})
	if err != nil || aws.ToString(task.Input) != `{"n":1}` {
		t.Fatalf("GetActivityTask = %+v, %v", task, err)
	}
	// SendTaskSuccess returns once the result is committed.
	if _, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{"n":2}`)}); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: st.ExecutionArn})
	if err != nil || d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"n":2}` {
		t.Fatalf("DescribeExecution = %+v, %v", d, err)
	}
}
