package asl

import (
	"errors"
	"fmt"
	"strings"

	"github.com/stepwise-run/stepwise/asl/intrinsic"
	"github.com/stepwise-run/stepwise/asl/jsonata"
	"github.com/stepwise-run/stepwise/asl/jsonpath"
)

// This file holds the syntax checks the validator applies to paths,
// intrinsic function calls and JSONata expressions. Each is a thin wrapper
// over the parser the engine compiles with (asl/jsonpath, asl/intrinsic,
// asl/jsonata), so that a definition Validate accepts is one the engine
// can compile.

// checkPath checks a JSONPath as the States Language accepts it in
// InputPath, OutputPath, a Choice Variable or a ".$" field: "$", "$$" or
// "$name" followed by dot or bracket segments, wildcards, slices, unions,
// deep scans, filters and a trailing ".length()".
func checkPath(s string) error {
	_, err := jsonpath.Parse(s)
	return err
}

// checkReferencePath checks a Reference Path (ResultPath, ItemsPath,
// *Path fields): a path that names one value, so only names and single
// indexes are allowed.
func checkReferencePath(s string) error {
	_, err := jsonpath.ParseReference(s)
	return err
}

// checkIntrinsic checks an intrinsic function call such as
// "States.Format('{} and {}', $.a, States.UUID())", its syntax, function
// name, argument count and literal argument types.
func checkIntrinsic(s string) error {
	_, err := intrinsic.Parse(s)
	return err
}

// isJSONataString reports whether s is written as a JSONata expression,
// "{% ... %}".
func isJSONataString(s string) bool {
	return len(s) >= 4 && strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}")
}

// checkJSONata compiles the body of a "{% ... %}" string. The error's text
// is jsonata's message without its code, as AWS reports it
// (S0202: Expected "]", got "," is reported as Expected "]", got ",").
func checkJSONata(s string) error {
	_, err := jsonata.Compile(s[2 : len(s)-2])
	var je *jsonata.Error
	if errors.As(err, &je) {
		return errors.New(je.Message)
	}
	return err
}

// hasJSONataToken reports whether the expression "{% ... %}" uses tok (a
// variable reference such as "$$" or "$states.errorOutput") outside its
// string literals and comments, not followed by more name characters.
func hasJSONataToken(s, tok string) bool {
	body := s[2 : len(s)-2]
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c == '"' || c == '\'':
			end, err := scanQuoted(body, i)
			if err != nil {
				return false
			}
			i = end - 1
		case c == '/' && i+1 < len(body) && body[i+1] == '*':
			end := strings.Index(body[i+2:], "*/")
			if end < 0 {
				return false
			}
			i += end + 3
		case strings.HasPrefix(body[i:], tok):
			if rest := body[i+len(tok):]; rest == "" || !isIdentPart(rest[0]) {
				return true
			}
		}
	}
	return false
}

// jsonataKeywords are the JSONata words that are not field names.
var jsonataKeywords = map[string]bool{"and": true, "or": true, "in": true,
	"true": true, "false": true, "null": true, "function": true}

// topLevelNames returns, in order and once each, the field names the body
// of a "{% ... %}" expression reads at its top level: a path whose first
// step is a bare name, outside every bracket, brace and parenthesis. The
// States Language forbids them: a JSONata expression has no context item,
// so such a name can only come to nothing. Names nested inside a predicate,
// a function call, a block or a constructor are allowed (and not looked at).
func topLevelNames(s string) []string {
	body := s[2 : len(s)-2]
	var names []string
	seen := map[string]bool{}
	depth := 0
	var prev byte // the last significant character before i
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == '"' || c == '\'':
			end, err := scanQuoted(body, i)
			if err != nil {
				return names
			}
			i, prev = end, '"'
			continue
		case c == '/' && i+1 < len(body) && body[i+1] == '*':
			end := strings.Index(body[i+2:], "*/")
			if end < 0 {
				return names
			}
			i += end + 4
			continue
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
		case c == '$':
			i++
			for i < len(body) && (isIdentPart(body[i]) || body[i] == '$') {
				i++
			}
			prev = '$'
			continue
		case isDigit(c):
			for i < len(body) && (isDigit(body[i]) || body[i] == '.' || body[i] == 'e' || body[i] == 'E') {
				i++
			}
			prev = '0'
			continue
		case isIdentStart(c) || c >= 0x80 || c == '`':
			start := i
			var name string
			if c == '`' {
				end := strings.IndexByte(body[i+1:], '`')
				if end < 0 {
					return names
				}
				name, i = body[i+1:i+1+end], i+end+2
			} else {
				for i < len(body) && (isIdentPart(body[i]) || body[i] >= 0x80) {
					i++
				}
				name = body[start:i]
			}
			next := skipBlank(body, i)
			call := next < len(body) && body[next] == '('
			if depth == 0 && prev != '.' && !call && (c == '`' || !jsonataKeywords[name]) && !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
			prev = 'a'
			continue
		}
		prev = c
		i++
	}
	return names
}

func skipBlank(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// scanQuoted scans a quoted string starting at its quote and returns the
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

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) }
