package choice

import (
	"strings"
	"time"
	"unicode/utf8"
)

type operandType uint8

const (
	typeString operandType = iota
	typeNumber
	typeBoolean
	typeTimestamp
	typeCheck // Is* type tests
)

type comparison uint8

const (
	cmpEquals comparison = iota
	cmpLess
	cmpGreater
	cmpLessEquals
	cmpGreaterEquals
	cmpMatches
	// type tests
	isNull
	isPresent
	isNumeric
	isString
	isBoolean
	isTimestamp
)

// operator is one comparison operator of a Choice rule.
type operator struct {
	typ  operandType
	cmp  comparison
	path bool // the operand is a path (…Path operators)
}

// operators is the fixed table of comparison operators; it is never
// modified after initialisation.
var operators = map[string]*operator{}

func init() {
	orders := []struct {
		suffix string
		cmp    comparison
	}{
		{"Equals", cmpEquals}, {"LessThan", cmpLess}, {"GreaterThan", cmpGreater},
		{"LessThanEquals", cmpLessEquals}, {"GreaterThanEquals", cmpGreaterEquals},
	}
	for _, t := range []struct {
		prefix string
		typ    operandType
	}{{"String", typeString}, {"Numeric", typeNumber}, {"Timestamp", typeTimestamp}} {
		for _, o := range orders {
			operators[t.prefix+o.suffix] = &operator{typ: t.typ, cmp: o.cmp}
			operators[t.prefix+o.suffix+"Path"] = &operator{typ: t.typ, cmp: o.cmp, path: true}
		}
	}
	operators["BooleanEquals"] = &operator{typ: typeBoolean, cmp: cmpEquals}
	operators["BooleanEqualsPath"] = &operator{typ: typeBoolean, cmp: cmpEquals, path: true}
	operators["StringMatches"] = &operator{typ: typeString, cmp: cmpMatches}
	for name, c := range map[string]comparison{
		"IsNull": isNull, "IsPresent": isPresent, "IsNumeric": isNumeric,
		"IsString": isString, "IsBoolean": isBoolean, "IsTimestamp": isTimestamp,
	} {
		operators[name] = &operator{typ: typeCheck, cmp: c}
	}
}

// check applies a type test to a present value.
func check(c comparison, v any) bool {
	switch c {
	case isNull:
		return v == nil
	case isPresent:
		return true
	case isNumeric:
		_, ok := v.(float64)
		return ok
	case isString:
		_, ok := v.(string)
		return ok
	case isBoolean:
		_, ok := v.(bool)
		return ok
	case isTimestamp:
		s, ok := v.(string)
		if !ok {
			return false
		}
		_, ok = ParseTimestamp(s)
		return ok
	}
	return false
}

// compareValues applies an ordering or equality comparison; operands of
// the wrong type make it false. b is the operand: for Timestamp operators
// either a time.Time (a literal) or a string (from a path).
func compareValues(op *operator, a, b any, pattern []globPart) bool {
	var c int
	switch op.typ {
	case typeString:
		x, ok1 := a.(string)
		y, ok2 := b.(string)
		if !ok1 || !ok2 {
			return false
		}
		if op.cmp == cmpMatches {
			return matchGlob(pattern, x)
		}
		c = compareUTF16(x, y)
	case typeNumber:
		x, ok1 := a.(float64)
		y, ok2 := b.(float64)
		if !ok1 || !ok2 {
			return false
		}
		switch {
		case x < y:
			c = -1
		case x > y:
			c = 1
		}
	case typeBoolean:
		x, ok1 := a.(bool)
		y, ok2 := b.(bool)
		return ok1 && ok2 && x == y
	case typeTimestamp:
		x, ok := toTime(a)
		if !ok {
			return false
		}
		y, ok := toTime(b)
		if !ok {
			return false
		}
		c = x.Compare(y)
	}
	switch op.cmp {
	case cmpEquals:
		return c == 0
	case cmpLess:
		return c < 0
	case cmpGreater:
		return c > 0
	case cmpLessEquals:
		return c <= 0
	case cmpGreaterEquals:
		return c >= 0
	}
	return false
}

func toTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case string:
		return ParseTimestamp(x)
	}
	return time.Time{}, false
}

// ParseTimestamp parses a timestamp as AWS's Choice and Wait states accept
// it: an RFC 3339 date-time with an upper-case 'T' and a time zone ('Z' or
// ±hh:mm), with an optional fraction of a second of up to nine digits.
func ParseTimestamp(s string) (time.Time, bool) {
	if len(s) < 20 || s[10] != 'T' || strings.ContainsRune(s, 'z') || strings.ContainsRune(s, 't') {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// compareUTF16 orders strings by UTF-16 code units, as Java's
// String.compareTo does (it differs from byte order for characters above
// U+FFFF versus U+E000–U+FFFF).
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return utf16Unit(ra) - utf16Unit(rb)
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}

// utf16Unit returns the first UTF-16 code unit of r.
func utf16Unit(r rune) int {
	if r >= 0x10000 {
		return 0xD800 + int((r-0x10000)>>10)
	}
	return int(r)
}

// globPart is a literal run of a StringMatches pattern; a part after the
// first is preceded by a '*' wildcard.
type globPart struct {
	lit  string
	star bool // preceded by '*'
}

// compileGlob splits a StringMatches pattern at its unescaped '*'s. "\*"
// is a literal star and "\\" a literal backslash.
func compileGlob(p string) []globPart {
	var parts []globPart
	var b strings.Builder
	star := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p) && (p[i+1] == '*' || p[i+1] == '\\'):
			b.WriteByte(p[i+1])
			i++
		case c == '*':
			parts = append(parts, globPart{lit: b.String(), star: star})
			b.Reset()
			star = true
		default:
			b.WriteByte(c)
		}
	}
	return append(parts, globPart{lit: b.String(), star: star})
}

// matchGlob reports whether s matches the pattern: the first part is a
// prefix, the last a suffix, and the ones between occur in order.
func matchGlob(parts []globPart, s string) bool {
	if len(parts) == 1 {
		return s == parts[0].lit
	}
	first, last := parts[0].lit, parts[len(parts)-1].lit
	if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
		return false
	}
	s = s[len(first) : len(s)-len(last)]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p.lit)
		if i < 0 {
			return false
		}
		s = s[i+len(p.lit):]
	}
	return true
}
