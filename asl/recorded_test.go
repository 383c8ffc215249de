package asl

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

const casesDir = "../conformance/testdata/cases"

// recordedCase is the part of a conformance case the validator needs.
type recordedCase struct {
	ID               string          `json:"id"`
	Action           string          `json:"action"`
	Definition       json.RawMessage `json:"definition"`
	DefinitionString *string         `json:"definitionString"`
	StateMachineType string          `json:"stateMachineType"` // execution cases
	RequestRaw       json.RawMessage `json:"request"`
	Request          struct {
		Type string `json:"type"`
	} `json:"-"`
	Expected struct {
		Error    json.RawMessage `json:"error"`
		Response json.RawMessage `json:"response"`
	} `json:"expected"`
}

// recordedError is the expected.error of a validation case.
type recordedError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (c *recordedCase) text() []byte {
	if c.DefinitionString != nil {
		return []byte(*c.DefinitionString)
	}
	return c.Definition
}

func loadCases(t *testing.T, kind string) []recordedCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(casesDir, kind, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no %s cases under %s", kind, casesDir)
	}
	var all []recordedCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cases []recordedCase
		if err := json.Unmarshal(b, &cases); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for i := range cases {
			// request is an object in most kinds; only its type matters here.
			_ = json.Unmarshal(cases[i].RequestRaw, &cases[i].Request)
		}
		all = append(all, cases...)
	}
	return all
}

// validationResponse is a recorded ValidateStateMachineDefinition answer.
type validationResponse struct {
	Result      string `json:"result"`
	Diagnostics []struct {
		Code     string `json:"code"`
		Location string `json:"location"`
		Message  string `json:"message"`
		Severity string `json:"severity"`
	} `json:"diagnostics"`
}

func TestRecordedValidationCases(t *testing.T) {
	passed, failed := 0, 0
	for _, c := range loadCases(t, "validation") {
		_, diags := Check(c.text(), ValidateOptions{Type: c.Request.Type})
		var problem string
		switch c.Action {
		case "CreateStateMachine":
			var want recordedError
			if err := json.Unmarshal(c.Expected.Error, &want); err != nil || want.Message == "" {
				problem = "no recorded error"
				break
			}
			if !HasErrors(diags) {
				problem = "definition accepted, want " + want.Message
			} else if got := FormatInvalidDefinition(diags); got != want.Message {
				problem = fmt.Sprintf("message\n got %q\nwant %q", got, want.Message)
			}
		case "ValidateStateMachineDefinition":
			var want validationResponse
			if err := json.Unmarshal(c.Expected.Response, &want); err != nil {
				t.Fatalf("%s: %v", c.ID, err)
			}
			result := "OK"
			if HasErrors(diags) {
				result = "FAIL"
			}
			if result != want.Result {
				problem = fmt.Sprintf("result %s, want %s (%v)", result, want.Result, diags)
				break
			}
			if len(diags) != len(want.Diagnostics) {
				problem = fmt.Sprintf("diagnostics %v, want %+v", diags, want.Diagnostics)
				break
			}
			for i, d := range want.Diagnostics {
				g := diags[i]
				if g.Code != d.Code || g.Location != d.Location || g.Message != d.Message || g.Severity != d.Severity {
					problem = fmt.Sprintf("diagnostic %d: %+v, want %+v", i, g, d)
					break
				}
			}
		default:
			problem = "unknown action " + c.Action
		}
		if problem != "" {
			failed++
			t.Errorf("%s: %s", c.ID, problem)
		} else {
			passed++
		}
	}
	fmt.Printf("validation cases: %d passed, %d failed\n", passed, failed)
}

// TestRecordedDefinitionsAreValid checks that no definition AWS accepted
// (every execution and choice case) gets an ERROR diagnostic.
func TestRecordedDefinitionsAreValid(t *testing.T) {
	n := 0
	for _, kind := range []string{"execution", "choice"} {
		for _, c := range loadCases(t, kind) {
			if len(c.Definition) == 0 && c.DefinitionString == nil {
				continue
			}
			n++
			_, diags := Check(c.text(), ValidateOptions{Type: c.StateMachineType})
			if HasErrors(diags) {
				t.Errorf("%s: %v", c.ID, diags)
			}
		}
	}
	for _, c := range loadAPICases(t) {
		for i, st := range c.Steps {
			if (st.Action != "CreateStateMachine" && st.Action != "UpdateStateMachine") || st.ExpectError {
				continue
			}
			var text string
			if err := json.Unmarshal(st.Request["definition"], &text); err != nil {
				continue // no definition, or a reference to another step
			}
			var typ string
			_ = json.Unmarshal(st.Request["type"], &typ)
			n++
			if _, diags := Check([]byte(text), ValidateOptions{Type: typ}); HasErrors(diags) {
				t.Errorf("%s step %d: %v", c.ID, i, diags)
			}
		}
	}
	fmt.Printf("recorded definitions checked: %d\n", n)
}

// apiCase is the part of an api conformance case that holds definitions.
type apiCase struct {
	ID    string `json:"id"`
	Steps []struct {
		Action      string                     `json:"action"`
		Request     map[string]json.RawMessage `json:"request"`
		ExpectError bool                       `json:"expectError"`
	} `json:"steps"`
}

func loadAPICases(t *testing.T) []apiCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(casesDir, "api", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var all []apiCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cases []apiCase
		if err := json.Unmarshal(b, &cases); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		all = append(all, cases...)
	}
	return all
}

// TestRecordedTestStateDefinitions checks the TestState cases that send a
// whole state machine (with a stateName): the definition must be rejected
// with AWS's message when AWS rejected it, and accepted otherwise.
func TestRecordedTestStateDefinitions(t *testing.T) {
	n := 0
	for _, c := range loadCases(t, "teststate") {
		var req struct {
			StateName string `json:"stateName"`
		}
		if err := json.Unmarshal(c.RequestRaw, &req); err != nil || req.StateName == "" {
			continue
		}
		n++
		_, diags := Check(c.text(), ValidateOptions{})
		var want recordedError
		_ = json.Unmarshal(c.Expected.Error, &want)
		if want.Code == "InvalidDefinition" {
			if got := FormatInvalidDefinition(diags); got != want.Message {
				t.Errorf("%s:\n got %q\nwant %q", c.ID, got, want.Message)
			}
		} else if HasErrors(diags) {
			t.Errorf("%s: %v", c.ID, diags)
		}
	}
	fmt.Printf("TestState machine definitions checked: %d\n", n)
}

// TestRecordedTestStateStates checks that CheckState accepts every lone
// state TestState cases sent, unless AWS rejected it as InvalidDefinition.
func TestRecordedTestStateStates(t *testing.T) {
	n := 0
	for _, c := range loadCases(t, "teststate") {
		var req struct {
			StateName string `json:"stateName"`
		}
		if err := json.Unmarshal(c.RequestRaw, &req); err != nil || req.StateName != "" {
			continue
		}
		var want recordedError
		_ = json.Unmarshal(c.Expected.Error, &want)
		if want.Code == "InvalidDefinition" {
			continue // Map and Parallel refused by TestState itself
		}
		n++
		if s, diags := CheckState(c.text(), ValidateOptions{}); s == nil || HasErrors(diags) {
			t.Errorf("%s: %v", c.ID, diags)
		}
	}
	fmt.Printf("TestState states checked: %d\n", n)
}
