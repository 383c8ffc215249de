package httpinvoke

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/stepwise-run/stepwise/value"
)

// urlEncode renders an object as application/x-www-form-urlencoded text.
// Nested objects become key[member]=…; arrays follow the array format.
// Members keep their order.
func urlEncode(o *value.Object, arrays string) string {
	var b strings.Builder
	for k, v := range o.All() {
		encodeField(&b, k, v, arrays)
	}
	return b.String()
}

func encodeField(b *strings.Builder, key string, v any, arrays string) {
	switch x := v.(type) {
	case *value.Object:
		for k, e := range x.All() {
			encodeField(b, key+"["+k+"]", e, arrays)
		}
	case []any:
		switch arrays {
		case ArrayCommas:
			parts := make([]string, 0, len(x))
			for _, e := range x {
				if s, ok := formScalar(e); ok {
					parts = append(parts, s)
				}
			}
			// Non-scalar members cannot be joined by commas; they are
			// written with indices after the joined scalars.
			if len(parts) > 0 {
				pair(b, key, strings.Join(parts, ","))
			}
			for i, e := range x {
				if _, ok := formScalar(e); !ok {
					encodeField(b, key+"["+strconv.Itoa(i)+"]", e, arrays)
				}
			}
		default:
			for i, e := range x {
				k := key
				switch arrays {
				case ArrayBrackets:
					k += "[]"
				case ArrayRepeat:
				default:
					k += "[" + strconv.Itoa(i) + "]"
				}
				if _, ok := formScalar(e); !ok && arrays != ArrayIndices {
					// A nested container needs its index to stay unambiguous.
					k = key + "[" + strconv.Itoa(i) + "]"
				}
				encodeField(b, k, e, arrays)
			}
		}
	default:
		s, _ := formScalar(v)
		pair(b, key, s)
	}
}

func pair(b *strings.Builder, k, v string) {
	if b.Len() > 0 {
		b.WriteByte('&')
	}
	b.WriteString(url.QueryEscape(k))
	b.WriteByte('=')
	b.WriteString(url.QueryEscape(v))
}

// formScalar renders a scalar; null is the empty string.
func formScalar(v any) (string, bool) {
	switch v.(type) {
	case nil, string, float64, bool:
		return scalarText(v), true
	}
	return "", false
}

// queryValues renders the QueryParameters object: an array repeats its key.
func queryValues(q *value.Object, into url.Values) {
	for k, v := range q.All() {
		if a, ok := v.([]any); ok {
			for _, e := range a {
				into.Add(k, scalarText(e))
			}
			continue
		}
		into.Add(k, scalarText(v))
	}
}
