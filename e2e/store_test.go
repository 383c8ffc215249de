package e2e

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/store"
)

// storedHistory reads an execution's history straight from a store, as
// SDK events without timestamps.
func storedHistory(t *testing.T, s store.Store, arn string) []types.HistoryEvent {
	t.Helper()
	chunks, err := s.ReadHistory(context.Background(), &store.ReadHistoryParams{ExecutionARN: arn, FromEventID: 1})
	if err != nil {
		t.Fatal(err)
	}
	var all []history.Event
	for _, c := range chunks {
		var evs []history.Event
		if err := json.Unmarshal(c.Events, &evs); err != nil {
			t.Fatal(err)
		}
		all = append(all, evs...)
	}
	out, err := ToSDKEvents(all)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
