package asl

import (
	"errors"
	"math"
	"strings"

	"github.com/stepwise-run/stepwise/asl/payload"
	"github.com/stepwise-run/stepwise/value"
)

// stateTypes in the order AWS lists them in its message.
var stateTypes = []string{TypeTask, TypeWait, TypePass, TypeSucceed, TypeFail, TypeChoice, TypeParallel, TypeMap}

// stateFields lists, per state type, every field the type accepts in
// either query language.
var stateFields = map[string]map[string]bool{
	TypePass: setOf("Type", "Comment", "QueryLanguage", "Next", "End", "Assign",
		"InputPath", "OutputPath", "ResultPath", "Parameters", "Result", "Output"),
	TypeTask: setOf("Type", "Comment", "QueryLanguage", "Next", "End", "Assign",
		"InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Arguments", "Output",
		"Resource", "Retry", "Catch", "TimeoutSeconds", "TimeoutSecondsPath",
		"HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials"),
	TypeChoice: setOf("Type", "Comment", "QueryLanguage", "Assign",
		"InputPath", "OutputPath", "Output", "Choices", "Default"),
	TypeWait: setOf("Type", "Comment", "QueryLanguage", "Next", "End", "Assign",
		"InputPath", "OutputPath", "Output", "Seconds", "SecondsPath", "Timestamp", "TimestampPath"),
	TypeSucceed: setOf("Type", "Comment", "QueryLanguage", "InputPath", "OutputPath", "Output"),
	TypeFail:    setOf("Type", "Comment", "QueryLanguage", "Error", "ErrorPath", "Cause", "CausePath"),
	TypeParallel: setOf("Type", "Comment", "QueryLanguage", "Next", "End", "Assign",
		"InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Arguments", "Output",
		"Branches", "Retry", "Catch"),
	TypeMap: setOf("Type", "Comment", "QueryLanguage", "Next", "End", "Assign",
		"InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Output",
		"ItemProcessor", "Iterator", "ItemsPath", "Items", "ItemSelector",
		"ItemReader", "ItemBatcher", "ResultWriter", "MaxConcurrency", "MaxConcurrencyPath",
		"ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
		"ToleratedFailureCount", "ToleratedFailureCountPath", "Label", "Retry", "Catch"),
}

// jsonPathOnly are the fields a JSONata state may not use, in the order
// they are reported.
var jsonPathOnly = setOf("InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Result",
	"ItemsPath", "SecondsPath", "TimestampPath", "TimeoutSecondsPath", "HeartbeatSecondsPath",
	"MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath",
	"ErrorPath", "CausePath")

// jsonataOnly are the fields a JSONPath state may not use.
var jsonataOnly = setOf("Arguments", "Output", "Items")

// Largest values AWS accepts for seconds and counts.
const (
	maxSeconds = 99999999
)

// state validates one state's own fields (not its transitions or nested
// definitions).
func (v *validator) state(s *State) {
	raw := s.Raw
	if raw == nil {
		return
	}
	loc := s.Location
	if !raw.Has("Type") {
		v.schema(loc, "These fields are required: [Type]")
		return
	}
	if _, ok := v.oneOf(raw, "Type", loc, stateTypes...); !ok {
		return // a bad value, or a Type of the wrong JSON type reported by Parse
	}

	jsonata, downgraded := v.stateLanguage(s)
	v.stateFields(s, jsonata, downgraded)

	switch s.Type {
	case TypeTask:
		v.required(raw, loc, "Resource")
	case TypeChoice:
		v.required(raw, loc, "Choices")
	case TypeParallel:
		v.required(raw, loc, "Branches")
	case TypeMap:
		if !raw.Has("ItemProcessor") && !raw.Has("Iterator") {
			v.schema(loc, "These fields are required: [ItemProcessor]")
		}
	}
	v.nextEnd(s)
	if !jsonata {
		v.jsonPathDataFlow(s)
	}
	if raw.Has("Assign") {
		v.assign(raw, loc, jsonata)
	}
	switch s.Type {
	case TypeTask:
		v.task(s, jsonata)
	case TypeChoice:
		v.choice(s, jsonata)
	case TypeWait:
		v.wait(s, jsonata)
	case TypeFail:
		v.fail(s, jsonata)
	case TypeParallel:
		if arr, ok := raw.Get("Branches"); ok {
			if a, ok := arr.([]any); ok && len(a) == 0 {
				// AWS's wording is not recorded; this follows its style.
				v.schema(at(loc, "Branches"), "The field 'Branches' must contain at least 1 element")
			}
		}
	case TypeMap:
		v.mapState(s, jsonata)
	}
	if s.Type == TypeTask || s.Type == TypeParallel || s.Type == TypeMap {
		v.retriers(s)
		v.catchers(s, jsonata)
	}
	if jsonata {
		v.jsonataFields(s)
	} else if v.opts.Warnings {
		v.warnings(s)
	}
}

// stateLanguage resolves the query language of s and reports a bad
// QueryLanguage. A state is JSONPath only when its QueryLanguage is
// exactly "JSONPath", or absent under a JSONPath machine; a JSONata machine
// cannot have JSONPath states. downgraded reports that last case, in which
// AWS reports nothing else about the fields of the other language.
func (v *validator) stateLanguage(s *State) (jsonata, downgraded bool) {
	ql, ok := s.Raw.Get("QueryLanguage")
	if !ok {
		return v.topJSONata, false
	}
	v.queryLanguageValue(s.Raw, s.Location)
	if ql == JSONPath {
		if v.topJSONata {
			v.schema(s.Location, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine")
			return true, true
		}
		return false, false
	}
	return true, false
}

// stateFields reports fields the state's type does not accept and fields
// of the other query language.
func (v *validator) stateFields(s *State, jsonata, downgraded bool) {
	allowed := stateFields[s.Type]
	for k := range s.Raw.All() {
		switch {
		case !allowed[k]:
			v.schema(s.Location, "Field '%s' is not supported", k)
		case downgraded:
		case jsonata && jsonPathOnly[k]:
			v.schema(s.Location, "The QueryLanguage is set to 'JSONata', but field '%s' is only supported for the 'JSONPath' QueryLanguage", k)
		case !jsonata && jsonataOnly[k]:
			v.schema(s.Location, "The QueryLanguage is set to 'JSONPath', but field '%s' is only supported for the 'JSONata' QueryLanguage", k)
		}
	}
}

// nextEnd checks the Next and End rules. Choice, Succeed and Fail take
// neither (reported as unsupported fields); every other state needs exactly
// one of them.
func (v *validator) nextEnd(s *State) {
	switch s.Type {
	case TypeChoice, TypeSucceed, TypeFail:
		return
	}
	_, hasNext := s.Raw.Get("Next")
	if s.End && hasNext {
		// AWS's wording is not recorded; this follows its style.
		v.schema(s.Location, "The fields 'Next' and 'End' cannot both be set")
		return
	}
	if !s.End && !hasNext {
		if _, hasEnd := s.Raw.Get("End"); hasEnd {
			// End: false.
			v.schema(s.Location, "These fields are required: [Next]")
			return
		}
		// AWS's wording is not recorded; this follows its style.
		v.schema(s.Location, "Either 'Next' or 'End' field is required")
	}
}

// jsonPathDataFlow checks InputPath, OutputPath, ResultPath and the
// payload templates of a JSONPath state.
func (v *validator) jsonPathDataFlow(s *State) {
	raw, loc := s.Raw, s.Location
	for _, f := range []string{"InputPath", "OutputPath"} {
		if p, ok := raw.Get(f); ok {
			if str, ok := p.(string); ok {
				v.path(str, at(loc, f), f)
			}
		}
	}
	if p, ok := raw.Get("ResultPath"); ok {
		if str, ok := p.(string); ok {
			v.resultPath(str, at(loc, "ResultPath"))
		}
	}
	for _, f := range []string{"Parameters", "ResultSelector", "ItemSelector"} {
		if t, ok := raw.Get(f); ok {
			v.template(t, at(loc, f))
		}
	}
	for _, f := range []string{"ItemsPath", "SecondsPath", "TimestampPath", "TimeoutSecondsPath",
		"HeartbeatSecondsPath", "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath"} {
		if p, ok := raw.Get(f); ok {
			if str, ok := p.(string); ok {
				v.referencePath(str, at(loc, f), f)
			}
		}
	}
}

// path reports a string that is not a valid JSONPath.
func (v *validator) path(p, loc, field string) {
	if err := checkPath(p); err != nil {
		// AWS's wording is not recorded; this follows its style.
		v.schema(loc, "The value for the field '%s' must be a valid JSONPath", field)
	}
}

// referencePath reports a string that is not a valid Reference Path.
func (v *validator) referencePath(p, loc, field string) {
	if err := checkReferencePath(p); err != nil {
		// AWS's wording is not recorded; this follows its style.
		v.schema(loc, "The value for the field '%s' must be a valid ReferencePath", field)
	}
}

// resultPath reports a ResultPath that is not a Reference Path into the
// state input ("$..." only: neither the context object nor a variable).
func (v *validator) resultPath(p, loc string) {
	if strings.HasPrefix(p, "$$") || (len(p) > 1 && p[0] == '$' && isIdentStart(p[1])) || checkReferencePath(p) != nil {
		v.schema(loc, "The value for the field 'ResultPath' must be a valid ReferencePath")
	}
}

// template checks a JSONPath payload template: every key ending in ".$"
// must hold a path or an intrinsic function call. The message is AWS's
// (recorded), located at the object holding the key. Every bad key is
// reported; then, when the walk found nothing, the template is compiled
// with asl/payload so that whatever the engine would refuse is reported
// here too.
func (v *validator) template(t any, loc string) {
	before := len(v.diags)
	v.templateKeys(t, loc)
	if len(v.diags) > before {
		return
	}
	field := loc[strings.LastIndexByte(loc, '/')+1:]
	if _, err := payload.Compile(t, field); err != nil {
		var ce *payload.CompileError
		if errors.As(err, &ce) {
			parent := ce.Pointer[:max(strings.LastIndexByte(ce.Pointer, '/'), 0)]
			v.schema(loc+parent, "%s", ce.Msg)
		} else {
			v.schema(loc, "%s", err.Error())
		}
	}
}

func (v *validator) templateKeys(t any, loc string) {
	switch x := t.(type) {
	case *value.Object:
		for k, val := range x.All() {
			if strings.HasSuffix(k, ".$") && len(k) > 2 {
				if _, isString := val.(string); !isString {
					// The wording asl/payload uses; AWS's is not recorded.
					v.schema(loc, "The value for the field '%s' must be a STRING that contains a JSONPath or an intrinsic function call, but was %s", k, value.TypeName(val))
				} else if !validDynamicValue(val) {
					v.schema(loc, "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", k)
				}
				continue
			}
			v.templateKeys(val, at(loc, k))
		}
	case []any:
		for i, e := range x {
			v.templateKeys(e, atIndex(loc, i))
		}
	}
}

// validDynamicValue reports whether val, the value of a ".$" field, is a
// path or an intrinsic function call.
func validDynamicValue(val any) bool {
	s, ok := val.(string)
	if !ok {
		return false
	}
	if strings.HasPrefix(s, "$") {
		return checkPath(s) == nil
	}
	if strings.HasPrefix(s, "States.") {
		return checkIntrinsic(s) == nil
	}
	return false
}

// assign checks an Assign object: variable names, the reserved "states",
// and, in JSONPath, the ".$" values.
func (v *validator) assign(obj *value.Object, loc string, jsonata bool) {
	raw, _ := obj.Get("Assign")
	a, ok := raw.(*value.Object)
	if !ok {
		return // reported by Parse
	}
	aloc := at(loc, "Assign")
	for k := range a.All() {
		name := k
		if !jsonata {
			name = strings.TrimSuffix(k, ".$")
		}
		// AWS's wording for these two is not recorded; they follow its style.
		switch {
		case name == "states":
			v.schema(aloc, "The variable name '%s' is reserved", name)
		case !validVariableName(name):
			v.schema(aloc, "The variable name '%s' is invalid: it must start with a letter or '_' and contain only letters, digits and '_'", name)
		}
	}
	if !jsonata {
		v.template(a, aloc)
	}
}

// maxVariableNameLength is the longest variable name AWS accepts.
const maxVariableNameLength = 80

func validVariableName(s string) bool {
	if s == "" || len(s) > maxVariableNameLength || !isIdentStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentPart(s[i]) {
			return false
		}
	}
	return true
}

// intRange reports an integer outside [lo, hi].
func (v *validator) intRange(n int64, loc, field string, lo, hi int64) {
	// AWS's wording is not recorded; this follows its style.
	if n < lo {
		v.schema(loc, "The value for the field '%s' must be greater than or equal to %d", field, lo)
	} else if n > hi {
		v.schema(loc, "The value for the field '%s' must be less than or equal to %d", field, hi)
	}
}

// integerField checks a field that holds an integer in [lo, hi] or, in a
// JSONata state, a JSONata expression. It returns the integer when there
// is one.
func (v *validator) integerField(obj *value.Object, key, loc string, lo, hi int64, jsonata bool) (int64, bool) {
	raw, ok := obj.Get(key)
	if !ok {
		return 0, false
	}
	floc := at(loc, key)
	switch x := raw.(type) {
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			v.schema(floc, "Expected value of type [INTEGER]")
			return 0, false
		}
		v.intRange(int64(x), floc, key, lo, hi)
		return int64(x), true
	case string:
		if jsonata && isJSONataString(x) {
			return 0, false // compiled by jsonataFields
		}
	}
	if jsonata {
		// AWS's wording is not recorded; this follows its style.
		v.schema(floc, "The value for the field '%s' must be an INTEGER or a JSONata expression", key)
	} else {
		v.schema(floc, "Expected value of type [INTEGER]")
	}
	return 0, false
}

// exclusive reports two fields that may not be used together.
func (v *validator) exclusive(obj *value.Object, loc, a, b string) {
	if obj.Has(a) && obj.Has(b) {
		// AWS's wording is not recorded; this follows its style.
		v.schema(loc, "The fields '%s' and '%s' cannot both be set", a, b)
	}
}
