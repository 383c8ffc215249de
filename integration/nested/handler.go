package nested

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/integration"
	"github.com/stepwise-run/stepwise/runner"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/value"
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
	return startResponse(out, requestID(t.Token)), nil
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

// startResponse is AWS's StartExecution response as a task result: the
// date in epoch milliseconds, and SdkHttpMetadata and SdkResponseMetadata
// as the AWS Java SDK reports them for the API response the service would
// have sent (a JSON 1.0 body with executionArn and startDate).
func startResponse(out *service.StartExecutionOutput, requestID string) *value.Object {
	body := `{"executionArn":` + value.String(out.ExecutionArn) + `,"startDate":` + history.EpochSeconds(out.StartDate.Time) + `}`
	headers := [][2]string{
		{"Content-Length", strconv.Itoa(len(body))},
		{"Content-Type", "application/x-amz-json-1.0"},
		{"Date", out.StartDate.UTC().Format(http.TimeFormat)},
		{"x-amzn-RequestId", requestID},
	}
	all, first := value.NewObject(len(headers)), value.NewObject(len(headers))
	for _, h := range headers {
		all.Set(h[0], []any{h[1]})
		first.Set(h[0], h[1])
	}
	httpMeta := value.NewObject(3)
	httpMeta.Set("AllHttpHeaders", all)
	httpMeta.Set("HttpHeaders", first)
	httpMeta.Set("HttpStatusCode", float64(http.StatusOK))
	respMeta := value.NewObject(1)
	respMeta.Set("RequestId", requestID)

	o := value.NewObject(4)
	o.Set("ExecutionArn", out.ExecutionArn)
	o.Set("SdkHttpMetadata", httpMeta)
	o.Set("SdkResponseMetadata", respMeta)
	o.Set("StartDate", float64(out.StartDate.UnixMilli()))
	return o
}

// requestID is the id of the service request a task makes: derived from
// its token, so that a repeated call reports the same one.
func requestID(token string) string {
	sum := sha256.Sum256([]byte("request:" + token))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// executionARN forms the ARN of execution name of the state machine (or
// version or alias) target.
func executionARN(target, name string) (string, bool) {
	parts := strings.Split(target, ":")
	if len(parts) < 7 || parts[5] != "stateMachine" {
		return "", false
	}
	return strings.Join(parts[:5], ":") + ":execution:" + parts[6] + ":" + name, true
}

// childName derives a child's name from the parent's task token: a UUID-
// shaped hash, the same for every call of the same task attempt.
func childName(token string) string {
	sum := sha256.Sum256([]byte(token))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// serviceFailure names a service error as the optimized integration does:
// StepFunctions.<Code>Exception with AWS's SDK-style cause. Internal errors
// are returned as they are (States.TaskFailed).
func serviceFailure(err error, token string) error {
	var se *service.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("start child execution: %w", err)
	}
	name := "StepFunctions." + se.Code
	if !strings.HasSuffix(se.Code, "Exception") {
		name += "Exception"
	}
	return failure.New(name, fmt.Sprintf("%s (Service: AWSStepFunctions; Status Code: 400; Error Code: %s; Request ID: %s; Proxy: null)",
		se.Message, se.Code, requestID(token)))
}
