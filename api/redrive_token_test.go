package api_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stepwise-run/stepwise/store/sqlite"
)

// clock is a manual clock for the runner and the service.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// TestRedriveClientToken: a RedriveExecution retried with one of the last
// ten client tokens that redrove the execution, within 15 minutes of the
// token's first use, answers with the same redriveDate and redrives
// nothing; an eleventh token pushes the oldest out, and a token older than
// 15 minutes redrives again.
func TestRedriveClientToken(t *testing.T) {
	clk := newClock()
	e := newEnv(t, envOptions{now: clk.Now})
	c, ctx := e.client, context.Background()
	sm := e.createSM(t, "redrive-token", failDef)
	run, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String("f")})
	if err != nil {
		t.Fatal(err)
	}
	x := run.ExecutionArn
	e.waiter.wait(t, *x)

	redrive := func(token string) time.Time {
		t.Helper()
		out, err := c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: x, ClientToken: aws.String(token)})
		if err != nil || out.RedriveDate == nil {
			t.Fatalf("RedriveExecution(%s) = %+v, %v", token, out, err)
		}
		return *out.RedriveDate
	}
	// redriven redrives with a new token and waits for the Fail state to
	// fail the execution again.
	redriven := func(token string, wantCount int32) time.Time {
		t.Helper()
		date := redrive(token)
		if status := e.waiter.wait(t, *x); status != "FAILED" {
			t.Fatalf("after redrive %s: status %s", token, status)
		}
		checkRedrives(t, c, x, wantCount, date)
		return date
	}

	first := redriven("t1", 1)
	if !first.Equal(clk.Now()) {
		t.Fatalf("redriveDate %v, want the clock's %v", first, clk.Now())
	}
	clk.advance(time.Minute)
	// The execution has failed again and is redrivable: without the token
	// this would be a second redrive.
	if got := redrive("t1"); !got.Equal(first) {
		t.Fatalf("retry of t1: redriveDate %v, want %v", got, first)
	}
	checkRedrives(t, c, x, 1, first)

	dates := map[string]time.Time{"t1": first}
	for i := 2; i <= 11; i++ {
		clk.advance(time.Second)
		tok := fmt.Sprint("t", i)
		dates[tok] = redriven(tok, int32(i))
	}
	// Ten tokens later t1 is forgotten, t2…t11 are not.
	for i := 2; i <= 11; i++ {
		tok := fmt.Sprint("t", i)
		if got := redrive(tok); !got.Equal(dates[tok]) {
			t.Fatalf("retry of %s: redriveDate %v, want %v", tok, got, dates[tok])
		}
	}
	checkRedrives(t, c, x, 11, dates["t11"])
	clk.advance(time.Second)
	again := redriven("t1", 12)
	if again.Equal(first) {
		t.Fatalf("t1 after ten newer tokens answered its old date %v", first)
	}

	// 15 minutes after its first use a token is no longer valid: t11
	// (first used 1 s before t1's second use) expires first.
	clk.advance(15*time.Minute - time.Second)
	if got := redrive("t11"); !got.Equal(dates["t11"]) {
		t.Fatalf("t11 at 15 minutes: redriveDate %v, want %v", got, dates["t11"])
	}
	checkRedrives(t, c, x, 12, again)
	clk.advance(time.Millisecond)
	late := redriven("t11", 13)
	if !late.Equal(clk.Now()) {
		t.Fatalf("t11 after 15 minutes: redriveDate %v, want a new redrive at %v", late, clk.Now())
	}
}

// TestRedriveClientTokenWhileRunning: a retry with the token that redrove
// an execution answers with the same date while the execution runs (where
// any other redrive is ExecutionNotRedrivable), and after a restart of the
// server on the same SQLite store.
func TestRedriveClientTokenWhileRunning(t *testing.T) {
	dir := t.TempDir()
	st, err := sqlite.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	clk := newClock()
	e := newEnv(t, envOptions{store: st, now: clk.Now})
	c, ctx := e.client, context.Background()
	sm := e.createSM(t, "redrive-token-wait", waitDef)
	run, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String("w")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: run.ExecutionArn}); err != nil {
		t.Fatal(err)
	}
	clk.advance(time.Second)
	out, err := c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: run.ExecutionArn, ClientToken: aws.String("tok")})
	if err != nil {
		t.Fatal(err)
	}
	date := *out.RedriveDate
	clk.advance(time.Second)
	again, err := c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: run.ExecutionArn, ClientToken: aws.String("tok")})
	if err != nil || !again.RedriveDate.Equal(date) {
		t.Fatalf("retry while running = %+v, %v; want redriveDate %v", again, err, date)
	}
	_, err = c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: run.ExecutionArn, ClientToken: aws.String("other")})
	var nr *types.ExecutionNotRedrivable
	if !errors.As(err, &nr) {
		t.Fatalf("another token while running: %v, want ExecutionNotRedrivable", err)
	}
	checkRedrives(t, c, run.ExecutionArn, 1, date)

	// Restart: the token is in the store.
	_ = e.runner.Close()
	_ = st.Close()
	st2, err := sqlite.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t, envOptions{store: st2, now: clk.Now})
	again, err = e2.client.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: run.ExecutionArn, ClientToken: aws.String("tok")})
	if err != nil || !again.RedriveDate.Equal(date) {
		t.Fatalf("retry after a restart = %+v, %v; want redriveDate %v", again, err, date)
	}
	checkRedrives(t, e2.client, run.ExecutionArn, 1, date)
}

// checkRedrives checks an execution's redrive count and date.
func checkRedrives(t *testing.T, c *sfn.Client, x *string, count int32, date time.Time) {
	t.Helper()
	d, err := c.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: x})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(d.RedriveCount) != count || d.RedriveDate == nil || !d.RedriveDate.Equal(date) {
		t.Fatalf("redriveCount %d, redriveDate %v; want %d, %v", aws.ToInt32(d.RedriveCount), d.RedriveDate, count, date)
	}
}

// TestRedriveClientTokenConcurrent: concurrent requests with one client
// token redrive once and all answer with that redrive's date.
func TestRedriveClientTokenConcurrent(t *testing.T) {
	clk := newClock()
	e := newEnv(t, envOptions{now: clk.Now})
	c, ctx := e.client, context.Background()
	sm := e.createSM(t, "redrive-token-concurrent", failDef)
	run, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String("f")})
	if err != nil {
		t.Fatal(err)
	}
	e.waiter.wait(t, *run.ExecutionArn)
	clk.advance(time.Second)
	const n = 8
	dates := make([]time.Time, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			out, err := c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: run.ExecutionArn, ClientToken: aws.String("same")})
			if err == nil {
				dates[i] = *out.RedriveDate
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || !dates[i].Equal(clk.Now()) {
			t.Fatalf("request %d: %v, %v; want redriveDate %v", i, dates[i], errs[i], clk.Now())
		}
	}
	e.waiter.wait(t, *run.ExecutionArn)
	checkRedrives(t, c, run.ExecutionArn, 1, clk.Now())
}
