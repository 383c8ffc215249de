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
