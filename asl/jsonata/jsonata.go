package jsonata

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/stepwise-run/stepwise/value"
)

// Expr is a compiled JSONata expression. It is immutable and safe for
// concurrent use.
type Expr struct {
	src   string
	ast   *node
	calls bool // the expression calls functions

	// spare and evaluators hold the states of finished evaluations for
	// reuse: one in spare, which is cheaper to take and give back than
	// the pool, and the others in the pool.
	spare      atomic.Pointer[evaluator]
	evaluators sync.Pool
}

// Compile parses an expression once. Syntax errors are *Error values with
// jsonata-js's codes (S0xxx).
func Compile(expr string) (*Expr, error) {
	ast, err := parse(expr)
	if err != nil {
		return nil, err
	}
	markAll(ast)
	calls := false
	walk(ast, func(n *node) {
		switch n.typ {
		case ntFunction, ntPartial, ntApply:
			calls = true
		}
	})
	return &Expr{src: expr, ast: ast, calls: calls}, nil
}

// String returns the source of the expression.
func (e *Expr) String() string { return e.src }

// Eval evaluates the expression against input, a value in the value model
// (use Undefined{} for no input). defined is false when the result is
// JSONata's undefined. A function value returned as the result is a
// *Function or another function type the caller can detect with
// IsFunction. Errors are *Error values.
func (e *Expr) Eval(ctx context.Context, input any, env *Env) (result any, defined bool, err error) {
	return e.evaluate(ctx, input, env, nil)
}

// ErrNotJSON is the error of EvalJSON for a result that is or holds a
// function value.
var ErrNotJSON = errors.New("jsonata: the result is not a JSON value")

// EvalJSON is Eval for a caller that accepts only JSON values: a result
// that is or holds a function value fails with ErrNotJSON. Values the
// result takes from input or from Env.Lookup are not looked into, so the
// caller need not look through the result again when those are JSON.
func (e *Expr) EvalJSON(ctx context.Context, input any, env *Env) (result any, defined bool, err error) {
	var fn bool
	result, defined, err = e.evaluate(ctx, input, env, &fn)
	if err == nil && (fn || IsFunction(result)) {
		return nil, false, ErrNotJSON
	}
	return result, defined, err
}

// evaluate is Eval; it sets *fn (unless fn is nil) when the result it
// converts holds a function value.
func (e *Expr) evaluate(ctx context.Context, input any, env *Env, fn *bool) (result any, defined bool, err error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if env != nil && len(env.Functions) > 0 {
		for _, f := range env.Functions {
			if f != nil {
				if err := f.prepare(); err != nil {
					return nil, false, err
				}
			}
		}
	}
	if e.ast.simple {
		if r, ok := fastPath(e.ast, input, env); ok {
			if isUndef(r) {
				return nil, false, nil
			}
			return r, true, nil
		}
	}
	ev := e.spare.Swap(nil)
	if ev == nil {
		ev, _ = e.evaluators.Get().(*evaluator)
		if ev == nil {
			ev = newEvaluator(e.calls)
		}
	}
	ev.start(ctx, env)
	result, defined, err = e.eval(ev, input, fn)
	if ev.reusable() && !e.spare.CompareAndSwap(nil, ev) {
		e.evaluators.Put(ev)
	}
	return result, defined, err
}

// eval runs the evaluation of e on ev.
func (e *Expr) eval(ev *evaluator, input any, fn *bool) (any, bool, error) {
	root := &ev.root
	root.nbuf[0], root.vbuf[0] = "$", input
	root.names, root.vals = root.nbuf[:1], root.vbuf[:1]
	if xs, ok := input.([]any); ok {
		input = &seq{items: []any{xs}, sequence: true, outerWrapper: true}
	}
	r, err := ev.eval(e.ast, input, root)
	if err != nil {
		if je, ok := err.(*Error); ok {
			return nil, false, je.finish()
		}
		return nil, false, err
	}
	if isUndef(r) {
		return nil, false, nil
	}
	r, _ = convertOut(r, fn)
	return r, true, nil
}

// fastPath evaluates a top-level path of names (such as
// $states.input.a.b) without allocating. It reports false when the general
// evaluator is needed.
func fastPath(n *node, input any, env *Env) (any, bool) {
	v := input
	steps := n.steps
	if first := steps[0]; first.typ == ntVariable {
		switch {
		case first.op == "" || first.op == "$":
			if _, ok := input.([]any); ok {
				return nil, false // wrapped as a sequence by Eval
			}
		case env != nil && env.Lookup != nil:
			var ok bool
			if v, ok = env.Lookup(first.op); !ok {
				return nil, false
			}
		default:
			return nil, false
		}
		steps = steps[1:]
	}
	for _, st := range steps {
		switch o := v.(type) {
		case *value.Object:
			var ok bool
			if v, ok = o.Get(st.op); !ok {
				return Undefined{}, true
			}
		case nil, bool, float64, string, Undefined:
			return Undefined{}, true
		default:
			return nil, false
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
	case nil, bool, float64, string, []any, *value.Object, Undefined:
		return v, true
	}
	return nil, false
}

// IsFunction reports whether a result is a JSONata function value (a
// lambda, a built-in or Go function, or a regular expression).
func IsFunction(v any) bool { return isFunction(v) }

// markAll flags the simple paths of an AST for the fast path, resolves the
// names of built-in functions and lists the literal keys of object
// constructors.
func markAll(n *node) {
	names := map[string]*node{}     // canonical name steps, see node.canon
	variables := map[string]*node{} // canonical variables, see node.canon
	walk(n, func(n *node) {
		markSimple(n)
		if n.simple {
			for _, st := range n.steps {
				canon := names
				switch {
				case st.canon != nil:
					continue
				case st.typ == ntVariable:
					canon = variables
				case st.typ != ntName:
					continue
				}
				if canon[st.op] == nil {
					canon[st.op] = st
				}
				st.canon = canon[st.op]
			}
		}
		if n.typ == ntVariable {
			n.builtin = builtins[n.op]
		}
		markKeys(n.ctor)
		markKeys(n.group)
	})
}

// markKeys sets g.keys when the keys of g are distinct string literals.
func markKeys(g *groupSpec) {
	if g == nil || g.keys != nil {
		return
	}
	keys := make([]string, 0, len(g.pairs))
	for _, p := range g.pairs {
		k := p[0]
		s, ok := k.val.(string)
		if k.typ != ntString || !ok || k.predicate != nil || k.stages != nil || k.group != nil || slices.Contains(keys, s) {
			return
		}
		keys = append(keys, s)
	}
	g.keys = keys
}

// walk calls f for n and every node below it.
func walk(n *node, f func(*node)) {
	if n == nil {
		return
	}
	f(n)
	for _, c := range []*node{n.lhs, n.rhs, n.expr, n.procedure, n.body, n.condition, n.then, n.els, n.pattern, n.update, n.del} {
		walk(c, f)
	}
	for _, c := range n.exprs {
		walk(c, f)
	}
	for _, c := range n.args {
		walk(c, f)
	}
	for _, c := range n.steps {
		walk(c, f)
	}
	for _, p := range n.pairs {
		walk(p[0], f)
		walk(p[1], f)
	}
	for _, s := range n.predicate {
		walk(s.expr, f)
	}
	for _, s := range n.stages {
		walk(s.expr, f)
	}
	for _, t := range n.terms {
		walk(t.expr, f)
	}
	if n.group != nil {
		for _, p := range n.group.pairs {
			walk(p[0], f)
			walk(p[1], f)
		}
	}
}
