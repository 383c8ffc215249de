package jsonata

import (
	"math"
	"unicode/utf8"

	"github.com/stepwise-run/stepwise/value"
)

// Undefined is JSONata's undefined: the absence of a value. It appears as
// an argument to a Go function when an argument was not supplied or
// evaluated to nothing; it never appears inside arrays or objects.
type Undefined struct{}

func isUndef(v any) bool {
	_, ok := v.(Undefined)
	return ok
}

// seq is an array carrying jsonata-js's hidden flags. Plain arrays (from
// JSON input, or built without flags) are []any.
type seq struct {
	items         []any
	sequence      bool // a result sequence: flattened, singleton unwrapped
	keepSingleton bool // keep a singleton sequence as an array ([] operator)
	cons          bool // built by an array constructor: not flattened by paths
	outerWrapper  bool // wraps an input array so it counts as one value
	tupleStream   bool // items are tuples (focus/index/parent bindings)
}

// tuple is one item of a tuple stream: "@" is the context value, other
// keys are variable bindings.
type tuple map[string]any

// seq1 is a seq with room for one item in the same allocation.
type seq1 struct {
	seq
	buf [1]any
}

// seq4 is a seq with room for four items in the same allocation.
type seq4 struct {
	seq
	buf [4]any
}

// newSeq returns an empty result sequence with room for capacity items;
// small sequences cost one allocation.
func newSeq(capacity int) *seq {
	switch {
	case capacity == 1:
		b := &seq1{}
		b.items, b.sequence = b.buf[:0], true
		return &b.seq
	case capacity > 1 && capacity <= 4:
		b := &seq4{}
		b.items, b.sequence = b.buf[:0:capacity], true
		return &b.seq
	}
	return &seq{items: make([]any, 0, capacity), sequence: true}
}

// seqOf returns a result sequence of one item, in one allocation.
func seqOf(v any) *seq {
	s := newSeq(1)
	s.items = append(s.items, v)
	return s
}

// asArray returns the items of an array value (plain or flagged).
func asArray(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case *seq:
		return x.items, true
	}
	return nil, false
}

func isArray(v any) bool {
	switch v.(type) {
	case []any, *seq:
		return true
	}
	return false
}

func isSequence(v any) bool {
	s, ok := v.(*seq)
	return ok && s.sequence
}

func isFunction(v any) bool {
	switch v.(type) {
	case *lambda, *Function, *regexLit:
		return true
	}
	return false
}

func isNonFinite(f float64) bool { return math.IsNaN(f) || math.IsInf(f, 0) }

// numeric reports whether v is a number, failing with D1001 for ±Infinity
// as jsonata-js's isNumeric does.
func numeric(v any) (float64, bool, error) {
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) {
		return 0, false, nil
	}
	if math.IsInf(f, 0) {
		return 0, false, errv("D1001", f)
	}
	return f, true, nil
}

// formatNum is JavaScript's Number.prototype.toString.
func formatNum(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return value.FormatNumber(f)
}

func decodeRuneAt(s string, i int) (rune, int) {
	return utf8.DecodeRuneInString(s[i:])
}

// appendValues is jsonata-js's fn.append: undefined operands are ignored,
// otherwise both are treated as arrays and concatenated into a new plain
// array.
func appendValues(a, b any) any {
	if isUndef(a) {
		return b
	}
	if isUndef(b) {
		return a
	}
	var out []any
	if xs, ok := asArray(a); ok {
		out = make([]any, 0, len(xs)+1)
		out = append(out, xs...)
	} else {
		out = []any{a}
		if !isArray(b) {
			// createSequence(arg1).concat(...) keeps no flag: concat makes a
			// plain array; but jsonata-js's result is a sequence-derived
			// array with no flags either way.
		}
	}
	if ys, ok := asArray(b); ok {
		out = append(out, ys...)
	} else {
		out = append(out, b)
	}
	return out
}

// deepEqual is jsonata-js's isDeepEqual.
func deepEqual(a, b any) bool {
	switch x := a.(type) {
	case Undefined:
		return isUndef(b)
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case *value.Object:
		y, ok := b.(*value.Object)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		if x.Len() != y.Len() {
			return false
		}
		for k, v := range x.All() {
			w, ok := y.Get(k)
			if !ok || !deepEqual(v, w) {
				return false
			}
		}
		return true
	}
	if xs, ok := asArray(a); ok {
		ys, ok := asArray(b)
		if !ok || len(xs) != len(ys) {
			return false
		}
		for i := range xs {
			if !deepEqual(xs[i], ys[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}

// strictEqual is JavaScript's === on values: containers compare by identity.
func strictEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	}
	return a == b
}

// toBoolean is jsonata-js's fn.boolean; ok is false for undefined.
func toBoolean(v any) (result, ok bool) {
	switch x := v.(type) {
	case Undefined:
		return false, false
	case nil:
		return false, true
	case bool:
		return x, true
	case string:
		return x != "", true
	case float64:
		return x != 0 && !math.IsNaN(x), true
	case *value.Object:
		return x.Len() > 0, true
	case *lambda, *Function, *regexLit:
		return false, true
	case tuple:
		return len(x) > 0, true
	}
	if xs, ok := asArray(v); ok {
		if len(xs) == 1 {
			b, _ := toBoolean(xs[0])
			return b, true
		}
		for _, e := range xs {
			if b, _ := toBoolean(e); b {
				return true, true
			}
		}
		return false, true
	}
	return false, true
}

// truthy is jsonata-js's fn.boolean as its callers use it: undefined is
// false, and an infinite number met on the way fails with D1001.
func truthy(v any) (bool, error) {
	if f, ok := infiniteIn(v); ok {
		return false, errv("D1001", f)
	}
	b, _ := toBoolean(v)
	return b, nil
}

// infiniteIn finds an infinite number that fn.boolean would examine.
func infiniteIn(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, math.IsInf(x, 0)
	case []any, *seq:
		xs, _ := asArray(x)
		for _, e := range xs {
			if f, ok := infiniteIn(e); ok {
				return f, true
			}
		}
	}
	return 0, false
}

// typeOf is JavaScript's typeof as jsonata-js uses it.
func typeOf(v any) string {
	switch v.(type) {
	case Undefined:
		return "undefined"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case *lambda, *Function, *regexLit:
		return "function"
	}
	return "object"
}

// output converts an internal value to the value model: flagged arrays
// become plain []any, tuples their context value, and undefined array
// items null (as JSON.stringify writes them). It copies only containers
// whose contents change, in one pass.
func output(v any) any {
	r, _ := convertOut(v, nil)
	return r
}

// isLeaf reports whether v is a scalar of the value model or an object
// known to hold only values of the model, which convertOut leaves as
// they are.
func isLeaf(v any) bool {
	switch x := v.(type) {
	case string, float64, bool, nil:
		return true
	case *value.Object:
		return x.Plain()
	}
	return false
}

// convertOut is output; it reports whether it changed v, and sets *fn
// (unless fn is nil) when it meets a function value.
func convertOut(v any, fn *bool) (any, bool) {
	switch x := v.(type) {
	case *seq:
		out := make([]any, len(x.items))
		for i, e := range x.items {
			out[i], _ = convertOut(e, fn) // undefined items become null, as in JSON.stringify
		}
		return out, true
	case []any:
		var out []any
		for i, e := range x {
			if out == nil && isLeaf(e) {
				continue // unchanged, as convertOut would leave it
			}
			c, changed := convertOut(e, fn)
			if changed && out == nil {
				out = make([]any, len(x))
				copy(out, x[:i])
			}
			if out != nil {
				out[i] = c
			}
		}
		if out == nil {
			return v, false // v, not x: boxing x again would allocate
		}
		return out, true
	case *value.Object:
		if x.Plain() {
			return v, false // nothing inside to convert
		}
		n := x.Len()
		var o *value.Object
		for i := 0; i < n; i++ {
			k, e := x.At(i)
			if o == nil && isLeaf(e) {
				continue // unchanged, as convertOut would leave it
			}
			c, changed := convertOut(e, fn)
			skip := isUndef(e) // undefined members are left out
			if changed && o == nil {
				o = value.NewObject(n)
				for j := 0; j < i; j++ {
					kj, ej := x.At(j)
					o.Set(kj, ej)
				}
			}
			if o != nil && !skip {
				o.Set(k, c)
			}
		}
		if o == nil {
			return x, false
		}
		return o, true
	case tuple:
		c, _ := convertOut(tupleAt(x), fn)
		return c, true
	case Undefined:
		return nil, true
	case *lambda, *Function, *regexLit:
		if fn != nil {
			*fn = true
		}
	}
	return v, false
}
