package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// skipUnlessE2E skips tests that start servers unless STEPWISE_E2E=1.
func skipUnlessE2E(t *testing.T) {
	t.Helper()
	if os.Getenv("STEPWISE_E2E") != "1" {
		t.Skip("end-to-end test: set STEPWISE_E2E=1 to run it")
	}
}

// crashSeed is STEPWISE_E2E_SEED when set (to replay a run), else the clock.
func crashSeed(t *testing.T) uint64 {
	if s := os.Getenv("STEPWISE_E2E_SEED"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("STEPWISE_E2E_SEED: %v", err)
		}
		return seed
	}
	return uint64(time.Now().UnixNano())
}

// plannedExecution is one execution of the plan, fixed by the seed.
type plannedExecution struct {
	machine int
	name    string
	input   string
	// batch 0 starts before the first kill; batch 2k-1 just after the
	// (k-1)-th restart and batch 2k just before the k-th kill, so that
	// the kill cuts some of its requests off.
	batch int
}

// startedExecution is what the test knows of an execution it started.
type startedExecution struct {
	plannedExecution
	arn string
	// acked: StartExecution answered with success. Otherwise an attempt
	// was cut off by a kill and a later one found the execution existing.
	acked bool
	// existing: when a repeated StartExecution answered
	// ExecutionAlreadyExists, the execution's status and input just after.
	existingStatus, existingInput string
}

// harness talks to a server that the test kills and restarts.
type harness struct {
	srv             *Server
	c               *sfn.Client
	transportErrors atomic.Int64
}

// call runs fn until it gets an answer from the server: a transport
// failure (the server was killed) waits for the next incarnation and
// tries again. It reports whether an attempt failed in transport.
func (h *harness) call(ctx context.Context, fn func(context.Context) error) (retried bool, err error) {
	for attempt := 1; ; attempt++ {
		select {
		case <-h.srv.Ready():
		case <-ctx.Done():
			return retried, ctx.Err()
		}
		err = fn(ctx)
		if err == nil || IsAPIError(err) || ctx.Err() != nil {
			return retried, err
		}
		if exited, status := h.srv.Exited(); exited {
			return retried, fmt.Errorf("the server died on its own (%v): %w", status, err)
		}
		if attempt == 100 {
			return retried, fmt.Errorf("no answer after %d attempts: %w", attempt, err)
		}
		retried = true
		h.transportErrors.Add(1)
	}
}

// start starts a planned execution, surviving kills. When an attempt was
// cut off, a later one may find the execution already there (AWS answers
// a repeated StartExecution with the same input like the first one, and
// ExecutionAlreadyExists once the execution has ended); the test then
// checks later that the stored execution has its input.
func (h *harness) start(ctx context.Context, smARN string, p plannedExecution) (startedExecution, error) {
	s := startedExecution{plannedExecution: p, arn: executionARN(smARN, p.name)}
	var out *sfn.StartExecutionOutput
	retried, err := h.call(ctx, func(ctx context.Context) error {
		var err error
		out, err = h.c.StartExecution(ctx, &sfn.StartExecutionInput{
			StateMachineArn: aws.String(smARN), Name: aws.String(p.name), Input: aws.String(p.input)})
		return err
	})
	var exists *types.ExecutionAlreadyExists
	switch {
	case err == nil:
		s.acked = true
		if got := aws.ToString(out.ExecutionArn); got != s.arn {
			return s, fmt.Errorf("start %s: execution ARN %s, want %s", p.name, got, s.arn)
		}
	case retried && errors.As(err, &exists):
		// AWS answers a repeat with the same input like the first call
		// while the execution runs; note what was there to check it.
		var d *sfn.DescribeExecutionOutput
		if _, err := h.call(ctx, func(ctx context.Context) error {
			var err error
			d, err = h.c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(s.arn)})
			return err
		}); err != nil {
			return s, fmt.Errorf("describe %s after ExecutionAlreadyExists: %w", p.name, err)
		}
		s.existingStatus, s.existingInput = string(d.Status), aws.ToString(d.Input)
	default:
		return s, fmt.Errorf("start %s: %w", p.name, err)
	}
	return s, nil
}

// executionARN is the ARN a Standard execution named name of the state
// machine smARN gets.
func executionARN(smARN, name string) string {
	return strings.Replace(smARN, ":stateMachine:", ":execution:", 1) + ":" + name
}
