package bench

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// BenchmarkActivityRoundTrip measures how long it takes from a worker's
// SendTaskSuccess to the next task of the same execution arriving at a
// waiting poller, through the real API on SQLite. Each execution loops
// over one activity; P pollers serve P executions. It reports p50 and p99
// of that latency and round trips per second.
func BenchmarkActivityRoundTrip(b *testing.B) {
	for _, pollers := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("pollers=%d", pollers), func(b *testing.B) {
			client, stop := server(b)
			defer stop()
			ctx := context.Background()
			act, err := client.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("work")})
			if err != nil {
				b.Fatal(err)
			}
			def := `{"StartAt":"Work","States":{
				"Work":{"Type":"Task","Resource":"` + *act.ActivityArn + `","ResultPath":null,"Next":"Loop"},
				"Loop":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],"Default":"Work"},
				"Done":{"Type":"Succeed"}}}`
			sm, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("loop"),
				Definition: aws.String(def), RoleArn: aws.String("arn:aws:iam::123456789012:role/bench")})
			if err != nil {
				b.Fatal(err)
			}
			// Pollers wait first, so every task finds one waiting.
			var mu sync.Mutex
			sent := map[string]time.Time{} // input marker → SendTaskSuccess time
			var lat []time.Duration
			remaining := b.N
			var wg sync.WaitGroup
			pctx, cancel := context.WithCancel(ctx)
			defer cancel()
			for p := range pollers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for pctx.Err() == nil {
						t, err := client.GetActivityTask(pctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn,
							WorkerName: aws.String(fmt.Sprintf("p%d", p))})
						if err != nil || t.TaskToken == nil || *t.TaskToken == "" {
							continue
						}
						now := time.Now()
						key := *t.Input
						mu.Lock()
						if at, ok := sent[key]; ok {
							lat = append(lat, now.Sub(at))
							delete(sent, key)
						}
						remaining--
						done := remaining <= 0
						mu.Unlock()
						out := "{}"
						if done {
							cancel()
						}
						mu.Lock()
						sent[key] = time.Now()
						mu.Unlock()
						if _, err := client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: t.TaskToken, Output: aws.String(out)}); err != nil {
							b.Error(err)
						}
					}
				}()
			}
			b.ResetTimer()
			start := time.Now()
			for i := range pollers {
				if _, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn,
					Input: aws.String(fmt.Sprintf(`{"e":%d}`, i))}); err != nil {
					b.Fatal(err)
				}
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			if len(lat) > 0 {
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "tasks/s")
		})
	}
}
