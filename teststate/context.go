package teststate

import (
	"github.com/stepwise-run/stepwise/value"
)

// contextFields are the members a request's context object may have, with
// the members each may hold and the JSON type of each.
var contextFields = map[string]map[string]string{
	"Execution":    {"Id": "string", "Input": "", "Name": "string", "RoleArn": "string", "StartTime": "string", "RedriveCount": "number", "RedriveTime": "string"},
	"State":        {"EnteredTime": "string", "Name": "string", "RetryCount": "number"},
	"StateMachine": {"Id": "string", "Name": "string"},
	"Task":         {"Token": "string"},
}

// checkContext parses and validates a request's context object.
func checkContext(text string) (*value.Object, error) {
	v, err := value.ParseString(text)
	if err != nil {
		return nil, errorf(CodeValidation, "Invalid Context object provided: context must be valid JSON")
	}
	obj, ok := v.(*value.Object)
	if !ok {
		return nil, errorf(CodeValidation, "Invalid Context object provided: context must be a JSON object")
	}
	for k, e := range obj.All() {
		if k == "Map" {
			return nil, errorf(CodeValidation, "Invalid Context object provided: 'Map' field is not supported when mocking a Context object")
		}
		fields, ok := contextFields[k]
		if !ok {
			return nil, errorf(CodeValidation, "Invalid Context object provided: Field '%s' is not allowed", k)
		}
		sub, ok := e.(*value.Object)
		if !ok {
			return nil, errorf(CodeValidation, "Invalid Context object provided: %s must be an object", k)
		}
		for f, fv := range sub.All() {
			want, ok := fields[f]
			if !ok {
				return nil, errorf(CodeValidation, "Invalid Context object provided: Field '%s' is not allowed", f)
			}
			if want != "" && value.TypeName(fv) != want {
				return nil, errorf(CodeValidation, "Invalid Context object provided: %s.%s must be a %s", k, f, want)
			}
		}
	}
	return obj, nil
}
