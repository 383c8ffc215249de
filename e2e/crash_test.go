package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/value"
)

// Crash test size: executions started in all, how many before the first
// kill, and kills.
const (
	crashExecutions = 520
	crashFirstBatch = 260
	crashKills      = 12
	crashRoleARN    = "arn:aws:iam::123456789012:role/e2e"
)

// skipUnlessE2E skips tests that start servers unless STEPWISE_E2E=1.
func skipUnlessE2E(t *testing.T) {
	t.Helper()
	if os.Getenv("STEPWISE_E2E") != "1" {
		t.Skip("end-to-end test: set STEPWISE_E2E=1 to run it")
	}
}

// crashSeed is STEPWISE_E2E_SEED when set (to replay a run), else the clock.
func crashSeed(t *testing.T) uint64 {
	if s := os.Getenv("STEPWISE_E2E_SEED"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("STEPWISE_E2E_SEED: %v", err)
		}
		return seed
	}
	return uint64(time.Now().UnixNano())
}

// plannedExecution is one execution of the plan, fixed by the seed.
type plannedExecution struct {
	machine int
	name    string
	input   string
	// batch 0 starts before the first kill; batch 2k-1 just after the
	// (k-1)-th restart and batch 2k just before the k-th kill, so that
	// the kill cuts some of its requests off.
	batch int
}

// startedExecution is what the test knows of an execution it started.
type startedExecution struct {
	plannedExecution
	arn string
	// acked: StartExecution answered with success. Otherwise an attempt
	// was cut off by a kill and a later one found the execution existing.
	acked bool
	// existing: when a repeated StartExecution answered
	// ExecutionAlreadyExists, the execution's status and input just after.
	existingStatus, existingInput string
}

// harness talks to a server that the test kills and restarts.
type harness struct {
	srv             *Server
	c               *sfn.Client
	transportErrors atomic.Int64
}

// call runs fn until it gets an answer from the server: a transport
// failure (the server was killed) waits for the next incarnation and
// tries again. It reports whether an attempt failed in transport.
func (h *harness) call(ctx context.Context, fn func(context.Context) error) (retried bool, err error) {
	for attempt := 1; ; attempt++ {
		select {
		case <-h.srv.Ready():
		case <-ctx.Done():
			return retried, ctx.Err()
		}
		err = fn(ctx)
		if err == nil || IsAPIError(err) || ctx.Err() != nil {
			return retried, err
		}
		if exited, status := h.srv.Exited(); exited {
			return retried, fmt.Errorf("the server died on its own (%v): %w", status, err)
		}
		if attempt == 100 {
			return retried, fmt.Errorf("no answer after %d attempts: %w", attempt, err)
		}
		retried = true
		h.transportErrors.Add(1)
	}
}

// start starts a planned execution, surviving kills. When an attempt was
// cut off, a later one may find the execution already there (AWS answers
// a repeated StartExecution with the same input like the first one, and
// ExecutionAlreadyExists once the execution has ended); the test then
// checks later that the stored execution has its input.
func (h *harness) start(ctx context.Context, smARN string, p plannedExecution) (startedExecution, error) {
	s := startedExecution{plannedExecution: p, arn: executionARN(smARN, p.name)}
	var out *sfn.StartExecutionOutput
	retried, err := h.call(ctx, func(ctx context.Context) error {
		var err error
		out, err = h.c.StartExecution(ctx, &sfn.StartExecutionInput{
			StateMachineArn: aws.String(smARN), Name: aws.String(p.name), Input: aws.String(p.input)})
		return err
	})
	var exists *types.ExecutionAlreadyExists
	switch {
	case err == nil:
		s.acked = true
		if got := aws.ToString(out.ExecutionArn); got != s.arn {
			return s, fmt.Errorf("start %s: execution ARN %s, want %s", p.name, got, s.arn)
		}
	case retried && errors.As(err, &exists):
		// AWS answers a repeat with the same input like the first call
		// while the execution runs; note what was there to check it.
		var d *sfn.DescribeExecutionOutput
		if _, err := h.call(ctx, func(ctx context.Context) error {
			var err error
			d, err = h.c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(s.arn)})
			return err
		}); err != nil {
			return s, fmt.Errorf("describe %s after ExecutionAlreadyExists: %w", p.name, err)
		}
		s.existingStatus, s.existingInput = string(d.Status), aws.ToString(d.Input)
	default:
		return s, fmt.Errorf("start %s: %w", p.name, err)
	}
	return s, nil
}

// executionARN is the ARN a Standard execution named name of the state
// machine smARN gets.
func executionARN(smARN, name string) string {
	return strings.Replace(smARN, ":stateMachine:", ":execution:", 1) + ":" + name
}

// TestCrash runs Standard executions (Wait, Parallel, Map, Choice) on
// `stepwise serve`, kills the server with SIGKILL at random moments and
// restarts it on the same data directory, then checks that every
// execution SUCCEEDED with the output and the history (all pages) of an
// uninterrupted run, computed in-process by package local.
func TestCrash(t *testing.T) {
	skipUnlessE2E(t)
	began := time.Now()
	seed := crashSeed(t)
	t.Logf("seed %d (replay with STEPWISE_E2E_SEED=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	// The plan: every input, batch and kill moment comes from the seed.
	plan := make([]plannedExecution, crashExecutions)
	for i := range plan {
		batch := 0
		if i >= crashFirstBatch {
			batch = 1 + (i-crashFirstBatch)*2*crashKills/(crashExecutions-crashFirstBatch)
		}
		mi := rng.IntN(len(crashMachines))
		plan[i] = plannedExecution{machine: mi, name: fmt.Sprintf("x%04d", i), input: crashMachines[mi].input(rng), batch: batch}
	}
	// Each kill comes a random time after the restart, and a shorter
	// random time after the batch launched just before it.
	uptimes := make([]time.Duration, crashKills)
	lastStarts := make([]time.Duration, crashKills)
	for i := range uptimes {
		uptimes[i] = 300*time.Millisecond + time.Duration(rng.IntN(2200))*time.Millisecond
		lastStarts[i] = time.Duration(rng.IntN(30)) * time.Millisecond
	}
	machines := make([]*engine.Machine, len(crashMachines))
	for i, cm := range crashMachines {
		m, err := engine.CompileText([]byte(cm.definition))
		if err != nil {
			t.Fatalf("%s: %v", cm.name, err)
		}
		machines[i] = m
	}

	// Build and start the server.
	tmp := t.TempDir()
	bin := stepwiseBinary(t)
	built := time.Now()
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(tmp, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	srv := &Server{Bin: bin, Port: port, DataDir: filepath.Join(tmp, "data"), Log: logFile}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Kill() }()
	defer func() {
		if t.Failed() {
			t.Logf("server log (%s), last lines:\n%s", logPath, tail(logPath, 40))
		}
	}()
	h := &harness{srv: srv, c: NewClient(srv.Endpoint())}

	smARNs := make([]string, len(crashMachines))
	for i, cm := range crashMachines {
		out, err := h.c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
			Name: aws.String("crash-" + cm.name), Definition: aws.String(cm.definition), RoleArn: aws.String(crashRoleARN)})
		if err != nil {
			t.Fatalf("create %s: %v", cm.name, err)
		}
		smARNs[i] = aws.ToString(out.StateMachineArn)
	}

	// Start executions: the first batch before any kill, then one batch
	// after each restart and one just before each kill.
	var (
		mu       sync.Mutex
		started  []startedExecution
		startErr []error
		wg       sync.WaitGroup
	)
	startBatch := func(batch int) *sync.WaitGroup {
		var bw sync.WaitGroup
		work := make(chan plannedExecution)
		for range 6 {
			wg.Add(1)
			bw.Add(1)
			go func() {
				defer wg.Done()
				defer bw.Done()
				for p := range work {
					s, err := h.start(ctx, smARNs[p.machine], p)
					mu.Lock()
					if err != nil {
						startErr = append(startErr, err)
					} else {
						started = append(started, s)
					}
					mu.Unlock()
				}
			}()
		}
		go func() {
			defer close(work)
			for _, p := range plan {
				if p.batch == batch {
					work <- p
				}
			}
		}()
		return &bw
	}
	startBatch(0).Wait()
	firstStarted := time.Now()

	pause := func(d time.Duration) {
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
	}
	for k := 1; k <= crashKills; k++ {
		startBatch(2*k - 1)
		pause(uptimes[k-1])
		startBatch(2 * k)
		pause(lastStarts[k-1])
		if exited, status := srv.Exited(); exited {
			t.Fatalf("the server died on its own before kill %d: %v", k, status)
		}
		if err := srv.Kill(); err != nil {
			t.Fatal(err)
		}
		if err := srv.Start(ctx); err != nil {
			t.Fatalf("restart %d: %v", k, err)
		}
	}
	wg.Wait()
	killed := time.Now()
	if len(startErr) > 0 {
		t.Fatalf("%d executions could not be started; first: %v", len(startErr), startErr[0])
	}
	if len(started) != len(plan) {
		t.Fatalf("started %d executions, planned %d", len(started), len(plan))
	}

	// Wait until nothing runs. There is no event to wait for over the
	// API, so this is a bounded poll.
	if err := waitNoneRunning(ctx, h.c, smARNs, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	drained := time.Now()

	// Each execution against an uninterrupted run.
	failures := verifyAll(ctx, h.c, machines, smARNs, started)
	counts, err := countExecutions(ctx, h.c, smARNs)
	if err != nil {
		t.Fatal(err)
	}
	if counts != len(plan) {
		failures = append(failures, fmt.Sprintf("ListExecutions lists %d executions, %d were started", counts, len(plan)))
	}
	if exited, status := srv.Exited(); exited {
		failures = append(failures, fmt.Sprintf("the server died on its own during the checks: %v", status))
	}
	acked := 0
	existing := map[string]int{}
	for _, s := range started {
		if s.acked {
			acked++
		} else {
			existing[s.existingStatus]++
		}
		if s.existingStatus == string(types.ExecutionStatusRunning) && s.existingInput == s.input {
			failures = append(failures, fmt.Sprintf("%s: a repeated StartExecution with the same input answered ExecutionAlreadyExists "+
				"while the execution was RUNNING (AWS answers it like the first call)", s.name))
		}
	}
	t.Logf("%d StartExecution answered, %d found existing after a cut-off attempt (status then: %v); %d transport errors retried",
		acked, len(started)-acked, existing, h.transportErrors.Load())
	t.Logf("durations: build %v, first %d starts %v, %d kills %v, drain %v, verify %v, total %v",
		built.Sub(began).Round(time.Millisecond), crashFirstBatch, firstStarted.Sub(built).Round(time.Millisecond),
		crashKills, killed.Sub(firstStarted).Round(time.Millisecond), drained.Sub(killed).Round(time.Millisecond),
		time.Since(drained).Round(time.Millisecond), time.Since(began).Round(time.Millisecond))
	if len(failures) > 0 {
		kinds := map[string]int{}
		for _, f := range failures {
			kinds[failureKind(f)]++
		}
		t.Errorf("failures by kind: %v", kinds)
		for i, f := range failures {
			if i == 15 {
				t.Errorf("… and %d more", len(failures)-i)
				break
			}
			t.Error(f)
		}
		t.Fatalf("crash test: %d of %d executions wrong after %d kills (seed %d)", len(failures), len(plan), crashKills, seed)
	}
	fmt.Printf("crash test: %d executions, %d kills, all SUCCEEDED, histories equal (seed %d; %v total, %v of kills, %v to drain)\n",
		len(plan), crashKills, seed, time.Since(began).Round(time.Millisecond),
		killed.Sub(firstStarted).Round(time.Millisecond), drained.Sub(killed).Round(time.Millisecond))
}

// waitNoneRunning polls ListExecutions (RUNNING) until no state machine
// has a running execution, or fails after timeout naming some that still
// run.
func waitNoneRunning(ctx context.Context, c *sfn.Client, smARNs []string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		var running []string
		for _, arn := range smARNs {
			out, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn),
				StatusFilter: types.ExecutionStatusRunning, MaxResults: 5})
			if err != nil {
				return fmt.Errorf("list running executions: %w", err)
			}
			for _, e := range out.Executions {
				running = append(running, aws.ToString(e.Name))
			}
		}
		if len(running) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("executions still RUNNING %v after the last restart, e.g. %v", timeout, running)
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// verifyAll checks every started execution and returns one line per
// execution that differs from its uninterrupted run.
func verifyAll(ctx context.Context, c *sfn.Client, machines []*engine.Machine, smARNs []string, started []startedExecution) []string {
	var (
		mu       sync.Mutex
		failures []string
		wg       sync.WaitGroup
	)
	work := make(chan startedExecution)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range work {
				if msg := verifyOne(ctx, c, machines[s.machine], smARNs[s.machine], s); msg != "" {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("%s (%s, batch %d, input %s): %s",
						s.name, crashMachines[s.machine].name, s.batch, s.input, msg))
					mu.Unlock()
				}
			}
		}()
	}
	for _, s := range started {
		work <- s
	}
	close(work)
	wg.Wait()
	return failures
}

// verifyOne compares one execution with the reference run.
func verifyOne(ctx context.Context, c *sfn.Client, m *engine.Machine, smARN string, s startedExecution) string {
	d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(s.arn)})
	if err != nil {
		return fmt.Sprintf("describe (acknowledged start: %v): %v", s.acked, err)
	}
	if got := aws.ToString(d.Input); got != s.input {
		return fmt.Sprintf("input %s, want %s", got, s.input)
	}
	meta := engine.Meta{
		ExecutionARN: s.arn, ExecutionName: s.name,
		StateMachineARN: smARN, StateMachineName: smARN[strings.LastIndexByte(smARN, ':')+1:],
		RoleARN: crashRoleARN, StartTime: aws.ToTime(d.StartDate).Round(time.Millisecond),
	}
	want, err := Reference(ctx, m, s.input, meta)
	if err != nil {
		return err.Error()
	}
	var problems []string
	if string(d.Status) != want.Status {
		problems = append(problems, fmt.Sprintf("status %s (%s %s), want %s", d.Status,
			aws.ToString(d.Error), aws.ToString(d.Cause), want.Status))
	} else if got := aws.ToString(d.Output); got != want.Output {
		problems = append(problems, outputDiff(got, want.Output))
	}
	events, err := FetchHistory(ctx, c, s.arn, 25)
	if err != nil {
		return fmt.Sprintf("history: %v", err)
	}
	if diff := DiffHistories(want.Events, events); diff != "" {
		what := "history"
		if SameEventsAnyOrder(want.Events, events) && !strings.Contains(diff, "ids must run") {
			what = "history reordered (same events, none missing or repeated)"
		}
		problems = append(problems, fmt.Sprintf("%s (%d events, want %d):\n%s", what, len(events), len(want.Events), diff))
	}
	return strings.Join(problems, "; ")
}

// failureKind classifies a verifyOne message for the summary.
func failureKind(msg string) string {
	switch {
	case strings.Contains(msg, "ExecutionAlreadyExists"):
		return "repeated StartExecution refused"
	case strings.Contains(msg, "describe"):
		return "missing"
	case strings.Contains(msg, "status "):
		return "status"
	case strings.Contains(msg, "events missing"), strings.Contains(msg, "extra events"):
		return "events missing or extra"
	case strings.Contains(msg, "output "):
		return "output"
	case strings.Contains(msg, "history reordered") && strings.Count(msg, "WaitStateExited") >= 2:
		return "history reordered: timers fired out of due order"
	case strings.Contains(msg, "history reordered"):
		return "history reordered"
	case strings.Contains(msg, "history"):
		return "history details"
	}
	return "other"
}

// outputDiff describes an output that differs from the expected one.
func outputDiff(got, want string) string {
	g, gerr := value.Parse([]byte(got))
	w, werr := value.Parse([]byte(want))
	if gerr == nil && werr == nil && value.Equal(g, w) {
		return fmt.Sprintf("output text %s, want %s (equal values)", got, want)
	}
	return fmt.Sprintf("output %s, want %s", got, want)
}

// countExecutions counts the executions ListExecutions lists, all pages.
func countExecutions(ctx context.Context, c *sfn.Client, smARNs []string) (int, error) {
	n := 0
	for _, arn := range smARNs {
		p := sfn.NewListExecutionsPaginator(c, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn), MaxResults: 100})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				return 0, fmt.Errorf("list executions: %w", err)
			}
			n += len(out.Executions)
		}
	}
	return n, nil
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
