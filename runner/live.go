package runner

import (
	"container/list"
	"sync"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/store"
)

// defaultLiveBytes bounds the snapshots of the executions kept decoded in
// memory between their inputs (see liveCache).
const defaultLiveBytes = 64 << 20

// live is a running execution as this process last committed it: its
// record (Version is the committed version), its compiled machine and its
// decoded state.
type live struct {
	rec  store.Execution
	m    *engine.Machine
	x    *engine.Execution
	size int64 // length of the committed snapshot: the entry's cost
}

// liveCache keeps running executions decoded between their inputs, so
// that the next input of an execution skips the store read and the
// snapshot decode. The store stays the truth: an entry carries the version
// it was committed at, a commit from a stale entry fails the store's
// version check, and the runner then drops the entry and loads the
// execution again. The cache is bounded by the total length of the
// entries' snapshots and evicts the least recently used entry first, so
// an execution that waits long costs its row, not memory.
//
// An entry is taken out while its execution processes inputs (take) and put
// back after the commit (put), so exactly one goroutine owns a decoded
// execution at a time.
type liveCache struct {
	mu      sync.Mutex
	max     int64
	size    int64
	order   *list.List // of *live, most recently put first
	entries map[string]*list.Element
}

func newLiveCache(maxBytes int64) *liveCache {
	return &liveCache{max: maxBytes, order: list.New(), entries: map[string]*list.Element{}}
}

// take removes and returns the entry of arn, or nil.
func (c *liveCache) take(arn string) *live {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[arn]
	if !ok {
		return nil
	}
	c.remove(e)
	return e.Value.(*live)
}

// put stores l as the latest committed state of its execution, evicting
// the least recently used entries beyond the budget. An execution whose
// snapshot alone exceeds the budget is not kept.
func (c *liveCache) put(l *live) {
	if l.size > c.max {
		c.drop(l.rec.ARN)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[l.rec.ARN]; ok {
		c.remove(e)
	}
	c.entries[l.rec.ARN] = c.order.PushFront(l)
	c.size += l.size
	for c.size > c.max {
		c.remove(c.order.Back())
	}
}

// drop forgets the entry of arn, if any.
func (c *liveCache) drop(arn string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[arn]; ok {
		c.remove(e)
	}
}

func (c *liveCache) remove(e *list.Element) {
	l := c.order.Remove(e).(*live)
	delete(c.entries, l.rec.ARN)
	c.size -= l.size
}
