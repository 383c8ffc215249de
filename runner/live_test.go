package runner

import (
	"context"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

func TestLiveCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := newLiveCache(100)
	entry := func(arn string, size int64) *live {
		return &live{rec: store.Execution{ARN: arn}, size: size}
	}
	c.put(entry("a", 40))
	c.put(entry("b", 40))
	if c.take("a") == nil {
		t.Fatal("a is missing")
	}
	c.put(entry("a", 40)) // a is now the most recently used
	c.put(entry("c", 40)) // over budget: b goes
	if c.take("b") != nil {
		t.Fatal("b was kept beyond the budget")
	}
	if c.take("a") == nil || c.take("c") == nil {
		t.Fatal("a or c was evicted")
	}
	if c.take("a") != nil {
		t.Fatal("take left the entry in the cache")
	}
	c.put(entry("huge", 101))
	if c.take("huge") != nil || c.size != 0 {
		t.Fatalf("an entry over the whole budget was kept (size %d)", c.size)
	}
	off := newLiveCache(-1)
	off.put(entry("x", 0))
	if off.take("x") != nil {
		t.Fatal("a negative budget kept an entry")
	}
}

// TestLiveCacheStaleAfterAnotherNode runs one execution through two
// runners sharing a store, as two nodes would: the first runner's cached
// copy goes stale when the second advances the execution, and an input
// that only the stored execution waits for must still be accepted.
func TestLiveCacheStaleAfterAnotherNode(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	w := newWaiter()
	a := newRunner(t, Config{Store: s, OnCommit: w.onCommit})
	defer a.Close()
	b := newRunner(t, Config{Store: s, OnCommit: w.onCommit})
	defer b.Close()
	ctx := context.Background()
	def := `{"StartAt":"One","States":{
		"One":{"Type":"Task","Resource":"` + activityARN + `","Next":"Two"},
		"Two":{"Type":"Task","Resource":"` + activityARN + `","End":true}}}`
	p := params("stale", def, `{}`)
	if _, err := a.StartExecution(ctx, p); err != nil {
		t.Fatal(err)
	}
	one, err := a.GetActivityTask(ctx, activityARN, "a", time.Minute)
	if err != nil || one == nil {
		t.Fatalf("first task: %v %v", one, err)
	}
	// The poll committed ActivityStarted: a's cached copy waits for the
	// first task, started.
	if err := a.SendTaskHeartbeat(ctx, one.Token); err != nil {
		t.Fatal(err)
	}
	// Node b completes the first task: a's cached copy still waits for it.
	if err := b.SendTaskSuccess(ctx, one.Token, `{"one":1}`); err != nil {
		t.Fatal(err)
	}
	two, err := b.GetActivityTask(ctx, activityARN, "b", time.Minute)
	if err != nil || two == nil {
		t.Fatalf("second task: %v %v", two, err)
	}
	if err := b.SendTaskHeartbeat(ctx, two.Token); err != nil {
		t.Fatal(err)
	}
	// Node a completes the second: only the stored execution knows it.
	if err := a.SendTaskSuccess(ctx, two.Token, `{"two":2}`); err != nil {
		t.Fatalf("SendTaskSuccess through the stale node: %v", err)
	}
	if st := w.wait(t, p.ExecutionARN); st != store.StatusSucceeded {
		t.Fatalf("status %s", st)
	}
	rec, err := s.GetExecution(ctx, p.ExecutionARN)
	if err != nil || string(rec.Output) != `{"two":2}` {
		t.Fatalf("output %s, %v", rec.Output, err)
	}
	readHistory(t, s, p.ExecutionARN)
}
