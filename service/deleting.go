package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/stepwise-run/stepwise/store"
)

// Deleting a state machine, as AWS documents it: DeleteStateMachine "sets
// the state machine's status to DELETING and begins the deletion process. A
// state machine is deleted only when all its executions are completed";
// "this API action also deletes all versions and aliases".
//
// DeleteStateMachine marks the machine DELETING in the store and deletes
// it (with its versions, aliases and tags) at once if none of its
// executions runs; an Express machine, whose executions the store does not
// hold, is deleted at once. Otherwise the machine stays DELETING until its
// last execution ends. Nothing watches for that end: every request that
// names or lists the machine finishes the deletion first if nothing runs
// any more (finishDeletion), so the API never shows a DELETING machine
// without running executions.
//
// While the machine is DELETING:
//   - DescribeStateMachine answers with status DELETING, for the machine
//     and for its versions; ListStateMachines still lists it;
//   - StartExecution and StartSyncExecution (through the machine, a
//     version or an alias), UpdateStateMachine, PublishStateMachineVersion,
//     CreateStateMachineAlias, UpdateStateMachineAlias,
//     ListStateMachineAliases and CreateStateMachine of the same name fail
//     with StateMachineDeleting, the operations whose errors AWS lists it
//     for;
//   - the other operations (DescribeExecution, ListExecutions,
//     DescribeStateMachineForExecution, ListStateMachineVersions,
//     DescribeStateMachineAlias, version and alias deletion, tags) answer as
//     for an active machine.
//
// Running executions fail "on the next state transition", as AWS's do
// (ExecutionFailed, States.Runtime, "State machine NAME has been deleted."):
// the runtime is told (Runtime.StateMachineDeleting) and fails an execution
// of the machine at its next input instead of applying it (a stop still
// aborts it). An execution that makes no transition (a Wait, a task waiting
// for its token) keeps the machine DELETING, as on AWS. Redriving an
// execution of a DELETING machine is not refused; it then fails at its next
// transition.

// stateMachineDeleting is the error of operations refused while a state
// machine is DELETING (AWS's text: "State Machine is being deleted").
func stateMachineDeleting() *Error {
	return newError(CodeStateMachineDeleting, "State Machine is being deleted")
}

// getMachine reads a state machine like store.GetStateMachine, first
// finishing its deletion if it is DELETING and none of its executions runs
// (then it wraps store.ErrNotFound).
func (s *Service) getMachine(ctx context.Context, smARN string) (*store.StateMachine, error) {
	sm, err := s.store.GetStateMachine(ctx, smARN)
	if err != nil || sm.Status != store.StatusDeleting {
		return sm, err
	}
	gone, err := s.finishDeletion(ctx, smARN)
	if err != nil {
		return nil, err
	}
	if gone {
		return nil, fmt.Errorf("state machine %s was deleted: %w", smARN, store.ErrNotFound)
	}
	return sm, nil
}

// finishDeletion deletes a DELETING state machine with its versions,
// aliases and tags if none of its executions runs, and reports whether the
// machine is gone. deleteMu makes the check and the deletion one step in
// this process, so that a machine created again under the same name is
// never deleted by a late finisher.
func (s *Service) finishDeletion(ctx context.Context, smARN string) (bool, error) {
	s.deleteMu.Lock()
	defer s.deleteMu.Unlock()
	sm, err := s.store.GetStateMachine(ctx, smARN)
	if errors.Is(err, store.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, internal("delete state machine", err)
	}
	if sm.Status != store.StatusDeleting {
		return false, nil
	}
	if sm.Type != store.TypeExpress {
		running, err := s.store.ListExecutions(ctx, &store.ListExecutionsParams{
			StateMachineARN: smARN, Status: store.StatusRunning, ListParams: store.ListParams{Limit: 1},
		})
		if err != nil {
			return false, internal("delete state machine", err)
		}
		if len(running.Items) > 0 {
			return false, nil
		}
	}
	defer s.machines.forget(smARN)
	if err := s.store.DeleteStateMachine(ctx, smARN); err != nil && !errors.Is(err, store.ErrNotFound) {
		return false, internal("delete state machine", err)
	}
	s.skipTime.Delete(smARN)
	if s.runtime != nil {
		s.runtime.StateMachineDeleting(smARN, false) // the name may be used again
	}
	return true, nil
}
