-- The initial schema. Times are Unix nanoseconds in UTC, 0 when unset.
-- Large, write-once execution fields live in execution_inputs so that the
-- executions row, rewritten by every commit, stays small.

CREATE TABLE state_machines (
	arn           TEXT PRIMARY KEY,
	name          TEXT NOT NULL,
	type          TEXT NOT NULL,
	definition    TEXT NOT NULL,
	role_arn      TEXT NOT NULL,
	description   TEXT NOT NULL,
	logging       BLOB,
	tracing       BLOB,
	revision_id   TEXT NOT NULL,
	status        TEXT NOT NULL,
	created_ns    INTEGER NOT NULL,
	updated_ns    INTEGER NOT NULL,
	last_version  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE versions (
	arn               TEXT PRIMARY KEY,
	state_machine_arn TEXT NOT NULL,
	number            INTEGER NOT NULL,
	description       TEXT NOT NULL,
	definition        TEXT NOT NULL,
	role_arn          TEXT NOT NULL,
	revision_id       TEXT NOT NULL,
	logging           BLOB,
	tracing           BLOB,
	created_ns        INTEGER NOT NULL,
	UNIQUE (state_machine_arn, number)
);

CREATE TABLE aliases (
	arn               TEXT PRIMARY KEY,
	state_machine_arn TEXT NOT NULL,
	name              TEXT NOT NULL,
	description       TEXT NOT NULL,
	routing           BLOB,
	created_ns        INTEGER NOT NULL,
	updated_ns        INTEGER NOT NULL
);
CREATE INDEX aliases_by_machine ON aliases (state_machine_arn, arn);

CREATE TABLE tags (
	resource_arn TEXT NOT NULL,
	key          TEXT NOT NULL,
	value        TEXT NOT NULL,
	PRIMARY KEY (resource_arn, key)
) WITHOUT ROWID;

CREATE TABLE activities (
	arn        TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	created_ns INTEGER NOT NULL
);

-- seq gives the claim order; claimed is separate from claimed_ns because a
-- claim may carry a zero time.
CREATE TABLE activity_tasks (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT,
	token         TEXT NOT NULL UNIQUE,
	activity_arn  TEXT NOT NULL,
	execution_arn TEXT NOT NULL,
	input         BLOB,
	created_ns    INTEGER NOT NULL,
	claimed       INTEGER NOT NULL DEFAULT 0,
	claimed_ns    INTEGER NOT NULL DEFAULT 0,
	worker        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX activity_tasks_unclaimed ON activity_tasks (activity_arn, seq) WHERE claimed = 0;

CREATE TABLE executions (
	arn               TEXT PRIMARY KEY,
	state_machine_arn TEXT NOT NULL,
	version_arn       TEXT NOT NULL,
	alias_arn         TEXT NOT NULL,
	name              TEXT NOT NULL,
	status            TEXT NOT NULL,
	start_ns          INTEGER NOT NULL,
	stop_ns           INTEGER NOT NULL,
	output            BLOB,
	error             TEXT NOT NULL,
	cause             TEXT NOT NULL,
	redrive_count     INTEGER NOT NULL,
	redrive_ns        INTEGER NOT NULL,
	snapshot          BLOB,
	version           INTEGER NOT NULL,
	shard             INTEGER NOT NULL,
	UNIQUE (state_machine_arn, name)
);
CREATE INDEX executions_by_machine ON executions (state_machine_arn, start_ns DESC, arn DESC);
CREATE INDEX executions_by_version ON executions (version_arn, start_ns DESC, arn DESC) WHERE version_arn <> '';
CREATE INDEX executions_by_alias ON executions (alias_arn, start_ns DESC, arn DESC) WHERE alias_arn <> '';
CREATE INDEX executions_running ON executions (arn) WHERE status = 'RUNNING';

CREATE TABLE execution_inputs (
	arn          TEXT PRIMARY KEY,
	input        BLOB,
	definition   TEXT NOT NULL,
	revision_id  TEXT NOT NULL,
	role_arn     TEXT NOT NULL,
	trace_header TEXT NOT NULL
);

CREATE TABLE history (
	execution_arn TEXT NOT NULL,
	first_id      INTEGER NOT NULL,
	last_id       INTEGER NOT NULL,
	events        BLOB
);
-- last_id is in the index so that finding where a history ends reads no row.
CREATE UNIQUE INDEX history_by_execution ON history (execution_arn, first_id, last_id);

-- due_ns is 0 for rows that are not timers.
CREATE TABLE outbox (
	seq              INTEGER PRIMARY KEY AUTOINCREMENT,
	id               TEXT NOT NULL UNIQUE,
	execution_arn    TEXT NOT NULL,
	shard            INTEGER NOT NULL,
	kind             TEXT NOT NULL,
	payload          BLOB,
	due_ns           INTEGER NOT NULL,
	claimed_until_ns INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_timers ON outbox (due_ns, seq) WHERE due_ns <> 0;

CREATE TABLE inbox (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT,
	id            TEXT NOT NULL UNIQUE,
	execution_arn TEXT NOT NULL,
	shard         INTEGER NOT NULL,
	kind          TEXT NOT NULL,
	payload       BLOB,
	created_ns    INTEGER NOT NULL
);
CREATE INDEX inbox_by_execution ON inbox (execution_arn, seq);
