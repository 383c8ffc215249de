package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/stepwise-run/stepwise/store"
)

// Commit implements store.Store. The batch runs in the writer's current
// transaction, inside a savepoint of its own when it shares the transaction.
func (s *Store) Commit(ctx context.Context, b *store.Batch) error {
	if err := b.Validate(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if err := s.write(ctx, func(w *wtx) error { return w.apply(b) }); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	s.logged.Add(batchBytes(b))
	return nil
}

// batchBytes estimates what a batch adds to the write-ahead log: the
// lengths of its documents (the checkpointer's measure, see checkpointer).
func batchBytes(b *store.Batch) int64 {
	n := 0
	for _, w := range b.Executions {
		e := &w.Execution
		n += len(e.Snapshot) + len(e.Output) + len(e.Input) + len(e.Definition) + len(e.Cause) + 200
	}
	for _, c := range b.History {
		n += len(c.Events) + 100
	}
	for _, r := range b.OutboxInserts {
		n += len(r.Payload) + 100
	}
	for _, t := range b.ActivityTasks {
		n += len(t.Input) + 200
	}
	n += 100 * len(b.ActivityTaskClaims)
	return int64(n)
}

func (w *wtx) apply(b *store.Batch) error {
	for i := range b.Executions {
		if err := w.writeExecution(b.Shard, &b.Executions[i]); err != nil {
			return err
		}
	}
	for _, c := range b.History {
		if err := w.appendHistory(c); err != nil {
			return err
		}
	}
	for _, r := range b.OutboxInserts {
		if _, err := w.exec(`INSERT INTO outbox (id, execution_arn, shard, kind, payload, due_ns) VALUES (?, ?, ?, ?, ?, ?)`,
			r.ID, r.ExecutionARN, b.Shard, r.Kind, r.Payload, ns(r.DueAt)); err != nil {
			return fmt.Errorf("outbox row %s: %w", r.ID, uniqueIs(err, store.ErrAlreadyExists))
		}
	}
	for _, id := range b.OutboxDeletes {
		r, err := w.exec(`DELETE FROM outbox WHERE id = ?`, id)
		if err := affected(r, err, "delete outbox row "+id, store.ErrConflict); err != nil {
			return err
		}
	}
	for _, r := range b.InboxInserts {
		if _, err := w.exec(`INSERT INTO inbox (id, execution_arn, shard, kind, payload, created_ns) VALUES (?, ?, ?, ?, ?, ?)`,
			r.ID, r.ExecutionARN, b.Shard, r.Kind, r.Payload, ns(r.CreatedAt)); err != nil {
			return fmt.Errorf("inbox row %s: %w", r.ID, uniqueIs(err, store.ErrAlreadyExists))
		}
	}
	for _, id := range b.InboxDeletes {
		r, err := w.exec(`DELETE FROM inbox WHERE id = ?`, id)
		if err := affected(r, err, "delete inbox row "+id, store.ErrConflict); err != nil {
			return err
		}
	}
	for _, t := range b.ActivityTasks {
		if _, err := w.exec(`INSERT INTO activity_tasks (token, activity_arn, execution_arn, input, created_ns, claimed, claimed_ns, worker)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.TaskToken, t.ActivityARN, t.ExecutionARN, t.Input, ns(t.CreatedAt),
			t.Claimed, claimedNS(t), t.WorkerName); err != nil {
			return fmt.Errorf("activity task %s: %w", t.TaskToken, uniqueIs(err, store.ErrAlreadyExists))
		}
	}
	for _, c := range b.ActivityTaskClaims {
		r, err := w.exec(`UPDATE activity_tasks SET claimed = 1, claimed_ns = ?, worker = ? WHERE token = ? AND claimed = 0`,
			ns(c.ClaimedAt), c.WorkerName, c.TaskToken)
		if err := affected(r, err, "claim activity task "+c.TaskToken, store.ErrClaimLost); err != nil {
			return err
		}
	}
	for _, token := range b.ActivityTaskDeletes {
		r, err := w.exec(`DELETE FROM activity_tasks WHERE token = ?`, token)
		if err := affected(r, err, "delete activity task "+token, store.ErrConflict); err != nil {
			return err
		}
	}
	return nil
}

func (w *wtx) writeExecution(shard int, ew *store.ExecutionWrite) error {
	e := &ew.Execution
	if ew.ExpectedVersion == 0 {
		if _, err := w.exec(`INSERT INTO executions (arn, state_machine_arn, version_arn, alias_arn, name, status, start_ns,
			stop_ns, output, error, cause, redrive_count, redrive_ns, snapshot, version, shard)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
			e.ARN, e.StateMachineARN, e.VersionARN, e.AliasARN, e.Name, e.Status, ns(e.StartDate),
			ns(e.StopDate), e.Output, e.Error, e.Cause, e.RedriveCount, ns(e.RedriveDate), e.Snapshot, shard); err != nil {
			// The primary key and UNIQUE (state_machine_arn, name) keep names unique.
			return fmt.Errorf("create execution %s: %w", e.ARN, uniqueIs(err, store.ErrAlreadyExists))
		}
		if _, err := w.exec(`INSERT INTO execution_inputs (arn, input, definition, revision_id, role_arn, trace_header)
			VALUES (?, ?, ?, ?, ?, ?)`, e.ARN, e.Input, e.Definition, e.RevisionID, e.RoleARN, e.TraceHeader); err != nil {
			return fmt.Errorf("create execution %s: %w", e.ARN, err)
		}
		return nil
	}
	r, err := w.exec(`UPDATE executions SET status = ?, stop_ns = ?, output = ?, error = ?, cause = ?, redrive_count = ?,
		redrive_ns = ?, snapshot = ?, version = version + 1 WHERE arn = ? AND version = ?`,
		e.Status, ns(e.StopDate), e.Output, e.Error, e.Cause, e.RedriveCount, ns(e.RedriveDate), e.Snapshot,
		e.ARN, ew.ExpectedVersion)
	if err := affected(r, err, "write execution "+e.ARN, store.ErrConflict); err != nil {
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
		var version int64
		switch err := w.queryRow(`SELECT version FROM executions WHERE arn = ?`, e.ARN).Scan(&version); {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("write execution %s: %w", e.ARN, store.ErrNotFound)
		case err != nil:
			return err
		}
		return fmt.Errorf("write execution %s: version is %d, not %d: %w", e.ARN, version, ew.ExpectedVersion, store.ErrConflict)
	}
	return nil
}

// appendHistory inserts c if it continues its execution's history, in one
// statement; only when it does not does a second query find out why.
func (w *wtx) appendHistory(c store.HistoryChunk) error {
	r, err := w.exec(`INSERT INTO history (execution_arn, first_id, last_id, events)
		SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM executions WHERE arn = ?1)
		AND ?2 = 1 + coalesce((SELECT last_id FROM history WHERE execution_arn = ?1 ORDER BY first_id DESC LIMIT 1), 0)`,
		c.ExecutionARN, c.FirstEventID, c.LastEventID, c.Events)
	if err != nil {
		return fmt.Errorf("append history of %s: %w", c.ExecutionARN, err)
	}
	if n, err := r.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var exists bool
	var last int64
	if err := w.queryRow(`SELECT EXISTS (SELECT 1 FROM executions WHERE arn = ?1),
		coalesce((SELECT last_id FROM history WHERE execution_arn = ?1 ORDER BY first_id DESC LIMIT 1), 0)`,
		c.ExecutionARN).Scan(&exists, &last); err != nil {
		return fmt.Errorf("append history of %s: %w", c.ExecutionARN, err)
	}
	if !exists {
		return fmt.Errorf("append history: execution %s: %w", c.ExecutionARN, store.ErrNotFound)
	}
	return fmt.Errorf("append history of %s at event %d: last event is %d: %w", c.ExecutionARN, c.FirstEventID, last, store.ErrConflict)
}
