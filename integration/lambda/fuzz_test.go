package lambda

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/value"
)

// FuzzParameters runs arbitrary lambda:invoke Parameters and function ARNs
// through a Handler with nowhere to send them: no panics, and every
// outcome is a named failure (bad Parameters, or the function not found).
func FuzzParameters(f *testing.F) {
	for _, s := range []string{
		`{"FunctionName":"f","Payload":{"a":[1,null]},"Qualifier":"1","InvocationType":"Event","LogType":"Tail","ClientContext":"e30="}`,
		`{"FunctionName":"arn:aws:lambda:us-east-1:123456789012:function:f:live"}`,
		`{"FunctionName":"123456789012:function:f","Qualifier":"$LATEST"}`,
		`{"FunctionName":"f:1","Qualifier":"2"}`,
		`{"FunctionName":"","Payload":"{\"x\":1}"}`,
		`{"FunctionName":1,"Foo":2}`, `[]`, `null`, `{}`,
	} {
		f.Add(ResourceInvoke, s)
	}
	f.Add("arn:aws:lambda:us-east-1:123456789012:function:f", `{"k":"v"}`)
	f.Add("arn:aws:lambda:::function:f:", `1`)
	h, err := New(Config{}, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, resource, text string) {
		params, err := value.ParseString(text)
		if err != nil {
			return
		}
		_, err = h.Invoke(context.Background(), &engine.TaskRequest{Resource: resource, Input: params})
		var fe *failure.Error
		if !errors.As(err, &fe) {
			t.Fatalf("Invoke(%q, %s) = %v, want a *failure.Error", resource, text, err)
		}
		switch {
		case fe.Name == failure.Runtime:
			if !strings.HasPrefix(fe.Cause, "The Parameters '") {
				t.Fatalf("cause %q not in AWS's shape", fe.Cause)
			}
		case fe.Name == failure.TaskFailed, strings.HasPrefix(fe.Name, "Lambda."):
		default:
			t.Fatalf("unexpected error name %q", fe.Name)
		}
	})
}
