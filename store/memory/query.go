package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

// GetExecution implements store.Store.
func (s *Store) GetExecution(ctx context.Context, arn string) (*store.Execution, error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	e, ok := s.executions[arn]
	if !ok {
		return nil, notFound("execution", arn)
	}
	out := cloneExecution(e)
	return &out, nil
}

// summary is an execution as lists return it: without its large fields.
func summary(e *store.Execution) store.Execution {
	c := *e
	c.Input, c.Output, c.Snapshot, c.Definition = nil, nil, nil, ""
	return c
}

// ListExecutions implements store.Store.
func (s *Store) ListExecutions(ctx context.Context, p *store.ListExecutionsParams) (*store.Page[store.Execution], error) {
	if p.StateMachineARN == "" {
		return nil, fmt.Errorf("list executions: no state machine ARN: %w", store.ErrInvalidArgument)
	}
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	var items []store.Execution
	for _, e := range s.executions {
		if e.StateMachineARN == p.StateMachineARN &&
			(p.VersionARN == "" || e.VersionARN == p.VersionARN) &&
			(p.AliasARN == "" || e.AliasARN == p.AliasARN) &&
			(p.Status == "" || e.Status == p.Status) {
			items = append(items, summary(e))
		}
	}
	order := func(e *store.Execution, parts []string) int {
		ns, _ := strconv.ParseInt(parts[0], 10, 64)
		return cmp.Or(cmp.Compare(ns, unixNano(e.StartDate)), strings.Compare(parts[1], e.ARN))
	}
	key := func(e *store.Execution) []string {
		return []string{strconv.FormatInt(unixNano(e.StartDate), 10), e.ARN}
	}
	slices.SortFunc(items, func(a, b store.Execution) int { return order(&a, key(&b)) })
	return page("executions", items, &p.ListParams, key, order)
}

// ListRunningExecutions implements store.Store.
func (s *Store) ListRunningExecutions(ctx context.Context, p *store.ListRunningExecutionsParams) (*store.Page[store.Execution], error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	var items []store.Execution
	for _, e := range s.executions {
		if e.Status == store.StatusRunning && inShards(p.Shards, e.Shard) {
			items = append(items, summary(e))
		}
	}
	slices.SortFunc(items, func(a, b store.Execution) int { return strings.Compare(a.ARN, b.ARN) })
	return page("running", items, &p.ListParams,
		func(e *store.Execution) []string { return []string{e.ARN} },
		func(e *store.Execution, parts []string) int { return byARN(e.ARN, parts) })
}

// ReadHistory implements store.Store.
func (s *Store) ReadHistory(ctx context.Context, p *store.ReadHistoryParams) ([]store.HistoryChunk, error) {
	limit, err := store.PageLimit(p.Limit)
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	if _, ok := s.executions[p.ExecutionARN]; !ok {
		return nil, fmt.Errorf("read history: %w", notFound("execution", p.ExecutionARN))
	}
	chunks := s.history[p.ExecutionARN]
	out := []store.HistoryChunk{}
	if p.Reverse {
		for i := len(chunks) - 1; i >= 0 && len(out) < limit; i-- {
			if p.FromEventID == 0 || chunks[i].FirstEventID <= p.FromEventID {
				out = append(out, cloneChunk(chunks[i]))
			}
		}
		return out, nil
	}
	for _, c := range chunks {
		if len(out) == limit {
			break
		}
		if c.LastEventID >= p.FromEventID {
			out = append(out, cloneChunk(c))
		}
	}
	return out, nil
}

func cloneChunk(c store.HistoryChunk) store.HistoryChunk {
	c.Events = clone(c.Events)
	return c
}

// ClaimDueTimers implements store.Store.
func (s *Store) ClaimDueTimers(ctx context.Context, p *store.ClaimDueTimersParams) ([]store.OutboxRow, error) {
	limit, err := store.PageLimit(p.Limit)
	if err != nil {
		return nil, fmt.Errorf("claim due timers: %w", err)
	}
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	now := utc(p.Now)
	var due []*outboxEntry
	for _, e := range s.outbox {
		if !e.row.DueAt.IsZero() && !e.row.DueAt.After(now) && (p.IgnoreClaims || !e.claimedUntil.After(now)) && inShards(p.Shards, e.row.Shard) {
			due = append(due, e)
		}
	}
	slices.SortFunc(due, func(a, b *outboxEntry) int {
		return cmp.Or(a.row.DueAt.Compare(b.row.DueAt), cmp.Compare(a.seq, b.seq))
	})
	out := []store.OutboxRow{}
	for _, e := range due[:min(limit, len(due))] {
		e.claimedUntil = now.Add(p.ClaimFor)
		r := e.row
		r.Payload = clone(r.Payload)
		out = append(out, r)
	}
	return out, nil
}

// ListOutbox implements store.Store.
func (s *Store) ListOutbox(ctx context.Context, p *store.ListOutboxParams) (*store.Page[store.OutboxRow], error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	var entries []*outboxEntry
	for _, e := range s.outbox {
		if e.row.DueAt.IsZero() && inShards(p.Shards, e.row.Shard) {
			entries = append(entries, e)
		}
	}
	slices.SortFunc(entries, func(a, b *outboxEntry) int { return cmp.Compare(a.seq, b.seq) })
	type item struct {
		row store.OutboxRow
		seq int64
	}
	items := make([]item, len(entries))
	for i, e := range entries {
		items[i] = item{e.row, e.seq}
		items[i].row.Payload = clone(e.row.Payload)
	}
	pg, err := page("outbox", items, &p.ListParams,
		func(it *item) []string { return []string{strconv.FormatInt(it.seq, 10)} },
		func(it *item, parts []string) int { return compareSeq(it.seq, parts) })
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
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	var entries []*inboxEntry
	for _, e := range s.inbox {
		if (p.ExecutionARN == "" || e.row.ExecutionARN == p.ExecutionARN) && inShards(p.Shards, e.row.Shard) {
			entries = append(entries, e)
		}
	}
	slices.SortFunc(entries, func(a, b *inboxEntry) int { return cmp.Compare(a.seq, b.seq) })
	type item struct {
		row store.InboxRow
		seq int64
	}
	items := make([]item, len(entries))
	for i, e := range entries {
		items[i] = item{e.row, e.seq}
		items[i].row.Payload = clone(e.row.Payload)
	}
	pg, err := page("inbox", items, &p.ListParams,
		func(it *item) []string { return []string{strconv.FormatInt(it.seq, 10)} },
		func(it *item, parts []string) int { return compareSeq(it.seq, parts) })
	if err != nil {
		return nil, err
	}
	out := &store.Page[store.InboxRow]{Items: make([]store.InboxRow, len(pg.Items)), NextToken: pg.NextToken}
	for i, it := range pg.Items {
		out.Items[i] = it.row
	}
	return out, nil
}

func compareSeq(seq int64, parts []string) int {
	n, _ := strconv.ParseInt(parts[0], 10, 64)
	return cmp.Compare(seq, n)
}

// unixNano is t in Unix nanoseconds, 0 for the zero time.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}
