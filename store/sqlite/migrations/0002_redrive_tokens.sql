-- The client tokens of successful RedriveExecution calls (store.RedriveToken).
-- seq orders tokens recorded in the same nanosecond.
CREATE TABLE redrive_tokens (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT,
	execution_arn TEXT NOT NULL,
	token         TEXT NOT NULL,
	redrive_ns    INTEGER NOT NULL,
	first_used_ns INTEGER NOT NULL,
	UNIQUE (execution_arn, token)
);
CREATE INDEX redrive_tokens_by_execution ON redrive_tokens (execution_arn, first_used_ns DESC, seq DESC);
