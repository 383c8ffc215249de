package jsonata

import (
	"context"
	"errors"
	"testing"

	"github.com/stepwise-run/stepwise/value"
)

// TestConcatChain checks that a chain of '&' evaluated together gives the
// results and errors of the same operators evaluated one at a time (the
// parenthesised form, where each inner operator sits in a block).
func TestConcatChain(t *testing.T) {
	tests := []struct{ chain, nested string }{
		{`"a" & "b" & "c"`, `(("a" & "b")) & "c"`},
		{`a & "-" & $string(n) & x`, `((a & "-") & $string(n)) & x`},
		{`nothing & n & nothing & 1.5`, `((nothing & n) & nothing) & 1.5`},
		{`obj & arr & true & null`, `((obj & arr) & true) & null`},
		{`"x" & $number("1e400") & "y"`, `("x" & $number("1e400")) & "y"`},
		{`1/0 & "a" & "b"`, `(1/0 & "a") & "b"`},
		{`"a" & "b" & 1/0`, `("a" & "b") & 1/0`},
		{`"a" & $unknown() & "b"`, `("a" & $unknown()) & "b"`},
		{`"a" & (1 + "x") & "b"`, `("a" & (1 + "x")) & "b"`},
		{`$count([1] & [2] & [3])`, `$count(([1] & [2]) & [3])`},
	}
	input := value.MustParse(`{"a":"order","n":12,"x":"z","obj":{"k":[1,2]},"arr":[1,"2",null]}`)
	for _, tt := range tests {
		got, gotDef, gotErr := evalConcat(t, tt.chain, input)
		want, wantDef, wantErr := evalConcat(t, tt.nested, input)
		var ge, we *Error
		if errors.As(gotErr, &ge) != errors.As(wantErr, &we) || ge != nil && (ge.Code != we.Code || ge.Token != we.Token) {
			t.Errorf("%s: error %v, want %v", tt.chain, gotErr, wantErr)
			continue
		}
		if gotDef != wantDef || !value.Equal(got, want) {
			t.Errorf("%s = %v, want %v", tt.chain, got, want)
		}
	}
}

// TestConcatChainDepth checks that the operators of a chain count towards
// the depth limit as separate evaluations do.
func TestConcatChainDepth(t *testing.T) {
	e, err := Compile(`"a" & "b" & "c" & "d" & "e"`)
	if err != nil {
		t.Fatal(err)
	}
	for depth, wantErr := range map[int]bool{4: true, 5: false} {
		_, _, err := e.Eval(context.Background(), nil, &Env{Limits: Limits{MaxDepth: depth}})
		var je *Error
		if gotErr := errors.As(err, &je) && je.Code == "U1001"; gotErr != wantErr {
			t.Errorf("MaxDepth %d: error %v, want U1001: %v", depth, err, wantErr)
		}
	}
}

func evalConcat(t *testing.T, src string, input any) (any, bool, error) {
	t.Helper()
	e, err := Compile(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return e.Eval(context.Background(), input, nil)
}
