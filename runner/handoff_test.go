package runner

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

// failingStore fails the commits that insert activity tasks while fail is
// set; everything else reaches the real store.
type failingStore struct {
	store.Store
	fail bool
}

func (s *failingStore) Commit(ctx context.Context, b *store.Batch) error {
	if s.fail && len(b.ActivityTasks) > 0 {
		return errors.New("disk on fire")
	}
	return s.Store.Commit(ctx, b)
}

// TestHandOffToWaitingPoller: a poller that waits when a commit schedules
// a task of its activity gets the task from that commit, already claimed
// and started; a commit that fails sends it back to polling.
func TestHandOffToWaitingPoller(t *testing.T) {
	sq := openStore(t, t.TempDir())
	defer sq.Close()
	s := &failingStore{Store: sq}
	r := newRunner(t, Config{Store: s})
	defer r.Close()
	waiting := make(chan string, 4)
	r.activities.waited = func(arn string) { waiting <- arn }
	ctx := context.Background()
	got := make(chan *ActivityTask, 1)
	go func() {
		task, err := r.GetActivityTask(ctx, activityARN, "w1", time.Minute)
		if err != nil {
			t.Error(err)
		}
		got <- task
	}()
	<-waiting
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + activityARN + `","End":true}}}`

	s.fail = true
	if _, err := r.StartExecution(ctx, params("lost", def, `{"n":1}`)); err == nil {
		t.Fatal("the failing commit succeeded")
	}
	<-waiting // the poller polls again
	s.fail = false

	p := params("handed", def, `{"n":2}`)
	if _, err := r.StartExecution(ctx, p); err != nil {
		t.Fatal(err)
	}
	task := <-got
	if task == nil || string(task.Input) != `{"n":2}` {
		t.Fatalf("poller got %+v", task)
	}
	rec, err := sq.GetExecution(ctx, p.ExecutionARN)
	if err != nil || rec.Version != 1 {
		t.Fatalf("execution %+v, %v: want one commit", rec, err)
	}
	stored, err := sq.GetActivityTask(ctx, task.Token)
	if err != nil || !stored.Claimed || stored.WorkerName != "w1" {
		t.Fatalf("stored task %+v, %v", stored, err)
	}
	var types []string
	for _, e := range readHistory(t, sq, p.ExecutionARN) {
		types = append(types, e.Type)
	}
	if got, want := joinTypes(types), "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted"; got != want {
		t.Fatalf("history %s, want %s", got, want)
	}
	if again, err := r.GetActivityTask(ctx, activityARN, "w2", time.Millisecond); err != nil || again != nil {
		t.Fatalf("a second poller got %+v, %v", again, err)
	}
}
