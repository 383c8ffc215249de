package service

import (
	"context"
	"errors"
	"strings"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/store"
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
func (s *Service) RedriveExecution(ctx context.Context, in *RedriveExecutionInput) (*RedriveExecutionOutput, error) {
	if _, err := parseARN(in.ExecutionArn, "executionArn", arn.KindExecution); err != nil {
		return nil, err
	}
	if err := checkLength(in.ClientToken, "clientToken", 64); err != nil {
		return nil, err
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
	return &RedriveExecutionOutput{RedriveDate: NewTimestamp(date)}, nil
}
