package jsonata

import (
	"math"

	"github.com/stepwise-run/stepwise/value"
)

// simplePath evaluates a path of plain name steps (optionally starting
// with a variable) over objects without building sequences. It reports
// false when the data needs the general algorithm (arrays on the way).
//
// It advances the virtual clock (see concurrentError) by the evaluations
// of steps the general algorithm would make, so that errors raised
// concurrently are ordered the same either way.
func (ev *evaluator) simplePath(n *node, input any, env *frame) (any, bool) {
	v := input
	steps := n.steps
	c := ev.paths
	// Step evaluations the general algorithm makes are counted only where
	// the path fails: before step i of steps, base+i of them were made;
	// on success, len(n.steps).
	base := int64(0)
	if first := steps[0]; first.typ == ntVariable {
		base = 1
		if first.op == "" {
			if s, ok := input.(*seq); ok && s.outerWrapper {
				return nil, false
			}
		} else {
			var ok bool
			if vn := first.canon; c != nil && vn != nil && c.variable == vn && c.env == env {
				v, ok = c.varValue, c.varFound
			} else {
				v, ok = ev.lookupVariable(first, env)
				if vn != nil {
					if c == nil {
						c = new(pathCache)
						ev.paths = c
					}
					c.variable, c.env, c.varValue, c.varFound = vn, env, v, ok
				}
			}
			if !ok {
				ev.vclock++
				return Undefined{}, true
			}
		}
		steps = steps[1:]
	}
	// Resume after the steps this path shares with the last one taken
	// from the same object.
	root, _ := v.(*value.Object)
	i := 0
	if root != nil {
		if c == nil {
			c = new(pathCache)
			ev.paths = c
		}
		if c.root == root {
			for i < c.n && i < len(steps) && steps[i].canon == c.steps[i] {
				i++
			}
			if i > 0 {
				v = c.vals[i-1]
			}
		} else {
			c.root, c.n = root, 0
		}
	}
	for ; i < len(steps); i++ {
		o, ok := v.(*value.Object)
		if !ok {
			evals := base + int64(i)
			switch v.(type) {
			case Undefined:
				if i == 0 && base == 0 {
					evals++ // the first step is evaluated even on no input
				}
			case nil, bool, float64, string:
				evals++
			default:
				return nil, false
			}
			ev.vclock += evals
			return Undefined{}, true
		}
		st := steps[i]
		if v, ok = o.Get(st.op); !ok {
			ev.vclock += base + int64(i) + 1
			return Undefined{}, true
		}
		if root != nil && i < pathCacheLen {
			if st.canon != nil {
				c.steps[i], c.vals[i], c.n = st.canon, v, i+1
			} else {
				c.n = i
			}
		}
	}
	if last := n.steps[len(n.steps)-1]; last.stages != nil {
		// A number index on the last step, such as items[0].
		var ok bool
		if v, ok = indexValue(v, last.stages[0].expr.num); !ok {
			return nil, false
		}
	}
	switch v.(type) {
	case *seq, tuple:
		return nil, false
	}
	evals := int64(len(n.steps))
	ev.steps += evals
	ev.vclock += evals
	return v, true
}

// indexValue is the value of a path step with a number predicate, v[num],
// as filter and step compute it, for a value of the value model. It
// reports false for other values.
func indexValue(v any, num float64) (any, bool) {
	var items []any
	switch x := v.(type) {
	case []any:
		items = x
	case *value.Object, nil, bool, float64, string:
		items = []any{v} // does not escape
	default:
		return nil, false
	}
	index := int(math.Floor(num))
	if index < 0 {
		index += len(items)
	}
	if index < 0 || index >= len(items) {
		return Undefined{}, true
	}
	return items[index], true
}

// markSimple flags paths that simplePath can evaluate.
func markSimple(n *node) {
	if n.typ != ntPath || n.keepSingletonArray || n.group != nil || n.tuple || n.seekingParent != nil {
		return
	}
	last := len(n.steps) - 1
	for i, st := range n.steps {
		// A number index is allowed on the last step, such as items[0].
		indexOK := i == last && st.typ == ntName && isNumberIndex(st.stages)
		if st.predicate != nil || (st.stages != nil && !indexOK) || st.group != nil || st.tuple || st.focus != "" ||
			st.index != "" || st.keepArray || st.consarray || st.ancestor != nil {
			return
		}
		switch {
		case st.typ == ntName:
		case st.typ == ntVariable && i == 0 && len(n.steps) > 1:
		default:
			return
		}
	}
	n.simple = true
}

// isNumberIndex reports whether stages is a single number predicate.
func isNumberIndex(stages []stage) bool {
	if len(stages) != 1 || stages[0].isIndex {
		return false
	}
	e := stages[0].expr
	return e.typ == ntNumber && e.predicate == nil && e.stages == nil && e.group == nil
}

func (ev *evaluator) path(n *node, input any, env *frame) (any, error) {
	var inputSeq any
	if isArray(input) && n.steps[0].typ != ntVariable {
		inputSeq = input
	} else {
		inputSeq = seqOf(input)
	}
	var result any = Undefined{}
	isTuple := false
	var tuples *seq
	last := len(n.steps) - 1
	for i, step := range n.steps {
		if step.tuple {
			isTuple = true
		}
		var err error
		switch {
		case i == 0 && step.consarray:
			result, err = ev.eval(step, inputSeq, env)
		case isTuple:
			tuples, err = ev.tupleStep(step, inputSeq, tuples, env)
		default:
			result, err = ev.step(step, inputSeq, env, i == last)
		}
		if err != nil {
			return nil, err
		}
		if !isTuple {
			if isUndef(result) {
				break
			}
			if xs, ok := asArray(result); ok && len(xs) == 0 {
				break
			}
		}
		if step.focus == "" {
			inputSeq = result
		}
	}
	if isTuple {
		if n.tuple {
			if tuples == nil {
				result = Undefined{}
			} else {
				result = tuples
			}
		} else {
			rs := newSeq(0)
			if tuples != nil {
				rs.items = make([]any, 0, len(tuples.items))
				for _, t := range tuples.items {
					rs.items = append(rs.items, tupleAt(t))
				}
			}
			result = rs
		}
	}
	if n.keepSingletonArray {
		if s, ok := result.(*seq); ok && s.cons && !s.sequence {
			result = &seq{items: []any{s}, sequence: true}
		}
		if s, ok := result.(*seq); ok {
			s.keepSingleton = true
		}
	}
	if n.group != nil {
		var in any = result
		if isTuple {
			if tuples == nil {
				in = Undefined{}
			} else {
				in = tuples
			}
		}
		return ev.group(n.group, in, env)
	}
	return result, nil
}

func tupleAt(t any) any {
	if tp, ok := t.(tuple); ok {
		if v, ok := tp["@"]; ok {
			return v
		}
		return Undefined{}
	}
	return Undefined{}
}

func frameFromTuple(env *frame, t any) *frame {
	f := newFrame(env)
	if tp, ok := t.(tuple); ok {
		for k, v := range tp {
			f.bind(k, v)
		}
	}
	return f
}

func (ev *evaluator) step(st *node, input any, env *frame, lastStep bool) (any, error) {
	if st.typ == ntSort {
		r, err := ev.sortStep(st, input, env)
		if err != nil {
			return nil, err
		}
		if st.stages != nil {
			return ev.stages(st.stages, r, env)
		}
		return r, nil
	}
	items, _ := asArray(input)
	var resultBuf [8]any
	results := resultBuf[:0]
	for _, item := range items {
		res, err := ev.eval(st, item, env)
		if err != nil {
			return nil, err
		}
		for _, s := range st.stages {
			res, err = ev.filter(s.expr, res, env)
			if err != nil {
				return nil, err
			}
		}
		if !isUndef(res) {
			results = append(results, res)
		}
	}
	if lastStep && len(results) == 1 {
		if xs, ok := results[0].([]any); ok {
			return xs, nil
		}
		if s, ok := results[0].(*seq); ok && !s.sequence {
			return s, nil
		}
	}
	out := newSeq(len(results))
	for _, res := range results {
		switch x := res.(type) {
		case []any:
			out.items = append(out.items, x...)
		case *seq:
			if x.cons {
				out.items = append(out.items, x)
			} else {
				out.items = append(out.items, x.items...)
			}
		default:
			out.items = append(out.items, res)
		}
	}
	return out, nil
}

func (ev *evaluator) stages(stages []stage, input any, env *frame) (any, error) {
	result := input
	for _, s := range stages {
		if s.isIndex {
			if xs, ok := asArray(result); ok {
				for i, t := range xs {
					if tp, ok := t.(tuple); ok {
						tp[s.name] = float64(i)
					}
				}
			}
			continue
		}
		var err error
		result, err = ev.filter(s.expr, result, env)
		if err != nil {
			return nil, err
		}
	}
	return result, nil
}

func (ev *evaluator) tupleStep(st *node, input any, tuples *seq, env *frame) (*seq, error) {
	if st.typ == ntSort {
		var result any
		if tuples != nil {
			r, err := ev.sortStep(st, tuples, env)
			if err != nil {
				return nil, err
			}
			result = r
		} else {
			sorted, err := ev.sortStep(st, input, env)
			if err != nil {
				return nil, err
			}
			xs, _ := asArray(sorted)
			rs := &seq{sequence: true, tupleStream: true, items: make([]any, 0, len(xs))}
			for i, v := range xs {
				t := tuple{"@": v}
				if st.index != "" {
					t[st.index] = float64(i)
				}
				rs.items = append(rs.items, t)
			}
			result = rs
		}
		if st.stages != nil {
			r, err := ev.stages(st.stages, result, env)
			if err != nil {
				return nil, err
			}
			result = r
		}
		return toTupleSeq(result), nil
	}
	result := &seq{sequence: true, tupleStream: true}
	if tuples == nil {
		items, _ := asArray(input)
		tuples = &seq{sequence: true, tupleStream: true, items: make([]any, len(items))}
		for i, it := range items {
			tuples.items[i] = tuple{"@": it}
		}
	}
	for _, tb := range tuples.items {
		t0, _ := tb.(tuple)
		stepEnv := frameFromTuple(env, tb)
		res, err := ev.eval(st, tupleAt(tb), stepEnv)
		if err != nil {
			return nil, err
		}
		if isUndef(res) {
			continue
		}
		resItems, isArr := asArray(res)
		if !isArr {
			resItems = []any{res}
		}
		resSeq, _ := res.(*seq)
		for bb, r := range resItems {
			t := make(tuple, len(t0)+2)
			for k, v := range t0 {
				t[k] = v
			}
			if resSeq != nil && resSeq.tupleStream {
				if rt, ok := r.(tuple); ok {
					for k, v := range rt {
						t[k] = v
					}
				}
			} else {
				if st.focus != "" {
					t[st.focus] = r
					t["@"] = tupleAt(tb)
				} else {
					t["@"] = r
				}
				if st.index != "" {
					t[st.index] = float64(bb)
				}
				if st.ancestor != nil {
					t[st.ancestor.label] = tupleAt(tb)
				}
			}
			result.items = append(result.items, t)
		}
	}
	if st.stages != nil {
		r, err := ev.stages(st.stages, result, env)
		if err != nil {
			return nil, err
		}
		return toTupleSeq(r), nil
	}
	return result, nil
}

// toTupleSeq views an array of tuples as a tuple stream value.
func toTupleSeq(v any) *seq {
	switch x := v.(type) {
	case *seq:
		return x
	case []any:
		return &seq{items: x}
	}
	if isUndef(v) {
		return &seq{}
	}
	return &seq{items: []any{v}}
}

// filter applies a predicate (or a numeric index) to input.
func (ev *evaluator) filter(pred *node, input any, env *frame) (any, error) {
	inSeq, _ := input.(*seq)
	isTupleStream := inSeq != nil && inSeq.tupleStream
	items, ok := asArray(input)
	if !ok {
		items = []any{input}
	}
	capacity := min(len(items), 4)
	if pred.typ == ntNumber {
		capacity = 1
	}
	results := newSeq(capacity)
	if isTupleStream {
		results.tupleStream = true
	}
	if pred.typ == ntNumber {
		index := int(math.Floor(pred.num))
		if index < 0 {
			index += len(items)
		}
		if index >= 0 && index < len(items) {
			item := items[index]
			if !isUndef(item) {
				if isArray(item) {
					return item, nil
				}
				results.items = append(results.items, item)
			}
		}
		return results, nil
	}
	for index, item := range items {
		context, fenv := item, env
		if isTupleStream {
			context = tupleAt(item)
			fenv = frameFromTuple(env, item)
		}
		res, err := ev.eval(pred, context, fenv)
		if err != nil {
			return nil, err
		}
		if f, ok := res.(float64); ok && !math.IsNaN(f) {
			if math.IsInf(f, 0) {
				return nil, errv("D1001", f)
			}
			res = []any{f}
		}
		if nums, ok, err := arrayOfNumbers(res); err != nil {
			return nil, err
		} else if ok {
			for _, f := range nums {
				ii := int(math.Floor(f))
				if ii < 0 {
					ii += len(items)
				}
				if ii == index {
					results.items = append(results.items, item)
				}
			}
		} else if b, err := truthy(res); err != nil {
			return nil, err
		} else if b {
			results.items = append(results.items, item)
		}
	}
	return results, nil
}

// arrayOfNumbers is jsonata-js's isArrayOfNumbers.
func arrayOfNumbers(v any) ([]float64, bool, error) {
	xs, ok := asArray(v)
	if !ok {
		return nil, false, nil
	}
	nums := make([]float64, 0, len(xs))
	for _, x := range xs {
		f, ok, err := numeric(x)
		if err != nil {
			return nil, false, err
		}
		if !ok {
			return nil, false, nil
		}
		nums = append(nums, f)
	}
	return nums, true, nil
}

type groupEntry struct {
	data      any
	exprIndex int
}

// group is jsonata-js's evaluateGroupExpression: object constructors and
// group-by on paths.
// objectKey evaluates the key expression k of g's pairs against input: it
// reports false when the key is undefined (the pair is skipped) and fails
// with T1003 when it is not a string.
func (ev *evaluator) objectKey(g *groupSpec, k *node, input any, env *frame) (string, bool, error) {
	v, err := ev.eval(k, input, env)
	if err != nil || isUndef(v) {
		return "", false, err
	}
	key, ok := v.(string)
	if !ok {
		return "", false, newError("T1003", g.pos, "").val(v)
	}
	return key, true, nil
}

func (ev *evaluator) group(g *groupSpec, input any, env *frame) (any, error) {
	result := value.NewObject(len(g.pairs))
	inSeq, _ := input.(*seq)
	reduce := inSeq != nil && inSeq.tupleStream
	items, ok := asArray(input)
	if !ok {
		items = []any{input}
	}
	if len(items) == 0 {
		items = []any{Undefined{}}
	}
	if len(items) == 1 && !reduce && len(g.pairs) <= 16 {
		return ev.constructObject(g, items[0], env, result, false)
	}
	var keys []string
	groups := make(map[string]*groupEntry, len(g.pairs))
	for _, item := range items {
		ienv := env
		context := item
		if reduce {
			ienv = frameFromTuple(env, item)
			context = tupleAt(item)
		}
		for pi, pair := range g.pairs {
			key, ok, err := ev.objectKey(g, pair[0], context, ienv)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			if e, ok := groups[key]; ok {
				if e.exprIndex != pi {
					return nil, newError("D1009", g.pos, "").val(key)
				}
				if xs, ok := asArray(e.data); ok {
					if err := ev.charge(int64(len(xs))); err != nil {
						return nil, err
					}
				}
				e.data = appendValues(e.data, item)
			} else {
				groups[key] = &groupEntry{data: item, exprIndex: pi}
				keys = append(keys, key)
			}
		}
	}
	pending := concurrentError{t0: ev.vclock, end: ev.vclock}
	for _, key := range keys {
		e := groups[key]
		context := e.data
		genv := env
		if reduce {
			t := reduceTupleStream(e.data)
			context = t["@"]
			if context == nil {
				if _, ok := t["@"]; !ok {
					context = Undefined{}
				}
			}
			delete(t, "@")
			genv = newFrame(env)
			for k, v := range t {
				genv.bind(k, v)
			}
		}
		ev.vclock = pending.t0
		v, err := ev.eval(g.pairs[e.exprIndex][1], context, genv)
		if err != nil {
			if pending.add(err, ev.vclock-pending.t0) {
				return nil, err
			}
			continue
		}
		pending.done(ev)
		if !isUndef(v) {
			result.Set(key, v)
		}
	}
	if err := pending.finish(ev); err != nil {
		return nil, err
	}
	return result, nil
}

// constructObject is group for a single input item (the common object
// constructor): the same evaluation order, without the grouping maps. It
// adds the members to result; with set, members of result of the same
// names are replaced (see mergeArray), otherwise result must not have any.
func (ev *evaluator) constructObject(g *groupSpec, item any, env *frame, result *value.Object, set bool) (any, error) {
	keys, idx := g.keys, []int(nil) // idx maps keys to pairs, when some are left out
	if keys != nil {
		if err := ev.literalKeys(g); err != nil {
			return nil, err
		}
	} else {
		var keyBuf [16]string
		var idxBuf [16]int
		keys, idx = keyBuf[:0], idxBuf[:0]
		for pi, pair := range g.pairs {
			key, ok, err := ev.objectKey(g, pair[0], item, env)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			for _, prev := range keys {
				if prev == key {
					return nil, newError("D1009", g.pos, "").val(key)
				}
			}
			keys = append(keys, key)
			idx = append(idx, pi)
		}
	}
	pending := concurrentError{t0: ev.vclock, end: ev.vclock}
	for i, key := range keys {
		pi := i
		if idx != nil {
			pi = idx[i]
		}
		ev.vclock = pending.t0
		v, err := ev.eval(g.pairs[pi][1], item, env)
		if err != nil {
			if pending.add(err, ev.vclock-pending.t0) {
				return nil, err
			}
			continue
		}
		pending.done(ev)
		switch {
		case isUndef(v):
		case set:
			result.Set(key, v)
		default:
			result.Append(key, v) // the keys are distinct
		}
	}
	if err := pending.finish(ev); err != nil {
		return nil, err
	}
	return result, nil
}

// literalKeys does for the literal keys of g (see groupSpec.keys) what
// evaluating them would do: it counts their steps and enforces the limits.
func (ev *evaluator) literalKeys(g *groupSpec) error {
	// At once, when no key would fail or reach a check.
	if n := int64(len(g.pairs)); ev.depth+1 <= ev.maxDepth && ev.steps >= 0 && ev.steps+n <= ev.maxSteps &&
		ev.steps%ctxCheckInterval+n < ctxCheckInterval {
		ev.steps += n
		ev.vclock += n
		return nil
	}
	for _, p := range g.pairs {
		if ev.depth+1 > ev.maxDepth {
			return newError("U1001", p[0].pos, "")
		}
		ev.steps++
		ev.vclock++
		if ev.steps%ctxCheckInterval == 0 || ev.steps > ev.maxSteps {
			if err := ev.charge(0); err != nil {
				return err
			}
		}
	}
	return nil
}

func reduceTupleStream(data any) tuple {
	xs, ok := asArray(data)
	if !ok {
		t, _ := data.(tuple)
		c := make(tuple, len(t))
		for k, v := range t {
			c[k] = v
		}
		return c
	}
	result := tuple{}
	if len(xs) == 0 {
		return result
	}
	if t0, ok := xs[0].(tuple); ok {
		for k, v := range t0 {
			result[k] = v
		}
	}
	for _, x := range xs[1:] {
		t, _ := x.(tuple)
		for k, v := range t {
			prev, ok := result[k]
			if !ok {
				prev = Undefined{}
			}
			result[k] = appendValues(prev, v)
		}
	}
	return result
}

// sortStep is jsonata-js's evaluateSortExpression (order-by).
func (ev *evaluator) sortStep(st *node, input any, env *frame) (any, error) {
	inSeq, _ := input.(*seq)
	isTupleSort := inSeq != nil && inSeq.tupleStream
	comparator := func(a, b any) (bool, error) {
		comp := 0
		for _, term := range st.terms {
			if comp != 0 {
				break
			}
			ctxA, envA := a, env
			if isTupleSort {
				ctxA, envA = tupleAt(a), frameFromTuple(env, a)
			}
			aa, err := ev.eval(term.expr, ctxA, envA)
			if err != nil {
				return false, err
			}
			ctxB, envB := b, env
			if isTupleSort {
				ctxB, envB = tupleAt(b), frameFromTuple(env, b)
			}
			bb, err := ev.eval(term.expr, ctxB, envB)
			if err != nil {
				return false, err
			}
			at, bt := typeOf(aa), typeOf(bb)
			if at == "undefined" {
				if bt == "undefined" {
					comp = 0
				} else {
					comp = 1
				}
				continue
			}
			if bt == "undefined" {
				comp = -1
				continue
			}
			if !(at == "string" || at == "number") || !(bt == "string" || bt == "number") {
				bad := bb
				if !(at == "string" || at == "number") {
					bad = aa
				}
				return false, newError("T2008", st.pos, "").val(bad)
			}
			if at != bt {
				return false, newError("T2007", st.pos, "").val(aa).with("value2", bb)
			}
			if at == "string" {
				comp = compareStrings(aa.(string), bb.(string))
			} else {
				x, y := aa.(float64), bb.(float64)
				switch {
				case x == y:
					comp = 0
				case x < y:
					comp = -1
				default:
					comp = 1
				}
			}
			if comp == 0 {
				continue
			}
			if term.descending {
				comp = -comp
			}
		}
		return comp == 1, nil
	}
	return mergeSort(input, comparator)
}

// mergeSort is jsonata-js's fn.sort with a comparator that reports whether
// a and b must swap. Arrays of fewer than two items are returned as they
// are; otherwise the result is a new plain array.
func mergeSort(input any, swap func(a, b any) (bool, error)) (any, error) {
	xs, ok := asArray(input)
	if !ok || len(xs) <= 1 {
		return input, nil
	}
	var msort func([]any) ([]any, error)
	msort = func(a []any) ([]any, error) {
		if len(a) <= 1 {
			return a, nil
		}
		mid := len(a) / 2
		l, err := msort(a[:mid])
		if err != nil {
			return nil, err
		}
		r, err := msort(a[mid:])
		if err != nil {
			return nil, err
		}
		out := make([]any, 0, len(a))
		i, j := 0, 0
		for i < len(l) && j < len(r) {
			s, err := swap(l[i], r[j])
			if err != nil {
				return nil, err
			}
			if s {
				out = append(out, r[j])
				j++
			} else {
				out = append(out, l[i])
				i++
			}
		}
		out = append(out, l[i:]...)
		out = append(out, r[j:]...)
		return out, nil
	}
	return msort(xs)
}
