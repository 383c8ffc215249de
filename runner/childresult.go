package runner

import (
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/integration/nested/shape"
	"github.com/stepwise-run/stepwise/store"
)

// childOutcome is the outcome of a states:startExecution.sync task whose
// child execution x ended, as AWS gives it: the child's DescribeExecution
// output with capitalised keys in alphabetical order and dates in epoch
// milliseconds. With "sync" Input and Output are JSON text; with "sync:2"
// they are JSON values. A child that did not succeed fails the task with
// States.TaskFailed and that description, as JSON text, as the cause
// (shape.Outcome).
func childOutcome(pattern string, x *store.Execution) engine.Input {
	out, fe := shape.Outcome(pattern, &shape.Execution{
		ARN:             x.ARN,
		Name:            x.Name,
		StateMachineARN: x.StateMachineARN,
		VersionARN:      x.VersionARN,
		AliasARN:        x.AliasARN,
		Status:          x.Status,
		Input:           x.Input,
		Output:          x.Output,
		Error:           x.Error,
		Cause:           x.Cause,
		RedriveCount:    x.RedriveCount,
		StartDate:       x.StartDate,
		StopDate:        x.StopDate,
	})
	if fe != nil {
		return engine.Input{Kind: engine.InputTaskFailed, Error: fe.Name, Cause: fe.Cause}
	}
	return engine.Input{Kind: engine.InputTaskSucceeded, Output: out}
}
