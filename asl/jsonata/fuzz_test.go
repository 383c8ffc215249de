package jsonata

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/value"
)

// fuzzSeeds are expressions covering the grammar.
var fuzzSeeds = []string{
	`$states.input.a.b`, `a.b[0].c`, `Account.Order.Product[Price > 30].Description`,
	`$sum(Account.Order.Product.(Price * Quantity))`, `{"a": 1, "b": [1..3]}`,
	`$map([1,2], function($x){ $x * 2 })`, `($f := function($n){ $n < 2 ? $n : $f($n-1) + $f($n-2) }; $f(10))`,
	`objs^(>v){k: $sum(v)}`, `c.e@$e#$i[$i > 0].$e.f`, `**.f`, `c.%.d`, `$ ~> |c|{"x": 1}, ["d"]|`,
	`$replace("abc", /b(c)/i, "$1")`, `$formatNumber(1234.5, "#,##0.00")`, `$fromMillis(0, "[Y0001]-[M01]-[D01] [H01]:[m01]")`,
	`$toMillis("2024-01-02", "[Y]-[M]-[D]")`, `$formatInteger(1234, "w")`, `$parseInteger("twelve", "w")`,
	`$string([1, "a", {"b": null}], true)`, `$substring("héllo", -3, 2)`, `$split("a,b", ",")`, `$zip([1,2],[3,4])`,
	`$sort(b, function($a, $b){ $a < $b })`, `$reduce([1,2,3], function($a, $b){ $a + $b }, 10)`,
	`$sift({"a":1,"b":2}, function($v){ $v > 1 })`, `$each({"a":1}, function($v, $k){ $k & $v })`,
	`$substringAfter(?, "@") ~> $uppercase`, `"a" & 1 & true & null`, `1 / 0`, `[1,2,3][-1]`, `$eval("1 + 1")`,
	`/* comment */ a`, "`quoted name`.x", `$type(λ($x){$x})`, `$partition([1,2,3], 2)`, `$range(0, 10, 3)`,
}

const fuzzData = `{"a": {"b": 1}, "b": [3, 1, 2], "c": {"d": "x", "e": [{"f": 1}, {"f": 2}]}, "objs": [{"k": "a", "v": 1}, {"k": "b", "v": 2}]}`

func FuzzCompile(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		e, err := Compile(expr)
		if err == nil && e == nil {
			t.Fatal("nil Expr without error")
		}
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			_ = err.Error()
		}
	})
}

func FuzzEval(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, fuzzData)
	}
	f.Add(`$`, `[[[[1]]], {"a": [[]]}]`)
	f.Fuzz(func(t *testing.T, expr, data string) {
		if len(data) > 4096 || len(expr) > 4096 {
			return
		}
		e, err := Compile(expr)
		if err != nil {
			return
		}
		var input any = Undefined{}
		if v, err := value.ParseString(data); err == nil {
			input = v
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		env := &Env{
			Now:       func() time.Time { return time.Unix(1700000000, 0) },
			Random:    rand.New(rand.NewPCG(1, 2)),
			Functions: AWSFunctions(rand.New(rand.NewPCG(3, 4))),
			Limits:    Limits{MaxDepth: 300, MaxSteps: 200_000},
		}
		start := time.Now()
		r, defined, err := e.Eval(ctx, input, env)
		if el := time.Since(start); el > 5*time.Second {
			t.Fatalf("evaluation took %v", el)
		}
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if defined && !IsFunction(r) {
			_ = value.Marshal(r)
		}
	})
}
