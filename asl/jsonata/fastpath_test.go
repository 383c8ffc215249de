package jsonata

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/value"
)

// TestFastPathAgrees checks that the allocation-free path evaluation
// (fastPath, simplePath) gives what the general path algorithm gives.
func TestFastPathAgrees(t *testing.T) {
	inputs := []string{oraclePathDoc, oracleDataDoc, `[{"a": {"b": 1}}, {"a": {"b": [2, 3]}}]`, `{"a": [{"b": 1}, {"b": [2]}]}`, `"x"`, `null`,
		`{"a": [[1, 2], [3], []], "b": {"c": [[]], "d": null, "e": [null, {"f": 1}]}, "c": 7}`}
	names := []string{"orders", "items", "customer", "tags", "name", "meta", "nested", "a", "b", "c", "d", "e", "f", "missing"}
	r := rand.New(rand.NewPCG(5, 5))
	ctx := context.Background()
	simple := 0
	for i := 0; i < 6000; i++ {
		var parts []string
		switch r.IntN(4) {
		case 0:
			parts = append(parts, "$")
		case 1:
			parts = append(parts, "$$")
		case 2:
			parts = append(parts, "$v")
		}
		for j, n := 0, 1+r.IntN(4); j < n; j++ {
			parts = append(parts, names[r.IntN(len(names))])
		}
		expr := strings.Join(parts, ".")
		if r.IntN(2) == 0 {
			// A number index on the last step.
			indexes := []string{"-3", "-2", "-1", "0", "1", "2", "5", "0.5", "-0.5", "1.9"}
			expr += "[" + indexes[r.IntN(len(indexes))] + "]"
		}
		e, err := Compile(expr)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if e.ast.simple {
			simple++
		}
		general := &Expr{ast: cloneWithoutSimple(e.ast)}
		input := value.MustParse(inputs[r.IntN(len(inputs))])
		v := value.MustParse(inputs[r.IntN(len(inputs))])
		env := &Env{Lookup: func(name string) (any, bool) { return v, name == "v" }}
		// The same path inside an object constructor goes through
		// simplePath rather than fastPath.
		inner, err := Compile(`{"r": ` + expr + `}`)
		if err != nil {
			t.Fatal(err)
		}
		innerGeneral, _ := Compile(`{"r": ` + expr + `}`)
		walk(innerGeneral.ast, func(n *node) { n.simple = false })
		gotIn, _, gotInErr := inner.Eval(ctx, input, env)
		wantIn, _, wantInErr := innerGeneral.Eval(ctx, input, env)
		if (gotInErr != nil) != (wantInErr != nil) || !value.Equal(gotIn, wantIn) {
			t.Errorf("{r: %s} on %s: simple %s %v, general %s %v", expr, value.String(input),
				value.String(gotIn), gotInErr, value.String(wantIn), wantInErr)
		}
		got, gotDef, gotErr := e.Eval(ctx, input, env)
		want, wantDef, wantErr := general.Eval(ctx, input, env)
		if (gotErr != nil) != (wantErr != nil) || gotDef != wantDef || !value.Equal(got, want) {
			t.Errorf("%s on %s: fast %s %v %v, general %s %v %v", expr, value.String(input),
				value.String(got), gotDef, gotErr, value.String(want), wantDef, wantErr)
		}
	}
	if simple < 3000 {
		t.Errorf("only %d of the expressions took the fast path", simple)
	}
}

// cloneWithoutSimple copies a path node with the fast path turned off.
func cloneWithoutSimple(n *node) *node {
	c := *n
	c.simple = false
	return &c
}

// TestSharedPathsAndMerge covers the path cache (paths sharing a prefix,
// from the same and from other objects, and the transform operator, which
// changes objects in place) and the direct evaluation of $merge of an
// array constructor, with its fall back to the call when an item is not an
// object. The expected results are those of the general algorithm.
func TestSharedPathsAndMerge(t *testing.T) {
	in := value.MustParse(`{"a":{"b":{"c":1,"d":2}},"o":{"x":1}}`)
	for _, c := range []struct{ expr, want, code string }{
		{`$merge([a, {'s': a.b.c}, a.b])`, `{"b":{"c":1,"d":2},"s":1,"c":1,"d":2}`, ``},
		{`$merge([a, [a.b, {'z': 3}], undefined])`, ``, `T0412`},
		{`$merge([a, 'x'])`, ``, `T0412`},
		{`$merge([])`, `{}`, ``},
		{`$merge([[1]])`, ``, `T0412`},
		{`$merge([a.b, a.b.c])`, ``, `T0412`},
		{`{'p': a.b.c, 'q': a.b.d, 'r': a.b, 's': a.x.y, 't': a.b.c.d}`, `{"p":1,"q":2,"r":{"c":1,"d":2}}`, ``},
		{`$ ~> |[o, o]|{'x': x + 1}|`, `{"a":{"b":{"c":1,"d":2}},"o":{"x":3}}`, ``},
		{`$ ~> |[o, o]|{'x': x + 1, 'y': o.x}|`, `{"a":{"b":{"c":1,"d":2}},"o":{"x":3}}`, ``},
		{`($f := function($v){$v.a.b.c}; [$f($), $f({'a':{'b':{'c':5}}}), a.b.c])`, `[1,5,1]`, ``},
		{`$string(a.b.c) & $string(a.b, true) & $string()`, `"1{\n  \"c\": 1,\n  \"d\": 2\n}{\"a\":{\"b\":{\"c\":1,\"d\":2}},\"o\":{\"x\":1}}"`, ``},
	} {
		e, err := Compile(c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		r, _, err := e.Eval(context.Background(), in, nil)
		if c.code != "" {
			if e, ok := err.(*Error); !ok || e.Code != c.code {
				t.Errorf("%s: error %v, want %s", c.expr, err, c.code)
			}
			continue
		}
		if err != nil || string(value.Marshal(r)) != c.want {
			t.Errorf("%s = %s, %v; want %s", c.expr, value.Marshal(r), err, c.want)
		}
	}
}

// TestMergeIntoCopyAgrees checks the evaluation of $merge([..., {...}])
// that builds the constructor's members into the merged copy (see
// mergeArray) against the call of $merge on the array, which a block
// around the array constructor forces, on inputs that are objects, arrays
// (on which an object constructor groups) and nothing.
func TestMergeIntoCopyAgrees(t *testing.T) {
	inputs := []string{`{"a":{"b":{"c":1,"d":2}},"o":{"x":1}}`, `[{"k":"p","v":1},{"k":"q","v":2}]`, `[{"a":{"b":{"c":3}}}]`, `[]`, `7`, ``}
	exprs := []string{
		`$merge([a.b, {'c': 9, 'e': a.b.d, 'f': nothing}])`,
		`$merge([{'c': 9}])`,
		`$merge([nothing, {'c': 9}])`,
		`$merge([a, o, {'x': 2, 'a': o}])`,
		`$merge([a, [o, a.b], {'x': 2}])`,
		`$merge([a.b, {'c': 1 + 'x'}])`,
		`$merge([a.b, {'c': $string(a.b.c), 'd': $length(1)}])`,
		`$merge([a.b, {'c': 1 + 'x', 'd': $length(1)}])`,
		`$merge([1 + 'x', {'c': 1 + 'y'}])`,
		`$merge(['s', {'c': 1}])`,
		`$merge([a.b, {'c': 1}, 's'])`,
		`$merge([a.b, {'k': v, 'all': $}])`,
		`$merge([{}, {}])`,
		`$merge([a.b, {'c': 1}[c = 1]])`,
		`$merge([a.b, {'c': [1, 2]}])`,
		`$.$merge([{'z': 0}, {'k': k, 'v': v}])`,
	}
	ctx := context.Background()
	for _, src := range exprs {
		fast, err := Compile(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		called := strings.Replace(strings.Replace(src, "$merge([", "$merge(([", 1), "])", "]))", 1)
		slow, err := Compile(called)
		if err != nil {
			t.Fatalf("%s: %v", called, err)
		}
		for _, in := range inputs {
			var input any = Undefined{}
			if in != "" {
				input = value.MustParse(in)
			}
			got, gotDef, gotErr := fast.Eval(ctx, input, nil)
			want, wantDef, wantErr := slow.Eval(ctx, input, nil)
			if errorCode(gotErr) != errorCode(wantErr) || gotDef != wantDef || !value.Equal(got, want) {
				t.Errorf("%s on %s: %s %v %v; the call gives %s %v %v", src, in,
					value.Marshal(got), gotDef, gotErr, value.Marshal(want), wantDef, wantErr)
			}
		}
	}
}

// errorCode is the code of an *Error, "" for nil and "?" for another error.
func errorCode(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(*Error); ok {
		return e.Code
	}
	return "?"
}

// TestVariableKept checks that simplePath, which keeps the value of the
// variable that started the last path, sees what lookups would see:
// bindings made since, in the same block or an enclosing one, lambda
// parameters of the same name, and variables of Env.Lookup.
func TestVariableKept(t *testing.T) {
	env := &Env{Lookup: func(name string) (any, bool) {
		switch name {
		case "states":
			return value.MustParse(`{"input":{"a":1,"b":2}}`), true
		case "other":
			return value.MustParse(`{"input":{"a":3}}`), true
		}
		return nil, false
	}}
	for _, c := range []struct{ expr, want string }{
		{`[$states.input.a, $states.input.b, $other.input.a, $states.input.a]`, `[1,2,3,1]`},
		{`($x := $states.input.a; $states := {'input': {'a': 5}}; [$x, $states.input.a])`, `[1,5]`},
		{`[$states.input.a, ($states := {'input': {'a': 6}}; $states.input.a), $states.input.a]`, `[1,6,1]`},
		{`($y := $states.input; ($states := $other; $y.a & $states.input.a))`, `"13"`},
		{`($f := function($states){ $states.input.a }; [$states.input.a, $f({'input': {'a': 7}}), $states.input.a])`, `[1,7,1]`},
		{`($v := {'a': {'b': 1}}; [$v.a.b, ($v := {'a': {'b': 2}}; $v.a.b), $v.a.b])`, `[1,2,1]`},
		{`($v := {'a': {'b': 1}}; $w := $v.a.b; $v := {'a': {'b': 2}}; [$w, $v.a.b])`, `[1,2]`},
		{`[$nothing.a, $states.input.a, $nothing.a]`, `[1]`},
	} {
		e, err := Compile(c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		r, _, err := e.Eval(context.Background(), nil, env)
		if err != nil || string(value.Marshal(r)) != c.want {
			t.Errorf("%s = %s, %v; want %s", c.expr, value.Marshal(r), err, c.want)
		}
	}
}

// TestStringCallAgrees checks the direct evaluation of $string(x) (see
// function) against the general call, which $string(x, false) takes: the
// same result, or the same error at the same position with the same token.
func TestStringCallAgrees(t *testing.T) {
	in := value.MustParse(`{"a":{"b":[1,2,{"c":"x"}],"n":12,"f":1.5,"big":1e21,"s":"str","t":true,"z":null},"arr":[{"k":1},{"k":[2,3]}]}`)
	for _, x := range []string{
		`a.n`, `a.f`, `a.big`, `-0`, `100`, `a.s`, `a.t`, `a.z`, `a`, `a.b`, `a.b[2]`, `arr.k`, `arr`, `nothing`, `$`,
		`1/0`, `[1/0]`, `{'k': 1/0}`, `$uppercase`, `function($v){$v}`, `/re/`, `[]`, `{}`, `arr.k[0]`, `(a.n; a.s)`,
		`'a' & 1/0`, `$string(a)`, `$string`,
	} {
		fast, err := Compile(`$string(` + x + `)`)
		if err != nil {
			t.Fatalf("%s: %v", x, err)
		}
		slow, err := Compile(`$string(` + x + `, false)`)
		if err != nil {
			t.Fatalf("%s: %v", x, err)
		}
		got, gotDef, gotErr := fast.Eval(context.Background(), in, nil)
		want, wantDef, wantErr := slow.Eval(context.Background(), in, nil)
		ge, _ := gotErr.(*Error)
		we, _ := wantErr.(*Error)
		same := gotDef == wantDef && value.Equal(got, want) && (ge == nil) == (we == nil) && (gotErr == nil) == (wantErr == nil)
		if same && ge != nil {
			same = ge.Code == we.Code && ge.Position == we.Position && ge.Token == we.Token
		}
		if !same {
			t.Errorf("$string(%s) = %s %v %#v; the call gives %s %v %#v", x, value.Marshal(got), gotDef, gotErr,
				value.Marshal(want), wantDef, wantErr)
		}
	}
}
