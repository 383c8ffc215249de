package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

func outboxRow(id string, due time.Time) store.OutboxRow {
	return store.OutboxRow{ID: id, ExecutionARN: execARN(smARN("a"), "x"), Kind: "k-" + id, Payload: []byte("p-" + id), DueAt: due}
}

func ids[T any](rows []T, id func(T) string) []string { return arns(rows, id) }

func outboxID(r store.OutboxRow) string { return r.ID }
func inboxID(r store.InboxRow) string   { return r.ID }

var outboxTests = map[string]func(*testing.T, store.Store){
	"ListInInsertionOrder": func(t *testing.T, s store.Store) {
		var want []string
		for i := range 7 {
			id := fmt.Sprintf("z%d", 6-i) // ids sort opposite to insertion
			b := &store.Batch{Shard: i % 2, OutboxInserts: []store.OutboxRow{outboxRow(id, time.Time{}), outboxRow("timer-"+id, at(i))}}
			mustNil(t, s.Commit(ctx(t), b), "insert")
			want = append(want, id)
		}
		got := collect(t, 3, func(p store.ListParams) (*store.Page[store.OutboxRow], error) {
			return s.ListOutbox(ctx(t), &store.ListOutboxParams{ListParams: p})
		})
		mustEqual(t, ids(got, outboxID), want, "non-timer rows in insertion order")
		first := outboxRow("z6", time.Time{})
		mustEqual(t, got[0], first, "row read back")
		got = collect(t, 10, func(p store.ListParams) (*store.Page[store.OutboxRow], error) {
			return s.ListOutbox(ctx(t), &store.ListOutboxParams{Shards: []int{1}, ListParams: p})
		})
		mustEqual(t, ids(got, outboxID), []string{"z5", "z3", "z1"}, "shard 1")
		for _, r := range got {
			if r.Shard != 1 {
				t.Fatalf("row %s has shard %d", r.ID, r.Shard)
			}
		}
	},
	"DeleteOnce": func(t *testing.T, s store.Store) {
		mustNil(t, s.Commit(ctx(t), &store.Batch{OutboxInserts: []store.OutboxRow{outboxRow("a", time.Time{}), outboxRow("b", time.Time{})}}), "insert")
		mustNil(t, s.Commit(ctx(t), &store.Batch{OutboxDeletes: []string{"a"}}), "delete")
		mustIs(t, s.Commit(ctx(t), &store.Batch{OutboxDeletes: []string{"a"}}), store.ErrConflict, "delete again")
		pg, err := s.ListOutbox(ctx(t), &store.ListOutboxParams{})
		mustNil(t, err, "list")
		mustEqual(t, ids(pg.Items, outboxID), []string{"b"}, "remaining")
		mustIs(t, s.Commit(ctx(t), &store.Batch{OutboxInserts: []store.OutboxRow{outboxRow("b", time.Time{})}}), store.ErrAlreadyExists, "duplicate id")
	},
	"ClaimDueTimers": func(t *testing.T, s store.Store) {
		rows := []store.OutboxRow{outboxRow("t3", at(3)), outboxRow("t1", at(1)), outboxRow("t2", at(2)), outboxRow("t9", at(9)), outboxRow("task", time.Time{})}
		rows = append(rows, outboxRow("t1b", at(1))) // same due time as t1, inserted later
		mustNil(t, s.Commit(ctx(t), &store.Batch{OutboxInserts: rows}), "insert")
		claim := func(now time.Time, limit int) []string {
			t.Helper()
			got, err := s.ClaimDueTimers(ctx(t), &store.ClaimDueTimersParams{Now: now, ClaimFor: 10 * time.Second, Limit: limit})
			mustNil(t, err, "claim")
			return ids(got, outboxID)
		}
		mustEqual(t, claim(at(0), 0), []string{}, "nothing due yet")
		mustEqual(t, claim(at(2), 2), []string{"t1", "t1b"}, "earliest first, limited")
		mustEqual(t, claim(at(2), 0), []string{"t2"}, "claimed timers skipped")
		mustEqual(t, claim(at(5), 0), []string{"t3"}, "newly due")
		mustNil(t, s.Commit(ctx(t), &store.Batch{OutboxDeletes: []string{"t1"}}), "consume t1")
		mustEqual(t, claim(at(12), 0), []string{"t1b", "t2", "t9"}, "claims expired; t1 consumed; t3 still claimed")
		got, err := s.ClaimDueTimers(ctx(t), &store.ClaimDueTimersParams{Now: at(100), ClaimFor: time.Second})
		mustNil(t, err, "claim")
		mustEqual(t, got[0], outboxRow("t1b", at(1)), "row read back")
		_, err = s.ClaimDueTimers(ctx(t), &store.ClaimDueTimersParams{Now: at(100), Limit: -1})
		mustIs(t, err, store.ErrInvalidArgument, "negative limit")
	},
	"ClaimDueTimersIgnoringClaims": func(t *testing.T, s store.Store) {
		mustNil(t, s.Commit(ctx(t), &store.Batch{OutboxInserts: []store.OutboxRow{outboxRow("t1", at(1)), outboxRow("t5", at(5))}}), "insert")
		claim := func(now time.Time, ignore bool) []string {
			t.Helper()
			got, err := s.ClaimDueTimers(ctx(t), &store.ClaimDueTimersParams{Now: now, ClaimFor: time.Hour, IgnoreClaims: ignore})
			mustNil(t, err, "claim")
			return ids(got, outboxID)
		}
		mustEqual(t, claim(at(2), false), []string{"t1"}, "a dead process claims t1")
		mustEqual(t, claim(at(6), false), []string{"t5"}, "the claim hides t1")
		mustEqual(t, claim(at(6), true), []string{"t1", "t5"}, "a restarted owner sees both, in due order")
	},
	"ClaimDueTimersByShard": func(t *testing.T, s store.Store) {
		for i := range 4 {
			mustNil(t, s.Commit(ctx(t), &store.Batch{Shard: i, OutboxInserts: []store.OutboxRow{outboxRow(fmt.Sprintf("t%d", i), at(i))}}), "insert")
		}
		got, err := s.ClaimDueTimers(ctx(t), &store.ClaimDueTimersParams{Now: at(10), Shards: []int{3, 1}})
		mustNil(t, err, "claim")
		mustEqual(t, ids(got, outboxID), []string{"t1", "t3"}, "shards 1 and 3")
		if got[1].Shard != 3 {
			t.Fatalf("shard %d", got[1].Shard)
		}
	},
}

var inboxTests = map[string]func(*testing.T, store.Store){
	"ListDelete": func(t *testing.T, s store.Store) {
		a, b := execARN(smARN("a"), "a"), execARN(smARN("a"), "b")
		var wantA []string
		for i := range 5 {
			arn := a
			if i%2 == 1 {
				arn = b
			}
			id := fmt.Sprintf("m%d", 9-i)
			row := store.InboxRow{ID: id, ExecutionARN: arn, Kind: "result", Payload: []byte(id), CreatedAt: at(i)}
			mustNil(t, s.Commit(ctx(t), &store.Batch{Shard: 2, InboxInserts: []store.InboxRow{row}}), "insert")
			if arn == a {
				wantA = append(wantA, id)
			}
		}
		got := collect(t, 1, func(p store.ListParams) (*store.Page[store.InboxRow], error) {
			return s.ListInbox(ctx(t), &store.ListInboxParams{ExecutionARN: a, ListParams: p})
		})
		mustEqual(t, ids(got, inboxID), wantA, "rows of a in insertion order")
		mustEqual(t, got[0], store.InboxRow{ID: "m9", ExecutionARN: a, Kind: "result", Payload: []byte("m9"), CreatedAt: at(0), Shard: 2}, "row read back")
		all := collect(t, 2, func(p store.ListParams) (*store.Page[store.InboxRow], error) {
			return s.ListInbox(ctx(t), &store.ListInboxParams{ListParams: p})
		})
		mustEqual(t, ids(all, inboxID), []string{"m9", "m8", "m7", "m6", "m5"}, "all rows")
		none, err := s.ListInbox(ctx(t), &store.ListInboxParams{Shards: []int{1}})
		mustNil(t, err, "other shard")
		if len(none.Items) != 0 {
			t.Fatalf("shard 1 rows: %+v", none.Items)
		}

		mustNil(t, s.Commit(ctx(t), &store.Batch{InboxDeletes: []string{"m9", "m7"}}), "consume")
		mustIs(t, s.Commit(ctx(t), &store.Batch{InboxDeletes: []string{"m9"}}), store.ErrConflict, "consume again")
		got = collect(t, 10, func(p store.ListParams) (*store.Page[store.InboxRow], error) {
			return s.ListInbox(ctx(t), &store.ListInboxParams{ExecutionARN: a, ListParams: p})
		})
		mustEqual(t, ids(got, inboxID), []string{"m5"}, "after consuming")
	},
}

func taskToken(t store.ActivityTask) string { return t.TaskToken }

func activityTask(token, activity string, created int) store.ActivityTask {
	return store.ActivityTask{TaskToken: token, ActivityARN: activityARN(activity), ExecutionARN: execARN(smARN("a"), "x"), Input: []byte(`{"t":"` + token + `"}`), CreatedAt: at(created)}
}

var activityTaskTests = map[string]func(*testing.T, store.Store){
	"ClaimInOrder": func(t *testing.T, s store.Store) {
		b := &store.Batch{ActivityTasks: []store.ActivityTask{activityTask("z1", "w", 1), activityTask("a2", "w", 2), activityTask("o1", "other", 0)}}
		mustNil(t, s.Commit(ctx(t), b), "enqueue")
		mustNil(t, s.Commit(ctx(t), &store.Batch{ActivityTasks: []store.ActivityTask{activityTask("m3", "w", 3)}}), "enqueue")

		want := activityTask("z1", "w", 1)
		got, err := s.GetActivityTask(ctx(t), "z1")
		mustNil(t, err, "get")
		mustEqual(t, *got, want, "queued task")
		for _, token := range []string{"z1", "a2", "m3"} {
			got, err := s.ClaimActivityTask(ctx(t), &store.ClaimActivityTaskParams{ActivityARN: activityARN("w"), WorkerName: "worker-" + token, Now: at(10)})
			mustNil(t, err, "claim")
			if got.TaskToken != token || got.WorkerName != "worker-"+token || !got.ClaimedAt.Equal(at(10)) || !got.Claimed {
				t.Fatalf("claimed %+v, want %s", got, token)
			}
		}
		_, err = s.ClaimActivityTask(ctx(t), &store.ClaimActivityTaskParams{ActivityARN: activityARN("w"), Now: at(11)})
		mustIs(t, err, store.ErrNotFound, "empty queue")
		got, err = s.GetActivityTask(ctx(t), "a2")
		mustNil(t, err, "get claimed")
		want = activityTask("a2", "w", 2)
		want.Claimed, want.ClaimedAt, want.WorkerName = true, at(10), "worker-a2"
		mustEqual(t, *got, want, "claimed task")

		mustNil(t, s.Commit(ctx(t), &store.Batch{ActivityTaskDeletes: []string{"a2"}}), "complete")
		_, err = s.GetActivityTask(ctx(t), "a2")
		mustIs(t, err, store.ErrNotFound, "completed task")
		mustIs(t, s.Commit(ctx(t), &store.Batch{ActivityTaskDeletes: []string{"a2"}}), store.ErrConflict, "complete twice")
		// An unclaimed task can be removed too (it expired).
		mustNil(t, s.Commit(ctx(t), &store.Batch{ActivityTaskDeletes: []string{"o1"}}), "expire")
		_, err = s.ClaimActivityTask(ctx(t), &store.ClaimActivityTaskParams{ActivityARN: activityARN("other"), Now: at(12)})
		mustIs(t, err, store.ErrNotFound, "expired task is not offered")
	},
	"InsertClaimed": func(t *testing.T, s store.Store) {
		// A task handed to a waiting worker in the commit that creates it
		// is never offered to another.
		handed := activityTask("h1", "w", 1)
		handed.Claimed, handed.ClaimedAt, handed.WorkerName = true, at(2), "waiting-worker"
		queued := activityTask("q2", "w", 2)
		mustNil(t, s.Commit(ctx(t), &store.Batch{ActivityTasks: []store.ActivityTask{handed, queued}}), "enqueue")
		got, err := s.GetActivityTask(ctx(t), "h1")
		mustNil(t, err, "get handed")
		mustEqual(t, *got, handed, "handed task")
		claimed, err := s.ClaimActivityTask(ctx(t), &store.ClaimActivityTaskParams{ActivityARN: activityARN("w"), WorkerName: "other", Now: at(3)})
		mustNil(t, err, "claim")
		if claimed.TaskToken != "q2" {
			t.Fatalf("claimed %s, want q2 (h1 was handed out)", claimed.TaskToken)
		}
		_, err = s.ClaimActivityTask(ctx(t), &store.ClaimActivityTaskParams{ActivityARN: activityARN("w"), Now: at(4)})
		mustIs(t, err, store.ErrNotFound, "nothing left")
	},
	"ListQueued": func(t *testing.T, s store.Store) {
		handed := activityTask("h0", "w", 0)
		handed.Claimed, handed.ClaimedAt, handed.WorkerName = true, at(1), "waiting-worker"
		b := &store.Batch{ActivityTasks: []store.ActivityTask{handed, activityTask("z1", "w", 1), activityTask("o1", "other", 1),
			activityTask("a2", "w", 2), activityTask("m3", "w", 3), activityTask("b4", "w", 4)}}
		mustNil(t, s.Commit(ctx(t), b), "enqueue")
		_, err := s.ClaimActivityTask(ctx(t), &store.ClaimActivityTaskParams{ActivityARN: activityARN("w"), WorkerName: "x", Now: at(5)})
		mustNil(t, err, "claim z1")
		mustNil(t, s.Commit(ctx(t), &store.Batch{ActivityTaskClaims: []store.ActivityTaskClaim{{TaskToken: "m3", WorkerName: "y", ClaimedAt: at(5)}}}), "claim m3")
		list := func(p store.ListParams) (*store.Page[store.ActivityTask], error) {
			return s.ListQueuedActivityTasks(ctx(t), &store.ListQueuedActivityTasksParams{ActivityARN: activityARN("w"), ListParams: p})
		}
		got := collect(t, 1, list)
		mustEqual(t, got, []store.ActivityTask{activityTask("a2", "w", 2), activityTask("b4", "w", 4)}, "unclaimed tasks of w, oldest first")
		pg, err := list(store.ListParams{Limit: 1})
		mustNil(t, err, "first page")
		mustNil(t, s.Commit(ctx(t), &store.Batch{ActivityTaskDeletes: []string{"a2"}, ActivityTasks: []store.ActivityTask{activityTask("c5", "w", 5)}}), "change the queue")
		pg, err = list(store.ListParams{Limit: 5, NextToken: pg.NextToken})
		mustNil(t, err, "next page after a change")
		mustEqual(t, ids(pg.Items, taskToken), []string{"b4", "c5"}, "the token stays valid")
		pg.Items[0].Input[0] = 'X'
		again, err := s.GetActivityTask(ctx(t), "b4")
		mustNil(t, err, "get")
		mustEqual(t, *again, activityTask("b4", "w", 4), "listed records are copies")
		_, err = list(store.ListParams{NextToken: "bogus"})
		mustIs(t, err, store.ErrInvalidToken, "bad token")
		_, err = list(store.ListParams{Limit: -1})
		mustIs(t, err, store.ErrInvalidArgument, "negative limit")
	},
	"ClaimInBatch": func(t *testing.T, s store.Store) {
		// A poller claims a listed task in the commit that records its
		// start; the claim fails the whole batch if the task was claimed
		// meanwhile or is gone.
		e := startExecution(t, s, smARN("a"), "x", at(0))
		mustNil(t, s.Commit(ctx(t), &store.Batch{ActivityTasks: []store.ActivityTask{activityTask("q1", "w", 1), activityTask("q2", "w", 2)}}), "enqueue")
		step := func(version int64, claims ...store.ActivityTaskClaim) *store.Batch {
			w := e
			w.Snapshot = fmt.Appendf(nil, "snapshot-%d", version+1)
			return &store.Batch{Executions: []store.ExecutionWrite{{Execution: w, ExpectedVersion: version}},
				History: []store.HistoryChunk{{ExecutionARN: e.ARN, FirstEventID: version, LastEventID: version, Events: []byte("started")}}, ActivityTaskClaims: claims}
		}
		claim := func(token, worker string) store.ActivityTaskClaim {
			return store.ActivityTaskClaim{TaskToken: token, WorkerName: worker, ClaimedAt: at(3)}
		}
		mustNil(t, s.Commit(ctx(t), step(1, claim("q1", "w1"))), "claim q1 with a step")
		got, err := s.GetActivityTask(ctx(t), "q1")
		mustNil(t, err, "get q1")
		want := activityTask("q1", "w", 1)
		want.Claimed, want.ClaimedAt, want.WorkerName = true, at(3), "w1"
		mustEqual(t, *got, want, "claimed task")

		mustIs(t, s.Commit(ctx(t), step(2, claim("q1", "w2"))), store.ErrClaimLost, "claim q1 again")
		mustIs(t, s.Commit(ctx(t), step(2, claim("q2", "w2"), claim("gone", "w2"))), store.ErrClaimLost, "claim a task that does not exist")
		if v := getExecution(t, s, e.ARN).Version; v != 2 {
			t.Fatalf("version %d after failed claims: their batches applied something", v)
		}
		got, err = s.GetActivityTask(ctx(t), "q2")
		mustNil(t, err, "get q2")
		mustEqual(t, *got, activityTask("q2", "w", 2), "q2 after a failed batch")
		mustIs(t, s.Commit(ctx(t), step(1, claim("q2", "w2"))), store.ErrConflict, "stale version")
		got, err = s.GetActivityTask(ctx(t), "q2")
		mustNil(t, err, "get q2")
		if got.Claimed {
			t.Fatalf("q2 claimed by a batch that failed its version check: %+v", got)
		}
		claimed, err := s.ClaimActivityTask(ctx(t), &store.ClaimActivityTaskParams{ActivityARN: activityARN("w"), WorkerName: "w3", Now: at(4)})
		mustNil(t, err, "ClaimActivityTask")
		if claimed.TaskToken != "q2" {
			t.Fatalf("ClaimActivityTask gave %s, want q2 (q1 is claimed)", claimed.TaskToken)
		}
		mustIs(t, s.Commit(ctx(t), &store.Batch{ActivityTaskClaims: []store.ActivityTaskClaim{claim("q2", "w2")}}), store.ErrClaimLost, "claim after ClaimActivityTask")

		// Claims apply after the batch's inserts and before its deletes.
		b := &store.Batch{ActivityTasks: []store.ActivityTask{activityTask("n1", "w", 5)}, ActivityTaskClaims: []store.ActivityTaskClaim{claim("n1", "w4")}}
		mustNil(t, s.Commit(ctx(t), b), "claim a task inserted in the same batch")
		mustNil(t, s.Commit(ctx(t), &store.Batch{ActivityTasks: []store.ActivityTask{activityTask("d1", "w", 6)}}), "enqueue d1")
		mustNil(t, s.Commit(ctx(t), &store.Batch{ActivityTaskClaims: []store.ActivityTaskClaim{claim("d1", "w4")}, ActivityTaskDeletes: []string{"d1"}}), "claim and delete")
		mustIs(t, s.Commit(ctx(t), &store.Batch{ActivityTaskClaims: []store.ActivityTaskClaim{{WorkerName: "w"}}}), store.ErrInvalidArgument, "claim without a token")
	},
	"ClaimWithZeroTime": func(t *testing.T, s store.Store) {
		mustNil(t, s.Commit(ctx(t), &store.Batch{ActivityTasks: []store.ActivityTask{activityTask("t", "w", 1)}}), "enqueue")
		_, err := s.ClaimActivityTask(ctx(t), &store.ClaimActivityTaskParams{ActivityARN: activityARN("w")})
		mustNil(t, err, "claim")
		_, err = s.ClaimActivityTask(ctx(t), &store.ClaimActivityTaskParams{ActivityARN: activityARN("w")})
		mustIs(t, err, store.ErrNotFound, "claimed once")
	},
}
