// Package taskparams reads the Parameters of service-integration Tasks and
// reports bad ones the way Step Functions does: a States.Runtime error whose
// cause is "The Parameters '<json>' could not be used to start the Task:
// [<problems>]".
package taskparams

import (
	"strings"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/value"
)

// Reader collects problems while reading one Parameters object.
type Reader struct {
	params   any
	obj      *value.Object
	problems []string
}

// New starts reading params, which must be a JSON object.
func New(params any) *Reader {
	r := &Reader{params: params}
	o, ok := params.(*value.Object)
	if !ok {
		r.Problem("The Parameters must be a JSON object, not " + value.TypeName(params))
		return r
	}
	r.obj = o
	return r
}

// Problem records a problem.
func (r *Reader) Problem(p string) { r.problems = append(r.problems, p) }

// Allow records a problem for every field not in names.
func (r *Reader) Allow(names ...string) {
	if r.obj == nil {
		return
	}
	for _, k := range r.obj.Keys() {
		found := false
		for _, n := range names {
			if k == n {
				found = true
				break
			}
		}
		if !found {
			r.Problem("The field '" + k + "' is not supported by Step Functions")
		}
	}
}

// Value returns the field name and whether it is present.
func (r *Reader) Value(name string) (any, bool) { return r.obj.Get(name) }

// String returns the string field name; a missing field gives "" and, when
// required, a problem.
func (r *Reader) String(name string, required bool) string {
	if r.obj == nil {
		return ""
	}
	v, ok := r.obj.Get(name)
	if !ok {
		if required {
			r.Problem("The field '" + name + "' is required")
		}
		return ""
	}
	s, ok := v.(string)
	if !ok {
		r.Problem("The value for the field '" + name + "' must be a STRING")
		return ""
	}
	if required && s == "" {
		r.Problem("The value for the field '" + name + "' must not be empty")
	}
	return s
}

// Object returns the object field name, or nil when it is missing.
func (r *Reader) Object(name string) *value.Object {
	v, ok := r.obj.Get(name)
	if !ok {
		return nil
	}
	o, ok := v.(*value.Object)
	if !ok {
		r.Problem("The value for the field '" + name + "' must be an OBJECT")
		return nil
	}
	return o
}

// Err returns nil when no problem was found, or the States.Runtime error.
func (r *Reader) Err() error {
	if len(r.problems) == 0 {
		return nil
	}
	return Invalid(r.params, r.problems...)
}

// Invalid returns the States.Runtime error for params with problems.
func Invalid(params any, problems ...string) *failure.Error {
	return failure.New(failure.Runtime, "The Parameters '"+value.String(params)+
		"' could not be used to start the Task: ["+strings.Join(problems, ", ")+"]")
}
