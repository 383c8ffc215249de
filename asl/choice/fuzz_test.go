package choice

import (
	"errors"
	"testing"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/asl/payload"
	"github.com/stepwise-run/stepwise/value"
)

// FuzzCompile compiles arbitrary rules and evaluates them: compilation
// fails with an *Error or yields a rule whose Eval returns a boolean or a
// *failure.Error, never a panic.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		`{"Variable":"$.a","StringMatches":"x*\\*y","Next":"N"}`,
		`{"And":[{"Variable":"$.n","NumericLessThanPath":"$.m"},{"Not":{"Variable":"$.t","TimestampEquals":"2016-03-14T01:59:00Z"}}],"Next":"N"}`,
		`{"Or":[{"Variable":"$v","IsPresent":true},{"Variable":"$$.Execution.Name","StringGreaterThanEquals":"a"}]}`,
	} {
		f.Add(s, `{"a":"xx*y","n":1,"m":2,"t":"2016-03-14T01:59:00Z"}`)
	}
	f.Fuzz(func(t *testing.T, rule, input string) {
		rv, err := value.ParseString(rule)
		if err != nil {
			return
		}
		obj, ok := rv.(*value.Object)
		if !ok {
			return
		}
		r, err := Compile(obj)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Compile error %T: %v", err, err)
			}
			return
		}
		in, err := value.ParseString(input)
		if err != nil {
			return
		}
		_, err = r.Eval(&payload.Scope{Input: in})
		var fe *failure.Error
		if err != nil && !errors.As(err, &fe) {
			t.Fatalf("Eval error %T: %v", err, err)
		}
	})
}
