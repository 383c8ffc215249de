package asl

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/stepwise-run/stepwise/value"
)

// loneStateName returns the name a lone state is validated under: one that
// no state nested in it uses (names must be unique in the whole machine).
func loneStateName(text []byte) string {
	name := "TestState"
	for i := 1; bytes.Contains(text, []byte(`"`+name+`"`)); i++ {
		name = "TestState" + strconv.Itoa(i)
	}
	return name
}

// CheckState parses and validates one state definition on its own, as the
// TestState API receives it. Every rule of Check applies except those about
// transitions (MISSING_TRANSITION_TARGET, MISSING_END_STATE): the states a
// lone state's Next, Default or Catch name are not there to check.
// Locations are relative to the state ("/Type", "/Retry/0"; "/" for the
// state itself). The State is nil when the text is not a JSON object.
func CheckState(text []byte, opts ValidateOptions) (*State, []Diagnostic) {
	v, err := value.Parse(text)
	if err != nil {
		return nil, []Diagnostic{{Code: CodeInvalidJSON, Location: "/", Message: err.Error(), Severity: SeverityError}}
	}
	obj, ok := v.(*value.Object)
	if !ok {
		return nil, []Diagnostic{{Code: CodeSchemaValidationFailed, Location: "/",
			Message: "Expected value of type [OBJECT]", Severity: SeverityError}}
	}
	name := loneStateName(text)
	states := value.NewObject(1)
	states.Set(name, obj)
	machine := value.NewObject(2)
	machine.Set("StartAt", name)
	machine.Set("States", states)
	def, parsed := ParseValue(machine)
	diags := mergeDiagnostics(parsed, Validate(def, opts))

	prefix := "/States/" + pointerEscape(name)
	out := diags[:0]
	for _, d := range diags {
		if d.Code == CodeMissingTransitionTarget || d.Code == CodeMissingEndState {
			continue
		}
		d.Location = strings.TrimPrefix(d.Location, prefix)
		if d.Location == "" {
			d.Location = "/"
		}
		out = append(out, d)
	}
	return def.States[name], out
}
