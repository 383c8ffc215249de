package choice

import (
	"fmt"
	"strconv"

	"github.com/stepwise-run/stepwise/asl/jsonpath"
	"github.com/stepwise-run/stepwise/asl/payload"
	"github.com/stepwise-run/stepwise/value"
)

// Condition is a compiled JSONata "Condition" of a Choice rule.
type Condition interface {
	Eval(s *payload.Scope) (bool, error)
}

// ConditionCompiler compiles the text of a JSONata "Condition" field
// ("{% … %}"). The JSONata package provides one.
type ConditionCompiler func(expr string) (Condition, error)

// Options configures CompileWith.
type Options struct {
	// Condition compiles JSONata "Condition" rules; nil rejects them.
	Condition ConditionCompiler
}

// Error is a definition error in a Choice rule. Pointer is the JSON
// Pointer of the offending member relative to the rule ("/And/1/Variable").
type Error struct {
	Pointer string
	Msg     string
	Err     error
}

func (e *Error) Error() string {
	s := e.Msg
	if e.Pointer != "" {
		s = e.Pointer + ": " + s
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

type ruleKind uint8

const (
	kindCompare ruleKind = iota
	kindAnd
	kindOr
	kindNot
	kindCondition
)

// Rule is a compiled Choice rule. It is immutable and safe for concurrent
// use.
type Rule struct {
	next     string
	kind     ruleKind
	children []*Rule // And, Or, Not
	cond     Condition

	variable *jsonpath.Path
	op       *operator
	lit      any            // the operand, when not a path; a parsed timestamp for Timestamp operators
	path     *jsonpath.Path // the operand of a …Path operator
	pattern  []globPart     // StringMatches
}

// Next returns the state the rule leads to, or "" for a nested rule.
func (r *Rule) Next() string { return r.next }

// Compile compiles one Choice rule (an element of "Choices", or a nested
// rule inside And/Or/Not), given as the raw definition object. Errors name
// the problem and the JSON location relative to the rule.
func Compile(rule *value.Object) (*Rule, error) {
	return CompileWith(rule, Options{})
}

// CompileWith is Compile with options, e.g. a compiler for JSONata
// "Condition" rules.
func CompileWith(rule *value.Object, opts Options) (*Rule, error) {
	return compile(rule, opts, "", true)
}

func compile(obj *value.Object, opts Options, ptr string, top bool) (*Rule, error) {
	r := &Rule{}
	var opName string
	var opVal any
	for i := 0; i < obj.Len(); i++ {
		k, v := obj.At(i)
		mptr := ptr + "/" + k
		switch k {
		case "Comment":
			if _, ok := v.(string); !ok {
				return nil, &Error{Pointer: mptr, Msg: "Comment must be a string"}
			}
		case "Assign", "Output":
			// Top-level rules may assign variables (and, in JSONata, shape
			// the output); the engine evaluates those, not the rule.
			if !top {
				return nil, &Error{Pointer: mptr, Msg: k + " is not allowed in a nested rule"}
			}
		case "Next":
			if !top {
				return nil, &Error{Pointer: mptr, Msg: "Next is not allowed in a nested rule"}
			}
			s, ok := v.(string)
			if !ok || s == "" {
				return nil, &Error{Pointer: mptr, Msg: "Next must be a non-empty string"}
			}
			r.next = s
		case "Variable":
			s, ok := v.(string)
			if !ok {
				return nil, &Error{Pointer: mptr, Msg: "Variable must be a string holding a path"}
			}
			p, err := jsonpath.Parse(s)
			if err != nil {
				return nil, &Error{Pointer: mptr, Msg: "Variable must be a valid JSONPath", Err: err}
			}
			r.variable = p
		case "And", "Or":
			arr, ok := v.([]any)
			if !ok || len(arr) == 0 {
				return nil, &Error{Pointer: mptr, Msg: k + " must be a non-empty array of rules"}
			}
			if err := r.setKind(kindFor(k), mptr); err != nil {
				return nil, err
			}
			for j, e := range arr {
				child, err := compileChild(e, opts, mptr+"/"+strconv.Itoa(j))
				if err != nil {
					return nil, err
				}
				r.children = append(r.children, child)
			}
		case "Not":
			if err := r.setKind(kindNot, mptr); err != nil {
				return nil, err
			}
			child, err := compileChild(v, opts, mptr)
			if err != nil {
				return nil, err
			}
			r.children = []*Rule{child}
		case "Condition":
			if err := r.setKind(kindCondition, mptr); err != nil {
				return nil, err
			}
			s, ok := v.(string)
			if !ok {
				return nil, &Error{Pointer: mptr, Msg: "Condition must be a string"}
			}
			if opts.Condition == nil {
				return nil, &Error{Pointer: mptr, Msg: "Condition is a JSONata rule and needs a JSONata condition compiler"}
			}
			c, err := opts.Condition(s)
			if err != nil {
				return nil, &Error{Pointer: mptr, Msg: "invalid Condition", Err: err}
			}
			r.cond = c
		default:
			op := operators[k]
			if op == nil {
				return nil, &Error{Pointer: mptr, Msg: fmt.Sprintf("unknown field %q in a Choice rule", k)}
			}
			if r.op != nil {
				return nil, &Error{Pointer: mptr, Msg: fmt.Sprintf("a rule has one comparison operator, but %s and %s are both present", opName, k)}
			}
			if err := r.setKind(kindCompare, mptr); err != nil {
				return nil, err
			}
			r.op, opName, opVal = op, k, v
		}
	}
	switch {
	case r.kind == kindCompare && r.op == nil:
		return nil, &Error{Pointer: ptr, Msg: "a rule needs a comparison operator (e.g. StringEquals), And, Or or Not"}
	case r.kind == kindCompare && r.variable == nil:
		return nil, &Error{Pointer: ptr, Msg: fmt.Sprintf("the %s comparison needs a Variable", opName)}
	case r.kind != kindCompare && r.variable != nil:
		return nil, &Error{Pointer: ptr + "/Variable", Msg: "Variable is only allowed with a comparison operator"}
	}
	if r.kind == kindCompare {
		if err := r.setOperand(opName, opVal, ptr+"/"+opName); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func kindFor(k string) ruleKind {
	if k == "And" {
		return kindAnd
	}
	return kindOr
}

// setKind records the rule's kind; a rule has exactly one.
func (r *Rule) setKind(k ruleKind, ptr string) error {
	if r.children != nil || r.cond != nil || r.op != nil {
		return &Error{Pointer: ptr, Msg: "a rule has exactly one of a comparison operator, And, Or, Not or Condition"}
	}
	r.kind = k
	return nil
}

func compileChild(v any, opts Options, ptr string) (*Rule, error) {
	obj, ok := v.(*value.Object)
	if !ok {
		return nil, &Error{Pointer: ptr, Msg: "a nested rule must be an object"}
	}
	return compile(obj, opts, ptr, false)
}

// setOperand checks and stores the comparison's operand.
func (r *Rule) setOperand(name string, v any, ptr string) error {
	op := r.op
	if op.path {
		s, ok := v.(string)
		if !ok {
			return &Error{Pointer: ptr, Msg: name + " must be a string holding a path"}
		}
		p, err := jsonpath.Parse(s)
		if err != nil {
			return &Error{Pointer: ptr, Msg: name + " must be a valid JSONPath", Err: err}
		}
		r.path = p
		return nil
	}
	switch op.typ {
	case typeString:
		s, ok := v.(string)
		if !ok {
			return &Error{Pointer: ptr, Msg: name + " must be a string"}
		}
		r.lit = s
		if op.cmp == cmpMatches {
			r.pattern = compileGlob(s)
		}
	case typeTimestamp:
		s, ok := v.(string)
		if !ok {
			return &Error{Pointer: ptr, Msg: name + " must be a string holding a timestamp"}
		}
		t, ok := ParseTimestamp(s)
		if !ok {
			return &Error{Pointer: ptr, Msg: fmt.Sprintf("%s must be an RFC 3339 timestamp, but was %q", name, s)}
		}
		r.lit = t
	case typeNumber:
		f, ok := v.(float64)
		if !ok {
			return &Error{Pointer: ptr, Msg: name + " must be a number"}
		}
		r.lit = f
	case typeBoolean, typeCheck:
		b, ok := v.(bool)
		if !ok {
			return &Error{Pointer: ptr, Msg: name + " must be a boolean"}
		}
		r.lit = b
	}
	return nil
}
