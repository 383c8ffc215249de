package jsonata

import (
	"context"
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
