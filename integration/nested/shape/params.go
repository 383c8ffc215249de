package shape

import (
	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/value"
)

// Params are the Parameters of a startExecution task.
type Params struct {
	StateMachineArn string
	Name            string // "" when not given
	Input           string // JSON text
}

// ParseParams reads the task's effective parameters. Input may be any
// JSON value (sent as its compact text) or a string holding JSON text;
// absent, it is "{}". Other fields fail the task with States.TaskFailed.
func ParseParams(v any) (*Params, error) {
	o, ok := v.(*value.Object)
	if !ok {
		return nil, failure.Errorf(failure.TaskFailed, "The parameters of states:startExecution must be an object, not %s.", value.TypeName(v))
	}
	p := &Params{Input: "{}"}
	for k, v := range o.All() {
		switch k {
		case "StateMachineArn":
			s, ok := v.(string)
			if !ok || s == "" {
				return nil, failure.Errorf(failure.TaskFailed, "The field 'StateMachineArn' must be a non-empty string.")
			}
			p.StateMachineArn = s
		case "Name":
			s, ok := v.(string)
			if !ok {
				return nil, failure.Errorf(failure.TaskFailed, "The field 'Name' must be a string, not %s.", value.TypeName(v))
			}
			p.Name = s
		case "Input":
			if s, ok := v.(string); ok {
				p.Input = s
			} else {
				p.Input = value.String(v)
			}
		default:
			return nil, failure.Errorf(failure.TaskFailed,
				"The field '%s' is not supported by states:startExecution; supported fields are StateMachineArn, Input and Name.", k)
		}
	}
	if p.StateMachineArn == "" {
		return nil, failure.Errorf(failure.TaskFailed, "The field 'StateMachineArn' is required by states:startExecution.")
	}
	return p, nil
}
