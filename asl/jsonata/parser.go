package jsonata

// This file is a port of jsonata-js's Pratt parser (parser.js): a top-down
// operator-precedence parser whose tokens become the nodes of the parse
// tree, post-processed by process (postprocess.go).

// bindingPowers are the left binding powers of infix operators.
var bindingPowers = map[string]int{
	".": 75, "[": 80, "{": 70, "(": 80, "@": 80, "#": 80, "?": 20,
	"+": 50, "-": 50, "*": 60, "/": 60, "%": 60, "=": 40, "<": 40, ">": 40,
	"^": 40, "!=": 40, "<=": 40, ">=": 40, "~>": 40, "and": 30, "or": 25,
	"in": 40, "&": 50, ":=": 10,
}

// knownSymbols are the operator tokens the parser has a symbol for.
var knownSymbols = map[string]bool{
	":": true, ";": true, ",": true, ")": true, "]": true, "}": true, "..": true,
	".": true, "+": true, "-": true, "*": true, "/": true, "%": true, "=": true,
	"<": true, ">": true, "!=": true, "<=": true, ">=": true, "&": true,
	"and": true, "or": true, "in": true, "~>": true, "**": true, "(": true,
	"[": true, "^": true, "{": true, ":=": true, "@": true, "#": true, "?": true,
	"|": true,
}

// maxParseDepth bounds the nesting of the parse so that a hostile
// expression cannot exhaust the stack.
const maxParseDepth = 1000

type parser struct {
	lx    lexer
	src   string
	node  *node
	depth int

	ancestorLabel int
	ancestorIndex int
	ancestry      []*node
}

// parse parses src into a post-processed AST.
func parse(src string) (n *node, err error) {
	p := &parser{lx: lexer{src: src}, src: src}
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(*Error); ok {
				n, err = nil, e.finish()
				return
			}
			panic(r)
		}
	}()
	p.advance("", false)
	expr := p.expression(0)
	if p.node.id != "(end)" {
		p.fail(newError("S0201", p.node.pos, tokenText(p.node)))
	}
	expr = p.process(expr)
	if expr.typ == ntParent || expr.seekingParent != nil {
		p.fail(newError("S0217", expr.pos, expr.typ.String()))
	}
	return expr, nil
}

// fail aborts the parse with err; parse recovers it.
func (p *parser) fail(err *Error) {
	panic(err)
}

// tokenText is the text jsonata-js reports as a node's token.
func tokenText(n *node) string {
	switch n.typ {
	case ntString:
		return n.str
	case ntNumber:
		return formatNum(n.num)
	case ntValue:
		switch v := n.val.(type) {
		case bool:
			if v {
				return "true"
			}
			return "false"
		default:
			return "null"
		}
	case ntRegex:
		return n.regex.source
	case ntEnd:
		return "(end)"
	}
	return n.op
}

func (p *parser) advance(id string, infix bool) *node {
	if id != "" && p.node.id != id {
		code := "S0202"
		if p.node.id == "(end)" {
			code = "S0203"
		}
		err := newError(code, p.node.pos, tokenText(p.node)).val(id)
		p.fail(err)
	}
	tok, err := p.lx.next(infix)
	if err != nil {
		p.fail(err)
	}
	n := &node{pos: tok.pos}
	switch tok.typ {
	case tokEnd:
		n.id, n.typ, n.pos = "(end)", ntEnd, len(p.src)
	case tokName:
		n.id, n.typ, n.op = "(name)", ntName, tok.str
	case tokVariable:
		n.id, n.typ, n.op = "(name)", ntVariable, tok.str
	case tokOperator:
		if !knownSymbols[tok.str] {
			p.fail(newError("S0204", tok.pos, tok.str))
		}
		n.id, n.typ, n.op = tok.str, ntOperator, tok.str
	case tokString:
		n.id, n.typ, n.str, n.val = "(literal)", ntString, tok.str, tok.str
	case tokNumber:
		n.id, n.typ, n.num, n.val = "(literal)", ntNumber, tok.num, tok.num
	case tokValue:
		n.id, n.typ, n.val = "(literal)", ntValue, tok.val
	case tokRegex:
		n.id, n.typ, n.regex = "(regex)", ntRegex, tok.re
	}
	p.node = n
	return n
}

func (p *parser) lbp(n *node) int {
	if n.typ != ntOperator {
		return 0
	}
	return bindingPowers[n.id]
}

func (p *parser) expression(rbp int) *node {
	p.depth++
	if p.depth > maxParseDepth {
		p.fail(newError("S0201", p.node.pos, tokenText(p.node)).with("detail", "expression nested too deeply"))
	}
	t := p.node
	p.advance("", true)
	left := p.nud(t)
	for rbp < p.lbp(p.node) {
		t = p.node
		p.advance("", false)
		left = p.led(t, left)
	}
	p.depth--
	return left
}

func (p *parser) nud(t *node) *node {
	switch t.id {
	case "(end)", "(name)", "(literal)", "(regex)", "and", "or", "in":
		return t
	case "-":
		t.expr = p.expression(70)
		t.typ = ntUnary
		return t
	case "*":
		t.typ = ntWildcard
		return t
	case "**":
		t.typ = ntDescendant
		return t
	case "%":
		t.typ = ntParent
		return t
	case "(":
		var exprs []*node
		for p.node.id != ")" {
			exprs = append(exprs, p.expression(0))
			if p.node.id != ";" {
				break
			}
			p.advance(";", false)
		}
		p.advance(")", true)
		t.typ = ntBlock
		t.exprs = exprs
		return t
	case "[":
		var items []*node
		if p.node.id != "]" {
			for {
				item := p.expression(0)
				if p.node.id == ".." {
					r := &node{typ: ntBinary, id: "..", op: "..", pos: p.node.pos, lhs: item}
					p.advance("..", false)
					r.rhs = p.expression(0)
					item = r
				}
				items = append(items, item)
				if p.node.id != "," {
					break
				}
				p.advance(",", false)
			}
		}
		p.advance("]", true)
		t.exprs = items
		t.typ = ntUnary
		return t
	case "{":
		return p.object(t, nil)
	case "|":
		t.typ = ntTransform
		t.pattern = p.expression(0)
		p.advance("|", false)
		t.update = p.expression(0)
		if p.node.id == "," {
			p.advance(",", false)
			t.del = p.expression(0)
		}
		p.advance("|", false)
		return t
	}
	p.fail(newError("S0211", t.pos, tokenText(t)))
	return nil
}

func (p *parser) object(t, left *node) *node {
	var pairs [][2]*node
	if p.node.id != "}" {
		for {
			k := p.expression(0)
			p.advance(":", false)
			v := p.expression(0)
			pairs = append(pairs, [2]*node{k, v})
			if p.node.id != "," {
				break
			}
			p.advance(",", false)
		}
	}
	p.advance("}", true)
	if left == nil {
		t.pairs = pairs
		t.typ = ntUnary
	} else {
		t.lhs = left
		t.pairs = pairs
		t.typ = ntBinary
	}
	return t
}

func (p *parser) led(t, left *node) *node {
	switch t.id {
	case "(":
		return p.call(t, left)
	case "[":
		if p.node.id == "]" {
			step := left
			for step != nil && step.typ == ntBinary && step.op == "[" {
				step = step.lhs
			}
			step.keepArray = true
			p.advance("]", false)
			return left
		}
		t.lhs = left
		t.rhs = p.expression(0)
		t.typ = ntBinary
		p.advance("]", true)
		return t
	case "^":
		p.advance("(", false)
		var terms []sortTerm
		for {
			term := sortTerm{}
			if p.node.id == "<" {
				p.advance("<", false)
			} else if p.node.id == ">" {
				term.descending = true
				p.advance(">", false)
			}
			term.expr = p.expression(0)
			terms = append(terms, term)
			if p.node.id != "," {
				break
			}
			p.advance(",", false)
		}
		p.advance(")", false)
		t.lhs = left
		t.rawTerms = terms
		t.typ = ntBinary
		return t
	case "{":
		return p.object(t, left)
	case ":=":
		if left.typ != ntVariable {
			p.fail(newError("S0212", left.pos, tokenText(left)))
		}
		t.lhs = left
		t.rhs = p.expression(bindingPowers[":="] - 1)
		t.typ = ntBinary
		return t
	case "@", "#":
		t.lhs = left
		t.rhs = p.expression(bindingPowers[t.id])
		if t.rhs.typ != ntVariable {
			p.fail(newError("S0214", t.rhs.pos, t.id))
		}
		t.typ = ntBinary
		return t
	case "?":
		t.typ = ntCondition
		t.condition = left
		t.then = p.expression(0)
		if p.node.id == ":" {
			p.advance(":", false)
			t.els = p.expression(0)
		}
		return t
	}
	t.lhs = left
	t.rhs = p.expression(bindingPowers[t.id])
	t.typ = ntBinary
	return t
}

func (p *parser) call(t, left *node) *node {
	t.procedure = left
	t.typ = ntFunction
	if p.node.id != ")" {
		for {
			if p.node.typ == ntOperator && p.node.id == "?" {
				t.typ = ntPartial
				t.args = append(t.args, p.node)
				p.advance("?", false)
			} else {
				t.args = append(t.args, p.expression(0))
			}
			if p.node.id != "," {
				break
			}
			p.advance(",", false)
		}
	}
	p.advance(")", true)
	if left.typ == ntName && (left.op == "function" || left.op == "\u03BB") {
		for i, a := range t.args {
			if a.typ != ntVariable {
				p.fail(newError("S0208", a.pos, tokenText(a)).val(float64(i + 1)))
			}
			t.params = append(t.params, a.op)
		}
		t.typ = ntLambda
		if p.node.id == "<" {
			sigPos := p.node.pos
			depth := 1
			sig := "<"
			for depth > 0 && p.node.id != "{" && p.node.id != "(end)" {
				tok := p.advance("", false)
				if tok.id == ">" {
					depth--
				} else if tok.id == "<" {
					depth++
				}
				sig += tokenText(tok)
			}
			p.advance(">", false)
			s, err := parseSignature(sig)
			if err != nil {
				err.Position = sigPos + err.Position
				p.fail(err)
			}
			t.sig = s
		}
		p.advance("{", false)
		t.body = p.expression(0)
		p.advance("}", false)
	}
	return t
}
