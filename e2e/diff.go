package e2e

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// DiffHistories compares two histories event by event, ignoring
// timestamps, and returns "" when they are equal or a description of the
// first difference (and of missing or extra events). It also checks that
// got's ids run from 1 without gaps or repeats.
func DiffHistories(want, got []types.HistoryEvent) string {
	var b strings.Builder
	for i, e := range got {
		if e.Id != int64(i+1) {
			fmt.Fprintf(&b, "event #%d has id %d (ids must run 1, 2, 3, …)\n", i+1, e.Id)
			break
		}
	}
	n := min(len(want), len(got))
	for i := 0; i < n; i++ {
		w, g := want[i], got[i]
		w.Timestamp, g.Timestamp = nil, nil
		if !reflect.DeepEqual(w, g) {
			fmt.Fprintf(&b, "event #%d differs:\n  want %s\n  got  %s\n", i+1, eventJSON(w), eventJSON(g))
			if i+1 < n {
				fmt.Fprintf(&b, "  next: want %s / got %s\n", want[i+1].Type, got[i+1].Type)
			}
			break
		}
	}
	if len(got) < len(want) {
		fmt.Fprintf(&b, "%d events missing; first: %s\n", len(want)-len(got), eventJSON(want[len(got)]))
	}
	if len(got) > len(want) {
		fmt.Fprintf(&b, "%d extra events; first: %s\n", len(got)-len(want), eventJSON(got[len(want)]))
	}
	return b.String()
}

// eventJSON prints an SDK event compactly: Go field names, without the
// members that are not set.
func eventJSON(e types.HistoryEvent) string {
	e.Timestamp = nil
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Sprintf("%+v", e)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return string(b)
	}
	b, _ = json.Marshal(dropNulls(v))
	return string(b)
}

// dropNulls removes null members from decoded JSON objects, recursively.
func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if x == nil {
				delete(v, k)
				continue
			}
			v[k] = dropNulls(x)
		}
	case []any:
		for i, x := range v {
			v[i] = dropNulls(x)
		}
	}
	return v
}

// SameEventsAnyOrder reports whether two histories hold the same events
// (type and details, counted with multiplicity) when ids, previous ids and
// timestamps are ignored: a history that fails DiffHistories but passes
// this one has its events reordered, none dropped or repeated.
func SameEventsAnyOrder(want, got []types.HistoryEvent) bool {
	if len(want) != len(got) {
		return false
	}
	count := map[string]int{}
	for _, e := range want {
		e.Id, e.PreviousEventId = 0, 0
		count[eventJSON(e)]++
	}
	for _, e := range got {
		e.Id, e.PreviousEventId = 0, 0
		k := eventJSON(e)
		if count[k] == 0 {
			return false
		}
		count[k]--
	}
	return true
}
