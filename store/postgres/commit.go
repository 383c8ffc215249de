package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/stepwise-run/stepwise/store"
)

// Commit implements store.Store: the lease check and the batch's writes run
// in one transaction.
func (s *Store) Commit(ctx context.Context, b *store.Batch) error {
	if err := b.Validate(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	err := s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		if err := checkEpoch(ctx, tx, b.Shard, b.Epoch); err != nil {
			return err
		}
		return apply(ctx, tx, b)
	})
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func apply(ctx context.Context, tx pgx.Tx, b *store.Batch) error {
	for i := range b.Executions {
		if err := writeExecution(ctx, tx, b.Shard, &b.Executions[i]); err != nil {
			return err
		}
	}
	for _, c := range b.History {
		if err := appendHistory(ctx, tx, c); err != nil {
			return err
		}
	}
	for _, r := range b.OutboxInserts {
		tag, err := tx.Exec(ctx, `INSERT INTO outbox (id, execution_arn, shard, kind, payload, due_ns) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT DO NOTHING`, r.ID, r.ExecutionARN, b.Shard, r.Kind, r.Payload, ns(r.DueAt))
		if err := affected(tag, err, "outbox row "+r.ID, store.ErrAlreadyExists); err != nil {
			return err
		}
	}
	for _, id := range b.OutboxDeletes {
		tag, err := tx.Exec(ctx, `DELETE FROM outbox WHERE id = $1`, id)
		if err := affected(tag, err, "delete outbox row "+id, store.ErrConflict); err != nil {
			return err
		}
	}
	for _, r := range b.InboxInserts {
		tag, err := tx.Exec(ctx, `INSERT INTO inbox (id, execution_arn, shard, kind, payload, created_ns) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT DO NOTHING`, r.ID, r.ExecutionARN, b.Shard, r.Kind, r.Payload, ns(r.CreatedAt))
		if err := affected(tag, err, "inbox row "+r.ID, store.ErrAlreadyExists); err != nil {
			return err
		}
	}
	for _, id := range b.InboxDeletes {
		tag, err := tx.Exec(ctx, `DELETE FROM inbox WHERE id = $1`, id)
		if err := affected(tag, err, "delete inbox row "+id, store.ErrConflict); err != nil {
			return err
		}
	}
	for _, t := range b.ActivityTasks {
		tag, err := tx.Exec(ctx, `INSERT INTO activity_tasks (token, activity_arn, execution_arn, input, created_ns) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT DO NOTHING`, t.TaskToken, t.ActivityARN, t.ExecutionARN, t.Input, ns(t.CreatedAt))
		if err := affected(tag, err, "activity task "+t.TaskToken, store.ErrAlreadyExists); err != nil {
			return err
		}
	}
	for _, token := range b.ActivityTaskDeletes {
		tag, err := tx.Exec(ctx, `DELETE FROM activity_tasks WHERE token = $1`, token)
		if err := affected(tag, err, "delete activity task "+token, store.ErrConflict); err != nil {
			return err
		}
	}
	return nil
}

func writeExecution(ctx context.Context, tx pgx.Tx, shard int, ew *store.ExecutionWrite) error {
	e := &ew.Execution
	if ew.ExpectedVersion == 0 {
		// ON CONFLICT covers both the primary key and UNIQUE (state_machine_arn, name).
		tag, err := tx.Exec(ctx, `INSERT INTO executions (arn, state_machine_arn, version_arn, alias_arn, name, status, start_ns,
			stop_ns, output, error, cause, redrive_count, redrive_ns, snapshot, version, shard)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15) ON CONFLICT DO NOTHING`,
			e.ARN, e.StateMachineARN, e.VersionARN, e.AliasARN, e.Name, e.Status, ns(e.StartDate),
			ns(e.StopDate), e.Output, e.Error, e.Cause, e.RedriveCount, ns(e.RedriveDate), e.Snapshot, shard)
		if err := affected(tag, err, "create execution "+e.ARN, store.ErrAlreadyExists); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO execution_inputs (arn, input, definition, revision_id, role_arn, trace_header)
			VALUES ($1, $2, $3, $4, $5, $6)`, e.ARN, e.Input, e.Definition, e.RevisionID, e.RoleARN, e.TraceHeader); err != nil {
			return fmt.Errorf("create execution %s: %w", e.ARN, err)
		}
		return nil
	}
	tag, err := tx.Exec(ctx, `UPDATE executions SET status = $1, stop_ns = $2, output = $3, error = $4, cause = $5,
		redrive_count = $6, redrive_ns = $7, snapshot = $8, version = version + 1 WHERE arn = $9 AND version = $10`,
		e.Status, ns(e.StopDate), e.Output, e.Error, e.Cause, e.RedriveCount, ns(e.RedriveDate), e.Snapshot,
		e.ARN, ew.ExpectedVersion)
	if err != nil {
		return fmt.Errorf("write execution %s: %w", e.ARN, err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var version int64
	switch err := tx.QueryRow(ctx, `SELECT version FROM executions WHERE arn = $1`, e.ARN).Scan(&version); {
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("write execution %s: %w", e.ARN, store.ErrNotFound)
	case err != nil:
		return fmt.Errorf("write execution %s: %w", e.ARN, err)
	}
	return fmt.Errorf("write execution %s: version is %d, not %d: %w", e.ARN, version, ew.ExpectedVersion, store.ErrConflict)
}

// appendHistory checks that c continues its execution's history and inserts
// it. Two concurrent appends that both pass the check collide on the unique
// index (execution_arn, first_id), and the loser gets ErrConflict.
func appendHistory(ctx context.Context, tx pgx.Tx, c store.HistoryChunk) error {
	var found bool
	var last int64
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM executions WHERE arn = $1),
		coalesce((SELECT last_id FROM history WHERE execution_arn = $1 ORDER BY first_id DESC LIMIT 1), 0)`,
		c.ExecutionARN).Scan(&found, &last); err != nil {
		return fmt.Errorf("append history of %s: %w", c.ExecutionARN, err)
	}
	if !found {
		return fmt.Errorf("append history: execution %s: %w", c.ExecutionARN, store.ErrNotFound)
	}
	if c.FirstEventID != last+1 {
		return fmt.Errorf("append history of %s at event %d: last event is %d: %w", c.ExecutionARN, c.FirstEventID, last, store.ErrConflict)
	}
	tag, err := tx.Exec(ctx, `INSERT INTO history (execution_arn, first_id, last_id, events) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, c.ExecutionARN, c.FirstEventID, c.LastEventID, c.Events)
	return affected(tag, err, fmt.Sprintf("append history of %s at event %d", c.ExecutionARN, c.FirstEventID), store.ErrConflict)
}
