package payload

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/asl/intrinsic"
	"github.com/stepwise-run/stepwise/asl/jsonpath"
	"github.com/stepwise-run/stepwise/value"
)

// CompileError is a definition error in a payload template.
type CompileError struct {
	Field   string // the definition field, e.g. "Parameters"
	Pointer string // JSON Pointer of the bad member inside the field, e.g. "/a/b.$"
	Key     string // the member's key, e.g. "b.$"
	Msg     string // what is wrong
	Err     error  // the underlying path or intrinsic syntax error, if any
}

func (e *CompileError) Error() string {
	s := fmt.Sprintf("%s%s: %s", e.Field, e.Pointer, e.Msg)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *CompileError) Unwrap() error { return e.Err }

// Template is a compiled payload template. It is immutable and safe for
// concurrent use.
type Template struct {
	field string
	root  node
}

type node interface {
	apply(s *Scope) (any, error)
}

// constNode is a sub-tree without dynamic members, built once.
type constNode struct{ v any }

type objectNode struct {
	keys []string
	vals []node
	// distinct says the keys are all different ("a" and "a.$" are not),
	// so that apply adds members without looking for an earlier one.
	distinct bool
}

type arrayNode struct{ elems []node }

// pathNode is a "key.$": "$.path" member.
type pathNode struct {
	key  string // the template key, with ".$"
	path *jsonpath.Path
}

// callNode is a "key.$": "States.Fn(…)" member.
type callNode struct {
	key  string
	call *intrinsic.Call
}

// Compile compiles a payload template (Parameters, ResultSelector,
// ItemSelector, JSONPath-mode Assign; Result is literal and not compiled):
// keys ending in ".$" take a path or an intrinsic call. field names the
// definition field for error messages. Compile errors are definition
// errors (*CompileError).
func Compile(template any, field string) (*Template, error) {
	n, err := compileNode(template, field, "")
	if err != nil {
		return nil, err
	}
	return &Template{field: field, root: n}, nil
}

// Field returns the definition field the template was compiled for.
func (t *Template) Field() string { return t.field }

// Apply evaluates the template in the scope. Runtime errors are
// *failure.Error (States.Runtime, or an intrinsic function's error).
func (t *Template) Apply(s *Scope) (any, error) {
	return t.root.apply(s)
}

func escapePointer(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}

func compileNode(v any, field, ptr string) (node, error) {
	switch x := v.(type) {
	case *value.Object:
		on := &objectNode{keys: make([]string, 0, x.Len()), vals: make([]node, 0, x.Len())}
		dynamic := false
		for i := 0; i < x.Len(); i++ {
			k, mv := x.At(i)
			mptr := ptr + "/" + escapePointer(k)
			var n node
			if name, ok := strings.CutSuffix(k, ".$"); ok {
				var err error
				if n, err = compileDynamic(k, mv, field, mptr); err != nil {
					return nil, err
				}
				k = name
				dynamic = true
			} else {
				var err error
				if n, err = compileNode(mv, field, mptr); err != nil {
					return nil, err
				}
				if _, ok := n.(constNode); !ok {
					dynamic = true
				}
			}
			on.keys = append(on.keys, k)
			on.vals = append(on.vals, n)
		}
		if !dynamic {
			return constNode{rebuild(on)}, nil
		}
		on.distinct = distinct(on.keys)
		return on, nil
	case []any:
		an := &arrayNode{elems: make([]node, len(x))}
		dynamic := false
		for i, e := range x {
			n, err := compileNode(e, field, ptr+"/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			if _, ok := n.(constNode); !ok {
				dynamic = true
			}
			an.elems[i] = n
		}
		if !dynamic {
			out := make([]any, len(x))
			for i, n := range an.elems {
				out[i] = n.(constNode).v
			}
			return constNode{out}, nil
		}
		return an, nil
	default:
		return constNode{v}, nil
	}
}

// rebuild builds the object of a constant objectNode.
func rebuild(on *objectNode) *value.Object {
	o := value.NewObject(len(on.keys))
	for i, k := range on.keys {
		o.Set(k, on.vals[i].(constNode).v)
	}
	return o
}

func compileDynamic(key string, v any, field, ptr string) (node, error) {
	s, ok := v.(string)
	if !ok {
		return nil, &CompileError{Field: field, Pointer: ptr, Key: key,
			Msg: fmt.Sprintf("The value for the field '%s' must be a STRING that contains a JSONPath or an intrinsic function call, but was %s", key, value.TypeName(v))}
	}
	bad := func(err error) error {
		return &CompileError{Field: field, Pointer: ptr, Key: key,
			Msg: fmt.Sprintf("The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", key), Err: err}
	}
	switch {
	case strings.HasPrefix(s, "$"):
		p, err := jsonpath.Parse(s)
		if err != nil {
			return nil, bad(err)
		}
		return &pathNode{key: key, path: p}, nil
	case intrinsic.IsCall(s):
		c, err := intrinsic.Parse(s)
		if err != nil {
			return nil, bad(err)
		}
		return &callNode{key: key, call: c}, nil
	}
	return nil, bad(nil)
}

func (n constNode) apply(*Scope) (any, error) { return n.v, nil }

func (n *objectNode) apply(s *Scope) (any, error) {
	o := value.NewObject(len(n.keys))
	for i, k := range n.keys {
		v, err := n.vals[i].apply(s)
		if err != nil {
			return nil, err
		}
		if n.distinct {
			o.Append(k, v)
		} else {
			o.Set(k, v)
		}
	}
	return o, nil
}

// distinct reports whether the keys are all different.
func distinct(keys []string) bool {
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if seen[k] {
			return false
		}
		seen[k] = true
	}
	return true
}

func (n *arrayNode) apply(s *Scope) (any, error) {
	out := make([]any, len(n.elems))
	for i, e := range n.elems {
		v, err := e.apply(s)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (n *pathNode) apply(s *Scope) (any, error) {
	v, err := s.Resolve(n.path)
	if err != nil {
		return nil, pathError(s, n.path, n.key, err)
	}
	return v, nil
}

func (n *callNode) apply(s *Scope) (any, error) {
	v, err := n.call.Eval(s)
	if err != nil {
		var fe *failure.Error
		if errors.As(err, &fe) {
			return nil, fe
		}
		var nf *jsonpath.NotFoundError
		if errors.As(err, &nf) {
			return nil, pathError(s, nf.Path, n.key, err)
		}
		var uv *UndefinedVariableError
		if errors.As(err, &uv) {
			return nil, failure.Errorf(failure.Runtime, "The JSONPath '$%s' specified for the field '%s' refers to a variable that is not defined", uv.Name, n.key)
		}
		return nil, failure.New(failure.Runtime, err.Error())
	}
	return v, nil
}

// pathError words a failed path of a template member as AWS does.
func pathError(s *Scope, p *jsonpath.Path, key string, err error) error {
	var uv *UndefinedVariableError
	if errors.As(err, &uv) {
		return failure.Errorf(failure.Runtime, "The JSONPath '%s' specified for the field '%s' refers to a variable that is not defined", p, key)
	}
	// AWS quotes the state's input whatever the path's root.
	return failure.Errorf(failure.Runtime, "The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'", p, key, value.Marshal(s.Input))
}
