package memory_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/memory"
)

// A runtime records each step of an execution in one batch, guarded by the
// version it last wrote.
func Example() {
	ctx := context.Background()
	s := memory.New()
	defer s.Close()

	e := store.Execution{ARN: "arn:aws:states:us-east-1:1:execution:m:run", StateMachineARN: "arn:aws:states:us-east-1:1:stateMachine:m",
		Name: "run", Status: store.StatusRunning, Snapshot: []byte("state 1")}
	start := &store.Batch{
		Executions:    []store.ExecutionWrite{{Execution: e}}, // ExpectedVersion 0: create
		History:       []store.HistoryChunk{{ExecutionARN: e.ARN, FirstEventID: 1, LastEventID: 2, Events: []byte("[…]")}},
		OutboxInserts: []store.OutboxRow{{ID: "run/task/1", ExecutionARN: e.ARN, Kind: "task"}},
	}
	if err := s.Commit(ctx, start); err != nil {
		panic(err)
	}

	e.Status, e.Snapshot = store.StatusSucceeded, []byte("state 2")
	finish := &store.Batch{
		Executions:    []store.ExecutionWrite{{Execution: e, ExpectedVersion: 1}},
		History:       []store.HistoryChunk{{ExecutionARN: e.ARN, FirstEventID: 3, LastEventID: 4, Events: []byte("[…]")}},
		OutboxDeletes: []string{"run/task/1"}, // the task's result was consumed
	}
	fmt.Println(s.Commit(ctx, finish))
	fmt.Println(errors.Is(s.Commit(ctx, finish), store.ErrConflict)) // a replay is refused

	got, _ := s.GetExecution(ctx, e.ARN)
	fmt.Println(got.Status, got.Version)
	// Output:
	// <nil>
	// true
	// SUCCEEDED 2
}
