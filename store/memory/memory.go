// Package memory is a Store kept in maps behind one mutex. It serves Express
// workflows, whose executions need not survive the process, and fast tests.
// Nothing it holds outlives the process, and nothing is ever evicted.
//
// Lists sort the matching records on every call (O(n log n)), which suits
// tests and modest numbers of records; Commit and the point reads are O(1)
// apart from the size of the batch.
package memory

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/store/internal/cursor"
)

// Store is an in-memory store.Store. The zero value is not usable; call New.
type Store struct {
	mu     sync.Mutex
	closed bool
	seq    int64 // insertion order of outbox, inbox and task rows

	machines   map[string]*machine
	versions   map[string]*store.Version
	aliases    map[string]*store.Alias
	tags       map[string]map[string]string
	activities map[string]*store.Activity
	tasks      map[string]*task
	executions map[string]*store.Execution
	names      map[nameKey]bool // every (state machine, execution name) ever used
	history    map[string][]store.HistoryChunk
	outbox     map[string]*outboxEntry
	inbox      map[string]*inboxEntry
	// redriveTokens holds each execution's redrive client tokens, newest
	// first.
	redriveTokens map[string][]redriveToken
}

type machine struct {
	sm          store.StateMachine
	lastVersion int64 // highest version number ever published
}

type task struct {
	t       store.ActivityTask
	seq     int64
	claimed bool
}

type outboxEntry struct {
	row          store.OutboxRow
	seq          int64
	claimedUntil time.Time
}

type inboxEntry struct {
	row store.InboxRow
	seq int64
}

type nameKey struct{ stateMachineARN, name string }

var _ store.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{
		machines:   make(map[string]*machine),
		versions:   make(map[string]*store.Version),
		aliases:    make(map[string]*store.Alias),
		tags:       make(map[string]map[string]string),
		activities: make(map[string]*store.Activity),
		tasks:      make(map[string]*task),
		executions: make(map[string]*store.Execution),
		names:      make(map[nameKey]bool),
		history:    make(map[string][]store.HistoryChunk),
		outbox:     make(map[string]*outboxEntry),
		inbox:      make(map[string]*inboxEntry),

		redriveTokens: make(map[string][]redriveToken),
	}
}

// Close marks the store closed; later calls fail with store.ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.ErrClosed
	}
	s.closed = true
	return nil
}

// lock takes the mutex unless the store is closed or ctx is done; on success
// the caller must unlock.
func (s *Store) lock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return store.ErrClosed
	}
	return nil
}

// page returns the page of sorted items after the token in p; key gives the
// token parts of an item and cmp compares an item with token parts in the
// listing's order.
func page[T any](kind string, items []T, p *store.ListParams, key func(*T) []string, cmp func(*T, []string) int) (*store.Page[T], error) {
	limit, err := store.PageLimit(p.Limit)
	if err != nil {
		return nil, err
	}
	start := 0
	if p.NextToken != "" {
		parts, err := cursor.Decode(p.NextToken, kind, len(key(new(T))))
		if err != nil {
			return nil, err
		}
		if err := checkInts(kind, parts); err != nil {
			return nil, err
		}
		start, _ = slices.BinarySearchFunc(items, parts, func(it T, parts []string) int { return cmp(&it, parts) })
		if start < len(items) && cmp(&items[start], parts) == 0 {
			start++
		}
	}
	out := &store.Page[T]{Items: []T{}}
	end := min(start+limit, len(items))
	if start < end {
		out.Items = items[start:end]
	}
	if end < len(items) {
		out.NextToken = cursor.Encode(kind, key(&items[end-1])...)
	}
	return out, nil
}

// intKeys names the listings whose first token part is an integer.
var intKeys = map[string]bool{"versions": true, "executions": true, "outbox": true, "inbox": true, "activityTasks": true}

// checkInts rejects a token of an integer-keyed listing whose first part is
// not an integer.
func checkInts(kind string, parts []string) error {
	if intKeys[kind] {
		if _, err := strconv.ParseInt(parts[0], 10, 64); err != nil {
			return fmt.Errorf("%w: %v", store.ErrInvalidToken, err)
		}
	}
	return nil
}

// byARN compares an item's ARN with a one-part token, for listings in
// ascending ARN order.
func byARN(arn string, parts []string) int { return strings.Compare(arn, parts[0]) }

// inShards reports whether shard is selected by shards (nil selects all).
func inShards(shards []int, shard int) bool {
	return shards == nil || slices.Contains(shards, shard)
}

// utc normalises a time as every store returns it: UTC, nanosecond
// precision, no monotonic reading; the zero time stays zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.Unix(0, t.UnixNano()).UTC()
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

func notFound(what, id string) error {
	return fmt.Errorf("%s %s: %w", what, id, store.ErrNotFound)
}
