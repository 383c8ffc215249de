package service

import (
	"context"
	"errors"

	"github.com/stepwise-run/stepwise/teststate"
)

// TestState runs one state in isolation, as AWS's TestState action does
// (see package teststate). Task states without a mock run through
// Config.Tasks.
func (s *Service) TestState(ctx context.Context, in *teststate.Request) (*teststate.Response, error) {
	seed := uint64(s.rand()*(1<<32))<<32 | uint64(s.rand()*(1<<32))
	out, err := teststate.Run(ctx, in, teststate.Options{
		Region:    s.arns.Region,
		Account:   s.arns.Account,
		Partition: s.arns.Partition,
		Now:       s.clock(),
		Seed:      seed,
		Tasks:     s.tasks,
	})
	var te *teststate.Error
	if errors.As(err, &te) {
		return nil, &Error{Code: te.Code, Message: te.Message}
	}
	if err != nil {
		return nil, internal("test state", err)
	}
	return out, nil
}
