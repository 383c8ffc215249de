package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/value"
)

// waitNoneRunning polls ListExecutions (RUNNING) until no state machine
// has a running execution, or fails after timeout naming some that still
// run.
func waitNoneRunning(ctx context.Context, c *sfn.Client, smARNs []string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		var running []string
		for _, arn := range smARNs {
			out, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn),
				StatusFilter: types.ExecutionStatusRunning, MaxResults: 5})
			if err != nil {
				return fmt.Errorf("list running executions: %w", err)
			}
			for _, e := range out.Executions {
				running = append(running, aws.ToString(e.Name))
			}
		}
		if len(running) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("executions still RUNNING %v after the last restart, e.g. %v", timeout, running)
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// verifyAll checks every started execution and returns one line per
// execution that differs from its uninterrupted run.
func verifyAll(ctx context.Context, c *sfn.Client, machines []*engine.Machine, smARNs []string, started []startedExecution) []string {
	var (
		mu       sync.Mutex
		failures []string
		wg       sync.WaitGroup
	)
	work := make(chan startedExecution)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range work {
				if msg := verifyOne(ctx, c, machines[s.machine], smARNs[s.machine], s); msg != "" {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("%s (%s, batch %d, input %s): %s",
						s.name, crashMachines[s.machine].name, s.batch, s.input, msg))
					mu.Unlock()
				}
			}
		}()
	}
	for _, s := range started {
		work <- s
	}
	close(work)
	wg.Wait()
	return failures
}

// verifyOne compares one execution with the reference run.
func verifyOne(ctx context.Context, c *sfn.Client, m *engine.Machine, smARN string, s startedExecution) string {
	d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(s.arn)})
	if err != nil {
		return fmt.Sprintf("describe (acknowledged start: %v): %v", s.acked, err)
	}
	if got := aws.ToString(d.Input); got != s.input {
		return fmt.Sprintf("input %s, want %s", got, s.input)
	}
	meta := engine.Meta{
		ExecutionARN: s.arn, ExecutionName: s.name,
		StateMachineARN: smARN, StateMachineName: smARN[strings.LastIndexByte(smARN, ':')+1:],
		RoleARN: crashRoleARN, StartTime: aws.ToTime(d.StartDate).Round(time.Millisecond),
	}
	want, err := Reference(ctx, m, s.input, meta)
	if err != nil {
		return err.Error()
	}
	var problems []string
	if string(d.Status) != want.Status {
		problems = append(problems, fmt.Sprintf("status %s (%s %s), want %s", d.Status,
			aws.ToString(d.Error), aws.ToString(d.Cause), want.Status))
	} else if got := aws.ToString(d.Output); got != want.Output {
		problems = append(problems, outputDiff(got, want.Output))
	}
	events, err := FetchHistory(ctx, c, s.arn, 25)
	if err != nil {
		return fmt.Sprintf("history: %v", err)
	}
	if diff := DiffHistories(want.Events, events); diff != "" {
		what := "history"
		if SameEventsAnyOrder(want.Events, events) && !strings.Contains(diff, "ids must run") {
			what = "history reordered (same events, none missing or repeated)"
		}
		problems = append(problems, fmt.Sprintf("%s (%d events, want %d):\n%s", what, len(events), len(want.Events), diff))
	}
	return strings.Join(problems, "; ")
}

// failureKind classifies a verifyOne message for the summary.
func failureKind(msg string) string {
	switch {
	case strings.Contains(msg, "ExecutionAlreadyExists"):
		return "repeated StartExecution refused"
	case strings.Contains(msg, "describe"):
		return "missing"
	case strings.Contains(msg, "status "):
		return "status"
	case strings.Contains(msg, "events missing"), strings.Contains(msg, "extra events"):
		return "events missing or extra"
	case strings.Contains(msg, "output "):
		return "output"
	case strings.Contains(msg, "history reordered") && strings.Count(msg, "WaitStateExited") >= 2:
		return "history reordered: timers fired out of due order"
	case strings.Contains(msg, "history reordered"):
		return "history reordered"
	case strings.Contains(msg, "history"):
		return "history details"
	}
	return "other"
}

// outputDiff describes an output that differs from the expected one.
func outputDiff(got, want string) string {
	g, gerr := value.Parse([]byte(got))
	w, werr := value.Parse([]byte(want))
	if gerr == nil && werr == nil && value.Equal(g, w) {
		return fmt.Sprintf("output text %s, want %s (equal values)", got, want)
	}
	return fmt.Sprintf("output %s, want %s", got, want)
}

// countExecutions counts the executions ListExecutions lists, all pages.
func countExecutions(ctx context.Context, c *sfn.Client, smARNs []string) (int, error) {
	n := 0
	for _, arn := range smARNs {
		p := sfn.NewListExecutionsPaginator(c, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn), MaxResults: 100})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				return 0, fmt.Errorf("list executions: %w", err)
			}
			n += len(out.Executions)
		}
	}
	return n, nil
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
