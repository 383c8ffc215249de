package teststate

import (
	"github.com/stepwise-run/stepwise/value"
)

// checkMock applies AWS's rules about which states take a mock and what a
// mock must hold, and parses it.
func (p *plan) checkMock(req *Request) error {
	cfg := req.StateConfiguration
	m := req.Mock
	if m == nil {
		if cfg != nil && cfg.MapIterationFailureCount != nil {
			return errorf(CodeValidation, "TestState does not support MapIterationFailureCount when a mock is not specified.")
		}
		if p.typ == "Map" || p.typ == "Parallel" {
			return errorf(CodeInvalidDefinition, "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]")
		}
		return nil
	}
	if req.RevealSecrets {
		return errorf(CodeValidation, "TestState does not support RevealSecrets when a mock is specified.")
	}
	switch p.typ {
	case "Task", "Map", "Parallel":
	default:
		return errorf(CodeValidation, "State type '%s' is not supported when a mock is specified", p.typ)
	}
	switch m.FieldValidationMode {
	case "", "STRICT", "PRESENT", "NONE":
	default:
		return errorf(CodeValidation, "1 validation error detected: Value '%s' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]", m.FieldValidationMode)
	}
	if (m.Result == nil) == (m.ErrorOutput == nil) {
		return errorf(CodeValidation, "A mock must specify exactly one of result and errorOutput.")
	}
	pm := &parsedMock{err: m.ErrorOutput}
	if m.Result != nil {
		v, err := value.ParseString(*m.Result)
		if err != nil {
			return errorf(CodeValidation, "Mocked result must be valid JSON")
		}
		pm.text, pm.result = *m.Result, v
		if p.typ == "Task" && m.FieldValidationMode != "NONE" {
			resource, _ := stringMember(p.state, "Resource")
			if s := resultShape(resource); s != nil {
				if problem := validateMock(s, v, "", m.FieldValidationMode != "PRESENT"); problem != "" {
					return errorf(CodeValidation, "Mock result schema validation error: %s", problem)
				}
			}
		}
		switch p.typ {
		case "Parallel":
			arr, ok := v.([]any)
			if !ok {
				return errorf(CodeValidation, "Mocked result must be an array.")
			}
			branches, _ := member(p.state, "Branches").([]any)
			if len(arr) != len(branches) {
				return errorf(CodeValidation, "Mocked result must contain the same number of items as number of Parallel branches.")
			}
		case "Map":
			if member(p.state, "ResultWriter") != nil {
				if _, ok := v.(*value.Object); !ok {
					return errorf(CodeValidation, "Mocked result must be a JSON object.")
				}
			} else {
				arr, ok := v.([]any)
				if !ok {
					return errorf(CodeValidation, "Mocked result must be an array.")
				}
				if cfg != nil && cfg.MapIterationFailureCount != nil && *cfg.MapIterationFailureCount > len(arr) {
					return errorf(CodeValidation, "Map iteration failure count must be less than or equal to the number of Map iterations")
				}
			}
		}
	}
	if cfg != nil && cfg.MapIterationFailureCount != nil && *cfg.MapIterationFailureCount < 0 {
		return errorf(CodeValidation, "Map iteration failure count must not be negative")
	}
	p.mock = pm
	return nil
}
