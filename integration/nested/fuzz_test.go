package nested

import (
	"testing"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/value"
)

// FuzzParseParams checks that any parameters either fail cleanly or give
// a state machine and JSON input text.
func FuzzParseParams(f *testing.F) {
	for _, s := range []string{
		`{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:s","Input":{"a":[1,2]},"Name":"n"}`,
		`{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:s","Input":"{\"a\":1}"}`,
		`{"StateMachineArn":"","Input":null}`,
		`{"Name":1}`, `[]`, `"x"`, `{"StateMachineArn":"a","Other":true}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := value.ParseString(s)
		if err != nil {
			return
		}
		p, err := parseParams(v)
		if err != nil {
			return
		}
		if p.stateMachine == "" {
			t.Fatalf("%s: no state machine", s)
		}
		if o, ok := v.(*value.Object); ok {
			if in, _ := o.Get("Input"); in != nil {
				if _, isText := in.(string); !isText {
					if _, err := value.ParseString(p.input); err != nil {
						t.Fatalf("%s: input %q is not JSON: %v", s, p.input, err)
					}
				}
			}
		}
		if name, ok := executionARN(p.stateMachine, "n"); ok && name == "" {
			t.Fatalf("%s: empty execution ARN", s)
		}
	})
}

func TestChildName(t *testing.T) {
	a, b := childName("tok-1"), childName("tok-2")
	if a == b || a != childName("tok-1") {
		t.Fatalf("names %s %s", a, b)
	}
	if len(a) != 36 || !arn.ValidName(a) {
		t.Fatalf("name %q is not a valid execution name", a)
	}
}

func TestExecutionARN(t *testing.T) {
	for _, tc := range []struct{ target, want string }{
		{"arn:aws:states:us-east-1:123456789012:stateMachine:s", "arn:aws:states:us-east-1:123456789012:execution:s:n"},
		{"arn:aws:states:us-east-1:123456789012:stateMachine:s:7", "arn:aws:states:us-east-1:123456789012:execution:s:n"},
		{"arn:aws:states:us-east-1:123456789012:stateMachine:s:prod", "arn:aws:states:us-east-1:123456789012:execution:s:n"},
		{"arn:aws:states:us-east-1:123456789012:activity:s", ""},
		{"nonsense", ""},
	} {
		got, _ := executionARN(tc.target, "n")
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.target, got, tc.want)
		}
	}
}
