package store

import "time"

// RedriveToken records the client token of a successful RedriveExecution,
// so that a retry with the same token answers with the same redrive date
// instead of redriving again (AWS: "idempotent responses for the last 10
// client tokens used to successfully redrive the execution … valid for up
// to 15 minutes after they are first used").
//
// Tokens live in their own small table (a map in the memory store), keyed
// by execution and token, rather than in the execution's record: the record
// is rewritten by every commit of the runtime, which knows nothing of
// tokens. A token is written after the redrive's commit, not in it, so a
// crash between the two forgets the token (a retry then finds the execution
// running and fails with ExecutionNotRedrivable, as a retry without a token
// would). The store keeps the rows; the caller decides how many are kept
// and when they expire (PutRedriveTokenParams).
type RedriveToken struct {
	ExecutionARN string
	Token        string
	// RedriveDate is the date the redrive answered with.
	RedriveDate time.Time
	// FirstUsed is when the token was first used; its validity runs from
	// there.
	FirstUsed time.Time
}

// PutRedriveTokenParams describe a token to record and the pruning of the
// execution's older tokens, done in the same step.
type PutRedriveTokenParams struct {
	// RedriveToken is recorded as the execution's newest token, replacing
	// a row with the same execution and token.
	RedriveToken RedriveToken
	// Keep, if positive, keeps only the execution's Keep newest tokens
	// (newest first used first, ties by order of recording), this one
	// included.
	Keep int
	// ExpireBefore, if not zero, drops the execution's tokens first used
	// before it.
	ExpireBefore time.Time
}
