package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/local"
	"github.com/stepwise-run/stepwise/value"
)

// Expected is the outcome of an uninterrupted run, as the API reports it.
type Expected struct {
	Status string // SUCCEEDED, FAILED, …
	Output string // JSON text, SUCCEEDED only
	Error  string
	Cause  string
	// Events is the history with timestamps removed.
	Events []types.HistoryEvent
}

// Reference runs an execution in-process with virtual time (package local)
// and returns what the server should report for the same execution when
// nothing interrupts it. meta must carry the server's names and ARNs (and
// StartTime if the definition reads $$.Execution.StartTime) for the
// details to match.
func Reference(ctx context.Context, m *engine.Machine, input string, meta engine.Meta) (*Expected, error) {
	res, err := local.Run(ctx, m, input, local.Options{Fast: true, Meta: meta})
	if err != nil {
		return nil, fmt.Errorf("reference run: %w", err)
	}
	events, err := ToSDKEvents(res.Events)
	if err != nil {
		return nil, err
	}
	exp := &Expected{Status: string(res.Status), Error: res.Error, Cause: res.Cause, Events: events}
	if res.Status == engine.StatusSucceeded {
		exp.Output = string(value.Marshal(res.Output))
	}
	return exp, nil
}

// ToSDKEvents converts engine history events into the SDK's types through
// their wire form (the JSON GetExecutionHistory answers), without
// timestamps. A wire member the SDK does not know is an error, so nothing
// is silently dropped from comparisons.
func ToSDKEvents(events []history.Event) ([]types.HistoryEvent, error) {
	out := make([]types.HistoryEvent, len(events))
	for i := range events {
		wire, err := json.Marshal(&events[i])
		if err != nil {
			return nil, fmt.Errorf("encode event %d: %w", events[i].ID, err)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(wire, &fields); err != nil {
			return nil, fmt.Errorf("decode event %d: %w", events[i].ID, err)
		}
		delete(fields, "timestamp")
		wire, _ = json.Marshal(fields)
		dec := json.NewDecoder(bytes.NewReader(wire))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&out[i]); err != nil {
			return nil, fmt.Errorf("event %d as an SDK event: %w (%s)", events[i].ID, err, wire)
		}
	}
	return out, nil
}
