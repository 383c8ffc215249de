package jsonpath

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/stepwise-run/stepwise/value"
)

// expr is a node of a filter expression.
type expr interface {
	// eval reports whether the expression holds for the current node cur,
	// with root the document the whole path is evaluated on.
	eval(cur, root any) bool
}

type orExpr struct{ l, r expr }
type andExpr struct{ l, r expr }
type notExpr struct{ e expr }

// existsExpr is a bare operand: "@.a" holds when the path matches.
type existsExpr struct{ o operand }

type cmpExpr struct {
	op   string
	l, r operand
	re   *regexp.Regexp // for =~
}

func (e orExpr) eval(cur, root any) bool  { return e.l.eval(cur, root) || e.r.eval(cur, root) }
func (e andExpr) eval(cur, root any) bool { return e.l.eval(cur, root) && e.r.eval(cur, root) }
func (e notExpr) eval(cur, root any) bool { return !e.e.eval(cur, root) }
func (e existsExpr) eval(cur, root any) bool {
	v, ok := e.o.value(cur, root)
	if !ok {
		return false
	}
	if e.o.path != nil && !e.o.path.definite {
		return len(v.([]any)) > 0
	}
	if e.o.path == nil {
		// A literal on its own: Jayway treats true as true and anything
		// else as false.
		b, isBool := v.(bool)
		return isBool && b
	}
	return true
}

// operand is a literal or a path relative to "@" or "$".
type operand struct {
	path    *Path // nil for literals
	current bool  // path starts at "@"
	lit     any
}

// value returns the operand's value and whether it exists.
func (o operand) value(cur, root any) (any, bool) {
	if o.path == nil {
		return o.lit, true
	}
	if o.path.fn != "" {
		return nil, false // functions match nothing, as on AWS
	}
	doc := root
	if o.current {
		doc = cur
	}
	if !o.path.definite {
		var out []any
		out = o.path.collect(doc, root, out)
		return out, true
	}
	return o.path.lookup(doc)
}

func (e cmpExpr) eval(cur, root any) bool {
	l, lok := e.l.value(cur, root)
	r, rok := e.r.value(cur, root)
	switch e.op {
	case "==":
		return lok && rok && value.Equal(l, r)
	case "!=":
		return !(lok && rok && value.Equal(l, r))
	case "<", "<=", ">", ">=":
		if !lok || !rok {
			return false
		}
		c, ok := compare(l, r)
		if !ok {
			return false
		}
		switch e.op {
		case "<":
			return c < 0
		case "<=":
			return c <= 0
		case ">":
			return c > 0
		default:
			return c >= 0
		}
	case "=~":
		s, ok := l.(string)
		return lok && ok && e.re.MatchString(s)
	case "in", "nin":
		list, ok := r.([]any)
		if !rok || !ok {
			return false
		}
		found := false
		if lok {
			for _, x := range list {
				if value.Equal(l, x) {
					found = true
					break
				}
			}
		}
		return found == (e.op == "in")
	}
	return false
}

// compare orders two numbers or two strings.
func compare(a, b any) (int, bool) {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		if !ok {
			return 0, false
		}
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, x == y
	case string:
		y, ok := b.(string)
		if !ok {
			return 0, false
		}
		return strings.Compare(x, y), true
	}
	return 0, false
}

// Filter grammar:
//
//	or      = and { "||" and }
//	and     = unary { "&&" unary }
//	unary   = "!" unary | "(" or ")" | operand [ op operand ]
//	operand = "@"path | "$"path | number | 'str' | "str" | true | false | null | [ literals ] | /re/flags

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxFilterDepth {
		return p.errorf("filter nested deeper than %d", maxFilterDepth)
	}
	return nil
}

func (p *parser) orExpr() (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	l, err := p.andExpr()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		if !strings.HasPrefix(p.src[p.i:], "||") {
			return l, nil
		}
		p.i += 2
		r, err := p.andExpr()
		if err != nil {
			return nil, err
		}
		l = orExpr{l, r}
	}
}

func (p *parser) andExpr() (expr, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		if !strings.HasPrefix(p.src[p.i:], "&&") {
			return l, nil
		}
		p.i += 2
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = andExpr{l, r}
	}
}

func (p *parser) unary() (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.skipSpace()
	switch {
	case p.peek() == '!' && !strings.HasPrefix(p.src[p.i:], "!="):
		p.i++
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		return notExpr{e}, nil
	case p.peek() == '(':
		p.i++
		e, err := p.orExpr()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.peek() != ')' {
			return nil, p.errorf("expected ')'")
		}
		p.i++
		return e, nil
	}
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	op := p.operator()
	if op == "" {
		return existsExpr{l}, nil
	}
	p.skipSpace()
	if op == "=~" {
		re, err := p.regex()
		if err != nil {
			return nil, err
		}
		return cmpExpr{op: op, l: l, re: re}, nil
	}
	r, err := p.operand()
	if err != nil {
		return nil, err
	}
	return cmpExpr{op: op, l: l, r: r}, nil
}

func (p *parser) operator() string {
	rest := p.src[p.i:]
	for _, op := range []string{"==", "!=", "<=", ">=", "=~", "<", ">"} {
		if strings.HasPrefix(rest, op) {
			p.i += len(op)
			return op
		}
	}
	for _, op := range []string{"nin", "in"} {
		if strings.HasPrefix(rest, op) && len(rest) > len(op) && (rest[len(op)] == ' ' || rest[len(op)] == '[') {
			p.i += len(op)
			return op
		}
	}
	return ""
}

func (p *parser) regex() (*regexp.Regexp, error) {
	if p.peek() != '/' {
		return nil, p.errorf("expected /regex/ after =~")
	}
	p.i++
	start := p.i
	for p.i < len(p.src) && p.src[p.i] != '/' {
		if p.src[p.i] == '\\' {
			p.i++
		}
		p.i++
	}
	if p.i >= len(p.src) {
		return nil, p.errorf("unterminated regular expression")
	}
	pat := p.src[start:p.i]
	p.i++
	flags := ""
	for p.i < len(p.src) && strings.IndexByte("imsx", p.src[p.i]) >= 0 {
		if p.src[p.i] != 'x' {
			flags += string(p.src[p.i])
		}
		p.i++
	}
	if flags != "" {
		pat = "(?" + flags + ")" + pat
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return nil, p.errorf("invalid regular expression: %v", err)
	}
	return re, nil
}

func (p *parser) operand() (operand, error) {
	switch c := p.peek(); {
	case c == '@' || c == '$':
		return p.subPath()
	case c == '\'' || c == '"':
		s, err := p.quoted()
		return operand{lit: s}, err
	case c == '[':
		p.i++
		var list []any
		for {
			p.skipSpace()
			if p.peek() == ']' && len(list) == 0 {
				p.i++
				return operand{lit: list}, nil
			}
			o, err := p.operand()
			if err != nil {
				return operand{}, err
			}
			if o.path != nil {
				return operand{}, p.errorf("paths are not allowed in a list")
			}
			list = append(list, o.lit)
			p.skipSpace()
			switch p.peek() {
			case ',':
				p.i++
			case ']':
				p.i++
				if list == nil {
					list = []any{}
				}
				return operand{lit: list}, nil
			default:
				return operand{}, p.errorf("expected ',' or ']' in list")
			}
		}
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.i
		p.i++
		for p.i < len(p.src) && strings.IndexByte("0123456789.eE+-", p.src[p.i]) >= 0 {
			p.i++
		}
		f, err := strconv.ParseFloat(p.src[start:p.i], 64)
		if err != nil {
			p.i = start
			return operand{}, p.errorf("invalid number")
		}
		return operand{lit: f}, nil
	}
	for _, w := range []struct {
		text string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if strings.HasPrefix(p.src[p.i:], w.text) {
			p.i += len(w.text)
			return operand{lit: w.v}, nil
		}
	}
	if p.eof() {
		return operand{}, p.errorf("unexpected end of filter")
	}
	return operand{}, p.errorf("unexpected %q in filter", p.peek())
}

// subPath parses "@…" or "$…" inside a filter.
func (p *parser) subPath() (operand, error) {
	if err := p.enter(); err != nil {
		return operand{}, err
	}
	defer func() { p.depth-- }()
	current := p.peek() == '@'
	start := p.i
	p.i++
	segs, fn, err := p.segments(true)
	if err != nil {
		return operand{}, err
	}
	sub := &Path{src: p.src[start:p.i], segs: segs, fn: fn, definite: definite(segs)}
	return operand{path: sub, current: current}, nil
}
