package teststate

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/value"
)

// TaskHandler does the work of a Task state the request does not mock
// (local.Handler satisfies it).
type TaskHandler interface {
	Invoke(ctx context.Context, t *engine.TaskRequest) (any, error)
}

// Options configure Run.
type Options struct {
	// Region, Account and Partition make the synthetic ARNs of the context
	// object (defaults us-east-1, 123456789012, aws).
	Region, Account, Partition string
	// RoleArn is the execution role when the request names none.
	RoleArn string
	// Now is the time the state runs at (zero: time.Now()).
	Now time.Time
	// Seed makes the synthetic execution and state machine names and the
	// execution's random numbers.
	Seed uint64
	// Tasks runs Task states without a mock; nil fails them.
	Tasks TaskHandler
}

// maxSteps bounds the timers and tasks one run may go through.
const maxSteps = 1000

// statePrefix is the sentence the engine puts before causes of errors it
// detects; TestState reports the cause without it.
var statePrefix = regexp.MustCompile(`^An error occurred while executing the state '[^']*' \(entered at the event id #\d+\)\. `)

// Run runs the state a TestState request describes. A request AWS would
// refuse returns an *Error with AWS's code and message.
func Run(ctx context.Context, req *Request, opts Options) (*Response, error) {
	if req == nil {
		return nil, errorf(CodeValidation, "request is empty")
	}
	p, err := prepare(req)
	if err != nil {
		return nil, err
	}
	def, diags := asl.ParseValue(p.machine)
	if def == nil || asl.HasErrors(diags) {
		return nil, errorf(CodeInvalidDefinition, "%s", asl.FormatInvalidDefinition(diags))
	}
	m, err := engine.Compile(def)
	if err != nil {
		return nil, errorf(CodeInvalidDefinition, "Invalid State Machine Definition: '%v'", err)
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	meta := p.meta(req, opts, now)
	col := newCollector(p, req)
	x, res, err := m.StartWith(meta, p.input, now, func(x *engine.Execution) {
		x.Inspect = col.inspect
		x.Context = func(built *value.Object) *value.Object { return testContext(p.context, built) }
		if p.vars != nil {
			for k, v := range p.vars.All() {
				x.Variables().Set(k, v)
			}
		}
		if p.mock != nil {
			x.Mock = col.mocked
		}
		if p.context != nil {
			if in, ok := member(objectMember(p.context, "Execution"), "Input").(any); ok && in != nil {
				x.Input = in
			}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("teststate: start: %w", err)
	}
	col.events(res)
	for steps := 0; !x.Done() && !col.left && steps < maxSteps; steps++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("teststate: %w", err)
		}
		in, ok, err := next(ctx, res, p, opts, now)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if res, err = m.Step(x, in); err != nil {
			return nil, fmt.Errorf("teststate: step: %w", err)
		}
		col.events(res)
	}
	if !x.Done() && !col.left && col.failed == nil {
		return nil, errorf(CodeValidation, "TestState cannot finish state '%s': it waits for a task token callback or an activity worker", p.name)
	}
	return col.response(x), nil
}

// next picks the input that moves the run on: the outcome of a scheduled
// task, else the earliest timer firing.
func next(ctx context.Context, res engine.Result, p *plan, opts Options, now time.Time) (engine.Input, bool, error) {
	var timer *engine.Effect
	for i := range res.Effects {
		e := &res.Effects[i]
		switch e.Kind {
		case engine.EffectScheduleTask:
			if opts.Tasks == nil {
				return engine.Input{}, false, errorf(CodeValidation,
					"TestState cannot run state '%s' (resource %s): the request has no mock and no task handler is configured", p.name, e.Task.Resource)
			}
			out, err := opts.Tasks.Invoke(ctx, e.Task)
			if err == nil {
				kind := engine.InputTaskSucceeded
				if e.Task.Pattern != "" {
					kind = engine.InputTaskSubmitted // the result would come later, by token
				}
				return engine.Input{Kind: kind, ID: e.ID, Output: out, Now: now}, true, nil
			}
			var fe *failure.Error
			if errors.As(err, &fe) {
				return engine.Input{Kind: engine.InputTaskFailed, ID: e.ID, Error: fe.Name, Cause: fe.Cause, Now: now}, true, nil
			}
			return engine.Input{Kind: engine.InputTaskFailed, ID: e.ID, Error: failure.TaskFailed, Cause: err.Error(), Now: now}, true, nil
		case engine.EffectArmTimer:
			if timer == nil || e.At.Before(timer.At) {
				timer = e
			}
		}
	}
	if timer == nil {
		return engine.Input{}, false, nil
	}
	return engine.Input{Kind: engine.InputTimerFired, ID: timer.ID, Now: timer.At}, true, nil
}

// meta makes the execution's context: the request's context object where
// it says something, synthetic Express names otherwise.
func (p *plan) meta(req *Request, opts Options, now time.Time) engine.Meta {
	region, account, partition := opts.Region, opts.Account, opts.Partition
	if region == "" {
		region = "us-east-1"
	}
	if account == "" {
		account = "123456789012"
	}
	if partition == "" {
		partition = "aws"
	}
	role := req.RoleArn
	if role == "" {
		role = opts.RoleArn
	}
	smName := syntheticName(opts.Seed, 1)
	execName := syntheticName(opts.Seed, 2)
	meta := engine.Meta{
		ExecutionName:    execName,
		ExecutionARN:     fmt.Sprintf("arn:%s:states:%s:%s:express:%s:%s", partition, region, account, smName, execName),
		StateMachineName: smName,
		StateMachineARN:  fmt.Sprintf("arn:%s:states:%s:%s:stateMachine:%s", partition, region, account, smName),
		RoleARN:          role,
		StartTime:        now,
		Seed:             opts.Seed,
	}
	if p.context != nil {
		exec := objectMember(p.context, "Execution")
		if s, ok := stringMember(exec, "Id"); ok {
			meta.ExecutionARN = s
		}
		if s, ok := stringMember(exec, "Name"); ok {
			meta.ExecutionName = s
		}
		if s, ok := stringMember(exec, "RoleArn"); ok {
			meta.RoleARN = s
		}
		if s, ok := stringMember(exec, "StartTime"); ok {
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				meta.StartTime = t
			}
		}
		sm := objectMember(p.context, "StateMachine")
		if s, ok := stringMember(sm, "Id"); ok {
			meta.StateMachineARN = s
		}
		if s, ok := stringMember(sm, "Name"); ok {
			meta.StateMachineName = s
		}
	}
	return meta
}

// syntheticName derives a UUID-shaped name from seed.
func syntheticName(seed uint64, n uint64) string {
	a, b := splitmix(seed+n), splitmix(seed+n+0x9e3779b97f4a7c15)
	s := fmt.Sprintf("%016x%016x", a, b)
	return strings.Join([]string{s[0:8], s[8:12], s[12:16], s[16:20], s[20:32]}, "-")
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func objectMember(o *value.Object, key string) *value.Object {
	sub, _ := member(o, key).(*value.Object)
	return sub
}
