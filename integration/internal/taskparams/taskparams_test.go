package taskparams

import (
	"testing"

	"github.com/stepwise-run/stepwise/value"
)

func TestReader(t *testing.T) {
	tests := []struct {
		name, params, want string
		read               func(r *Reader)
	}{
		{"valid", `{"A":"x","B":{}}`, "", func(r *Reader) {
			r.Allow("A", "B")
			if r.String("A", true) != "x" || r.Object("B") == nil {
				t.Error("values not read")
			}
		}},
		{"not an object", `1`, "The Parameters '1' could not be used to start the Task: [The Parameters must be a JSON object, not number]",
			func(r *Reader) { r.Allow("A"); r.String("A", true); r.Object("B") }},
		{"problems in order", `{"A":1,"B":[],"C":true}`,
			"The Parameters '{\"A\":1,\"B\":[],\"C\":true}' could not be used to start the Task: [The field 'C' is not supported by Step Functions, The value for the field 'A' must be a STRING, The value for the field 'B' must be an OBJECT, The field 'D' is required]",
			func(r *Reader) { r.Allow("A", "B"); r.String("A", false); r.Object("B"); r.String("D", true) }},
		{"empty required", `{"A":""}`, "The Parameters '{\"A\":\"\"}' could not be used to start the Task: [The value for the field 'A' must not be empty]",
			func(r *Reader) { r.String("A", true) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := New(value.MustParse(tc.params))
			tc.read(r)
			err := r.Err()
			got := ""
			if err != nil {
				got = err.Error()
			}
			want := tc.want
			if want != "" {
				want = "States.Runtime: " + want
			}
			if got != want {
				t.Errorf("Err() = %q\nwant    %q", got, want)
			}
		})
	}
}
