package storetest

import (
	"context"
	"testing"

	"github.com/stepwise-run/stepwise/store"
)

// fullBatch returns a batch that creates an execution of machine "a" and
// records one of everything beside it.
func fullBatch(name string) *store.Batch {
	e := newExecution(smARN("a"), name, at(1))
	return &store.Batch{
		Executions:    []store.ExecutionWrite{{Execution: e}},
		History:       []store.HistoryChunk{{ExecutionARN: e.ARN, FirstEventID: 1, LastEventID: 2, Events: []byte("e1e2")}},
		OutboxInserts: []store.OutboxRow{{ID: name + "-task", ExecutionARN: e.ARN, Kind: "task", Payload: []byte("p")}, {ID: name + "-timer", ExecutionARN: e.ARN, Kind: "timer", DueAt: at(5)}},
		InboxInserts:  []store.InboxRow{{ID: name + "-in", ExecutionARN: e.ARN, Kind: "stop", CreatedAt: at(1)}},
		ActivityTasks: []store.ActivityTask{{TaskToken: name + "-token", ActivityARN: activityARN("w"), ExecutionARN: e.ARN, Input: []byte("{}"), CreatedAt: at(1)}},
	}
}

// mustBeEmpty fails unless nothing of fullBatch(name) is in s.
func mustBeEmpty(t *testing.T, s store.Store, name string) {
	t.Helper()
	arn := execARN(smARN("a"), name)
	_, err := s.GetExecution(ctx(t), arn)
	mustIs(t, err, store.ErrNotFound, "execution of a failed batch")
	out, err := s.ListOutbox(ctx(t), &store.ListOutboxParams{})
	mustNil(t, err, "list outbox")
	for _, r := range out.Items {
		if r.ExecutionARN == arn {
			t.Fatalf("outbox row of a failed batch: %+v", r)
		}
	}
	timers, err := s.ClaimDueTimers(ctx(t), &store.ClaimDueTimersParams{Now: at(100)})
	mustNil(t, err, "claim timers")
	for _, r := range timers {
		if r.ExecutionARN == arn {
			t.Fatalf("timer of a failed batch: %+v", r)
		}
	}
	in, err := s.ListInbox(ctx(t), &store.ListInboxParams{ExecutionARN: arn})
	mustNil(t, err, "list inbox")
	if len(in.Items) != 0 {
		t.Fatalf("inbox rows of a failed batch: %+v", in.Items)
	}
	_, err = s.GetActivityTask(ctx(t), name+"-token")
	mustIs(t, err, store.ErrNotFound, "activity task of a failed batch")
}

var commitTests = map[string]func(*testing.T, store.Store){
	"AppliesEverything": func(t *testing.T, s store.Store) {
		mustNil(t, s.Commit(ctx(t), fullBatch("x")), "commit")
		arn := execARN(smARN("a"), "x")
		getExecution(t, s, arn)
		h, err := s.ReadHistory(ctx(t), &store.ReadHistoryParams{ExecutionARN: arn})
		mustNil(t, err, "history")
		if len(h) != 1 {
			t.Fatalf("history %+v", h)
		}
		out, err := s.ListOutbox(ctx(t), &store.ListOutboxParams{})
		mustNil(t, err, "outbox")
		if len(out.Items) != 1 {
			t.Fatalf("outbox %+v", out.Items)
		}
		in, err := s.ListInbox(ctx(t), &store.ListInboxParams{})
		mustNil(t, err, "inbox")
		if len(in.Items) != 1 {
			t.Fatalf("inbox %+v", in.Items)
		}
		_, err = s.GetActivityTask(ctx(t), "x-token")
		mustNil(t, err, "task")
	},
	"FailingPartLeavesNothing": func(t *testing.T, s store.Store) {
		// Rows that already exist, so that later parts of a batch can fail.
		mustNil(t, s.Commit(ctx(t), fullBatch("old")), "setup")
		old := execARN(smARN("a"), "old")
		failures := []struct {
			name string
			want error
			edit func(b *store.Batch)
		}{
			{"stale version", store.ErrConflict, func(b *store.Batch) {
				b.Executions = append(b.Executions, store.ExecutionWrite{Execution: newExecution(smARN("a"), "old", at(1)), ExpectedVersion: 7})
			}},
			{"history gap", store.ErrConflict, func(b *store.Batch) {
				b.History = append(b.History, store.HistoryChunk{ExecutionARN: old, FirstEventID: 4, LastEventID: 4})
			}},
			{"history of missing execution", store.ErrNotFound, func(b *store.Batch) {
				b.History = append(b.History, store.HistoryChunk{ExecutionARN: old + "-missing", FirstEventID: 1, LastEventID: 1})
			}},
			{"duplicate outbox id", store.ErrAlreadyExists, func(b *store.Batch) {
				b.OutboxInserts = append(b.OutboxInserts, store.OutboxRow{ID: "old-task", ExecutionARN: old})
			}},
			{"consumed outbox row", store.ErrConflict, func(b *store.Batch) { b.OutboxDeletes = []string{"old-task", "gone"} }},
			{"duplicate inbox id", store.ErrAlreadyExists, func(b *store.Batch) {
				b.InboxInserts = append(b.InboxInserts, store.InboxRow{ID: "old-in", ExecutionARN: old})
			}},
			{"consumed inbox row", store.ErrConflict, func(b *store.Batch) { b.InboxDeletes = []string{"old-in", "gone"} }},
			{"duplicate task token", store.ErrAlreadyExists, func(b *store.Batch) {
				b.ActivityTasks = append(b.ActivityTasks, store.ActivityTask{TaskToken: "old-token", ActivityARN: activityARN("w")})
			}},
			{"consumed task", store.ErrConflict, func(b *store.Batch) { b.ActivityTaskDeletes = []string{"old-token", "gone"} }},
			{"invalid", store.ErrInvalidArgument, func(b *store.Batch) {
				b.History = append(b.History, store.HistoryChunk{ExecutionARN: old, FirstEventID: 5, LastEventID: 4})
			}},
		}
		for _, f := range failures {
			b := fullBatch("new")
			f.edit(b)
			mustIs(t, s.Commit(ctx(t), b), f.want, f.name)
			mustBeEmpty(t, s, "new")
			// What the failing batch tried to delete or advance is intact.
			if e := getExecution(t, s, old); e.Version != 1 {
				t.Fatalf("%s: old execution at version %d", f.name, e.Version)
			}
			_, err := s.GetActivityTask(ctx(t), "old-token")
			mustNil(t, err, f.name+": old task")
			in, err := s.ListInbox(ctx(t), &store.ListInboxParams{ExecutionARN: old})
			mustNil(t, err, "inbox")
			if len(in.Items) != 1 {
				t.Fatalf("%s: old inbox row lost", f.name)
			}
		}
		// The same batch with the failure removed succeeds.
		mustNil(t, s.Commit(ctx(t), fullBatch("new")), "clean batch")
	},
	"CreateAndAppendInOneBatch": func(t *testing.T, s store.Store) {
		b := fullBatch("x")
		b.History = append(b.History, store.HistoryChunk{ExecutionARN: b.Executions[0].Execution.ARN, FirstEventID: 3, LastEventID: 3})
		b.OutboxDeletes = []string{"x-task"} // consumed in the batch that made it
		mustNil(t, s.Commit(ctx(t), b), "commit")
		out, err := s.ListOutbox(ctx(t), &store.ListOutboxParams{})
		mustNil(t, err, "outbox")
		if len(out.Items) != 0 {
			t.Fatalf("outbox %+v", out.Items)
		}
	},
	"ManyExecutionsInOneBatch": func(t *testing.T, s store.Store) {
		a := startExecution(t, s, smARN("a"), "a", at(1))
		b := newExecution(smARN("a"), "b", at(2))
		a.Snapshot = []byte("a2")
		batch := &store.Batch{Executions: []store.ExecutionWrite{{Execution: a, ExpectedVersion: 1}, {Execution: b}}}
		mustNil(t, s.Commit(ctx(t), batch), "commit")
		if e := getExecution(t, s, a.ARN); e.Version != 2 || string(e.Snapshot) != "a2" {
			t.Fatalf("a: %+v", e)
		}
		getExecution(t, s, b.ARN)
	},
	"Invalid": func(t *testing.T, s store.Store) {
		bad := []*store.Batch{
			nil,
			{Executions: []store.ExecutionWrite{{}}},
			{Executions: []store.ExecutionWrite{{Execution: store.Execution{ARN: "x", Status: store.StatusRunning}}}},
			{History: []store.HistoryChunk{{ExecutionARN: "x", FirstEventID: 0, LastEventID: 1}}},
			{OutboxInserts: []store.OutboxRow{{ExecutionARN: "x"}}},
			{InboxInserts: []store.InboxRow{{ID: "i"}}},
			{ActivityTasks: []store.ActivityTask{{TaskToken: "t"}}},
		}
		for i, b := range bad {
			if err := s.Commit(ctx(t), b); !errorsIs(err, store.ErrInvalidArgument) {
				t.Fatalf("batch %d: error = %v, want ErrInvalidArgument", i, err)
			}
		}
	},
	"EmptyBatch": func(t *testing.T, s store.Store) {
		mustNil(t, s.Commit(ctx(t), &store.Batch{}), "empty batch")
	},
	"CancelledContext": func(t *testing.T, s store.Store) {
		c, cancel := context.WithCancel(ctx(t))
		cancel()
		if err := s.Commit(c, fullBatch("x")); err == nil {
			t.Fatal("commit with a cancelled context succeeded")
		}
		mustBeEmpty(t, s, "x")
	},
}
