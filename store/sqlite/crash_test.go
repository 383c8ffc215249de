package sqlite_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"

	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/sqlite"
)

// crashEnv makes the test binary act as the crashing child of TestCrash.
const crashEnv = "STEPWISE_SQLITE_CRASH_DIR"

// TestCrash runs a child process that commits from many goroutines and
// reports each acknowledged commit, then kills it mid-stream without Close.
// Every acknowledged commit must be in the database when it is reopened.
func TestCrash(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("spawns a process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []int
	lines := bufio.NewScanner(out)
	for lines.Scan() && len(acked) < 500 {
		if n, err := strconv.Atoi(lines.Text()); err == nil {
			acked = append(acked, n)
		}
	}
	_ = cmd.Process.Kill() // a crash: no Close, commits in flight
	_ = cmd.Wait()
	if len(acked) < 500 {
		t.Fatalf("child acknowledged only %d commits before exiting", len(acked))
	}

	s := openStore(t, dir)
	defer s.Close()
	for _, n := range acked {
		e, err := s.GetExecution(t.Context(), fmt.Sprint("arn:e", n))
		if err != nil {
			t.Fatalf("acknowledged commit %d lost: %v", n, err)
		}
		h, err := s.ReadHistory(t.Context(), &store.ReadHistoryParams{ExecutionARN: e.ARN})
		if err != nil || len(h) != 1 {
			t.Fatalf("history of acknowledged commit %d: %v %v", n, h, err)
		}
	}
}

// TestCrashChild is TestCrash's child process; it does nothing otherwise.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("run by TestCrash")
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := g; ; i += 16 {
				e := store.Execution{ARN: fmt.Sprint("arn:e", i), StateMachineARN: "arn:sm", Name: fmt.Sprint(i), Status: store.StatusRunning}
				err := s.Commit(ctx, &store.Batch{
					Executions: []store.ExecutionWrite{{Execution: e}},
					History:    []store.HistoryChunk{{ExecutionARN: e.ARN, FirstEventID: 1, LastEventID: 1, Events: []byte("x")}},
				})
				if errors.Is(err, store.ErrClosed) {
					return
				}
				if err != nil {
					panic(err)
				}
				mu.Lock()
				fmt.Println(i)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}
