package e2e

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

func ev(id, prev int64, typ types.HistoryEventType, name string) types.HistoryEvent {
	e := types.HistoryEvent{Id: id, PreviousEventId: prev, Type: typ}
	if name != "" {
		e.StateEnteredEventDetails = &types.StateEnteredEventDetails{Name: aws.String(name)}
	}
	return e
}

func TestDiffHistories(t *testing.T) {
	base := []types.HistoryEvent{
		ev(1, 0, types.HistoryEventTypeExecutionStarted, ""),
		ev(2, 1, types.HistoryEventTypePassStateEntered, "A"),
		ev(3, 2, types.HistoryEventTypePassStateEntered, "B"),
	}
	swapped := []types.HistoryEvent{base[0], ev(2, 1, types.HistoryEventTypePassStateEntered, "B"), ev(3, 2, types.HistoryEventTypePassStateEntered, "A")}
	for _, tt := range []struct {
		name     string
		got      []types.HistoryEvent
		diff     string // substring of the difference; "" means equal
		anyOrder bool
	}{
		{"equal", base, "", true},
		{"missing", base[:2], "1 events missing", false},
		{"extra", append(append([]types.HistoryEvent{}, base...), ev(4, 3, types.HistoryEventTypeExecutionSucceeded, "")), "1 extra events", false},
		{"repeated id", []types.HistoryEvent{base[0], base[1], ev(2, 2, types.HistoryEventTypePassStateEntered, "B")}, "has id 2", true},
		{"previous id", []types.HistoryEvent{base[0], base[1], ev(3, 1, types.HistoryEventTypePassStateEntered, "B")}, "event #3 differs", true},
		{"reordered", swapped, "event #2 differs", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := DiffHistories(base, tt.got)
			if tt.diff == "" && d != "" || tt.diff != "" && !strings.Contains(d, tt.diff) {
				t.Errorf("DiffHistories = %q, want it to contain %q", d, tt.diff)
			}
			if got := SameEventsAnyOrder(base, tt.got); got != tt.anyOrder {
				t.Errorf("SameEventsAnyOrder = %v, want %v", got, tt.anyOrder)
			}
		})
	}
}

func TestDiffIgnoresTimestamps(t *testing.T) {
	a := ev(1, 0, types.HistoryEventTypeExecutionStarted, "")
	b := a
	now := aws.Time(aws.ToTime(nil).AddDate(2026, 0, 0))
	b.Timestamp = now
	if d := DiffHistories([]types.HistoryEvent{a}, []types.HistoryEvent{b}); d != "" {
		t.Errorf("timestamps compared: %s", d)
	}
}
