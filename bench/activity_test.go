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

// BenchmarkActivityRoundTrip measures the activity round trip the issue
// names: from a worker's SendTaskSuccess to the next task of the execution
// in the hands of a waiting poller, through the real API on SQLite. One
// execution loops over an activity while P pollers long-poll it. With P > 1
// the next task finds the P-1 other pollers waiting and goes to one in the
// commit that schedules it; with P = 1 the only poller is still receiving
// its SendTaskSuccess answer then, so the task is queued and the poller's
// next poll claims it (in the execution's commit that records
// ActivityStarted). It reports p50 and p99 of that latency.
func BenchmarkActivityRoundTrip(b *testing.B) {
	for _, pollers := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("pollers=%d", pollers), func(b *testing.B) {
			activityLoop(b, pollers, 1)
		})
	}
}

// BenchmarkActivityThroughput saturates the server: P executions loop over
// an activity served by P pollers, so tasks queue and pollers rarely wait.
// It reports tasks/s and the same latency as BenchmarkActivityRoundTrip,
// which here is mostly queueing.
func BenchmarkActivityThroughput(b *testing.B) {
	for _, pollers := range []int{10, 100} {
		b.Run(fmt.Sprintf("pollers=%d", pollers), func(b *testing.B) {
			activityLoop(b, pollers, pollers)
		})
	}
}

// activityLoop runs b.N activity round trips of the given number of
// looping executions through the given number of pollers.
func activityLoop(b *testing.B, pollers, executions int) {
	client, _, stop := server(b)
	defer stop()
	ctx := context.Background()
	act, err := client.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("work")})
	if err != nil {
		b.Fatal(err)
	}
	// An execution ends when a worker answers {"stop":true}: the workers
	// do so after maxLoops tasks of one execution and start another in its
	// place, so that no execution reaches the 25,000-event history limit
	// (seven events a loop), whatever b.N is.
	def := `{"StartAt":"Work","States":{
		"Work":{"Type":"Task","Resource":"` + *act.ActivityArn + `","ResultPath":"$.r","Next":"Loop"},
		"Loop":{"Type":"Choice","Choices":[{"Variable":"$.r.stop","IsPresent":true,"Next":"Done"}],"Default":"Work"},
		"Done":{"Type":"Succeed"}}}`
	const maxLoops = 3000
	sm, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("loop"),
		Definition: aws.String(def), RoleArn: aws.String("arn:aws:iam::123456789012:role/bench")})
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	sent := map[string]time.Time{} // execution input → its last SendTaskSuccess
	loops := map[string]int{}      // execution input → tasks done
	started := executions          // executions started, for the next one's input
	startExecution := func(i int) error {
		_, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn,
			Input: aws.String(fmt.Sprintf(`{"e":%d}`, i))})
		return err
	}
	var lat []time.Duration
	remaining := b.N
	var wg sync.WaitGroup
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Pollers wait first, so the first tasks find them waiting too.
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
				}
				remaining--
				if remaining <= 0 {
					cancel()
				}
				sent[key] = time.Now()
				loops[key]++
				output, next := "{}", -1
				if loops[key] == maxLoops {
					output, next = `{"stop":true}`, started
					started++
				}
				mu.Unlock()
				if _, err := client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: t.TaskToken, Output: aws.String(output)}); err != nil {
					b.Error(err)
				}
				if next >= 0 && pctx.Err() == nil {
					if err := startExecution(next); err != nil {
						b.Error(err)
					}
				}
			}
		}()
	}
	b.ResetTimer()
	start := time.Now()
	for i := range executions {
		if err := startExecution(i); err != nil {
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
}
