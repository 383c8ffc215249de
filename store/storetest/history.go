package storetest

import (
	"fmt"
	"testing"

	"github.com/stepwise-run/stepwise/store"
)

// chunkSizes are the event counts of the chunks historyFixture appends:
// events 1-3, 4, 5-9, 10-11, 12.
var chunkSizes = []int64{3, 1, 5, 2, 1}

// historyFixture starts an execution and appends chunkSizes in separate
// commits, advancing the execution each time.
func historyFixture(t *testing.T, s store.Store) (string, []store.HistoryChunk) {
	t.Helper()
	e := startExecution(t, s, smARN("a"), "h", at(0))
	var chunks []store.HistoryChunk
	next := int64(1)
	for _, n := range chunkSizes {
		c := store.HistoryChunk{ExecutionARN: e.ARN, FirstEventID: next, LastEventID: next + n - 1, Events: fmt.Appendf(nil, "events %d-%d", next, next+n-1)}
		b := &store.Batch{Executions: []store.ExecutionWrite{{Execution: e, ExpectedVersion: e.Version}}, History: []store.HistoryChunk{c}}
		mustNil(t, s.Commit(ctx(t), b), "append")
		e.Version++
		chunks = append(chunks, c)
		next += n
	}
	return e.ARN, chunks
}

var historyTests = map[string]func(*testing.T, store.Store){
	"Read": func(t *testing.T, s store.Store) {
		arn, c := historyFixture(t, s)
		reads := []struct {
			name string
			p    store.ReadHistoryParams
			want []store.HistoryChunk
		}{
			{"all", store.ReadHistoryParams{}, c},
			{"from chunk start", store.ReadHistoryParams{FromEventID: 4}, c[1:]},
			{"from inside a chunk", store.ReadHistoryParams{FromEventID: 7}, c[2:]},
			{"from last event", store.ReadHistoryParams{FromEventID: 12}, c[4:]},
			{"past the end", store.ReadHistoryParams{FromEventID: 13}, nil},
			{"limit", store.ReadHistoryParams{FromEventID: 2, Limit: 2}, c[0:2]},
			{"reverse all", store.ReadHistoryParams{Reverse: true}, reverse(c)},
			{"reverse from inside a chunk", store.ReadHistoryParams{Reverse: true, FromEventID: 8}, reverse(c[:3])},
			{"reverse from first event", store.ReadHistoryParams{Reverse: true, FromEventID: 1}, c[:1]},
			{"reverse past the end", store.ReadHistoryParams{Reverse: true, FromEventID: 100}, reverse(c)},
			{"reverse limit", store.ReadHistoryParams{Reverse: true, Limit: 2}, reverse(c[3:])},
		}
		for _, r := range reads {
			r.p.ExecutionARN = arn
			got, err := s.ReadHistory(ctx(t), &r.p)
			mustNil(t, err, r.name)
			want := r.want
			if want == nil {
				want = []store.HistoryChunk{}
			}
			mustEqual(t, got, want, r.name)
		}
	},
	"PageThrough": func(t *testing.T, s store.Store) {
		arn, c := historyFixture(t, s)
		var got []store.HistoryChunk
		for from := int64(1); ; {
			page, err := s.ReadHistory(ctx(t), &store.ReadHistoryParams{ExecutionARN: arn, FromEventID: from, Limit: 2})
			mustNil(t, err, "page")
			if len(page) == 0 {
				break
			}
			got = append(got, page...)
			from = page[len(page)-1].LastEventID + 1
		}
		mustEqual(t, got, c, "forwards")
		got = nil
		for from := int64(0); ; {
			page, err := s.ReadHistory(ctx(t), &store.ReadHistoryParams{ExecutionARN: arn, FromEventID: from, Reverse: true, Limit: 2})
			mustNil(t, err, "page")
			got = append(got, page...)
			if len(page) == 0 || page[len(page)-1].FirstEventID == 1 {
				break
			}
			from = page[len(page)-1].FirstEventID - 1
		}
		mustEqual(t, got, reverse(c), "backwards")
	},
	"Contiguity": func(t *testing.T, s store.Store) {
		e := startExecution(t, s, smARN("a"), "h", at(0))
		appendChunk := func(first, last int64) error {
			return s.Commit(ctx(t), &store.Batch{History: []store.HistoryChunk{{ExecutionARN: e.ARN, FirstEventID: first, LastEventID: last}}})
		}
		mustIs(t, appendChunk(2, 3), store.ErrConflict, "first chunk not at 1")
		mustNil(t, appendChunk(1, 3), "first chunk")
		mustIs(t, appendChunk(3, 4), store.ErrConflict, "overlap")
		mustIs(t, appendChunk(5, 5), store.ErrConflict, "gap")
		mustIs(t, appendChunk(1, 3), store.ErrConflict, "repeat")
		mustNil(t, appendChunk(4, 4), "next chunk")
		_, err := s.ReadHistory(ctx(t), &store.ReadHistoryParams{ExecutionARN: e.ARN + "x"})
		mustIs(t, err, store.ErrNotFound, "history of a missing execution")
		_, err = s.ReadHistory(ctx(t), &store.ReadHistoryParams{ExecutionARN: e.ARN, Limit: -1})
		mustIs(t, err, store.ErrInvalidArgument, "negative limit")
	},
	"EmptyHistory": func(t *testing.T, s store.Store) {
		e := startExecution(t, s, smARN("a"), "h", at(0))
		got, err := s.ReadHistory(ctx(t), &store.ReadHistoryParams{ExecutionARN: e.ARN, Reverse: true})
		mustNil(t, err, "read")
		if len(got) != 0 {
			t.Fatalf("history of a new execution: %+v", got)
		}
	},
}

func reverse(c []store.HistoryChunk) []store.HistoryChunk {
	out := make([]store.HistoryChunk, 0, len(c))
	for i := len(c) - 1; i >= 0; i-- {
		out = append(out, c[i])
	}
	return out
}
