package api_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stepwise-run/stepwise/api"
	"github.com/stepwise-run/stepwise/runner"
	"github.com/stepwise-run/stepwise/service"
	"github.com/stepwise-run/stepwise/store/memory"
)

// BenchmarkHandler measures actions through the HTTP handler (no network)
// over the memory store and the runner.
func BenchmarkHandler(b *testing.B) {
	st := memory.New()
	r, err := runner.New(runner.Config{Store: st, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	if err := r.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = r.Close(); _ = st.Close() }()
	svc, err := service.New(service.Config{Store: st, Runtime: r})
	if err != nil {
		b.Fatal(err)
	}
	h, err := api.New(api.Config{Service: svc, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	send := func(action, body string) {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewBufferString(body))
		req.Header.Set("X-Amz-Target", "AWSStepFunctions."+action)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%s: %d %s", action, w.Code, w.Body)
		}
	}
	const sm = "arn:aws:states:us-east-1:123456789012:stateMachine:bench"
	send("CreateStateMachine", `{"name":"bench","roleArn":"arn:aws:iam::1:role/r","definition":"{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"},\"B\":{\"Type\":\"Pass\",\"End\":true}}}"}`)
	send("StartExecution", `{"stateMachineArn":"`+sm+`","name":"x"}`)
	b.Run("StartExecution", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			send("StartExecution", fmt.Sprintf(`{"stateMachineArn":"%s","name":"e%d","input":"{\"n\":%d}"}`, sm, i, i))
		}
	})
	b.Run("DescribeExecution", func(b *testing.B) {
		for b.Loop() {
			send("DescribeExecution", `{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:bench:x"}`)
		}
	})
	b.Run("GetExecutionHistory", func(b *testing.B) {
		for b.Loop() {
			send("GetExecutionHistory", `{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:bench:x"}`)
		}
	})
	b.Run("DescribeStateMachine", func(b *testing.B) {
		for b.Loop() {
			send("DescribeStateMachine", `{"stateMachineArn":"`+sm+`"}`)
		}
	})
}
