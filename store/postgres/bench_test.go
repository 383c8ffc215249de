package postgres_test

import (
	"bytes"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

// BenchmarkCommit commits a typical transition (1 KiB snapshot, 2 KiB
// history chunk, one outbox row) from 1 goroutine ("serial") and from 32.
func BenchmarkCommit(b *testing.B) {
	snapshot := bytes.Repeat([]byte("s"), 1024)
	events := bytes.Repeat([]byte("e"), 2048)
	run := func(b *testing.B, goroutines int) {
		s := openStoreTB(b, 32)
		var execs, rows atomic.Int64
		worker := func(next func() bool) {
			e := store.Execution{ARN: fmt.Sprint("arn:e:", execs.Add(1)), StateMachineARN: "arn:sm", Status: store.StatusRunning,
				Input: []byte(`{}`), StartDate: time.Unix(1, 0), Snapshot: snapshot}
			e.Name = e.ARN
			for version := int64(0); next(); version++ {
				batch := &store.Batch{
					Executions:    []store.ExecutionWrite{{Execution: e, ExpectedVersion: version}},
					OutboxInserts: []store.OutboxRow{{ID: fmt.Sprint(rows.Add(1)), ExecutionARN: e.ARN, Kind: "task"}},
				}
				if version > 0 {
					batch.History = []store.HistoryChunk{{ExecutionARN: e.ARN, FirstEventID: version, LastEventID: version, Events: events}}
				}
				if err := s.Commit(b.Context(), batch); err != nil {
					b.Error(err)
					return
				}
			}
		}
		b.ResetTimer()
		start := time.Now()
		if goroutines == 1 {
			i := 0
			worker(func() bool { i++; return i <= b.N })
		} else {
			b.SetParallelism(max(1, goroutines/runtime.GOMAXPROCS(0)))
			b.RunParallel(func(pb *testing.PB) { worker(pb.Next) })
		}
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "commits/s")
	}
	b.Run("serial", func(b *testing.B) { run(b, 1) })
	b.Run("parallel-32", func(b *testing.B) { run(b, 32) })
}
