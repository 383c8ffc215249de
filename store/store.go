package store

import "context"

// Store is the durable storage of Stepwise. Implementations must be safe for
// concurrent use by many goroutines. Records passed in and returned are
// copied: callers may modify them (and the byte slices they hold) freely
// afterwards.
type Store interface {
	// CreateStateMachine creates a state machine and its tags and, if
	// p.Publish is set, its first version, in one step. It fails with
	// ErrAlreadyExists if the ARN is taken.
	CreateStateMachine(ctx context.Context, p *CreateStateMachineParams) (*StateMachineResult, error)
	// GetStateMachine returns the state machine with the given ARN.
	GetStateMachine(ctx context.Context, arn string) (*StateMachine, error)
	// UpdateStateMachine changes the fields set in p and, if p.Publish is
	// set, publishes a version of the result, in one step.
	UpdateStateMachine(ctx context.Context, p *UpdateStateMachineParams) (*StateMachineResult, error)
	// DeleteStateMachine deletes a state machine with its versions, aliases
	// and tags. Its executions remain.
	DeleteStateMachine(ctx context.Context, arn string) error
	// ListStateMachines lists state machines in ascending ARN order.
	ListStateMachines(ctx context.Context, p *ListParams) (*Page[StateMachine], error)

	// PublishVersion freezes the state machine's current definition as a new
	// version numbered one past the highest number it ever had. If the
	// newest existing version already froze the current revision, it returns
	// that version instead of creating one.
	PublishVersion(ctx context.Context, p *PublishVersionParams) (*Version, error)
	// GetVersion returns the version with the given ARN.
	GetVersion(ctx context.Context, arn string) (*Version, error)
	// DeleteVersion deletes a version. Its number is never reused.
	DeleteVersion(ctx context.Context, arn string) error
	// ListVersions lists a state machine's versions, newest first.
	ListVersions(ctx context.Context, p *ListVersionsParams) (*Page[Version], error)

	// CreateAlias creates an alias; ErrNotFound if its state machine does
	// not exist, ErrAlreadyExists if its ARN is taken.
	CreateAlias(ctx context.Context, p *CreateAliasParams) (*Alias, error)
	// GetAlias returns the alias with the given ARN.
	GetAlias(ctx context.Context, arn string) (*Alias, error)
	// UpdateAlias changes the fields set in p.
	UpdateAlias(ctx context.Context, p *UpdateAliasParams) (*Alias, error)
	// DeleteAlias deletes an alias.
	DeleteAlias(ctx context.Context, arn string) error
	// ListAliases lists a state machine's aliases in ascending ARN order.
	ListAliases(ctx context.Context, p *ListAliasesParams) (*Page[Alias], error)

	// TagResource adds tags to a resource, replacing the values of keys it
	// already has. The store does not check that the resource exists.
	TagResource(ctx context.Context, p *TagResourceParams) error
	// UntagResource removes tag keys from a resource; absent keys are ignored.
	UntagResource(ctx context.Context, p *UntagResourceParams) error
	// ListTags returns a resource's tags in ascending key order (empty, not
	// an error, for a resource without tags).
	ListTags(ctx context.Context, resourceARN string) ([]Tag, error)

	// CreateActivity creates an activity and its tags; ErrAlreadyExists if
	// its ARN is taken.
	CreateActivity(ctx context.Context, p *CreateActivityParams) (*Activity, error)
	// GetActivity returns the activity with the given ARN.
	GetActivity(ctx context.Context, arn string) (*Activity, error)
	// DeleteActivity deletes an activity and its tags. Its queued tasks
	// remain until the commits of their executions delete them.
	DeleteActivity(ctx context.Context, arn string) error
	// ListActivities lists activities in ascending ARN order.
	ListActivities(ctx context.Context, p *ListParams) (*Page[Activity], error)
	// ClaimActivityTask atomically gives the oldest unclaimed task of an
	// activity to one worker: no other call returns it again. It fails with
	// ErrNotFound if there is none; waiting for one is the caller's job.
	ClaimActivityTask(ctx context.Context, p *ClaimActivityTaskParams) (*ActivityTask, error)
	// ListQueuedActivityTasks lists an activity's unclaimed tasks, oldest
	// first, without claiming them: a caller claims one with an
	// ActivityTaskClaim in a Batch, which fails if another claimed it first.
	ListQueuedActivityTasks(ctx context.Context, p *ListQueuedActivityTasksParams) (*Page[ActivityTask], error)
	// GetActivityTask returns a queued or claimed task by its token.
	GetActivityTask(ctx context.Context, token string) (*ActivityTask, error)

	// Commit atomically applies b; see Batch. Once the batch has been handed
	// to the store, Commit waits for its outcome even if ctx ends, so that
	// a nil or non-nil result is always definite.
	Commit(ctx context.Context, b *Batch) error
	// GetExecution returns an execution with every field filled in.
	GetExecution(ctx context.Context, arn string) (*Execution, error)
	// ListExecutions lists a state machine's executions, newest start date
	// first (ties in descending ARN order). Listed executions carry no
	// Input, Output, Definition or Snapshot.
	ListExecutions(ctx context.Context, p *ListExecutionsParams) (*Page[Execution], error)
	// ListRunningExecutions lists executions whose status is RUNNING, in
	// ascending ARN order, for recovery. Listed executions carry no Input,
	// Output, Definition or Snapshot.
	ListRunningExecutions(ctx context.Context, p *ListRunningExecutionsParams) (*Page[Execution], error)
	// ReadHistory returns the history chunks of an execution that hold
	// events at or after (forwards) or at or before (backwards)
	// p.FromEventID. It returns an empty slice past the end.
	ReadHistory(ctx context.Context, p *ReadHistoryParams) ([]HistoryChunk, error)
	// ClaimDueTimers returns timers (outbox rows with a due time) due at
	// p.Now and not claimed past p.Now, earliest first, and claims them until
	// p.Now+p.ClaimFor so that later calls skip them meanwhile. A claimed
	// timer stays until a commit deletes it.
	ClaimDueTimers(ctx context.Context, p *ClaimDueTimersParams) ([]OutboxRow, error)
	// ListOutbox lists outbox rows without a due time, in insertion order,
	// so that they can be offered again after a restart.
	ListOutbox(ctx context.Context, p *ListOutboxParams) (*Page[OutboxRow], error)
	// ListInbox lists inbox rows in insertion order.
	ListInbox(ctx context.Context, p *ListInboxParams) (*Page[InboxRow], error)

	// PutRedriveToken records a client token of a successful
	// RedriveExecution and prunes the execution's older tokens as p says;
	// see RedriveToken.
	PutRedriveToken(ctx context.Context, p *PutRedriveTokenParams) error
	// GetRedriveToken returns an execution's recorded token, or
	// ErrNotFound.
	GetRedriveToken(ctx context.Context, executionARN, token string) (*RedriveToken, error)

	// Close waits for commits in flight, then releases the store's
	// resources. Later calls fail with ErrClosed.
	Close() error
}
