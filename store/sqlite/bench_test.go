package sqlite_test

import (
	"bytes"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/sqlite"
)

// BenchmarkCommit measures durable commits of a typical transition: one
// execution snapshot (1 KiB), one history chunk (2 KiB) and one outbox row.
// "parallel-64" commits from 64 goroutines, which group commit batches into
// shared transactions; "serial" commits from one goroutine, one transaction
// per commit, as the baseline. Compare their commits/s.
func BenchmarkCommit(b *testing.B) {
	snapshot := bytes.Repeat([]byte("s"), 1024)
	events := bytes.Repeat([]byte("e"), 2048)
	run := func(b *testing.B, goroutines int) {
		s, err := sqlite.Open(b.Context(), b.TempDir(), nil)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		var execs, rows atomic.Int64
		// worker commits to its own execution until pb says stop.
		worker := func(next func() bool) {
			e := store.Execution{
				ARN: fmt.Sprint("arn:e:", execs.Add(1)), StateMachineARN: "arn:sm", Status: store.StatusRunning,
				Input: []byte(`{}`), StartDate: time.Unix(1, 0), Snapshot: snapshot,
			}
			e.Name = e.ARN
			version := int64(0)
			for next() {
				batch := &store.Batch{
					Executions:    []store.ExecutionWrite{{Execution: e, ExpectedVersion: version}},
					OutboxInserts: []store.OutboxRow{{ID: fmt.Sprint(rows.Add(1)), ExecutionARN: e.ARN, Kind: "task", Payload: []byte(`{}`)}},
				}
				if version > 0 {
					batch.History = []store.HistoryChunk{{ExecutionARN: e.ARN, FirstEventID: version, LastEventID: version, Events: events}}
				}
				if err := s.Commit(b.Context(), batch); err != nil {
					b.Error(err)
					return
				}
				version++
			}
		}
		b.ResetTimer()
		start := time.Now()
		if goroutines == 1 {
			i := 0
			worker(func() bool { i++; return i <= b.N })
		} else {
			b.SetParallelism(max(1, goroutines/runtimeProcs()))
			b.RunParallel(func(pb *testing.PB) { worker(pb.Next) })
		}
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "commits/s")
		st := s.Stats()
		b.ReportMetric(float64(st.Writes)/float64(st.Transactions), "commits/tx")
	}
	b.Run("serial", func(b *testing.B) { run(b, 1) })
	b.Run("parallel-64", func(b *testing.B) { run(b, 64) })
}
