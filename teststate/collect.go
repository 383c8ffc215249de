package teststate

import (
	"math"
	"strings"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/value"
)

// collector gathers what the engine reports while the state runs.
type collector struct {
	p   *plan
	req *Request

	stages  map[string]any // inspection stages of the state under test
	order   []string
	entered []string // names of the states entered, in order
	left    bool     // the state under test was left (a stub was entered)
	failed  *failure.Error
	output  any // the state's output, once known
}

func newCollector(p *plan, req *Request) *collector {
	return &collector{p: p, req: req, stages: map[string]any{}}
}

// inspect is the engine's Inspect hook.
func (c *collector) inspect(stage string, v any) {
	if c.left {
		return
	}
	if stage == "input" && c.stages["input"] != nil {
		c.left = true
		return
	}
	if stage == "errorDetails" {
		o, _ := v.(*value.Object)
		name, _ := stringMember(o, "error")
		cause, _ := stringMember(o, "cause")
		c.failed = failure.New(name, statePrefix.ReplaceAllString(cause, ""))
		return
	}
	if stage == "result" {
		c.stages["resultRaw"] = v
		if c.p.typ == "Parallel" || c.p.typ == "Map" {
			return
		}
	}
	if _, seen := c.stages[stage]; !seen {
		c.order = append(c.order, stage)
	}
	c.stages[stage] = v
}

// mocked is the engine's Mock hook.
func (c *collector) mocked(state string) (any, *failure.Error, bool) {
	if state != c.p.name || c.left {
		return nil, nil, false
	}
	m := c.p.mock
	if m.err != nil {
		return nil, failure.New(m.err.Error, m.err.Cause), true
	}
	if c.p.typ == "Map" {
		if err := c.tolerance(); err != nil {
			return nil, err, true
		}
	}
	return m.result, nil, true
}

// tolerance fails a mocked Map whose failed iterations
// (stateConfiguration.mapIterationFailureCount) exceed its tolerance.
func (c *collector) tolerance() *failure.Error {
	cfg := c.req.StateConfiguration
	if cfg == nil || cfg.MapIterationFailureCount == nil {
		return nil
	}
	failed := float64(*cfg.MapIterationFailureCount)
	total := 0
	if arr, ok := c.p.mock.result.([]any); ok {
		total = len(arr)
	}
	exceeded := false
	if n, ok := c.stages["toleratedFailureCount"].(float64); ok && failed > n {
		exceeded = true
	}
	if pct, ok := c.stages["toleratedFailurePercentage"].(float64); ok && total > 0 && failed*100/float64(total) > pct {
		exceeded = true
	}
	if !exceeded {
		return nil
	}
	return failure.New("States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded")
}

// events notes the states a step of the run entered.
func (c *collector) events(res engine.Result) {
	for _, e := range res.Events {
		if d, ok := e.Details.(*history.StateEnteredDetails); ok && strings.HasSuffix(e.Type, "StateEntered") {
			c.entered = append(c.entered, d.Name)
		}
	}
}

// nextState is the state entered after the state under test.
func (c *collector) nextState() string {
	if len(c.entered) > 1 {
		if c.entered[1] == c.p.self {
			return c.p.name
		}
		return c.entered[1]
	}
	return ""
}

// response makes the TestState response from the finished run.
func (c *collector) response(x *engine.Execution) *Response {
	r := &Response{}
	if x.Status == engine.StatusSucceeded {
		c.output = x.Output
	}
	var details *ErrorDetails
	switch {
	case c.failed != nil && c.retriable(&details):
		r.Status = StatusRetriable
		r.Error, r.Cause = c.failed.Name, c.failed.Cause
	case c.failed != nil && c.nextState() != "":
		r.Status = StatusCaughtError
		r.Error, r.Cause = c.failed.Name, c.failed.Cause
		r.NextState = c.nextState()
		r.Output = c.render(x.Output)
		if i := c.catchIndex(); i >= 0 {
			details = &ErrorDetails{CatchIndex: &i}
		}
	case x.Status == engine.StatusFailed:
		r.Status = StatusFailed
		r.Error = x.Error
		r.Cause = statePrefix.ReplaceAllString(x.Cause, "")
	case x.Status == engine.StatusSucceeded:
		r.Status = StatusSucceeded
		r.NextState = c.nextState()
		r.Output = c.render(x.Output)
	default:
		// Unreachable: Run refuses a run that did not finish.
		r.Status = StatusFailed
	}
	if c.p.level != LevelInfo {
		r.InspectionData = c.inspection(details)
	}
	return r
}

// retriable reports whether a retrier of the state takes the error, given
// the retries already made, and sets its details.
func (c *collector) retriable(details **ErrorDetails) bool {
	if failure.Terminal(c.failed.Name) && c.failed.Name != failure.Runtime {
		return false
	}
	retriers, _ := member(c.p.state, "Retry").([]any)
	count := 0
	if cfg := c.req.StateConfiguration; cfg != nil && cfg.RetrierRetryCount != nil {
		count = *cfg.RetrierRetryCount
	}
	for i, r := range retriers {
		o, _ := r.(*value.Object)
		if !failure.Matches(strs(member(o, "ErrorEquals")), c.failed.Name) {
			continue
		}
		maxAttempts := number(member(o, "MaxAttempts"), 3)
		if float64(count) >= maxAttempts {
			return false
		}
		interval := number(member(o, "IntervalSeconds"), 1)
		backoff := interval * math.Pow(number(member(o, "BackoffRate"), 2), float64(count))
		if limit := number(member(o, "MaxDelaySeconds"), 0); limit > 0 && backoff > limit {
			backoff = limit
		}
		idx, secs := i, int(backoff)
		*details = &ErrorDetails{RetryIndex: &idx, RetryBackoffIntervalSeconds: &secs}
		return true
	}
	return false
}

// catchIndex is the index of the catcher that takes the error, or -1.
func (c *collector) catchIndex() int {
	catchers, _ := member(c.p.state, "Catch").([]any)
	for i, e := range catchers {
		o, _ := e.(*value.Object)
		if failure.Matches(strs(member(o, "ErrorEquals")), c.failed.Name) {
			return i
		}
	}
	return -1
}

func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func number(v any, def float64) float64 {
	if f, ok := v.(float64); ok {
		return f
	}
	return def
}

// render writes a value as AWS does: the request's own text where the
// value is the input or the mocked result unchanged, compact JSON
// otherwise.
func (c *collector) render(v any) string {
	if value.Equal(v, c.p.inputVal) {
		return c.p.input
	}
	if m := c.p.mock; m != nil && m.text != "" && value.Equal(v, m.result) {
		return m.text
	}
	return value.String(v)
}

// inspection makes the inspectionData of the response.
func (c *collector) inspection(details *ErrorDetails) *InspectionData {
	d := &InspectionData{ErrorDetails: details}
	text := func(stage string) string {
		v, ok := c.stages[stage]
		if !ok {
			return ""
		}
		return c.render(v)
	}
	c.shape()
	d.Input = text("input")
	d.AfterInputPath = text("afterInputPath")
	d.AfterParameters = text("afterParameters")
	d.AfterArguments = text("afterArguments")
	d.Result = text("result")
	d.AfterResultSelector = text("afterResultSelector")
	d.AfterResultPath = text("afterResultPath")
	d.Variables = text("variables")
	d.AfterItemsPath = text("afterItemsPath")
	d.AfterItemSelector = text("afterItemSelector")
	d.AfterItemBatcher = text("afterItemBatcher")
	d.AfterItemsPointer = text("afterItemsPointer")
	if v, ok := c.stages["maxConcurrency"].(float64); ok {
		n := int(v)
		d.MaxConcurrency = &n
	}
	if v, ok := c.stages["toleratedFailureCount"].(float64); ok {
		n := int(v)
		d.ToleratedFailureCount = &n
	}
	if v, ok := c.stages["toleratedFailurePercentage"].(float64); ok {
		f := Float(v)
		d.ToleratedFailurePercentage = &f
	}
	return d
}

// shape makes the recorded stages the ones AWS reports for the state's type
// and query language: JSONata states report only what their fields
// compute; JSONPath Pass, Choice, Succeed and Fail states report the
// stages their fields would pass through, even without the fields.
func (c *collector) shape() {
	st := c.stages
	drop := func(stages ...string) {
		for _, s := range stages {
			delete(st, s)
		}
	}
	if c.p.typ == "Parallel" || c.p.typ == "Map" {
		drop("result", "afterArguments")
		if c.p.typ == "Parallel" {
			drop("afterInputPath", "afterParameters")
		}
	}
	if c.p.language == "JSONata" {
		if c.p.typ != "Task" {
			drop("afterInputPath", "afterParameters", "result", "afterResultSelector", "afterResultPath")
		}
		return
	}
	in, ok := st["input"]
	if !ok {
		return
	}
	_, hasInputPath := c.p.state.Get("InputPath")
	outputPath, hasOutputPath := stringMember(c.p.state, "OutputPath")
	plainOutput := !hasOutputPath || outputPath == "$"
	switch c.p.typ {
	case "Choice", "Succeed", "Fail":
		if _, seen := st["afterInputPath"]; !seen {
			switch {
			case !hasInputPath:
				st["afterInputPath"] = in
			case c.p.typ != "Fail" && plainOutput && c.output != nil:
				st["afterInputPath"] = c.output
			}
		}
	case "Pass":
		if _, has := c.p.state.Get("Result"); has {
			drop("afterInputPath", "afterParameters")
			st["result"] = member(c.p.state, "Result")
			st["afterResultSelector"] = st["result"]
		} else {
			if _, seen := st["afterInputPath"]; !seen && !hasInputPath {
				st["afterInputPath"] = in
			}
			if _, seen := st["afterParameters"]; !seen {
				if v, ok := st["afterInputPath"]; ok {
					st["afterParameters"] = v
				}
			}
			if v, ok := st["afterParameters"]; ok {
				st["afterResultSelector"] = v
			}
		}
		if _, seen := st["afterResultPath"]; !seen && plainOutput && c.output != nil {
			st["afterResultPath"] = c.output
		}
	case "Task", "Parallel", "Map":
		if _, seen := st["afterResultSelector"]; !seen {
			if v, ok := c.stages["resultRaw"]; ok {
				st["afterResultSelector"] = v
			}
		}
	}
}
