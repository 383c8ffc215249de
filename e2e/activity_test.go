package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/runner"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/sqlite"
)

// TestActivityStartedSurvivesCrash: a task claimed in the store on its
// own, without ActivityStarted, as runner.GetActivityTask still does when
// the claim cannot ride on the execution's commit (the execution did not
// record the start, or its commit failed), and as it did for every poll
// before 9ddefe2. If the process dies before the start is recorded, the
// worker holds a token whose start was never recorded: its SendTaskSuccess
// (to the next process) then completes the task, and the history has
// ActivityScheduled followed by ActivitySucceeded, with no ActivityStarted.
// (The task also stays claimed, so a worker that lost the answer never
// sees it again.)
//
// The test plays the dying process with store.ClaimActivityTask. Fixed by
// ec33555 (a worker's answer records a missing ActivityStarted); a
// regression test.
func TestActivityStartedSurvivesCrash(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	activity := "arn:aws:states:us-east-1:123456789012:activity:work"
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + activity + `","End":true}}}`
	p := &service.StartParams{
		ExecutionARN: "arn:aws:states:us-east-1:123456789012:execution:sm:x", Name: "x",
		StateMachineARN: "arn:aws:states:us-east-1:123456789012:stateMachine:sm", Type: store.TypeStandard,
		Definition: def, RoleARN: "arn:aws:iam::123456789012:role/r", Input: `{"job":1}`,
	}

	s, err := sqlite.Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := runner.New(runner.Config{Store: s})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.StartExecution(ctx, p); err != nil {
		t.Fatal(err)
	}
	task, err := s.ClaimActivityTask(ctx, &store.ClaimActivityTaskParams{ActivityARN: activity, WorkerName: "w1", Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	r.Close() // dies after answering the worker, before ActivityStarted is committed
	s.Close()

	s, err = sqlite.Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r, err = runner.New(runner.Config{Store: s})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.SendTaskSuccess(ctx, task.TaskToken, `{"done":1}`); err != nil {
		t.Fatalf("SendTaskSuccess after the restart: %v", err)
	}
	var types []string
	worker := ""
	for _, e := range storedHistory(t, s, p.ExecutionARN) {
		types = append(types, string(e.Type))
		if d := e.ActivityStartedEventDetails; d != nil && d.WorkerName != nil {
			worker = *d.WorkerName
		}
	}
	got := strings.Join(types, " ")
	want := "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted ActivitySucceeded TaskStateExited ExecutionSucceeded"
	if got != want {
		t.Errorf("history after the restart:\n got  %s\n want %s", got, want)
	}
	if worker != "w1" {
		t.Errorf("ActivityStarted names worker %q, want the one that claimed the task, w1", worker)
	}
}
