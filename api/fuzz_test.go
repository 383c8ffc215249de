package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/api"
	"github.com/stepwise-run/stepwise/runner"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/service/callbacks"
	"github.com/stepwise-run/stepwise/store/memory"
)

// FuzzRequest sends random targets and bodies through the handler: it must
// never panic and never answer 5xx, and every answer is a JSON object.
func FuzzRequest(f *testing.F) {
	st := memory.New()
	r, err := runner.New(runner.Config{Store: st, SkipTime: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	if err := r.Start(context.Background()); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = r.Close(); _ = st.Close() })
	svc, err := service.New(service.Config{Store: st, Runtime: r, Callbacks: callbacks.FromRunner(r), ActivityPollWait: time.Millisecond})
	if err != nil {
		f.Fatal(err)
	}
	h, err := api.New(api.Config{Service: svc, Logger: slog.New(slog.DiscardHandler), MaxBodyBytes: 1 << 20})
	if err != nil {
		f.Fatal(err)
	}
	const sm = "arn:aws:states:us-east-1:123456789012:stateMachine:fz"
	const def = `{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}`
	setup := []struct{ target, body string }{
		{"CreateStateMachine", `{"name":"fz","definition":"` + def + `","roleArn":"arn:aws:iam::1:role/r","publish":true}`},
		{"CreateStateMachine", `{"name":"fx","definition":"` + def + `","roleArn":"arn:aws:iam::1:role/r","type":"EXPRESS"}`},
		{"CreateStateMachineAlias", `{"name":"a","routingConfiguration":[{"stateMachineVersionArn":"` + sm + `:1","weight":100}]}`},
		{"StartExecution", `{"stateMachineArn":"` + sm + `","name":"e1"}`},
		{"CreateActivity", `{"name":"act"}`},
	}
	send := func(target, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewBufferString(body))
		req.Header.Set("X-Amz-Target", target)
		req.Header.Set("Content-Type", api.ContentType)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	for _, s := range setup {
		if w := send("AWSStepFunctions."+s.target, s.body); w.Code != 200 {
			f.Fatalf("setup %s: %d %s", s.target, w.Code, w.Body)
		}
	}
	exec := "arn:aws:states:us-east-1:123456789012:execution:fz:e1"
	seeds := []struct{ target, body string }{
		{"DescribeStateMachine", `{"stateMachineArn":"` + sm + `"}`},
		{"DescribeStateMachine", `{"stateMachineArn":"` + sm + `:1"}`},
		{"UpdateStateMachine", `{"stateMachineArn":"` + sm + `","definition":"` + def + `","publish":true,"versionDescription":"x"}`},
		{"ListStateMachines", `{"maxResults":1,"nextToken":"x"}`},
		{"ValidateStateMachineDefinition", `{"definition":"` + def + `","severity":"WARNING","maxResults":1}`},
		{"PublishStateMachineVersion", `{"stateMachineArn":"` + sm + `","revisionId":"r"}`},
		{"ListStateMachineVersions", `{"stateMachineArn":"` + sm + `"}`},
		{"DeleteStateMachineVersion", `{"stateMachineVersionArn":"` + sm + `:9"}`},
		{"DescribeStateMachineAlias", `{"stateMachineAliasArn":"` + sm + `:a"}`},
		{"UpdateStateMachineAlias", `{"stateMachineAliasArn":"` + sm + `:a","routingConfiguration":[{"stateMachineVersionArn":"` + sm + `:1","weight":100}]}`},
		{"ListStateMachineAliases", `{"stateMachineArn":"` + sm + `"}`},
		{"TagResource", `{"resourceArn":"` + sm + `","tags":[{"key":"k","value":"v"}]}`},
		{"UntagResource", `{"resourceArn":"` + sm + `","tagKeys":["k"]}`},
		{"ListTagsForResource", `{"resourceArn":"` + sm + `"}`},
		{"StartExecution", `{"stateMachineArn":"` + sm + `:a","input":"{\"a\":[1,2]}"}`},
		{"StartSyncExecution", `{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:fx","input":"[]"}`},
		{"StopExecution", `{"executionArn":"` + exec + `","error":"e","cause":"c"}`},
		{"DescribeExecution", `{"executionArn":"` + exec + `","includedData":"METADATA_ONLY"}`},
		{"DescribeStateMachineForExecution", `{"executionArn":"` + exec + `"}`},
		{"ListExecutions", `{"stateMachineArn":"` + sm + `","statusFilter":"RUNNING","redriveFilter":"REDRIVEN"}`},
		{"GetExecutionHistory", `{"executionArn":"` + exec + `","maxResults":1,"reverseOrder":true,"includeExecutionData":false}`},
		{"RedriveExecution", `{"executionArn":"` + exec + `"}`},
		{"DescribeActivity", `{"activityArn":"arn:aws:states:us-east-1:123456789012:activity:act"}`},
		{"ListActivities", `{}`},
		{"GetActivityTask", `{"activityArn":"arn:aws:states:us-east-1:123456789012:activity:act","workerName":"w"}`},
		{"SendTaskSuccess", `{"taskToken":"tok","output":"{}"}`},
		{"SendTaskFailure", `{"taskToken":"tok","error":"e","cause":"c"}`},
		{"SendTaskHeartbeat", `{"taskToken":"tok"}`},
		{"TestState", `{"definition":"{\"Type\":\"Pass\",\"Result\":1,\"End\":true}","input":"{}","inspectionLevel":"TRACE"}`},
		{"Nope", `{`},
	}
	for _, s := range seeds {
		f.Add("AWSStepFunctions."+s.target, s.body)
	}
	f.Fuzz(func(t *testing.T, target, body string) {
		w := send(target, body)
		if w.Code >= 500 {
			t.Fatalf("%s %q: status %d %s", target, body, w.Code, w.Body)
		}
		var m map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s %q: response %q is not a JSON object", target, body, w.Body)
		}
		if w.Code != 200 {
			if typ, _ := m["__type"].(string); typ == "" {
				t.Fatalf("%s %q: error without __type: %s", target, body, w.Body)
			}
		}
	})
}
