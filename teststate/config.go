package teststate

import (
	"strconv"

	"github.com/stepwise-run/stepwise/value"
)

// Request limits of the API (TestState's API reference).
const (
	maxDefinitionLen = 1 << 20
	maxPayloadLen    = 256 << 10
	maxStateNameLen  = 80
)

// checkLimits applies the API's constraints on request members, with
// AWS's "1 validation error detected" messages.
func checkLimits(req *Request) error {
	constraint := func(val, member, rule string) error {
		return errorf(CodeValidation, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", val, member, rule)
	}
	if len(req.Definition) > maxDefinitionLen {
		return constraint("...", "definition", "Member must have length less than or equal to "+strconv.Itoa(maxDefinitionLen))
	}
	for _, m := range []struct {
		name string
		v    *string
	}{{"input", req.Input}, {"variables", req.Variables}, {"context", req.Context}} {
		if m.v != nil && len(*m.v) > maxPayloadLen {
			return constraint("...", m.name, "Member must have length less than or equal to "+strconv.Itoa(maxPayloadLen))
		}
	}
	if req.StateName != nil && (len(*req.StateName) < 1 || len(*req.StateName) > maxStateNameLen) {
		return constraint(*req.StateName, "stateName", "Member must have length between 1 and 80")
	}
	cfg := req.StateConfiguration
	if cfg == nil {
		return nil
	}
	for _, m := range []struct {
		name string
		v    *int
	}{{"retrierRetryCount", cfg.RetrierRetryCount}, {"mapIterationFailureCount", cfg.MapIterationFailureCount}} {
		if m.v != nil && *m.v < 0 {
			return constraint(strconv.Itoa(*m.v), "stateConfiguration."+m.name, "Member must have value greater than or equal to 0")
		}
	}
	if s := cfg.ErrorCausedByState; s != nil && (len(*s) < 1 || len(*s) > maxStateNameLen) {
		return constraint(*s, "stateConfiguration.errorCausedByState", "Member must have length between 1 and 80")
	}
	if d := cfg.MapItemReaderData; d != nil && len(*d) > maxPayloadLen {
		return constraint("...", "stateConfiguration.mapItemReaderData", "Member must have length less than or equal to "+strconv.Itoa(maxPayloadLen))
	}
	return nil
}

// checkVariables parses a request's variables: a JSON object of variable
// names and values.
func checkVariables(text string) (*value.Object, error) {
	v, err := value.ParseString(text)
	if err != nil {
		return nil, errorf(CodeValidation, "Invalid variables provided: variables must be valid JSON")
	}
	obj, ok := v.(*value.Object)
	if !ok {
		return nil, errorf(CodeValidation, "Invalid variables provided: variables must be a JSON object")
	}
	return obj, nil
}

// testContext adjusts the context object the engine builds for the state
// under test to TestState's: the request's context object when it has one
// (as given, whole), otherwise the engine's without Execution.RedriveCount
// and with State.RetryCount. It is meant for an engine hook that lets a
// caller replace the context object (see the package's report); until the
// engine has one, Run cannot apply it.
func testContext(requested, built *value.Object) *value.Object {
	if requested != nil {
		return requested
	}
	out := built.Copy()
	if exec, ok := member(out, "Execution").(*value.Object); ok {
		exec = exec.Copy()
		exec.Delete("RedriveCount")
		out.Set("Execution", exec)
	}
	if st, ok := member(out, "State").(*value.Object); ok && !st.Has("RetryCount") {
		st = st.Copy()
		st.Set("RetryCount", float64(0))
		out.Set("State", st)
	}
	return out
}
