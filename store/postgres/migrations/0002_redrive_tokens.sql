-- The client tokens of successful RedriveExecution calls (store.RedriveToken).
-- seq orders tokens recorded in the same nanosecond.
CREATE TABLE redrive_tokens (
	seq           BIGSERIAL PRIMARY KEY,
	execution_arn TEXT COLLATE "C" NOT NULL,
	token         TEXT COLLATE "C" NOT NULL,
	redrive_ns    BIGINT NOT NULL,
	first_used_ns BIGINT NOT NULL,
	UNIQUE (execution_arn, token)
);
CREATE INDEX redrive_tokens_by_execution ON redrive_tokens (execution_arn, first_used_ns DESC, seq DESC);
