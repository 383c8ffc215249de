package engine

import (
	"strings"
	"testing"
)

// TestJSONataFunctionResult checks that an expression whose result is or
// holds a function fails the state as on AWS.
func TestJSONataFunctionResult(t *testing.T) {
	for _, expr := range []string{`function($x){$x}`, `{'a': [1, $sum]}`, `$states.input.n ? $uppercase : 1`} {
		def := `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":"{% ` + expr + ` %}","End":true}}}`
		h := start(t, def, `{"n":1}`)
		h.wantStatus(StatusFailed, "")
		if h.x.Error != "States.QueryEvaluationError" || !strings.HasSuffix(h.x.Cause, "returned an unsupported result type.") {
			t.Errorf("%s: %s: %s", expr, h.x.Error, h.x.Cause)
		}
	}
}
