package choice

import (
	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/asl/jsonpath"
	"github.com/stepwise-run/stepwise/asl/payload"
)

// Eval reports whether the rule matches in the scope. It fails with
// States.Runtime when a comparison other than IsPresent reads a path that
// matches nothing.
func (r *Rule) Eval(s *payload.Scope) (bool, error) {
	switch r.kind {
	case kindAnd:
		for _, c := range r.children {
			ok, err := c.Eval(s)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case kindOr:
		for _, c := range r.children {
			ok, err := c.Eval(s)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case kindNot:
		ok, err := r.children[0].Eval(s)
		return !ok && err == nil, err
	case kindCondition:
		return r.cond.Eval(s)
	}
	v, found := lookup(s, r.variable)
	if r.op.typ == typeCheck {
		if r.op.cmp == isPresent {
			return found == r.lit.(bool), nil
		}
		if !found {
			return false, invalidPath(r.variable)
		}
		return check(r.op.cmp, v) == r.lit.(bool), nil
	}
	if !found {
		return false, invalidPath(r.variable)
	}
	operand := r.lit
	if r.path != nil {
		w, ok := lookup(s, r.path)
		if !ok {
			return false, invalidPath(r.path)
		}
		operand = w
	}
	return compareValues(r.op, v, operand, r.pattern), nil
}

func lookup(s *payload.Scope, p *jsonpath.Path) (any, bool) {
	doc, ok := s.Doc(p)
	if !ok {
		return nil, false
	}
	return p.Lookup(doc)
}

func invalidPath(p *jsonpath.Path) error {
	return failure.Errorf(failure.Runtime, "Invalid path '%s': The choice state's condition path references an invalid value.", p)
}
