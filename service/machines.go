package service

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/stepwise-run/stepwise/store"
)

// machineCache keeps the records of active state machines for
// StartExecution, which otherwise reads one from the store on every call
// (a tenth of a start's CPU time). Every write of a record (create, update,
// DELETING, delete) forgets it. A generation counter keeps a read that
// raced with a write from caching the record the write replaced.
//
// Like the skip-time cache, it assumes that this process makes the writes
// (one node per store); a state machine updated by another node is seen
// when this one writes it or restarts.
type machineCache struct {
	gen     atomic.Uint64
	records sync.Map // ARN → *store.StateMachine, never modified
}

// forget drops the record of arn; call it after a write of the record.
func (c *machineCache) forget(arn string) {
	c.gen.Add(1)
	c.records.Delete(arn)
}

// machine returns the record of the state machine smARN as getMachine
// does, from the cache when it holds it. The record is shared: callers must
// not modify it.
func (s *Service) machine(ctx context.Context, smARN string) (*store.StateMachine, error) {
	c := &s.machines
	if v, ok := c.records.Load(smARN); ok {
		return v.(*store.StateMachine), nil
	}
	gen := c.gen.Load()
	sm, err := s.getMachine(ctx, smARN)
	if err != nil || sm.Status != store.StatusActive {
		return sm, err
	}
	c.records.Store(smARN, sm)
	if c.gen.Load() != gen {
		c.records.CompareAndDelete(smARN, sm) // a write came meanwhile
	}
	return sm, nil
}
