package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const smPrefix = "arn:aws:states:us-east-1:123456789012:stateMachine:"

// nestedMachines are the child definitions the tests start. Echo waits an
// hour (virtual time) and returns its input through a --task handler.
var nestedMachines = map[string]string{
	"Echo": `{"StartAt":"Nap","States":{
		"Nap":{"Type":"Wait","Seconds":3600,"Next":"Work"},
		"Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:work","Parameters":{"got.$":"$"},"End":true}}}`,
	"Boom": `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"ChildBoom","Cause":"it broke"}}}`,
	"Self": `{"StartAt":"Again","States":{"Again":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
		"Parameters":{"StateMachineArn":"Self"},"End":true}}}`,
	"Grand": `{"StartAt":"Child","States":{"Child":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
		"Parameters":{"StateMachineArn":"` + smPrefix + `Echo","Input.$":"$"},"OutputPath":"$.Output","End":true}}}`,
}

// startTask is a parent whose one Task starts a child with params.
func startTask(resource, params string) string {
	return `{"StartAt":"Start","States":{"Start":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution` + resource +
		`","Parameters":` + params + `,"End":true}}}`
}

func TestRunNested(t *testing.T) {
	dir := t.TempDir()
	var machineArgs []string
	for name, def := range nestedMachines {
		file := filepath.Join(dir, name+".json")
		if err := os.WriteFile(file, []byte(def), 0o600); err != nil {
			t.Fatal(err)
		}
		machineArgs = append(machineArgs, "--machine", name+"="+file)
	}
	type result struct {
		Status string         `json:"status"`
		Output map[string]any `json:"output"`
		Error  string         `json:"error"`
		Cause  string         `json:"cause"`
		Events []struct {
			Type      string  `json:"type"`
			Timestamp float64 `json:"timestamp"`
		} `json:"events"`
	}
	tests := []struct {
		name   string
		parent string // definition; "" runs nestedMachines[machine]
		self   string
		code   int
		check  func(t *testing.T, r *result)
	}{
		{
			name:   "request-response returns the StartExecution response",
			parent: startTask("", `{"StateMachineArn":"`+smPrefix+`Echo","Name":"c1","Input":{"n":1}}`),
			check: func(t *testing.T, r *result) {
				if got := r.Output["ExecutionArn"]; got != "arn:aws:states:us-east-1:123456789012:execution:Echo:c1" {
					t.Errorf("ExecutionArn %v", got)
				}
				meta, _ := r.Output["SdkHttpMetadata"].(map[string]any)
				if meta["HttpStatusCode"] != 200.0 || r.Output["StartDate"] == nil || r.Output["SdkResponseMetadata"] == nil {
					t.Errorf("output %v", r.Output)
				}
				// The parent's clock did not wait for the child's hour.
				if d := r.Events[len(r.Events)-1].Timestamp - r.Events[0].Timestamp; d >= 3600 {
					t.Errorf("parent took %v s", d)
				}
			},
		},
		{
			name:   ".sync returns the description with JSON text",
			parent: startTask(".sync", `{"StateMachineArn":"Echo","Name":"c2","Input":{"n":2}}`),
			check: func(t *testing.T, r *result) {
				if r.Output["Status"] != "SUCCEEDED" || r.Output["Output"] != `{"got":{"n":2}}` || r.Output["Input"] != `{"n":2}` ||
					r.Output["StateMachineArn"] != smPrefix+"Echo" || r.Output["Name"] != "c2" {
					t.Errorf("output %v", r.Output)
				}
				if d := r.Output["StopDate"].(float64) - r.Output["StartDate"].(float64); d != 3600000 {
					t.Errorf("child took %v ms of virtual time, want 3600000", d)
				}
				var types []string
				for _, e := range r.Events {
					types = append(types, e.Type)
				}
				if got := strings.Join(types, " "); !strings.Contains(got, "TaskSubmitted TaskSucceeded") {
					t.Errorf("events %s", got)
				}
				// The parent's clock moved on to the child's end.
				if d := r.Events[len(r.Events)-1].Timestamp - r.Events[0].Timestamp; d != 3600 {
					t.Errorf("parent took %v s, want 3600", d)
				}
			},
		},
		{
			name:   ".sync:2 through an alias returns JSON values",
			parent: startTask(".sync:2", `{"StateMachineArn":"`+smPrefix+`Echo:live","Input":{"n":3}}`),
			check: func(t *testing.T, r *result) {
				out, _ := r.Output["Output"].(map[string]any)
				got, _ := out["got"].(map[string]any)
				if got["n"] != 3.0 || r.Output["StateMachineAliasArn"] != smPrefix+"Echo:live" {
					t.Errorf("output %v", r.Output)
				}
				if arn, _ := r.Output["ExecutionArn"].(string); !strings.HasPrefix(arn, "arn:aws:states:us-east-1:123456789012:execution:Echo:") {
					t.Errorf("ExecutionArn %q", arn)
				}
			},
		},
		{
			name: "a failing child is caught",
			parent: `{"StartAt":"Start","States":{"Start":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
				"Parameters":{"StateMachineArn":"Boom"},"Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.err","Next":"Caught"}],"End":true},
				"Caught":{"Type":"Pass","End":true}}}`,
			check: func(t *testing.T, r *result) {
				e, _ := r.Output["err"].(map[string]any)
				var d map[string]any
				if cause, _ := e["Cause"].(string); json.Unmarshal([]byte(cause), &d) != nil {
					t.Fatalf("cause is not a description: %v", e)
				}
				if e["Error"] != "States.TaskFailed" || d["Status"] != "FAILED" || d["Error"] != "ChildBoom" || d["Cause"] != "it broke" {
					t.Errorf("err %v", e)
				}
			},
		},
		{
			name:   "an unknown machine fails as serve fails it",
			parent: startTask(".sync", `{"StateMachineArn":"`+smPrefix+`Nope"}`),
			code:   exitFailed,
			check: func(t *testing.T, r *result) {
				if r.Error != "StepFunctions.StateMachineDoesNotExistException" ||
					!strings.HasPrefix(r.Cause, "State Machine Does Not Exist: '"+smPrefix+"Nope' (Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist;") {
					t.Errorf("error %s: %s", r.Error, r.Cause)
				}
			},
		},
		{
			name: "a machine starting itself stops at the depth limit",
			self: "Self",
			code: exitFailed,
			check: func(t *testing.T, r *result) {
				if r.Error != "States.TaskFailed" || !strings.Contains(r.Cause, "nests executions at most 10 deep") {
					t.Errorf("error %s: %.300s", r.Error, r.Cause)
				}
			},
		},
		{
			name:   "children start children",
			parent: startTask(".sync:2", `{"StateMachineArn":"Grand","Input":{"n":4}}`),
			check: func(t *testing.T, r *result) {
				out, _ := r.Output["Output"].(map[string]any)
				got, _ := out["got"].(map[string]any)
				if got["n"] != 4.0 {
					t.Errorf("output %v", r.Output)
				}
			},
		},
		{
			name: "the child sees who started it",
			parent: startTask(".sync:2", `{"StateMachineArn":"Echo",
				"Input":{"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$":"$$.Execution.Id"}}`),
			check: func(t *testing.T, r *result) {
				out, _ := r.Output["Output"].(map[string]any)
				got, _ := out["got"].(map[string]any)
				by, _ := got["AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"].(string)
				if !strings.HasPrefix(by, "arn:aws:states:us-east-1:123456789012:execution:local:run-") {
					t.Errorf("started by %q", by)
				}
			},
		},
		{
			name:   ".waitForTaskToken names the limitation",
			parent: startTask(".waitForTaskToken", `{"StateMachineArn":"Echo","Input":{"token.$":"$$.Task.Token"}}`),
			code:   exitFailed,
			check: func(t *testing.T, r *result) {
				if r.Error != "States.TaskFailed" || !strings.Contains(r.Cause, "no SendTaskSuccess or SendTaskFailure API") {
					t.Errorf("error %s: %s", r.Error, r.Cause)
				}
			},
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def := filepath.Join(dir, tt.self+".json")
			if tt.parent != "" {
				def = filepath.Join(dir, "parent"+string(rune('a'+i))+".json")
				if err := os.WriteFile(def, []byte(tt.parent), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			args := append([]string{"run", def, "--fast", "--history", "--task", "Work=cat"}, machineArgs...)
			code, out, stderr := runMain(t, args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stdout %s stderr %s", code, tt.code, out, stderr)
			}
			var r result
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("stdout is not JSON: %v: %s", err, out)
			}
			tt.check(t, &r)
		})
	}
}

func TestRunMachineFlag(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"StartAt":"A","States":{}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	parent := filepath.Join("..", "..", "examples", "hello.asl.json")
	for _, tc := range []struct{ flag, stderr string }{
		{"Child", "want NAME=FILE"},
		{"Child=" + filepath.Join(dir, "missing.json"), "missing.json"},
		{"Child=" + bad, "invalid definition"},
	} {
		code, _, stderr := runMain(t, "run", parent, "--machine", tc.flag)
		if code != exitUsage || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("--machine %s: exit %d, %s", tc.flag, code, stderr)
		}
	}
}
