package asl

import (
	"strings"

	"github.com/stepwise-run/stepwise/value"
)

// Warning codes, reported only when ValidateOptions.Warnings is set. AWS
// documents the codes; the wording of their messages is not recorded, so
// the messages here follow AWS's style.
const (
	// CodeNoDollar: a payload template field holds what looks like a path
	// or an intrinsic function call, but its name does not end in ".$".
	CodeNoDollar = "NO_DOLLAR"
	// CodeNoPath: a state field holds what looks like a path, but its name
	// does not end in "Path".
	CodeNoPath = "NO_PATH"
	// CodePassResultIsStatic: a Pass state's Result holds what looks like a
	// path; Result is never evaluated.
	CodePassResultIsStatic = "PASS_RESULT_IS_STATIC"
)

func (v *validator) warn(code, loc, format string, args ...any) {
	v.add(code, loc, format, args...)
	v.diags[len(v.diags)-1].Severity = SeverityWarning
}

// looksDynamic reports whether s looks like a path or an intrinsic call.
func looksDynamic(s string) bool {
	return s == "$" || strings.HasPrefix(s, "$.") || strings.HasPrefix(s, "$[") ||
		strings.HasPrefix(s, "$$.") || (strings.HasPrefix(s, "States.") && strings.HasSuffix(s, ")"))
}

// warnings reports the WARNING diagnostics of a JSONPath state.
func (v *validator) warnings(s *State) {
	raw, loc := s.Raw, s.Location
	for _, f := range []string{"Parameters", "ResultSelector", "ItemSelector", "Assign"} {
		if t, ok := raw.Get(f); ok {
			v.noDollar(t, at(loc, f))
		}
	}
	for _, f := range []string{"Seconds", "Timestamp", "Error", "Cause", "MaxConcurrency",
		"TimeoutSeconds", "HeartbeatSeconds", "ToleratedFailurePercentage", "ToleratedFailureCount"} {
		if x, ok := raw.Get(f); ok {
			if str, ok := x.(string); ok && looksDynamic(str) {
				v.warn(CodeNoPath, at(loc, f), "The value for the field '%s' looks like a JSONPath, but the field name does not end with 'Path'", f)
			}
		}
	}
	if s.Type == TypePass {
		if r, ok := raw.Get("Result"); ok && containsDynamic(r) {
			v.warn(CodePassResultIsStatic, at(loc, "Result"), "The field 'Result' is static: the paths and intrinsic function calls in it are not evaluated")
		}
	}
}

// noDollar reports template fields that look dynamic but lack ".$".
func (v *validator) noDollar(t any, loc string) {
	switch x := t.(type) {
	case *value.Object:
		for k, val := range x.All() {
			if strings.HasSuffix(k, ".$") {
				continue
			}
			if str, ok := val.(string); ok && looksDynamic(str) {
				v.warn(CodeNoDollar, loc, "The value for the field '%s' looks like a JSONPath or an intrinsic function call, but the field name does not end with '.$'", k)
				continue
			}
			v.noDollar(val, at(loc, k))
		}
	case []any:
		for i, e := range x {
			v.noDollar(e, atIndex(loc, i))
		}
	}
}

// containsDynamic reports whether t holds a ".$" key or a string that
// looks like a path or an intrinsic call.
func containsDynamic(t any) bool {
	switch x := t.(type) {
	case string:
		return looksDynamic(x)
	case *value.Object:
		for k, val := range x.All() {
			if strings.HasSuffix(k, ".$") || containsDynamic(val) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if containsDynamic(e) {
				return true
			}
		}
	}
	return false
}
