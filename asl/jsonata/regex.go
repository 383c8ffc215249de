package jsonata

import (
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stepwise-run/stepwise/value"
)

// regexLit is a compiled regular expression literal. As in jsonata-js it
// is a function value: applied to a string it returns a match object
// {match, start, end, groups, next}.
type regexLit struct {
	source string
	flags  string
	re     *regexp.Regexp
}

// jsSpaces is the set of characters JavaScript's \s matches.
const jsSpaces = `\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`

// compileRegex translates a JavaScript regular expression to Go's RE2
// syntax. Constructs RE2 cannot express (backreferences, lookahead and
// lookbehind) fail with S0303.
func compileRegex(pattern, flags string) (*regexLit, *Error) {
	goPattern, detail := translateRegex(pattern)
	if detail != "" {
		return nil, newError("S0303", -1, "").with("detail", detail)
	}
	prefix := ""
	if strings.Contains(flags, "i") {
		prefix += "i"
	}
	if strings.Contains(flags, "m") {
		prefix += "m"
	}
	if prefix != "" {
		goPattern = "(?" + prefix + ")" + goPattern
	}
	re, err := regexp.Compile(goPattern)
	if err != nil {
		return nil, newError("S0303", -1, "").with("detail", err.Error())
	}
	return &regexLit{source: pattern, flags: flags, re: re}, nil
}

func translateRegex(p string) (string, string) {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\':
			if i+1 >= len(p) {
				return "", "trailing backslash"
			}
			i++
			e := p[i]
			switch {
			case e >= '1' && e <= '9':
				if inClass {
					b.WriteString(`\x{` + string(e) + `}`)
					continue
				}
				return "", "backreferences (\\" + string(e) + ") are not supported"
			case e == '0':
				b.WriteString(`\x00`)
			case e == 'k' && !inClass && i+1 < len(p) && p[i+1] == '<':
				return "", "named backreferences (\\k<name>) are not supported"
			case e == 's':
				if inClass {
					b.WriteString(jsSpaces)
				} else {
					b.WriteString("[" + jsSpaces + "]")
				}
			case e == 'S':
				if inClass {
					b.WriteString(`\S`)
				} else {
					b.WriteString("[^" + jsSpaces + "]")
				}
			case e == 'b' && inClass:
				b.WriteString(`\x08`)
			case strings.IndexByte("dDwWbBfnrtv", e) >= 0:
				b.WriteByte('\\')
				b.WriteByte(e)
			case e == 'u' && i+4 < len(p) && isHex(p[i+1:i+5]):
				b.WriteString(`\x{` + p[i+1:i+5] + `}`)
				i += 4
			case e == 'x' && i+2 < len(p) && isHex(p[i+1:i+3]):
				b.WriteString(`\x{` + p[i+1:i+3] + `}`)
				i += 2
			case e == 'c' && i+1 < len(p) && isLetter(p[i+1]):
				b.WriteString(`\x{` + hexByte(p[i+1]%32) + `}`)
				i++
			default:
				r, size := utf8.DecodeRuneInString(p[i:])
				b.WriteString(regexp.QuoteMeta(string(r)))
				i += size - 1
			}
		case inClass:
			switch c {
			case ']':
				inClass = false
				b.WriteByte(c)
			case '[':
				b.WriteString(`\[`)
			default:
				b.WriteByte(c)
			}
		case c == '[':
			if strings.HasPrefix(p[i:], "[^]") {
				b.WriteString(`[\x{0}-\x{10FFFF}]`)
				i += 2
				continue
			}
			inClass = true
			b.WriteByte(c)
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				// JavaScript's [] matches nothing; [^] is handled above.
				return "", "empty character classes are not supported"
			}
		case c == '(':
			if strings.HasPrefix(p[i:], "(?=") || strings.HasPrefix(p[i:], "(?!") {
				return "", "lookahead assertions are not supported"
			}
			if strings.HasPrefix(p[i:], "(?<=") || strings.HasPrefix(p[i:], "(?<!") {
				return "", "lookbehind assertions are not supported"
			}
			b.WriteByte(c)
		case c == '.':
			b.WriteString(`[^\n\r\x{2028}\x{2029}]`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), ""
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func hexByte(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// matchObject returns the first match of the regex in str at or after the
// UTF-16 offset from, as a jsonata-js match object, or undefined.
func (r *regexLit) matchObject(str string, from int) (any, error) {
	all := r.re.FindAllStringSubmatchIndex(str, -1)
	fromByte := utf16ToByte(str, from)
	for i, m := range all {
		if m[0] >= fromByte {
			return r.buildMatch(str, all, i), nil
		}
	}
	return Undefined{}, nil
}

func (r *regexLit) buildMatch(str string, all [][]int, i int) *value.Object {
	m := all[i]
	o := value.NewObject(5)
	o.Set("match", str[m[0]:m[1]])
	start := byteToUTF16(str, m[0])
	o.Set("start", float64(start))
	o.Set("end", float64(start+utf16Len(str[m[0]:m[1]])))
	groups := make([]any, 0, len(m)/2-1)
	for g := 2; g < len(m); g += 2 {
		if m[g] < 0 {
			groups = append(groups, Undefined{})
		} else {
			groups = append(groups, str[m[g]:m[g+1]])
		}
	}
	o.Set("groups", groups)
	end := m[1]
	o.Set("next", &Function{arity: 0, native: func(c call, args []any) (any, error) {
		if end >= len(str) || i+1 >= len(all) {
			return Undefined{}, nil
		}
		n := all[i+1]
		if n[0] == n[1] {
			return nil, errv("D1004", r.source)
		}
		return r.buildMatch(str, all, i+1), nil
	}})
	return o
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// utf16Len is the length of s in UTF-16 code units (JavaScript's length).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func utf16Units(s string) []uint16 { return utf16.Encode([]rune(s)) }

// byteToUTF16 converts a byte offset in s to a UTF-16 offset.
func byteToUTF16(s string, b int) int {
	if b > len(s) {
		b = len(s)
	}
	return utf16Len(s[:b])
}

// utf16ToByte converts a UTF-16 offset in s to a byte offset.
func utf16ToByte(s string, u int) int {
	if u <= 0 {
		return 0
	}
	n := 0
	for i, r := range s {
		if n >= u {
			return i
		}
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return len(s)
}
