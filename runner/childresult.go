package runner

import (
	"slices"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/value"
)

// childOutcome is the outcome of a states:startExecution.sync task whose
// child execution x ended, as AWS gives it: the child's DescribeExecution
// output with capitalised keys in alphabetical order and dates in epoch
// milliseconds. With "sync" Input and Output are JSON text; with "sync:2"
// they are JSON values. A child that did not succeed fails the task with
// States.TaskFailed and that description, as JSON text, as the cause.
func childOutcome(pattern string, x *store.Execution) engine.Input {
	d := describeChild(pattern == "sync:2", x)
	if x.Status == store.StatusSucceeded {
		return engine.Input{Kind: engine.InputTaskSucceeded, Output: d}
	}
	return engine.Input{Kind: engine.InputTaskFailed, Error: failure.TaskFailed, Cause: value.String(d)}
}

func describeChild(asJSON bool, x *store.Execution) *value.Object {
	data := func(b []byte) any {
		if asJSON {
			if v, err := value.Parse(b); err == nil {
				return v
			}
		}
		return string(b)
	}
	included := func() *value.Object {
		o := value.NewObject(1)
		o.Set("Included", true)
		return o
	}
	f := map[string]any{
		"ExecutionArn":    x.ARN,
		"Input":           data(x.Input),
		"InputDetails":    included(),
		"Name":            x.Name,
		"OutputDetails":   included(),
		"RedriveCount":    float64(x.RedriveCount),
		"StartDate":       float64(x.StartDate.UnixMilli()),
		"StateMachineArn": x.StateMachineARN,
		"Status":          x.Status,
		"StopDate":        float64(x.StopDate.UnixMilli()),
	}
	if x.Status == store.StatusSucceeded {
		f["Output"] = data(x.Output)
		f["RedriveStatus"] = "NOT_REDRIVABLE"
		f["RedriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven"
	} else {
		f["RedriveStatus"] = "REDRIVABLE"
	}
	if x.Error != "" {
		f["Error"] = x.Error
	}
	if x.Cause != "" {
		f["Cause"] = x.Cause
	}
	if x.VersionARN != "" {
		f["StateMachineVersionArn"] = x.VersionARN
	}
	if x.AliasARN != "" {
		f["StateMachineAliasArn"] = x.AliasARN
	}
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	o := value.NewObject(len(keys))
	for _, k := range keys {
		o.Set(k, f[k])
	}
	return o
}
