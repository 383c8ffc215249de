package httpinvoke

import (
	"context"
	"errors"
	"testing"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/value"
)

// FuzzParameters decodes arbitrary Parameters and builds the request they
// describe (without sending it): no panics, and every rejection is an
// AWS-shaped States.Runtime error.
func FuzzParameters(f *testing.F) {
	for _, s := range []string{
		`{"ApiEndpoint":"https://api.example.com/v1?x=1","Method":"GET","Authentication":{"ConnectionArn":"arn:aws:events:us-east-1:1:connection/c/1"},"QueryParameters":{"a":[1,"b",true]}}`,
		`{"ApiEndpoint":"http://127.0.0.1:1","Method":"post","Authentication":{"ConnectionArn":"c"},"Headers":{"X-A":1},"RequestBody":{"a":[{"b":[1,[2]]}],"c":null},"Transform":{"RequestBodyEncoding":"URL_ENCODED","RequestEncodingOptions":{"ArrayFormat":"COMMAS"}}}`,
		`{"ApiEndpoint":"https://x","Method":"PUT","InvocationConfig":{"ConnectionArn":"c"},"RequestBody":"text","Transform":{"RequestBodyEncoding":"NONE"}}`,
		`{"ApiEndpoint":"https://x","Method":"POST","Authentication":{"ConnectionArn":"c"},"RequestBody":{"a":[[1],{"k":"v"}]},"Transform":{"RequestBodyEncoding":"URL_ENCODED","RequestEncodingOptions":{"ArrayFormat":"BRACKETS"}}}`,
		`{"ApiEndpoint":"https://x","Method":"DELETE","Authentication":{},"Headers":{"Host":"h"}}`,
		`[]`, `null`, `"s"`, `{}`,
	} {
		f.Add(s)
	}
	h, err := New(Options{Connections: map[string]Connection{"c": {BodyParameters: map[string]string{"k": "v"}}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		params, err := value.ParseString(text)
		if err != nil {
			return
		}
		c, err := decode(params)
		if err != nil {
			var fe *failure.Error
			if !errors.As(err, &fe) || fe.Name != failure.Runtime {
				t.Fatalf("decode error %v is not States.Runtime", err)
			}
			return
		}
		conn := h.conns["c"]
		if _, err := h.request(context.Background(), c, "c", &conn); err != nil {
			var fe *failure.Error
			if !errors.As(err, &fe) {
				t.Fatalf("request error %v is not a *failure.Error", err)
			}
		}
	})
}
