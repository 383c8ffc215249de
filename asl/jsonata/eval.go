package jsonata

import (
	"math"
	"strings"

	"github.com/stepwise-run/stepwise/value"
)

// enter does what eval does on entering the node at pos: it counts the
// depth, failing with U1001 past the limit, and the step, and now and then
// checks the context and the step budget (charge). On error the depth is
// as it was. (eval has its own copy: the call would cost 3% of a JSONata
// state's time, and enter is too large to be inlined.)
func (ev *evaluator) enter(pos int) error {
	ev.depth++
	if ev.depth > ev.maxDepth {
		ev.depth--
		return newError("U1001", pos, "")
	}
	ev.steps++
	ev.vclock++
	if ev.steps%ctxCheckInterval == 0 || ev.steps > ev.maxSteps {
		if err := ev.charge(0); err != nil {
			ev.depth--
			return err
		}
	}
	return nil
}

// eval is jsonata-js's evaluate: it evaluates n against input in env,
// applies step predicates and grouping of non-path nodes, and unwraps
// singleton sequences.
func (ev *evaluator) eval(n *node, input any, env *frame) (any, error) {
	// enter, by hand.
	ev.depth++
	if ev.depth > ev.maxDepth {
		ev.depth--
		return nil, newError("U1001", n.pos, "")
	}
	ev.steps++
	ev.vclock++
	if ev.steps%ctxCheckInterval == 0 || ev.steps > ev.maxSteps {
		if err := ev.charge(0); err != nil {
			ev.depth--
			return nil, err
		}
	}
	result, err := ev.evalNode(n, input, env)
	if err == nil && n.predicate != nil {
		for _, p := range n.predicate {
			result, err = ev.filter(p.expr, result, env)
			if err != nil {
				break
			}
		}
	}
	if err == nil && n.group != nil && n.typ != ntPath {
		result, err = ev.group(n.group, result, env)
	}
	ev.depth--
	if err != nil {
		return nil, err
	}
	if s, ok := result.(*seq); ok && s.sequence && !s.tupleStream {
		if n.keepArray {
			s.keepSingleton = true
		}
		switch len(s.items) {
		case 0:
			return Undefined{}, nil
		case 1:
			if !s.keepSingleton {
				return s.items[0], nil
			}
		}
	}
	return result, nil
}

func (ev *evaluator) evalNode(n *node, input any, env *frame) (any, error) {
	switch n.typ {
	case ntPath:
		if n.simple {
			if v, ok := ev.simplePath(n, input, env); ok {
				return v, nil
			}
		}
		return ev.path(n, input, env)
	case ntBinary:
		return ev.binary(n, input, env)
	case ntUnary:
		return ev.unary(n, input, env)
	case ntName:
		return lookupField(input, n.op), nil
	case ntString, ntNumber, ntValue:
		return n.val, nil
	case ntWildcard:
		r := wildcard(input)
		return r, ev.charge(int64(len(r.(*seq).items)))
	case ntDescendant:
		r := descendants(input)
		if s, ok := r.(*seq); ok {
			return r, ev.charge(int64(len(s.items)))
		}
		return r, nil
	case ntParent:
		v, ok := env.lookup(n.slot.label)
		if !ok {
			return Undefined{}, nil
		}
		return v, nil
	case ntCondition:
		c, err := ev.eval(n.condition, input, env)
		if err != nil {
			return nil, err
		}
		b, err := truthy(c)
		if err != nil {
			return nil, err
		}
		if b {
			return ev.eval(n.then, input, env)
		}
		if n.els != nil {
			return ev.eval(n.els, input, env)
		}
		return Undefined{}, nil
	case ntBlock:
		f := ev.newFrame(env)
		var result any = Undefined{}
		for _, e := range n.exprs {
			var err error
			result, err = ev.eval(e, input, f)
			if err != nil {
				return nil, err
			}
		}
		return result, nil
	case ntBind:
		v, err := ev.eval(n.rhs, input, env)
		if err != nil {
			return nil, err
		}
		env.bind(n.lhs.op, v)
		ev.paths.forgetVariable()
		return v, nil
	case ntRegex:
		return n.regex, nil
	case ntFunction:
		return ev.function(n, input, env, nil)
	case ntVariable:
		if n.op == "" {
			if s, ok := input.(*seq); ok && s.outerWrapper {
				if len(s.items) == 0 {
					return Undefined{}, nil
				}
				return s.items[0], nil
			}
			return input, nil
		}
		v, _ := ev.lookupVariable(n, env)
		return v, nil
	case ntLambda:
		ev.captured = true
		return &lambda{params: n.params, sig: n.sig, body: n.body, input: input, env: env, thunk: n.thunk, pos: n.pos}, nil
	case ntPartial:
		return ev.partial(n, input, env)
	case ntApply:
		return ev.applyExpr(n, input, env)
	case ntTransform:
		ev.captured = true
		return &lambda{transform: n, env: env, input: input, sig: transformSig}, nil
	case ntOperator:
		return Undefined{}, nil
	}
	return Undefined{}, nil
}

// lookupField is jsonata-js's fn.lookup.
func lookupField(input any, key string) any {
	switch x := input.(type) {
	case *value.Object:
		if v, ok := x.Get(key); ok {
			return v
		}
		return Undefined{}
	case []any:
		return lookupArray(x, key)
	case *seq:
		return lookupArray(x.items, key)
	case tuple:
		if v, ok := x[key]; ok {
			return v
		}
	}
	return Undefined{}
}

func lookupArray(items []any, key string) any {
	result := newSeq(len(items))
	for _, item := range items {
		r := lookupField(item, key)
		if isUndef(r) {
			continue
		}
		if rs, ok := asArray(r); ok {
			result.items = append(result.items, rs...)
		} else {
			result.items = append(result.items, r)
		}
	}
	return result
}

func wildcard(input any) any {
	results := newSeq(0)
	if s, ok := input.(*seq); ok && s.outerWrapper && len(s.items) > 0 {
		input = s.items[0]
	}
	add := func(v any) {
		if xs, ok := asArray(v); ok {
			results.items = flattenInto(results.items, xs)
		} else {
			results.items = append(results.items, v)
		}
	}
	switch x := input.(type) {
	case *value.Object:
		for _, v := range x.All() {
			add(v)
		}
	case []any, *seq:
		// Object.keys of an array lists its indexes.
		xs, _ := asArray(x)
		for _, v := range xs {
			add(v)
		}
	}
	return results
}

func flattenInto(dst []any, xs []any) []any {
	for _, x := range xs {
		if ys, ok := asArray(x); ok {
			dst = flattenInto(dst, ys)
		} else {
			dst = append(dst, x)
		}
	}
	return dst
}

func descendants(input any) any {
	if isUndef(input) {
		return Undefined{}
	}
	rs := newSeq(0)
	recurseDescendants(input, rs)
	if len(rs.items) == 1 {
		return rs.items[0]
	}
	return rs
}

func recurseDescendants(input any, rs *seq) {
	if xs, ok := asArray(input); ok {
		for _, m := range xs {
			recurseDescendants(m, rs)
		}
		return
	}
	rs.items = append(rs.items, input)
	if o, ok := input.(*value.Object); ok {
		for _, v := range o.All() {
			recurseDescendants(v, rs)
		}
	}
}

func (ev *evaluator) binary(n *node, input any, env *frame) (any, error) {
	if n.op == "&" {
		return ev.concat(n, input, env)
	}
	lhs, err := ev.eval(n.lhs, input, env)
	if err != nil {
		return nil, err
	}
	op := n.op
	if op == "and" || op == "or" {
		l, err := truthy(lhs)
		if err != nil {
			return nil, opError(err, n)
		}
		if op == "and" && !l {
			return false, nil
		}
		if op == "or" && l {
			return true, nil
		}
		rhs, err := ev.eval(n.rhs, input, env)
		if err != nil {
			return nil, opError(err, n) // jsonata-js relabels errors of the right side
		}
		r, err := truthy(rhs)
		if err != nil {
			return nil, opError(err, n)
		}
		return r, nil
	}
	rhs, err := ev.eval(n.rhs, input, env)
	if err != nil {
		return nil, err
	}
	var result any
	switch op {
	case "+", "-", "*", "/", "%":
		result, err = numericOp(lhs, rhs, op)
	case "=":
		if isUndef(lhs) || isUndef(rhs) {
			return false, nil
		}
		return deepEqual(lhs, rhs), nil
	case "!=":
		if isUndef(lhs) || isUndef(rhs) {
			return false, nil
		}
		return !deepEqual(lhs, rhs), nil
	case "<", "<=", ">", ">=":
		result, err = compareOp(lhs, rhs, op)
	case "..":
		result, err = ev.rangeOp(lhs, rhs)
	case "in":
		if isUndef(lhs) || isUndef(rhs) {
			return false, nil
		}
		items, ok := asArray(rhs)
		if !ok {
			return strictEqual(rhs, lhs), nil
		}
		for _, it := range items {
			if strictEqual(it, lhs) {
				return true, nil
			}
		}
		return false, nil
	}
	if err != nil {
		return nil, opError(err, n)
	}
	return result, nil
}

// opError gives an operator's error the operator's position and token.
func opError(err error, n *node) error {
	if e, ok := err.(*Error); ok {
		e.Position = n.pos
		e.Token = n.op
		e.hasToken = true
	}
	return err
}

func numericOp(lhs, rhs any, op string) (any, error) {
	l, lok, err := numeric(lhs)
	if err != nil {
		return nil, err
	}
	if !isUndef(lhs) && !lok {
		return nil, errv("T2001", lhs)
	}
	r, rok, err := numeric(rhs)
	if err != nil {
		return nil, err
	}
	if !isUndef(rhs) && !rok {
		return nil, errv("T2002", rhs)
	}
	if !lok || !rok {
		return Undefined{}, nil
	}
	switch op {
	case "+":
		return l + r, nil
	case "-":
		return l - r, nil
	case "*":
		return l * r, nil
	case "/":
		return l / r, nil
	default:
		return math.Mod(l, r), nil
	}
}

func compareOp(lhs, rhs any, op string) (any, error) {
	lt, rt := typeOf(lhs), typeOf(rhs)
	lc := lt == "undefined" || lt == "string" || lt == "number"
	rc := rt == "undefined" || rt == "string" || rt == "number"
	if !lc || !rc {
		bad := rhs
		if !(lt == "string" || lt == "number") {
			bad = lhs
		}
		return nil, errv("T2010", bad)
	}
	if lt == "undefined" || rt == "undefined" {
		return Undefined{}, nil
	}
	if lt != rt {
		return nil, errv("T2009", lhs).with("value2", rhs)
	}
	var c int
	if lt == "string" {
		c = compareStrings(lhs.(string), rhs.(string))
	} else {
		a, b := lhs.(float64), rhs.(float64)
		switch {
		case a < b:
			c = -1
		case a > b:
			c = 1
		case a == b:
			c = 0
		default: // NaN
			return false, nil
		}
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	default:
		return c >= 0, nil
	}
}

// compareStrings compares by UTF-16 code units, as JavaScript does.
func compareStrings(a, b string) int {
	if isASCII(a) && isASCII(b) {
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	}
	ua, ub := utf16Units(a), utf16Units(b)
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			if ua[i] < ub[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(ua) < len(ub):
		return -1
	case len(ua) > len(ub):
		return 1
	}
	return 0
}

func (ev *evaluator) rangeOp(lhs, rhs any) (any, error) {
	if !isUndef(lhs) && !value.IsInteger(lhs) {
		return nil, errv("T2003", lhs)
	}
	if !isUndef(rhs) && !value.IsInteger(rhs) {
		return nil, errv("T2004", rhs)
	}
	if isUndef(lhs) || isUndef(rhs) {
		return Undefined{}, nil
	}
	l, r := lhs.(float64), rhs.(float64)
	if l > r {
		return Undefined{}, nil
	}
	size := r - l + 1
	if size > 1e7 {
		return nil, errv("D2014", size)
	}
	if err := ev.charge(int64(size)); err != nil {
		return nil, err
	}
	items := make([]any, int(size))
	for i := range items {
		items[i] = l + float64(i)
	}
	return &seq{items: items, sequence: true}, nil
}

func (ev *evaluator) unary(n *node, input any, env *frame) (any, error) {
	switch n.op {
	case "-":
		v, err := ev.eval(n.expr, input, env)
		if err != nil {
			return nil, err
		}
		if isUndef(v) {
			return Undefined{}, nil
		}
		f, ok, err := numeric(v)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, newError("D1002", n.pos, "-").val(v)
		}
		return -f, nil
	case "[":
		// Items are appended as jsonata-js's fn.append does, into one
		// slice: arrays are spliced in, except those built by a nested
		// array constructor.
		result, err := ev.arrayItems(n, input, env, make([]any, 0, len(n.exprs)))
		if err != nil {
			return nil, err
		}
		if n.consarray {
			return &seq{items: result, cons: true}, nil
		}
		return result, nil
	case "{":
		return ev.group(n.ctor, input, env)
	}
	return Undefined{}, nil
}

// arrayItems appends to result the items of the array constructor n.
func (ev *evaluator) arrayItems(n *node, input any, env *frame, result []any) ([]any, error) {
	pending := concurrentError{t0: ev.vclock, end: ev.vclock}
	for _, item := range n.exprs {
		ev.vclock = pending.t0
		v, err := ev.eval(item, input, env)
		if err != nil {
			if pending.add(err, ev.vclock-pending.t0) {
				return nil, err
			}
			continue
		}
		pending.done(ev)
		if isUndef(v) || pending.err != nil {
			continue
		}
		if ys, ok := asArray(v); ok && !(item.typ == ntUnary && item.op == "[") {
			result = append(result, ys...)
		} else {
			result = append(result, v)
		}
	}
	if err := pending.finish(ev); err != nil {
		return nil, err
	}
	return result, nil
}

// concurrentError picks the error jsonata-js reports when several items of
// an array constructor (or values of an object constructor) fail: it
// evaluates them concurrently with Promise.all, so the error that needs the
// fewest asynchronous steps wins. The number of evaluation steps stands in
// for the number of asynchronous steps.
//
// Evaluation keeps a virtual clock (one tick per evaluation step) for this:
// concurrent items all start at the same time t0, the construct fails at
// the time of its earliest error, and otherwise ends with its slowest item.
type concurrentError struct {
	t0, end int64
	err     error
	cost    int64
}

// done records that an item ended successfully at the current time.
func (c *concurrentError) done(ev *evaluator) {
	c.end = max(c.end, ev.vclock)
}

// finish sets the clock to when the construct completes or fails and
// returns the error it fails with, if any.
func (c *concurrentError) finish(ev *evaluator) error {
	if c.err != nil {
		ev.vclock = c.t0 + c.cost
		return c.err
	}
	ev.vclock = max(c.end, ev.vclock)
	return nil
}

// add records err, which took cost steps; it reports whether evaluation
// must stop at once (budget, depth and cancellation errors).
func (c *concurrentError) add(err error, cost int64) bool {
	if e, ok := err.(*Error); !ok || strings.HasPrefix(e.Code, "U") {
		return true
	}
	if c.err == nil || cost < c.cost {
		c.err, c.cost = err, cost
	}
	return false
}
