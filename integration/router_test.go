package integration

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
)

func named(name string) Handler {
	return HandlerFunc(func(context.Context, *engine.TaskRequest) (any, error) { return name, nil })
}

func TestRouterChoosesHandler(t *testing.T) {
	r := NewRouter()
	r.Handle("arn:aws:states:::sqs:sendMessage.waitForTaskToken", named("callback"))
	r.Handle("arn:aws:states:::http:invoke", named("http"))
	r.HandleMatch(func(s string) bool { return strings.HasPrefix(s, "arn:aws:states:::") }, named("family"))
	r.HandleMatch(func(s string) bool { return true }, named("later family"))
	tests := []struct {
		resource, want, wantErr string
	}{
		{"arn:aws:states:::http:invoke", "http", ""},
		{"arn:aws:states:::sqs:sendMessage.waitForTaskToken", "callback", ""},
		{"arn:aws:states:::sns:publish", "family", ""},
		{"anything", "later family", ""},
		{"arn:aws:states:::sns:publish.waitForTaskToken", "family", ""}, // the base call; the engine waits for the token
		{"arn:aws:states:::glue:startJobRun.sync", "", failure.TaskFailed},
	}
	for _, tc := range tests {
		out, err := r.Invoke(context.Background(), &engine.TaskRequest{Resource: tc.resource})
		if tc.wantErr != "" {
			var fe *failure.Error
			if !errors.As(err, &fe) || fe.Name != tc.wantErr || !strings.Contains(fe.Cause, tc.resource) {
				t.Errorf("%s: err = %v, want %s naming the resource", tc.resource, err, tc.wantErr)
			}
			continue
		}
		if err != nil || out != tc.want {
			t.Errorf("%s: got %v, %v; want %s", tc.resource, out, err, tc.want)
		}
	}
}

func TestRouterUnknownResource(t *testing.T) {
	r, err := New(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range []string{"arn:aws:states:::batch:submitJob", "arn:aws:states:us-east-1:123456789012:activity:a", "", "not-an-arn"} {
		_, err := r.Invoke(context.Background(), &engine.TaskRequest{Resource: res})
		var fe *failure.Error
		want := "The resource provided " + res + " is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
		if !errors.As(err, &fe) || fe.Name != failure.Runtime || fe.Cause != want {
			t.Errorf("%q: err = %v", res, err)
		}
	}
	for _, res := range []string{"arn:aws:states:::http:invoke", "arn:aws:states:::lambda:invoke", "arn:aws:lambda:eu-west-1:1:function:f:2"} {
		if _, ok := r.Lookup(res); !ok {
			t.Errorf("Lookup(%q) found nothing", res)
		}
	}
}
