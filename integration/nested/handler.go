package nested

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/integration"
	"github.com/stepwise-run/stepwise/integration/nested/shape"
	"github.com/stepwise-run/stepwise/runner"
	"github.com/stepwise-run/stepwise/service"
)

// Resource is the request-response resource; the others add a pattern
// suffix.
const Resource = "arn:aws:states:::states:startExecution"

// Resources lists every resource the handler serves.
var Resources = []string{Resource, Resource + ".sync", Resource + ".sync:2", Resource + ".waitForTaskToken"}

// Executions is what the handler needs of the Step Functions service;
// *service.Service implements it.
type Executions interface {
	StartExecution(ctx context.Context, in *service.StartExecutionInput) (*service.StartExecutionOutput, error)
	DescribeExecution(ctx context.Context, in *service.DescribeExecutionInput) (*service.DescribeExecutionOutput, error)
}

// Handler starts child executions. The service it starts them through is
// built after the runner that calls the handler, so it is given later, by
// Bind; calls made before wait for it.
type Handler struct {
	once  sync.Once
	bound chan struct{}
	svc   Executions
}

// New returns a Handler that waits for Bind.
func New() *Handler { return &Handler{bound: make(chan struct{})} }

// Bind sets the service the handler starts executions through. Only the
// first call has an effect.
func (h *Handler) Bind(svc Executions) {
	h.once.Do(func() {
		h.svc = svc
		close(h.bound)
	})
}

// Register adds the handler to r for every resource in Resources.
func (h *Handler) Register(r *integration.Router) {
	for _, res := range Resources {
		r.Handle(res, h)
	}
}

// Invoke starts the child execution t asks for and returns AWS's
// StartExecution response.
func (h *Handler) Invoke(ctx context.Context, t *engine.TaskRequest) (any, error) {
	p, err := parseParams(t.Input)
	if err != nil {
		return nil, err
	}
	if p.name == "" && t.Token != "" {
		p.name = childName(t.Token)
	}
	select {
	case <-h.bound:
	case <-ctx.Done():
		return nil, fmt.Errorf("start child execution: %w", ctx.Err())
	}
	if t.Pattern == "sync" || t.Pattern == "sync:2" {
		ctx = runner.WithParentTask(ctx, t)
	}
	in := &service.StartExecutionInput{StateMachineArn: p.stateMachine, Name: p.name, Input: &p.input}
	out, err := h.svc.StartExecution(ctx, in)
	if service.ErrorCode(err) == service.CodeExecutionAlreadyExists && p.name != "" {
		out, err = h.existing(ctx, p, err)
	}
	if err != nil {
		return nil, serviceFailure(err, t.Token)
	}
	return shape.StartResponse(out.ExecutionArn, out.StartDate.Time, shape.RequestID(t.Token)), nil
}

// existing answers a start whose name is taken: if the execution has the
// same input, a call repeated after a crash created it, and it counts as
// started.
func (h *Handler) existing(ctx context.Context, p *params, exists error) (*service.StartExecutionOutput, error) {
	arn, ok := executionARN(p.stateMachine, p.name)
	if !ok {
		return nil, exists
	}
	d, err := h.svc.DescribeExecution(ctx, &service.DescribeExecutionInput{ExecutionArn: arn})
	if err != nil || d.Input == nil || *d.Input != p.input {
		return nil, exists
	}
	return &service.StartExecutionOutput{ExecutionArn: d.ExecutionArn, StartDate: d.StartDate}, nil
}

// serviceFailure names a service error as the optimized integration does:
// StepFunctions.<Code>Exception with AWS's SDK-style cause. Internal errors
// are returned as they are (States.TaskFailed).
func serviceFailure(err error, token string) error {
	var se *service.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("start child execution: %w", err)
	}
	return shape.ServiceFailure(se.Code, se.Message, shape.RequestID(token))
}

// childName derives a child's name from the parent's task token
// (shape.ChildName, shared with `stepwise run`).
func childName(token string) string { return shape.ChildName(token) }

// executionARN forms the ARN of execution name of the state machine (or
// version or alias) target (shape.ExecutionARN).
func executionARN(target, name string) (string, bool) { return shape.ExecutionARN(target, name) }
