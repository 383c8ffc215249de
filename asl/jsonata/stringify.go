package jsonata

import (
	"math"
	"strconv"

	"github.com/stepwise-run/stepwise/value"
)

// stringify is jsonata-js's fn.string: strings as they are, functions as
// "", other values as JSON with numbers rounded to 15 significant digits.
func stringify(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case *lambda, *Function, *regexLit:
		return "", nil
	case float64:
		if isNonFinite(x) {
			return "", errv("D3001", x)
		}
	}
	return jsonString(v, false)
}

// jsonString is JSON.stringify with jsonata-js's replacer.
func jsonString(v any, pretty bool) (string, error) {
	if s, ok := v.(*seq); ok && s.outerWrapper && len(s.items) > 0 {
		v = s.items[0]
	}
	var buf [64]byte
	b, err := appendJSON(buf[:0], v, pretty, 0, false)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// toPrecision15 is Number(x.toPrecision(15)).
func toPrecision15(f float64) float64 {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return f // an integer of at most 15 digits is its own 15-digit form
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'e', 14, 64), 64)
	if err != nil {
		return f
	}
	return r
}

func appendIndent(b []byte, depth int) []byte {
	b = append(b, '\n')
	for i := 0; i < depth; i++ {
		b = append(b, ' ', ' ')
	}
	return b
}

// appendJSON appends v as JSON.stringify would, with jsonata-js's
// replacer (numbers to 15 significant digits, functions as "") unless
// exact is set.
func appendJSON(b []byte, v any, pretty bool, depth int, exact bool) ([]byte, error) {
	switch x := v.(type) {
	case Undefined:
		return append(b, "null"...), nil
	case nil:
		return append(b, "null"...), nil
	case bool:
		if x {
			return append(b, "true"...), nil
		}
		return append(b, "false"...), nil
	case float64:
		if math.IsNaN(x) {
			return append(b, "null"...), nil
		}
		if math.IsInf(x, 0) {
			return nil, errv("D1001", x)
		}
		if exact {
			return value.AppendNumber(b, x), nil
		}
		return value.AppendNumber(b, toPrecision15(x)), nil
	case string:
		return value.AppendString(b, x), nil
	case *lambda, *Function, *regexLit:
		return append(b, `""`...), nil
	case *value.Object:
		b = append(b, '{')
		first := true
		for k, e := range x.All() {
			if isUndef(e) {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			if pretty {
				b = appendIndent(b, depth+1)
			}
			b = value.AppendString(b, k)
			b = append(b, ':')
			if pretty {
				b = append(b, ' ')
			}
			var err error
			if b, err = appendJSON(b, e, pretty, depth+1, exact); err != nil {
				return nil, err
			}
		}
		if pretty && !first {
			b = appendIndent(b, depth)
		}
		return append(b, '}'), nil
	case tuple:
		return appendJSON(b, tupleAt(x), pretty, depth, exact)
	}
	if xs, ok := asArray(v); ok {
		b = append(b, '[')
		for i, e := range xs {
			if i > 0 {
				b = append(b, ',')
			}
			if pretty {
				b = appendIndent(b, depth+1)
			}
			var err error
			if b, err = appendJSON(b, e, pretty, depth+1, exact); err != nil {
				return nil, err
			}
		}
		if pretty && len(xs) > 0 {
			b = appendIndent(b, depth)
		}
		return append(b, ']'), nil
	}
	return append(b, "null"...), nil
}
