package service

import (
	"context"
	"fmt"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/store"
)

// ValidateStateMachineDefinitionInput is the request of
// ValidateStateMachineDefinition.
type ValidateStateMachineDefinitionInput struct {
	Definition string `json:"definition"`
	Type       string `json:"type,omitempty"`
	// Severity is ERROR (the default: errors only) or WARNING (errors and
	// warnings).
	Severity   string `json:"severity,omitempty"`
	MaxResults int    `json:"maxResults,omitempty"`
}

// ValidateStateMachineDefinitionDiagnostic is one problem found.
type ValidateStateMachineDefinitionDiagnostic struct {
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Location string `json:"location,omitempty"`
}

// ValidateStateMachineDefinitionOutput is the response of
// ValidateStateMachineDefinition.
type ValidateStateMachineDefinitionOutput struct {
	// Result is OK or FAIL.
	Result      string                                     `json:"result"`
	Diagnostics []ValidateStateMachineDefinitionDiagnostic `json:"diagnostics"`
	Truncated   bool                                       `json:"truncated"`
}

// maxDiagnostics is the default and largest maxResults of
// ValidateStateMachineDefinition.
const maxDiagnostics = 100

// ValidateStateMachineDefinition lints a definition without creating
// anything.
func (s *Service) ValidateStateMachineDefinition(ctx context.Context, in *ValidateStateMachineDefinitionInput) (*ValidateStateMachineDefinitionOutput, error) {
	if in.Definition == "" {
		return nil, validationNull("definition")
	}
	if len([]rune(in.Definition)) > MaxDefinitionLength {
		return nil, validation("…", "definition", fmt.Sprintf("Member must have length less than or equal to %d", MaxDefinitionLength))
	}
	typ := in.Type
	switch typ {
	case "":
		typ = store.TypeStandard
	case store.TypeStandard, store.TypeExpress:
	default:
		return nil, validation(in.Type, "type", "Member must satisfy enum value set: [STANDARD, EXPRESS]")
	}
	switch in.Severity {
	case "", asl.SeverityError, asl.SeverityWarning:
	default:
		return nil, validation(in.Severity, "severity", "Member must satisfy enum value set: [ERROR, WARNING]")
	}
	limit := in.MaxResults
	switch {
	case limit < 0 || limit > maxDiagnostics:
		return nil, validation(fmt.Sprint(limit), "maxResults", fmt.Sprintf("Member must have value less than or equal to %d", maxDiagnostics))
	case limit == 0:
		limit = maxDiagnostics
	}
	_, diags := asl.Check([]byte(in.Definition), asl.ValidateOptions{Type: typ, Warnings: in.Severity == asl.SeverityWarning})
	out := &ValidateStateMachineDefinitionOutput{Result: "OK", Diagnostics: []ValidateStateMachineDefinitionDiagnostic{}}
	if asl.HasErrors(diags) {
		out.Result = "FAIL"
	}
	for _, d := range diags {
		if len(out.Diagnostics) == limit {
			out.Truncated = true
			break
		}
		out.Diagnostics = append(out.Diagnostics, ValidateStateMachineDefinitionDiagnostic{
			Severity: d.Severity, Code: d.Code, Message: d.Message, Location: d.Location,
		})
	}
	return out, nil
}
