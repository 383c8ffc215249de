package asl

import (
	"errors"
	"fmt"
	"strings"
)

// This file holds the syntax checks the validator applies to paths,
// intrinsic function calls and JSONata expressions. They are deliberately
// small and behind unexported functions: the full parsers live in
// asl/jsonpath, asl/intrinsic and asl/jsonata, and each check here is meant
// to become a one-line call into those packages once they are stable.

var errEmpty = errors.New("empty expression")

// checkPath checks a JSONPath as the States Language accepts it in
// InputPath, OutputPath, a Choice Variable or a ".$" field: "$", "$$" or
// "$name" followed by dot or bracket segments, wildcards, slices, unions,
// deep scans, filters and a trailing ".length()".
func checkPath(s string) error {
	_, err := scanPath(s, false)
	return err
}

// checkReferencePath checks a Reference Path (ResultPath, ItemsPath,
// *Path fields): a path that names one value, so only names and single
// indexes are allowed.
func checkReferencePath(s string) error {
	_, err := scanPath(s, true)
	return err
}

// scanPath parses s as a path and returns the number of bytes consumed
// (always len(s) on success).
func scanPath(s string, reference bool) (int, error) {
	if s == "" {
		return 0, errEmpty
	}
	if s[0] != '$' {
		return 0, fmt.Errorf("path %q does not start with '$'", s)
	}
	i := 1
	switch {
	case strings.HasPrefix(s[i:], "$"):
		i++
	case i < len(s) && isIdentStart(s[i]):
		for i < len(s) && isIdentPart(s[i]) {
			i++
		}
	}
	for i < len(s) {
		switch s[i] {
		case '.':
			if strings.HasPrefix(s[i:], "..") {
				if reference {
					return i, fmt.Errorf("deep scan in reference path %q", s)
				}
				i += 2
				if i < len(s) && s[i] == '[' {
					continue
				}
			} else {
				i++
			}
			if i >= len(s) {
				return i, fmt.Errorf("path %q ends with '.'", s)
			}
			if s[i] == '*' {
				if reference {
					return i, fmt.Errorf("wildcard in reference path %q", s)
				}
				i++
				continue
			}
			if strings.HasPrefix(s[i:], "length()") && i+len("length()") == len(s) {
				if reference {
					return i, fmt.Errorf("function in reference path %q", s)
				}
				return len(s), nil
			}
			start := i
			for i < len(s) && s[i] != '.' && s[i] != '[' {
				if s[i] == ']' || s[i] == '(' || s[i] == ')' || s[i] == ' ' || s[i] == '\'' || s[i] == '"' {
					return i, fmt.Errorf("unexpected %q in path %q", s[i], s)
				}
				i++
			}
			if i == start {
				return i, fmt.Errorf("empty name in path %q", s)
			}
		case '[':
			n, err := scanBracket(s, i, reference)
			if err != nil {
				return i, err
			}
			i = n
		default:
			return i, fmt.Errorf("unexpected %q in path %q", s[i], s)
		}
	}
	return i, nil
}

// scanBracket scans one "[...]" segment starting at s[i] == '['.
func scanBracket(s string, i int, reference bool) (int, error) {
	i++ // '['
	if i >= len(s) {
		return i, fmt.Errorf("unterminated '[' in path %q", s)
	}
	switch c := s[i]; {
	case c == '*':
		if reference {
			return i, fmt.Errorf("wildcard in reference path %q", s)
		}
		i++
	case c == '?':
		if reference {
			return i, fmt.Errorf("filter in reference path %q", s)
		}
		i++
		if i >= len(s) || s[i] != '(' {
			return i, fmt.Errorf("filter without '(' in path %q", s)
		}
		end, err := scanBalanced(s, i)
		if err != nil {
			return i, err
		}
		i = end
	case c == '\'' || c == '"':
		for {
			end, err := scanQuoted(s, i)
			if err != nil {
				return i, err
			}
			i = skipSpace(s, end)
			if i < len(s) && s[i] == ',' && !reference {
				i = skipSpace(s, i+1)
				if i < len(s) && (s[i] == '\'' || s[i] == '"') {
					continue
				}
				return i, fmt.Errorf("bad union in path %q", s)
			}
			break
		}
	default:
		start := i
		for i < len(s) && (isDigit(s[i]) || s[i] == '-' || s[i] == ':' || s[i] == ',' || s[i] == ' ') {
			if reference && (s[i] == ':' || s[i] == ',') {
				return i, fmt.Errorf("slice or union in reference path %q", s)
			}
			i++
		}
		if i == start {
			return i, fmt.Errorf("bad index in path %q", s)
		}
	}
	if i >= len(s) || s[i] != ']' {
		return i, fmt.Errorf("unterminated '[' in path %q", s)
	}
	return i + 1, nil
}

// scanQuoted scans a quoted name starting at its quote and returns the
// index after the closing quote.
func scanQuoted(s string, i int) (int, error) {
	q := s[i]
	for i++; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return i + 1, nil
		}
	}
	return i, fmt.Errorf("unterminated string in %q", s)
}

// scanBalanced scans from an opening bracket to its matching closer,
// skipping quoted strings, and returns the index after the closer.
func scanBalanced(s string, i int) (int, error) {
	var stack []byte
	for ; i < len(s); i++ {
		switch c := s[i]; c {
		case '(', '[', '{':
			stack = append(stack, closerOf(c))
		case ')', ']', '}':
			if len(stack) == 0 || stack[len(stack)-1] != c {
				return i, fmt.Errorf("unbalanced %q in %q", c, s)
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return i + 1, nil
			}
		case '\'', '"':
			end, err := scanQuoted(s, i)
			if err != nil {
				return i, err
			}
			i = end - 1
		}
	}
	return i, fmt.Errorf("unbalanced brackets in %q", s)
}

func closerOf(c byte) byte {
	switch c {
	case '(':
		return ')'
	case '[':
		return ']'
	}
	return '}'
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) }

// intrinsicFunctions are the States.* functions AWS accepts.
var intrinsicFunctions = map[string]bool{
	"Format": true, "StringToJson": true, "JsonToString": true,
	"Array": true, "ArrayPartition": true, "ArrayContains": true, "ArrayRange": true,
	"ArrayGetItem": true, "ArrayLength": true, "ArrayUnique": true,
	"Base64Encode": true, "Base64Decode": true, "Hash": true, "JsonMerge": true,
	"MathRandom": true, "MathAdd": true, "StringSplit": true, "UUID": true,
}

// checkIntrinsic checks an intrinsic function call such as
// "States.Format('{} and {}', $.a, States.UUID())". String literals are
// single-quoted; inside them only \' \{ \} and \\ are escapes (AWS refuses
// \" and every other escape).
func checkIntrinsic(s string) error {
	end, err := scanCall(s, 0, 0)
	if err != nil {
		return err
	}
	if skipSpace(s, end) != len(s) {
		return fmt.Errorf("unexpected text after intrinsic function call in %q", s)
	}
	return nil
}

const maxIntrinsicDepth = 32

func scanCall(s string, i, depth int) (int, error) {
	if depth > maxIntrinsicDepth {
		return i, fmt.Errorf("intrinsic function calls nested too deeply in %q", s)
	}
	if !strings.HasPrefix(s[i:], "States.") {
		return i, fmt.Errorf("%q is not an intrinsic function call", s)
	}
	i += len("States.")
	start := i
	for i < len(s) && isIdentPart(s[i]) {
		i++
	}
	if name := s[start:i]; !intrinsicFunctions[name] {
		return i, fmt.Errorf("unknown intrinsic function States.%s", name)
	}
	if i >= len(s) || s[i] != '(' {
		return i, fmt.Errorf("missing '(' after intrinsic function name in %q", s)
	}
	i = skipSpace(s, i+1)
	if i < len(s) && s[i] == ')' {
		return i + 1, nil
	}
	for {
		var err error
		i, err = scanArg(s, skipSpace(s, i), depth)
		if err != nil {
			return i, err
		}
		i = skipSpace(s, i)
		if i >= len(s) {
			return i, fmt.Errorf("unterminated intrinsic function call %q", s)
		}
		switch s[i] {
		case ',':
			i++
		case ')':
			return i + 1, nil
		default:
			return i, fmt.Errorf("unexpected %q in intrinsic function call %q", s[i], s)
		}
	}
}

func scanArg(s string, i, depth int) (int, error) {
	if i >= len(s) {
		return i, fmt.Errorf("missing argument in %q", s)
	}
	switch c := s[i]; {
	case c == '\'':
		for i++; i < len(s); i++ {
			switch s[i] {
			case '\\':
				if i+1 >= len(s) || !strings.ContainsRune(`'{}\`, rune(s[i+1])) {
					return i, fmt.Errorf("invalid escape in string literal of %q", s)
				}
				i++
			case '\'':
				return i + 1, nil
			}
		}
		return i, fmt.Errorf("unterminated string literal in %q", s)
	case c == '$':
		end := i
		for end < len(s) && s[end] != ',' && s[end] != ')' {
			switch s[end] {
			case '[', '(':
				e, err := scanBalanced(s, end)
				if err != nil {
					return end, err
				}
				end = e
				continue
			case '\'', '"':
				e, err := scanQuoted(s, end)
				if err != nil {
					return end, err
				}
				end = e
				continue
			}
			end++
		}
		// A trailing ".length()" is part of the path.
		if strings.HasPrefix(s[end:], ")") && strings.HasSuffix(s[i:end], ".length(") {
			end++
		}
		if err := checkPath(strings.TrimRight(s[i:end], " \t\n\r")); err != nil {
			return i, err
		}
		return end, nil
	case c == '-' || isDigit(c):
		start := i
		if c == '-' {
			i++
		}
		for i < len(s) && (isDigit(s[i]) || s[i] == '.' || s[i] == 'e' || s[i] == 'E' || s[i] == '+' || s[i] == '-') {
			i++
		}
		if i == start || (c == '-' && i == start+1) {
			return i, fmt.Errorf("bad number in %q", s)
		}
		return i, nil
	case strings.HasPrefix(s[i:], "true"):
		return i + 4, nil
	case strings.HasPrefix(s[i:], "false"):
		return i + 5, nil
	case strings.HasPrefix(s[i:], "null"):
		return i + 4, nil
	case strings.HasPrefix(s[i:], "States."):
		return scanCall(s, i, depth+1)
	}
	return i, fmt.Errorf("unexpected %q in intrinsic function call %q", s[i], s)
}

// isJSONataString reports whether s is written as a JSONata expression,
// "{% ... %}".
func isJSONataString(s string) bool {
	return len(s) >= 4 && strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}")
}

// checkJSONata checks the body of a "{% ... %}" string: it must not be
// empty, and its brackets, strings and comments must be well formed.
func checkJSONata(s string) error {
	body := strings.TrimSpace(s[2 : len(s)-2])
	if body == "" {
		return errors.New("The JSONata expression is empty")
	}
	var stack []byte
	for i := 0; i < len(body); i++ {
		switch c := body[i]; c {
		case '(', '[', '{':
			stack = append(stack, closerOf(c))
		case ')', ']', '}':
			if len(stack) == 0 || stack[len(stack)-1] != c {
				return fmt.Errorf("Unexpected token: %q", c)
			}
			stack = stack[:len(stack)-1]
		case '"', '\'':
			end, err := scanQuoted(body, i)
			if err != nil {
				return errors.New("String literal must be terminated by a matching quote")
			}
			i = end - 1
		case '`':
			end := strings.IndexByte(body[i+1:], '`')
			if end < 0 {
				return errors.New("Quoted property name must be terminated with a backquote (`)")
			}
			i += end + 1
		case '/':
			if i+1 < len(body) && body[i+1] == '*' {
				end := strings.Index(body[i+2:], "*/")
				if end < 0 {
					return errors.New("Comment has no closing tag")
				}
				i += end + 3
			}
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("Expected %q before end of expression", stack[len(stack)-1])
	}
	return nil
}
