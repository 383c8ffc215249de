package history

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/value"
)

// AppendEvents appends events to b as a JSON array, in the form MarshalJSON
// gives each event. It encodes by hand: encoding/json spent a quarter of
// the server's CPU time on the histories of a commit (reflection, and
// compacting again what each MarshalJSON returned).
func AppendEvents(b []byte, events []Event) []byte {
	b = append(b, '[')
	for i := range events {
		if i > 0 {
			b = append(b, ',')
		}
		b = events[i].AppendJSON(b)
	}
	return append(b, ']')
}

// AppendJSON appends the event's JSON form (see MarshalJSON) to b.
func (e *Event) AppendJSON(b []byte) []byte {
	b = append(b, `{"timestamp":`...)
	b = appendEpochSeconds(b, e.Timestamp)
	b = append(b, `,"id":`...)
	b = strconv.AppendInt(b, e.ID, 10)
	b = append(b, `,"previousEventId":`...)
	b = strconv.AppendInt(b, e.PreviousEventID, 10)
	b = append(b, `,"type":`...)
	b = value.AppendString(b, e.Type)
	if e.Details != nil {
		b = append(b, ',', '"')
		b = appendDetailsKey(b, e.Type)
		b = append(b, '"', ':')
		b = e.Details.appendJSON(b)
	}
	return append(b, '}')
}

// appendDetailsKey appends the JSON key of the details block of events of
// type typ, as the Step Functions API names it: stateEnteredEventDetails
// for every *StateEntered type, stateExitedEventDetails for every
// *StateExited type, and otherwise the type with a lower-case initial and
// "EventDetails" (executionFailedEventDetails).
func appendDetailsKey(b []byte, typ string) []byte {
	switch {
	case strings.HasSuffix(typ, "StateEntered"):
		return append(b, "stateEnteredEventDetails"...)
	case strings.HasSuffix(typ, "StateExited"):
		return append(b, "stateExitedEventDetails"...)
	}
	if typ != "" && 'A' <= typ[0] && typ[0] <= 'Z' {
		b = append(b, typ[0]+'a'-'A')
		typ = typ[1:]
	}
	b = append(b, typ...)
	return append(b, "EventDetails"...)
}

// appendEpochSeconds appends t as EpochSeconds formats it.
func appendEpochSeconds(b []byte, t time.Time) []byte {
	ms := t.UnixMilli()
	if ms%1000 == 0 {
		return strconv.AppendInt(b, ms/1000, 10)
	}
	return strconv.AppendFloat(b, float64(ms)/1000, 'f', -1, 64)
}

// object writes a JSON object's members in order, as encoding/json writes
// a struct's fields (omitempty members left out when empty).
type object struct {
	b    []byte
	more bool
}

func open(b []byte) object { return object{b: append(b, '{')} }

// sep writes the comma before every member but the first.
func (o *object) sep() {
	if o.more {
		o.b = append(o.b, ',')
	}
	o.more = true
}

// key starts a member named k, a key that needs no escaping.
func (o *object) key(k string) {
	o.sep()
	o.b = append(o.b, '"')
	o.b = append(o.b, k...)
	o.b = append(o.b, '"', ':')
}

func (o *object) str(k, s string) {
	o.key(k)
	o.b = value.AppendString(o.b, s)
}

func (o *object) strOmit(k, s string) {
	if s != "" {
		o.str(k, s)
	}
}

func (o *object) strPtr(k string, s *string) {
	if s != nil {
		o.str(k, *s)
	}
}

func (o *object) int(k string, n int64) {
	o.key(k)
	o.b = strconv.AppendInt(o.b, n, 10)
}

func (o *object) intPtr(k string, n *int64) {
	if n != nil {
		o.int(k, *n)
	}
}

func (o *object) payload(k string, p Payload) {
	o.key(k)
	o.b = value.AppendString(o.b, p.String())
}

func (o *object) data(k string, d *DataDetails) {
	if d != nil {
		o.key(k)
		o.b = d.appendJSON(o.b)
	}
}

// strMap writes a map with its keys sorted, as encoding/json does.
func (o *object) strMap(k string, m map[string]string) {
	if len(m) == 0 {
		return
	}
	o.key(k)
	keys := make([]string, 0, len(m))
	for name := range m {
		keys = append(keys, name)
	}
	slices.Sort(keys)
	inner := open(o.b)
	for _, name := range keys {
		inner.sep()
		inner.b = value.AppendString(inner.b, name)
		inner.b = append(inner.b, ':')
		inner.b = value.AppendString(inner.b, m[name])
	}
	o.b = inner.close()
}

func (o *object) close() []byte { return append(o.b, '}') }

func (d *DataDetails) appendJSON(b []byte) []byte {
	if d.Truncated {
		return append(b, `{"truncated":true}`...)
	}
	return append(b, `{"truncated":false}`...)
}

func (d *ExecutionStartedDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.payload("input", d.Input)
	o.data("inputDetails", d.InputDetails)
	o.strOmit("roleArn", d.RoleArn)
	o.strOmit("stateMachineAliasArn", d.StateMachineAliasArn)
	o.strOmit("stateMachineVersionArn", d.StateMachineVersionArn)
	return o.close()
}

func (d *OutputDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.payload("output", d.Output)
	o.data("outputDetails", d.OutputDetails)
	return o.close()
}

func (d *ErrorDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.strPtr("error", d.Error)
	o.strPtr("cause", d.Cause)
	return o.close()
}

func (d *ExecutionRedrivenDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.int("redriveCount", int64(d.RedriveCount))
	return o.close()
}

func (d *StateEnteredDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.str("name", d.Name)
	o.payload("input", d.Input)
	o.data("inputDetails", d.InputDetails)
	return o.close()
}

func (d *StateExitedDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.str("name", d.Name)
	o.payload("output", d.Output)
	o.data("outputDetails", d.OutputDetails)
	o.strMap("assignedVariables", d.AssignedVariables)
	o.data("assignedVariablesDetails", d.AssignedVariablesDetails)
	return o.close()
}

func (d *MapStateStartedDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.int("length", int64(d.Length))
	return o.close()
}

func (d *MapIterationDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.str("name", d.Name)
	o.int("index", int64(d.Index))
	return o.close()
}

func (d *MapRunStartedDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.str("mapRunArn", d.MapRunArn)
	return o.close()
}

func (d *EvaluationFailedDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.strOmit("error", d.Error)
	o.strOmit("cause", d.Cause)
	o.strOmit("location", d.Location)
	o.str("state", d.State)
	return o.close()
}

func (d *TaskDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.str("resourceType", d.ResourceType)
	o.str("resource", d.Resource)
	return o.close()
}

func (d *TaskScheduledDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.str("resourceType", d.ResourceType)
	o.str("resource", d.Resource)
	o.str("region", d.Region)
	o.payload("parameters", d.Parameters)
	o.intPtr("timeoutInSeconds", d.TimeoutInSeconds)
	o.intPtr("heartbeatInSeconds", d.HeartbeatInSeconds)
	return o.close()
}

func (d *TaskOutputDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.str("resourceType", d.ResourceType)
	o.str("resource", d.Resource)
	o.payload("output", d.Output)
	o.data("outputDetails", d.OutputDetails)
	return o.close()
}

func (d *TaskErrorDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.str("resourceType", d.ResourceType)
	o.str("resource", d.Resource)
	o.strPtr("error", d.Error)
	o.strPtr("cause", d.Cause)
	return o.close()
}

func (d *ActivityScheduledDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.str("resource", d.Resource)
	o.payload("input", d.Input)
	o.data("inputDetails", d.InputDetails)
	o.intPtr("timeoutInSeconds", d.TimeoutInSeconds)
	o.intPtr("heartbeatInSeconds", d.HeartbeatInSeconds)
	return o.close()
}

func (d *LambdaScheduledDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.str("resource", d.Resource)
	o.payload("input", d.Input)
	o.data("inputDetails", d.InputDetails)
	o.intPtr("timeoutInSeconds", d.TimeoutInSeconds)
	return o.close()
}

func (d *ActivityStartedDetails) appendJSON(b []byte) []byte {
	o := open(b)
	o.strOmit("workerName", d.WorkerName)
	return o.close()
}
