package runner

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/store"
)

// claimStore counts the commits and claims that reach the store and, once,
// runs afterList after a listing of queued tasks (to play another node
// that claims a task between a poll's look and its commit).
type claimStore struct {
	store.Store
	commits, claims atomic.Int64
	mu              sync.Mutex
	afterList       func()
}

func (s *claimStore) Commit(ctx context.Context, b *store.Batch) error {
	s.commits.Add(1)
	return s.Store.Commit(ctx, b)
}

func (s *claimStore) ClaimActivityTask(ctx context.Context, p *store.ClaimActivityTaskParams) (*store.ActivityTask, error) {
	s.claims.Add(1)
	return s.Store.ClaimActivityTask(ctx, p)
}

func (s *claimStore) ListQueuedActivityTasks(ctx context.Context, p *store.ListQueuedActivityTasksParams) (*store.Page[store.ActivityTask], error) {
	pg, err := s.Store.ListQueuedActivityTasks(ctx, p)
	s.mu.Lock()
	f := s.afterList
	s.afterList = nil
	s.mu.Unlock()
	if f != nil {
		f()
	}
	return pg, err
}

func historyTypes(t *testing.T, s store.Store, arn string) string {
	t.Helper()
	var types []string
	for _, e := range readHistory(t, s, arn) {
		types = append(types, e.Type)
	}
	return joinTypes(types)
}

// TestPollClaimsQueuedTaskInOneCommit: a poll that finds a task queued
// gets it through one commit, the execution's, which claims the task and
// records ActivityStarted together, before the worker is answered.
func TestPollClaimsQueuedTaskInOneCommit(t *testing.T) {
	sq := openStore(t, t.TempDir())
	defer sq.Close()
	s := &claimStore{Store: sq}
	r := newRunner(t, Config{Store: s})
	defer r.Close()
	ctx := context.Background()
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + activityARN + `","HeartbeatSeconds":60,"End":true}}}`
	p := params("one", def, `{"n":1}`)
	if _, err := r.StartExecution(ctx, p); err != nil {
		t.Fatal(err)
	}
	before := s.commits.Load()
	task, err := r.GetActivityTask(ctx, activityARN, "w1", time.Minute)
	if err != nil || task == nil || string(task.Input) != `{"n":1}` {
		t.Fatalf("GetActivityTask: %+v %v", task, err)
	}
	if n := s.commits.Load() - before; n != 1 || s.claims.Load() != 0 {
		t.Fatalf("the poll made %d commits and %d separate claims, want 1 and 0", n, s.claims.Load())
	}
	rec, err := sq.GetExecution(ctx, p.ExecutionARN)
	if err != nil || rec.Version != 2 {
		t.Fatalf("execution %+v, %v: want version 2", rec, err)
	}
	if got, want := historyTypes(t, sq, p.ExecutionARN), "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted"; got != want {
		t.Fatalf("history %s, want %s", got, want)
	}
	if w := readHistory(t, sq, p.ExecutionARN)[3].Details.(*history.ActivityStartedDetails).WorkerName; w != "w1" {
		t.Fatalf("ActivityStarted names %q", w)
	}
	stored, err := sq.GetActivityTask(ctx, task.Token)
	if err != nil || !stored.Claimed || stored.WorkerName != "w1" {
		t.Fatalf("stored task %+v, %v", stored, err)
	}
	if again, err := r.GetActivityTask(ctx, activityARN, "w2", time.Millisecond); err != nil || again != nil {
		t.Fatalf("a second poller got %+v, %v", again, err)
	}
}

// TestPollerSkipsTasksBeingClaimed: pollers of one runner pass over the
// queued tasks that others of them are claiming.
func TestPollerSkipsTasksBeingClaimed(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	r := newRunner(t, Config{Store: s})
	defer r.Close()
	ctx := context.Background()
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + activityARN + `","End":true}}}`
	for _, name := range []string{"s1", "s2", "s3"} {
		if _, err := r.StartExecution(ctx, params(name, def, `{}`)); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for range 3 {
		task, err := r.nextQueued(ctx, activityARN)
		if err != nil || task == nil {
			t.Fatalf("nextQueued: %+v %v", task, err)
		}
		got = append(got, task.ExecutionARN)
	}
	if want := []string{params("s1", "", "").ExecutionARN, params("s2", "", "").ExecutionARN, params("s3", "", "").ExecutionARN}; !slices.Equal(got, want) {
		t.Fatalf("tasks %v, want %v (oldest first, each once)", got, want)
	}
	if task, err := r.nextQueued(ctx, activityARN); err != nil || task != nil {
		t.Fatalf("a fourth look found %+v, %v", task, err)
	}
}

// TestPollClaimLostToAnotherNode: another node claims the queued task
// between the poll's look and its commit. The commit applies nothing, the
// poller looks again and waits, and the next task goes to it.
func TestPollClaimLostToAnotherNode(t *testing.T) {
	sq := openStore(t, t.TempDir())
	defer sq.Close()
	s := &claimStore{Store: sq}
	r := newRunner(t, Config{Store: s})
	defer r.Close()
	waiting := make(chan string, 4)
	r.activities.waited = func(arn string) { waiting <- arn }
	ctx := context.Background()
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + activityARN + `","End":true}}}`
	lost := params("lost", def, `{"n":1}`)
	if _, err := r.StartExecution(ctx, lost); err != nil {
		t.Fatal(err)
	}
	var other *store.ActivityTask
	s.afterList = func() {
		var err error
		other, err = sq.ClaimActivityTask(ctx, &store.ClaimActivityTaskParams{ActivityARN: activityARN, WorkerName: "other-node", Now: time.Now()})
		if err != nil {
			t.Error(err)
		}
	}
	got := make(chan *ActivityTask, 1)
	go func() {
		task, err := r.GetActivityTask(ctx, activityARN, "w1", time.Minute)
		if err != nil {
			t.Error(err)
		}
		got <- task
	}()
	<-waiting // lost the claim, looked again, found nothing
	if other == nil {
		t.Fatal("the other node claimed nothing")
	}
	rec, err := sq.GetExecution(ctx, lost.ExecutionARN)
	if err != nil || rec.Version != 1 {
		t.Fatalf("execution %+v, %v: the lost claim's commit applied", rec, err)
	}
	if h, want := historyTypes(t, sq, lost.ExecutionARN), "ExecutionStarted TaskStateEntered ActivityScheduled"; h != want {
		t.Fatalf("history %s, want %s", h, want)
	}
	next := params("next", def, `{"n":2}`)
	if _, err := r.StartExecution(ctx, next); err != nil {
		t.Fatal(err)
	}
	if task := <-got; task == nil || string(task.Input) != `{"n":2}` {
		t.Fatalf("poller got %+v", task)
	}
}

// TestLostClaimKeepsOtherInputs: when a claim in a commit loses, the
// execution's other inputs of that commit are applied again without it.
func TestLostClaimKeepsOtherInputs(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	w := newWaiter()
	r := newRunner(t, Config{Store: s, OnCommit: w.onCommit})
	defer r.Close()
	ctx := context.Background()
	def := `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + activityARN + `","End":true}}},
		{"StartAt":"B","States":{"B":{"Type":"Task","Resource":"` + activityARN + `","End":true}}}]}}}`
	p := params("par", def, `{}`)
	if _, err := r.StartExecution(ctx, p); err != nil {
		t.Fatal(err)
	}
	a, err := r.GetActivityTask(ctx, activityARN, "w1", time.Minute)
	if err != nil || a == nil {
		t.Fatalf("first task: %+v %v", a, err)
	}
	// Another node claims the second task; this runner's poll of it, in
	// one commit with the first task's success, then loses.
	b, err := s.ClaimActivityTask(ctx, &store.ClaimActivityTaskParams{ActivityARN: activityARN, WorkerName: "other-node", Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	claimDone, successDone := make(chan error, 1), make(chan error, 1)
	var ignored bool
	r.process(p.ExecutionARN, []pending{
		{in: engine.Input{Kind: engine.InputTaskStarted, Token: b.TaskToken, Worker: "w2"}, done: claimDone, claim: &claim{}},
		{in: engine.Input{Kind: engine.InputTaskSucceeded, Token: a.Token, Output: map[string]any{}}, done: successDone, ignored: &ignored},
	})
	if err := <-claimDone; !errors.Is(err, store.ErrClaimLost) {
		t.Fatalf("claim: %v, want ErrClaimLost", err)
	}
	if err := <-successDone; err != nil || ignored {
		t.Fatalf("success: %v, ignored %v", err, ignored)
	}
	h := historyTypes(t, s, p.ExecutionARN)
	// One ActivityStarted (w1's), then the first task's success.
	if want := "ExecutionStarted ParallelStateEntered ParallelStateStarted TaskStateEntered ActivityScheduled " +
		"TaskStateEntered ActivityScheduled ActivityStarted ActivitySucceeded TaskStateExited"; h != want {
		t.Fatalf("history\n got  %s\n want %s", h, want)
	}
	// The other node's worker answers; the execution records its start.
	if err := r.SendTaskSuccess(ctx, b.TaskToken, `{}`); err != nil {
		t.Fatal(err)
	}
	if st := w.wait(t, p.ExecutionARN); st != store.StatusSucceeded {
		t.Fatalf("status %s", st)
	}
}

// TestTwoNodesClaimOneTask: pollers of two runners sharing a store (as two
// nodes would) race for one queued task; one gets it, started once, and the
// other goes on waiting.
func TestTwoNodesClaimOneTask(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	waiting := make(chan string, 8)
	nodes := map[string]*Runner{}
	for _, name := range []string{"a", "b"} {
		r := newRunner(t, Config{Store: s})
		defer r.Close()
		r.activities.waited = func(string) { waiting <- name }
		nodes[name] = r
	}
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + activityARN + `","End":true}}}`
	p := params("race", def, `{}`)
	if _, err := nodes["a"].StartExecution(ctx, p); err != nil {
		t.Fatal(err)
	}
	type result struct {
		node string
		task *ActivityTask
	}
	results := make(chan result, 2)
	for name, r := range nodes {
		go func() {
			task, err := r.GetActivityTask(ctx, activityARN, "worker-"+name, time.Minute)
			if err != nil {
				t.Error(err)
			}
			results <- result{name, task}
		}()
	}
	winner := <-results
	if winner.task == nil {
		t.Fatalf("node %s returned no task", winner.node)
	}
	for loser := <-waiting; loser == winner.node; loser = <-waiting {
	}
	cancel()
	if r := <-results; r.task != nil {
		t.Fatalf("both nodes got the task: %+v", r)
	}
	stored, err := s.GetActivityTask(context.Background(), winner.task.Token)
	if err != nil || stored.WorkerName != "worker-"+winner.node {
		t.Fatalf("stored task %+v, %v: want claimed by worker-%s", stored, err, winner.node)
	}
	if h, want := historyTypes(t, s, p.ExecutionARN), "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted"; h != want {
		t.Fatalf("history %s, want %s", h, want)
	}
}
