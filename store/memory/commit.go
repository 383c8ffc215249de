package memory

import (
	"context"
	"fmt"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

// Commit implements store.Store. It applies the batch part by part while
// recording how to undo each step, and undoes them all if a check fails.
func (s *Store) Commit(ctx context.Context, b *store.Batch) error {
	if err := b.Validate(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	var undo []func()
	if err := s.apply(b, &undo); err != nil {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (s *Store) apply(b *store.Batch, undo *[]func()) error {
	for i := range b.Executions {
		if err := s.writeExecution(b.Shard, &b.Executions[i], undo); err != nil {
			return err
		}
	}
	for _, c := range b.History {
		if err := s.appendHistory(c, undo); err != nil {
			return err
		}
	}
	for _, r := range b.OutboxInserts {
		if _, ok := s.outbox[r.ID]; ok {
			return fmt.Errorf("outbox row %s: %w", r.ID, store.ErrAlreadyExists)
		}
		s.seq++
		r.Payload, r.DueAt, r.Shard = clone(r.Payload), utc(r.DueAt), b.Shard
		s.outbox[r.ID] = &outboxEntry{row: r, seq: s.seq}
		*undo = append(*undo, func() { delete(s.outbox, r.ID) })
	}
	for _, id := range b.OutboxDeletes {
		e, ok := s.outbox[id]
		if !ok {
			return fmt.Errorf("delete outbox row %s: %w", id, store.ErrConflict)
		}
		delete(s.outbox, id)
		*undo = append(*undo, func() { s.outbox[id] = e })
	}
	for _, r := range b.InboxInserts {
		if _, ok := s.inbox[r.ID]; ok {
			return fmt.Errorf("inbox row %s: %w", r.ID, store.ErrAlreadyExists)
		}
		s.seq++
		r.Payload, r.CreatedAt, r.Shard = clone(r.Payload), utc(r.CreatedAt), b.Shard
		s.inbox[r.ID] = &inboxEntry{row: r, seq: s.seq}
		*undo = append(*undo, func() { delete(s.inbox, r.ID) })
	}
	for _, id := range b.InboxDeletes {
		e, ok := s.inbox[id]
		if !ok {
			return fmt.Errorf("delete inbox row %s: %w", id, store.ErrConflict)
		}
		delete(s.inbox, id)
		*undo = append(*undo, func() { s.inbox[id] = e })
	}
	for _, t := range b.ActivityTasks {
		if _, ok := s.tasks[t.TaskToken]; ok {
			return fmt.Errorf("activity task %s: %w", t.TaskToken, store.ErrAlreadyExists)
		}
		s.seq++
		t = cloneTask(&t)
		t.CreatedAt, t.ClaimedAt = utc(t.CreatedAt), utc(t.ClaimedAt)
		if !t.Claimed {
			t.ClaimedAt, t.WorkerName = time.Time{}, ""
		}
		s.tasks[t.TaskToken] = &task{t: t, seq: s.seq, claimed: t.Claimed}
		*undo = append(*undo, func() { delete(s.tasks, t.TaskToken) })
	}
	for _, c := range b.ActivityTaskClaims {
		t, ok := s.tasks[c.TaskToken]
		if !ok || t.claimed {
			return fmt.Errorf("claim activity task %s: %w", c.TaskToken, store.ErrClaimLost)
		}
		old := *t
		t.claimed = true
		t.t.Claimed, t.t.ClaimedAt, t.t.WorkerName = true, utc(c.ClaimedAt), c.WorkerName
		*undo = append(*undo, func() { *t = old })
	}
	for _, token := range b.ActivityTaskDeletes {
		t, ok := s.tasks[token]
		if !ok {
			return fmt.Errorf("delete activity task %s: %w", token, store.ErrConflict)
		}
		delete(s.tasks, token)
		*undo = append(*undo, func() { s.tasks[token] = t })
	}
	return nil
}

func (s *Store) writeExecution(shard int, w *store.ExecutionWrite, undo *[]func()) error {
	in := &w.Execution
	old, exists := s.executions[in.ARN]
	if w.ExpectedVersion == 0 {
		key := nameKey{in.StateMachineARN, in.Name}
		if exists || s.names[key] {
			return fmt.Errorf("create execution %s: %w", in.ARN, store.ErrAlreadyExists)
		}
		e := cloneExecution(in)
		e.Version, e.Shard = 1, shard
		s.executions[e.ARN] = &e
		s.names[key] = true
		*undo = append(*undo, func() {
			delete(s.executions, e.ARN)
			delete(s.names, key)
		})
		return nil
	}
	if !exists {
		return fmt.Errorf("write execution %s: %w", in.ARN, store.ErrNotFound)
	}
	if old.Version != w.ExpectedVersion {
		return fmt.Errorf("write execution %s: version is %d, not %d: %w", in.ARN, old.Version, w.ExpectedVersion, store.ErrConflict)
	}
	e := *old // immutable fields stay; the byte slices are never mutated in place
	e.Status = in.Status
	e.StopDate = utc(in.StopDate)
	e.Output = clone(in.Output)
	e.Error, e.Cause = in.Error, in.Cause
	e.RedriveCount, e.RedriveDate = in.RedriveCount, utc(in.RedriveDate)
	e.Snapshot = clone(in.Snapshot)
	e.Version++
	s.executions[e.ARN] = &e
	*undo = append(*undo, func() { s.executions[e.ARN] = old })
	return nil
}

func (s *Store) appendHistory(c store.HistoryChunk, undo *[]func()) error {
	if _, ok := s.executions[c.ExecutionARN]; !ok {
		return fmt.Errorf("append history: %w", notFound("execution", c.ExecutionARN))
	}
	chunks := s.history[c.ExecutionARN]
	var last int64
	if n := len(chunks); n > 0 {
		last = chunks[n-1].LastEventID
	}
	if c.FirstEventID != last+1 {
		return fmt.Errorf("append history of %s at event %d: last event is %d: %w", c.ExecutionARN, c.FirstEventID, last, store.ErrConflict)
	}
	c.Events = clone(c.Events)
	s.history[c.ExecutionARN] = append(chunks, c)
	*undo = append(*undo, func() { s.history[c.ExecutionARN] = chunks })
	return nil
}

func cloneExecution(e *store.Execution) store.Execution {
	c := *e
	c.Input = clone(e.Input)
	c.Output = clone(e.Output)
	c.Snapshot = clone(e.Snapshot)
	c.StartDate = utc(e.StartDate)
	c.StopDate = utc(e.StopDate)
	c.RedriveDate = utc(e.RedriveDate)
	return c
}
