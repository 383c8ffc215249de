package service

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/stepwise-run/stepwise/store"
)

// recordCache keeps records the service reads on hot paths (a state
// machine for every StartExecution, an activity for every GetActivityTask)
// that would otherwise cost a store read each time. Every write of a record
// (create, update, DELETING, delete) forgets it. A generation counter keeps
// a read that raced with a write from caching the record the write
// replaced.
//
// Like the skip-time cache, it assumes that this process makes the writes
// (one node per store); a record changed by another node is seen when this
// one writes it or restarts.
type recordCache[T any] struct {
	gen     atomic.Uint64
	records sync.Map // ARN → *T, never modified
}

// forget drops the record of arn; call it after a write of the record.
func (c *recordCache[T]) forget(arn string) {
	c.gen.Add(1)
	c.records.Delete(arn)
}

// get returns the record of arn from the cache, or reads it with load and
// caches it if keep accepts it.
func (c *recordCache[T]) get(arn string, load func() (*T, error), keep func(*T) bool) (*T, error) {
	if v, ok := c.records.Load(arn); ok {
		return v.(*T), nil
	}
	gen := c.gen.Load()
	rec, err := load()
	if err != nil || !keep(rec) {
		return rec, err
	}
	c.records.Store(arn, rec)
	if c.gen.Load() != gen {
		c.records.CompareAndDelete(arn, rec) // a write came meanwhile
	}
	return rec, nil
}

// machine returns the record of the state machine smARN as getMachine
// does, from the cache when it holds it (active machines only). The record
// is shared: callers must not modify it.
func (s *Service) machine(ctx context.Context, smARN string) (*store.StateMachine, error) {
	return s.machines.get(smARN, func() (*store.StateMachine, error) { return s.getMachine(ctx, smARN) },
		func(sm *store.StateMachine) bool { return sm.Status == store.StatusActive })
}
