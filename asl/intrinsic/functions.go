package intrinsic

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"math"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stepwise-run/stepwise/value"
)

// Limits AWS documents for intrinsic functions.
const (
	// MaxInputLength is the longest string (in UTF-16 code units, as Java
	// counts) States.Hash, States.Base64Encode and States.Base64Decode take.
	MaxInputLength = 10000
	// MaxArrayRange is the most items States.ArrayRange may return.
	MaxArrayRange = 1000
)

type function struct {
	name     string
	min, max int   // arity; max < 0 means variadic
	types    []int // expected type per argument; the last repeats when variadic
	eval     func(c *Call, args []any, env Env) (any, error)
}

// functions is the fixed table of intrinsic functions; it is never
// modified after initialisation.
var functions = map[string]*function{}

func init() {
	for _, fn := range []*function{
		{"States.Format", 1, -1, []int{tString, tAny}, evalFormat},
		{"States.StringToJson", 1, 1, []int{tString}, evalStringToJSON},
		{"States.JsonToString", 1, 1, []int{tAny}, evalJSONToString},
		{"States.Array", 0, -1, []int{tAny}, evalArray},
		{"States.ArrayPartition", 2, 2, []int{tArray, tInteger}, evalArrayPartition},
		{"States.ArrayContains", 2, 2, []int{tArray, tAny}, evalArrayContains},
		{"States.ArrayRange", 3, 3, []int{tInteger, tInteger, tInteger}, evalArrayRange},
		{"States.ArrayGetItem", 2, 2, []int{tArray, tInteger}, evalArrayGetItem},
		{"States.ArrayLength", 1, 1, []int{tArray}, evalArrayLength},
		{"States.ArrayUnique", 1, 1, []int{tArray}, evalArrayUnique},
		{"States.Base64Encode", 1, 1, []int{tString}, evalBase64Encode},
		{"States.Base64Decode", 1, 1, []int{tString}, evalBase64Decode},
		{"States.Hash", 2, 2, []int{tString, tString}, evalHash},
		{"States.JsonMerge", 3, 3, []int{tObject, tObject, tBoolean}, evalJSONMerge},
		{"States.MathRandom", 2, 3, []int{tInteger, tInteger, tInteger}, evalMathRandom},
		{"States.MathAdd", 2, 2, []int{tNumber, tNumber}, evalMathAdd},
		{"States.StringSplit", 2, 2, []int{tString, tString}, evalStringSplit},
		{"States.UUID", 0, 0, nil, evalUUID},
	} {
		functions[fn.name] = fn
	}
}

// Names returns the names of the intrinsic functions.
func Names() []string {
	names := make([]string, 0, len(functions))
	for n := range functions {
		names = append(names, n)
	}
	return names
}

func evalFormat(c *Call, args []any, _ Env) (any, error) {
	parts := c.format
	if parts == nil {
		parts = splitTemplate(args[0].(string), false)
		if len(parts)-1 != len(args)-1 {
			return nil, c.errorf("the template has %d placeholder(s) but %d value(s) follow it", len(parts)-1, len(args)-1)
		}
	}
	var buf [128]byte
	b := buf[:0]
	for i, part := range parts {
		b = append(b, part...)
		if i+1 < len(parts) {
			b = appendFormatValue(b, args[i+1])
		}
	}
	return value.StringValue(b), nil
}

// appendFormatValue renders a States.Format value: strings as they are,
// everything else as compact JSON (1, 1.1, true, null, {"a":1}).
func appendFormatValue(b []byte, v any) []byte {
	if s, ok := v.(string); ok {
		return append(b, s...)
	}
	return value.Append(b, v)
}

func evalStringToJSON(c *Call, args []any, _ Env) (any, error) {
	s := args[0].(string)
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	v, err := value.ParseString(s)
	if err != nil {
		return nil, c.errorf("the string is not valid JSON: %v", err)
	}
	return v, nil
}

func evalJSONToString(_ *Call, args []any, _ Env) (any, error) {
	return value.String(args[0]), nil
}

func evalArray(_ *Call, args []any, _ Env) (any, error) {
	out := make([]any, len(args))
	copy(out, args)
	return out, nil
}

// toInt converts a number argument to an integer as AWS's runtime does,
// rounding half up.
func toInt(f float64) int64 {
	r := javaRound(f)
	switch {
	case r >= math.MaxInt64:
		return math.MaxInt64
	case r <= math.MinInt64:
		return math.MinInt64
	}
	return int64(r)
}

func evalArrayPartition(c *Call, args []any, _ Env) (any, error) {
	arr := args[0].([]any)
	n := toInt(args[1].(float64))
	if n <= 0 {
		return nil, c.errorf("the chunk size must be positive, but was %d", n)
	}
	out := make([]any, 0, (int64(len(arr))+n-1)/n)
	for i := 0; i < len(arr); i += int(min(n, int64(len(arr)))) {
		end := min(int64(i)+n, int64(len(arr)))
		chunk := make([]any, end-int64(i))
		copy(chunk, arr[i:end])
		out = append(out, chunk)
	}
	return out, nil
}

func evalArrayContains(_ *Call, args []any, _ Env) (any, error) {
	for _, e := range args[0].([]any) {
		if value.Equal(e, args[1]) {
			return true, nil
		}
	}
	return false, nil
}

func evalArrayRange(c *Call, args []any, _ Env) (any, error) {
	start, end, step := toInt(args[0].(float64)), toInt(args[1].(float64)), toInt(args[2].(float64))
	if step == 0 {
		return nil, c.errorf("the step cannot be 0")
	}
	var n int64
	if (step > 0 && end >= start) || (step < 0 && end <= start) {
		n = (end-start)/step + 1
	}
	if n > MaxArrayRange || n < 0 {
		return nil, c.errorf("the range would have more than %d items", MaxArrayRange)
	}
	out := make([]any, n)
	for i := range n {
		out[i] = float64(start + i*step)
	}
	return out, nil
}

func evalArrayGetItem(c *Call, args []any, _ Env) (any, error) {
	arr := args[0].([]any)
	i := toInt(args[1].(float64))
	if i < 0 || i >= int64(len(arr)) {
		return nil, c.errorf("index %d is out of bounds for an array of length %d", i, len(arr))
	}
	return arr[i], nil
}

func evalArrayLength(_ *Call, args []any, _ Env) (any, error) {
	return float64(len(args[0].([]any))), nil
}

func evalArrayUnique(_ *Call, args []any, _ Env) (any, error) {
	arr := args[0].([]any)
	out := make([]any, 0, len(arr))
	scalars := make(map[any]struct{}, len(arr))
	var containers []any
next:
	for _, e := range arr {
		switch e.(type) {
		case []any, *value.Object:
			for _, c := range containers {
				if value.Equal(c, e) {
					continue next
				}
			}
			containers = append(containers, e)
		default:
			if _, seen := scalars[e]; seen {
				continue next
			}
			scalars[e] = struct{}{}
		}
		out = append(out, e)
	}
	return out, nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

func checkLength(c *Call, s string) error {
	if len(s) > MaxInputLength && utf16Len(s) > MaxInputLength {
		return c.errorf("the input is longer than %d characters", MaxInputLength)
	}
	return nil
}

func evalBase64Encode(c *Call, args []any, _ Env) (any, error) {
	s := args[0].(string)
	if err := checkLength(c, s); err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

func evalBase64Decode(c *Call, args []any, _ Env) (any, error) {
	s := args[0].(string)
	if err := checkLength(c, s); err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, c.errorf("the input is not valid Base64: %v", err)
	}
	if !utf8.Valid(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	}
	return string(b), nil
}

func evalHash(c *Call, args []any, _ Env) (any, error) {
	data, alg := args[0].(string), args[1].(string)
	if err := checkLength(c, data); err != nil {
		return nil, err
	}
	var h hash.Hash
	switch alg {
	case "MD5":
		h = md5.New()
	case "SHA-1":
		h = sha1.New()
	case "SHA-256":
		h = sha256.New()
	case "SHA-384":
		h = sha512.New384()
	case "SHA-512":
		h = sha512.New()
	default:
		return nil, c.errorf("unsupported hash algorithm %q; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512", alg)
	}
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil)), nil
}

func evalJSONMerge(c *Call, args []any, _ Env) (any, error) {
	if args[2].(bool) {
		return nil, c.errorf("deep merging is not supported; the third argument must be false")
	}
	a, b := args[0].(*value.Object), args[1].(*value.Object)
	out := a.Copy()
	for k, v := range b.All() {
		out.Set(k, v)
	}
	return out, nil
}

func evalMathRandom(c *Call, args []any, env Env) (any, error) {
	start, end := toInt(args[0].(float64)), toInt(args[1].(float64))
	if end <= start || end-start > math.MaxInt32 || start < math.MinInt32 || end > math.MaxInt32 {
		return nil, c.errorf("the end (%d) must be greater than the start (%d), both 32-bit integers", end, start)
	}
	if len(args) == 3 {
		r := newJavaRandom(toInt(args[2].(float64)))
		return float64(start + int64(r.nextInt(int32(end-start)))), nil
	}
	src := env.Rand()
	if src == nil {
		return nil, c.errorf("no random source is available")
	}
	return float64(start + int64(uniform(src, uint64(end-start)))), nil
}

func evalMathAdd(_ *Call, args []any, _ Env) (any, error) {
	return javaRound(args[0].(float64)) + javaRound(args[1].(float64)), nil
}

func evalStringSplit(_ *Call, args []any, _ Env) (any, error) {
	s, delims := args[0].(string), args[1].(string)
	fields := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) })
	out := make([]any, len(fields))
	for i, f := range fields {
		out[i] = f
	}
	return out, nil
}

func evalUUID(c *Call, _ []any, env Env) (any, error) {
	src := env.Rand()
	if src == nil {
		return nil, c.errorf("no random source is available")
	}
	return newUUID(src), nil
}
