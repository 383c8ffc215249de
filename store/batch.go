package store

import "fmt"

// Batch is everything one Commit applies atomically, for one or many
// executions of one shard.
//
// A store applies the parts in the order of the fields below. Each part has
// its own check; if any check fails, Commit applies nothing and returns the
// failure:
//
//   - Executions: an ExecutionWrite with ExpectedVersion 0 creates the
//     execution (ErrAlreadyExists if its ARN, or its name within its state
//     machine, was ever used); otherwise the execution's stored Version must
//     equal ExpectedVersion (ErrConflict if not, ErrNotFound if there is no
//     such execution). The written execution's Version becomes
//     ExpectedVersion+1.
//   - History: each chunk's execution must exist (ErrNotFound) and the chunk
//     must start right after the execution's last event (ErrConflict).
//   - OutboxInserts, InboxInserts, ActivityTasks: ErrAlreadyExists on a
//     duplicate id or token.
//   - ActivityTaskClaims: ErrClaimLost if the task does not exist or is
//     already claimed. Claims apply after ActivityTasks and before
//     ActivityTaskDeletes.
//   - OutboxDeletes, InboxDeletes, ActivityTaskDeletes: ErrConflict if the
//     row does not exist (it was already consumed).
type Batch struct {
	// Shard is the shard every execution of the batch belongs to.
	Shard int
	// Epoch is the caller's lease epoch for Shard. Stores with leases fail
	// with ErrLeaseLost unless it is the shard's current epoch; stores
	// without leases ignore it.
	Epoch int64

	Executions          []ExecutionWrite
	History             []HistoryChunk
	OutboxInserts       []OutboxRow
	OutboxDeletes       []string // outbox row ids
	InboxInserts        []InboxRow
	InboxDeletes        []string // inbox row ids
	ActivityTasks       []ActivityTask
	ActivityTaskClaims  []ActivityTaskClaim
	ActivityTaskDeletes []string // task tokens
}

// ExecutionWrite creates or updates one execution's record and snapshot.
type ExecutionWrite struct {
	Execution Execution
	// ExpectedVersion is 0 to create the execution, otherwise the Version
	// the caller last read or wrote.
	ExpectedVersion int64
}

// Validate reports, wrapping ErrInvalidArgument, the first malformed part of
// b: a missing ARN, name or id, a negative version, or a chunk whose event
// range is empty or not positive. Stores call it before applying b.
func (b *Batch) Validate() error {
	if b == nil {
		return fmt.Errorf("nil batch: %w", ErrInvalidArgument)
	}
	for i, w := range b.Executions {
		e := &w.Execution
		switch {
		case e.ARN == "":
			return fmt.Errorf("execution %d: empty ARN: %w", i, ErrInvalidArgument)
		case w.ExpectedVersion < 0:
			return fmt.Errorf("execution %s: negative expected version: %w", e.ARN, ErrInvalidArgument)
		case w.ExpectedVersion == 0 && (e.StateMachineARN == "" || e.Name == ""):
			return fmt.Errorf("execution %s: new execution needs a state machine ARN and a name: %w", e.ARN, ErrInvalidArgument)
		case e.Status == "":
			return fmt.Errorf("execution %s: empty status: %w", e.ARN, ErrInvalidArgument)
		}
	}
	for _, c := range b.History {
		if c.ExecutionARN == "" || c.FirstEventID < 1 || c.LastEventID < c.FirstEventID {
			return fmt.Errorf("history chunk %q [%d, %d]: %w", c.ExecutionARN, c.FirstEventID, c.LastEventID, ErrInvalidArgument)
		}
	}
	for _, r := range b.OutboxInserts {
		if r.ID == "" || r.ExecutionARN == "" {
			return fmt.Errorf("outbox row %q: needs an id and an execution ARN: %w", r.ID, ErrInvalidArgument)
		}
	}
	for _, r := range b.InboxInserts {
		if r.ID == "" || r.ExecutionARN == "" {
			return fmt.Errorf("inbox row %q: needs an id and an execution ARN: %w", r.ID, ErrInvalidArgument)
		}
	}
	for _, t := range b.ActivityTasks {
		if t.TaskToken == "" || t.ActivityARN == "" {
			return fmt.Errorf("activity task %q: needs a token and an activity ARN: %w", t.TaskToken, ErrInvalidArgument)
		}
	}
	for _, c := range b.ActivityTaskClaims {
		if c.TaskToken == "" {
			return fmt.Errorf("activity task claim: needs a token: %w", ErrInvalidArgument)
		}
	}
	return nil
}
