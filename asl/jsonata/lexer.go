package jsonata

import (
	"strconv"
	"strings"
	"unicode/utf16"
)

// tokenType classifies a token.
type tokenType uint8

const (
	tokEnd tokenType = iota
	tokName
	tokVariable
	tokOperator
	tokString
	tokNumber
	tokValue // true, false, null
	tokRegex
)

type token struct {
	typ tokenType
	str string  // operator, name, variable name, string literal
	num float64 // number literal
	val any     // true/false/null literal
	re  *regexLit
	pos int
}

// operatorChars are the single-character operators; they also end names.
var operatorChars = [256]bool{
	'.': true, '[': true, ']': true, '{': true, '}': true, '(': true, ')': true,
	',': true, '@': true, '#': true, ';': true, ':': true, '?': true, '+': true,
	'-': true, '*': true, '/': true, '%': true, '|': true, '=': true, '<': true,
	'>': true, '^': true, '&': true, '!': true, '~': true,
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'
}

// lexer splits an expression into tokens on demand, as jsonata-js's
// tokenizer does: whether '/' starts a regex depends on the parser's state.
type lexer struct {
	src string
	pos int
}

func (lx *lexer) errAt(code string, pos int, tok string) *Error {
	return newError(code, pos, tok)
}

// next returns the next token; infix reports that the parser expects an
// operator, so a '/' is division rather than the start of a regex.
func (lx *lexer) next(infix bool) (token, *Error) {
	src := lx.src
	for {
		for lx.pos < len(src) && isSpace(src[lx.pos]) {
			lx.pos++
		}
		if lx.pos+1 < len(src) && src[lx.pos] == '/' && src[lx.pos+1] == '*' {
			start := lx.pos
			end := strings.Index(src[lx.pos+2:], "*/")
			if end < 0 {
				lx.pos = len(src)
				return token{}, lx.errAt("S0106", start, "")
			}
			lx.pos += 2 + end + 2
			continue
		}
		break
	}
	if lx.pos >= len(src) {
		return token{typ: tokEnd, pos: len(src)}, nil
	}
	start := lx.pos
	c := src[lx.pos]
	if !infix && c == '/' {
		lx.pos++
		re, err := lx.scanRegex()
		if err != nil {
			return token{}, err
		}
		return token{typ: tokRegex, re: re, pos: lx.pos}, nil
	}
	if lx.pos+1 < len(src) {
		two := src[lx.pos : lx.pos+2]
		switch two {
		case "..", ":=", "!=", ">=", "<=", "**", "~>":
			lx.pos += 2
			return token{typ: tokOperator, str: two, pos: lx.pos}, nil
		}
	}
	if operatorChars[c] {
		lx.pos++
		return token{typ: tokOperator, str: src[start : start+1], pos: lx.pos}, nil
	}
	if c == '"' || c == '\'' {
		return lx.scanString(c)
	}
	if c >= '0' && c <= '9' {
		end := scanNumber(src, lx.pos)
		if end > lx.pos {
			text := src[lx.pos:end]
			f, err := strconv.ParseFloat(text, 64)
			if err != nil || isNonFinite(f) {
				return token{}, lx.errAt("S0102", start, text)
			}
			lx.pos = end
			return token{typ: tokNumber, num: f, pos: lx.pos}, nil
		}
	}
	if c == '`' {
		end := strings.IndexByte(src[lx.pos+1:], '`')
		if end < 0 {
			lx.pos = len(src)
			return token{}, lx.errAt("S0105", len(src), "")
		}
		name := src[lx.pos+1 : lx.pos+1+end]
		lx.pos += end + 2
		return token{typ: tokName, str: name, pos: lx.pos}, nil
	}
	i := lx.pos
	for i < len(src) && !isSpace(src[i]) && !operatorChars[src[i]] {
		i++
	}
	if c == '$' {
		lx.pos = i
		return token{typ: tokVariable, str: src[start+1 : i], pos: lx.pos}, nil
	}
	name := src[start:i]
	lx.pos = i
	switch name {
	case "or", "in", "and":
		return token{typ: tokOperator, str: name, pos: lx.pos}, nil
	case "true":
		return token{typ: tokValue, val: true, pos: lx.pos}, nil
	case "false":
		return token{typ: tokValue, val: false, pos: lx.pos}, nil
	case "null":
		return token{typ: tokValue, val: nil, pos: lx.pos}, nil
	}
	if name == "" && i == len(src) {
		return token{typ: tokEnd, pos: len(src)}, nil
	}
	return token{typ: tokName, str: name, pos: lx.pos}, nil
}

// scanNumber matches /^-?(0|([1-9][0-9]*))(\.[0-9]+)?([Ee][-+]?[0-9]+)?/
// (without the sign, which the lexer never sees here) and returns the end.
func scanNumber(s string, i int) int {
	start := i
	if i < len(s) && s[i] == '0' {
		i++
	} else {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i == start {
		return start
	}
	if i+1 < len(s) && s[i] == '.' && s[i+1] >= '0' && s[i+1] <= '9' {
		i += 2
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			i = j
		}
	}
	return i
}

func (lx *lexer) scanString(quote byte) (token, *Error) {
	src := lx.src
	lx.pos++
	var b strings.Builder
	for lx.pos < len(src) {
		c := src[lx.pos]
		switch {
		case c == '\\':
			lx.pos++
			if lx.pos >= len(src) {
				return token{}, lx.errAt("S0103", lx.pos, "")
			}
			e := src[lx.pos]
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				cp, ok := hex4(src, lx.pos+1)
				if !ok {
					return token{}, lx.errAt("S0104", lx.pos, "")
				}
				lx.pos += 4
				// Combine a surrogate pair written as two escapes.
				if utf16.IsSurrogate(rune(cp)) && strings.HasPrefix(src[lx.pos+1:], "\\u") {
					if lo, ok := hex4(src, lx.pos+3); ok {
						if r := utf16.DecodeRune(rune(cp), rune(lo)); r != '\uFFFD' {
							b.WriteRune(r)
							lx.pos += 6
							break
						}
					}
				}
				b.WriteRune(rune(cp))
			default:
				_, size := decodeRuneAt(src, lx.pos)
				return token{}, lx.errAt("S0103", lx.pos, src[lx.pos:lx.pos+size])
			}
			lx.pos++
		case c == quote:
			lx.pos++
			return token{typ: tokString, str: b.String(), pos: lx.pos}, nil
		default:
			b.WriteByte(c)
			lx.pos++
		}
	}
	return token{}, lx.errAt("S0101", lx.pos, "")
}

func hex4(s string, i int) (int, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	n, err := strconv.ParseUint(s[i:i+4], 16, 32)
	if err != nil || strings.ContainsAny(s[i:i+4], "+-_") {
		return 0, false
	}
	return int(n), true
}

// scanRegex scans a regex literal after its opening '/', as jsonata-js
// does: the closing '/' is the first unescaped one outside brackets.
func (lx *lexer) scanRegex() (*regexLit, *Error) {
	src := lx.src
	start := lx.pos
	depth := 0
	isClosing := func(p int) bool {
		if src[p] == '/' && depth == 0 {
			n := 0
			for p-(n+1) >= 0 && src[p-(n+1)] == '\\' {
				n++
			}
			return n%2 == 0
		}
		return false
	}
	for lx.pos < len(src) {
		c := src[lx.pos]
		if isClosing(lx.pos) {
			pattern := src[start:lx.pos]
			if pattern == "" {
				return nil, lx.errAt("S0301", lx.pos, "")
			}
			lx.pos++
			fstart := lx.pos
			for lx.pos < len(src) && (src[lx.pos] == 'i' || src[lx.pos] == 'm') {
				lx.pos++
			}
			flags := src[fstart:lx.pos]
			re, err := compileRegex(pattern, flags)
			if err != nil {
				err.Position = start
				return nil, err
			}
			return re, nil
		}
		prevEscaped := lx.pos > 0 && src[lx.pos-1] == '\\'
		if (c == '(' || c == '[' || c == '{') && !prevEscaped {
			depth++
		}
		if (c == ')' || c == ']' || c == '}') && !prevEscaped {
			depth--
		}
		lx.pos++
	}
	return nil, lx.errAt("S0302", lx.pos, "")
}
