package failure

import "testing"

func TestMatches(t *testing.T) {
	tests := []struct {
		equals []string
		name   string
		want   bool
	}{
		{[]string{ALL}, "Custom", true},
		{[]string{ALL}, Runtime, false},
		{[]string{ALL}, DataLimitExceeded, false},
		{[]string{ALL}, QueryEvaluationError, true},
		{[]string{TaskFailed}, Timeout, false},
		{[]string{TaskFailed}, "Lambda.Unknown", true},
		{[]string{"A", "B"}, "B", true},
		{[]string{"A"}, "B", false},
		{[]string{Runtime}, Runtime, true},
	}
	for _, tt := range tests {
		if got := Matches(tt.equals, tt.name); got != tt.want {
			t.Errorf("Matches(%v, %q) = %v, want %v", tt.equals, tt.name, got, tt.want)
		}
	}
}
