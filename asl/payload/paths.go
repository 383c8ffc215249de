package payload

import (
	"errors"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/asl/jsonpath"
	"github.com/stepwise-run/stepwise/value"
)

// Select evaluates InputPath / OutputPath / ItemsPath etc. with AWS's
// errors when the path matches nothing: States.Runtime with the cause
// "Invalid path '$.x' : No results for path: $['x']". field names the
// definition field (used for undefined variables). A definite path yields
// its value, an indefinite one the list of its matches.
func Select(p *jsonpath.Path, s *Scope, field string) (any, error) {
	v, err := s.Resolve(p)
	if err == nil {
		return v, nil
	}
	var nf *jsonpath.NotFoundError
	if errors.As(err, &nf) {
		return nil, failure.Errorf(failure.Runtime, "Invalid path '%s' : %s", p, nf.Msg)
	}
	var uv *UndefinedVariableError
	if errors.As(err, &uv) {
		return nil, failure.Errorf(failure.Runtime, "The %s field refers to the variable '$%s', which is not defined", field, uv.Name)
	}
	return nil, failure.New(failure.Runtime, err.Error())
}

// MergeResult applies ResultPath: input with result placed at p (nil p =
// "$"-replace; a "null" ResultPath is handled by the caller by keeping
// input). Missing objects along the path are created; containers on the
// path are copied and the rest of input is shared. When the path cannot be
// applied (it crosses a value that is not an object, or an index that is
// out of range) the error is States.ResultPathMatchFailure with AWS's cause
// "Unable to apply ReferencePath $.a.b to input <input as JSON>".
func MergeResult(input any, p *jsonpath.Path, result any) (any, error) {
	if p == nil || (p.Root() == jsonpath.Input && p.IsRoot()) {
		return result, nil
	}
	out, err := p.Set(input, result)
	if err != nil {
		return nil, failure.Errorf(failure.ResultPathMatchFailure, "Unable to apply ReferencePath %s to input %s", p, value.Marshal(input))
	}
	return out, nil
}
