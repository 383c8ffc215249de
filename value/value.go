package value

import (
	"fmt"
	"math"
	"sort"
)

// Equal reports whether a and b are the same JSON value. Object member order
// is not significant; array order is.
func Equal(a, b any) bool {
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
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for k, v := range x.All() {
			w, ok := y.Get(k)
			if !ok || !Equal(v, w) {
				return false
			}
		}
		return true
	default:
		return false
	}
}

// Clone returns a deep copy of v.
func Clone(v any) any {
	switch x := v.(type) {
	case []any:
		c := make([]any, len(x))
		for i, e := range x {
			c[i] = Clone(e)
		}
		return c
	case *Object:
		if x == nil {
			return NewObject(0)
		}
		c := &Object{members: make([]member, len(x.members))}
		for i, m := range x.members {
			c.members[i] = member{m.key, Clone(m.val)}
		}
		if x.index != nil {
			c.reindex()
		}
		return c
	default:
		return v
	}
}

// TypeName names the JSON type of v as AWS's messages do: "null",
// "boolean", "number", "string", "array" or "object".
func TypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case *Object:
		return "object"
	default:
		return fmt.Sprintf("unsupported(%T)", v)
	}
}

// IsInteger reports whether v is a number with no fractional part.
func IsInteger(v any) bool {
	f, ok := v.(float64)
	return ok && f == math.Trunc(f) && !math.IsInf(f, 0)
}

// FromGo converts a value built from Go maps, slices and scalars (as
// encoding/json decodes into `any`) to the value model. Map keys are sorted,
// since Go maps have no order. Integer kinds become float64. It is meant for
// tests and configuration, not hot paths.
func FromGo(v any) any {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		o := NewObject(len(keys))
		for _, k := range keys {
			o.Set(k, FromGo(x[k]))
		}
		return o
	case []any:
		c := make([]any, len(x))
		for i, e := range x {
			c[i] = FromGo(e)
		}
		return c
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case float32:
		return float64(x)
	case fmt.Stringer: // json.Number
		var f float64
		if _, err := fmt.Sscan(x.String(), &f); err == nil {
			return f
		}
		return x.String()
	default:
		return v
	}
}

// MustParse parses s or panics. It is for tests and literals in code.
func MustParse(s string) any {
	v, err := ParseString(s)
	if err != nil {
		panic(err)
	}
	return v
}

// Raw renders v for error messages as AWS does: a string as its bare text,
// anything else as compact JSON.
func Raw(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return String(v)
}
