package runner

import (
	"container/heap"
	"context"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

// timerQueue fires the timers armed by this process at their due time.
// Timers armed by earlier processes are found by pollTimers; a timer that
// both deliver is ignored the second time (the engine only consumes a
// timer it waits for, and the consuming commit deletes its row).
type timerQueue struct {
	now  func() time.Time
	fire func(arn string, id int64, at time.Time)

	mu    sync.Mutex
	h     timerHeap
	index map[timerKey]*timerItem
	wake  chan struct{}
}

type timerKey struct {
	arn string
	id  int64
}

type timerItem struct {
	key timerKey
	at  time.Time
	pos int
}

type timerHeap []*timerItem

func (h timerHeap) Len() int { return len(h) }

// Less orders timers by due time, then by id: ids grow in arming order, so
// timers due together fire in the order they were armed, as in package
// local, and histories are reproducible.
func (h timerHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	if h[i].key.arn != h[j].key.arn {
		return h[i].key.arn < h[j].key.arn
	}
	return h[i].key.id < h[j].key.id
}
func (h timerHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i]; h[i].pos = i; h[j].pos = j }
func (h *timerHeap) Push(x any)   { it := x.(*timerItem); it.pos = len(*h); *h = append(*h, it) }
func (h *timerHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

func newTimerQueue(now func() time.Time, fire func(string, int64, time.Time)) *timerQueue {
	return &timerQueue{now: now, fire: fire, index: map[timerKey]*timerItem{}, wake: make(chan struct{}, 1)}
}

func (q *timerQueue) add(arn string, id int64, at time.Time) {
	q.mu.Lock()
	k := timerKey{arn, id}
	if old, ok := q.index[k]; ok {
		heap.Remove(&q.h, old.pos)
	}
	it := &timerItem{key: k, at: at}
	heap.Push(&q.h, it)
	q.index[k] = it
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *timerQueue) remove(arn string, id int64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if it, ok := q.index[timerKey{arn, id}]; ok {
		heap.Remove(&q.h, it.pos)
		delete(q.index, it.key)
	}
}

// run fires due timers until ctx ends.
func (q *timerQueue) run(ctx context.Context) {
	for {
		q.mu.Lock()
		var wait time.Duration = time.Hour
		now := q.now()
		var due []*timerItem
		for q.h.Len() > 0 && !q.h[0].at.After(now) {
			it := heap.Pop(&q.h).(*timerItem)
			delete(q.index, it.key)
			due = append(due, it)
		}
		if q.h.Len() > 0 {
			wait = q.h[0].at.Sub(now)
		}
		q.mu.Unlock()
		for _, it := range due {
			q.fire(it.key.arn, it.key.id, it.at)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-q.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// pollTimers claims due timers from the store (those armed before a
// restart) and delivers them.
func (r *Runner) pollTimers(ctx context.Context) {
	t := time.NewTicker(r.poll)
	defer t.Stop()
	first := true
	for {
		// ClaimFor is zero: a single node owns every timer, and a claim
		// left by a process that died would hide its timer while later
		// ones fire first. A timer delivered twice (by the heap and the
		// poll) is ignored the second time by the engine.
		// The poll looks one interval ahead and hands those timers to the
		// in-memory queue, which fires them at their due time and in order
		// with the timers this process arms: a timer armed before a restart
		// must not fire late, after a later one armed since.
		rows, err := r.store.ClaimDueTimers(ctx, &store.ClaimDueTimersParams{Now: r.now().Add(r.poll), Limit: 512, IgnoreClaims: first})
		first = false
		if err != nil && ctx.Err() == nil {
			r.log.Error("claim due timers", "err", err)
		}
		type due struct {
			arn string
			id  int64
			at  time.Time
		}
		list := make([]due, 0, len(rows))
		for _, row := range rows {
			id, err := strconv.ParseInt(string(row.Payload), 10, 64)
			if err != nil {
				r.log.Error("timer row", "row", row.ID, "err", err)
				continue
			}
			list = append(list, due{row.ExecutionARN, id, row.DueAt})
		}
		// Deliver in due order, ties in arming order (ids as numbers).
		sort.Slice(list, func(i, j int) bool {
			if !list[i].at.Equal(list[j].at) {
				return list[i].at.Before(list[j].at)
			}
			if list[i].arn != list[j].arn {
				return list[i].arn < list[j].arn
			}
			return list[i].id < list[j].id
		})
		for _, d := range list {
			if r.skip {
				r.fireTimer(d.arn, d.id, d.at) // virtual time: at once, with its due time
				continue
			}
			r.timers.add(d.arn, d.id, d.at)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
