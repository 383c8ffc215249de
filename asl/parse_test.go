package asl

import (
	"testing"
)

func TestParseDefinition(t *testing.T) {
	def, diags := Parse([]byte(`{
		"StartAt": "A", "TimeoutSeconds": 30, "QueryLanguage": "JSONPath",
		"States": {
			"A": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "Next": "B"},
			"B": {"Type": "Parallel", "Branches": [{"StartAt": "C", "States": {"C": {"Type": "Succeed"}}}],
			      "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2, "BackoffRate": 1.5}],
			      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "D", "ResultPath": null}], "Next": "M"},
			"M": {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "E",
			      "States": {"E": {"Type": "Pass", "End": true}}}, "End": true},
			"D": {"Type": "Fail", "Error": "E", "Cause": "C"}
		}}`))
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if def.StartAt != "A" || *def.TimeoutSeconds != 30 || len(def.Order) != 4 {
		t.Fatalf("top level: %+v", def)
	}
	if s := def.States["A"]; !s.HasResult || s.ResultPath.Value != "$.r" || s.Next != "B" {
		t.Fatalf("A: %+v", s)
	}
	b := def.States["B"]
	if len(b.Branches) != 1 || b.Branches[0].Location != "/States/B/Branches/0" || *b.Retry[0].MaxAttempts != 2 {
		t.Fatalf("B: %+v", b)
	}
	if !b.Catch[0].ResultPath.Null {
		t.Fatal("Catch ResultPath null not recorded")
	}
	if m := def.States["M"]; m.ItemProcessor == nil || m.ItemProcessor.ProcessorMode != "INLINE" {
		t.Fatalf("M: %+v", m)
	}
}

func TestParseDiagnostics(t *testing.T) {
	tests := []struct {
		in, loc string
	}{
		{`[]`, "/"},
		{`{"StartAt": 1, "States": {}}`, "/StartAt"},
		{`{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": "yes"}}}`, "/States/A/End"},
		{`{"StartAt": "A", "States": {"A/b": {"Type": "Task", "Retry": [{"MaxAttempts": 1.5}]}}}`, "/States/A~1b/Retry/0/MaxAttempts"},
		{`{"StartAt": "A", "States": {"A": 3}}`, "/States/A"},
		{`{"StartAt"`, "/"},
	}
	for _, tt := range tests {
		_, diags := Parse([]byte(tt.in))
		if len(diags) == 0 || diags[0].Location != tt.loc {
			t.Errorf("Parse(%s) = %v, want a diagnostic at %s", tt.in, diags, tt.loc)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`))
	f.Add([]byte(`{"StartAt":"A","States":{"A":{"Type":"Map","Iterator":{"StartAt":"B","States":{"B":{"Type":"Succeed"}}},"Retry":[{}],"Catch":[1]}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		Parse(b) // must not panic
	})
}
