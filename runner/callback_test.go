package runner

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/value"
)

const activityARN = "arn:aws:states:us-east-1:123456789012:activity:work"

func TestActivityRoundTrip(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	w := newWaiter()
	r := newRunner(t, Config{Store: s, OnCommit: w.onCommit})
	defer r.Close()
	ctx := context.Background()
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + activityARN + `","HeartbeatSeconds":60,"End":true}}}`
	p := params("a", def, `{"job":7}`)
	if _, err := r.StartExecution(ctx, p); err != nil {
		t.Fatal(err)
	}
	task, err := r.GetActivityTask(ctx, activityARN, "worker-1", time.Minute)
	if err != nil || task == nil {
		t.Fatalf("GetActivityTask: %v %v", task, err)
	}
	if string(task.Input) != `{"job":7}` {
		t.Fatalf("input %s", task.Input)
	}
	// Nobody else gets it: a second poll with a short wait returns nothing.
	if again, err := r.GetActivityTask(ctx, activityARN, "worker-2", time.Millisecond); err != nil || again != nil {
		t.Fatalf("second poll: %v %v", again, err)
	}
	if err := r.SendTaskHeartbeat(ctx, task.Token); err != nil {
		t.Fatal(err)
	}
	if err := r.SendTaskSuccess(ctx, task.Token, `{"done":7}`); err != nil {
		t.Fatal(err)
	}
	if st := w.wait(t, p.ExecutionARN); st != "SUCCEEDED" {
		t.Fatalf("status %s", st)
	}
	if err := r.SendTaskSuccess(ctx, task.Token, `{}`); !errors.Is(err, ErrTaskDoesNotExist) {
		t.Fatalf("second SendTaskSuccess: %v", err)
	}
	if err := r.SendTaskFailure(ctx, "not-a-token", "E", "c"); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("bad token: %v", err)
	}
	var types []string
	for _, e := range readHistory(t, s, p.ExecutionARN) {
		types = append(types, e.Type)
	}
	want := "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted ActivitySucceeded TaskStateExited ExecutionSucceeded"
	if got := joinTypes(types); got != want {
		t.Fatalf("history %s", got)
	}
	if w := readHistory(t, s, p.ExecutionARN)[3].Details.(*history.ActivityStartedDetails).WorkerName; w != "worker-1" {
		t.Fatalf("worker %q", w)
	}
}

func TestLongPollWakesOnEnqueue(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	r := newRunner(t, Config{Store: s})
	defer r.Close()
	ctx := context.Background()
	got := make(chan *ActivityTask, 1)
	go func() {
		task, _ := r.GetActivityTask(ctx, activityARN, "w", time.Minute)
		got <- task
	}()
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + activityARN + `","End":true}}}`
	if _, err := r.StartExecution(ctx, params("lp", def, `{}`)); err != nil {
		t.Fatal(err)
	}
	select {
	case task := <-got:
		if task == nil {
			t.Fatal("poller returned no task")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("poller was not woken")
	}
}

func TestWaitForTaskTokenCallback(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	w := newWaiter()
	tokens := make(chan string, 1)
	tasks := taskFunc(func(ctx context.Context, req *engine.TaskRequest) (any, error) {
		tokens <- req.Token // a real integration would hand the token to someone
		return value.MustParse(`{"MessageId":"m-1"}`), nil
	})
	r := newRunner(t, Config{Store: s, OnCommit: w.onCommit, Tasks: tasks})
	defer r.Close()
	ctx := context.Background()
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		"Parameters":{"MessageBody.$":"$$.Task.Token"},"End":true}}}`
	p := params("cb", def, `{}`)
	if _, err := r.StartExecution(ctx, p); err != nil {
		t.Fatal(err)
	}
	token := <-tokens
	if err := r.SendTaskFailure(ctx, token, "Nope", "rejected"); err != nil {
		t.Fatal(err)
	}
	if st := w.wait(t, p.ExecutionARN); st != "FAILED" {
		t.Fatalf("status %s", st)
	}
	rec, _ := s.GetExecution(ctx, p.ExecutionARN)
	if rec.Error != "Nope" || rec.Cause != "rejected" {
		t.Fatalf("error %s %s", rec.Error, rec.Cause)
	}
	page, err := s.ListOutbox(ctx, &store.ListOutboxParams{})
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("outbox rows left: %+v %v", page, err)
	}
}

func joinTypes(ts []string) string {
	out := ""
	for i, t := range ts {
		if i > 0 {
			out += " "
		}
		out += t
	}
	return out
}
