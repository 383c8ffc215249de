package sqlite

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/stepwise-run/stepwise/store"
)

// TestGroupCommit queues many commits while the writer is busy and checks
// that they share one transaction, and that the failing ones among them
// leave no trace while the others are applied.
func TestGroupCommit(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s, err := Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	started, release := make(chan struct{}), make(chan struct{})
	blocked := make(chan error, 1)
	go func() {
		blocked <- s.write(ctx, func(*wtx) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	before := s.txs.Load()

	const n = 40
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			e := store.Execution{ARN: fmt.Sprint("e", i), StateMachineARN: "sm", Name: fmt.Sprint(i), Status: store.StatusRunning}
			b := &store.Batch{Executions: []store.ExecutionWrite{{Execution: e}}}
			if i%4 == 0 { // fails after inserting its execution
				b.OutboxDeletes = []string{"missing"}
			}
			errs[i] = s.Commit(ctx, b)
		})
	}
	for len(s.reqs) < n { // every commit queued behind the blocked writer
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if err := <-blocked; err != nil {
		t.Fatal(err)
	}
	if got := s.txs.Load() - before; got != 1 {
		t.Fatalf("%d queued commits took %d transactions, want 1", n, got)
	}
	for i, err := range errs {
		_, getErr := s.GetExecution(ctx, fmt.Sprint("e", i))
		if i%4 == 0 {
			if !errors.Is(err, store.ErrConflict) || !errors.Is(getErr, store.ErrNotFound) {
				t.Fatalf("failing commit %d: %v, read back: %v", i, err, getErr)
			}
			continue
		}
		if err != nil || getErr != nil {
			t.Fatalf("commit %d: %v, read back: %v", i, err, getErr)
		}
	}
}
