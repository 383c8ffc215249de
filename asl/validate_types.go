package asl

import (
	"fmt"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/value"
)

// task checks the fields of a Task state.
func (v *validator) task(s *State, jsonata bool) {
	raw, loc := s.Raw, s.Location
	if r, ok := raw.Get("Resource"); ok {
		if res, ok := r.(string); ok {
			v.resource(res, at(loc, "Resource"))
		}
	}
	v.exclusive(raw, loc, "TimeoutSeconds", "TimeoutSecondsPath")
	v.exclusive(raw, loc, "HeartbeatSeconds", "HeartbeatSecondsPath")
	timeout, hasTimeout := v.integerField(raw, "TimeoutSeconds", loc, 1, maxSeconds, jsonata)
	heartbeat, hasHeartbeat := v.integerField(raw, "HeartbeatSeconds", loc, 1, maxSeconds, jsonata)
	if hasTimeout && hasHeartbeat && heartbeat >= timeout {
		// AWS's wording is not recorded; this follows its style.
		v.schema(at(loc, "HeartbeatSeconds"), "The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'")
	}
	if c, ok := raw.Get("Credentials"); ok {
		if co, ok := c.(*value.Object); ok {
			v.credentials(co, at(loc, "Credentials"), jsonata)
		} else {
			v.schema(at(loc, "Credentials"), "Expected value of type [OBJECT]")
		}
	}
	if jsonata {
		if a, ok := raw.Get("Arguments"); ok {
			if str, isString := a.(string); isString && !isJSONataString(str) {
				// AWS's wording is not recorded; this follows its style.
				v.schema(at(loc, "Arguments"), "The value for the field 'Arguments' must be an OBJECT or a JSONata expression")
			}
		}
	}
}

// resource checks a Task Resource: an ARN, and no callback or .sync
// pattern in an Express machine.
func (v *validator) resource(res, loc string) {
	parts := strings.SplitN(res, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" {
		// AWS's wording for this code is not recorded; this follows its style.
		v.add(CodeInvalidResource, loc, "Resource '%s' is not a valid ARN", res)
		return
	}
	if v.opts.Type != Express {
		return
	}
	// Recorded from AWS, two spaces before " at" included.
	if strings.HasSuffix(res, ".waitForTaskToken") {
		v.schema(loc, "Express state machine does not support '.waitForTaskToken' service integration ")
	}
	// Not recorded; by analogy with the message above.
	if strings.HasSuffix(res, ".sync") || strings.Contains(res, ".sync:") {
		v.schema(loc, "Express state machine does not support '.sync' service integration ")
	}
}

// credentials checks a Task's Credentials object: RoleArn (or, in
// JSONPath, RoleArn.$) is required. AWS reports only that, whatever else
// the object holds.
func (v *validator) credentials(c *value.Object, loc string, jsonata bool) {
	role, ok := c.Get("RoleArn")
	if !ok && !jsonata {
		if p, ok2 := c.Get("RoleArn.$"); ok2 {
			if !validDynamicValue(p) {
				v.schema(loc, "The value for the field 'RoleArn.$' must be a valid JSONPath or a valid intrinsic function call")
			}
			return
		}
	}
	if !ok {
		// Recorded from AWS.
		v.schema(loc, "The field 'RoleArn' is required but was missing")
		return
	}
	if _, ok := role.(string); !ok {
		v.schema(at(loc, "RoleArn"), "Expected value of type [STRING]")
	}
}

// wait checks a Wait state: exactly one of Seconds, SecondsPath, Timestamp
// and TimestampPath, Seconds a non-negative integer and Timestamp an
// RFC 3339 timestamp.
func (v *validator) wait(s *State, jsonata bool) {
	raw, loc := s.Raw, s.Location
	n := 0
	for _, f := range []string{"Seconds", "SecondsPath", "Timestamp", "TimestampPath"} {
		if raw.Has(f) {
			n++
		}
	}
	if n != 1 {
		// AWS's wording is not recorded; this follows its style.
		v.schema(loc, "A Wait state must have exactly one of the fields 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath'")
	}
	v.integerField(raw, "Seconds", loc, 0, maxSeconds, jsonata)
	if t, ok := raw.Get("Timestamp"); ok {
		str, isString := t.(string)
		switch {
		case isString && jsonata && isJSONataString(str):
		case isString && validTimestamp(str):
		default:
			// Recorded from AWS.
			v.schema(at(loc, "Timestamp"), "String does not match RFC3339 timestamp")
		}
	}
}

// validTimestamp reports whether s is an RFC 3339 timestamp as the States
// Language restricts it: an uppercase "T" between date and time and an
// uppercase "Z" when there is no numeric offset.
func validTimestamp(s string) bool {
	if len(s) < len("2006-01-02T15:04:05Z") || s[10] != 'T' {
		return false
	}
	if strings.ContainsRune(s, 'z') || strings.ContainsRune(s, 't') {
		return false
	}
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

// fail checks a Fail state: Error and ErrorPath, Cause and CausePath are
// exclusive; the *Path fields are paths or intrinsic function calls.
func (v *validator) fail(s *State, jsonata bool) {
	raw, loc := s.Raw, s.Location
	v.exclusive(raw, loc, "Error", "ErrorPath")
	v.exclusive(raw, loc, "Cause", "CausePath")
	if jsonata {
		return
	}
	for _, f := range []string{"ErrorPath", "CausePath"} {
		if p, ok := raw.Get(f); ok {
			if _, isString := p.(string); isString && !validDynamicValue(p) {
				v.schema(at(loc, f), "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", f)
			}
		}
	}
}

// retrierFields are the fields of a Retry element.
var retrierFields = setOf("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
	"MaxDelaySeconds", "JitterStrategy", "Comment")

// Retrier limits AWS enforces.
const (
	maxRetryInterval = 99999999
	maxRetryAttempts = 99999999
	maxRetryDelay    = 31622400
)

// retriers checks a Retry list.
func (v *validator) retriers(s *State) {
	arr, ok := rawArray(s.Raw, "Retry")
	if !ok {
		return
	}
	for i, e := range arr {
		r, ok := e.(*value.Object)
		if !ok {
			continue // reported by Parse
		}
		rloc := atIndex(at(s.Location, "Retry"), i)
		v.unsupported(r, rloc, retrierFields)
		if v.required(r, rloc, "ErrorEquals") {
			v.errorEquals(r, rloc, i == len(arr)-1, "Retrier")
		}
		v.integerField(r, "IntervalSeconds", rloc, 1, maxRetryInterval, false)
		v.integerField(r, "MaxAttempts", rloc, 0, maxRetryAttempts, false)
		v.integerField(r, "MaxDelaySeconds", rloc, 1, maxRetryDelay, false)
		if b, ok := r.Get("BackoffRate"); ok {
			if f, ok := b.(float64); ok && f < 1 {
				// AWS's wording is not recorded; this follows its style.
				v.schema(at(rloc, "BackoffRate"), "The value for the field 'BackoffRate' must be greater than or equal to 1.0")
			}
		}
		v.oneOf(r, "JitterStrategy", rloc, "FULL", "NONE")
	}
}

// errorEquals checks the ErrorEquals of a retrier or catcher: not empty,
// and States.ALL alone and in the last element of the list.
func (v *validator) errorEquals(obj *value.Object, loc string, last bool, kind string) {
	raw, _ := obj.Get("ErrorEquals")
	names, ok := raw.([]any)
	if !ok {
		return // reported by Parse
	}
	eloc := at(loc, "ErrorEquals")
	// AWS's wording for these three is not recorded; they follow its style.
	if len(names) == 0 {
		v.schema(eloc, "The field 'ErrorEquals' must contain at least 1 element")
		return
	}
	for _, n := range names {
		if n != "States.ALL" {
			continue
		}
		if len(names) > 1 {
			v.schema(eloc, "The error name 'States.ALL' must appear alone in the field 'ErrorEquals'")
		} else if !last {
			v.schema(eloc, "A %s with 'States.ALL' in the field 'ErrorEquals' must be the last one", kind)
		}
		return
	}
}

// catchers checks a Catch list.
func (v *validator) catchers(s *State, jsonata bool) {
	arr, ok := rawArray(s.Raw, "Catch")
	if !ok {
		return
	}
	allowed := setOf("ErrorEquals", "Next", "Comment", "Assign", "ResultPath", "Output")
	for i, e := range arr {
		c, ok := e.(*value.Object)
		if !ok {
			continue // reported by Parse
		}
		cloc := atIndex(at(s.Location, "Catch"), i)
		for k := range c.All() {
			switch {
			case !allowed[k]:
				v.schema(cloc, "Field '%s' is not supported", k)
			case jsonata && k == "ResultPath":
				v.schema(cloc, "The QueryLanguage is set to 'JSONata', but field '%s' is only supported for the 'JSONPath' QueryLanguage", k)
			case !jsonata && k == "Output":
				v.schema(cloc, "The QueryLanguage is set to 'JSONPath', but field '%s' is only supported for the 'JSONata' QueryLanguage", k)
			}
		}
		if v.required(c, cloc, "ErrorEquals", "Next") {
			v.errorEquals(c, cloc, i == len(arr)-1, "Catcher")
		}
		if p, ok := c.Get("ResultPath"); ok && !jsonata {
			if str, ok := p.(string); ok {
				v.resultPath(str, at(cloc, "ResultPath"))
			}
		}
		if c.Has("Assign") {
			v.assign(c, cloc, jsonata)
		}
	}
}

func rawArray(obj *value.Object, key string) ([]any, bool) {
	raw, ok := obj.Get(key)
	if !ok {
		return nil, false
	}
	arr, ok := raw.([]any)
	return arr, ok
}

// jsonataEvaluated are the fields of a JSONata state whose strings AWS
// compiles as JSONata expressions when written "{% ... %}".
var jsonataEvaluated = []string{"Arguments", "Output", "Assign", "Items", "ItemSelector",
	"Seconds", "Timestamp", "TimeoutSeconds", "HeartbeatSeconds", "MaxConcurrency",
	"ToleratedFailurePercentage", "ToleratedFailureCount", "Error", "Cause",
	"ItemReader", "ItemBatcher", "ResultWriter"}

// jsonataFields compiles every "{% %}" expression of a JSONata state.
func (v *validator) jsonataFields(s *State) {
	for _, f := range jsonataEvaluated {
		if val, ok := s.Raw.Get(f); ok {
			v.jsonataValue(val, at(s.Location, f), false)
		}
	}
	if arr, ok := rawArray(s.Raw, "Choices"); ok {
		for i, e := range arr {
			if c, ok := e.(*value.Object); ok {
				for _, f := range []string{"Condition", "Output", "Assign"} {
					if val, ok := c.Get(f); ok {
						v.jsonataValue(val, at(atIndex(at(s.Location, "Choices"), i), f), false)
					}
				}
			}
		}
	}
	if arr, ok := rawArray(s.Raw, "Catch"); ok {
		for i, e := range arr {
			if c, ok := e.(*value.Object); ok {
				for _, f := range []string{"Output", "Assign"} {
					if val, ok := c.Get(f); ok {
						v.jsonataValue(val, at(atIndex(at(s.Location, "Catch"), i), f), true)
					}
				}
			}
		}
	}
}

// jsonataValue compiles the "{% %}" strings of val, at any depth. inCatch
// says val is a Catcher's Output or Assign, the one place
// $states.errorOutput exists.
func (v *validator) jsonataValue(val any, loc string, inCatch bool) {
	switch x := val.(type) {
	case string:
		if !isJSONataString(x) {
			return
		}
		if err := checkJSONata(x); err != nil {
			v.add(CodeInvalidJSONata, loc, "%s", err.Error())
			return
		}
		// The messages of these two are AWS's as reported by others; not recorded here.
		if hasJSONataToken(x, "$$") {
			v.add(CodeUnsupportedJSONata, loc, "Reference to '$$' is not supported.")
		}
		if !inCatch && hasJSONataToken(x, "$states.errorOutput") {
			v.add(CodeUnsupportedJSONata, loc, "Field '$states.errorOutput' does not exist.")
		}
		for _, name := range topLevelNames(x) {
			v.add(CodeUnsupportedJSONata, loc, "Reference to '%s' at the top level is not supported.", name)
		}
	case *value.Object:
		for k, e := range x.All() {
			v.jsonataValue(e, at(loc, k), inCatch)
		}
	case []any:
		for i, e := range x {
			v.jsonataValue(e, atIndex(loc, i), inCatch)
		}
	}
}

// label checks a Distributed Map Label: at most 40 characters, none of
// them whitespace, brackets, wildcards, quotes or control characters.
func (v *validator) label(l, loc string) {
	bad := len([]rune(l)) > 40
	for _, r := range l {
		if r <= ' ' || r == 0x7f || strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r) {
			bad = true
		}
	}
	if bad {
		// AWS's wording for this code is not recorded; this follows its style.
		v.add(CodeInvalidLabelName, loc, "%s", fmt.Sprintf("The label '%s' is invalid: it must have at most 40 characters and no whitespace or special characters", l))
	}
}
