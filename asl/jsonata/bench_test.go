package jsonata

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/value"
)

const benchInput = `{"a": {"b": 42}, "b": {"c": "x"}, "d": true, "e": {"f": [1, 2]}, "g": null,
 "x": 10, "y": 6, "name": "World", "items": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
 "orders": [{"id": "o1", "total": 50}, {"id": "o2", "total": 150}, {"id": "o3", "total": 250}, {"id": "o4", "total": 75}]}`

func BenchmarkEval(b *testing.B) {
	env := statesEnv(benchInput)
	benches := []struct{ name, expr string }{
		{"path", `$states.input.a.b`},
		{"object5", `{"a": $states.input.a.b, "b": $states.input.b.c, "c": $states.input.d, "d": $states.input.e.f, "e": $states.input.g}`},
		{"arithmetic", `$states.input.x * 2 + $states.input.y / 4 - 1`},
		{"concat", `"Hello, " & $states.input.name & "!"`},
		{"map", `$map($states.input.items, function($v){ $v * 2 })`},
		{"filter", `$states.input.orders[total > 100].id`},
		{"sum", `$sum($states.input.items)`},
	}
	ctx := context.Background()
	for _, bb := range benches {
		e, err := Compile(bb.expr)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := e.Eval(ctx, Undefined{}, env); err != nil {
			b.Fatal(err)
		}
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := e.Eval(ctx, Undefined{}, env); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(`{"total": $sum($states.input.orders[total > 100].total), "ids": $states.input.orders.id}`); err != nil {
			b.Fatal(err)
		}
	}
}

var _ = value.String

// passChainExpr is the expression each JSONata state of the engine's
// BenchmarkPassChain evaluates.
const passChainExpr = `$merge([$states.input, {'step': {'id': $states.input.doc.id, 'name': $states.input.doc.name, ` +
	`'tags': $states.input.doc.tags, 'first': $states.input.doc.items[0], 'n': $states.input.doc.count, ` +
	`'label': $states.input.doc.name & '-' & $string($states.input.doc.count)}}])`

// passChainInput is the engine's Pass chain input: a 1 KiB document.
func passChainInput() any {
	var items []string
	for i := range 12 {
		items = append(items, fmt.Sprintf(`{"sku":"SKU-%04d","qty":%d,"price":%d.99}`, i, i+1, 10+i))
	}
	return value.MustParse(`{"doc":{"id":"7f1c0e7a-1d2b-4c38-9a0e-5b2f6c7d8e9f","name":"order","count":12,"tags":["a","b","c"],"items":[` +
		strings.Join(items, ",") + `]},"padding":"` + strings.Repeat("x", 420) + `"}`)
}

// BenchmarkPassState evaluates one state of the engine's Pass chain the
// way the engine does: a fresh Env per state, with $states bound through
// Lookup and AWS's functions in Functions.
func BenchmarkPassState(b *testing.B) {
	input := passChainInput()
	e, err := Compile(passChainExpr)
	if err != nil {
		b.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		states := value.NewObject(1)
		states.Set("input", input)
		env := &Env{
			Lookup: func(name string) (any, bool) {
				if name == "states" {
					return states, true
				}
				return nil, false
			},
			Functions: AWSFunctions(rnd),
		}
		if _, _, err := e.Eval(ctx, Undefined{}, env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAWSFunctions measures building the AWS function map, which the
// engine does for every JSONata state.
func BenchmarkAWSFunctions(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	for b.Loop() {
		if m := AWSFunctions(r); len(m) != 8 {
			b.Fatal(len(m))
		}
	}
}

// BenchmarkPassStateShared evaluates one state of the engine's Pass chain
// the way the engine does now: one Env per run, without AWS's functions
// (the expression names none), its Lookup reading the state's $states.
func BenchmarkPassStateShared(b *testing.B) {
	input := passChainInput()
	e, err := Compile(passChainExpr)
	if err != nil {
		b.Fatal(err)
	}
	var states *value.Object
	env := &Env{Lookup: func(name string) (any, bool) {
		if name == "states" {
			return states, true
		}
		return nil, false
	}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		states = value.NewObject(1)
		states.Set("input", input)
		if _, _, err := e.Eval(ctx, Undefined{}, env); err != nil {
			b.Fatal(err)
		}
	}
}
