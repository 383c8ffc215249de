package service

import (
	"context"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

// Runtime starts and stops executions; package runner implements it over a
// store.
type Runtime interface {
	// StartExecution durably creates a Standard execution (or starts an
	// Express one in memory) and begins running it. It returns
	// store.ErrAlreadyExists if the execution ARN was ever used.
	StartExecution(ctx context.Context, p *StartParams) (*store.Execution, error)
	// StartSyncExecution runs an Express execution to its end and returns
	// it (with output/error/cause).
	StartSyncExecution(ctx context.Context, p *StartParams) (*SyncResult, error)
	// StopExecution aborts a running execution; store.ErrNotFound if
	// unknown. Returns the stop date.
	StopExecution(ctx context.Context, executionARN, errName, cause string) (time.Time, error)
	// RedriveExecution restarts a FAILED, TIMED_OUT or ABORTED Standard
	// execution from its failed states, increments its redrive count and
	// returns the redrive date. The service has checked that the
	// execution exists and is redrivable; the runtime returns
	// store.ErrNotFound if it is unknown and ErrNotRedrivable (wrapped,
	// with a reason) if it finds otherwise.
	RedriveExecution(ctx context.Context, executionARN string) (time.Time, error)
	// DescribeExpress returns a running or recently finished Express
	// execution held in memory, or store.ErrNotFound. (AWS does not
	// describe Express executions; the service uses this only to answer
	// StopExecution and to tell "unsupported" from "unknown".)
	DescribeExpress(ctx context.Context, executionARN string) (*store.Execution, error)
	// StateMachineDeleting tells the runtime whether a Standard state
	// machine is being deleted. While it is, each running execution of the
	// machine fails at its next transition with States.Runtime, as AWS's
	// do.
	StateMachineDeleting(stateMachineARN string, deleting bool)
}

// SkipTimeTag is the state machine tag that makes its executions skip time
// (Wait states, retry back-offs and timeouts complete at once), as
// `stepwise serve --skip-time` does for every execution.
const SkipTimeTag = "stepwise:skip-time"

// StartParams describe an execution to start.
type StartParams struct {
	ExecutionARN, Name string
	// StateMachineARN is the state machine's own ARN (not version/alias).
	StateMachineARN string
	// VersionARN and AliasARN are set when started through a version or
	// alias.
	VersionARN, AliasARN string
	// Type is store.TypeStandard or store.TypeExpress.
	Type                            string
	Definition, RoleARN, RevisionID string
	// Input is the JSON text as sent ("{}" when absent).
	Input       string
	TraceHeader string
	// StartDate is when the service accepted the request.
	StartDate time.Time
	// TestCase is the mock test case named by a "#TestCase" suffix of the
	// state machine ARN (AWS Step Functions Local's convention).
	TestCase string
	// SkipTime asks the runtime to fire the execution's timers at once:
	// the state machine carries the tag "stepwise:skip-time" = "true".
	SkipTime bool
}

// SyncResult is the outcome of a synchronous Express execution.
type SyncResult struct {
	// Execution has Status, Output, Error, Cause, StartDate and StopDate
	// set.
	Execution *store.Execution
}
