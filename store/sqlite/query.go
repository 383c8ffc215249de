package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/internal/cursor"
)

const summaryColumns = `e.arn, e.state_machine_arn, e.version_arn, e.alias_arn, e.name, e.status, e.start_ns, e.stop_ns,
	e.error, e.cause, e.redrive_count, e.redrive_ns, e.version, e.shard`

func scanSummary(row interface{ Scan(...any) error }, extra ...any) (store.Execution, error) {
	var e store.Execution
	var start, stop, redrive int64
	err := row.Scan(append([]any{&e.ARN, &e.StateMachineARN, &e.VersionARN, &e.AliasARN, &e.Name, &e.Status, &start, &stop,
		&e.Error, &e.Cause, &e.RedriveCount, &redrive, &e.Version, &e.Shard}, extra...)...)
	e.StartDate, e.StopDate, e.RedriveDate = fromNS(start), fromNS(stop), fromNS(redrive)
	return e, err
}

// GetExecution implements store.Store.
func (s *Store) GetExecution(ctx context.Context, arn string) (*store.Execution, error) {
	db, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	var output, snapshot, input []byte
	var definition, revision, role, trace string
	e, err := scanSummary(db.QueryRowContext(ctx, `SELECT `+summaryColumns+`, e.output, e.snapshot,
		i.input, i.definition, i.revision_id, i.role_arn, i.trace_header
		FROM executions e JOIN execution_inputs i ON i.arn = e.arn WHERE e.arn = ?`, arn),
		&output, &snapshot, &input, &definition, &revision, &role, &trace)
	if err != nil {
		return nil, fmt.Errorf("get execution %s: %w", arn, notFoundIf(err))
	}
	e.Output, e.Snapshot, e.Input = output, snapshot, input
	e.Definition, e.RevisionID, e.RoleARN, e.TraceHeader = definition, revision, role, trace
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
	} else {
		arn = "\U0010FFFF"
	}
	// The index used depends on the most selective filter given.
	filter, args := "e.state_machine_arn = ?", []any{p.StateMachineARN}
	switch {
	case p.VersionARN != "":
		filter, args = "e.version_arn = ? AND e.state_machine_arn = ?", []any{p.VersionARN, p.StateMachineARN}
	case p.AliasARN != "":
		filter, args = "e.alias_arn = ? AND e.state_machine_arn = ?", []any{p.AliasARN, p.StateMachineARN}
	}
	if p.VersionARN != "" && p.AliasARN != "" {
		filter += " AND e.alias_arn = ?"
		args = append(args, p.AliasARN)
	}
	if p.Status != "" {
		filter += " AND e.status = ?"
		args = append(args, p.Status)
	}
	args = append(args, start, start, arn)
	return list(ctx, s, p.Limit, "executions",
		`SELECT `+summaryColumns+` FROM executions e WHERE `+filter+`
		AND (e.start_ns < ? OR (e.start_ns = ? AND e.arn < ?)) ORDER BY e.start_ns DESC, e.arn DESC LIMIT ?`,
		args,
		func(rows *sql.Rows) (store.Execution, error) { return scanSummary(rows) },
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
	shards, args := shardFilter(p.Shards)
	return list(ctx, s, p.Limit, "running",
		`SELECT `+summaryColumns+` FROM executions e WHERE e.status = 'RUNNING' AND e.arn > ? AND `+shards+` ORDER BY e.arn LIMIT ?`,
		append([]any{after}, args...),
		func(rows *sql.Rows) (store.Execution, error) { return scanSummary(rows) },
		func(e *store.Execution) []string { return []string{e.ARN} })
}

// ReadHistory implements store.Store.
func (s *Store) ReadHistory(ctx context.Context, p *store.ReadHistoryParams) ([]store.HistoryChunk, error) {
	limit, err := store.PageLimit(p.Limit)
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	db, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	// One read transaction, so that the existence check and the chunks agree.
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	defer tx.Rollback()
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM executions WHERE arn = ?`, p.ExecutionARN).Scan(&one); err != nil {
		return nil, fmt.Errorf("read history of %s: %w", p.ExecutionARN, notFoundIf(err))
	}
	var rows *sql.Rows
	switch {
	case p.Reverse:
		from := p.FromEventID
		if from == 0 {
			from = math.MaxInt64
		}
		rows, err = tx.QueryContext(ctx, `SELECT first_id, last_id, events FROM history
			WHERE execution_arn = ? AND first_id <= ? ORDER BY first_id DESC LIMIT ?`, p.ExecutionARN, from, limit)
	default:
		rows, err = tx.QueryContext(ctx, `SELECT first_id, last_id, events FROM history
			WHERE execution_arn = ?1 AND last_id >= ?2
			AND first_id >= coalesce((SELECT max(first_id) FROM history WHERE execution_arn = ?1 AND first_id <= ?2), 0)
			ORDER BY first_id LIMIT ?3`, p.ExecutionARN, p.FromEventID, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("read history of %s: %w", p.ExecutionARN, err)
	}
	defer rows.Close()
	chunks := []store.HistoryChunk{}
	for rows.Next() {
		c := store.HistoryChunk{ExecutionARN: p.ExecutionARN}
		if err := rows.Scan(&c.FirstEventID, &c.LastEventID, &c.Events); err != nil {
			return nil, fmt.Errorf("read history of %s: %w", p.ExecutionARN, err)
		}
		chunks = append(chunks, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read history of %s: %w", p.ExecutionARN, err)
	}
	return chunks, nil
}

const outboxColumns = `id, execution_arn, shard, kind, payload, due_ns`

func scanOutbox(row interface{ Scan(...any) error }, extra ...any) (store.OutboxRow, error) {
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
	claimBound := now // rows claimed until after this are hidden
	if p.IgnoreClaims {
		claimBound = math.MaxInt64
	}
	shards, shardArgs := shardFilter(p.Shards)
	// Most polls find nothing due; asking the read pool first keeps them
	// off the writer.
	if due, err := s.anyRow(ctx, `SELECT 1 FROM outbox WHERE due_ns <> 0 AND due_ns <= ? AND claimed_until_ns <= ? AND `+shards+` LIMIT 1`,
		append([]any{now, claimBound}, shardArgs...)...); err != nil || !due {
		if err != nil {
			return nil, fmt.Errorf("claim due timers: %w", err)
		}
		return []store.OutboxRow{}, nil
	}
	var out []store.OutboxRow
	err = s.write(ctx, func(w *wtx) error {
		out = []store.OutboxRow{}
		args := append([]any{now + int64(p.ClaimFor), now, claimBound}, shardArgs...)
		rows, err := w.tx.QueryContext(w.ctx, `UPDATE outbox SET claimed_until_ns = ?
			WHERE seq IN (SELECT seq FROM outbox WHERE due_ns <> 0 AND due_ns <= ? AND claimed_until_ns <= ? AND `+shards+`
				ORDER BY due_ns, seq LIMIT ?)
			RETURNING `+outboxColumns+`, seq`, append(args, limit)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var seqs []int64
		for rows.Next() {
			var seq int64
			r, err := scanOutbox(rows, &seq)
			if err != nil {
				return err
			}
			out = append(out, r)
			seqs = append(seqs, seq)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		sortBy(out, seqs)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim due timers: %w", err)
	}
	return out, nil
}

// sortBy orders claimed timers by due time, then insertion order: RETURNING
// does not promise an order.
func sortBy(rows []store.OutboxRow, seqs []int64) {
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && (rows[j].DueAt.Before(rows[j-1].DueAt) || rows[j].DueAt.Equal(rows[j-1].DueAt) && seqs[j] < seqs[j-1]); j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
			seqs[j], seqs[j-1] = seqs[j-1], seqs[j]
		}
	}
}

// ListOutbox implements store.Store.
func (s *Store) ListOutbox(ctx context.Context, p *store.ListOutboxParams) (*store.Page[store.OutboxRow], error) {
	after, err := cursor.DecodeInt(p.NextToken, "outbox", 0)
	if err != nil {
		return nil, err
	}
	shards, args := shardFilter(p.Shards)
	type item struct {
		row store.OutboxRow
		seq int64
	}
	pg, err := list(ctx, s, p.Limit, "outbox",
		`SELECT `+outboxColumns+`, seq FROM outbox WHERE due_ns = 0 AND seq > ? AND `+shards+` ORDER BY seq LIMIT ?`,
		append([]any{after}, args...),
		func(rows *sql.Rows) (item, error) {
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
	shards, args := shardFilter(p.Shards)
	filter := ""
	if p.ExecutionARN != "" {
		filter = " AND execution_arn = ?"
		args = append(args, p.ExecutionARN)
	}
	type item struct {
		row store.InboxRow
		seq int64
	}
	pg, err := list(ctx, s, p.Limit, "inbox",
		`SELECT id, execution_arn, shard, kind, payload, created_ns, seq FROM inbox WHERE seq > ? AND `+shards+filter+` ORDER BY seq LIMIT ?`,
		append([]any{after}, args...),
		func(rows *sql.Rows) (item, error) {
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

// anyRow reports whether a query on the read pool returns a row.
func (s *Store) anyRow(ctx context.Context, query string, args ...any) (bool, error) {
	db, err := s.reader(ctx)
	if err != nil {
		return false, err
	}
	var one int
	switch err := db.QueryRowContext(ctx, query, args...).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}
