// Package bench holds end-to-end benchmarks of Stepwise: the whole server
// stack (AWS SDK client → HTTP API → service → runner → SQLite with durable
// commits) on loopback.
package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwise-run/stepwise/api"
	"github.com/stepwise-run/stepwise/runner"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/service/callbacks"
	"github.com/stepwise-run/stepwise/store/sqlite"
)

// server starts the full stack on a loopback port and returns an SDK
// client of it, its URL and a function that stops it.
func server(b *testing.B) (*sfn.Client, string, func()) {
	b.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	rt, err := runner.New(runner.Config{Store: st})
	if err != nil {
		b.Fatal(err)
	}
	if err := rt.Start(ctx); err != nil {
		b.Fatal(err)
	}
	svc, err := service.New(service.Config{Store: st, Runtime: rt, Callbacks: callbacks.FromRunner(rt)})
	if err != nil {
		b.Fatal(err)
	}
	h, err := api.New(api.Config{Service: svc})
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	client := sfn.New(sfn.Options{
		BaseEndpoint: aws.String("http://" + ln.Addr().String()),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		HTTPClient:   &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}},
	})
	return client, "http://" + ln.Addr().String(), func() {
		srv.Close()
		rt.Close()
		st.Close()
	}
}

// chain is a 10-state Pass chain: each Start runs to its end in one
// durable commit.
func chain() string {
	var states []string
	for i := range 10 {
		next := fmt.Sprintf(`"Next":"S%d"`, i+1)
		if i == 9 {
			next = `"End":true`
		}
		states = append(states, fmt.Sprintf(`"S%d":{"Type":"Pass","Parameters":{"n.$":"$.n","step":%d},"ResultPath":"$.last",%s}`, i, i, next))
	}
	return `{"StartAt":"S0","States":{` + strings.Join(states, ",") + `}}`
}

// BenchmarkStartExecution starts Standard executions of a 10-state chain
// through the API from 64 concurrent clients; every start is durably
// committed with its whole history before the response. It reports
// starts/s, transitions/s and the StartExecution latency p50 and p99, and,
// as the baseline measured in the same run, the rate of DescribeStateMachine
// calls (an API round trip with a store read and no commit).
func BenchmarkStartExecution(b *testing.B) {
	client, url, stop := server(b)
	defer stop()
	ctx := context.Background()
	sm, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("bench"), Definition: aws.String(chain()),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/bench"),
	})
	if err != nil {
		b.Fatal(err)
	}
	const clients = 64
	run := func(n int, call func(i int64) error) (time.Duration, []time.Duration) {
		var next atomic.Int64
		lat := make([][]time.Duration, clients)
		var wg sync.WaitGroup
		start := time.Now()
		for c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1)
					if i > int64(n) {
						return
					}
					t0 := time.Now()
					if err := call(i); err != nil {
						b.Error(err)
						return
					}
					lat[c] = append(lat[c], time.Since(t0))
				}
			}()
		}
		wg.Wait()
		var all []time.Duration
		for _, l := range lat {
			all = append(all, l...)
		}
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		return time.Since(start), all
	}
	b.Run("Describe-baseline", func(b *testing.B) {
		elapsed, _ := run(b.N, func(int64) error {
			_, err := client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: sm.StateMachineArn})
			return err
		})
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "calls/s")
	})
	// The same calls from a plain HTTP client speaking the AWS JSON 1.0
	// protocol, without the SDK's signing and middleware: the server's
	// share of the machine grows (client and server share its two cores).
	raw := &rawClient{url: url, http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}}
	b.Run("Describe-baseline-raw", func(b *testing.B) {
		body := `{"stateMachineArn":"` + *sm.StateMachineArn + `"}`
		elapsed, _ := run(b.N, func(int64) error { return raw.call("DescribeStateMachine", body) })
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "calls/s")
	})
	var prefix atomic.Int64
	b.Run("Start10StateChain-raw", func(b *testing.B) {
		p := prefix.Add(1)
		elapsed, lat := run(b.N, func(i int64) error {
			return raw.call("StartExecution", fmt.Sprintf(`{"stateMachineArn":%q,"name":"x%d-%d","input":"{\"n\":%d}"}`,
				*sm.StateMachineArn, p, i, i))
		})
		reportStarts(b, elapsed, lat)
	})
	b.Run("Start10StateChain", func(b *testing.B) {
		p := prefix.Add(1)
		elapsed, lat := run(b.N, func(i int64) error {
			_, err := client.StartExecution(ctx, &sfn.StartExecutionInput{
				StateMachineArn: sm.StateMachineArn, Name: aws.String(fmt.Sprintf("e%d-%d", p, i)),
				Input: aws.String(fmt.Sprintf(`{"n":%d}`, i)),
			})
			return err
		})
		reportStarts(b, elapsed, lat)
	})
	// At a fixed rate of 1,000 starts/s (one start every millisecond, each
	// in its own goroutine), the latency a client sees when the server is
	// not saturated.
	b.Run("Start10StateChainAt1000PerSecond", func(b *testing.B) {
		p := prefix.Add(1)
		var mu sync.Mutex
		var lat []time.Duration
		var wg sync.WaitGroup
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		start := time.Now()
		for i := range b.N {
			<-tick.C
			wg.Add(1)
			go func() {
				defer wg.Done()
				t0 := time.Now()
				_, err := client.StartExecution(ctx, &sfn.StartExecutionInput{
					StateMachineArn: sm.StateMachineArn, Name: aws.String(fmt.Sprintf("r%d-%d", p, i)),
					Input: aws.String(fmt.Sprintf(`{"n":%d}`, i)),
				})
				if err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				lat = append(lat, time.Since(t0))
				mu.Unlock()
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "starts/s")
		if len(lat) > 0 {
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		}
	})
}

// reportStarts reports the rate of b.N starts of the 10-state chain over
// elapsed, and the latency percentiles of lat (sorted).
func reportStarts(b *testing.B, elapsed time.Duration, lat []time.Duration) {
	starts := float64(b.N) / elapsed.Seconds()
	b.ReportMetric(starts, "starts/s")
	b.ReportMetric(starts*10, "transitions/s")
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}

// rawClient sends AWS JSON 1.0 requests over plain HTTP.
type rawClient struct {
	url  string
	http *http.Client
}

// call sends one action and fails unless the server answers 200.
func (c *rawClient) call(action, body string) error {
	req, err := http.NewRequest(http.MethodPost, c.url, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AWSStepFunctions."+action)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s %s", action, resp.Status, out)
	}
	return nil
}
