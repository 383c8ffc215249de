package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/sqlite"
	"github.com/stepwise-run/stepwise/value"
)

const smARN = "arn:aws:states:us-east-1:123456789012:stateMachine:sm"

// mixed exercises Wait, Choice, Parallel and Map.
const mixed = `{"StartAt":"W","States":{
	"W":{"Type":"Wait","Seconds":3600,"Next":"C"},
	"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Next":"P"}],"Default":"Small"},
	"Small":{"Type":"Pass","Result":"small","End":true},
	"P":{"Type":"Parallel","Next":"M","Branches":[
		{"StartAt":"B1","States":{"B1":{"Type":"Wait","Seconds":60,"Next":"B1p"},"B1p":{"Type":"Pass","Result":1,"End":true}}},
		{"StartAt":"B2","States":{"B2":{"Type":"Pass","Result":2,"End":true}}}]},
	"M":{"Type":"Map","MaxConcurrency":2,"ItemProcessor":{"StartAt":"I","States":{
		"I":{"Type":"Wait","Seconds":10,"Next":"J"},"J":{"Type":"Pass","Parameters":{"x.$":"States.MathAdd($, 10)"},"End":true}}},"End":true}}}`

// waiter records commits so tests can wait for an execution's end
// without sleeping.
type waiter struct {
	mu   sync.Mutex
	done map[string]chan string
}

func newWaiter() *waiter { return &waiter{done: map[string]chan string{}} }

func (w *waiter) ch(arn string) chan string {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.done[arn]
	if !ok {
		c = make(chan string, 1)
		w.done[arn] = c
	}
	return c
}

func (w *waiter) onCommit(arn, status string) {
	if status != store.StatusRunning {
		w.ch(arn) <- status
	}
}

func (w *waiter) wait(t *testing.T, arn string) string {
	t.Helper()
	select {
	case s := <-w.ch(arn):
		return s
	case <-time.After(20 * time.Second):
		t.Fatalf("execution %s did not finish", arn)
		return ""
	}
}

func openStore(t *testing.T, dir string) store.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newRunner(t *testing.T, cfg Config) *Runner {
	t.Helper()
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r
}

func params(name, def, input string) *service.StartParams {
	return &service.StartParams{
		ExecutionARN: "arn:aws:states:us-east-1:123456789012:execution:sm:" + name, Name: name,
		StateMachineARN: smARN, Type: store.TypeStandard, Definition: def,
		RoleARN: "arn:aws:iam::123456789012:role/r", Input: input,
	}
}

// readHistory returns the stored history and checks that its ids are
// contiguous.
func readHistory(t *testing.T, s store.Store, arn string) []history.Event {
	t.Helper()
	chunks, err := s.ReadHistory(context.Background(), &store.ReadHistoryParams{ExecutionARN: arn, FromEventID: 1})
	if err != nil {
		t.Fatal(err)
	}
	var all []history.Event
	for _, c := range chunks {
		var evs []history.Event
		if err := json.Unmarshal(c.Events, &evs); err != nil {
			t.Fatal(err)
		}
		all = append(all, evs...)
	}
	for i, e := range all {
		if e.ID != int64(i+1) {
			t.Fatalf("event %d has id %d", i, e.ID)
		}
	}
	return all
}

func TestRunsDurablyToTheEnd(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	w := newWaiter()
	r := newRunner(t, Config{Store: s, SkipTime: true, OnCommit: w.onCommit})
	defer r.Close()
	ctx := context.Background()
	for i, tt := range []struct{ input, output string }{
		{`{"n":1}`, `"small"`},
		{`{"n":2}`, `[{"x":11},{"x":12}]`},
	} {
		p := params(fmt.Sprintf("e%d", i), mixed, tt.input)
		if tt.input == `{"n":2}` {
			p.Definition = mixed
			p.Input = `[1,2]`
			p.Input = tt.input
		}
		if _, err := r.StartExecution(ctx, p); err != nil {
			t.Fatal(err)
		}
		st := w.wait(t, p.ExecutionARN)
		rec, err := s.GetExecution(ctx, p.ExecutionARN)
		if err != nil {
			t.Fatal(err)
		}
		if st != "SUCCEEDED" && tt.output != "" {
			t.Fatalf("%s: status %s %s %s", tt.input, rec.Status, rec.Error, rec.Cause)
		}
		evs := readHistory(t, s, p.ExecutionARN)
		if evs[len(evs)-1].Type != "ExecutionSucceeded" {
			t.Fatalf("last event %s", evs[len(evs)-1].Type)
		}
		// The Wait state's exit shows the hour a real run would have waited.
		if d := evs[2].Timestamp.Sub(evs[1].Timestamp); d != time.Hour {
			t.Fatalf("Wait took %v in the history", d)
		}
	}
	if _, err := r.StartExecution(ctx, params("e0", mixed, `{}`)); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("reused name: %v", err)
	}
}

func TestParallelMapOutput(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	w := newWaiter()
	r := newRunner(t, Config{Store: s, SkipTime: true, OnCommit: w.onCommit})
	defer r.Close()
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{
		"I":{"Type":"Wait","Seconds":5,"Next":"J"},"J":{"Type":"Pass","Parameters":{"x.$":"States.MathAdd($, 10)"},"End":true}}},"End":true}}}`
	p := params("m", def, `[1,2,3]`)
	if _, err := r.StartExecution(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if st := w.wait(t, p.ExecutionARN); st != "SUCCEEDED" {
		t.Fatalf("status %s", st)
	}
	rec, _ := s.GetExecution(context.Background(), p.ExecutionARN)
	if string(rec.Output) != `[{"x":11},{"x":12},{"x":13}]` {
		t.Fatalf("output %s", rec.Output)
	}
}

type taskFunc func(ctx context.Context, t *engine.TaskRequest) (any, error)

func (f taskFunc) Invoke(ctx context.Context, t *engine.TaskRequest) (any, error) { return f(ctx, t) }

func TestTasksRetriesAndCatch(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	w := newWaiter()
	var mu sync.Mutex
	calls := map[string]int{}
	tasks := taskFunc(func(ctx context.Context, req *engine.TaskRequest) (any, error) {
		mu.Lock()
		calls[req.ExecutionARN]++
		n := calls[req.ExecutionARN]
		mu.Unlock()
		if n < 3 {
			return nil, failure.New("Flaky", fmt.Sprintf("attempt %d", n))
		}
		return value.MustParse(`{"ok":true}`), nil
	})
	r := newRunner(t, Config{Store: s, SkipTime: true, OnCommit: w.onCommit, Tasks: tasks})
	defer r.Close()
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultPath":"$.r","End":true,
		"Retry":[{"ErrorEquals":["Flaky"],"MaxAttempts":5}]}}}`
	p := params("t", def, `{"a":1}`)
	if _, err := r.StartExecution(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if st := w.wait(t, p.ExecutionARN); st != "SUCCEEDED" {
		rec, _ := s.GetExecution(context.Background(), p.ExecutionARN)
		t.Fatalf("status %s %s %s", st, rec.Error, rec.Cause)
	}
	rec, _ := s.GetExecution(context.Background(), p.ExecutionARN)
	if string(rec.Output) != `{"a":1,"r":{"ok":true}}` {
		t.Fatalf("output %s", rec.Output)
	}
	// No outbox row is left behind.
	page, err := s.ListOutbox(context.Background(), &store.ListOutboxParams{})
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("outbox rows left: %v %v", page, err)
	}
}

func TestStopExecution(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	w := newWaiter()
	r := newRunner(t, Config{Store: s, OnCommit: w.onCommit})
	defer r.Close()
	p := params("s", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"End":true}}}`, `{}`)
	if _, err := r.StartExecution(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if _, err := r.StopExecution(context.Background(), p.ExecutionARN, "Stopped", "by test"); err != nil {
		t.Fatal(err)
	}
	rec, _ := s.GetExecution(context.Background(), p.ExecutionARN)
	if rec.Status != "ABORTED" || rec.Error != "Stopped" {
		t.Fatalf("after stop: %s %s", rec.Status, rec.Error)
	}
	if rows, _ := s.ClaimDueTimers(context.Background(), &store.ClaimDueTimersParams{Now: time.Now().Add(48 * time.Hour), Limit: 10}); len(rows) != 0 {
		t.Fatalf("timer rows left after stop: %v", rows)
	}
}

// TestResumesAfterRestart starts executions that wait, closes the runner
// and the store as a crash would leave them, and lets a new process (whose
// clock is two hours later) finish them from the stored timers.
func TestResumesAfterRestart(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	r := newRunner(t, Config{Store: s})
	var arns []string
	for i := range 20 {
		p := params(fmt.Sprintf("r%d", i), mixed, fmt.Sprintf(`{"n":%d}`, i%3+1))
		if _, err := r.StartExecution(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		arns = append(arns, p.ExecutionARN)
	}
	r.Close()
	s.Close()

	s = openStore(t, dir)
	defer s.Close()
	w := newWaiter()
	later := func() time.Time { return time.Now().Add(2 * time.Hour) }
	r = newRunner(t, Config{Store: s, Now: later, SkipTime: true, OnCommit: w.onCommit, TimerPoll: 10 * time.Millisecond})
	defer r.Close()
	for _, arn := range arns {
		if st := w.wait(t, arn); st != "SUCCEEDED" {
			t.Fatalf("%s: %s", arn, st)
		}
		readHistory(t, s, arn)
	}
}

func TestSkipTimePerExecution(t *testing.T) {
	s := openStore(t, t.TempDir())
	defer s.Close()
	w := newWaiter()
	r := newRunner(t, Config{Store: s, OnCommit: w.onCommit}) // the server does not skip time
	defer r.Close()
	p := params("skip", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"End":true}}}`, `{}`)
	p.SkipTime = true
	if _, err := r.StartExecution(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if st := w.wait(t, p.ExecutionARN); st != "SUCCEEDED" {
		t.Fatalf("status %s", st)
	}
	evs := readHistory(t, s, p.ExecutionARN)
	if d := evs[2].Timestamp.Sub(evs[1].Timestamp); d != 24*time.Hour {
		t.Fatalf("the Wait took %v in the history, want a day", d)
	}
}
