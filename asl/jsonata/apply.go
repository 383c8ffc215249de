package jsonata

import (
	"context"
	"sync"

	"github.com/stepwise-run/stepwise/value"
)

// lambda is a function value defined in an expression (function($x){…}),
// a partial application, a transform (|…|…|), or a thunk for a tail call.
type lambda struct {
	params []string
	sig    *signature
	body   *node
	input  any
	env    *frame
	thunk  bool
	pos    int

	native    *Function // partial application of a native function
	transform *node     // transform expression
}

// Function is a function implemented in Go, callable from expressions.
//
// Signature uses JSONata's syntax ("<s-n?:s>": a string, defaulting to
// the context value, an optional number, returning a string); it is
// checked before Impl runs, with jsonata-js's errors (T0410, T0411,
// T0412), and parameters typed 'a' receive non-array arguments wrapped in
// an array. An empty Signature accepts any arguments.
//
// Impl receives the arguments in the value model (nil, bool, float64,
// string, []any, *value.Object); an argument that was not supplied or that
// evaluated to nothing is Undefined{}. It returns defined=false to produce
// no value. An error of type *Error is passed through; any other error
// becomes U1005 with its text.
type Function struct {
	Signature string
	Impl      func(ctx context.Context, args []any) (result any, defined bool, err error)

	name   string
	sig    *signature
	arity  int
	native func(c call, args []any) (any, error)
	rand   RandomSource // for native functions that need randomness

	once    sync.Once
	sigErr  error
	checked bool // sig and arity are set (built-ins and NewFunction)
}

// NewFunction checks signature and returns a Function for impl.
func NewFunction(signature string, impl func(ctx context.Context, args []any) (any, bool, error)) (*Function, error) {
	f := &Function{Signature: signature, Impl: impl}
	if err := f.prepare(); err != nil {
		return nil, err
	}
	f.checked = true
	return f, nil
}

// prepare parses the signature of a Function built as a struct literal,
// once, safely for concurrent evaluations sharing it.
func (f *Function) prepare() error {
	if f.checked {
		return nil
	}
	f.once.Do(func() {
		if f.Signature == "" {
			return
		}
		s, err := parseSignature(f.Signature)
		if err != nil {
			f.sigErr = err.finish()
			return
		}
		f.sig = s
		f.arity = len(s.params)
	})
	return f.sigErr
}

// call is the context a native function runs in: jsonata-js's `this`.
// It is passed by value, so that calling a native function allocates
// nothing.
type call struct {
	ev    *evaluator
	input any
	env   *frame
	fn    *Function // the function called
}

// apply invokes a function value on behalf of a native function.
func (c call) apply(fn any, args []any) (any, error) {
	return c.ev.apply(fn, args, nil, c.env, "", -1)
}

func (ev *evaluator) function(n *node, input any, env *frame, applyTo []any) (any, error) {
	proc, err := ev.eval(n.procedure, input, env)
	if err != nil {
		return nil, err
	}
	if isUndef(proc) && n.procedure.typ == ntPath {
		if v, ok := ev.lookupVar(n.procedure.steps[0].op, env); ok && !isUndef(v) {
			if jsTruthy(v) {
				return nil, newError("T1005", n.pos, n.procedure.steps[0].op)
			}
		}
	}
	if proc == any(stringFunction) && len(n.args) == 1 && applyTo == nil {
		// $string(x), the common call: its signature (<x-b?:s>) takes any
		// one argument as it is, so the result is stringOf the argument,
		// without an argument list or the machinery of the call.
		v, err := ev.eval(n.args[0], input, env)
		if err != nil {
			return nil, err
		}
		r, err := stringOf(v, false)
		if e, ok := err.(*Error); ok {
			// What applyInner and the end of function do.
			e.Position = n.pos
			if !e.hasToken {
				e.Token, e.hasToken = procToken(n.procedure), true
			}
		}
		return r, err
	}
	var args []any
	if a := n.args; proc == any(mergeFunction) && len(a) == 1 && applyTo == nil &&
		a[0].typ == ntUnary && a[0].op == "[" && a[0].predicate == nil && a[0].group == nil && !a[0].consarray {
		merged, v, err := ev.mergeArray(a[0], input, env)
		if err != nil {
			return nil, err
		}
		if merged != nil {
			return merged, nil
		}
		args = append(ev.newArgs(1), v)
	} else {
		args = ev.newArgs(len(n.args) + len(applyTo))
		args = append(args, applyTo...)
		for _, a := range n.args {
			v, err := ev.eval(a, input, env)
			if err != nil {
				return nil, err
			}
			args = append(args, v)
		}
	}
	procName := procToken(n.procedure)
	result, err := ev.apply(proc, args, input, env, procName, n.pos)
	if err != nil {
		if e, ok := err.(*Error); ok {
			if e.Position < 0 {
				e.Position = n.pos
			}
			if !e.hasToken && procName != "" {
				e.Token, e.hasToken = procName, true
			}
		}
		return nil, err
	}
	return result, nil
}

// mergeFunction and stringFunction are the built-ins $merge and $string
// (set by init).
var mergeFunction, stringFunction *Function

// mergeArray evaluates the array constructor a, the only argument of a
// call of the built-in $merge, as eval would. When its items are all
// objects, it returns their merge, as calling $merge would, without
// making the array; otherwise it returns the array, for the call.
func (ev *evaluator) mergeArray(a *node, input any, env *frame) (*value.Object, any, error) {
	if err := ev.enter(a.pos); err != nil { // as eval would
		return nil, nil, err
	}
	// What arrayItems does, into an array on the stack (passing it to
	// arrayItems, which eval calls, would move it to the heap).
	var buf [4]any
	items := buf[:0]
	pending := concurrentError{t0: ev.vclock, end: ev.vclock}
	for i, item := range a.exprs {
		ev.vclock = pending.t0
		if i == len(a.exprs)-1 && pending.err == nil && mergeableCtor(item, input) && allObjects(items) {
			// $merge([..., {...}]): the constructor's members go
			// straight into the merged copy, which saves making the
			// object, as merging it would set them in the same order.
			merged, err := ev.constructInto(item, input, env, items)
			if err != nil {
				if pending.add(err, ev.vclock-pending.t0) {
					ev.depth--
					return nil, nil, err
				}
			} else {
				pending.done(ev)
			}
			err = pending.finish(ev)
			ev.depth--
			if err != nil {
				return nil, nil, err
			}
			return merged, nil, nil
		}
		v, err := ev.eval(item, input, env)
		if err != nil {
			if pending.add(err, ev.vclock-pending.t0) {
				ev.depth--
				return nil, nil, err
			}
			continue
		}
		pending.done(ev)
		if isUndef(v) || pending.err != nil {
			continue
		}
		if ys, ok := asArray(v); ok && !(item.typ == ntUnary && item.op == "[") {
			items = append(items, ys...)
		} else {
			items = append(items, v)
		}
	}
	err := pending.finish(ev)
	ev.depth--
	if err != nil {
		return nil, nil, err
	}
	for _, it := range items {
		if _, ok := it.(*value.Object); !ok {
			return nil, append(make([]any, 0, max(len(a.exprs), len(items))), items...), nil
		}
	}
	return mergeObjects(items), nil, nil
}

// mergeableCtor reports whether item is an object constructor with
// literal keys that eval would evaluate, on input, as constructObject
// (and nothing more): see group.
func mergeableCtor(item *node, input any) bool {
	if item.typ != ntUnary || item.op != "{" || item.predicate != nil || item.group != nil ||
		item.ctor.keys == nil || len(item.ctor.pairs) > 16 {
		return false
	}
	switch x := input.(type) {
	case []any:
		return len(x) <= 1
	case *seq:
		return len(x.items) <= 1 && !x.tupleStream
	}
	return true
}

// allObjects reports whether items are all objects.
func allObjects(items []any) bool {
	for _, it := range items {
		if _, ok := it.(*value.Object); !ok {
			return false
		}
	}
	return true
}

// constructInto evaluates the constructor ctor (see mergeableCtor) as eval
// would, into the merge of objects (see mergeObjects), and returns the
// merge.
func (ev *evaluator) constructInto(ctor *node, input any, env *frame, objects []any) (*value.Object, error) {
	if err := ev.enter(ctor.pos); err != nil { // as eval would
		return nil, err
	}
	// What group does to choose the item.
	item := input
	if xs, ok := asArray(input); ok {
		item = Undefined{}
		if len(xs) == 1 {
			item = xs[0]
		}
	}
	var result *value.Object
	if len(objects) == 0 {
		result = value.NewObject(len(ctor.ctor.pairs))
	} else {
		result = mergeObjects(objects)
	}
	_, err := ev.constructObject(ctor.ctor, item, env, result, true)
	ev.depth--
	return result, err
}

// procToken is the token jsonata-js reports for a call's procedure: its
// name, or the value of a literal.
func procToken(p *node) string {
	switch p.typ {
	case ntPath:
		return p.steps[0].op
	case ntVariable, ntName:
		return p.op
	case ntString, ntNumber, ntValue:
		return tokenText(p)
	}
	return ""
}

// apply invokes proc and runs the trampoline for tail calls.
func (ev *evaluator) apply(proc any, args []any, input any, env *frame, tok string, pos int) (any, error) {
	result, err := ev.applyInner(proc, args, input, env, tok, pos)
	for err == nil {
		l, ok := result.(*lambda)
		if !ok || !l.thunk {
			break
		}
		body := l.body
		next, err2 := ev.eval(body.procedure, l.input, l.env)
		if err2 != nil {
			return nil, err2
		}
		ntok := ""
		if body.procedure.typ == ntVariable {
			ntok = body.procedure.op
		} else if body.procedure.typ == ntPath {
			ntok = body.procedure.steps[0].op
		}
		nargs := make([]any, 0, len(body.args))
		for _, a := range body.args {
			v, err2 := ev.eval(a, l.input, l.env)
			if err2 != nil {
				return nil, err2
			}
			nargs = append(nargs, v)
		}
		if err2 := ev.charge(1); err2 != nil {
			return nil, err2
		}
		result, err = ev.applyInner(next, nargs, input, env, ntok, body.procedure.pos)
	}
	return result, err
}

func (ev *evaluator) applyInner(proc any, args []any, input any, env *frame, tok string, pos int) (any, error) {
	result, err := ev.applyInner2(proc, args, input, env)
	if err != nil {
		if e, ok := err.(*Error); ok && isFunction(proc) {
			if !e.hasToken && tok != "" {
				e.Token, e.hasToken = tok, true
			}
			if pos >= 0 {
				e.Position = pos
			}
		}
		return nil, err
	}
	return result, nil
}

func (ev *evaluator) applyInner2(proc any, args []any, input any, env *frame) (any, error) {
	switch p := proc.(type) {
	case *lambda:
		if p.sig != nil {
			var err error
			if args, err = p.sig.validate(ev, args, input); err != nil {
				return nil, err
			}
		}
		return ev.applyProcedure(p, args)
	case *Function:
		if p.sig != nil {
			var err error
			if args, err = p.sig.validate(ev, args, input); err != nil {
				return nil, err
			}
		}
		return ev.callNative(p, args, input, env)
	case *regexLit:
		var str string
		if len(args) > 0 {
			s, ok := args[0].(string)
			if !ok {
				return Undefined{}, nil
			}
			str = s
		}
		return p.matchObject(str, 0)
	}
	return nil, newError("T1006", -1, "")
}

func (ev *evaluator) callNative(f *Function, args []any, input any, env *frame) (any, error) {
	if f.native != nil {
		return f.native(call{ev: ev, input: input, env: env, fn: f}, args)
	}
	if f.Impl == nil {
		return nil, newError("T1006", -1, "")
	}
	plain := make([]any, len(args))
	for i, a := range args {
		if isFunction(a) {
			plain[i] = a
			continue
		}
		plain[i] = output(a)
	}
	r, defined, err := f.Impl(ev.ctx, plain)
	if err != nil {
		if e, ok := err.(*Error); ok {
			return nil, e
		}
		return nil, newError("U1005", -1, "").with("functionName", f.name).with("message", err.Error())
	}
	if !defined {
		return Undefined{}, nil
	}
	return r, nil
}

func (ev *evaluator) applyProcedure(p *lambda, args []any) (any, error) {
	if p.transform != nil {
		var obj any = Undefined{}
		if len(args) > 0 {
			obj = args[0]
		}
		return ev.transform(p, obj)
	}
	env := ev.newFrame(p.env)
	for i, name := range p.params {
		var v any = Undefined{}
		if i < len(args) {
			v = args[i]
		}
		env.bind(name, v)
	}
	if p.native != nil {
		nargs := make([]any, p.native.arity)
		for i := range nargs {
			v, ok := env.lookup(nativeParam(i))
			if !ok {
				v = Undefined{}
			}
			nargs[i] = v
		}
		for len(nargs) > 0 && isUndef(nargs[len(nargs)-1]) {
			nargs = nargs[:len(nargs)-1]
		}
		return ev.applyInner2(p.native, nargs, nil, env)
	}
	return ev.eval(p.body, p.input, env)
}

func (ev *evaluator) partial(n *node, input any, env *frame) (any, error) {
	args := make([]any, len(n.args))
	for i, a := range n.args {
		if a.typ == ntOperator && a.op == "?" {
			args[i] = placeholder{}
			continue
		}
		v, err := ev.eval(a, input, env)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	proc, err := ev.eval(n.procedure, input, env)
	if err != nil {
		return nil, err
	}
	procName := procToken(n.procedure)
	if isUndef(proc) && n.procedure.typ == ntPath {
		if v, ok := ev.lookupVar(n.procedure.steps[0].op, env); ok && !isUndef(v) {
			if jsTruthy(v) {
				return nil, newError("T1007", n.pos, procName)
			}
		}
	}
	switch p := proc.(type) {
	case *lambda:
		return partialLambda(p, args), nil
	case *Function:
		params := make([]string, p.arity)
		for i := range params {
			params[i] = nativeParam(i)
		}
		base := &lambda{params: params, native: p, env: newFrame(nil)}
		return partialLambda(base, args), nil
	}
	return nil, newError("T1008", n.pos, procName)
}

// nativeParam names the i-th parameter of a native function wrapped as a
// lambda; the names cannot clash with variables.
func nativeParam(i int) string {
	return "\x00arg" + string(rune('0'+i))
}

// placeholder marks a '?' argument of a partial application.
type placeholder struct{}

func partialLambda(p *lambda, args []any) *lambda {
	env := newFrame(p.env)
	var unbound []string
	for i, name := range p.params {
		var a any = Undefined{}
		if i < len(args) {
			a = args[i]
		}
		if _, ok := a.(placeholder); ok {
			unbound = append(unbound, name)
		} else {
			env.bind(name, a)
		}
	}
	return &lambda{params: unbound, body: p.body, input: p.input, env: env, native: p.native, transform: p.transform, pos: p.pos}
}

// arity is jsonata-js's getFunctionArity.
func arity(fn any) int {
	switch f := fn.(type) {
	case *lambda:
		if f.transform != nil {
			return 1
		}
		return len(f.params)
	case *Function:
		return f.arity
	case *regexLit:
		return 2
	}
	return 0
}

func (ev *evaluator) applyExpr(n *node, input any, env *frame) (any, error) {
	lhs, err := ev.eval(n.lhs, input, env)
	if err != nil {
		return nil, err
	}
	if n.rhs.typ == ntFunction {
		return ev.function(n.rhs, input, env, []any{lhs})
	}
	fn, err := ev.eval(n.rhs, input, env)
	if err != nil {
		return nil, err
	}
	if !isFunction(fn) {
		return nil, newError("T2006", n.pos, "").val(fn)
	}
	if isFunction(lhs) {
		// function composition: λ($x){ fn(lhs($x)) }
		return &lambda{params: []string{nativeParam(0)}, native: composeFunc(lhs, fn), env: newFrame(nil)}, nil
	}
	return ev.apply(fn, []any{lhs}, nil, env, "", -1)
}

// composeFunc returns a native function applying f then g.
func composeFunc(f, g any) *Function {
	return &Function{arity: 1, native: func(c call, args []any) (any, error) {
		var x any = Undefined{}
		if len(args) > 0 {
			x = args[0]
		}
		r, err := c.apply(f, []any{x})
		if err != nil {
			return nil, err
		}
		return c.apply(g, []any{r})
	}}
}

var transformSig = mustSignature("<(oa):o>")

func (ev *evaluator) transform(p *lambda, obj any) (any, error) {
	n := p.transform
	if isUndef(obj) {
		return Undefined{}, nil
	}
	cloneFn, _ := ev.lookupVar("clone", p.env)
	if !isFunction(cloneFn) {
		return nil, newError("T2013", n.pos, "")
	}
	result, err := ev.apply(cloneFn, []any{obj}, nil, p.env, "clone", -1)
	if err != nil {
		return nil, err
	}
	matches, err := ev.eval(n.pattern, result, p.env)
	if err != nil {
		return nil, err
	}
	if isUndef(matches) {
		return result, nil
	}
	ms, ok := asArray(matches)
	if !ok {
		ms = []any{matches}
	}
	for _, m := range ms {
		update, err := ev.eval(n.update, m, p.env)
		if err != nil {
			return nil, err
		}
		mo, isObj := m.(*value.Object)
		if !isUndef(update) {
			uo, ok := update.(*value.Object)
			if !ok {
				return nil, newError("T2011", n.update.pos, "").val(update)
			}
			if isObj {
				ev.paths.forget() // mo changes in place
				for k, v := range uo.All() {
					mo.Set(k, v)
				}
			}
		}
		if n.del != nil {
			dels, err := ev.eval(n.del, m, p.env)
			if err != nil {
				return nil, err
			}
			if !isUndef(dels) {
				ds, ok := asArray(dels)
				if !ok {
					ds = []any{dels}
				}
				for _, d := range ds {
					if _, ok := d.(string); !ok {
						return nil, newError("T2012", n.del.pos, "").val(dels)
					}
				}
				if isObj {
					ev.paths.forget() // mo changes in place
					for _, d := range ds {
						mo.Delete(d.(string))
					}
				}
			}
		}
	}
	return result, nil
}
