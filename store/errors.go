package store

import "errors"

// Sentinel errors returned, wrapped with context, by every Store
// implementation. See the package documentation for their meaning.
var (
	// ErrNotFound reports that the named record does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrAlreadyExists reports that a create would duplicate a unique key.
	ErrAlreadyExists = errors.New("store: already exists")
	// ErrConflict reports that an optimistic concurrency check failed.
	ErrConflict = errors.New("store: conflict")
	// ErrClaimLost reports that a batch's ActivityTaskClaim found its task
	// already claimed (by another poller or node) or gone.
	ErrClaimLost = errors.New("store: activity task claim lost")
	// ErrLeaseLost reports that a batch's lease epoch is stale.
	ErrLeaseLost = errors.New("store: lease lost")
	// ErrInvalidArgument reports malformed parameters.
	ErrInvalidArgument = errors.New("store: invalid argument")
	// ErrInvalidToken reports a pagination token this store did not issue.
	ErrInvalidToken = errors.New("store: invalid pagination token")
	// ErrClosed reports that the store has been closed.
	ErrClosed = errors.New("store: closed")
)
