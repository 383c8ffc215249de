package jsonata

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/value"
)

func evalString(t *testing.T, expr string, input any, env *Env) (any, bool, error) {
	t.Helper()
	e, err := Compile(expr)
	if err != nil {
		return nil, false, err
	}
	return e.Eval(context.Background(), input, env)
}

func statesEnv(input string) *Env {
	states := value.NewObject(1)
	states.Set("input", value.MustParse(input))
	return &Env{Lookup: func(name string) (any, bool) {
		if name == "states" {
			return states, true
		}
		return nil, false
	}}
}

func TestEval(t *testing.T) {
	tests := []struct {
		expr, input, want string
	}{
		{`$states.input.a.b`, `{"a":{"b":3}}`, `3`},
		{`$states.input.a[1]`, `{"a":[1,2,3]}`, `2`},
		{`$states.input.items[price > 2].name`, `{"items":[{"name":"x","price":1},{"name":"y","price":3}]}`, `"y"`},
		{`{"total": $sum($states.input.items.price), "n": $count($states.input.items)}`, `{"items":[{"price":1},{"price":3}]}`, `{"total":4,"n":2}`},
		{`$map([1,2,3], function($v){ $v * 2 })`, `{}`, `[2,4,6]`},
		{`$string({"a": 1.0000000000000002})`, `{}`, `"{\"a\":1}"`},
		{`"a" & 1 & true`, `{}`, `"a1true"`},
		{`[1..3].($ * 10)`, `{}`, `[10,20,30]`},
		{`$formatNumber(1234.5678, "#,##0.00")`, `{}`, `"1,234.57"`},
		{`$fromMillis(0)`, `{}`, `"1970-01-01T00:00:00.000Z"`},
		{`$replace("abcabc", /b(c)/, "[$1]")`, `{}`, `"a[c]a[c]"`},
		{`[$uppercase("Straße ﬁ ᾳ"), $lowercase("ΣΑΣ ΟΔΟΣ İ")]`, `{}`, `["STRASSE FI ΑΙ", "σας οδος i̇"]`},
		{`[$length("\ud83d\ude00"), "\u00e9"]`, `{}`, `[1, "é"]`},
	}
	for _, tt := range tests {
		got, defined, err := evalString(t, tt.expr, Undefined{}, statesEnv(tt.input))
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if !defined || !value.Equal(got, value.MustParse(tt.want)) {
			t.Errorf("%s = %s (defined %v), want %s", tt.expr, value.String(got), defined, tt.want)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		expr, want string
	}{
		{`$foo()`, "T1006: Attempted to invoke a non-function"},
		{`1 +`, "S0207: Unexpected end of expression"},
		{`"a" + 1`, `T2001: The left side of the "+" operator must evaluate to a number`},
		{`$uppercase(1)`, `T0410: Argument 1 of function "uppercase" does not match function signature`},
		{`$error("boom")`, "D3137: boom"},
		{`/a\1/`, `S0303: Regular expression is not supported by this implementation: backreferences (\1) are not supported`},
		{`/(?=a)/`, `S0303: Regular expression is not supported by this implementation: lookahead assertions are not supported`},
		{`$now()`, "U1004: The clock is not available: $now() and $millis() need Env.Now"},
	}
	for _, tt := range tests {
		_, _, err := evalString(t, tt.expr, Undefined{}, nil)
		var je *Error
		if !errors.As(err, &je) {
			t.Errorf("%s: got %v, want *Error", tt.expr, err)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("%s: got %q, want %q", tt.expr, err.Error(), tt.want)
		}
	}
}

func TestEnvFunctions(t *testing.T) {
	double, err := NewFunction("<n:n>", func(ctx context.Context, args []any) (any, bool, error) {
		return args[0].(float64) * 2, true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	env := &Env{Functions: map[string]*Function{"double": double, "sum": nil}}
	got, _, err := evalString(t, `$double(21)`, Undefined{}, env)
	if err != nil || got != 42.0 {
		t.Fatalf("$double(21) = %v, %v", got, err)
	}
	if _, _, err := evalString(t, `$double("x")`, Undefined{}, env); err == nil || !strings.HasPrefix(err.Error(), "T0410") {
		t.Fatalf(`$double("x"): %v, want T0410`, err)
	}
	if _, _, err := evalString(t, `$sum([1])`, Undefined{}, env); err == nil || !strings.HasPrefix(err.Error(), "T1006") {
		t.Fatalf("$sum removed: %v, want T1006", err)
	}
	if _, err := NewFunction("<q:n>", nil); err != nil {
		t.Fatalf("unknown symbols are ignored as in jsonata-js: %v", err)
	}
	if _, err := NewFunction("<s<n>:n>", nil); err == nil {
		t.Fatal("type parameter on a string: want S0401")
	}
}

func TestClockAndUndefined(t *testing.T) {
	at := time.Date(2024, 5, 6, 7, 8, 9, 10e6, time.UTC)
	env := &Env{Now: func() time.Time { return at }}
	got, _, err := evalString(t, `[$now(), $millis()]`, Undefined{}, env)
	if err != nil {
		t.Fatal(err)
	}
	want := value.MustParse(`["2024-05-06T07:08:09.010Z", 1714979289010]`)
	if !value.Equal(got, want) {
		t.Fatalf("got %s, want %s", value.String(got), value.String(want))
	}
	_, defined, err := evalString(t, `$states.nothing`, Undefined{}, statesEnv(`{}`))
	if err != nil || defined {
		t.Fatalf("missing path: defined %v, err %v", defined, err)
	}
}

func TestLimits(t *testing.T) {
	tests := []struct {
		expr string
		env  *Env
		code string
	}{
		{`($f := function($n){ $n + $f($n + 1) }; $f(0))`, nil, "U1001"},
		{`($f := function($n){ $f($n + 1) }; $f(0))`, &Env{Limits: Limits{MaxSteps: 100000}}, "U1002"},
		{`$count([1..10000000])`, &Env{Limits: Limits{MaxSteps: 1000}}, "U1002"},
		{`$sum([1..100])`, &Env{Limits: Limits{MaxDepth: 3}}, "U1001"},
		{`$count($distinct([1..1000000]))`, nil, "U1002"},
		{`($d := {"a": [1..100]}; $count([1..1000].($d.**)))`, &Env{Limits: Limits{MaxSteps: 50000}}, "U1002"},
	}
	for _, tt := range tests {
		_, _, err := evalString(t, tt.expr, Undefined{}, tt.env)
		var je *Error
		if !errors.As(err, &je) || je.Code != tt.code {
			t.Errorf("%s: got %v, want %s", tt.expr, err, tt.code)
		}
	}
}

func TestCancel(t *testing.T) {
	e, err := Compile(`($f := function($n){ $f($n + 1) }; $f(0))`)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = e.Eval(ctx, Undefined{}, &Env{Limits: Limits{MaxSteps: 1 << 40}})
	var je *Error
	if !errors.As(err, &je) || je.Code != "U1003" {
		t.Fatalf("got %v, want U1003", err)
	}
}

func TestConcurrentEval(t *testing.T) {
	e, err := Compile(`{"n": $count($states.input.items), "first": $states.input.items[0], "s": $join($states.input.items.$string(), ",")}`)
	if err != nil {
		t.Fatal(err)
	}
	env := statesEnv(`{"items":[1,2,3]}`)
	want := value.MustParse(`{"n":3,"first":1,"s":"1,2,3"}`)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				got, _, err := e.Eval(context.Background(), Undefined{}, env)
				if err != nil || !value.Equal(got, want) {
					t.Errorf("got %s, %v", value.String(got), err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestFunctionResult(t *testing.T) {
	got, defined, err := evalString(t, `function($x){$x}`, Undefined{}, nil)
	if err != nil || !defined || !IsFunction(got) {
		t.Fatalf("got %v %v %v, want a function", got, defined, err)
	}
	got, _, err = evalString(t, `$shuffle([1,2,3])`, Undefined{}, &Env{Random: rand.New(rand.NewPCG(1, 1))})
	if err != nil || len(got.([]any)) != 3 {
		t.Fatalf("$shuffle: %v %v", got, err)
	}
}

func TestEvalJSON(t *testing.T) {
	env := statesEnv(`{"a": [1, 2], "o": {"b": true}}`)
	for expr, want := range map[string]error{
		`function($x){$x}`:           ErrNotJSON,
		`{"a": [1, $sum]}`:           ErrNotJSON,
		`[{"x": {"y": $uppercase}}]`: ErrNotJSON,
		`/a/`:                        ErrNotJSON,
		`{"a": $states.input.a, "s": $string(1)}`: nil,
		`$states.input.o`:                         nil,
		`$sum(1)`:                                 nil,
	} {
		e, err := Compile(expr)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.EvalJSON(context.Background(), Undefined{}, env); err != want {
			t.Errorf("%s: got %v, want %v", expr, err, want)
		}
	}
}

// TestFunctionResultOutlivesEval checks that a function returned by one
// evaluation keeps its own bindings when the expression is evaluated again
// (the evaluation state is reused only when nothing can refer to it).
func TestFunctionResultOutlivesEval(t *testing.T) {
	e, err := Compile(`($y := $; function($x){ $x + $y })`)
	if err != nil {
		t.Fatal(err)
	}
	call, err := Compile(`[$f(10), $f(10)]`)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var fns []any
	for i := range 3 {
		f, _, err := e.Eval(ctx, float64(i), nil)
		if err != nil {
			t.Fatal(err)
		}
		fns = append(fns, f)
	}
	for i, f := range fns {
		env := &Env{Lookup: func(name string) (any, bool) { return f, name == "f" }}
		got, _, err := call.Eval(ctx, Undefined{}, env)
		if want := []any{float64(10 + i), float64(10 + i)}; err != nil || !value.Equal(got, want) {
			t.Errorf("function %d: got %v, %v; want %v", i, got, err, want)
		}
	}
}

// TestErrorPositions checks positions and tokens against jsonata-js 2.0.6.
func TestErrorPositions(t *testing.T) {
	tests := []struct {
		expr, code string
		pos        int
		token      string
	}{
		{"1 +", "S0207", 3, "(end)"},
		{"$foo()", "T1006", 5, "foo"},
		{`"a" + 1`, "T2001", 5, "+"},
		{"a.b.$x(", "S0203", 7, "(end)"},
		{"[1,2", "S0203", 4, "(end)"},
		{"$substring(1,2,3,4)", "T0410", 11, "substring"},
	}
	for _, tt := range tests {
		_, _, err := evalString(t, tt.expr, nil, nil)
		var je *Error
		if !errors.As(err, &je) || je.Code != tt.code || je.Position != tt.pos || je.Token != tt.token {
			t.Errorf("%s: got %+v, want %s at %d token %q", tt.expr, err, tt.code, tt.pos, tt.token)
		}
	}
}
