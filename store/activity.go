package store

import "time"

// Activity is a named queue of tasks that outside workers poll.
type Activity struct {
	ARN          string
	Name         string
	CreationDate time.Time
}

// ActivityTask is one task queued for an activity's workers. It is inserted
// by a Batch, given to one worker by ClaimActivityTask and removed by a later
// Batch when the task completes, fails or times out.
type ActivityTask struct {
	// TaskToken identifies the task; it is unique across the store.
	TaskToken    string
	ActivityARN  string
	ExecutionARN string
	Input        []byte // the JSON input, as given
	CreatedAt    time.Time
	// Claimed, ClaimedAt and WorkerName are set when a worker claims the
	// task. A batch may insert a task already claimed (Claimed set): the
	// runner hands a new task straight to a worker that was waiting for
	// one, in the commit that creates it.
	Claimed    bool
	ClaimedAt  time.Time
	WorkerName string
}

// CreateActivityParams describe a new activity.
type CreateActivityParams struct {
	Activity Activity
	Tags     []Tag
}

// ClaimActivityTaskParams describe one poll of an activity's queue.
type ClaimActivityTaskParams struct {
	ActivityARN string
	WorkerName  string
	Now         time.Time
}

// ListQueuedActivityTasksParams select a page of an activity's unclaimed
// tasks.
type ListQueuedActivityTasksParams struct {
	ActivityARN string
	ListParams
}

// ActivityTaskClaim claims a queued task for a worker within a Batch, so
// that the claim commits together with the rest of the batch (the runner
// records the task's start, ActivityStarted, in the same commit). The task
// must exist and be unclaimed when the batch is applied; otherwise the batch
// fails with ErrClaimLost and applies nothing.
type ActivityTaskClaim struct {
	TaskToken  string
	WorkerName string
	ClaimedAt  time.Time
}
