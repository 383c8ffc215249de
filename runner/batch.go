package runner

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/store"
	"github.com/stepwise-run/stepwise/value"
)

// Outbox row kinds.
const (
	kindTimer = "timer"
	kindTask  = "task"
)

// rowID names the outbox row of an execution's timer or task.
func rowID(arn, kind string, id int64) string {
	return arn + "#" + kind + "#" + strconv.FormatInt(id, 10)
}

// parseRowID splits a row id made by rowID.
func parseRowID(row string) (arn, kind string, id int64, ok bool) {
	i := strings.LastIndexByte(row, '#')
	if i < 0 {
		return "", "", 0, false
	}
	j := strings.LastIndexByte(row[:i], '#')
	if j < 0 {
		return "", "", 0, false
	}
	id, err := strconv.ParseInt(row[i+1:], 10, 64)
	return row[:j], row[j+1 : i], id, err == nil
}

// taskPayload is the outbox payload of a scheduled task.
type taskPayload struct {
	Resource         string          `json:"resource"`
	Pattern          string          `json:"pattern,omitempty"`
	StateName        string          `json:"stateName"`
	Input            json.RawMessage `json:"input"`
	Token            string          `json:"token"`
	TimeoutSeconds   int64           `json:"timeoutSeconds,omitempty"`
	HeartbeatSeconds int64           `json:"heartbeatSeconds,omitempty"`
	Credentials      json.RawMessage `json:"credentials,omitempty"`
}

func encodeTask(t *engine.TaskRequest) []byte {
	p := taskPayload{Resource: t.Resource, Pattern: t.Pattern, StateName: t.StateName, Input: value.Marshal(t.Input), Token: t.Token,
		TimeoutSeconds: t.TimeoutSeconds, HeartbeatSeconds: t.HeartbeatSeconds}
	if t.Credentials != nil {
		p.Credentials = value.Marshal(t.Credentials)
	}
	b, _ := json.Marshal(p)
	return b
}

func decodeTask(arn string, b []byte) (*engine.TaskRequest, error) {
	var p taskPayload
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("decode task row: %w", err)
	}
	in, err := value.Parse(p.Input)
	if err != nil {
		return nil, fmt.Errorf("decode task input: %w", err)
	}
	if p.Pattern == "" {
		p.Pattern = patternOf(p.Resource) // a row written before rows kept the pattern
	}
	t := &engine.TaskRequest{Resource: p.Resource, Pattern: p.Pattern, StateName: p.StateName, Input: in, Token: p.Token,
		TimeoutSeconds: p.TimeoutSeconds, HeartbeatSeconds: p.HeartbeatSeconds, ExecutionARN: arn}
	if len(p.Credentials) > 0 {
		t.Credentials, _ = value.Parse(p.Credentials)
	}
	return t, nil
}

// patternOf returns the integration pattern a resource's suffix names, as
// the engine reads it, or "".
func patternOf(resource string) string {
	for _, p := range []string{".waitForTaskToken", ".sync:2", ".sync"} {
		if strings.HasSuffix(resource, p) {
			return p[1:]
		}
	}
	return ""
}

// batch builds the store batch that records one step of an execution: the
// execution record and snapshot, the history chunk, and the outbox rows its
// effects create or cancel. An insert cancelled in the same step is dropped
// together with its delete.
func (r *Runner) batch(m *engine.Machine, x *engine.Execution, rec *store.Execution, version int64, res engine.Result) (*store.Batch, error) {
	w := *rec
	w.Snapshot = nil // nothing resumes or redrives a succeeded execution
	if x.Status != engine.StatusSucceeded {
		snap, err := m.Encode(x)
		if err != nil {
			return nil, err
		}
		w.Snapshot = snap
	}
	w.Status = string(x.Status)
	if x.Done() {
		w.StopDate = x.StopTime()
		w.Error, w.Cause = x.Error, x.Cause
		if x.Status == engine.StatusSucceeded {
			w.Output = value.Marshal(x.Output)
		}
	}
	b := &store.Batch{Executions: []store.ExecutionWrite{{Execution: w, ExpectedVersion: version}}}
	if len(res.Events) > 0 {
		events := history.AppendEvents(make([]byte, 0, 256*len(res.Events)), res.Events)
		b.History = []store.HistoryChunk{{ExecutionARN: rec.ARN, FirstEventID: res.Events[0].ID,
			LastEventID: res.Events[len(res.Events)-1].ID, Events: events}}
	}
	inserted := map[string]int{}
	for _, e := range res.Effects {
		switch e.Kind {
		case engine.EffectArmTimer:
			row := rowID(rec.ARN, kindTimer, e.ID)
			inserted[row] = len(b.OutboxInserts)
			b.OutboxInserts = append(b.OutboxInserts, store.OutboxRow{ID: row, ExecutionARN: rec.ARN, Kind: kindTimer,
				Payload: []byte(strconv.FormatInt(e.ID, 10)), DueAt: e.At})
		case engine.EffectScheduleTask:
			if e.Task.Activity {
				b.ActivityTasks = append(b.ActivityTasks, store.ActivityTask{TaskToken: e.Task.Token, ActivityARN: e.Task.Resource,
					ExecutionARN: rec.ARN, Input: value.Marshal(e.Task.Input), CreatedAt: r.now()})
				continue
			}
			row := rowID(rec.ARN, kindTask, e.ID)
			inserted[row] = len(b.OutboxInserts)
			b.OutboxInserts = append(b.OutboxInserts, store.OutboxRow{ID: row, ExecutionARN: rec.ARN, Kind: kindTask,
				Payload: encodeTask(e.Task)})
		case engine.EffectCancelTimer, engine.EffectCancelTask:
			if e.Kind == engine.EffectCancelTask && e.Activity {
				if i := activityIndex(b.ActivityTasks, e.Token); i >= 0 {
					b.ActivityTasks = append(b.ActivityTasks[:i], b.ActivityTasks[i+1:]...)
				} else {
					b.ActivityTaskDeletes = append(b.ActivityTaskDeletes, e.Token)
				}
				continue
			}
			kind := kindTimer
			if e.Kind == engine.EffectCancelTask {
				kind = kindTask
			}
			row := rowID(rec.ARN, kind, e.ID)
			if i, ok := inserted[row]; ok {
				b.OutboxInserts[i].ID = "" // armed and cancelled in the same step
				continue
			}
			b.OutboxDeletes = append(b.OutboxDeletes, row)
		}
	}
	kept := b.OutboxInserts[:0]
	for _, row := range b.OutboxInserts {
		if row.ID != "" {
			kept = append(kept, row)
		}
	}
	b.OutboxInserts = kept
	return b, nil
}

func activityIndex(tasks []store.ActivityTask, token string) int {
	for i, t := range tasks {
		if t.TaskToken == token {
			return i
		}
	}
	return -1
}

// netDeletes adds the rows consumed by the step's inputs to the batch's
// deletes, once each.
func netDeletes(b *store.Batch, consumed []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(b.OutboxDeletes)+len(consumed))
	for _, row := range append(b.OutboxDeletes, consumed...) {
		if !seen[row] {
			seen[row] = true
			out = append(out, row)
		}
	}
	return out
}

// afterCommit carries out a committed step's effects: timers go to the
// timer queue, tasks to the task handler, activity tasks not handed to a
// poller to the activity's queue (a poller is woken).
func (r *Runner) afterCommit(arn string, res engine.Result, skip bool, handed []*handoff) {
	for _, e := range res.Effects {
		switch e.Kind {
		case engine.EffectArmTimer:
			if (r.skip || skip) && !e.TaskTimeout {
				r.fireTimerSkipping(arn, e.ID, e.At)
				continue
			}
			r.timers.add(arn, e.ID, e.At)
		case engine.EffectCancelTimer:
			r.timers.remove(arn, e.ID)
		case engine.EffectScheduleTask:
			if e.Task.Activity {
				if !handedOut(e, handed) {
					r.activities.notify(e.Task.Resource)
				}
				continue
			}
			r.dispatch(arn, e.ID, e.Task)
		}
	}
}

// fireTimer delivers a due timer to its execution.
// With SkipTime the timer fires at once but carries its due time, so the
// history shows the time a real run would have.
func (r *Runner) fireTimer(arn string, id int64, at time.Time) {
	in := engine.Input{Kind: engine.InputTimerFired, ID: id}
	if r.skip {
		in.Now = at
	}
	r.deliver(arn, pending{in: in, row: rowID(arn, kindTimer, id)})
}

// fireTimerSkipping fires a timer at once, carrying its due time.
func (r *Runner) fireTimerSkipping(arn string, id int64, at time.Time) {
	r.deliver(arn, pending{in: engine.Input{Kind: engine.InputTimerFired, ID: id, Now: at}, row: rowID(arn, kindTimer, id)})
}
