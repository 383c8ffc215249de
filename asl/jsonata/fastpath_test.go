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
	inputs := []string{oraclePathDoc, oracleDataDoc, `[{"a": {"b": 1}}, {"a": {"b": [2, 3]}}]`, `{"a": [{"b": 1}, {"b": [2]}]}`, `"x"`, `null`}
	names := []string{"orders", "items", "customer", "tags", "name", "meta", "nested", "a", "b", "c", "d", "e", "f", "missing"}
	r := rand.New(rand.NewPCG(5, 5))
	ctx := context.Background()
	for i := 0; i < 3000; i++ {
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
		e, err := Compile(expr)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		general := &Expr{ast: cloneWithoutSimple(e.ast)}
		input := value.MustParse(inputs[r.IntN(len(inputs))])
		v := value.MustParse(inputs[r.IntN(len(inputs))])
		env := &Env{Lookup: func(name string) (any, bool) { return v, name == "v" }}
		got, gotDef, gotErr := e.Eval(ctx, input, env)
		want, wantDef, wantErr := general.Eval(ctx, input, env)
		if (gotErr != nil) != (wantErr != nil) || gotDef != wantDef || !value.Equal(got, want) {
			t.Errorf("%s on %s: fast %s %v %v, general %s %v %v", expr, value.String(input),
				value.String(got), gotDef, gotErr, value.String(want), wantDef, wantErr)
		}
	}
}

// cloneWithoutSimple copies a path node with the fast path turned off.
func cloneWithoutSimple(n *node) *node {
	c := *n
	c.simple = false
	return &c
}
