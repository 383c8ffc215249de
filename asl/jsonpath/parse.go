package jsonpath

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFilterDepth bounds the nesting of parentheses and sub-paths in filter
// expressions, so that hostile input cannot exhaust the stack.
const maxFilterDepth = 64

// SyntaxError reports a malformed path.
type SyntaxError struct {
	Path   string // the text that was parsed
	Offset int    // byte offset of the problem
	Msg    string // what is wrong
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSONPath %q at offset %d: %s", e.Path, e.Offset, e.Msg)
}

// Parse compiles a path. It accepts the forms described in the package
// documentation and rejects anything else with a *SyntaxError.
func Parse(s string) (*Path, error) {
	p := &parser{src: s}
	path, err := p.path()
	if err != nil {
		return nil, err
	}
	return path, nil
}

// MustParse is Parse for paths known to be valid; it panics on error. It is
// meant for tests and constants.
func MustParse(s string) *Path {
	p, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return p
}

type parser struct {
	src   string
	i     int
	depth int
}

func (p *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Path: p.src, Offset: p.i, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) eof() bool { return p.i >= len(p.src) }

func (p *parser) peek() byte {
	if p.i < len(p.src) {
		return p.src[p.i]
	}
	return 0
}

func (p *parser) skipSpace() {
	for p.i < len(p.src) && (p.src[p.i] == ' ' || p.src[p.i] == '\t' || p.src[p.i] == '\n' || p.src[p.i] == '\r') {
		p.i++
	}
}

func (p *parser) path() (*Path, error) {
	if p.peek() != '$' {
		return nil, p.errorf("a path must start with '$'")
	}
	path := &Path{src: p.src}
	p.i++
	switch c := p.peek(); {
	case c == '$':
		p.i++
		path.root = Context
	case p.eof() || c == '.' || c == '[':
		path.root = Input
	default:
		name, err := p.variableName()
		if err != nil {
			return nil, err
		}
		path.root = Variable
		path.variable = name
	}
	segs, fn, err := p.segments(false)
	if err != nil {
		return nil, err
	}
	if !p.eof() {
		return nil, p.errorf("unexpected %q", p.src[p.i])
	}
	path.segs = segs
	path.fn = fn
	path.definite = definite(segs)
	return path, nil
}

// variableName reads the name after "$" in "$name…". Names start with a
// letter or '_' and go on with letters, digits and '_'.
func (p *parser) variableName() (string, error) {
	start := p.i
	for p.i < len(p.src) {
		r, n := utf8.DecodeRuneInString(p.src[p.i:])
		if r == '_' || unicode.IsLetter(r) || (p.i > start && unicode.IsDigit(r)) {
			p.i += n
			continue
		}
		break
	}
	if p.i == start {
		return "", p.errorf("invalid character %q after '$'", p.src[p.i])
	}
	return p.src[start:p.i], nil
}

func definite(segs []segment) bool {
	for _, s := range segs {
		if s.deep || (s.kind != segName && s.kind != segIndex) {
			return false
		}
	}
	return true
}

// segments parses the steps after a root. In a filter (inFilter) a step
// ends at white space or an operator character.
// It also returns the name of a trailing function call, if any.
func (p *parser) segments(inFilter bool) ([]segment, string, error) {
	var segs []segment
	for !p.eof() {
		c := p.peek()
		switch {
		case c == '.' && strings.HasPrefix(p.src[p.i:], ".."):
			p.i += 2
			var s segment
			var err error
			switch p.peek() {
			case '[':
				s, err = p.bracket()
			case '*':
				p.i++
				s = segment{kind: segWildcard}
			default:
				var name string
				name, err = p.dotName(inFilter)
				s = segment{kind: segName, name: name}
			}
			if err != nil {
				return nil, "", err
			}
			s.deep = true
			segs = append(segs, s)
		case c == '.':
			p.i++
			if p.peek() == '*' {
				p.i++
				segs = append(segs, segment{kind: segWildcard})
				continue
			}
			name, err := p.dotName(inFilter)
			if err != nil {
				return nil, "", err
			}
			if p.peek() == '(' {
				if !strings.HasPrefix(p.src[p.i:], "()") || !isFunctionName(name) {
					return nil, "", p.errorf("invalid function call %q", name)
				}
				p.i += 2
				if !p.eof() && !(inFilter && p.atFilterStop()) {
					return nil, "", p.errorf("a function must end the path")
				}
				return segs, name, nil
			}
			segs = append(segs, segment{kind: segName, name: name})
		case c == '[':
			s, err := p.bracket()
			if err != nil {
				return nil, "", err
			}
			segs = append(segs, s)
		case inFilter:
			return segs, "", nil
		default:
			return nil, "", p.errorf("unexpected %q", c)
		}
	}
	return segs, "", nil
}

func isFunctionName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

func (p *parser) atFilterStop() bool {
	return strings.IndexByte(" \t\r\n)=!<>&|,]", p.peek()) >= 0
}

// dotName reads a name in dot notation.
func (p *parser) dotName(inFilter bool) (string, error) {
	start := p.i
	for p.i < len(p.src) {
		c := p.src[p.i]
		if c == '.' || c == '[' || c == '(' || c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			break
		}
		if inFilter && p.atFilterStop() {
			break
		}
		p.i++
	}
	if p.i == start {
		return "", p.errorf("missing name after '.'")
	}
	return p.src[start:p.i], nil
}

// bracket parses a bracket step starting at '['.
func (p *parser) bracket() (segment, error) {
	p.i++ // [
	p.skipSpace()
	var s segment
	switch c := p.peek(); {
	case c == '*':
		p.i++
		s = segment{kind: segWildcard}
	case c == '\'' || c == '"':
		var names []string
		for {
			name, err := p.quoted()
			if err != nil {
				return s, err
			}
			names = append(names, name)
			p.skipSpace()
			if p.peek() != ',' {
				break
			}
			p.i++
			p.skipSpace()
			if c := p.peek(); c != '\'' && c != '"' {
				return s, p.errorf("expected a quoted name after ','")
			}
		}
		if len(names) == 1 {
			s = segment{kind: segName, name: names[0]}
		} else {
			s = segment{kind: segNames, names: names}
		}
	case c == '?':
		p.i++
		p.skipSpace()
		if p.peek() != '(' {
			return s, p.errorf("expected '(' after '?'")
		}
		start := p.i
		p.i++
		e, err := p.orExpr()
		if err != nil {
			return s, err
		}
		p.skipSpace()
		if p.peek() != ')' {
			return s, p.errorf("expected ')' to close the filter")
		}
		p.i++
		s = segment{kind: segFilter, filter: e, filterSrc: p.src[start:p.i]}
	case c == '-' || c == ':' || (c >= '0' && c <= '9'):
		var err error
		s, err = p.indexes()
		if err != nil {
			return s, err
		}
	default:
		return s, p.errorf("unexpected %q in brackets", c)
	}
	p.skipSpace()
	if p.peek() != ']' {
		return s, p.errorf("expected ']'")
	}
	p.i++
	return s, nil
}

// quoted reads a quoted name: 'a' or "a". A backslash escapes the quote
// character; any other backslash is kept as written, as AWS does: the path
// $['Test\""Name"'] names the member "Test\\\"\"Name\"" (recorded case
// test_escape_sequence_parsing).
func (p *parser) quoted() (string, error) {
	q := p.src[p.i]
	p.i++
	var b strings.Builder
	for p.i < len(p.src) {
		c := p.src[p.i]
		switch {
		case c == q:
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.src) && p.src[p.i+1] == q:
			b.WriteByte(q)
			p.i += 2
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", p.errorf("unterminated quoted name")
}

func (p *parser) integer() (int, bool) {
	start := p.i
	if p.peek() == '-' {
		p.i++
	}
	for p.i < len(p.src) && p.src[p.i] >= '0' && p.src[p.i] <= '9' {
		p.i++
	}
	if p.i == start || (p.i == start+1 && p.src[start] == '-') {
		p.i = start
		return 0, false
	}
	n, err := strconv.Atoi(p.src[start:p.i])
	if err != nil || n > 1<<31-1 || n < -(1<<31) {
		p.i = start
		return 0, false
	}
	return n, true
}

// indexes parses [0], [0,2], [1:5], [:1], [-2:] and [::2].
func (p *parser) indexes() (segment, error) {
	first, hasFirst := p.integer()
	p.skipSpace()
	if p.peek() == ':' {
		s := segment{kind: segSlice, start: first, hasStart: hasFirst, step: 1}
		p.i++
		p.skipSpace()
		if n, ok := p.integer(); ok {
			s.end, s.hasEnd = n, true
		}
		p.skipSpace()
		if p.peek() == ':' {
			p.i++
			p.skipSpace()
			if n, ok := p.integer(); ok {
				if n <= 0 {
					return s, p.errorf("slice step must be positive")
				}
				s.step = n
			}
		}
		return s, nil
	}
	if !hasFirst {
		return segment{}, p.errorf("expected an index")
	}
	idx := []int{first}
	for p.peek() == ',' {
		p.i++
		p.skipSpace()
		n, ok := p.integer()
		if !ok {
			return segment{}, p.errorf("expected an index after ','")
		}
		idx = append(idx, n)
		p.skipSpace()
	}
	if len(idx) == 1 {
		return segment{kind: segIndex, index: first}, nil
	}
	return segment{kind: segIndexes, indexes: idx}, nil
}

// ParseReference parses a reference path, the restricted form that
// ResultPath, a Choice rule's Variable and similar fields take: it may use
// only names and indexes in dot and bracket notation, so that it identifies
// a single node (AWS: "The operators @ .. , : ? * aren't supported.
// Functions such as length() aren't supported.").
func ParseReference(s string) (*Path, error) {
	p, err := Parse(s)
	if err != nil {
		return nil, err
	}
	if !p.IsReference() {
		return nil, &SyntaxError{Path: s, Offset: 0,
			Msg: "a reference path may use only names and indexes (no wildcards, slices, unions, filters, deep scans or functions)"}
	}
	return p, nil
}
