package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/asl/jsonpath"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/value"
)

// runMap evaluates the items and starts the first iterations.
func (r *run) runMap(f *Frame) error {
	n := f.node
	f.failEvent = "MapStateFailed"
	f.items, f.kept, f.redo = nil, nil, nil // a retry or redrive must not see an earlier attempt's
	var items any
	var err error
	var eff any
	if n.lang == asl.JSONata {
		s := r.jscope(f, r.states(f, f.input, nil, nil, nil))
		eff = f.input
		items = f.input
		if n.jItems != nil {
			if items, err = n.jItems.eval(s); err != nil {
				return err
			}
			if _, ok := items.([]any); !ok {
				e := failure.Errorf(failure.QueryEvaluationError,
					"The JSONata expression '%s' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '%s' for value: %s",
					n.jItems.root.text, value.TypeName(items), value.String(items))
				e.Location = "Items"
				return e
			}
		}
		if err := r.mapLimitsJSONata(f, s); err != nil {
			return err
		}
	} else {
		if eff, err = r.selectPath(f, n.inputPath, n.s.InputPath.Null, f.input, "InputPath"); err != nil {
			return err
		}
		r.x.inspect("afterInputPath", eff)
		items = eff
		if n.itemsPath != nil {
			if items, err = r.selectPath(f, n.itemsPath, false, eff, "ItemsPath"); err != nil {
				return err
			}
		}
		if err := r.mapLimitsJSONPath(f, eff); err != nil {
			return err
		}
	}
	arr, ok := items.([]any)
	if !ok {
		if n.lang == asl.JSONata {
			return failure.Errorf(failure.QueryEvaluationError, "Map state input must be an array but was: %s", value.String(items))
		}
		path := "$"
		if n.itemsPath != nil {
			path = strings.TrimPrefix(n.itemsPath.String(), "$") // AWS writes "$$.x" as "$.x"
			if !strings.HasPrefix(path, "$") {
				path = "$" + path
			}
		}
		return failure.Errorf(failure.Runtime, "Reference path \"%s\" must point to array.", path)
	}
	if n.itemsPath != nil && n.lang != asl.JSONata {
		r.x.inspect("afterItemsPath", items)
	}
	r.x.inspect("maxConcurrency", float64(f.maxConc))
	r.emit(f, "MapStateStarted", func(e *history.Event) {
		e.Details = &history.MapStateStartedDetails{Length: len(arr)}
	})
	if n.lang != asl.JSONata {
		if err := r.toleranceJSONPath(f, eff); err != nil {
			return err
		}
	}
	if err := r.checkTolerance(f); err != nil {
		return err
	}
	if f.tolCountSet {
		r.x.inspect("toleratedFailureCount", float64(f.tolCount))
	}
	if f.tolPctSet {
		r.x.inspect("toleratedFailurePercentage", f.tolPct)
	}
	if r.x.Mock != nil {
		if result, ferr, ok := r.x.Mock(n.s.Name); ok {
			if ferr != nil {
				return ferr
			}
			return r.completeWithResult(f, result)
		}
	}
	f.effective = eff
	f.items = arr
	f.results = make([]any, len(arr))
	f.children = f.children[:0]
	f.nextItem, f.active, f.failed = 0, 0, 0
	f.childErr = nil
	f.kept, f.redo = nil, nil
	f.phase = phaseWaitChildren
	if n.items.distributed {
		r.x.nextID++
		arn := mapRunARN(r.x.Meta, n.s.Label, r.x.random(), r.x.random())
		r.emit(f, "MapRunStarted", func(e *history.Event) {
			e.Details = &history.MapRunStartedDetails{MapRunArn: arn}
		})
	}
	r.startIterations(f)
	return nil
}

// mapRunARN forms the ARN of a distributed Map run:
// arn:aws:states:REGION:ACCOUNT:mapRun:SM_NAME/LABEL:UUID, where LABEL is the
// Map state's Label or, without one, another UUID (as AWS records it).
func mapRunARN(m Meta, label string, a, b uint64) string {
	arn := m.StateMachineARN
	prefix := arn
	if i := indexOf(arn, ":stateMachine:"); i >= 0 {
		prefix = arn[:i]
	}
	if label == "" {
		label = uuidFrom(b, b*0x9e3779b97f4a7c15)
	}
	return fmt.Sprintf("%s:mapRun:%s/%s:%s", prefix, m.StateMachineName, label, uuidFrom(a, a*0x9e3779b97f4a7c15))
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// uuidFrom formats two random words as a version 4 UUID.
func uuidFrom(a, b uint64) string {
	var u [16]byte
	for i := 0; i < 8; i++ {
		u[i] = byte(a >> (8 * i))
		u[8+i] = byte(b >> (8 * i))
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

func (r *run) mapLimitsJSONata(f *Frame, s *jscope) error {
	n := f.node
	f.maxConc, f.tolCount, f.tolCountSet, f.tolPctSet = 0, 0, false, false
	if n.jMaxConcurrency != nil {
		v, err := n.jMaxConcurrency.eval(s)
		if err != nil {
			return err
		}
		if x, ok := v.(float64); ok {
			f.maxConc = int(x)
		}
	} else if v, ok := n.s.MaxConcurrency.(float64); ok {
		f.maxConc = int(v)
	}
	if n.jToleratedCount != nil {
		v, err := n.jToleratedCount.eval(s)
		if err != nil {
			return err
		}
		if x, ok := v.(float64); ok {
			f.tolCount, f.tolCountSet = int(x), true
		}
	} else if v, ok := n.s.ToleratedFailureCount.(float64); ok {
		f.tolCount, f.tolCountSet = int(v), true
	}
	if n.jToleratedPercentage != nil {
		v, err := n.jToleratedPercentage.eval(s)
		if err != nil {
			return err
		}
		if x, ok := v.(float64); ok {
			f.tolPct, f.tolPctSet = x, true
		}
	} else if v, ok := n.s.ToleratedFailurePercentage.(float64); ok {
		f.tolPct, f.tolPctSet = v, true
	}
	return nil
}

func (r *run) mapLimitsJSONPath(f *Frame, eff any) error {
	n := f.node
	f.maxConc, f.tolCount, f.tolCountSet, f.tolPctSet = 0, 0, false, false
	if v, ok := n.s.MaxConcurrency.(float64); ok {
		f.maxConc = int(v)
	}
	if v, ok := n.s.ToleratedFailureCount.(float64); ok {
		f.tolCount, f.tolCountSet = int(v), true
	}
	if v, ok := n.s.ToleratedFailurePercentage.(float64); ok {
		f.tolPct, f.tolPctSet = v, true
	}
	var err error
	if n.maxConcurrencyPath != nil {
		if f.maxConc, err = r.intAtPath(f, n.maxConcurrencyPath, eff, "MaxConcurrencyPath"); err != nil {
			return err
		}
	}
	return nil
}

// toleranceJSONPath reads ToleratedFailureCountPath and
// ToleratedFailurePercentagePath; AWS reads them after MapStateStarted.
func (r *run) toleranceJSONPath(f *Frame, eff any) error {
	n := f.node
	var err error
	if n.toleratedCountPath != nil {
		if f.tolCount, err = r.intAtPath(f, n.toleratedCountPath, eff, "ToleratedFailureCountPath"); err != nil {
			return err
		}
		f.tolCountSet = true
	}
	if n.toleratedPctPath != nil {
		v, err := r.selectPath(f, n.toleratedPctPath, false, eff, "ToleratedFailurePercentagePath")
		if err != nil {
			return err
		}
		x, ok := numberLike(v)
		if !ok {
			return failure.Errorf(failure.Runtime, "The ToleratedFailurePercentagePath field refers to value %s which is not a valid float: %s",
				quoted(v), n.toleratedPctPath.String())
		}
		f.tolPct, f.tolPctSet = x, true
	}
	return nil
}

func (r *run) intAtPath(f *Frame, p *jsonpath.Path, doc any, field string) (int, error) {
	v, err := r.selectPath(f, p, false, doc, field)
	if err != nil {
		return 0, err
	}
	x, ok := numberLike(v)
	if !ok || x != math.Trunc(x) {
		return 0, failure.Errorf(failure.Runtime, "The %s field refers to value %s which is not a valid integer: %s",
			field, quoted(v), p.String())
	}
	return int(x), nil
}

// numberLike accepts a number, or a string holding one (AWS parses the
// referenced value's text).
func numberLike(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	}
	return 0, false
}

// quoted renders a value inside AWS's "refers to value …" messages: the
// value's text in double quotes.
func quoted(v any) string {
	if s, ok := v.(string); ok {
		return `"` + s + `"`
	}
	return `"` + value.String(v) + `"`
}

func (r *run) checkTolerance(f *Frame) error {
	if f.tolCountSet && f.tolCount < 0 {
		return failure.New(failure.Runtime, "ToleratedFailureCount cannot be negative.")
	}
	if f.tolPctSet && (f.tolPct < 0 || f.tolPct > 100) {
		return failure.New(failure.Runtime, "ToleratedFailurePercentage must be between 0 and 100.")
	}
	return nil
}

// startIterations starts iterations while MaxConcurrency allows, running
// each until it finishes or blocks.
func (r *run) startIterations(f *Frame) {
	n := f.node
	f.starting = true
	defer func() { f.starting = false }()
	for f.phase == phaseWaitChildren && (len(f.redo) > 0 || f.nextItem < len(f.items)) && (f.maxConc <= 0 || f.active < f.maxConc) {
		if len(f.redo) > 0 {
			r.redoIteration(f)
			continue
		}
		i := f.nextItem
		f.nextItem++
		f.active++
		c := r.newFrame(n.items, f, NewScope(f.vars), f.last)
		c.index = i
		c.silent = f.silent || n.items.distributed
		f.children = append(f.children, c)
		input, err := r.iterationInput(f, i)
		if err != nil {
			f.active--
			f.nextItem-- // a redrive starts this item again
			f.children = f.children[:len(f.children)-1]
			f.phase = phaseRun
			r.stateFailed(f, asFailure(err))
			return
		}
		c.input = input
		r.emit(c, "MapIterationStarted", func(e *history.Event) {
			e.Details = &history.MapIterationDetails{Name: n.s.Name, Index: i}
		})
		r.runFrame(c)
		if c.phase == phaseDone {
			r.iterationDone(f, c)
		}
	}
	if f.phase == phaseWaitChildren && f.active == 0 && f.nextItem >= len(f.items) && len(f.redo) == 0 {
		r.mapSucceeded(f)
	}
}

// iterationInput computes the input of iteration i: the item, or the
// ItemSelector (Parameters in older definitions) applied with $$.Map.Item.
func (r *run) iterationInput(f *Frame, i int) (any, error) {
	n := f.node
	item := f.items[i]
	withItem := func(c *value.Object) {
		it := value.NewObject(2)
		it.Set("Index", float64(i))
		it.Set("Value", item)
		m := value.NewObject(1)
		m.Set("Item", it)
		c.Set("Map", m)
	}
	if n.lang == asl.JSONata {
		if n.jItemSelector == nil {
			return item, nil
		}
		return n.jItemSelector.eval(r.jscope(f, r.states(f, f.input, nil, nil, withItem)))
	}
	t := n.itemSelector
	if t == nil {
		t = n.parameters
	}
	if t == nil {
		return item, nil
	}
	s := r.pscope(f, f.effective)
	s.Context = r.contextObject(f, withItem)
	out, err := t.Apply(s)
	if err == nil {
		r.x.inspect("afterItemSelector", out)
	}
	return out, err
}

// iterationDone records a finished iteration and starts the next ones.
func (r *run) iterationDone(f *Frame, c *Frame) {
	n := f.node
	f.active--
	for i, s := range f.children {
		if s == c {
			f.children = append(f.children[:i], f.children[i+1:]...)
			break
		}
	}
	if c.err != nil {
		f.failed++
		r.emitMarker(c, "MapIterationFailed", func(e *history.Event) {
			e.Details = &history.MapIterationDetails{Name: n.s.Name, Index: c.index}
		})
		f.last = c.last
		f.kept = append(f.kept, c) // for a redrive
		if r.toleranceExceeded(f) {
			for _, s := range f.children {
				r.cancelAll(s)
			}
			kept := append(append(f.kept, f.children...), f.redo...)
			f.children, f.kept, f.redo = nil, nil, nil
			f.phase = phaseRun
			err := c.err
			if f.tolCountSet || f.tolPctSet {
				err = failure.New(failure.ExceedToleratedFailureThreshold, "The specified tolerated failure threshold was exceeded")
			}
			r.stateFailed(f, err)
			if f.phase == phaseDone && f.err != nil {
				f.kept = kept
			}
			return
		}
	} else {
		f.results[c.index] = c.output
		id := r.emitMarker(c, "MapIterationSucceeded", func(e *history.Event) {
			e.Details = &history.MapIterationDetails{Name: n.s.Name, Index: c.index}
		})
		f.last = c.last
		if f.active == 0 && f.nextItem >= len(f.items) && len(f.redo) == 0 && id != 0 {
			f.last = id // the last iteration's marker starts the Map's closing events
		}
	}
	if f.phase == phaseWaitChildren && !f.starting {
		r.startIterations(f)
	}
}

func (r *run) toleranceExceeded(f *Frame) bool {
	if !f.tolCountSet && !f.tolPctSet {
		return true
	}
	if f.tolCountSet && f.failed > f.tolCount {
		return true
	}
	if f.tolPctSet && len(f.items) > 0 && float64(f.failed)*100/float64(len(f.items)) > f.tolPct {
		return true
	}
	return false
}

func (r *run) mapSucceeded(f *Frame) {
	results := f.results
	f.results, f.items, f.children = nil, nil, nil
	f.kept, f.redo = nil, nil
	f.phase = phaseRun
	if f.node.items.distributed {
		r.emit(f, "MapRunSucceeded", nil)
	}
	r.emitMarker(f, "MapStateSucceeded", nil)
	f.failEvent = ""
	if err := r.completeWithResult(f, results); err != nil {
		r.stateFailed(f, asFailure(err))
	}
}
