package engine

import (
	"context"
	"strings"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/asl/jsonata"
	"github.com/stepwise-run/stepwise/value"
)

// jtemplate is a JSONata-mode field value: any JSON value in which strings
// of the form "{% expression %}" are JSONata expressions, evaluated in
// place; every other string is literal.
type jtemplate struct {
	field string // e.g. "Output", "Arguments", "Choices/0/Condition"
	root  jnode
	// constant is set when the template holds no expression at all.
	constant bool
}

type jnode struct {
	kind  jkind
	lit   any
	expr  *jsonata.Expr
	text  string // the expression's source, for error messages
	keys  []string
	elems []jnode
	path  string // field path for messages, e.g. "Output/result"
	// awsFunctions is set when the expression's text names one of AWS's
	// JSONata functions; only then is it evaluated with them (a function
	// can only be reached through its name, so the others cannot tell).
	awsFunctions bool
}

// awsFunctionNames are the names ("$uuid", …) of the functions
// jsonata.AWSFunctions adds, overrides or removes. It is never modified.
var awsFunctionNames = func() []string {
	var names []string
	for name := range jsonata.AWSFunctions(nil) {
		names = append(names, "$"+name)
	}
	return names
}()

// mentionsAWSFunction reports whether the JSONata source src contains the
// name of one of AWS's functions anywhere (even in a string: the test only
// needs to be safe).
func mentionsAWSFunction(src string) bool {
	for _, name := range awsFunctionNames {
		if strings.Contains(src, name) {
			return true
		}
	}
	return false
}

type jkind uint8

const (
	jLiteral jkind = iota
	jExpr
	jObject
	jArray
)

// isJSONataString reports whether s is a "{% … %}" expression string.
func isJSONataString(s string) (string, bool) {
	// Only a string that begins with "{%" and ends with "%}" is an
	// expression; " {% … %} " with outer spaces is a literal, as on AWS.
	if len(s) >= 4 && strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}") {
		return strings.TrimSpace(s[2 : len(s)-2]), true
	}
	return "", false
}

func compileJTemplate(v any, field string) (*jtemplate, error) {
	t := &jtemplate{field: field}
	root, hasExpr, err := compileJNode(v, field)
	if err != nil {
		return nil, err
	}
	t.root, t.constant = root, !hasExpr
	return t, nil
}

func compileJNode(v any, path string) (jnode, bool, error) {
	switch x := v.(type) {
	case string:
		src, ok := isJSONataString(x)
		if !ok {
			return jnode{kind: jLiteral, lit: x}, false, nil
		}
		e, err := jsonata.Compile(src)
		if err != nil {
			return jnode{}, false, err
		}
		return jnode{kind: jExpr, expr: e, text: src, path: path, awsFunctions: mentionsAWSFunction(src)}, true, nil
	case *value.Object:
		n := jnode{kind: jObject, lit: x}
		any := false
		for k, e := range x.All() {
			c, has, err := compileJNode(e, path+"/"+k)
			if err != nil {
				return jnode{}, false, err
			}
			n.keys = append(n.keys, k)
			n.elems = append(n.elems, c)
			any = any || has
		}
		if !any {
			return jnode{kind: jLiteral, lit: x}, false, nil
		}
		return n, true, nil
	case []any:
		n := jnode{kind: jArray, lit: x}
		any := false
		for i, e := range x {
			c, has, err := compileJNode(e, path+"/"+itoa(i))
			if err != nil {
				return jnode{}, false, err
			}
			n.elems = append(n.elems, c)
			any = any || has
		}
		if !any {
			return jnode{kind: jLiteral, lit: x}, false, nil
		}
		return n, true, nil
	default:
		return jnode{kind: jLiteral, lit: v}, false, nil
	}
}

// jscope is what JSONata expressions of one state can read.
type jscope struct {
	ctx    context.Context
	states *value.Object // $states
	vars   *Scope
	run    *run
}

// eval evaluates the template. An expression that yields nothing
// (undefined) is an error, as on AWS, unless allowUndefined is set, in which
// case eval reports defined=false for a top-level undefined.
func (t *jtemplate) eval(s *jscope) (any, error) {
	if t.constant {
		return t.root.lit, nil
	}
	return t.root.eval(s)
}

func (n *jnode) eval(s *jscope) (any, error) {
	switch n.kind {
	case jLiteral:
		return n.lit, nil
	case jExpr:
		r := s.run
		r.jstates, r.jvars = s.states, s.vars
		// EvalJSON looks through the result for function values; what it
		// does not look into comes from $states and the variables, which
		// are JSON.
		v, defined, err := n.expr.EvalJSON(s.ctx, nil, r.jsonataEnv(n.awsFunctions))
		if err == jsonata.ErrNotJSON {
			return nil, n.fail("returned an unsupported result type.")
		}
		if err != nil {
			return nil, n.fail("threw an error during evaluation. " + err.Error())
		}
		if !defined {
			return nil, n.fail("returned nothing (undefined).")
		}
		return v, nil
	case jObject:
		o := value.NewObject(len(n.keys))
		for i, k := range n.keys {
			v, err := n.elems[i].eval(s)
			if err != nil {
				return nil, err
			}
			o.Set(k, v)
		}
		return o, nil
	default:
		arr := make([]any, len(n.elems))
		for i := range n.elems {
			v, err := n.elems[i].eval(s)
			if err != nil {
				return nil, err
			}
			arr[i] = v
		}
		return arr, nil
	}
}

// fail returns a States.QueryEvaluationError for this expression.
func (n *jnode) fail(what string) *failure.Error {
	return &failure.Error{Name: failure.QueryEvaluationError, Location: n.path,
		Cause: "The JSONata expression '" + n.text + "' specified for the field '" + n.path + "' " + what}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
