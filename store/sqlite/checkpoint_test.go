package sqlite

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

// openCheckpointing opens a store whose checkpointer looks every
// millisecond and checkpoints whatever was committed, with the given log
// limit (0: the default). Each checkpoint is signalled on the channel
// (when nobody waits for the signal, it is dropped).
func openCheckpointing(t *testing.T, walLimit int64) (*Store, chan struct{}) {
	t.Helper()
	checkpointed := make(chan struct{}, 1)
	s, err := Open(t.Context(), t.TempDir(), &Options{checkpointEvery: time.Millisecond, checkpointBytes: 1, walLimit: walLimit,
		checkpointed: func() {
			select {
			case checkpointed <- struct{}{}:
			default:
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	return s, checkpointed
}

// TestCheckpointerCopiesLog: commits go to the write-ahead log only (the
// write connection no longer checkpoints); the checkpointer copies them
// into the database file.
func TestCheckpointerCopiesLog(t *testing.T) {
	s, checkpointed := openCheckpointing(t, 0)
	defer s.Close()
	size := func(name string) int64 {
		fi, err := os.Stat(s.Path() + name)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size("")
	for i := range 200 {
		e := store.Execution{ARN: fmt.Sprintf("arn:e%d", i), StateMachineARN: "arn:sm", Name: fmt.Sprintf("e%d", i),
			Definition: "{}", Input: []byte(strings.Repeat("x", 4000)), Status: store.StatusRunning}
		if err := s.Commit(t.Context(), &store.Batch{Executions: []store.ExecutionWrite{{Execution: e}}}); err != nil {
			t.Fatal(err)
		}
	}
	if size("-wal") == 0 {
		t.Fatal("the commits did not go to the log")
	}
	untilCheckpointed(t, s, checkpointed, func() bool { return size("") >= before+100*4000 },
		"the log was not copied into the database file")
}

// untilCheckpointed waits, a checkpoint at a time, until cond holds. Before
// each wait it commits a small write, so that a checkpoint follows (the
// checkpointer skips rounds with nothing new) and the wait ends even when
// the signal received was of a round that began earlier. It fails with
// msg after 50 rounds.
func untilCheckpointed(t *testing.T, s *Store, checkpointed chan struct{}, cond func() bool, msg string) {
	t.Helper()
	for i := range 50 {
		e := store.Execution{ARN: fmt.Sprintf("arn:tick%d", i), StateMachineARN: "arn:sm", Name: fmt.Sprintf("tick%d", i),
			Definition: "{}", Input: []byte("{}"), Status: store.StatusRunning}
		if err := s.Commit(t.Context(), &store.Batch{Executions: []store.ExecutionWrite{{Execution: e}}}); err != nil {
			t.Fatal(err)
		}
		<-checkpointed
		if cond() {
			return
		}
	}
	t.Fatal(msg)
}

// TestCheckpointerResetsLog: under a steady load of reads and writes the
// log never restarts by itself; once it passes the limit the checkpointer
// empties it.
func TestCheckpointerResetsLog(t *testing.T) {
	const limit = 256 << 10
	s, checkpointed := openCheckpointing(t, limit)
	defer s.Close()
	stop := make(chan struct{})
	readerDone := make(chan struct{})
	go func() { // a steady reader
		defer close(readerDone)
		for {
			select {
			case <-stop:
				return
			default:
			}
			_, _ = s.GetExecution(t.Context(), "arn:e0")
		}
	}()
	largest := int64(0)
	for i := range 400 {
		e := store.Execution{ARN: fmt.Sprintf("arn:e%d", i), StateMachineARN: "arn:sm", Name: fmt.Sprintf("e%d", i),
			Definition: "{}", Input: []byte(strings.Repeat("x", 4000)), Status: store.StatusRunning}
		if err := s.Commit(t.Context(), &store.Batch{Executions: []store.ExecutionWrite{{Execution: e}}}); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(s.Path() + "-wal"); err == nil {
			largest = max(largest, fi.Size())
		}
	}
	close(stop)
	<-readerDone
	// 400 commits wrote about 15 MB to the log (with their index pages).
	if largest > 16*limit {
		t.Fatalf("log of %d bytes at most: the checkpointer did not keep it near %d", largest, limit)
	}
	untilCheckpointed(t, s, checkpointed, func() bool {
		fi, err := os.Stat(s.Path() + "-wal")
		return err == nil && fi.Size() <= limit
	}, "the log was not emptied")
}
