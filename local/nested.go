package local

import (
	"context"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/integration/nested/shape"
	"github.com/stepwise-run/stepwise/value"
)

// DefaultMaxDepth is how deep executions nest in a Run unless
// Nested.MaxDepth says otherwise: the execution Run starts is at depth 0,
// its children at 1, and so on.
const DefaultMaxDepth = 10

// Nested is a Handler for the Task states that start other state machines
// (arn:aws:states:::states:startExecution and its .sync, .sync:2 and
// .waitForTaskToken forms) in a Run: it runs the child in-process, with
// Run and the options of the run whose task called it (the same handlers,
// fallback and clock; virtual time continues from the parent's). Children
// may start children, down to MaxDepth.
//
// The StateMachineArn parameter selects an entry of Machines: the whole
// value if it names one, else for a state machine ARN its name (a version
// or alias qualifier after it is ignored for the choice, and reported as
// StateMachineVersionArn or StateMachineAliasArn), else the part after its
// last ':'. A "#TestCase" suffix runs the child under that mock test case,
// as StartExecution does in `stepwise serve`. An unknown name fails the
// task as the service does: StepFunctions.StateMachineDoesNotExistException.
//
// The child's ARN is arn:aws:states:REGION:ACCOUNT:execution:NAME:EXEC,
// with the region and account of the StateMachineArn (or of the parent's
// execution) and the Name parameter, or without one a name derived from
// the task token. Input goes to the child as given, so a parent passing
// "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id" hands
// the child its ARN, as on AWS.
//
// The results are those of `stepwise serve` (package shape):
//
//   - request-response: the child runs to its end before the task returns
//     AWS's StartExecution response, so a run's results do not depend on
//     timing (the parent's clock does not move meanwhile, and the child's
//     outcome does not matter to the parent);
//   - .sync and .sync:2: the task is submitted with the StartExecution
//     response, and succeeds with the child's description when the child
//     ends; it fails with States.TaskFailed and the description as the
//     cause if the child did not succeed. With virtual time, the parent's
//     clock moves on to the child's end;
//   - .waitForTaskToken fails the task: a Run has no API through which
//     anything could send the token back.
//
// Only a handler that Run calls can start children: elsewhere Invoke
// fails the task.
type Nested struct {
	// Machines are the state machines children can run, by name.
	Machines map[string]*engine.Machine
	// MaxDepth limits nesting; 0 means DefaultMaxDepth. A task that would
	// start an execution deeper fails with States.TaskFailed.
	MaxDepth int
}

type depthKey struct{}

// Invoke runs the child execution t asks for.
func (n *Nested) Invoke(ctx context.Context, t *engine.TaskRequest) (any, error) {
	env := envOf(ctx)
	if env == nil {
		return nil, failure.New(failure.TaskFailed, "local.Nested starts executions only for tasks of local.Run.")
	}
	if t.Pattern == "waitForTaskToken" {
		return nil, failure.Errorf(failure.TaskFailed,
			"stepwise run cannot wait for the task token of '%s' (state '%s'): nothing can send it back, as an in-process run has no SendTaskSuccess or SendTaskFailure API. Use stepwise serve, or mock the state.",
			t.Resource, t.StateName)
	}
	p, err := shape.ParseParams(t.Input)
	if err != nil {
		return nil, err
	}
	reqID := shape.RequestID(t.Token)
	target, testCase := p.StateMachineArn, ""
	if i := strings.LastIndexByte(target, '#'); i > 0 {
		target, testCase = target[:i], target[i+1:]
	}
	name, qualifier, m := n.lookup(target)
	if m == nil {
		return nil, shape.ServiceFailure("StateMachineDoesNotExist", "State Machine Does Not Exist: '"+target+"'", reqID)
	}
	execName := p.Name
	if execName == "" {
		execName = shape.ChildName(t.Token)
	} else if !arn.ValidName(execName) {
		return nil, shape.ServiceFailure("InvalidName", "Invalid Name: '"+execName+"'", reqID)
	}
	if _, err := value.ParseString(p.Input); err != nil {
		return nil, shape.ServiceFailure("InvalidExecutionInput", "Invalid State Machine Execution Input: '"+err.Error()+"'", reqID)
	}
	depth, _ := ctx.Value(depthKey{}).(int)
	maxDepth := n.MaxDepth
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	if depth >= maxDepth {
		return nil, failure.Errorf(failure.TaskFailed,
			"Cannot start an execution of '%s' at nesting depth %d: stepwise run nests executions at most %d deep (does the state machine start itself?).",
			name, depth+1, maxDepth)
	}

	prefix := "arn:aws:states:us-east-1:123456789012"
	if parts := strings.Split(target, ":"); len(parts) >= 7 && parts[5] == "stateMachine" {
		prefix = strings.Join(parts[:5], ":")
	} else if parts := strings.Split(t.ExecutionARN, ":"); len(parts) >= 5 {
		prefix = strings.Join(parts[:5], ":")
	}
	meta := engine.Meta{
		StateMachineName: name,
		StateMachineARN:  prefix + ":stateMachine:" + name,
		ExecutionName:    execName,
		ExecutionARN:     prefix + ":execution:" + name + ":" + execName,
		StartTime:        env.now,
		TestCase:         testCase,
	}
	if qualifier != "" {
		if isVersion(qualifier) {
			meta.StateMachineVersionARN = meta.StateMachineARN + ":" + qualifier
		} else {
			meta.StateMachineAliasARN = meta.StateMachineARN + ":" + qualifier
		}
	}
	opts := env.opts
	opts.Meta = meta
	if opts.Fast {
		opts.Now = func() time.Time { return env.now }
	}
	started := shape.StartResponse(meta.ExecutionARN, meta.StartTime, reqID)
	if t.Pattern == "sync" || t.Pattern == "sync:2" {
		env.submit(started)
	}
	res, err := Run(context.WithValue(ctx, depthKey{}, depth+1), m, p.Input, opts)
	if err != nil {
		return nil, failure.Errorf(failure.TaskFailed, "run child execution %s: %v", meta.ExecutionARN, err)
	}
	if t.Pattern != "sync" && t.Pattern != "sync:2" {
		return started, nil
	}
	env.doneAt = res.StopDate
	x := &shape.Execution{
		ARN:             meta.ExecutionARN,
		Name:            execName,
		StateMachineARN: meta.StateMachineARN,
		VersionARN:      meta.StateMachineVersionARN,
		AliasARN:        meta.StateMachineAliasARN,
		Status:          string(res.Status),
		Input:           []byte(p.Input),
		Error:           res.Error,
		Cause:           res.Cause,
		StartDate:       res.StartDate,
		StopDate:        res.StopDate,
	}
	if res.Status == engine.StatusSucceeded {
		x.Output = value.Marshal(res.Output)
	}
	out, fe := shape.Outcome(t.Pattern, x)
	if fe != nil {
		return nil, fe
	}
	return out, nil
}

// lookup finds the machine target names (see Nested) and the version or
// alias qualifier target carries.
func (n *Nested) lookup(target string) (name, qualifier string, m *engine.Machine) {
	if m, ok := n.Machines[target]; ok {
		return target, "", m
	}
	parts := strings.Split(target, ":")
	if len(parts) >= 7 && parts[5] == "stateMachine" {
		name = parts[6]
		if len(parts) == 8 {
			qualifier = parts[7]
		}
	} else {
		name = parts[len(parts)-1]
	}
	return name, qualifier, n.Machines[name]
}

// isVersion reports whether a qualifier is a version number (an alias
// name cannot be all digits).
func isVersion(q string) bool {
	for _, r := range q {
		if r < '0' || r > '9' {
			return false
		}
	}
	return q != ""
}
