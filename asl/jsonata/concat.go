package jsonata

import "github.com/stepwise-run/stepwise/value"

// concatChain is how many '&' operators of a left-nested chain such as
// a & b & c concat evaluates together.
const concatChain = 16

// concat evaluates the string concatenation operator. A chain a & b & c
// parses as (a & b) & c; concat evaluates the nested operators itself and
// builds the result once, instead of one string per operator, with the
// same order of evaluation, depth and step accounting, and errors as
// evaluating each operator on its own.
func (ev *evaluator) concat(n *node, input any, env *frame) (any, error) {
	var chainBuf [concatChain]*node
	chain := append(chainBuf[:0], n)
	for m := n.lhs; len(chain) < concatChain && m.typ == ntBinary && m.op == "&" && m.predicate == nil && m.group == nil; m = m.lhs {
		chain = append(chain, m)
	}
	// Enter the nested operators as eval would.
	entered := 0
	fail := func(err error) (any, error) {
		ev.depth -= entered
		return nil, err
	}
	for _, m := range chain[1:] {
		if err := ev.enter(m.pos); err != nil {
			return fail(err)
		}
		entered++
	}
	innermost := chain[len(chain)-1]
	lhs, err := ev.eval(innermost.lhs, input, env)
	if err != nil {
		return fail(err)
	}
	var buf [128]byte
	b := buf[:0]
	for i := len(chain) - 1; i >= 0; i-- {
		m := chain[i]
		rhs, err := ev.eval(m.rhs, input, env)
		if err != nil {
			return fail(err)
		}
		ls := len(b)
		if i == len(chain)-1 && !isUndef(lhs) {
			s, err := stringify(lhs)
			if err != nil {
				return fail(opError(err, m))
			}
			b = append(b, s...)
			ls = len(s)
		}
		rs := 0
		if !isUndef(rhs) {
			s, err := stringify(rhs)
			if err != nil {
				return fail(opError(err, m))
			}
			b = append(b, s...)
			rs = len(s)
		}
		if n := ls + rs; n > 1024 {
			if err := ev.charge(int64(n / 1024)); err != nil {
				return fail(opError(err, m))
			}
		}
		if i > 0 {
			ev.depth--
			entered--
		}
	}
	return value.StringValue(b), nil
}
