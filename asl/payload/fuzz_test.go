package payload

import (
	"errors"
	"testing"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/value"
)

// FuzzCompile compiles arbitrary templates and applies them: compilation
// either fails with a *CompileError or yields a template whose Apply
// returns a value or a *failure.Error, never a panic.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		`{"a.$":"$.a","b":{"c.$":"States.Format('{}', $.a)"},"d":[{"e.$":"$$.x"}]}`,
		`{"x.$":"States.ArrayGetItem(States.StringSplit($.s, '-'), 0)","y.$":"$v.k[0]"}`,
		`{"l.$":"$..a","m.$":"$.list[?(@.v > 1)].v","n.$":1}`,
		`[{"a.$":"States.UUID()"},{"r.$":"States.MathRandom(1, 10)"}]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tmpl, err := value.ParseString(s)
		if err != nil {
			return
		}
		tm, err := Compile(tmpl, "Parameters")
		if err != nil {
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("Compile error %T: %v", err, err)
			}
			return
		}
		_, err = tm.Apply(testScope())
		var fe *failure.Error
		if err != nil && !errors.As(err, &fe) {
			t.Fatalf("Apply error %T: %v", err, err)
		}
	})
}
