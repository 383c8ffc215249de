package runner

import (
	"context"
	"fmt"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/store"
)

// StateMachineDeleting marks (or unmarks) a state machine as being
// deleted: the running executions of a marked machine fail at their next
// input (see deletedInputs). It implements service.Runtime.
func (r *Runner) StateMachineDeleting(stateMachineARN string, deleting bool) {
	if deleting {
		r.deleting.Store(stateMachineARN, true)
	} else {
		r.deleting.Delete(stateMachineARN)
	}
}

// loadDeleting marks the state machines left DELETING by earlier
// processes.
func (r *Runner) loadDeleting(ctx context.Context) error {
	p := &store.ListParams{Limit: store.MaxLimit}
	for {
		page, err := r.store.ListStateMachines(ctx, p)
		if err != nil {
			return fmt.Errorf("list state machines being deleted: %w", err)
		}
		for _, sm := range page.Items {
			if sm.Status == store.StatusDeleting && sm.Type != store.TypeExpress {
				r.deleting.Store(sm.ARN, true)
			}
		}
		if page.NextToken == "" {
			return nil
		}
		p.NextToken = page.NextToken
	}
}

// deletedInputs returns, for an execution of a state machine being
// deleted, the input that fails it in place of inputs that would make it
// transition (a task's outcome, a timer); AWS fails such an execution at
// its next transition: ExecutionFailed with States.Runtime and "State
// machine NAME has been deleted.". It returns nil if the machine is not
// being deleted, if no input makes a transition (a task started, a
// heartbeat), or if one stops the execution (a stop still aborts it).
func (r *Runner) deletedInputs(rec *store.Execution, inputs []pending) []pending {
	if _, ok := r.deleting.Load(rec.StateMachineARN); !ok {
		return nil
	}
	transition := false
	for _, p := range inputs {
		switch p.in.Kind {
		case engine.InputStop:
			return nil
		case engine.InputTimerFired, engine.InputTaskSucceeded, engine.InputTaskFailed:
			transition = true
		}
	}
	if !transition {
		return nil
	}
	fail := engine.Input{Kind: engine.InputFail, Error: failure.Runtime,
		Cause: "State machine " + nameOf(rec.StateMachineARN) + " has been deleted."}
	out := make([]pending, len(inputs))
	for i, p := range inputs {
		p.in = fail
		out[i] = p
	}
	return out
}
