package sqlite_test

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

// TestDurability commits one of everything, closes the store, reopens it
// and reads everything back.
func TestDurability(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := t.TempDir()
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	sm := store.StateMachine{ARN: "arn:sm", Name: "sm", Type: store.TypeExpress, Definition: "{}", RevisionID: "r", Status: store.StatusActive, CreationDate: at}
	exec := store.Execution{ARN: "arn:e", StateMachineARN: sm.ARN, Name: "e", Definition: "{}", Input: []byte(`{}`), StartDate: at, Status: store.StatusRunning, Snapshot: []byte("s")}
	batch := &store.Batch{
		Executions:    []store.ExecutionWrite{{Execution: exec}},
		History:       []store.HistoryChunk{{ExecutionARN: exec.ARN, FirstEventID: 1, LastEventID: 3, Events: []byte("h")}},
		OutboxInserts: []store.OutboxRow{{ID: "o", ExecutionARN: exec.ARN, Kind: "task"}, {ID: "t", ExecutionARN: exec.ARN, Kind: "timer", DueAt: at}},
		InboxInserts:  []store.InboxRow{{ID: "i", ExecutionARN: exec.ARN, Kind: "k", CreatedAt: at}},
		ActivityTasks: []store.ActivityTask{{TaskToken: "tok", ActivityARN: "arn:act", ExecutionARN: exec.ARN, CreatedAt: at}},
	}

	s := openStore(t, dir)
	res, err := s.CreateStateMachine(ctx, &store.CreateStateMachineParams{StateMachine: sm, Tags: []store.Tag{{Key: "k", Value: "v"}}, Publish: true})
	must(t, err)
	_, err = s.CreateAlias(ctx, &store.CreateAliasParams{Alias: store.Alias{ARN: "arn:sm:a", StateMachineARN: sm.ARN, Name: "a", CreationDate: at}})
	must(t, err)
	_, err = s.CreateActivity(ctx, &store.CreateActivityParams{Activity: store.Activity{ARN: "arn:act", Name: "act", CreationDate: at}})
	must(t, err)
	must(t, s.Commit(ctx, batch))
	claimed, err := s.ClaimActivityTask(ctx, &store.ClaimActivityTaskParams{ActivityARN: "arn:act", WorkerName: "w", Now: at})
	must(t, err)
	wantExec, err := s.GetExecution(ctx, exec.ARN)
	must(t, err)
	must(t, s.Close())

	s = openStore(t, dir)
	defer s.Close()
	gotSM, err := s.GetStateMachine(ctx, sm.ARN)
	must(t, err)
	equal(t, *gotSM, res.StateMachine)
	v, err := s.GetVersion(ctx, res.Version.ARN)
	must(t, err)
	equal(t, *v, *res.Version)
	_, err = s.GetAlias(ctx, "arn:sm:a")
	must(t, err)
	tags, err := s.ListTags(ctx, sm.ARN)
	must(t, err)
	equal(t, tags, []store.Tag{{Key: "k", Value: "v"}})
	_, err = s.GetActivity(ctx, "arn:act")
	must(t, err)
	gotExec, err := s.GetExecution(ctx, exec.ARN)
	must(t, err)
	equal(t, gotExec, wantExec)
	h, err := s.ReadHistory(ctx, &store.ReadHistoryParams{ExecutionARN: exec.ARN})
	must(t, err)
	equal(t, h, batch.History)
	out, err := s.ListOutbox(ctx, &store.ListOutboxParams{})
	must(t, err)
	if len(out.Items) != 1 || out.Items[0].ID != "o" {
		t.Fatalf("outbox after reopen: %+v", out.Items)
	}
	timers, err := s.ClaimDueTimers(ctx, &store.ClaimDueTimersParams{Now: at})
	must(t, err)
	if len(timers) != 1 || timers[0].ID != "t" {
		t.Fatalf("timers after reopen: %+v", timers)
	}
	in, err := s.ListInbox(ctx, &store.ListInboxParams{})
	must(t, err)
	if len(in.Items) != 1 {
		t.Fatalf("inbox after reopen: %+v", in.Items)
	}
	task, err := s.GetActivityTask(ctx, "tok")
	must(t, err)
	equal(t, task, claimed)
}

// TestCloseFinishesCommits closes the store while commits are in flight:
// each commit either succeeds, and is then found after reopening, or fails
// with ErrClosed and is not.
func TestCloseFinishesCommits(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := t.TempDir()
	s := openStore(t, dir)
	const n = 64
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			e := store.Execution{ARN: fmt.Sprint("e", i), StateMachineARN: "sm", Name: fmt.Sprint(i), Status: store.StatusRunning}
			errs[i] = s.Commit(ctx, &store.Batch{Executions: []store.ExecutionWrite{{Execution: e}}})
		})
	}
	must(t, s.Close())
	wg.Wait()

	s = openStore(t, dir)
	defer s.Close()
	for i, err := range errs {
		_, getErr := s.GetExecution(ctx, fmt.Sprint("e", i))
		switch {
		case err == nil && getErr != nil:
			t.Fatalf("acknowledged commit %d lost: %v", i, getErr)
		case errors.Is(err, store.ErrClosed) && !errors.Is(getErr, store.ErrNotFound):
			t.Fatalf("refused commit %d applied: %v", i, getErr)
		case err != nil && !errors.Is(err, store.ErrClosed):
			t.Fatalf("commit %d: %v", i, err)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func equal(t *testing.T, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}
