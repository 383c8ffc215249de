package sqlite

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

// TestCheckpointerCopiesLog: commits go to the write-ahead log only (the
// write connection no longer checkpoints); the checkpointer copies them
// into the database file.
func TestCheckpointerCopiesLog(t *testing.T) {
	dir := t.TempDir()
	checkpointed := make(chan struct{}, 1)
	s, err := Open(t.Context(), dir, &Options{checkpointEvery: time.Millisecond, checkpointBytes: 1, checkpointed: func() {
		select {
		case checkpointed <- struct{}{}:
		default:
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
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
