package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/stepwise-run/stepwise/store"
)

// Commit implements store.Store. The lease check and every write of the
// batch are sent to the server in one pipelined round trip, inside one
// transaction; each statement's result is then checked in order. A statement
// that touches no row where it must (a stale version, a consumed row) fails
// the batch, and only then does a follow-up query find out why.
func (s *Store) Commit(ctx context.Context, b *store.Batch) error {
	if err := b.Validate(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	err := s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		p := &pipeline{}
		queue(p, b)
		return p.run(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// why explains, with a query in the same transaction if need be, why a
// statement touched no row.
type why func(ctx context.Context, tx pgx.Tx) error

// pipeline is a pgx.Batch whose statements each have a check of their
// result. A check returns an error for a failed statement, or a why for a
// statement that touched no row where it had to; the why runs once the
// batch's results are closed, since a connection runs one thing at a time.
type pipeline struct {
	batch  pgx.Batch
	checks []func(r pgx.BatchResults) (why, error)
}

// exec queues a statement that must touch exactly one row.
func (p *pipeline) exec(none why, sql string, args ...any) {
	p.batch.Queue(sql, args...)
	p.checks = append(p.checks, func(r pgx.BatchResults) (why, error) {
		tag, err := r.Exec()
		if err != nil {
			return nil, err
		}
		if tag.RowsAffected() == 0 {
			return none, nil
		}
		return nil, nil
	})
}

// always queues a statement whose row count does not matter.
func (p *pipeline) always(sql string, args ...any) {
	p.batch.Queue(sql, args...)
	p.checks = append(p.checks, func(r pgx.BatchResults) (why, error) {
		_, err := r.Exec()
		return nil, err
	})
}

// run sends the batch and checks its results in order.
func (p *pipeline) run(ctx context.Context, tx pgx.Tx) error {
	r := tx.SendBatch(ctx, &p.batch)
	var failed why
	for _, check := range p.checks {
		w, err := check(r)
		if err != nil {
			_ = r.Close()
			return err
		}
		if w != nil {
			failed = w
			break
		}
	}
	if err := r.Close(); err != nil {
		return err
	}
	if failed != nil {
		return failed(ctx, tx)
	}
	return nil
}

// fail returns a why that reports err without querying.
func fail(err error) why {
	return func(context.Context, pgx.Tx) error { return err }
}

func queue(p *pipeline, b *store.Batch) {
	shard, epoch := b.Shard, b.Epoch
	// The lease check share-locks the shard's lease row, so an acquisition
	// waits for this commit, and this commit for an acquisition.
	p.batch.Queue(`SELECT coalesce((SELECT epoch FROM shard_leases WHERE shard = $1 FOR SHARE), 0)`, shard)
	p.checks = append(p.checks, func(r pgx.BatchResults) (why, error) {
		var current int64
		if err := r.QueryRow().Scan(&current); err != nil {
			return nil, fmt.Errorf("check lease of shard %d: %w", shard, err)
		}
		if current != epoch {
			return nil, fmt.Errorf("shard %d: epoch is %d, not %d: %w", shard, current, epoch, store.ErrLeaseLost)
		}
		return nil, nil
	})
	for i := range b.Executions {
		queueExecution(p, b.Shard, &b.Executions[i])
	}
	for _, c := range b.History {
		p.exec(historyWhy(c), `INSERT INTO history (execution_arn, first_id, last_id, events)
			SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM executions WHERE arn = $1)
			AND $2 = 1 + coalesce((SELECT last_id FROM history WHERE execution_arn = $1 ORDER BY first_id DESC LIMIT 1), 0)
			ON CONFLICT DO NOTHING`, c.ExecutionARN, c.FirstEventID, c.LastEventID, c.Events)
	}
	for _, r := range b.OutboxInserts {
		p.exec(fail(fmt.Errorf("outbox row %s: %w", r.ID, store.ErrAlreadyExists)),
			`INSERT INTO outbox (id, execution_arn, shard, kind, payload, due_ns) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT DO NOTHING`, r.ID, r.ExecutionARN, b.Shard, r.Kind, r.Payload, ns(r.DueAt))
	}
	for _, id := range b.OutboxDeletes {
		p.exec(fail(fmt.Errorf("delete outbox row %s: %w", id, store.ErrConflict)), `DELETE FROM outbox WHERE id = $1`, id)
	}
	for _, r := range b.InboxInserts {
		p.exec(fail(fmt.Errorf("inbox row %s: %w", r.ID, store.ErrAlreadyExists)),
			`INSERT INTO inbox (id, execution_arn, shard, kind, payload, created_ns) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT DO NOTHING`, r.ID, r.ExecutionARN, b.Shard, r.Kind, r.Payload, ns(r.CreatedAt))
	}
	for _, id := range b.InboxDeletes {
		p.exec(fail(fmt.Errorf("delete inbox row %s: %w", id, store.ErrConflict)), `DELETE FROM inbox WHERE id = $1`, id)
	}
	for _, t := range b.ActivityTasks {
		p.exec(fail(fmt.Errorf("activity task %s: %w", t.TaskToken, store.ErrAlreadyExists)),
			`INSERT INTO activity_tasks (token, activity_arn, execution_arn, input, created_ns, claimed, claimed_ns, worker)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
			t.TaskToken, t.ActivityARN, t.ExecutionARN, t.Input, ns(t.CreatedAt), claimedFlag(t), claimedNS(t), t.WorkerName)
	}
	for _, c := range b.ActivityTaskClaims {
		// Under READ COMMITTED a concurrent claim of the same row makes
		// this one wait for it and then find the row claimed: one wins.
		p.exec(fail(fmt.Errorf("claim activity task %s: %w", c.TaskToken, store.ErrClaimLost)),
			`UPDATE activity_tasks SET claimed = 1, claimed_ns = $1, worker = $2 WHERE token = $3 AND claimed = 0`,
			ns(c.ClaimedAt), c.WorkerName, c.TaskToken)
	}
	for _, token := range b.ActivityTaskDeletes {
		p.exec(fail(fmt.Errorf("delete activity task %s: %w", token, store.ErrConflict)), `DELETE FROM activity_tasks WHERE token = $1`, token)
	}
}

func queueExecution(p *pipeline, shard int, ew *store.ExecutionWrite) {
	e := &ew.Execution
	if ew.ExpectedVersion == 0 {
		// ON CONFLICT covers both the primary key and UNIQUE (state_machine_arn, name).
		p.exec(fail(fmt.Errorf("create execution %s: %w", e.ARN, store.ErrAlreadyExists)),
			`INSERT INTO executions (arn, state_machine_arn, version_arn, alias_arn, name, status, start_ns,
			stop_ns, output, error, cause, redrive_count, redrive_ns, snapshot, version, shard)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15) ON CONFLICT DO NOTHING`,
			e.ARN, e.StateMachineARN, e.VersionARN, e.AliasARN, e.Name, e.Status, ns(e.StartDate),
			ns(e.StopDate), e.Output, e.Error, e.Cause, e.RedriveCount, ns(e.RedriveDate), e.Snapshot, shard)
		// Statements after a failed check still run, so none may raise an
		// error for an expected failure: they would abort the transaction
		// that a why queries.
		p.always(`INSERT INTO execution_inputs (arn, input, definition, revision_id, role_arn, trace_header)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, e.ARN, e.Input, e.Definition, e.RevisionID, e.RoleARN, e.TraceHeader)
		return
	}
	arn, expected := e.ARN, ew.ExpectedVersion
	p.exec(func(ctx context.Context, tx pgx.Tx) error {
		var version int64
		switch err := tx.QueryRow(ctx, `SELECT version FROM executions WHERE arn = $1`, arn).Scan(&version); {
		case errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("write execution %s: %w", arn, store.ErrNotFound)
		case err != nil:
			return fmt.Errorf("write execution %s: %w", arn, err)
		}
		return fmt.Errorf("write execution %s: version is %d, not %d: %w", arn, version, expected, store.ErrConflict)
	}, `UPDATE executions SET status = $1, stop_ns = $2, output = $3, error = $4, cause = $5,
		redrive_count = $6, redrive_ns = $7, snapshot = $8, version = version + 1 WHERE arn = $9 AND version = $10`,
		e.Status, ns(e.StopDate), e.Output, e.Error, e.Cause, e.RedriveCount, ns(e.RedriveDate), e.Snapshot,
		arn, expected)
}

// historyWhy explains why chunk c was not appended: its execution is
// missing, or c does not start right after its last event (perhaps because a
// concurrent commit appended first: the unique index (execution_arn,
// first_id) lets only one of them in).
func historyWhy(c store.HistoryChunk) why {
	return func(ctx context.Context, tx pgx.Tx) error {
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
		return fmt.Errorf("append history of %s at event %d: last event is %d: %w", c.ExecutionARN, c.FirstEventID, last, store.ErrConflict)
	}
}
