package storetest

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/internal/cursor"
)

var executionTests = map[string]func(*testing.T, store.Store){
	"CreateGet": func(t *testing.T, s store.Store) {
		want := newExecution(smARN("a"), "run", at(1))
		want.VersionARN, want.AliasARN = smARN("a")+":1", smARN("a")+":live"
		mustNil(t, s.Commit(ctx(t), &store.Batch{Shard: 3, Executions: []store.ExecutionWrite{{Execution: want}}}), "commit")
		want.Version, want.Shard = 1, 3
		mustEqual(t, *getExecution(t, s, want.ARN), want, "read back")
		_, err := s.GetExecution(ctx(t), execARN(smARN("a"), "nope"))
		mustIs(t, err, store.ErrNotFound, "missing")
	},
	"CreateIgnoresVersionAndShardFields": func(t *testing.T, s store.Store) {
		e := newExecution(smARN("a"), "run", at(1))
		e.Version, e.Shard = 42, 9
		mustNil(t, s.Commit(ctx(t), &store.Batch{Executions: []store.ExecutionWrite{{Execution: e}}}), "commit")
		got := getExecution(t, s, e.ARN)
		if got.Version != 1 || got.Shard != 0 {
			t.Fatalf("version %d shard %d, want 1 and 0", got.Version, got.Shard)
		}
	},
	"NamesAreUniqueForever": func(t *testing.T, s store.Store) {
		sm := smARN("a")
		e := startExecution(t, s, sm, "run", at(1))
		again := newExecution(sm, "run", at(2))
		err := s.Commit(ctx(t), &store.Batch{Executions: []store.ExecutionWrite{{Execution: again}}})
		mustIs(t, err, store.ErrAlreadyExists, "same ARN")
		again.ARN = e.ARN + "-other-arn"
		err = s.Commit(ctx(t), &store.Batch{Executions: []store.ExecutionWrite{{Execution: again}}})
		mustIs(t, err, store.ErrAlreadyExists, "same name in the same state machine")

		done := e
		done.Status, done.StopDate = store.StatusSucceeded, at(3)
		mustNil(t, s.Commit(ctx(t), &store.Batch{Executions: []store.ExecutionWrite{{Execution: done, ExpectedVersion: 1}}}), "finish")
		err = s.Commit(ctx(t), &store.Batch{Executions: []store.ExecutionWrite{{Execution: newExecution(sm, "run", at(4))}}})
		mustIs(t, err, store.ErrAlreadyExists, "reuse after finishing")

		startExecution(t, s, smARN("b"), "run", at(1)) // other machine: fine
	},
	"Update": func(t *testing.T, s store.Store) {
		e := startExecution(t, s, smARN("a"), "run", at(1))
		w := e
		w.Snapshot = []byte("snapshot-2")
		// Immutable fields in a write are ignored.
		w.Input, w.Name, w.Definition, w.StartDate, w.TraceHeader = []byte(`"changed"`), "changed", "changed", at(99), "changed"
		mustNil(t, s.Commit(ctx(t), &store.Batch{Executions: []store.ExecutionWrite{{Execution: w, ExpectedVersion: 1}}}), "update")
		want := e
		want.Snapshot, want.Version = []byte("snapshot-2"), 2
		mustEqual(t, *getExecution(t, s, e.ARN), want, "after update")

		w = want
		w.Status, w.StopDate, w.Output, w.Error, w.Cause = store.StatusFailed, at(5), []byte(`{"o":1}`), "E", "C"
		w.RedriveCount, w.RedriveDate = 2, at(6)
		mustNil(t, s.Commit(ctx(t), &store.Batch{Executions: []store.ExecutionWrite{{Execution: w, ExpectedVersion: 2}}}), "finish")
		w.Version = 3
		mustEqual(t, *getExecution(t, s, e.ARN), w, "after finish")
	},
	"StaleVersion": func(t *testing.T, s store.Store) {
		e := startExecution(t, s, smARN("a"), "run", at(1))
		mustNil(t, s.Commit(ctx(t), &store.Batch{Executions: []store.ExecutionWrite{{Execution: e, ExpectedVersion: 1}}}), "first update")
		for _, v := range []int64{1, 3} {
			err := s.Commit(ctx(t), &store.Batch{Executions: []store.ExecutionWrite{{Execution: e, ExpectedVersion: v}}})
			mustIs(t, err, store.ErrConflict, "expected version "+strconv.FormatInt(v, 10))
		}
		missing := newExecution(smARN("a"), "missing", at(1))
		err := s.Commit(ctx(t), &store.Batch{Executions: []store.ExecutionWrite{{Execution: missing, ExpectedVersion: 1}}})
		mustIs(t, err, store.ErrNotFound, "update of a missing execution")
	},
	"List": func(t *testing.T, s store.Store) {
		sm := smARN("a")
		var want []string // newest first; equal start dates in descending ARN order
		for i := range 9 {
			e := newExecution(sm, fmt.Sprintf("r%d", i), at(i/3))
			if i%2 == 0 {
				e.VersionARN = sm + ":1"
			}
			if i%3 == 0 {
				e.AliasARN = sm + ":live"
			}
			mustNil(t, s.Commit(ctx(t), &store.Batch{Executions: []store.ExecutionWrite{{Execution: e}}}), "start")
			want = append([]string{e.ARN}, want...)
		}
		startExecution(t, s, smARN("b"), "other", at(0))
		finish(t, s, execARN(sm, "r4"))

		for _, limit := range []int{1, 2, 4, 9, 20} {
			got := collect(t, limit, func(p store.ListParams) (*store.Page[store.Execution], error) {
				return s.ListExecutions(ctx(t), &store.ListExecutionsParams{StateMachineARN: sm, ListParams: p})
			})
			mustEqual(t, arns(got, func(e store.Execution) string { return e.ARN }), want, "limit "+strconv.Itoa(limit))
			for _, e := range got {
				if e.Snapshot != nil || e.Input != nil || e.Definition != "" {
					t.Fatalf("listed execution carries large fields: %+v", e)
				}
				if e.Name == "" || e.StartDate.IsZero() || e.Status == "" || e.Version == 0 {
					t.Fatalf("listed execution lacks summary fields: %+v", e)
				}
			}
		}
		filters := []struct {
			name string
			p    store.ListExecutionsParams
			want []int
		}{
			{"status running", store.ListExecutionsParams{Status: store.StatusRunning}, []int{8, 7, 6, 5, 3, 2, 1, 0}},
			{"status succeeded", store.ListExecutionsParams{Status: store.StatusSucceeded}, []int{4}},
			{"version", store.ListExecutionsParams{VersionARN: sm + ":1"}, []int{8, 6, 4, 2, 0}},
			{"alias", store.ListExecutionsParams{AliasARN: sm + ":live"}, []int{6, 3, 0}},
			{"alias and status", store.ListExecutionsParams{AliasARN: sm + ":live", Status: store.StatusRunning}, []int{6, 3, 0}},
			{"no match", store.ListExecutionsParams{Status: store.StatusAborted}, nil},
		}
		for _, f := range filters {
			var wantARNs []string
			for _, i := range f.want {
				wantARNs = append(wantARNs, execARN(sm, fmt.Sprintf("r%d", i)))
			}
			got := collect(t, 2, func(p store.ListParams) (*store.Page[store.Execution], error) {
				q := f.p
				q.StateMachineARN, q.ListParams = sm, p
				return s.ListExecutions(ctx(t), &q)
			})
			mustEqual(t, arns(got, func(e store.Execution) string { return e.ARN }), orEmpty(wantARNs), f.name)
		}
		_, err := s.ListExecutions(ctx(t), &store.ListExecutionsParams{})
		mustIs(t, err, store.ErrInvalidArgument, "no state machine")
		_, err = s.ListExecutions(ctx(t), &store.ListExecutionsParams{StateMachineARN: sm, ListParams: store.ListParams{NextToken: "x"}})
		mustIs(t, err, store.ErrInvalidToken, "bad token")
		forged := cursor.Encode("executions", "not a number", "arn")
		_, err = s.ListExecutions(ctx(t), &store.ListExecutionsParams{StateMachineARN: sm, ListParams: store.ListParams{NextToken: forged}})
		mustIs(t, err, store.ErrInvalidToken, "forged token")
	},
	"ListRunning": func(t *testing.T, s store.Store) {
		var want []string
		var wantShard1 []string
		for i := range 7 {
			e := newExecution(smARN("a"), fmt.Sprintf("r%d", i), at(i))
			mustNil(t, s.Commit(ctx(t), &store.Batch{Shard: i % 3, Executions: []store.ExecutionWrite{{Execution: e}}}), "start")
			if i == 2 {
				finish(t, s, e.ARN)
				continue
			}
			want = append(want, e.ARN)
			if i%3 == 1 {
				wantShard1 = append(wantShard1, e.ARN)
			}
		}
		sortStrings(want)
		got := collect(t, 2, func(p store.ListParams) (*store.Page[store.Execution], error) {
			return s.ListRunningExecutions(ctx(t), &store.ListRunningExecutionsParams{ListParams: p})
		})
		mustEqual(t, arns(got, func(e store.Execution) string { return e.ARN }), want, "running")
		got = collect(t, 10, func(p store.ListParams) (*store.Page[store.Execution], error) {
			return s.ListRunningExecutions(ctx(t), &store.ListRunningExecutionsParams{Shards: []int{1}, ListParams: p})
		})
		mustEqual(t, arns(got, func(e store.Execution) string { return e.ARN }), wantShard1, "running in shard 1")
		got = collect(t, 10, func(p store.ListParams) (*store.Page[store.Execution], error) {
			return s.ListRunningExecutions(ctx(t), &store.ListRunningExecutionsParams{Shards: []int{}, ListParams: p})
		})
		if len(got) != 0 {
			t.Fatalf("empty shard list selects %d executions", len(got))
		}
	},
}

// finish marks a running execution (at its current version) as succeeded.
func finish(t *testing.T, s store.Store, arn string) {
	t.Helper()
	e := getExecution(t, s, arn)
	e.Status, e.StopDate, e.Output = store.StatusSucceeded, e.StartDate.Add(time.Second), []byte(`{}`)
	mustNil(t, s.Commit(ctx(t), &store.Batch{Executions: []store.ExecutionWrite{{Execution: *e, ExpectedVersion: e.Version}}}), "finish "+arn)
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
