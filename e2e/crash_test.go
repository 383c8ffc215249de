package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stepwise-run/stepwise/engine"
)

// Crash test size: executions started in all, how many before the first
// kill, and kills.
const (
	crashExecutions = 520
	crashFirstBatch = 260
	crashKills      = 12
	crashRoleARN    = "arn:aws:iam::123456789012:role/e2e"
)

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
