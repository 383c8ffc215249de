package storetest

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

// parallel runs f(i) for i in [0, n) on n goroutines and reports the first
// error.
func parallel(t *testing.T, n int, f func(i int) error) {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = f(i) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

var concurrencyTests = map[string]func(*testing.T, store.Store){
	"IndependentCommits": func(t *testing.T, s store.Store) {
		const workers, commits = 16, 20
		parallel(t, workers, func(w int) error {
			e := newExecution(smARN("a"), fmt.Sprintf("w%d", w), at(w))
			for v := range int64(commits) {
				b := &store.Batch{
					Executions:    []store.ExecutionWrite{{Execution: e, ExpectedVersion: v}},
					OutboxInserts: []store.OutboxRow{{ID: fmt.Sprintf("w%d-%d", w, v), ExecutionARN: e.ARN}},
				}
				if v > 0 {
					b.History = []store.HistoryChunk{{ExecutionARN: e.ARN, FirstEventID: v, LastEventID: v}}
				}
				e.Snapshot = fmt.Appendf(nil, "w%d-%d", w, v)
				b.Executions[0].Execution = e
				if err := s.Commit(ctx(t), b); err != nil {
					return fmt.Errorf("worker %d commit %d: %w", w, v, err)
				}
			}
			return nil
		})
		for w := range workers {
			e := getExecution(t, s, execARN(smARN("a"), fmt.Sprintf("w%d", w)))
			if e.Version != commits || string(e.Snapshot) != fmt.Sprintf("w%d-%d", w, commits-1) {
				t.Fatalf("worker %d: version %d snapshot %q", w, e.Version, e.Snapshot)
			}
			h, err := s.ReadHistory(ctx(t), &store.ReadHistoryParams{ExecutionARN: e.ARN, Limit: store.MaxLimit})
			mustNil(t, err, "history")
			if len(h) != commits-1 {
				t.Fatalf("worker %d: %d chunks", w, len(h))
			}
		}
		rows := collect(t, 50, func(p store.ListParams) (*store.Page[store.OutboxRow], error) {
			return s.ListOutbox(ctx(t), &store.ListOutboxParams{ListParams: p})
		})
		if len(rows) != workers*commits {
			t.Fatalf("%d outbox rows, want %d", len(rows), workers*commits)
		}
	},
	"ContendedExecution": func(t *testing.T, s store.Store) {
		const workers, increments = 8, 10
		arn := startExecution(t, s, smARN("a"), "shared", at(0)).ARN
		var mu sync.Mutex
		conflicts := 0
		parallel(t, workers, func(w int) error {
			for done := 0; done < increments; {
				e, err := s.GetExecution(ctx(t), arn)
				if err != nil {
					return err
				}
				b := &store.Batch{
					Executions: []store.ExecutionWrite{{Execution: *e, ExpectedVersion: e.Version}},
					History:    []store.HistoryChunk{{ExecutionARN: arn, FirstEventID: e.Version, LastEventID: e.Version, Events: fmt.Appendf(nil, "w%d", w)}},
				}
				switch err := s.Commit(ctx(t), b); {
				case err == nil:
					done++
				case errors.Is(err, store.ErrConflict):
					mu.Lock()
					conflicts++
					mu.Unlock()
				default:
					return err
				}
			}
			return nil
		})
		e := getExecution(t, s, arn)
		if e.Version != 1+workers*increments {
			t.Fatalf("version %d after %d increments (%d conflicts)", e.Version, workers*increments, conflicts)
		}
		h, err := s.ReadHistory(ctx(t), &store.ReadHistoryParams{ExecutionARN: arn, Limit: store.MaxLimit})
		mustNil(t, err, "history")
		for i, c := range h {
			if c.FirstEventID != int64(i+1) {
				t.Fatalf("chunk %d starts at %d", i, c.FirstEventID)
			}
		}
		if len(h) != workers*increments {
			t.Fatalf("%d chunks", len(h))
		}
	},
	"ContendedHistory": func(t *testing.T, s store.Store) {
		// History-only commits race for the next event id; exactly one wins
		// each position and the history stays contiguous.
		const workers, appends = 6, 8
		arn := startExecution(t, s, smARN("a"), "shared", at(0)).ARN
		parallel(t, workers, func(w int) error {
			for done := 0; done < appends; {
				h, err := s.ReadHistory(ctx(t), &store.ReadHistoryParams{ExecutionARN: arn, Reverse: true, Limit: 1})
				if err != nil {
					return err
				}
				next := int64(1)
				if len(h) == 1 {
					next = h[0].LastEventID + 1
				}
				c := store.HistoryChunk{ExecutionARN: arn, FirstEventID: next, LastEventID: next + int64(w%2), Events: fmt.Appendf(nil, "w%d", w)}
				switch err := s.Commit(ctx(t), &store.Batch{History: []store.HistoryChunk{c}}); {
				case err == nil:
					done++
				case !errors.Is(err, store.ErrConflict):
					return err
				}
			}
			return nil
		})
		h, err := s.ReadHistory(ctx(t), &store.ReadHistoryParams{ExecutionARN: arn, Limit: store.MaxLimit})
		mustNil(t, err, "history")
		if len(h) != workers*appends {
			t.Fatalf("%d chunks, want %d", len(h), workers*appends)
		}
		next := int64(1)
		for _, c := range h {
			if c.FirstEventID != next {
				t.Fatalf("chunk starts at %d, want %d", c.FirstEventID, next)
			}
			next = c.LastEventID + 1
		}
	},
	"ClaimActivityTaskOnce": func(t *testing.T, s store.Store) {
		const tasks, pollers = 60, 8
		b := &store.Batch{}
		for i := range tasks {
			b.ActivityTasks = append(b.ActivityTasks, activityTask(fmt.Sprintf("t%02d", i), "w", i))
		}
		mustNil(t, s.Commit(ctx(t), b), "enqueue")
		claimed := make([][]string, pollers)
		parallel(t, pollers, func(p int) error {
			for {
				task, err := s.ClaimActivityTask(ctx(t), &store.ClaimActivityTaskParams{ActivityARN: activityARN("w"), WorkerName: fmt.Sprint(p), Now: at(1)})
				if errors.Is(err, store.ErrNotFound) {
					return nil
				}
				if err != nil {
					return err
				}
				claimed[p] = append(claimed[p], task.TaskToken)
			}
		})
		mustClaimOnce(t, claimed, tasks)
	},
	"ClaimActivityTaskInBatchOnce": func(t *testing.T, s store.Store) {
		// As several runner nodes do: some pollers list the queue and claim
		// its oldest task in a commit of their own execution, which fails
		// with ErrClaimLost (applying nothing) if another got it first;
		// others claim with ClaimActivityTask.
		const tasks, pollers = 60, 8
		b := &store.Batch{}
		for i := range tasks {
			b.ActivityTasks = append(b.ActivityTasks, activityTask(fmt.Sprintf("t%02d", i), "w", i))
		}
		mustNil(t, s.Commit(ctx(t), b), "enqueue")
		claimed := make([][]string, pollers)
		var lost atomic.Int64
		parallel(t, pollers, func(p int) error {
			worker := fmt.Sprint(p)
			if p%2 == 0 {
				for {
					task, err := s.ClaimActivityTask(ctx(t), &store.ClaimActivityTaskParams{ActivityARN: activityARN("w"), WorkerName: worker, Now: at(1)})
					if errors.Is(err, store.ErrNotFound) {
						return nil
					}
					if err != nil {
						return err
					}
					claimed[p] = append(claimed[p], task.TaskToken)
				}
			}
			e := newExecution(smARN("a"), "p"+worker, at(0))
			if err := s.Commit(ctx(t), &store.Batch{Executions: []store.ExecutionWrite{{Execution: e}}}); err != nil {
				return err
			}
			for version := int64(1); ; {
				pg, err := s.ListQueuedActivityTasks(ctx(t), &store.ListQueuedActivityTasksParams{ActivityARN: activityARN("w"), ListParams: store.ListParams{Limit: 1}})
				if err != nil {
					return err
				}
				if len(pg.Items) == 0 {
					return nil
				}
				token := pg.Items[0].TaskToken
				err = s.Commit(ctx(t), &store.Batch{Executions: []store.ExecutionWrite{{Execution: e, ExpectedVersion: version}},
					ActivityTaskClaims: []store.ActivityTaskClaim{{TaskToken: token, WorkerName: worker, ClaimedAt: at(1)}}})
				switch {
				case err == nil:
					claimed[p] = append(claimed[p], token)
					version++
				case errors.Is(err, store.ErrClaimLost):
					lost.Add(1)
				default:
					return err
				}
			}
		})
		t.Logf("%d claims lost", lost.Load())
		mustClaimOnce(t, claimed, tasks)
		for p, tokens := range claimed {
			for _, token := range tokens {
				task, err := s.GetActivityTask(ctx(t), token)
				mustNil(t, err, "get "+token)
				if !task.Claimed || task.WorkerName != fmt.Sprint(p) {
					t.Fatalf("%s: claimed %v by %q, want %d", token, task.Claimed, task.WorkerName, p)
				}
			}
			if p%2 == 1 {
				if v := getExecution(t, s, execARN(smARN("a"), fmt.Sprint("p", p))).Version; v != int64(1+len(tokens)) {
					t.Fatalf("poller %d: version %d after %d claims: a lost claim applied its batch", p, v, len(tokens))
				}
			}
		}
	},
	"ClaimTimerOnce": func(t *testing.T, s store.Store) {
		const timers, claimers = 60, 8
		b := &store.Batch{}
		for i := range timers {
			b.OutboxInserts = append(b.OutboxInserts, outboxRow(fmt.Sprintf("t%02d", i), at(i%5)))
		}
		mustNil(t, s.Commit(ctx(t), b), "arm")
		claimed := make([][]string, claimers)
		parallel(t, claimers, func(c int) error {
			for {
				rows, err := s.ClaimDueTimers(ctx(t), &store.ClaimDueTimersParams{Now: at(10), ClaimFor: time.Hour, Limit: 3})
				if err != nil {
					return err
				}
				if len(rows) == 0 {
					return nil
				}
				claimed[c] = append(claimed[c], ids(rows, outboxID)...)
			}
		})
		mustClaimOnce(t, claimed, timers)
	},
}

func mustClaimOnce(t *testing.T, claimed [][]string, want int) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range claimed {
		for _, id := range c {
			if seen[id] {
				t.Fatalf("%s claimed twice", id)
			}
			seen[id] = true
		}
	}
	if len(seen) != want {
		t.Fatalf("%d claimed, want %d", len(seen), want)
	}
}

var lifecycleTests = map[string]func(*testing.T, store.Store){
	"Closed": func(t *testing.T, s store.Store) {
		createMachine(t, s, "a")
		mustNil(t, s.Close(), "close")
		_, err := s.GetStateMachine(ctx(t), smARN("a"))
		mustIs(t, err, store.ErrClosed, "get after close")
		mustIs(t, s.Commit(ctx(t), fullBatch("x")), store.ErrClosed, "commit after close")
		_, err = s.CreateActivity(ctx(t), &store.CreateActivityParams{Activity: newActivity("a")})
		mustIs(t, err, store.ErrClosed, "create after close")
	},
	"ReturnedRecordsAreCopies": func(t *testing.T, s store.Store) {
		b := fullBatch("x")
		mustNil(t, s.Commit(ctx(t), b), "commit")
		b.Executions[0].Execution.Snapshot[0] = 'X' // the caller's slice is not the store's
		e := getExecution(t, s, b.Executions[0].Execution.ARN)
		if len(e.Input) == 0 {
			t.Fatalf("input not read back: %+v", e)
		}
		e.Input[0] = 'X'
		again := getExecution(t, s, e.ARN)
		if string(again.Snapshot) != "snapshot-1" || string(again.Input) != `{"in":1}` {
			t.Fatalf("store shares memory with callers: %q %q", again.Snapshot, again.Input)
		}
	},
}
