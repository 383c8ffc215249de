package nested

import "github.com/stepwise-run/stepwise/integration/nested/shape"

// params are the Parameters of a startExecution task.
type params struct {
	stateMachine string
	name         string
	input        string // JSON text
}

// parseParams reads the task's effective parameters (shape.ParseParams,
// shared with `stepwise run`).
func parseParams(v any) (*params, error) {
	p, err := shape.ParseParams(v)
	if err != nil {
		return nil, err
	}
	return &params{stateMachine: p.StateMachineArn, name: p.Name, input: p.Input}, nil
}
