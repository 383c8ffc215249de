package service

import (
	"context"
	"errors"
	"time"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/value"
)

// TaskCallbacks hands activity tasks to workers and delivers the results of
// activity and .waitForTaskToken tasks, addressed by task token. The
// runtime implements it (cmd/stepwise adapts package runner).
type TaskCallbacks interface {
	// GetActivityTask long-polls an activity's queue for up to wait and
	// returns the task claimed for this worker, or nil when none came.
	GetActivityTask(ctx context.Context, activityARN, worker string, wait time.Duration) (*ActivityTask, error)
	// SendTaskSuccess completes a task with output (JSON text).
	SendTaskSuccess(ctx context.Context, token, output string) error
	// SendTaskFailure fails a task.
	SendTaskFailure(ctx context.Context, token, errName, cause string) error
	// SendTaskHeartbeat records a heartbeat of a task.
	SendTaskHeartbeat(ctx context.Context, token string) error
}

// ActivityTask is a task given to an activity worker.
type ActivityTask struct {
	Token string
	Input []byte
}

// Errors a TaskCallbacks implementation wraps so that the service can
// answer with AWS's error codes.
var (
	// ErrInvalidTaskToken: the token was not issued by this server.
	ErrInvalidTaskToken = errors.New("invalid task token")
	// ErrTaskDoesNotExist: the token names no task that is waited for.
	ErrTaskDoesNotExist = errors.New("task does not exist")
	// ErrTaskTimedOut: the task timed out before the call.
	ErrTaskTimedOut = errors.New("task timed out")
)

// DefaultActivityPollWait is how long GetActivityTask waits for a task, as
// on AWS.
const DefaultActivityPollWait = 60 * time.Second

// maxTaskToken is the longest task token AWS accepts.
const maxTaskToken = 2048

// GetActivityTaskInput is the request of GetActivityTask.
type GetActivityTaskInput struct {
	ActivityArn string `json:"activityArn"`
	WorkerName  string `json:"workerName,omitempty"`
}

// GetActivityTaskOutput is the response of GetActivityTask: empty when no
// task came within the poll.
type GetActivityTaskOutput struct {
	TaskToken string  `json:"taskToken,omitempty"`
	Input     *string `json:"input,omitempty"`
}

// SendTaskSuccessInput is the request of SendTaskSuccess.
type SendTaskSuccessInput struct {
	TaskToken string `json:"taskToken"`
	Output    string `json:"output"`
}

// SendTaskSuccessOutput is the (empty) response of SendTaskSuccess.
type SendTaskSuccessOutput struct{}

// SendTaskFailureInput is the request of SendTaskFailure.
type SendTaskFailureInput struct {
	TaskToken string `json:"taskToken"`
	Error     string `json:"error,omitempty"`
	Cause     string `json:"cause,omitempty"`
}

// SendTaskFailureOutput is the (empty) response of SendTaskFailure.
type SendTaskFailureOutput struct{}

// SendTaskHeartbeatInput is the request of SendTaskHeartbeat.
type SendTaskHeartbeatInput struct {
	TaskToken string `json:"taskToken"`
}

// SendTaskHeartbeatOutput is the (empty) response of SendTaskHeartbeat.
type SendTaskHeartbeatOutput struct{}

func (s *Service) needCallbacks() error {
	if s.callbacks == nil {
		return errors.New("service: no task callbacks configured")
	}
	return nil
}

// GetActivityTask gives the oldest queued task of an activity to a worker,
// waiting up to a minute for one.
func (s *Service) GetActivityTask(ctx context.Context, in *GetActivityTaskInput) (*GetActivityTaskOutput, error) {
	if _, err := parseARN(in.ActivityArn, "activityArn", arn.KindActivity); err != nil {
		return nil, err
	}
	if err := checkLength(in.WorkerName, "workerName", 80); err != nil {
		return nil, err
	}
	if _, err := s.activities.get(in.ActivityArn, func() (*store.Activity, error) { return s.store.GetActivity(ctx, in.ActivityArn) },
		func(*store.Activity) bool { return true }); err != nil {
		return nil, notFoundAs(err, newError(CodeActivityDoesNotExist, "Activity Does Not Exist: '%s'", in.ActivityArn), "get activity task")
	}
	if err := s.needCallbacks(); err != nil {
		return nil, err
	}
	t, err := s.callbacks.GetActivityTask(ctx, in.ActivityArn, in.WorkerName, s.pollWait)
	if err != nil {
		return nil, internal("get activity task", err)
	}
	if t == nil {
		return &GetActivityTaskOutput{}, nil
	}
	input := string(t.Input)
	return &GetActivityTaskOutput{TaskToken: t.Token, Input: &input}, nil
}

// SendTaskSuccess completes an activity or .waitForTaskToken task.
func (s *Service) SendTaskSuccess(ctx context.Context, in *SendTaskSuccessInput) (*SendTaskSuccessOutput, error) {
	if err := checkTaskToken(in.TaskToken); err != nil {
		return nil, err
	}
	if len(in.Output) > MaxPayloadSize {
		return nil, newError(CodeInvalidOutput, "Invalid Output: 'Output exceeds the maximum size of %d bytes'", MaxPayloadSize)
	}
	if _, err := value.Parse([]byte(in.Output)); err != nil {
		return nil, newError(CodeInvalidOutput, "Invalid Output: '%s'", err.Error())
	}
	if err := s.needCallbacks(); err != nil {
		return nil, err
	}
	if err := taskError(s.callbacks.SendTaskSuccess(ctx, in.TaskToken, in.Output)); err != nil {
		return nil, err
	}
	return &SendTaskSuccessOutput{}, nil
}

// SendTaskFailure fails an activity or .waitForTaskToken task.
func (s *Service) SendTaskFailure(ctx context.Context, in *SendTaskFailureInput) (*SendTaskFailureOutput, error) {
	if err := checkTaskToken(in.TaskToken); err != nil {
		return nil, err
	}
	if err := checkLength(in.Error, "error", 256); err != nil {
		return nil, err
	}
	if err := checkLength(in.Cause, "cause", 32768); err != nil {
		return nil, err
	}
	if err := s.needCallbacks(); err != nil {
		return nil, err
	}
	if err := taskError(s.callbacks.SendTaskFailure(ctx, in.TaskToken, in.Error, in.Cause)); err != nil {
		return nil, err
	}
	return &SendTaskFailureOutput{}, nil
}

// SendTaskHeartbeat records a heartbeat of an activity or
// .waitForTaskToken task.
func (s *Service) SendTaskHeartbeat(ctx context.Context, in *SendTaskHeartbeatInput) (*SendTaskHeartbeatOutput, error) {
	if err := checkTaskToken(in.TaskToken); err != nil {
		return nil, err
	}
	if err := s.needCallbacks(); err != nil {
		return nil, err
	}
	if err := taskError(s.callbacks.SendTaskHeartbeat(ctx, in.TaskToken)); err != nil {
		return nil, err
	}
	return &SendTaskHeartbeatOutput{}, nil
}

func checkTaskToken(tok string) error {
	if tok == "" {
		return validationNull("taskToken")
	}
	return checkLength(tok, "taskToken", maxTaskToken)
}

// taskError maps a TaskCallbacks error to AWS's error.
func taskError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrInvalidTaskToken):
		return newError(CodeInvalidToken, "Invalid Token: 'Invalid token'")
	case errors.Is(err, ErrTaskDoesNotExist), errors.Is(err, store.ErrNotFound):
		return newError(CodeTaskDoesNotExist, "Task Does Not Exist: 'Provided task does not exist anymore'")
	case errors.Is(err, ErrTaskTimedOut):
		return newError(CodeTaskTimedOut, "Task Timed Out: 'Provided task has timed out'")
	}
	return internal("task callback", err)
}
