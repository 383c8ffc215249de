-- The initial schema. Times are Unix nanoseconds in UTC, 0 when unset. Text
-- uses the "C" collation so that listings sort by bytes, as in every store.
-- Large, write-once execution fields live in execution_inputs so that the
-- executions row, rewritten by every commit, stays small.

CREATE TABLE state_machines (
	arn           TEXT COLLATE "C" PRIMARY KEY,
	name          TEXT COLLATE "C" NOT NULL,
	type          TEXT COLLATE "C" NOT NULL,
	definition    TEXT COLLATE "C" NOT NULL,
	role_arn      TEXT COLLATE "C" NOT NULL,
	description   TEXT COLLATE "C" NOT NULL,
	logging       BYTEA,
	tracing       BYTEA,
	revision_id   TEXT COLLATE "C" NOT NULL,
	status        TEXT COLLATE "C" NOT NULL,
	created_ns    BIGINT NOT NULL,
	updated_ns    BIGINT NOT NULL,
	last_version  BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE versions (
	arn               TEXT COLLATE "C" PRIMARY KEY,
	state_machine_arn TEXT COLLATE "C" NOT NULL,
	number            BIGINT NOT NULL,
	description       TEXT COLLATE "C" NOT NULL,
	definition        TEXT COLLATE "C" NOT NULL,
	role_arn          TEXT COLLATE "C" NOT NULL,
	revision_id       TEXT COLLATE "C" NOT NULL,
	logging           BYTEA,
	tracing           BYTEA,
	created_ns        BIGINT NOT NULL,
	UNIQUE (state_machine_arn, number)
);

CREATE TABLE aliases (
	arn               TEXT COLLATE "C" PRIMARY KEY,
	state_machine_arn TEXT COLLATE "C" NOT NULL,
	name              TEXT COLLATE "C" NOT NULL,
	description       TEXT COLLATE "C" NOT NULL,
	routing           BYTEA,
	created_ns        BIGINT NOT NULL,
	updated_ns        BIGINT NOT NULL
);
CREATE INDEX aliases_by_machine ON aliases (state_machine_arn, arn);

CREATE TABLE tags (
	resource_arn TEXT COLLATE "C" NOT NULL,
	key          TEXT COLLATE "C" NOT NULL,
	value        TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (resource_arn, key)
);

CREATE TABLE activities (
	arn        TEXT COLLATE "C" PRIMARY KEY,
	name       TEXT COLLATE "C" NOT NULL,
	created_ns BIGINT NOT NULL
);

-- seq gives the claim order; claimed is separate from claimed_ns because a
-- claim may carry a zero time.
CREATE TABLE activity_tasks (
	seq           BIGSERIAL PRIMARY KEY,
	token         TEXT COLLATE "C" NOT NULL UNIQUE,
	activity_arn  TEXT COLLATE "C" NOT NULL,
	execution_arn TEXT COLLATE "C" NOT NULL,
	input         BYTEA,
	created_ns    BIGINT NOT NULL,
	claimed       BIGINT NOT NULL DEFAULT 0,
	claimed_ns    BIGINT NOT NULL DEFAULT 0,
	worker        TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX activity_tasks_unclaimed ON activity_tasks (activity_arn, seq) WHERE claimed = 0;

CREATE TABLE executions (
	arn               TEXT COLLATE "C" PRIMARY KEY,
	state_machine_arn TEXT COLLATE "C" NOT NULL,
	version_arn       TEXT COLLATE "C" NOT NULL,
	alias_arn         TEXT COLLATE "C" NOT NULL,
	name              TEXT COLLATE "C" NOT NULL,
	status            TEXT COLLATE "C" NOT NULL,
	start_ns          BIGINT NOT NULL,
	stop_ns           BIGINT NOT NULL,
	output            BYTEA,
	error             TEXT COLLATE "C" NOT NULL,
	cause             TEXT COLLATE "C" NOT NULL,
	redrive_count     BIGINT NOT NULL,
	redrive_ns        BIGINT NOT NULL,
	snapshot          BYTEA,
	version           BIGINT NOT NULL,
	shard             BIGINT NOT NULL,
	UNIQUE (state_machine_arn, name)
);
CREATE INDEX executions_by_machine ON executions (state_machine_arn, start_ns DESC, arn DESC);
CREATE INDEX executions_by_version ON executions (version_arn, start_ns DESC, arn DESC) WHERE version_arn <> '';
CREATE INDEX executions_by_alias ON executions (alias_arn, start_ns DESC, arn DESC) WHERE alias_arn <> '';
CREATE INDEX executions_running ON executions (arn) WHERE status = 'RUNNING';

CREATE TABLE execution_inputs (
	arn          TEXT COLLATE "C" PRIMARY KEY,
	input        BYTEA,
	definition   TEXT COLLATE "C" NOT NULL,
	revision_id  TEXT COLLATE "C" NOT NULL,
	role_arn     TEXT COLLATE "C" NOT NULL,
	trace_header TEXT COLLATE "C" NOT NULL
);

CREATE TABLE history (
	execution_arn TEXT COLLATE "C" NOT NULL,
	first_id      BIGINT NOT NULL,
	last_id       BIGINT NOT NULL,
	events        BYTEA
);
-- last_id is in the index so that finding where a history ends reads no row.
CREATE UNIQUE INDEX history_by_execution ON history (execution_arn, first_id) INCLUDE (last_id);

-- due_ns is 0 for rows that are not timers.
CREATE TABLE outbox (
	seq              BIGSERIAL PRIMARY KEY,
	id               TEXT COLLATE "C" NOT NULL UNIQUE,
	execution_arn    TEXT COLLATE "C" NOT NULL,
	shard            BIGINT NOT NULL,
	kind             TEXT COLLATE "C" NOT NULL,
	payload          BYTEA,
	due_ns           BIGINT NOT NULL,
	claimed_until_ns BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX outbox_timers ON outbox (due_ns, seq) WHERE due_ns <> 0;

CREATE TABLE inbox (
	seq           BIGSERIAL PRIMARY KEY,
	id            TEXT COLLATE "C" NOT NULL UNIQUE,
	execution_arn TEXT COLLATE "C" NOT NULL,
	shard         BIGINT NOT NULL,
	kind          TEXT COLLATE "C" NOT NULL,
	payload       BYTEA,
	created_ns    BIGINT NOT NULL
);
CREATE INDEX inbox_by_execution ON inbox (execution_arn, seq);

-- One row per shard with a lease. A node owns a shard while its lease has
-- not expired; every acquisition by a new owner, or re-acquisition, bumps
-- the epoch, and Commit accepts only the current epoch (fencing).
CREATE TABLE shard_leases (
	shard      BIGINT PRIMARY KEY,
	owner      TEXT COLLATE "C" NOT NULL,
	epoch      BIGINT NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
