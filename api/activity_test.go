package api_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// TestActivityWorkers runs Activity tasks with workers polling through the
// API: one succeeds, one fails, and tokens are checked.
func TestActivityWorkers(t *testing.T) {
	e := newEnv(t, envOptions{pollWait: 5 * time.Second})
	ctx := context.Background()
	c := e.client
	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("worker-queue")})
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("worker-queue")})
	if err != nil || aws.ToString(again.ActivityArn) != aws.ToString(act.ActivityArn) {
		t.Fatalf("create again = %+v, %v", again, err)
	}
	sm := e.createSM(t, "with-activity", `{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"`+aws.ToString(act.ActivityArn)+`","HeartbeatSeconds":600,"End":true}}}`)

	run := func(name, input string) string {
		t.Helper()
		st, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String(name), Input: aws.String(input)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(st.ExecutionArn)
	}
	poll := func() *sfn.GetActivityTaskOutput {
		t.Helper()
		task, err := c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn, WorkerName: aws.String("w1")})
		if err != nil {
			t.Fatal(err)
		}
		return task
	}

	ok := run("ok", `{"job":1}`)
	task := poll()
	if aws.ToString(task.Input) != `{"job":1}` || aws.ToString(task.TaskToken) == "" {
		t.Fatalf("GetActivityTask = %+v", task)
	}
	if _, err := c.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: task.TaskToken}); err != nil {
		t.Fatalf("heartbeat: %v", err)
	}
	_, err = c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{"done":`)})
	var badOut *types.InvalidOutput
	if !errors.As(err, &badOut) {
		t.Errorf("malformed output: %v", err)
	}
	if _, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{"done":true}`)}); err != nil {
		t.Fatal(err)
	}
	if s := e.waiter.wait(t, ok); s != "SUCCEEDED" {
		t.Fatalf("status %s", s)
	}
	d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(ok)})
	if err != nil || aws.ToString(d.Output) != `{"done":true}` {
		t.Errorf("output = %+v, %v", d, err)
	}
	// The token is spent.
	_, err = c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{}`)})
	var gone *types.TaskDoesNotExist
	if !errors.As(err, &gone) {
		t.Errorf("spent token: %v", err)
	}

	failing := run("fails", `{"job":2}`)
	task = poll()
	if _, err := c.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: task.TaskToken, Error: aws.String("Worker.Broke"), Cause: aws.String("disk full")}); err != nil {
		t.Fatal(err)
	}
	if s := e.waiter.wait(t, failing); s != "FAILED" {
		t.Fatalf("status %s", s)
	}
	d, err = c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(failing)})
	if err != nil || aws.ToString(d.Error) != "Worker.Broke" || aws.ToString(d.Cause) != "disk full" {
		t.Errorf("failed execution = %+v, %v", d, err)
	}

	_, err = c.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String("not-a-token")})
	var invTok *types.InvalidToken
	if !errors.As(err, &invTok) {
		t.Errorf("forged token: %v", err)
	}
	_, err = c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String("arn:aws:states:us-east-1:123456789012:activity:none")})
	var noAct *types.ActivityDoesNotExist
	if !errors.As(err, &noAct) {
		t.Errorf("poll a missing activity: %v", err)
	}
	l, err := c.ListActivities(ctx, &sfn.ListActivitiesInput{})
	if err != nil || len(l.Activities) != 1 {
		t.Errorf("ListActivities = %+v, %v", l, err)
	}
	if _, err := c.DeleteActivity(ctx, &sfn.DeleteActivityInput{ActivityArn: act.ActivityArn}); err != nil {
		t.Fatal(err)
	}
}

// TestActivityPollTimesOut checks that a poll with no task answers empty
// when its wait ends.
func TestActivityPollTimesOut(t *testing.T) {
	e := newEnv(t, envOptions{pollWait: time.Millisecond})
	ctx := context.Background()
	act, err := e.client.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("idle")})
	if err != nil {
		t.Fatal(err)
	}
	task, err := e.client.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn})
	if err != nil || task.TaskToken != nil || task.Input != nil {
		t.Errorf("empty poll = %+v, %v", task, err)
	}
}

// TestPollAfterDeleteActivity: GetActivityTask keeps activity records in a
// cache; a deleted activity answers ActivityDoesNotExist at once.
func TestPollAfterDeleteActivity(t *testing.T) {
	e := newEnv(t, envOptions{pollWait: time.Millisecond})
	ctx := context.Background()
	act, err := e.client.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("gone")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.DeleteActivity(ctx, &sfn.DeleteActivityInput{ActivityArn: act.ActivityArn}); err != nil {
		t.Fatal(err)
	}
	var noAct *types.ActivityDoesNotExist
	if _, err := e.client.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn}); !errors.As(err, &noAct) {
		t.Fatalf("poll of a deleted activity: %v, want ActivityDoesNotExist", err)
	}
}

// TestStopPolls checks that polls end at once after StopPolls, however long
// their wait.
func TestStopPolls(t *testing.T) {
	e := newEnv(t, envOptions{pollWait: time.Hour})
	ctx := context.Background()
	act, err := e.client.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("draining")})
	if err != nil {
		t.Fatal(err)
	}
	e.handler.StopPolls()
	task, err := e.client.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn})
	if err != nil || task.TaskToken != nil {
		t.Errorf("poll after StopPolls = %+v, %v", task, err)
	}
	// Other actions are unaffected.
	if _, err := e.client.ListActivities(ctx, &sfn.ListActivitiesInput{}); err != nil {
		t.Error(err)
	}
}
