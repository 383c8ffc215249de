package jsonata

import (
	"context"
	"time"

	"github.com/stepwise-run/stepwise/value"
)

// Env supplies variables, functions, a clock, randomness and limits from
// outside an expression. A nil *Env is valid and means "nothing supplied,
// default limits".
type Env struct {
	// Lookup resolves variables by name without the '$' (for example
	// "states"). It is consulted after the expression's own bindings. Its
	// answer for a name must not change during an evaluation (as the
	// bindings jsonata-js's evaluate receives do not): an evaluation may
	// keep an answer instead of asking again.
	Lookup func(name string) (any, bool)
	// Functions adds or overrides functions by name without the '$'. A nil
	// entry removes a built-in function, so that calling it fails as
	// calling an unknown function does (T1006).
	Functions map[string]*Function
	// Now is the clock read once per Eval for $now() and $millis(), as
	// jsonata-js does. When nil, calling $now() or $millis() fails with
	// U1004, so that a pure caller never reads the wall clock by accident.
	Now func() time.Time
	// Random is the source for $random() and $shuffle(). When nil, calling
	// them fails with U1006. It must be safe for
	// concurrent use if the Env is shared between goroutines.
	Random RandomSource
	// Limits bounds evaluation; zero fields take defaults.
	Limits Limits
}

// RandomSource supplies uniformly distributed 64-bit values. A
// *math/rand/v2.Rand satisfies it.
type RandomSource interface {
	Uint64() uint64
}

// Limits bounds the work one evaluation may do.
type Limits struct {
	// MaxDepth is the maximum nesting of evaluation (each sub-expression
	// and each non-tail function call adds to it). Exceeding it fails with
	// U1001 instead of overflowing the Go stack. Default DefaultMaxDepth.
	MaxDepth int
	// MaxSteps is the maximum number of evaluation steps (sub-expression
	// evaluations, plus one per element of the sequences built by range
	// operators and loops). Exceeding it fails with U1002. Default
	// DefaultMaxSteps.
	MaxSteps int64
}

const (
	// DefaultMaxDepth is the default evaluation depth limit.
	DefaultMaxDepth = 2000
	// DefaultMaxSteps is the default work budget.
	DefaultMaxSteps = 20_000_000
	// ctxCheckInterval is how many steps pass between checks of ctx.Done.
	ctxCheckInterval = 1024
)

// frame is a scope of variable bindings. The first bindings live in the
// frame itself, so that a lambda call costs one allocation.
type frame struct {
	parent *frame
	names  []string
	vals   []any
	nbuf   [2]string
	vbuf   [2]any
}

func newFrame(parent *frame) *frame {
	f := &frame{parent: parent}
	f.names, f.vals = f.nbuf[:0], f.vbuf[:0]
	return f
}

func (f *frame) bind(name string, v any) {
	for i, n := range f.names {
		if n == name {
			f.vals[i] = v
			return
		}
	}
	f.names = append(f.names, name)
	f.vals = append(f.vals, v)
}

func (f *frame) lookup(name string) (any, bool) {
	for fr := f; fr != nil; fr = fr.parent {
		for i, n := range fr.names {
			if n == name {
				return fr.vals[i], true
			}
		}
	}
	return nil, false
}

// evaluator carries the state of one Eval call.
type evaluator struct {
	ctx      context.Context
	env      *Env
	depth    int
	maxDepth int
	steps    int64
	maxSteps int64
	vclock   int64 // virtual time, see concurrentError
	now      time.Time
	hasNow   bool

	// root is the outermost frame, holding $$; kept here to save
	// allocations per evaluation.
	root frame

	// argSpace holds argument lists, so that most function calls cost no
	// allocation of their own; see newArgs.
	argSpace []any
	// frames and frameUsed hold frames for blocks and lambda calls; see
	// newFrame.
	frames    *[frameChunk]frame
	frameUsed int
	// captured is set once a function value (a lambda, a thunk or a
	// transform) has captured a frame: the frames may then outlive the
	// evaluation, and the evaluator must not be reused.
	captured bool
	// paths remembers the steps of the last simple path, so that the
	// next one with the same start and a shared prefix resumes after it;
	// see simplePath. Made when first needed.
	paths *pathCache
}

// pathCache holds the chain of values simplePath found last: from the
// object root, the steps steps[0..n) (canonical nodes, see node.canon)
// lead to vals[0..n) in turn.
// Objects are immutable once shared, so the chain stays true while the
// evaluation does not modify objects in place, which only the transform
// operator does; it calls forget. Every evaluation starts with it empty.
//
// It also keeps the value of the variable that started the last simple
// path that started with one (variable, a canonical node) in the frame env,
// while no binding is made (see forgetVariable).
type pathCache struct {
	variable *node
	env      *frame
	varValue any
	varFound bool

	root  *value.Object
	n     int
	steps [pathCacheLen]*node
	vals  [pathCacheLen]any
}

// pathCacheLen is how many leading steps of a path pathCache holds.
const pathCacheLen = 4

// forget empties the cache.
func (c *pathCache) forget() {
	if c != nil {
		*c = pathCache{}
	}
}

// forgetVariable forgets the value of the variable, as a binding may change
// it.
func (c *pathCache) forgetVariable() {
	if c != nil {
		c.variable, c.env, c.varValue = nil, nil, nil
	}
}

// evaluatorWithArgs is an evaluator with its first argument slots in the
// same allocation, for expressions that call functions. The evaluator
// alone stays in a small size class for those that do not.
type evaluatorWithArgs struct {
	evaluator
	args [4]any
}

// frameChunk is how many frames newFrame allocates at a time.
const frameChunk = 4

// newFrame returns a new frame below parent. Frames are carved out of
// chunks of frameChunk, so that a run of lambda calls allocates once per
// chunk; a frame kept by a closure keeps its chunk.
func (ev *evaluator) newFrame(parent *frame) *frame {
	if ev.frames == nil || ev.frameUsed == frameChunk {
		ev.frames, ev.frameUsed = new([frameChunk]frame), 0
	}
	f := &ev.frames[ev.frameUsed]
	ev.frameUsed++
	f.parent = parent
	f.names, f.vals = f.nbuf[:0], f.vbuf[:0]
	return f
}

// argChunk is how many argument slots newArgs allocates at a time.
const argChunk = 16

// newArgs returns an empty argument list with room for n values. Lists are
// carved out of ev.argSpace (first the slots of evaluatorWithArgs, then
// chunks of argChunk) and never handed out twice, so a list may outlive
// its call. ev may be nil.
func (ev *evaluator) newArgs(n int) []any {
	if ev == nil || n > argChunk/4 {
		return make([]any, 0, n)
	}
	if n > len(ev.argSpace) {
		ev.argSpace = make([]any, argChunk)
	}
	s := ev.argSpace[:0:n]
	ev.argSpace = ev.argSpace[n:]
	return s
}

// newEvaluator returns a new state for evaluations; calls says whether
// the expressions evaluated call functions.
func newEvaluator(calls bool) *evaluator {
	if calls {
		ea := &evaluatorWithArgs{}
		ea.argSpace = ea.args[:]
		return &ea.evaluator
	}
	return &evaluator{}
}

// start prepares ev for one evaluation.
func (ev *evaluator) start(ctx context.Context, env *Env) {
	ev.ctx, ev.env, ev.maxDepth, ev.maxSteps = ctx, env, DefaultMaxDepth, DefaultMaxSteps
	ev.depth, ev.steps, ev.vclock = 0, 0, 0
	ev.paths.forget()
	ev.now, ev.hasNow = time.Time{}, false
	if env != nil {
		if env.Limits.MaxDepth > 0 {
			ev.maxDepth = env.Limits.MaxDepth
		}
		if env.Limits.MaxSteps > 0 {
			ev.maxSteps = env.Limits.MaxSteps
		}
		if env.Now != nil {
			ev.now = env.Now()
			ev.hasNow = true
		}
	}
}

// reusable reports whether nothing made by the evaluation just ended can
// still refer to ev's frames, and if so forgets the evaluation's values, so
// that ev can be used for another evaluation. The argument slots already
// handed out stay used: results may hold them.
func (ev *evaluator) reusable() bool {
	if ev.captured {
		return false
	}
	ev.ctx, ev.env = nil, nil
	ev.root = frame{}
	ev.paths.forget()
	if ev.frames != nil {
		clear(ev.frames[:ev.frameUsed])
		ev.frameUsed = 0
	}
	return true
}

// charge adds n steps of work and checks the budget and the context.
func (ev *evaluator) charge(n int64) error {
	before := ev.steps
	ev.steps += n
	if ev.steps > ev.maxSteps {
		return newError("U1002", -1, "")
	}
	if before/ctxCheckInterval != ev.steps/ctxCheckInterval {
		if err := ev.ctx.Err(); err != nil {
			return newError("U1003", -1, "").with("message", err.Error())
		}
	}
	return nil
}

// lookupVar resolves a variable: local frames, then the root binding $$,
// then Env.Lookup, then functions.
func (ev *evaluator) lookupVar(name string, env *frame) (any, bool) {
	if v, ok := env.lookup(name); ok {
		return v, true
	}
	if ev.env != nil {
		if ev.env.Lookup != nil {
			if v, ok := ev.env.Lookup(name); ok {
				return v, true
			}
		}
		if f, ok := ev.env.Functions[name]; ok {
			if f == nil {
				return Undefined{}, false
			}
			return f, true
		}
	}
	if f, ok := builtins[name]; ok {
		return f, true
	}
	return Undefined{}, false
}

// lookupVariable is lookupVar for a variable node, whose built-in function
// (if it names one) was found when the expression was compiled.
func (ev *evaluator) lookupVariable(n *node, env *frame) (any, bool) {
	if n.builtin == nil {
		return ev.lookupVar(n.op, env)
	}
	if v, ok := env.lookup(n.op); ok {
		return v, true
	}
	if ev.env != nil {
		if ev.env.Lookup != nil {
			if v, ok := ev.env.Lookup(n.op); ok {
				return v, true
			}
		}
		if f, ok := ev.env.Functions[n.op]; ok {
			if f == nil {
				return Undefined{}, false
			}
			return f, true
		}
	}
	return n.builtin, true
}
