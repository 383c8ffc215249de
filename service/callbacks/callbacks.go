// Package callbacks adapts the task-token calls of package runner
// (activity polls, SendTask*) to service.TaskCallbacks. It lives apart
// from package service because runner imports service.
package callbacks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/stepwise-run/stepwise/runner"
	"github.com/stepwise-run/stepwise/service"
)

// FromRunner returns r's task-token calls as service.TaskCallbacks.
func FromRunner(r *runner.Runner) service.TaskCallbacks { return adapter{r} }

type adapter struct{ r *runner.Runner }

func (a adapter) GetActivityTask(ctx context.Context, activityARN, worker string, wait time.Duration) (*service.ActivityTask, error) {
	t, err := a.r.GetActivityTask(ctx, activityARN, worker, wait)
	if err != nil || t == nil {
		return nil, err
	}
	return &service.ActivityTask{Token: t.Token, Input: t.Input}, nil
}

func (a adapter) SendTaskSuccess(ctx context.Context, token, output string) error {
	return tokenError(a.r.SendTaskSuccess(ctx, token, output))
}

func (a adapter) SendTaskFailure(ctx context.Context, token, errName, cause string) error {
	return tokenError(a.r.SendTaskFailure(ctx, token, errName, cause))
}

func (a adapter) SendTaskHeartbeat(ctx context.Context, token string) error {
	return tokenError(a.r.SendTaskHeartbeat(ctx, token))
}

// tokenError wraps the runner's token errors with the service's.
func tokenError(err error) error {
	switch {
	case errors.Is(err, runner.ErrInvalidToken):
		return fmt.Errorf("%w: %v", service.ErrInvalidTaskToken, err)
	case errors.Is(err, runner.ErrTaskDoesNotExist):
		return fmt.Errorf("%w: %v", service.ErrTaskDoesNotExist, err)
	}
	return err
}
