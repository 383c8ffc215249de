package intrinsic

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stepwise-run/stepwise/asl/jsonpath"
)

// MaxDepth is how deeply calls may nest: AWS allows up to 10 intrinsic
// functions within a field.
const MaxDepth = 10

// SyntaxError reports a malformed or ill-typed call. It is a definition
// error: the validator reports it against the field that holds the call.
type SyntaxError struct {
	Text   string // the call as written
	Offset int    // byte offset of the problem
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid intrinsic function call %q at offset %d: %s", e.Text, e.Offset, e.Msg)
}

// Call is a compiled intrinsic function call. It is immutable and safe for
// concurrent use.
type Call struct {
	text string
	fn   *function
	args []arg
	// format holds the pieces of a literal States.Format template.
	format []string
}

// String returns the call as it was written.
func (c *Call) String() string { return c.text }

// Name returns the function's name, e.g. "States.Format".
func (c *Call) Name() string { return c.fn.name }

type argKind uint8

const (
	argLiteral argKind = iota
	argPath
	argCall
)

type arg struct {
	kind argKind
	lit  any            // string, float64, bool or nil
	path *jsonpath.Path // argPath
	call *Call          // argCall
	// raw is the literal string as written (escapes kept), for templates.
	raw string
}

// IsCall reports whether s looks like an intrinsic function call (starts
// with "States." and a name), as opposed to a path.
func IsCall(s string) bool {
	return strings.HasPrefix(s, "States.")
}

// Parse compiles an intrinsic function call such as
// "States.Format('{} {}', $.a, States.UUID())".
func Parse(s string) (*Call, error) {
	p := &parser{src: s}
	p.skipSpace()
	c, err := p.call(1)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i != len(p.src) {
		return nil, p.errorf("unexpected %q after the call", p.src[p.i])
	}
	return c, nil
}

type parser struct {
	src string
	i   int
}

func (p *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Text: p.src, Offset: p.i, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) skipSpace() {
	for p.i < len(p.src) && (p.src[p.i] == ' ' || p.src[p.i] == '\t' || p.src[p.i] == '\n' || p.src[p.i] == '\r') {
		p.i++
	}
}

func (p *parser) peek() byte {
	if p.i < len(p.src) {
		return p.src[p.i]
	}
	return 0
}

func (p *parser) call(depth int) (*Call, error) {
	if depth > MaxDepth {
		return nil, p.errorf("intrinsic functions nest more than %d deep", MaxDepth)
	}
	start := p.i
	for p.i < len(p.src) && (isIdent(p.src[p.i]) || p.src[p.i] == '.') {
		p.i++
	}
	name := p.src[start:p.i]
	fn := functions[name]
	if fn == nil {
		p.i = start
		if name == "" {
			return nil, p.errorf("expected a function name")
		}
		return nil, p.errorf("unknown intrinsic function %q", name)
	}
	p.skipSpace()
	if p.peek() != '(' {
		return nil, p.errorf("expected '(' after %s", name)
	}
	p.i++
	c := &Call{fn: fn}
	p.skipSpace()
	if p.peek() == ')' {
		p.i++
	} else {
		for {
			p.skipSpace()
			a, err := p.arg(depth)
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, a)
			p.skipSpace()
			if p.peek() == ',' {
				p.i++
				continue
			}
			if p.peek() == ')' {
				p.i++
				break
			}
			if p.i >= len(p.src) {
				return nil, p.errorf("unterminated call to %s", name)
			}
			return nil, p.errorf("expected ',' or ')' in call to %s", name)
		}
	}
	c.text = p.src[start:p.i]
	if err := c.check(); err != nil {
		return nil, &SyntaxError{Text: p.src, Offset: start, Msg: err.Error()}
	}
	return c, nil
}

func isIdent(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

func (p *parser) arg(depth int) (arg, error) {
	switch c := p.peek(); {
	case c == '\'':
		raw, s, err := p.stringLit()
		return arg{kind: argLiteral, lit: s, raw: raw}, err
	case c == '$':
		return p.pathArg()
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.i
		p.i++
		for p.i < len(p.src) && strings.IndexByte("0123456789.eE+-", p.src[p.i]) >= 0 {
			p.i++
		}
		f, err := strconv.ParseFloat(p.src[start:p.i], 64)
		if err != nil {
			p.i = start
			return arg{}, p.errorf("invalid number %q", p.src[start:p.i])
		}
		return arg{kind: argLiteral, lit: f}, nil
	case strings.HasPrefix(p.src[p.i:], "States."):
		c, err := p.call(depth + 1)
		if err != nil {
			return arg{}, err
		}
		return arg{kind: argCall, call: c}, nil
	}
	for _, w := range []struct {
		text string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		rest := p.src[p.i:]
		if strings.HasPrefix(rest, w.text) && (len(rest) == len(w.text) || !isIdent(rest[len(w.text)])) {
			p.i += len(w.text)
			return arg{kind: argLiteral, lit: w.v}, nil
		}
	}
	if p.i >= len(p.src) {
		return arg{}, p.errorf("unexpected end of call")
	}
	return arg{}, p.errorf("unexpected %q in argument list", p.peek())
}

// stringLit reads a single-quoted literal. The escapes are \' \{ \} and
// \\; any other backslash sequence is an error, as AWS rejects it.
// It returns the text between the quotes as written and the decoded value.
func (p *parser) stringLit() (raw, val string, err error) {
	p.i++ // '
	start := p.i
	var b strings.Builder
	for p.i < len(p.src) {
		c := p.src[p.i]
		switch c {
		case '\'':
			raw = p.src[start:p.i]
			p.i++
			return raw, b.String(), nil
		case '\\':
			if p.i+1 >= len(p.src) {
				return "", "", p.errorf("unterminated escape")
			}
			e := p.src[p.i+1]
			if e != '\'' && e != '{' && e != '}' && e != '\\' {
				return "", "", p.errorf("invalid escape sequence '\\%c' in string literal", e)
			}
			b.WriteByte(e)
			p.i += 2
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", "", p.errorf("unterminated string literal")
}

// pathArg reads a path argument: it ends at ',' or ')' or white space
// outside brackets and quotes.
func (p *parser) pathArg() (arg, error) {
	start := p.i
	depth := 0
	var quote byte
	for p.i < len(p.src) {
		c := p.src[p.i]
		if quote != 0 {
			if c == '\\' {
				p.i++
			} else if c == quote {
				quote = 0
			}
			p.i++
			continue
		}
		switch c {
		case '\'', '"':
			quote = c
		case '[', '(':
			depth++
		case ']':
			depth--
		case ')':
			if depth == 0 {
				goto done
			}
			depth--
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				goto done
			}
		}
		p.i++
	}
done:
	p.i = min(p.i, len(p.src)) // a trailing backslash in a quote steps past the end
	text := p.src[start:p.i]
	path, err := jsonpath.Parse(text)
	if err != nil {
		p.i = start
		return arg{}, p.errorf("invalid path argument: %v", err)
	}
	return arg{kind: argPath, path: path}, nil
}
