// Package store defines the durable storage seam of Stepwise: one narrow
// interface, Store, with the records it holds and the parameters its methods
// take. Implementations live in subpackages: store/memory (maps and a mutex,
// for Express workflows and tests), store/sqlite (the default embedded store)
// and store/postgres (shared by several nodes, with shard leases). Every
// implementation must pass the conformance suite in store/storetest, which
// is the executable form of the contracts written here.
//
// # Who implements and calls Store
//
// Store is an internal seam, not an extension point: only the packages of
// this module implement it, and only the runtime and service layers call it.
// Methods and fields may be added in any release; parameters are passed as
// pointers to XxxParams structs so that a new field does not change every call
// site.
//
// # What the store knows
//
// The store keeps state machines, their versions and aliases, tags,
// activities, executions, history, and the rows that drive an execution
// forward: the outbox (effects and timers), the inbox (events delivered from
// outside) and activity tasks; and the client tokens of recent redrives
// (RedriveToken). It never interprets an execution's engine
// state, its history events or any payload: those are opaque bytes encoded by
// the engine. The columns it does understand (status, dates, names, ARNs) exist
// only so that it can index and filter them.
//
// # Atomicity and the transactional outbox
//
// Commit applies a Batch atomically: execution snapshots (each guarded by an
// expected version), appended history chunks, outbox and inbox rows inserted
// and deleted, and activity tasks inserted, claimed and deleted. Either
// everything in the batch is applied or nothing is. A caller performs the effects a batch
// records only after Commit returns nil, and removes an outbox row by a later
// commit once the effect is consumed. Deleting a row that no longer exists
// fails the whole batch with ErrConflict, so a row is consumed at most once;
// because it stays until it is consumed, after a restart ListOutbox,
// ClaimDueTimers and ListInbox offer it again, so none is lost.
//
// All other methods that write (creating a state machine, claiming a timer or
// an activity task, tagging) are atomic on their own.
//
// # Errors
//
// Methods report the outcomes a caller must tell apart with the sentinel
// errors below, wrapped with context; test them with errors.Is:
//
//   - ErrNotFound: the record named by an ARN, token or id does not exist.
//   - ErrAlreadyExists: a create would duplicate a unique key (an ARN, an
//     execution name within its state machine, a row id, a task token).
//   - ErrConflict: an optimistic check failed: an execution's version moved,
//     a history chunk does not continue the execution's history, a row to
//     delete was already consumed, or an expected revision id differs.
//   - ErrClaimLost: a batch's activity task claim found the task claimed by
//     someone else, or gone.
//   - ErrLeaseLost: the batch's lease epoch is no longer the shard's epoch.
//   - ErrInvalidArgument: the parameters are malformed (a missing ARN, an
//     empty chunk, a negative limit).
//   - ErrInvalidToken: a pagination token was not produced by this store for
//     this query.
//   - ErrClosed: the store has been closed.
//
// # Shards and leases
//
// Every Batch carries a shard id and a lease epoch. A store shared by several
// nodes (PostgreSQL) checks in the commit's own transaction that the epoch is
// still the shard's current one and fails with ErrLeaseLost otherwise, so a
// node that lost its lease cannot write. Single-node stores (memory, SQLite)
// have no leases: they accept any epoch, and callers pass shard 0 and epoch 0.
// The shard of a batch is recorded on the executions it creates and on the
// outbox and inbox rows it inserts, so that recovery queries can be limited to
// the shards a node owns.
//
// # Pagination and time
//
// List methods return a Page: at most Limit items (a default when Limit is
// zero) and an opaque NextToken that is empty on the last page. Pages are in a
// stable order documented on each method, and a token stays valid when
// records are added or removed. Times are stored with nanosecond precision and
// returned in UTC; a zero time.Time means "not set".
package store
