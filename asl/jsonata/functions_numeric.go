package jsonata

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

func numbersOf(v any) ([]float64, bool) {
	if isUndef(v) {
		return nil, false
	}
	items, _ := asArray(v)
	out := make([]float64, 0, len(items))
	for _, it := range items {
		f, _ := it.(float64)
		out = append(out, f)
	}
	return out, true
}

func fnSum(c call, args []any) (any, error) {
	nums, ok := numbersOf(arg(args, 0))
	if !ok {
		return Undefined{}, nil
	}
	total := 0.0
	for _, n := range nums {
		total += n
	}
	return total, nil
}

func fnCount(c call, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return 0.0, nil
	}
	items, _ := asArray(v)
	return float64(len(items)), nil
}

func fnMax(c call, args []any) (any, error) {
	nums, ok := numbersOf(arg(args, 0))
	if !ok || len(nums) == 0 {
		return Undefined{}, nil
	}
	m := math.Inf(-1)
	for _, n := range nums {
		if math.IsNaN(n) {
			return math.NaN(), nil
		}
		m = math.Max(m, n)
	}
	return m, nil
}

func fnMin(c call, args []any) (any, error) {
	nums, ok := numbersOf(arg(args, 0))
	if !ok || len(nums) == 0 {
		return Undefined{}, nil
	}
	m := math.Inf(1)
	for _, n := range nums {
		if math.IsNaN(n) {
			return math.NaN(), nil
		}
		m = math.Min(m, n)
	}
	return m, nil
}

func fnAverage(c call, args []any) (any, error) {
	nums, ok := numbersOf(arg(args, 0))
	if !ok || len(nums) == 0 {
		return Undefined{}, nil
	}
	total := 0.0
	for _, n := range nums {
		total += n
	}
	return total / float64(len(nums)), nil
}

var (
	decimalNumberRE = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$`)
	radixNumberRE   = regexp.MustCompile(`^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$`)
)

func fnNumber(c call, args []any) (any, error) {
	v := arg(args, 0)
	switch x := v.(type) {
	case Undefined:
		return Undefined{}, nil
	case float64:
		return x, nil
	case bool:
		if x {
			return 1.0, nil
		}
		return 0.0, nil
	case string:
		if decimalNumberRE.MatchString(x) {
			f, err := strconv.ParseFloat(x, 64)
			if err == nil && !isNonFinite(f) {
				return f, nil
			}
		} else if radixNumberRE.MatchString(x) {
			return jsNumberRadix(x), nil
		}
	}
	return nil, errv("D3030", v).with("index", 1.0)
}

// jsNumberRadix is Number() of a 0x/0o/0b string.
func jsNumberRadix(s string) float64 {
	s = strings.TrimSpace(s)
	if len(s) < 3 {
		return math.NaN()
	}
	base := 16
	switch s[1] {
	case 'o', 'O':
		base = 8
	case 'b', 'B':
		base = 2
	}
	n, err := strconv.ParseUint(s[2:], base, 64)
	if err != nil {
		return math.NaN()
	}
	return float64(n)
}

func fnAbs(c call, args []any) (any, error) {
	f, ok := arg(args, 0).(float64)
	if !ok {
		return Undefined{}, nil
	}
	return math.Abs(f), nil
}

func fnFloor(c call, args []any) (any, error) {
	f, ok := arg(args, 0).(float64)
	if !ok {
		return Undefined{}, nil
	}
	return math.Floor(f), nil
}

func fnCeil(c call, args []any) (any, error) {
	f, ok := arg(args, 0).(float64)
	if !ok {
		return Undefined{}, nil
	}
	return math.Ceil(f), nil
}

// jsRound is JavaScript's Math.round.
func jsRound(x float64) float64 {
	if isNonFinite(x) {
		return x
	}
	r := math.Floor(x)
	if x-r >= 0.5 {
		r++
	}
	if r == 0 && math.Signbit(x) {
		return math.Copysign(0, -1)
	}
	return r
}

// shiftDecimal is +(mantissa + 'e' + (exp + by)) on x's JavaScript string.
func shiftDecimal(x float64, by int) float64 {
	s := formatNum(x)
	mant, exp := s, 0
	if i := strings.IndexByte(s, 'e'); i >= 0 {
		mant = s[:i]
		exp, _ = strconv.Atoi(s[i+1:])
	}
	f, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(exp+by), 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

func roundHalfEven(x float64, precision int) float64 {
	if precision != 0 {
		x = shiftDecimal(x, precision)
	}
	r := jsRound(x)
	diff := r - x
	if math.Abs(diff) == 0.5 && math.Abs(math.Mod(r, 2)) == 1 {
		r--
	}
	if precision != 0 {
		r = shiftDecimal(r, -precision)
	}
	if r == 0 {
		r = 0
	}
	return r
}

func fnRound(c call, args []any) (any, error) {
	f, ok := arg(args, 0).(float64)
	if !ok {
		return Undefined{}, nil
	}
	p, _ := arg(args, 1).(float64)
	return roundHalfEven(f, int(p)), nil
}

func fnSqrt(c call, args []any) (any, error) {
	f, ok := arg(args, 0).(float64)
	if !ok {
		return Undefined{}, nil
	}
	if f < 0 {
		return nil, errv("D3060", f).with("index", 1.0)
	}
	return math.Sqrt(f), nil
}

func fnPower(c call, args []any) (any, error) {
	b, ok := arg(args, 0).(float64)
	if !ok {
		return Undefined{}, nil
	}
	e, _ := arg(args, 1).(float64)
	r := math.Pow(b, e)
	if (b == 1 || b == -1) && math.IsInf(e, 0) {
		r = math.NaN()
	}
	if isNonFinite(r) {
		return nil, errv("D3061", b).with("index", 1.0).with("exp", e)
	}
	return r, nil
}

func fnRandom(c call, args []any) (any, error) {
	if c.ev.env == nil || c.ev.env.Random == nil {
		return nil, newError("U1006", -1, "")
	}
	return randomFloat(c.ev.env.Random), nil
}

// randomFloat returns a uniform number in [0, 1).
func randomFloat(r RandomSource) float64 {
	return float64(r.Uint64()>>11) / (1 << 53)
}

func fnFormatBase(c call, args []any) (any, error) {
	f, ok := arg(args, 0).(float64)
	if !ok {
		return Undefined{}, nil
	}
	f = roundHalfEven(f, 0)
	radix := 10.0
	if r, ok := arg(args, 1).(float64); ok {
		radix = roundHalfEven(r, 0)
	}
	if radix < 2 || radix > 36 {
		return nil, errv("D3100", radix)
	}
	if math.Abs(f) < 1<<63 {
		return strconv.FormatInt(int64(f), int(radix)), nil
	}
	return formatNum(f), nil
}

// jsToFixed is JavaScript's Number.prototype.toFixed: the exact binary
// value rounded half away from zero.
func jsToFixed(x float64, dp int) string {
	if isNonFinite(x) || math.Abs(x) >= 1e21 {
		return formatNum(x)
	}
	if dp > 100 {
		dp = 100 // JavaScript's toFixed accepts at most 100 digits
	}
	neg := x < 0
	exact := strconv.FormatFloat(math.Abs(x), 'f', 1100, 64)
	dot := strings.IndexByte(exact, '.')
	intPart, frac := exact[:dot], exact[dot+1:]
	digits := []byte(intPart + frac[:dp])
	if frac[dp] >= '5' {
		i := len(digits) - 1
		for ; i >= 0; i-- {
			if digits[i] == '9' {
				digits[i] = '0'
				continue
			}
			digits[i]++
			break
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
		}
	}
	il := len(digits) - dp
	s := string(digits[:il])
	if dp > 0 {
		s += "." + string(digits[il:])
	}
	if neg && strings.Trim(s, "0.") != "" {
		s = "-" + s
	}
	return s
}
