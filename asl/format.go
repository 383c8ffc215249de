package asl

import "strings"

// FormatInvalidDefinition renders diagnostics as the message of the
// InvalidDefinition error CreateStateMachine and UpdateStateMachine return:
//
//	Invalid State Machine Definition: 'CODE: message at /location, CODE: message at /location'
//
// Every problem is "<code>: <message> at <location>"; AWS joins them with
// ", " inside one pair of quotes (recorded from AWS: "Invalid State Machine
// Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at
// /States/pass1/Next, MISSING_TRANSITION_TARGET: State "pass2" is not
// reachable. at /States/pass2'"). A diagnostic without a location is
// rendered with the literal "null", as AWS's Java service does. Warnings are
// left out: they do not make a definition invalid.
func FormatInvalidDefinition(diags []Diagnostic) string {
	var b strings.Builder
	b.WriteString("Invalid State Machine Definition: '")
	n := 0
	for _, d := range diags {
		if d.Severity == SeverityWarning {
			continue
		}
		if n > 0 {
			b.WriteString(", ")
		}
		n++
		loc := d.Location
		if loc == "" {
			loc = "null"
		}
		b.WriteString(d.Code)
		b.WriteString(": ")
		b.WriteString(d.Message)
		b.WriteString(" at ")
		b.WriteString(loc)
	}
	b.WriteString("'")
	return b.String()
}

// HasErrors reports whether diags holds at least one ERROR diagnostic, that
// is whether the definition is invalid.
func HasErrors(diags []Diagnostic) bool {
	for _, d := range diags {
		if d.Severity != SeverityWarning {
			return true
		}
	}
	return false
}
