package runner

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/value"
)

// TestRedriveExecution fails one Map iteration (of three run one at a
// time, so the third has not started) inside a Parallel branch,
// redrives the execution and checks that only that iteration runs again
// (and the third for the first time), that the redrive is recorded (count, date, ExecutionRedriven) and that
// the history stays contiguous.
func TestRedriveExecution(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	w := newWaiter()
	var mu sync.Mutex
	broken := true
	calls := map[string][]string{} // item → the inputs it was called with
	tasks := taskFunc(func(ctx context.Context, req *engine.TaskRequest) (any, error) {
		obj := req.Input.(*value.Object)
		v, _ := obj.Get("v")
		item := value.String(v)
		mu.Lock()
		calls[item] = append(calls[item], value.String(req.Input))
		fail := broken && item == "2"
		mu.Unlock()
		if fail {
			return nil, failure.New("Broken", "item 2")
		}
		return v.(float64) * 10, nil
	})
	r := newRunner(t, Config{Store: s, SkipTime: true, OnCommit: w.onCommit, Tasks: tasks})
	defer r.Close()
	def := `{"StartAt":"Prep","States":{
		"Prep":{"Type":"Pass","Result":[1,2,3],"Next":"P"},
		"P":{"Type":"Parallel","End":true,"Branches":[
			{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"End":true,"ItemProcessor":{"StartAt":"T","States":{
				"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
					"Parameters":{"v.$":"$","rc.$":"$$.Execution.RedriveCount"}}}}}}},
			{"StartAt":"X","States":{"X":{"Type":"Pass","Result":"x","End":true}}}]}}}`
	p := params("redrive", def, `{}`)
	ctx := context.Background()
	if _, err := r.StartExecution(ctx, p); err != nil {
		t.Fatal(err)
	}
	if st := w.wait(t, p.ExecutionARN); st != store.StatusFailed {
		t.Fatalf("first attempt: %s", st)
	}
	failed, err := s.GetExecution(ctx, p.ExecutionARN)
	if err != nil {
		t.Fatal(err)
	}
	if failed.Error != "Broken" || len(failed.Snapshot) == 0 {
		t.Fatalf("failed with %q, snapshot %d bytes", failed.Error, len(failed.Snapshot))
	}

	mu.Lock()
	broken = false
	mu.Unlock()
	date, err := r.RedriveExecution(ctx, p.ExecutionARN)
	if err != nil {
		t.Fatal(err)
	}
	if st := w.wait(t, p.ExecutionARN); st != store.StatusSucceeded {
		rec, _ := s.GetExecution(ctx, p.ExecutionARN)
		t.Fatalf("after redrive: %s %s %s", st, rec.Error, rec.Cause)
	}
	rec, err := s.GetExecution(ctx, p.ExecutionARN)
	if err != nil {
		t.Fatal(err)
	}
	if string(rec.Output) != `[[10,20,30],"x"]` || rec.Error != "" || rec.Cause != "" {
		t.Fatalf("output %s error %q cause %q", rec.Output, rec.Error, rec.Cause)
	}
	if rec.RedriveCount != 1 || !rec.RedriveDate.Equal(date) || rec.StopDate.Before(date) {
		t.Fatalf("redrive count %d date %v (returned %v), stop %v", rec.RedriveCount, rec.RedriveDate, date, rec.StopDate)
	}
	mu.Lock()
	if len(calls["1"]) != 1 || len(calls["3"]) != 1 || len(calls["2"]) != 2 || calls["2"][1] != `{"v":2,"rc":1}` {
		t.Errorf("task calls %v", calls)
	}
	mu.Unlock()

	evs := readHistory(t, s, p.ExecutionARN) // contiguous ids
	var redriven []int
	for i, e := range evs {
		if e.Type == "ExecutionRedriven" {
			redriven = append(redriven, i)
			if d, ok := e.Details.(*history.ExecutionRedrivenDetails); !ok || d.RedriveCount != 1 || evs[i-1].Type != "ExecutionFailed" {
				t.Fatalf("ExecutionRedriven %+v after %s", e, evs[i-1].Type)
			}
		}
	}
	if len(redriven) != 1 || evs[len(evs)-1].Type != "ExecutionSucceeded" {
		t.Fatalf("ExecutionRedriven at %v; last event %s", redriven, evs[len(evs)-1].Type)
	}
	if page, err := s.ListOutbox(ctx, &store.ListOutboxParams{}); err != nil || len(page.Items) != 0 {
		t.Fatalf("outbox rows left: %v %v", page, err)
	}

	// A succeeded execution is not redrivable; an unknown one is not found.
	if _, err := r.RedriveExecution(ctx, p.ExecutionARN); !errors.Is(err, service.ErrNotRedrivable) {
		t.Fatalf("redrive of a succeeded execution: %v", err)
	}
	if _, err := r.RedriveExecution(ctx, p.ExecutionARN+"x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("redrive of an unknown execution: %v", err)
	}
}

// TestRedriveAborted redrives a stopped execution: it runs again (with its
// Wait state's timer armed durably) and can be stopped again.
func TestRedriveAborted(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	r := newRunner(t, Config{Store: s})
	defer r.Close()
	ctx := context.Background()
	p := params("aborted", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"End":true}}}`, `{}`)
	if _, err := r.StartExecution(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := r.StopExecution(ctx, p.ExecutionARN, "Stopped", "by test"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.RedriveExecution(ctx, p.ExecutionARN); err != nil {
		t.Fatal(err)
	}
	rec, err := s.GetExecution(ctx, p.ExecutionARN)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status != store.StatusRunning || rec.RedriveCount != 1 || !rec.StopDate.IsZero() || rec.Error != "" {
		t.Fatalf("after redrive: %s count %d stop %v error %q", rec.Status, rec.RedriveCount, rec.StopDate, rec.Error)
	}
	rows, err := s.ClaimDueTimers(ctx, &store.ClaimDueTimersParams{Now: time.Now().Add(48 * time.Hour), Limit: 10})
	if err != nil || len(rows) != 1 || rows[0].ExecutionARN != p.ExecutionARN {
		t.Fatalf("timer rows after redrive: %+v %v", rows, err)
	}
	if _, err := r.RedriveExecution(ctx, p.ExecutionARN); !errors.Is(err, service.ErrNotRedrivable) {
		t.Fatalf("redrive of a running execution: %v", err)
	}
	if _, err := r.StopExecution(ctx, p.ExecutionARN, "Stopped", "again"); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range readHistory(t, s, p.ExecutionARN) {
		types = append(types, e.Type)
	}
	want := "[ExecutionStarted WaitStateEntered ExecutionAborted ExecutionRedriven WaitStateEntered ExecutionAborted]"
	if got := "[" + strings.Join(types, " ") + "]"; got != want {
		t.Fatalf("history %s, want %s", got, want)
	}
}

// TestRedriveConcurrently redrives one execution from several goroutines:
// exactly one redrive wins, the others find the execution running.
func TestRedriveConcurrently(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	r := newRunner(t, Config{Store: s})
	defer r.Close()
	ctx := context.Background()
	p := params("race", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"End":true}}}`, `{}`)
	if _, err := r.StartExecution(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := r.StopExecution(ctx, p.ExecutionARN, "", ""); err != nil {
		t.Fatal(err)
	}
	const n = 8
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := r.RedriveExecution(ctx, p.ExecutionARN)
			errs <- err
		}()
	}
	won := 0
	for range n {
		switch err := <-errs; {
		case err == nil:
			won++
		case !errors.Is(err, service.ErrNotRedrivable):
			t.Errorf("redrive: %v", err)
		}
	}
	rec, err := s.GetExecution(ctx, p.ExecutionARN)
	if err != nil {
		t.Fatal(err)
	}
	if won != 1 || rec.RedriveCount != 1 || rec.Status != store.StatusRunning {
		t.Fatalf("%d redrives won; count %d, status %s", won, rec.RedriveCount, rec.Status)
	}
	readHistory(t, s, p.ExecutionARN) // contiguous
}
