package jsonata

import (
	"math"
	"math/bits"

	"github.com/stepwise-run/stepwise/value"
)

func fnBoolean(c call, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return Undefined{}, nil
	}
	b, err := truthy(v)
	if err != nil {
		return nil, err
	}
	return b, nil
}

func fnNot(c call, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return Undefined{}, nil
	}
	b, err := truthy(v)
	if err != nil {
		return nil, err
	}
	return !b, nil
}

// hofArgs builds the arguments for a function passed to a higher-order
// function: the value, then the index/key and the whole collection if the
// function takes them.
func hofArgs(c call, fn any, v, i, all any) []any {
	n := min(max(arity(fn), 1), 3)
	args := c.ev.newArgs(n)[:n]
	args[0] = v
	if n >= 2 {
		args[1] = i
	}
	if n >= 3 {
		args[2] = all
	}
	return args
}

// hofArgsAt is hofArgs for an array item at index i; the index is boxed
// only when the function takes it.
func hofArgsAt(c call, fn any, v any, i int, all any) []any {
	n := min(max(arity(fn), 1), 3)
	args := c.ev.newArgs(n)[:n]
	args[0] = v
	if n >= 2 {
		args[1] = float64(i)
	}
	if n >= 3 {
		args[2] = all
	}
	return args
}

func fnMap(c call, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return Undefined{}, nil
	}
	items, _ := asArray(v)
	fn := arg(args, 1)
	result := newSeq(len(items))
	for i, it := range items {
		r, err := c.apply(fn, hofArgsAt(c, fn, it, i, v))
		if err != nil {
			return nil, err
		}
		if !isUndef(r) {
			result.items = append(result.items, r)
		}
	}
	return result, nil
}

func fnFilter(c call, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return Undefined{}, nil
	}
	items, _ := asArray(v)
	fn := arg(args, 1)
	result := newSeq(0)
	for i, it := range items {
		r, err := c.apply(fn, hofArgsAt(c, fn, it, i, v))
		if err != nil {
			return nil, err
		}
		if b, err := truthy(r); err != nil {
			return nil, err
		} else if b {
			result.items = append(result.items, it)
		}
	}
	return result, nil
}

func fnSingle(c call, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return Undefined{}, nil
	}
	items, _ := asArray(v)
	fn := arg(args, 1)
	found := false
	var result any = Undefined{}
	for i, it := range items {
		ok := true
		if !isUndef(fn) {
			r, err := c.apply(fn, hofArgsAt(c, fn, it, i, v))
			if err != nil {
				return nil, err
			}
			if ok, err = truthy(r); err != nil {
				return nil, err
			}
		}
		if ok {
			if found {
				return nil, newError("D3138", -1, "").with("index", float64(i))
			}
			result = it
			found = true
		}
	}
	if !found {
		return nil, newError("D3139", -1, "")
	}
	return result, nil
}

func fnZip(c call, args []any) (any, error) {
	result := []any{}
	if len(args) == 0 {
		return result, nil
	}
	length := math.MaxInt
	for _, a := range args {
		items, ok := asArray(a)
		if !ok {
			length = 0
			break
		}
		length = min(length, len(items))
	}
	for i := 0; i < length; i++ {
		t := make([]any, len(args))
		for j, a := range args {
			items, _ := asArray(a)
			t[j] = items[i]
		}
		result = append(result, t)
	}
	return result, nil
}

func fnReduce(c call, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return Undefined{}, nil
	}
	items, _ := asArray(v)
	fn := arg(args, 1)
	n := arity(fn)
	if n < 2 {
		return nil, newError("D3050", -1, "").with("index", 1.0)
	}
	init := arg(args, 2)
	var result any
	index := 0
	if isUndef(init) && len(items) > 0 {
		result = items[0]
		index = 1
	} else {
		result = init
	}
	for ; index < len(items); index++ {
		a := []any{result, items[index]}
		if n >= 3 {
			a = append(a, float64(index))
		}
		if n >= 4 {
			a = append(a, v)
		}
		r, err := c.apply(fn, a)
		if err != nil {
			return nil, err
		}
		result = r
	}
	return result, nil
}

func fnSift(c call, args []any) (any, error) {
	o, ok := arg(args, 0).(*value.Object)
	if !ok {
		return Undefined{}, nil
	}
	fn := arg(args, 1)
	result := value.NewObject(0)
	for k, e := range o.All() {
		r, err := c.apply(fn, hofArgs(c, fn, e, k, o))
		if err != nil {
			return nil, err
		}
		if b, err := truthy(r); err != nil {
			return nil, err
		} else if b {
			result.Set(k, e)
		}
	}
	if result.Len() == 0 {
		return Undefined{}, nil
	}
	return result, nil
}

func keysOf(v any) []string {
	if items, ok := asArray(v); ok {
		seen := map[string]bool{}
		var out []string
		for _, it := range items {
			for _, k := range keysOf(it) {
				if !seen[k] {
					seen[k] = true
					out = append(out, k)
				}
			}
		}
		return out
	}
	if o, ok := v.(*value.Object); ok {
		return o.Keys()
	}
	return nil
}

func fnKeys(c call, args []any) (any, error) {
	ks := keysOf(arg(args, 0))
	result := newSeq(len(ks))
	for _, k := range ks {
		result.items = append(result.items, k)
	}
	return result, nil
}

func fnLookup(c call, args []any) (any, error) {
	key, _ := arg(args, 1).(string)
	return lookupField(arg(args, 0), key), nil
}

func fnAppend(c call, args []any) (any, error) {
	return appendValues(arg(args, 0), arg(args, 1)), nil
}

func fnExists(c call, args []any) (any, error) {
	return !isUndef(arg(args, 0)), nil
}

func spread(v any) any {
	if items, ok := asArray(v); ok {
		var result any = newSeq(0)
		for _, it := range items {
			result = appendValues(result, spread(it))
		}
		return result
	}
	if o, ok := v.(*value.Object); ok {
		result := newSeq(o.Len())
		for k, e := range o.All() {
			one := value.NewObject(1)
			one.Set(k, e)
			result.items = append(result.items, one)
		}
		return result
	}
	return v
}

func fnSpread(c call, args []any) (any, error) {
	return spread(arg(args, 0)), nil
}

func fnMerge(c call, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return Undefined{}, nil
	}
	items, _ := asArray(v)
	return mergeObjects(items), nil
}

// mergeObjects merges the objects among items, later members replacing
// earlier ones.
func mergeObjects(items []any) *value.Object {
	var result *value.Object
	for _, it := range items {
		o, ok := it.(*value.Object)
		switch {
		case !ok:
		case result == nil:
			// A copy of the first object keeps its cached encoded length,
			// which Set then keeps up to date.
			result = o.Copy()
		default:
			for k, e := range o.All() {
				result.Set(k, e)
			}
		}
	}
	if result == nil {
		result = value.NewObject(0)
	}
	return result
}

func fnReverse(c call, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return Undefined{}, nil
	}
	items, _ := asArray(v)
	if len(items) <= 1 {
		return v, nil
	}
	out := make([]any, len(items))
	for i, it := range items {
		out[len(items)-1-i] = it
	}
	return out, nil
}

func fnEach(c call, args []any) (any, error) {
	o, _ := arg(args, 0).(*value.Object)
	fn := arg(args, 1)
	result := newSeq(o.Len())
	for k, e := range o.All() {
		r, err := c.apply(fn, hofArgs(c, fn, e, k, o))
		if err != nil {
			return nil, err
		}
		if !isUndef(r) {
			result.items = append(result.items, r)
		}
	}
	return result, nil
}

func fnError(c call, args []any) (any, error) {
	msg, _ := arg(args, 0).(string)
	if msg == "" {
		msg = "$error() function evaluated"
	}
	return nil, newError("D3137", -1, "").with("message", msg)
}

func fnAssert(c call, args []any) (any, error) {
	cond, _ := arg(args, 0).(bool)
	if !cond {
		msg, _ := arg(args, 1).(string)
		if msg == "" {
			msg = "$assert() statement failed"
		}
		return nil, newError("D3141", -1, "").with("message", msg)
	}
	return Undefined{}, nil
}

func fnType(c call, args []any) (any, error) {
	v := arg(args, 0)
	switch x := v.(type) {
	case Undefined:
		return Undefined{}, nil
	case nil:
		return "null", nil
	case float64:
		if math.IsInf(x, 0) {
			return nil, errv("D1001", x)
		}
		if math.IsNaN(x) {
			return "object", nil
		}
		return "number", nil
	case string:
		return "string", nil
	case bool:
		return "boolean", nil
	case *lambda, *Function, *regexLit:
		return "function", nil
	}
	if isArray(v) {
		return "array", nil
	}
	return "object", nil
}

func fnSort(c call, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return Undefined{}, nil
	}
	items, _ := asArray(v)
	if len(items) <= 1 {
		return v, nil
	}
	fn := arg(args, 1)
	var swap func(a, b any) (bool, error)
	if isUndef(fn) {
		if err := c.ev.charge(int64(len(items)) * int64(bits.Len(uint(len(items))))); err != nil {
			return nil, err
		}
		_, nums, err := arrayOfNumbers(v)
		if err != nil {
			return nil, err
		}
		strs := true
		for _, it := range items {
			if _, ok := it.(string); !ok {
				strs = false
			}
		}
		if !nums && !strs {
			return nil, newError("D3070", -1, "").with("index", 1.0)
		}
		swap = func(a, b any) (bool, error) {
			if x, ok := a.(float64); ok {
				return x > b.(float64), nil
			}
			return compareStrings(a.(string), b.(string)) > 0, nil
		}
	} else {
		swap = func(a, b any) (bool, error) {
			r, err := c.apply(fn, []any{a, b})
			if err != nil {
				return false, err
			}
			return jsTruthy(r), nil
		}
	}
	return mergeSort(v, swap)
}

func fnShuffle(c call, args []any) (any, error) {
	var r RandomSource
	if c.ev.env != nil {
		r = c.ev.env.Random
	}
	return shuffle(r, args)
}

// shuffle is jsonata-js's inside-out Fisher-Yates shuffle.
func shuffle(r RandomSource, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return Undefined{}, nil
	}
	items, _ := asArray(v)
	if len(items) <= 1 {
		return v, nil
	}
	if r == nil {
		return nil, newError("U1006", -1, "")
	}
	result := make([]any, len(items))
	for i, it := range items {
		j := int(math.Floor(randomFloat(r) * float64(i+1)))
		if i != j {
			result[i] = result[j]
		}
		result[j] = it
	}
	return result, nil
}

func fnDistinct(c call, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return Undefined{}, nil
	}
	items, ok := asArray(v)
	if !ok || len(items) <= 1 {
		return v, nil
	}
	var results []any
	for _, it := range items {
		if err := c.ev.charge(int64(len(results))); err != nil {
			return nil, err
		}
		dup := false
		for _, r := range results {
			if deepEqual(it, r) {
				dup = true
				break
			}
		}
		if !dup {
			results = append(results, it)
		}
	}
	if isSequence(v) {
		return &seq{items: results, sequence: true}, nil
	}
	return results, nil
}

func fnClone(c call, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return Undefined{}, nil
	}
	s, err := stringify(v)
	if err != nil {
		return nil, err
	}
	return value.ParseString(s)
}
