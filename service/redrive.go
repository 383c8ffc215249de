package service

import (
	"context"
	"errors"
	"hash/fnv"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/store"
)

// Client tokens of RedriveExecution, as AWS documents them: "The API will
// return idempotent responses for the last 10 client tokens used to
// successfully redrive the execution. These client tokens are valid for up
// to 15 minutes after they are first used."
const (
	// RedriveTokensKept is how many of an execution's newest redrive client
	// tokens answer idempotently.
	RedriveTokensKept = 10
	// RedriveTokenValidity is how long after its first use a redrive client
	// token answers idempotently.
	RedriveTokenValidity = 15 * time.Minute
)

// RedriveExecutionInput is the request of RedriveExecution.
type RedriveExecutionInput struct {
	ExecutionArn string `json:"executionArn"`
	ClientToken  string `json:"clientToken,omitempty"`
}

// RedriveExecutionOutput is the response of RedriveExecution.
type RedriveExecutionOutput struct {
	RedriveDate Timestamp `json:"redriveDate"`
}

// RedriveExecution restarts a FAILED, TIMED_OUT or ABORTED Standard
// execution from where it failed, through the runtime.
//
// A request whose client token is one of the execution's last
// RedriveTokensKept tokens of successful redrives, first used at most
// RedriveTokenValidity ago by the service's clock, answers with that
// redrive's date and redrives nothing, whatever the execution's status now.
// The tokens are kept in the store (store.RedriveToken), recorded after the
// runtime's redrive commit; redrives of one execution are serialised in
// this process so that concurrent retries with one token redrive once.
func (s *Service) RedriveExecution(ctx context.Context, in *RedriveExecutionInput) (*RedriveExecutionOutput, error) {
	if _, err := parseARN(in.ExecutionArn, "executionArn", arn.KindExecution); err != nil {
		return nil, err
	}
	if err := checkLength(in.ClientToken, "clientToken", 64); err != nil {
		return nil, err
	}
	if out, err := s.redriveAgain(ctx, in); out != nil || err != nil {
		return out, err
	}
	mu := &s.redriveLocks[lockIndex(in.ExecutionArn)]
	mu.Lock()
	defer mu.Unlock()
	// A concurrent request with the same token may have redriven the
	// execution while this one waited.
	if out, err := s.redriveAgain(ctx, in); out != nil || err != nil {
		return out, err
	}
	x, err := s.store.GetExecution(ctx, in.ExecutionArn)
	if err != nil {
		return nil, notFoundAs(err, executionDoesNotExist(in.ExecutionArn), "redrive execution")
	}
	if status, reason := s.redriveStatus(x); status != RedriveStatusRedrivable {
		return nil, newError(CodeExecutionNotRedrivable, "%s", reason)
	}
	if err := s.needRuntime(); err != nil {
		return nil, err
	}
	firstUsed := s.clock()
	date, err := s.runtime.RedriveExecution(ctx, in.ExecutionArn)
	switch {
	case errors.Is(err, ErrNotRedrivable):
		reason := strings.TrimPrefix(strings.TrimPrefix(err.Error(), ErrNotRedrivable.Error()), ": ")
		return nil, newError(CodeExecutionNotRedrivable, "%s", reason)
	case errors.Is(err, store.ErrNotFound):
		return nil, executionDoesNotExist(in.ExecutionArn)
	case err != nil:
		return nil, internal("redrive execution", err)
	}
	if in.ClientToken != "" {
		// The redrive is committed: failing to remember the token only
		// makes a retry with it fail as ExecutionNotRedrivable (the
		// execution runs), so the redrive still answers with success.
		_ = s.store.PutRedriveToken(context.WithoutCancel(ctx), &store.PutRedriveTokenParams{
			RedriveToken: store.RedriveToken{ExecutionARN: in.ExecutionArn, Token: in.ClientToken, RedriveDate: date, FirstUsed: firstUsed},
			Keep:         RedriveTokensKept,
			ExpireBefore: firstUsed.Add(-RedriveTokenValidity),
		})
	}
	return &RedriveExecutionOutput{RedriveDate: NewTimestamp(date)}, nil
}

// redriveAgain answers a request whose client token redrove the execution
// recently, and returns nil, nil otherwise.
func (s *Service) redriveAgain(ctx context.Context, in *RedriveExecutionInput) (*RedriveExecutionOutput, error) {
	if in.ClientToken == "" {
		return nil, nil
	}
	t, err := s.store.GetRedriveToken(ctx, in.ExecutionArn, in.ClientToken)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, internal("redrive execution", err)
	}
	if s.clock().Sub(t.FirstUsed) > RedriveTokenValidity {
		return nil, nil
	}
	return &RedriveExecutionOutput{RedriveDate: NewTimestamp(t.RedriveDate)}, nil
}

// redriveLockCount is the number of locks RedriveExecution stripes
// executions over.
const redriveLockCount = 64

// lockIndex picks the redrive lock of an execution.
func lockIndex(executionARN string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(executionARN))
	return int(h.Sum32() % redriveLockCount)
}
