package teststate

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeRequest decodes arbitrary request bodies and runs the ones
// that decode: neither may panic, and every refusal is an *Error.
func FuzzDecodeRequest(f *testing.F) {
	f.Add([]byte(`{"definition":"{\"Type\":\"Pass\",\"End\":true}","input":"{}","inspectionLevel":"TRACE"}`))
	f.Add([]byte(`{"definition":"{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.v\",\"NumericEquals\":1,\"Next\":\"A\"}],\"Default\":\"B\"}","input":"{\"v\":1}"}`))
	f.Add([]byte(`{"definition":"{\"Type\":\"Wait\",\"Seconds\":5,\"Next\":\"A\"}"}`))
	f.Add([]byte(`{"definition":"{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"]}],\"End\":true}","mock":{"errorOutput":{"error":"E","cause":"C"}},"stateConfiguration":{"retrierRetryCount":1}}`))
	f.Add([]byte(`{"definition":"{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"A\"}}}","stateName":"A"}`))
	f.Add([]byte(`{"definition":"{}","context":"{\"Execution\":{\"Id\":1}}"}`))
	if b, err := os.ReadFile(filepath.Join("..", "conformance", "testdata", "cases", "teststate", "test_state.json")); err == nil {
		var cases []struct {
			Definition json.RawMessage `json:"definition"`
			Request    map[string]any  `json:"request"`
		}
		if json.Unmarshal(b, &cases) == nil {
			for i, c := range cases {
				if i%4 != 0 {
					continue
				}
				c.Request["definition"] = string(c.Definition)
				if body, err := json.Marshal(c.Request); err == nil {
					f.Add(body)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodeRequest(body)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("DecodeRequest error %v is not an *Error", err)
			}
			return
		}
		resp, err := Run(context.Background(), req, Options{Now: testNow})
		if err != nil {
			return
		}
		switch resp.Status {
		case StatusSucceeded, StatusFailed, StatusRetriable, StatusCaughtError:
		default:
			t.Fatalf("status %q", resp.Status)
		}
	})
}
