package jsonata

import "strconv"

// process is jsonata-js's processAST: it flattens location paths into
// steps, attaches predicates, grouping, focus and index bindings to steps,
// resolves parent (%) references and marks tail calls.
func (p *parser) process(expr *node) *node {
	var result *node
	switch expr.typ {
	case ntBinary:
		switch expr.op {
		case ".":
			result = p.processDot(expr)
		case "[":
			result = p.process(expr.lhs)
			step := result
			usesStages := false
			if result.typ == ntPath {
				step = result.steps[len(result.steps)-1]
				usesStages = true
			}
			if step.group != nil {
				p.fail(newError("S0209", expr.pos, ""))
			}
			pred := p.process(expr.rhs)
			if pred.seekingParent != nil {
				for _, s := range pred.seekingParent.s {
					if s.level == 1 {
						p.seekParent(step, s)
					} else {
						s.level--
					}
				}
				pushAncestry(step, pred)
			}
			st := stage{expr: pred, pos: expr.pos}
			if usesStages {
				step.stages = append(step.stages, st)
				if step.stages == nil {
					step.stages = []stage{}
				}
			} else {
				step.predicate = append(step.predicate, st)
			}
		case "{":
			result = p.process(expr.lhs)
			if result.group != nil {
				p.fail(newError("S0210", expr.pos, ""))
			}
			g := &groupSpec{pos: expr.pos}
			for _, pair := range expr.pairs {
				g.pairs = append(g.pairs, [2]*node{p.process(pair[0]), p.process(pair[1])})
			}
			result.group = g
		case "^":
			result = p.process(expr.lhs)
			if result.typ != ntPath {
				result = &node{typ: ntPath, steps: []*node{result}}
			}
			sortStep := &node{typ: ntSort, pos: expr.pos}
			for _, t := range expr.rawTerms {
				e := p.process(t.expr)
				pushAncestry(sortStep, e)
				sortStep.terms = append(sortStep.terms, sortTerm{descending: t.descending, expr: e})
			}
			result.steps = append(result.steps, sortStep)
			p.resolveAncestry(result)
		case ":=":
			result = &node{typ: ntBind, op: expr.op, pos: expr.pos}
			result.lhs = p.process(expr.lhs)
			result.rhs = p.process(expr.rhs)
			pushAncestry(result, result.rhs)
		case "@":
			result = p.process(expr.lhs)
			step := result
			if result.typ == ntPath {
				step = result.steps[len(result.steps)-1]
			}
			if step.stages != nil || step.predicate != nil {
				p.fail(newError("S0215", expr.pos, ""))
			}
			if step.typ == ntSort {
				p.fail(newError("S0216", expr.pos, ""))
			}
			if expr.keepArray {
				step.keepArray = true
			}
			step.focus = expr.rhs.op
			step.tuple = true
		case "#":
			result = p.process(expr.lhs)
			step := result
			if result.typ == ntPath {
				step = result.steps[len(result.steps)-1]
			} else {
				result = &node{typ: ntPath, steps: []*node{result}}
				if step.predicate != nil {
					step.stages = step.predicate
					step.predicate = nil
				}
			}
			if step.stages == nil {
				step.index = expr.rhs.op
			} else {
				step.stages = append(step.stages, stage{isIndex: true, name: expr.rhs.op, pos: expr.pos})
			}
			step.tuple = true
		case "~>":
			result = &node{typ: ntApply, op: expr.op, pos: expr.pos}
			result.lhs = p.process(expr.lhs)
			result.rhs = p.process(expr.rhs)
			result.keepArray = result.lhs.keepArray || result.rhs.keepArray
		default:
			result = &node{typ: expr.typ, op: expr.op, pos: expr.pos}
			result.lhs = p.process(expr.lhs)
			result.rhs = p.process(expr.rhs)
			pushAncestry(result, result.lhs)
			pushAncestry(result, result.rhs)
		}
	case ntUnary:
		result = &node{typ: ntUnary, op: expr.op, pos: expr.pos}
		switch expr.op {
		case "[":
			result.exprs = make([]*node, 0, len(expr.exprs))
			for _, item := range expr.exprs {
				v := p.process(item)
				pushAncestry(result, v)
				result.exprs = append(result.exprs, v)
			}
		case "{":
			for _, pair := range expr.pairs {
				k := p.process(pair[0])
				pushAncestry(result, k)
				v := p.process(pair[1])
				pushAncestry(result, v)
				result.pairs = append(result.pairs, [2]*node{k, v})
			}
			result.ctor = &groupSpec{pairs: result.pairs, pos: result.pos}
		default:
			result.expr = p.process(expr.expr)
			if expr.op == "-" && result.expr.typ == ntNumber {
				result = result.expr
				result.num = -result.num
				result.val = result.num
			} else {
				pushAncestry(result, result.expr)
			}
		}
	case ntFunction, ntPartial:
		result = &node{typ: expr.typ, op: expr.op, pos: expr.pos}
		for _, a := range expr.args {
			ap := p.process(a)
			pushAncestry(result, ap)
			result.args = append(result.args, ap)
		}
		result.procedure = p.process(expr.procedure)
	case ntLambda:
		result = &node{typ: ntLambda, params: expr.params, sig: expr.sig, pos: expr.pos}
		body := p.process(expr.body)
		result.body = tailCallOptimize(body)
	case ntCondition:
		result = &node{typ: ntCondition, pos: expr.pos}
		result.condition = p.process(expr.condition)
		pushAncestry(result, result.condition)
		result.then = p.process(expr.then)
		pushAncestry(result, result.then)
		if expr.els != nil {
			result.els = p.process(expr.els)
			pushAncestry(result, result.els)
		}
	case ntTransform:
		result = &node{typ: ntTransform, pos: expr.pos}
		result.pattern = p.process(expr.pattern)
		result.update = p.process(expr.update)
		if expr.del != nil {
			result.del = p.process(expr.del)
		}
	case ntBlock:
		result = &node{typ: ntBlock, pos: expr.pos}
		for _, item := range expr.exprs {
			part := p.process(item)
			pushAncestry(result, part)
			if part.consarray || (part.typ == ntPath && part.steps[0].consarray) {
				result.consarray = true
			}
			result.exprs = append(result.exprs, part)
		}
	case ntName:
		result = &node{typ: ntPath, steps: []*node{expr}}
		if expr.keepArray {
			result.keepSingletonArray = true
		}
	case ntParent:
		result = &node{typ: ntParent, pos: expr.pos, slot: &slot{label: "!" + strconv.Itoa(p.ancestorLabel), level: 1, index: p.ancestorIndex}}
		p.ancestorLabel++
		p.ancestorIndex++
		p.ancestry = append(p.ancestry, result)
	case ntString, ntNumber, ntValue, ntWildcard, ntDescendant, ntVariable, ntRegex:
		result = expr
	case ntOperator:
		if expr.op == "and" || expr.op == "or" || expr.op == "in" {
			expr.typ = ntName
			result = p.process(expr)
		} else if expr.op == "?" {
			result = expr
		} else {
			p.fail(newError("S0201", expr.pos, expr.op))
		}
	default:
		code := "S0206"
		if expr.id == "(end)" {
			code = "S0207"
		}
		p.fail(newError(code, expr.pos, tokenText(expr)))
	}
	if expr.keepArray {
		result.keepArray = true
	}
	return result
}

func (p *parser) processDot(expr *node) *node {
	lstep := p.process(expr.lhs)
	var result *node
	if lstep.typ == ntPath {
		result = lstep
	} else {
		result = &node{typ: ntPath, steps: []*node{lstep}}
	}
	if lstep.typ == ntParent {
		result.seekingParent = &slotList{s: []*slot{lstep.slot}}
	}
	rest := p.process(expr.rhs)
	if rest.typ == ntPath {
		result.steps = append(result.steps, rest.steps...)
	} else {
		if rest.predicate != nil {
			rest.stages = rest.predicate
			rest.predicate = nil
		}
		result.steps = append(result.steps, rest)
	}
	for _, step := range result.steps {
		if step.typ == ntNumber || step.typ == ntValue {
			p.fail(newError("S0213", step.pos, "").val(step.val))
		}
		if step.typ == ntString {
			step.typ = ntName
			step.op = step.str
		}
	}
	for _, step := range result.steps {
		if step.keepArray {
			result.keepSingletonArray = true
			break
		}
	}
	first := result.steps[0]
	if first.typ == ntUnary && first.op == "[" {
		first.consarray = true
	}
	last := result.steps[len(result.steps)-1]
	if last.typ == ntUnary && last.op == "[" {
		last.consarray = true
	}
	p.resolveAncestry(result)
	return result
}

func tailCallOptimize(expr *node) *node {
	switch {
	case expr.typ == ntFunction && expr.predicate == nil:
		return &node{typ: ntLambda, thunk: true, pos: expr.pos, body: expr}
	case expr.typ == ntCondition:
		expr.then = tailCallOptimize(expr.then)
		if expr.els != nil {
			expr.els = tailCallOptimize(expr.els)
		}
	case expr.typ == ntBlock:
		if n := len(expr.exprs); n > 0 {
			expr.exprs[n-1] = tailCallOptimize(expr.exprs[n-1])
		}
	}
	return expr
}

func (p *parser) seekParent(n *node, s *slot) *slot {
	switch n.typ {
	case ntName, ntWildcard:
		s.level--
		if s.level == 0 {
			if n.ancestor == nil {
				n.ancestor = s
			} else {
				p.ancestry[s.index].slot.label = n.ancestor.label
				n.ancestor = s
			}
			n.tuple = true
		}
	case ntParent:
		s.level++
	case ntBlock:
		if len(n.exprs) > 0 {
			n.tuple = true
			s = p.seekParent(n.exprs[len(n.exprs)-1], s)
		}
	case ntPath:
		n.tuple = true
		index := len(n.steps) - 1
		s = p.seekParent(n.steps[index], s)
		index--
		for s.level > 0 && index >= 0 {
			s = p.seekParent(n.steps[index], s)
			index--
		}
	default:
		p.fail(newError("S0217", n.pos, n.typ.String()))
	}
	return s
}

func pushAncestry(result, v *node) {
	if v.seekingParent != nil || v.typ == ntParent {
		var slots *slotList
		if v.seekingParent != nil {
			slots = v.seekingParent
		} else {
			slots = &slotList{}
		}
		if v.typ == ntParent {
			slots.s = append(slots.s, v.slot)
		}
		if result.seekingParent == nil {
			result.seekingParent = slots
		} else {
			result.seekingParent.s = append(result.seekingParent.s, slots.s...)
		}
	}
}

func (p *parser) resolveAncestry(path *node) {
	index := len(path.steps) - 1
	last := path.steps[index]
	var slots []*slot
	if last.seekingParent != nil {
		slots = last.seekingParent.s
	}
	if last.typ == ntParent {
		slots = append(slots, last.slot)
		if last.seekingParent != nil {
			last.seekingParent.s = slots
		}
	}
	for _, s := range slots {
		index = len(path.steps) - 2
		for s.level > 0 {
			if index < 0 {
				if path.seekingParent == nil {
					path.seekingParent = &slotList{s: []*slot{s}}
				} else {
					path.seekingParent.s = append(path.seekingParent.s, s)
				}
				break
			}
			step := path.steps[index]
			index--
			for index >= 0 && step.focus != "" && path.steps[index].focus != "" {
				step = path.steps[index]
				index--
			}
			s = p.seekParent(step, s)
		}
	}
}
