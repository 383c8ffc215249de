package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runMain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestRunExample(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		status string
		output string
	}{
		{
			name: "succeeds", code: 0, status: "SUCCEEDED",
			args:   []string{"--input", `{"name":"world","items":[1,2,3]}`, "--task", "Shout=cat"},
			output: `[{"value":2},{"value":4},{"value":6}]`,
		},
		{
			name: "choice to fail", code: 1, status: "FAILED",
			args: []string{"--input", `{"name":"x","items":[1,1,1]}`, "--task", "Shout=cat"},
		},
		{
			name: "task names its error", code: 1, status: "FAILED",
			args: []string{"--input", `{"name":"x","items":[1]}`, "--task", `Shout=echo '{"Error":"Boom","Cause":"it broke"}'; exit 3`},
		},
		{
			name: "no handler", code: 1, status: "FAILED",
			args: []string{"--input", `{"name":"x","items":[1]}`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"run", filepath.Join("..", "..", "examples", "hello.asl.json"), "--fast"}, tt.args...)
			code, out, stderr := runMain(t, args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stdout %s stderr %s", code, tt.code, out, stderr)
			}
			var res struct {
				Status string          `json:"status"`
				Output json.RawMessage `json:"output"`
				Error  string          `json:"error"`
				Cause  string          `json:"cause"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("stdout is not JSON: %v: %s", err, out)
			}
			if res.Status != tt.status {
				t.Fatalf("status %s, want %s (%s: %s)", res.Status, tt.status, res.Error, res.Cause)
			}
			if tt.output != "" && string(res.Output) != tt.output {
				t.Fatalf("output %s, want %s", res.Output, tt.output)
			}
			if tt.name == "task names its error" && (res.Error != "Boom" || res.Cause != "it broke") {
				t.Fatalf("error %q cause %q", res.Error, res.Cause)
			}
		})
	}
}

func TestRunHistory(t *testing.T) {
	dir := t.TempDir()
	def := filepath.Join(dir, "def.json")
	if err := os.WriteFile(def, []byte(`{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":86400,"Next":"B"},"B":{"Type":"Pass","End":true}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runMain(t, "run", def, "--fast", "--history", "--input", `{"a": 1}`)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct {
		Events []struct {
			Type      string  `json:"type"`
			Timestamp float64 `json:"timestamp"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range res.Events {
		types = append(types, e.Type)
	}
	want := "ExecutionStarted WaitStateEntered WaitStateExited PassStateEntered PassStateExited ExecutionSucceeded"
	if strings.Join(types, " ") != want {
		t.Fatalf("events %v", types)
	}
	// Virtual time: the history shows the day the Wait state would have taken.
	if d := res.Events[2].Timestamp - res.Events[1].Timestamp; d != 86400 {
		t.Fatalf("wait took %v s in the history, want 86400", d)
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runMain(t, "validate", bad)
	if code != exitFailed || !strings.Contains(out, "/States/A") {
		t.Fatalf("exit %d, out %s", code, out)
	}
	code, out, _ = runMain(t, "validate", filepath.Join("..", "..", "examples", "hello.asl.json"))
	if code != 0 || !strings.Contains(out, "OK") {
		t.Fatalf("exit %d, out %s", code, out)
	}
	code, _, stderr := runMain(t, "run", bad)
	if code != exitUsage || !strings.Contains(stderr, "invalid definition") {
		t.Fatalf("run of an invalid definition: exit %d, %s", code, stderr)
	}
}
