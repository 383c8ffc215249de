package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/value"
)

// MaxPayloadSize is the largest execution input, output or cause AWS
// accepts, in bytes (256 KiB).
const MaxPayloadSize = 256 * 1024

// StartExecutionInput is the request of StartExecution.
type StartExecutionInput struct {
	// StateMachineArn names a state machine, one of its versions or an
	// alias.
	StateMachineArn string `json:"stateMachineArn"`
	// Name defaults to a UUID.
	Name string `json:"name,omitempty"`
	// Input is JSON text; nil means "{}".
	Input       *string `json:"input,omitempty"`
	TraceHeader string  `json:"traceHeader,omitempty"`
}

// StartExecutionOutput is the response of StartExecution.
type StartExecutionOutput struct {
	ExecutionArn string    `json:"executionArn"`
	StartDate    Timestamp `json:"startDate"`
}

// StartSyncExecutionInput is the request of StartSyncExecution.
type StartSyncExecutionInput struct {
	StateMachineArn string  `json:"stateMachineArn"`
	Name            string  `json:"name,omitempty"`
	Input           *string `json:"input,omitempty"`
	TraceHeader     string  `json:"traceHeader,omitempty"`
	IncludedData    string  `json:"includedData,omitempty"`
}

// StartSyncExecutionOutput is the response of StartSyncExecution.
type StartSyncExecutionOutput struct {
	ExecutionArn    string                                `json:"executionArn"`
	StateMachineArn string                                `json:"stateMachineArn,omitempty"`
	Name            string                                `json:"name,omitempty"`
	StartDate       Timestamp                             `json:"startDate"`
	StopDate        Timestamp                             `json:"stopDate"`
	Status          string                                `json:"status"`
	Error           string                                `json:"error,omitempty"`
	Cause           string                                `json:"cause,omitempty"`
	Input           *string                               `json:"input,omitempty"`
	InputDetails    *CloudWatchEventsExecutionDataDetails `json:"inputDetails,omitempty"`
	Output          *string                               `json:"output,omitempty"`
	OutputDetails   *CloudWatchEventsExecutionDataDetails `json:"outputDetails,omitempty"`
	TraceHeader     string                                `json:"traceHeader,omitempty"`
	BillingDetails  *BillingDetails                       `json:"billingDetails,omitempty"`
}

// StopExecutionInput is the request of StopExecution.
type StopExecutionInput struct {
	ExecutionArn string `json:"executionArn"`
	Error        string `json:"error,omitempty"`
	Cause        string `json:"cause,omitempty"`
}

// StopExecutionOutput is the response of StopExecution.
type StopExecutionOutput struct {
	StopDate Timestamp `json:"stopDate"`
}

// StartExecution starts an execution of a state machine, a version, or an
// alias (which picks one of its versions by weight). Starting it again
// with the same name and input while it runs returns it again; any other
// reuse of a name fails with ExecutionAlreadyExists.
func (s *Service) StartExecution(ctx context.Context, in *StartExecutionInput) (*StartExecutionOutput, error) {
	p, err := s.startParams(ctx, in.StateMachineArn, in.Name, in.Input, in.TraceHeader)
	if err != nil {
		return nil, err
	}
	if err := s.needRuntime(); err != nil {
		return nil, err
	}
	x, err := s.runtime.StartExecution(ctx, p)
	if errors.Is(err, store.ErrAlreadyExists) {
		old, gerr := s.store.GetExecution(ctx, p.ExecutionARN)
		if gerr == nil && old.Status == store.StatusRunning && string(old.Input) == p.Input && old.StateMachineARN == p.StateMachineARN {
			return &StartExecutionOutput{ExecutionArn: old.ARN, StartDate: NewTimestamp(old.StartDate)}, nil
		}
		return nil, newError(CodeExecutionAlreadyExists, "Execution Already Exists: '%s'", p.ExecutionARN)
	}
	if err != nil {
		return nil, internal("start execution", err)
	}
	return &StartExecutionOutput{ExecutionArn: x.ARN, StartDate: NewTimestamp(x.StartDate)}, nil
}

// StartSyncExecution runs an Express execution to its end.
func (s *Service) StartSyncExecution(ctx context.Context, in *StartSyncExecutionInput) (*StartSyncExecutionOutput, error) {
	if err := checkIncludedData(in.IncludedData); err != nil {
		return nil, err
	}
	p, err := s.startParams(ctx, in.StateMachineArn, in.Name, in.Input, in.TraceHeader)
	if err != nil {
		return nil, err
	}
	if p.Type != store.TypeExpress {
		return nil, newError(CodeStateMachineTypeNotSupported, "This operation is not supported by this type of state machine")
	}
	if err := s.needRuntime(); err != nil {
		return nil, err
	}
	res, err := s.runtime.StartSyncExecution(ctx, p)
	if err != nil {
		return nil, internal("start sync execution", err)
	}
	x := res.Execution
	out := &StartSyncExecutionOutput{
		ExecutionArn:    x.ARN,
		StateMachineArn: p.StateMachineARN,
		Name:            p.Name,
		StartDate:       NewTimestamp(x.StartDate),
		StopDate:        NewTimestamp(x.StopDate),
		Status:          x.Status,
		Error:           x.Error,
		Cause:           x.Cause,
		TraceHeader:     p.TraceHeader,
		BillingDetails:  &BillingDetails{BilledMemoryUsedInMB: 64, BilledDurationInMilliseconds: billedMillis(x.StartDate, x.StopDate)},
	}
	if in.IncludedData != "METADATA_ONLY" {
		input := p.Input
		out.Input = &input
		out.InputDetails = &CloudWatchEventsExecutionDataDetails{Included: true}
		// AWS sends outputDetails even when a failed execution has no
		// output (recorded).
		out.OutputDetails = &CloudWatchEventsExecutionDataDetails{Included: true}
		if x.Status == store.StatusSucceeded {
			output := string(x.Output)
			out.Output = &output
		}
	}
	return out, nil
}

// billedMillis rounds an Express execution's duration up to 100 ms, as AWS
// bills it.
func billedMillis(start, stop time.Time) int64 {
	ms := stop.Sub(start).Milliseconds()
	if ms < 100 {
		return 100
	}
	return (ms + 99) / 100 * 100
}

// StopExecution aborts a running execution. Stopping one that has already
// ended returns its stop date.
func (s *Service) StopExecution(ctx context.Context, in *StopExecutionInput) (*StopExecutionOutput, error) {
	a, err := parseARN(in.ExecutionArn, "executionArn", arn.KindExecution, arn.KindExpressExecution)
	if err != nil {
		return nil, err
	}
	if err := checkLength(in.Error, "error", 256); err != nil {
		return nil, err
	}
	if err := checkLength(in.Cause, "cause", 32768); err != nil {
		return nil, err
	}
	if err := s.needRuntime(); err != nil {
		return nil, err
	}
	if a.Kind == arn.KindExecution {
		x, err := s.store.GetExecution(ctx, in.ExecutionArn)
		if err != nil {
			return nil, notFoundAs(err, executionDoesNotExist(in.ExecutionArn), "stop execution")
		}
		if x.Status != store.StatusRunning {
			return &StopExecutionOutput{StopDate: NewTimestamp(x.StopDate)}, nil
		}
	}
	stop, err := s.runtime.StopExecution(ctx, in.ExecutionArn, in.Error, in.Cause)
	if err != nil {
		return nil, notFoundAs(err, executionDoesNotExist(in.ExecutionArn), "stop execution")
	}
	return &StopExecutionOutput{StopDate: NewTimestamp(stop)}, nil
}

// startParams resolves the state machine, version or alias to start and
// validates the name, input and trace header. A machine being deleted
// starts nothing, through a version or an alias either.
func (s *Service) startParams(ctx context.Context, target, name string, input *string, trace string) (*StartParams, error) {
	// "arn…:stateMachine:Name#TestCase" runs the execution under a mock
	// test case, as AWS Step Functions Local does.
	testCase := ""
	if i := strings.LastIndexByte(target, '#'); i > 0 {
		target, testCase = target[:i], target[i+1:]
	}
	a, err := parseARN(target, "stateMachineArn", arn.KindStateMachine, arn.KindVersion, arn.KindAlias)
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = s.newID()
	} else if !arn.ValidName(name) {
		return nil, invalidName(name)
	}
	text := "{}"
	if input != nil {
		text = *input
	}
	if len(text) > MaxPayloadSize {
		return nil, newError(CodeInvalidExecutionInput, "Invalid State Machine Execution Input: 'Input exceeds the maximum size of %d bytes: %d'", MaxPayloadSize, len(text))
	}
	if _, err := value.Parse([]byte(text)); err != nil {
		return nil, newError(CodeInvalidExecutionInput, "Invalid State Machine Execution Input: '%s'", err.Error())
	}
	if err := checkLength(trace, "traceHeader", 256); err != nil {
		return nil, err
	}
	p := &StartParams{Name: name, Input: text, TraceHeader: trace, StartDate: s.clock(), TestCase: testCase}
	smARN := a.StateMachineARN()
	sm, err := s.machine(ctx, smARN)
	if err != nil {
		return nil, notFoundAs(err, stateMachineDoesNotExist(target), "start execution")
	}
	if sm.Status == store.StatusDeleting {
		return nil, stateMachineDeleting()
	}
	p.StateMachineARN, p.Type = sm.ARN, sm.Type
	p.SkipTime = s.skipsTime(ctx, sm.ARN)
	p.Definition, p.RoleARN, p.RevisionID = sm.Definition, sm.RoleARN, sm.RevisionID
	versionARN := ""
	switch a.Kind {
	case arn.KindVersion:
		versionARN = target
	case arn.KindAlias:
		al, err := s.store.GetAlias(ctx, target)
		if err != nil {
			return nil, notFoundAs(err, stateMachineDoesNotExist(target), "start execution")
		}
		p.AliasARN = al.ARN
		versionARN = pickVersion(decodeRouting(al.RoutingConfiguration), s.rand())
	}
	if versionARN != "" {
		v, err := s.store.GetVersion(ctx, versionARN)
		if err != nil {
			return nil, notFoundAs(err, stateMachineDoesNotExist(target), "start execution")
		}
		p.VersionARN = v.ARN
		p.Definition, p.RoleARN, p.RevisionID = v.Definition, v.RoleARN, v.RevisionID
	}
	if sm.Type == store.TypeExpress {
		p.ExecutionARN = s.arns.ExpressExecution(sm.Name, name, s.newID())
	} else {
		p.ExecutionARN = s.arns.Execution(sm.Name, name)
	}
	return p, nil
}

// skipsTime reports whether the state machine carries SkipTimeTag=true,
// from a cache that tag changes and deletion invalidate.
func (s *Service) skipsTime(ctx context.Context, smARN string) bool {
	if v, ok := s.skipTime.Load(smARN); ok {
		return v.(bool)
	}
	tags, err := s.store.ListTags(ctx, smARN)
	if err != nil {
		return false
	}
	skip := false
	for _, t := range tags {
		if t.Key == SkipTimeTag && t.Value == "true" {
			skip = true
		}
	}
	s.skipTime.Store(smARN, skip)
	return skip
}
