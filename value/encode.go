package value

import (
	"math"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

// Marshal returns the compact JSON text of v.
func Marshal(v any) []byte { return Append(nil, v) }

// String returns the compact JSON text of v as a string.
func String(v any) string { return string(Append(nil, v)) }

// Append appends the compact JSON text of v to b, with no white space, keys
// in insertion order, and only the escapes JSON requires (non-ASCII and '/'
// are written as is, as AWS writes them). Non-finite numbers, which JSON
// cannot carry, are written as null, as JavaScript's JSON.stringify does.
// Values of types outside the model are written as null.
func Append(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		if x {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case float64:
		return AppendNumber(b, x)
	case string:
		return AppendString(b, x)
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = Append(b, e)
		}
		return append(b, ']')
	case *Object:
		b = append(b, '{')
		if x != nil {
			for i, m := range x.members {
				if i > 0 {
					b = append(b, ',')
				}
				b = AppendString(b, m.key)
				b = append(b, ':')
				b = Append(b, m.val)
			}
		}
		return append(b, '}')
	default:
		return append(b, "null"...)
	}
}

// FormatNumber formats f as JavaScript's Number.prototype.toString does:
// integers within ±1e21 without a fraction or exponent, other numbers in
// the shortest form that reads back exactly, with an exponent only below
// 1e-6 or from 1e21 up ("1e+21", "1.5e-7").
func FormatNumber(f float64) string { return string(AppendNumber(nil, f)) }

// AppendNumber appends FormatNumber(f) to b.
func AppendNumber(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		if math.Abs(f) < 1<<63 {
			if f == 0 {
				return append(b, '0') // also for -0, as JavaScript does
			}
			return strconv.AppendInt(b, int64(f), 10)
		}
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	abs := math.Abs(f)
	if abs >= 1e-6 && abs < 1e21 {
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	// Exponent form; Go writes "1e-07", JavaScript "1e-7".
	s := strconv.AppendFloat(nil, f, 'e', -1, 64)
	for i := 0; i < len(s); i++ {
		if s[i] == 'e' {
			b = append(b, s[:i+2]...) // mantissa, 'e', sign
			exp := s[i+2:]
			for len(exp) > 1 && exp[0] == '0' {
				exp = exp[1:]
			}
			return append(b, exp...)
		}
	}
	return append(b, s...)
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a quoted JSON string.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	if n := plainPrefix(s); n == len(s) {
		b = append(b, s...)
		return append(b, '"')
	}
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, s[start:i]...)
				b = append(b, "\ufffd"...)
				i += size
				start = i
				continue
			}
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// EncodedLen returns len(Marshal(v)) without building the text.
func EncodedLen(v any) int {
	n, _ := encodedLen(v)
	return n
}

// encodedLen returns EncodedLen(v) and whether v holds only values of the
// model. Objects cache their length only when they do (see Object.Plain).
func encodedLen(v any) (n int, plain bool) {
	switch x := v.(type) {
	case nil:
		return 4, true
	case bool:
		if x {
			return 4, true
		}
		return 5, true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return intLen(int64(x)), true
		}
		var buf [32]byte
		return len(AppendNumber(buf[:0], x)), true
	case string:
		return stringLen(x), true
	case []any:
		n, plain = 2, true
		for i, e := range x {
			if i > 0 {
				n++
			}
			en, ep := encodedLen(e)
			n += en
			plain = plain && ep
		}
		return n, plain
	case *Object:
		if x == nil {
			return 2, true
		}
		if x.encLen > 0 {
			return x.encLen, true
		}
		n, plain = 2, true
		for i, m := range x.members {
			if i > 0 {
				n++
			}
			en, ep := encodedLen(m.val)
			n += stringLen(m.key) + 1 + en
			plain = plain && ep
		}
		if plain {
			x.encLen = n
		}
		return n, plain
	default:
		return 4, false // written as null
	}
}

// cheapLenMax is the longest string whose encoded length cheapLen works out.
const cheapLenMax = 64

// cheapLen returns EncodedLen(v) if it takes little work to know: for
// scalars, short strings, empty arrays and objects whose length is cached.
func cheapLen(v any) (int, bool) {
	switch x := v.(type) {
	case string:
		if len(x) > cheapLenMax {
			return 0, false
		}
		return stringLen(x), true
	case []any:
		if len(x) > 0 {
			return 0, false
		}
		return 2, true
	case *Object:
		if x != nil && x.encLen == 0 {
			return 0, false
		}
	case nil, bool, float64:
	default:
		return 0, false // not a value of the model
	}
	return EncodedLen(v), true
}

// EncodedLenExceeds reports whether EncodedLen(v) > limit. It reads the
// lengths objects cache and bounds the length of each string by its size
// (a byte takes one to six bytes in JSON), and works out exact lengths only
// when the bounds cannot decide, so checking a large document against a
// limit far above it touches its containers but not its text.
func EncodedLenExceeds(v any, limit int) bool {
	lo, hi := lenBounds(v)
	switch {
	case hi <= limit:
		return false
	case lo > limit:
		return true
	}
	return EncodedLen(v) > limit
}

// lenBounds returns a lower and an upper bound of EncodedLen(v). An
// object whose bounds meet caches its length, if it holds only values of
// the model.
func lenBounds(v any) (lo, hi int) {
	switch x := v.(type) {
	case string:
		// An invalid UTF-8 byte becomes three bytes, a control character six.
		return len(x) + 2, 6*len(x) + 2
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			n := intLen(int64(x))
			return n, n
		}
		return 1, 25 // the longest shortest form is 24 bytes ("-2.2250738585072014e-308")
	case []any:
		lo, hi = 2, 2
		for i, e := range x {
			if i > 0 {
				lo++
				hi++
			}
			var l, h int
			if s, ok := e.(string); ok { // the commonest case, without a call
				l, h = len(s)+2, 6*len(s)+2
			} else {
				l, h = lenBounds(e)
			}
			lo += l
			hi += h
		}
		return lo, hi
	case *Object:
		if x == nil {
			return 2, 2
		}
		if x.encLen > 0 {
			return x.encLen, x.encLen
		}
		lo, hi = 2, 2
		for i, m := range x.members {
			if i > 0 {
				lo++
				hi++
			}
			var l, h int
			switch y := m.val.(type) { // the commonest cases, without a call
			case string:
				l, h = len(y)+2, 6*len(y)+2
			case *Object:
				if y != nil && y.encLen > 0 {
					l, h = y.encLen, y.encLen
				} else {
					l, h = lenBounds(y)
				}
			default:
				l, h = lenBounds(m.val)
			}
			lo += len(m.key) + 3 + l // quotes and colon
			hi += 6*len(m.key) + 3 + h
		}
		if lo == hi {
			EncodedLen(x) // caches the length if x is plain
		}
		return lo, hi
	default:
		n := EncodedLen(v)
		return n, n
	}
}

// intLen returns the length of the decimal form of i.
func intLen(i int64) int {
	n := 1
	if i < 0 {
		n++
		i = -i
	}
	for i >= 10 {
		i /= 10
		n++
	}
	return n
}

func stringLen(s string) int {
	if plainPrefix(s) == len(s) {
		return len(s) + 2
	}
	n := 2
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f':
			n += 2
		case c < 0x20:
			n += 6
		default:
			n++
		}
	}
	if !utf8.ValidString(s) {
		return len(AppendString(nil, s))
	}
	return n
}

// Masks for plainPrefix's eight-bytes-at-a-time test.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// plainPrefix returns the length of the longest prefix of s made of
// printable ASCII other than '"' and '\\': bytes JSON writes as they are.
func plainPrefix(s string) int {
	i := 0
	for ; len(s)-i >= 8; i += 8 {
		t := s[i : i+8]
		x := uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
			uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
		// A byte of x is flagged (its top bit set in special) if it is
		// below 0x20, has its top bit set, or equals '"' or '\\'. A
		// subtraction's borrow can flag a byte above a flagged one, never
		// below, so the lowest flag is exact.
		q := x ^ (lsb * '"')
		b := x ^ (lsb * '\\')
		special := ((x - lsb*0x20) | x | (q-lsb)&^q | (b-lsb)&^b) & msb
		if special != 0 {
			return i + bits.TrailingZeros64(special)/8
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return i
		}
	}
	return i
}
