package sqlite

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/memory"
)

// FuzzDifferential applies the same random operations to the memory store
// and to the SQLite store and fails when their answers differ: the memory
// store is the model the SQLite store must agree with.
func FuzzDifferential(f *testing.F) {
	f.Add([]byte{0, 1, 3, 0, 9, 4, 5, 2, 1, 1, 1, 2, 0, 0, 1, 6, 2})
	f.Add([]byte{0, 0, 0, 2, 0, 1, 2, 0, 2, 1, 7, 0, 0, 1})
	f.Add([]byte{10, 1, 0, 10, 2, 0, 10, 3, 1, 11, 1, 0, 11, 3, 0, 12, 0, 1})
	f.Add([]byte{0, 2, 1, 0, 3, 0, 1, 2, 1, 9, 2, 5, 13, 0, 2})
	// One SQLite store, emptied before each input; without fsync, since this
	// test is about answers, not durability.
	lite, err := Open(f.Context(), f.TempDir(), &Options{synchronous: "OFF"})
	if err != nil {
		f.Fatal(err)
	}
	defer lite.Close()
	f.Fuzz(func(t *testing.T, program []byte) {
		if len(program) > 300 {
			return
		}
		if err := lite.write(t.Context(), func(w *wtx) error {
			for _, table := range []string{"executions", "execution_inputs", "history", "outbox", "inbox", "activity_tasks"} {
				if _, err := w.tx.Exec("DELETE FROM " + table); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		mem := memory.New()
		defer mem.Close()
		for pc := 0; pc+2 < len(program); pc += 3 {
			op, a, b := program[pc], program[pc+1], program[pc+2]
			got, gotErr := step(t, lite, op, a, b)
			want, wantErr := step(t, mem, op, a, b)
			if class(gotErr) != class(wantErr) {
				t.Fatalf("op %d (%d %d %d): sqlite error %v, memory error %v", pc/3, op, a, b, gotErr, wantErr)
			}
			if !equalNormalized(got, want) {
				t.Fatalf("op %d (%d %d %d):\nsqlite %+v\nmemory %+v", pc/3, op, a, b, got, want)
			}
		}
	})
}

var base = time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)

func sec(n byte) time.Time { return base.Add(time.Duration(n) * time.Second) }

func arnOf(n byte) string { return fmt.Sprintf("arn:aws:states:us-east-1:1:execution:sm:e%d", n%4) }

// step applies one operation and returns what a caller could observe.
func step(t *testing.T, s store.Store, op, a, b byte) (any, error) {
	ctx := t.Context()
	statuses := []string{store.StatusRunning, store.StatusSucceeded, store.StatusFailed}
	switch op % 14 {
	case 0: // start an execution
		e := store.Execution{ARN: arnOf(a), StateMachineARN: "arn:sm", Name: fmt.Sprint("e", a%4), Status: store.StatusRunning,
			StartDate: sec(b % 3), Input: []byte{b}, Snapshot: []byte{a}}
		return nil, s.Commit(ctx, &store.Batch{Shard: int(b % 3), Executions: []store.ExecutionWrite{{Execution: e}}})
	case 1: // write an execution at some version
		e := store.Execution{ARN: arnOf(a), Status: statuses[b%3], StopDate: sec(b), Output: []byte{b}, Snapshot: []byte{a, b}}
		return nil, s.Commit(ctx, &store.Batch{Executions: []store.ExecutionWrite{{Execution: e, ExpectedVersion: int64(b % 4)}}})
	case 2: // append history
		c := store.HistoryChunk{ExecutionARN: arnOf(a), FirstEventID: int64(b%6) + 1, LastEventID: int64(b%6) + 1 + int64(a%3), Events: []byte{a, b}}
		return nil, s.Commit(ctx, &store.Batch{History: []store.HistoryChunk{c}})
	case 3: // insert an outbox row, a timer when b is odd
		r := store.OutboxRow{ID: fmt.Sprint("o", a%6), ExecutionARN: arnOf(a), Kind: "k", Payload: []byte{b}}
		if b%2 == 1 {
			r.DueAt = sec(b % 5)
		}
		return nil, s.Commit(ctx, &store.Batch{Shard: int(b % 2), OutboxInserts: []store.OutboxRow{r}})
	case 4:
		return nil, s.Commit(ctx, &store.Batch{OutboxDeletes: []string{fmt.Sprint("o", a%6)}})
	case 5:
		return s.ClaimDueTimers(ctx, &store.ClaimDueTimersParams{Now: sec(a % 6), ClaimFor: time.Duration(b%3) * time.Second, Limit: int(b % 3)})
	case 6:
		return listAll(func(token string) (*store.Page[store.OutboxRow], error) {
			return s.ListOutbox(ctx, &store.ListOutboxParams{ListParams: store.ListParams{Limit: int(a%3) + 1, NextToken: token}})
		})
	case 7:
		return s.ReadHistory(ctx, &store.ReadHistoryParams{ExecutionARN: arnOf(a), FromEventID: int64(b % 6), Reverse: b%2 == 1, Limit: int(a % 3)})
	case 8:
		return s.GetExecution(ctx, arnOf(a))
	case 9: // a batch whose later part may fail
		e := store.Execution{ARN: arnOf(a), Status: store.StatusRunning, Snapshot: []byte{9}}
		return nil, s.Commit(ctx, &store.Batch{
			Executions:    []store.ExecutionWrite{{Execution: e, ExpectedVersion: int64(a % 3)}},
			OutboxInserts: []store.OutboxRow{{ID: fmt.Sprint("o", b%6), ExecutionARN: e.ARN}},
			OutboxDeletes: []string{fmt.Sprint("o", a%6)},
		})
	case 10: // enqueue an activity task
		task := store.ActivityTask{TaskToken: fmt.Sprint("t", a%4), ActivityARN: fmt.Sprint("arn:act", b%2), ExecutionARN: arnOf(a), CreatedAt: sec(a)}
		return nil, s.Commit(ctx, &store.Batch{ActivityTasks: []store.ActivityTask{task}})
	case 11:
		if b%2 == 0 {
			return s.ClaimActivityTask(ctx, &store.ClaimActivityTaskParams{ActivityARN: fmt.Sprint("arn:act", a%2), WorkerName: "w", Now: sec(b)})
		}
		return nil, s.Commit(ctx, &store.Batch{ActivityTaskDeletes: []string{fmt.Sprint("t", a%4)}})
	case 12: // inbox
		switch b % 3 {
		case 0:
			return nil, s.Commit(ctx, &store.Batch{InboxInserts: []store.InboxRow{{ID: fmt.Sprint("i", a%4), ExecutionARN: arnOf(a), CreatedAt: sec(a)}}})
		case 1:
			return nil, s.Commit(ctx, &store.Batch{InboxDeletes: []string{fmt.Sprint("i", a%4)}})
		}
		return listAll(func(token string) (*store.Page[store.InboxRow], error) {
			return s.ListInbox(ctx, &store.ListInboxParams{ExecutionARN: arnOf(a), ListParams: store.ListParams{Limit: 1, NextToken: token}})
		})
	default:
		status := ""
		if b%2 == 1 {
			status = statuses[a%3]
		}
		executions, err := listAll(func(token string) (*store.Page[store.Execution], error) {
			return s.ListExecutions(ctx, &store.ListExecutionsParams{StateMachineARN: "arn:sm", Status: status, ListParams: store.ListParams{Limit: int(a%2) + 1, NextToken: token}})
		})
		if err != nil {
			return nil, err
		}
		running, err := listAll(func(token string) (*store.Page[store.Execution], error) {
			return s.ListRunningExecutions(ctx, &store.ListRunningExecutionsParams{ListParams: store.ListParams{Limit: 2, NextToken: token}})
		})
		return []any{executions, running}, err
	}
}

func listAll[T any](list func(token string) (*store.Page[T], error)) ([]T, error) {
	var all []T
	token := ""
	for range 100 {
		pg, err := list(token)
		if err != nil {
			return nil, err
		}
		all = append(all, pg.Items...)
		if token = pg.NextToken; token == "" {
			return all, nil
		}
	}
	return nil, errors.New("pagination does not end")
}

// class names the sentinel an error wraps.
func class(err error) string {
	for _, s := range []error{store.ErrNotFound, store.ErrAlreadyExists, store.ErrConflict, store.ErrInvalidArgument, store.ErrInvalidToken, store.ErrClosed} {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	if err != nil {
		return "other: " + err.Error()
	}
	return "nil"
}

// equalNormalized compares two results with empty and nil byte slices, and
// empty and nil slices, treated alike.
func equalNormalized(a, b any) bool {
	return reflect.DeepEqual(fmt.Sprintf("%+v", normal(a)), fmt.Sprintf("%+v", normal(b)))
}

func normal(v any) any {
	s := fmt.Sprintf("%#v", v)
	s = string(bytes.ReplaceAll([]byte(s), []byte("[]uint8(nil)"), []byte("[]uint8{}")))
	return s
}
