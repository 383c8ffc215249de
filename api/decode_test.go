package api

import (
	"testing"

	"github.com/stepwise-run/stepwise/service"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		body    string
		wantErr string
		check   func(*service.StartExecutionInput) bool
	}{
		{``, "", func(in *service.StartExecutionInput) bool { return in.StateMachineArn == "" && in.Input == nil }},
		{`{"stateMachineArn":"a","input":"{}","name":"n"}`, "", func(in *service.StartExecutionInput) bool {
			return in.StateMachineArn == "a" && in.Input != nil && *in.Input == "{}" && in.Name == "n"
		}},
		// Member names are case-sensitive; unknown members are ignored.
		{`{"StateMachineArn":"a","other":[1,{}],"name":"n"}`, "", func(in *service.StartExecutionInput) bool { return in.StateMachineArn == "" && in.Name == "n" }},
		{`{"input":null}`, "", func(in *service.StartExecutionInput) bool { return in.Input == nil }},
		{`{"name":1}`, "Value of type NUMBER at 'name' can not be converted to a String", nil},
		{`{"input":{"a":1}}`, "Value of type OBJECT at 'input' can not be converted to a String", nil},
		{`{"name":"a"`, "Malformed JSON: unexpected end of input", nil},
		{`{"name":"a"}x`, "Unexpected content after the JSON object", nil},
		{`"str"`, "Request body must be a JSON object", nil},
		{`{"a":1,}`, "Malformed JSON at offset 8: invalid character '}' looking for beginning of object key string", nil},
	}
	for _, tt := range tests {
		var in service.StartExecutionInput
		err := decode([]byte(tt.body), &in)
		if tt.wantErr != "" {
			se, ok := err.(*service.Error)
			if !ok || se.Code != CodeSerialization || se.Message != tt.wantErr {
				t.Errorf("decode(%s) = %v, want %q", tt.body, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !tt.check(&in) {
			t.Errorf("decode(%s) = %+v, %v", tt.body, in, err)
		}
	}
	var tag service.TagResourceInput
	err := decode([]byte(`{"tags":[{"key":"k","value":3}]}`), &tag)
	if se, ok := err.(*service.Error); !ok || se.Message != "Value of type NUMBER at 'tags.value' can not be converted to a String" {
		t.Errorf("nested type error: %v", err)
	}
}
