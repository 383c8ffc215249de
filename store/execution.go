package store

import "time"

// Execution statuses, as AWS names them. The store interprets only
// StatusRunning (for ListRunningExecutions); the others are stored as given.
const (
	StatusRunning        = "RUNNING"
	StatusSucceeded      = "SUCCEEDED"
	StatusFailed         = "FAILED"
	StatusTimedOut       = "TIMED_OUT"
	StatusAborted        = "ABORTED"
	StatusPendingRedrive = "PENDING_REDRIVE"
)

// Execution is one run of a state machine.
//
// Fields marked immutable are written when the execution is created and
// ignored by later writes.
type Execution struct {
	ARN             string // immutable
	StateMachineARN string // immutable
	// VersionARN and AliasARN name the version and alias the execution was
	// started through, if any. Immutable.
	VersionARN string
	AliasARN   string
	Name       string // immutable; unique within StateMachineARN forever
	// Definition, RevisionID and RoleARN are the state machine's, frozen at
	// start. Immutable.
	Definition   string
	RevisionID   string
	RoleARN      string
	TraceHeader  string    // immutable
	Input        []byte    // immutable JSON input
	StartDate    time.Time // immutable
	Status       string    // StatusRunning, …
	StopDate     time.Time
	Output       []byte // JSON output, nil until it succeeds
	Error        string
	Cause        string
	RedriveCount int
	RedriveDate  time.Time
	// Snapshot is the engine's encoded state; the store never reads it.
	Snapshot []byte
	// Version counts the commits that wrote this execution: 1 after the
	// first. Set by the store; ignored in writes.
	Version int64
	// Shard is the shard of the batch that created the execution. Set by
	// the store; ignored in writes.
	Shard int
}

// HistoryChunk is a run of consecutive history events of one execution,
// encoded by the engine. Chunks of an execution never overlap and leave no
// gaps: the first chunk starts at event 1 and each next one at the event
// after its predecessor's last.
type HistoryChunk struct {
	ExecutionARN string
	FirstEventID int64
	LastEventID  int64
	Events       []byte
}

// OutboxRow is an effect recorded by a commit, to be carried out after it:
// a task to schedule, a child to start, or, when DueAt is set, a timer. It
// stays until a later commit deletes it.
type OutboxRow struct {
	// ID identifies the row; it is unique across the outbox.
	ID           string
	ExecutionARN string
	Kind         string // chosen by the runtime; opaque to the store
	Payload      []byte
	// DueAt is when a timer fires; zero for rows that are not timers.
	DueAt time.Time
	// Shard is the shard of the batch that inserted the row. Set by the
	// store; ignored in writes.
	Shard int
}

// InboxRow is an event for an execution, recorded durably before the
// execution consumes it (a task result, a stop request). A commit of the
// execution deletes it when consumed.
type InboxRow struct {
	// ID identifies the row; it is unique across the inbox.
	ID           string
	ExecutionARN string
	Kind         string // chosen by the runtime; opaque to the store
	Payload      []byte
	CreatedAt    time.Time
	// Shard is the shard of the batch that inserted the row. Set by the
	// store; ignored in writes.
	Shard int
}

// ListExecutionsParams select a page of executions, newest first.
type ListExecutionsParams struct {
	// StateMachineARN is required.
	StateMachineARN string
	// VersionARN and AliasARN, if set, keep only executions started through
	// that version or alias.
	VersionARN string
	AliasARN   string
	// Status, if set, keeps only executions with that status.
	Status string
	ListParams
}

// ListRunningExecutionsParams select a page of running executions.
type ListRunningExecutionsParams struct {
	// Shards, if not nil, keeps only executions of these shards.
	Shards []int
	ListParams
}

// ReadHistoryParams select history chunks of one execution.
type ReadHistoryParams struct {
	ExecutionARN string
	// FromEventID is the event id to start at; 0 means the first event
	// (forwards) or the last (backwards).
	FromEventID int64
	// Reverse reads backwards, newest chunk first.
	Reverse bool
	// Limit is the most chunks to return, as for ListParams.Limit.
	Limit int
}

// ClaimDueTimersParams select due timers to claim.
type ClaimDueTimersParams struct {
	Now time.Time
	// ClaimFor hides the claimed timers from later claims until
	// Now+ClaimFor, giving the caller time to commit their consumption.
	ClaimFor time.Duration
	// Limit is the most timers to claim, as for ListParams.Limit.
	Limit int
	// Shards, if not nil, keeps only timers of these shards.
	Shards []int
	// IgnoreClaims returns due timers even if an earlier call claimed them
	// (and claims them afresh). A runtime that is the only owner of its
	// timers sets it on its first poll after a start: claims left by a
	// process that died must not hide its timers.
	IgnoreClaims bool
}

// ListOutboxParams select a page of outbox rows that are not timers.
type ListOutboxParams struct {
	// Shards, if not nil, keeps only rows of these shards.
	Shards []int
	ListParams
}

// ListInboxParams select a page of inbox rows.
type ListInboxParams struct {
	// ExecutionARN, if set, keeps only that execution's rows.
	ExecutionARN string
	// Shards, if not nil, keeps only rows of these shards.
	Shards []int
	ListParams
}
