package postgres

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/internal/cursor"
)

const summaryColumns = `e.arn, e.state_machine_arn, e.version_arn, e.alias_arn, e.name, e.status, e.start_ns, e.stop_ns,
	e.error, e.cause, e.redrive_count, e.redrive_ns, e.version, e.shard`

func scanSummary(row pgx.Row, extra ...any) (store.Execution, error) {
	var e store.Execution
	var start, stop, redrive int64
	err := row.Scan(append([]any{&e.ARN, &e.StateMachineARN, &e.VersionARN, &e.AliasARN, &e.Name, &e.Status, &start, &stop,
		&e.Error, &e.Cause, &e.RedriveCount, &redrive, &e.Version, &e.Shard}, extra...)...)
	e.StartDate, e.StopDate, e.RedriveDate = fromNS(start), fromNS(stop), fromNS(redrive)
	return e, err
}

// GetExecution implements store.Store.
func (s *Store) GetExecution(ctx context.Context, arn string) (*store.Execution, error) {
	var e store.Execution
	err := s.read(ctx, func(q querier) error {
		var x store.Execution // the columns summaries lack
		var err error
		e, err = scanSummary(q.QueryRow(ctx, `SELECT `+summaryColumns+`, e.output, e.snapshot,
			i.input, i.definition, i.revision_id, i.role_arn, i.trace_header
			FROM executions e JOIN execution_inputs i ON i.arn = e.arn WHERE e.arn = $1`, arn),
			&x.Output, &x.Snapshot, &x.Input, &x.Definition, &x.RevisionID, &x.RoleARN, &x.TraceHeader)
		e.Output, e.Snapshot, e.Input = x.Output, x.Snapshot, x.Input
		e.Definition, e.RevisionID, e.RoleARN, e.TraceHeader = x.Definition, x.RevisionID, x.RoleARN, x.TraceHeader
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("get execution %s: %w", arn, notFoundIf(err))
	}
	return &e, nil
}

// ListExecutions implements store.Store.
func (s *Store) ListExecutions(ctx context.Context, p *store.ListExecutionsParams) (*store.Page[store.Execution], error) {
	if p.StateMachineARN == "" {
		return nil, fmt.Errorf("list executions: no state machine ARN: %w", store.ErrInvalidArgument)
	}
	start, arn := int64(math.MaxInt64), ""
	if p.NextToken != "" {
		parts, err := cursor.Decode(p.NextToken, "executions", 2)
		if err != nil {
			return nil, err
		}
		if start, err = strconv.ParseInt(parts[0], 10, 64); err != nil {
			return nil, fmt.Errorf("%w: %v", store.ErrInvalidToken, err)
		}
		arn = parts[1]
	}
	return list(ctx, s, p.Limit, "executions",
		`SELECT `+summaryColumns+` FROM executions e
		WHERE e.state_machine_arn = $1 AND ($2 = '' OR e.version_arn = $2) AND ($3 = '' OR e.alias_arn = $3)
		AND ($4 = '' OR e.status = $4) AND (e.start_ns < $5 OR (e.start_ns = $5 AND e.arn < $6))
		ORDER BY e.start_ns DESC, e.arn DESC LIMIT $7`,
		[]any{p.StateMachineARN, p.VersionARN, p.AliasARN, p.Status, start, arn},
		func(rows pgx.Rows) (store.Execution, error) { return scanSummary(rows) },
		func(e *store.Execution) []string {
			return []string{strconv.FormatInt(ns(e.StartDate), 10), e.ARN}
		})
}

// ListRunningExecutions implements store.Store.
func (s *Store) ListRunningExecutions(ctx context.Context, p *store.ListRunningExecutionsParams) (*store.Page[store.Execution], error) {
	after, err := cursor.DecodeString(p.NextToken, "running")
	if err != nil {
		return nil, err
	}
	all, shards := shardArgs(p.Shards)
	return list(ctx, s, p.Limit, "running",
		`SELECT `+summaryColumns+` FROM executions e WHERE e.status = 'RUNNING' AND e.arn > $1
		AND ($2 OR e.shard = ANY($3)) ORDER BY e.arn LIMIT $4`,
		[]any{after, all, shards},
		func(rows pgx.Rows) (store.Execution, error) { return scanSummary(rows) },
		func(e *store.Execution) []string { return []string{e.ARN} })
}

// ReadHistory implements store.Store.
func (s *Store) ReadHistory(ctx context.Context, p *store.ReadHistoryParams) ([]store.HistoryChunk, error) {
	limit, err := store.PageLimit(p.Limit)
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	chunks := []store.HistoryChunk{}
	err = s.read(ctx, func(q querier) error {
		// One statement, so that the existence check and the chunks agree.
		query := `SELECT h.first_id, h.last_id, h.events FROM executions e
			LEFT JOIN LATERAL (SELECT first_id, last_id, events FROM history
				WHERE execution_arn = $1 AND last_id >= $2
				AND first_id >= coalesce((SELECT max(first_id) FROM history WHERE execution_arn = $1 AND first_id <= $2), 0)
				ORDER BY first_id LIMIT $3) h ON true
			WHERE e.arn = $1 ORDER BY h.first_id`
		from := p.FromEventID
		if p.Reverse {
			if from == 0 {
				from = math.MaxInt64
			}
			query = `SELECT h.first_id, h.last_id, h.events FROM executions e
			LEFT JOIN LATERAL (SELECT first_id, last_id, events FROM history
				WHERE execution_arn = $1 AND first_id <= $2 ORDER BY first_id DESC LIMIT $3) h ON true
			WHERE e.arn = $1 ORDER BY h.first_id DESC`
		}
		rows, err := q.Query(ctx, query, p.ExecutionARN, from, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		found := false
		for rows.Next() {
			found = true
			var first, last *int64
			var events []byte
			if err := rows.Scan(&first, &last, &events); err != nil {
				return err
			}
			if first != nil {
				chunks = append(chunks, store.HistoryChunk{ExecutionARN: p.ExecutionARN, FirstEventID: *first, LastEventID: *last, Events: events})
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if !found {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read history of %s: %w", p.ExecutionARN, err)
	}
	return chunks, nil
}

const outboxColumns = `id, execution_arn, shard, kind, payload, due_ns`

func scanOutbox(row pgx.Row, extra ...any) (store.OutboxRow, error) {
	var r store.OutboxRow
	var due int64
	err := row.Scan(append([]any{&r.ID, &r.ExecutionARN, &r.Shard, &r.Kind, &r.Payload, &due}, extra...)...)
	r.DueAt = fromNS(due)
	return r, err
}

// ClaimDueTimers implements store.Store.
func (s *Store) ClaimDueTimers(ctx context.Context, p *store.ClaimDueTimersParams) ([]store.OutboxRow, error) {
	limit, err := store.PageLimit(p.Limit)
	if err != nil {
		return nil, fmt.Errorf("claim due timers: %w", err)
	}
	now := ns(p.Now)
	all, shards := shardArgs(p.Shards)
	type claimed struct {
		row store.OutboxRow
		seq int64
	}
	var out []claimed
	err = s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		out = nil
		claimBound := now // rows claimed until after this are hidden
		if p.IgnoreClaims {
			claimBound = math.MaxInt64
		}
		rows, err := tx.Query(ctx, `UPDATE outbox SET claimed_until_ns = $1
			WHERE seq IN (SELECT seq FROM outbox WHERE due_ns <> 0 AND due_ns <= $2 AND claimed_until_ns <= $6
				AND ($3 OR shard = ANY($4)) ORDER BY due_ns, seq LIMIT $5 FOR UPDATE SKIP LOCKED)
			RETURNING `+outboxColumns+`, seq`, now+int64(p.ClaimFor), now, all, shards, limit, claimBound)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c claimed
			if c.row, err = scanOutbox(rows, &c.seq); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("claim due timers: %w", err)
	}
	// RETURNING does not promise an order.
	slices.SortFunc(out, func(a, b claimed) int {
		if c := a.row.DueAt.Compare(b.row.DueAt); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	rows := make([]store.OutboxRow, len(out))
	for i, c := range out {
		rows[i] = c.row
	}
	return rows, nil
}

// ListOutbox implements store.Store.
func (s *Store) ListOutbox(ctx context.Context, p *store.ListOutboxParams) (*store.Page[store.OutboxRow], error) {
	after, err := cursor.DecodeInt(p.NextToken, "outbox", 0)
	if err != nil {
		return nil, err
	}
	all, shards := shardArgs(p.Shards)
	type item struct {
		row store.OutboxRow
		seq int64
	}
	pg, err := list(ctx, s, p.Limit, "outbox",
		`SELECT `+outboxColumns+`, seq FROM outbox WHERE due_ns = 0 AND seq > $1 AND ($2 OR shard = ANY($3)) ORDER BY seq LIMIT $4`,
		[]any{after, all, shards},
		func(rows pgx.Rows) (item, error) {
			var it item
			var err error
			it.row, err = scanOutbox(rows, &it.seq)
			return it, err
		},
		func(it *item) []string { return []string{strconv.FormatInt(it.seq, 10)} })
	if err != nil {
		return nil, err
	}
	out := &store.Page[store.OutboxRow]{Items: make([]store.OutboxRow, len(pg.Items)), NextToken: pg.NextToken}
	for i, it := range pg.Items {
		out.Items[i] = it.row
	}
	return out, nil
}

// ListInbox implements store.Store.
func (s *Store) ListInbox(ctx context.Context, p *store.ListInboxParams) (*store.Page[store.InboxRow], error) {
	after, err := cursor.DecodeInt(p.NextToken, "inbox", 0)
	if err != nil {
		return nil, err
	}
	all, shards := shardArgs(p.Shards)
	type item struct {
		row store.InboxRow
		seq int64
	}
	pg, err := list(ctx, s, p.Limit, "inbox",
		`SELECT id, execution_arn, shard, kind, payload, created_ns, seq FROM inbox
		WHERE seq > $1 AND ($2 OR shard = ANY($3)) AND ($4 = '' OR execution_arn = $4) ORDER BY seq LIMIT $5`,
		[]any{after, all, shards, p.ExecutionARN},
		func(rows pgx.Rows) (item, error) {
			var it item
			var created int64
			err := rows.Scan(&it.row.ID, &it.row.ExecutionARN, &it.row.Shard, &it.row.Kind, &it.row.Payload, &created, &it.seq)
			it.row.CreatedAt = fromNS(created)
			return it, err
		},
		func(it *item) []string { return []string{strconv.FormatInt(it.seq, 10)} })
	if err != nil {
		return nil, err
	}
	out := &store.Page[store.InboxRow]{Items: make([]store.InboxRow, len(pg.Items)), NextToken: pg.NextToken}
	for i, it := range pg.Items {
		out.Items[i] = it.row
	}
	return out, nil
}
