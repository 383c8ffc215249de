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
	<-checkpointed
	<-checkpointed // one that began after the last commit
	if after := size(""); after < before+100*4000 {
		t.Fatalf("database file %d bytes, was %d: the log was not copied", after, before)
	}
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
	<-checkpointed
	<-checkpointed // one that began after the last commit
	fi, err := os.Stat(s.Path() + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	// 400 commits wrote about 15 MB to the log (with their index pages).
	if fi.Size() > limit || largest > 16*limit {
		t.Fatalf("log %d bytes at the end, %d at most: the checkpointer did not keep it near %d", fi.Size(), largest, limit)
	}
}
