package arn

import (
	"errors"
	"testing"
)

func TestParseRoundTrip(t *testing.T) {
	b := NewBuilder("", "")
	tests := []struct {
		arn     string
		kind    Kind
		sm      string
		name    string
		version int64
		id      string
	}{
		{b.StateMachine("m"), KindStateMachine, "m", "m", 0, ""},
		{b.Version("m", 12), KindVersion, "m", "12", 12, ""},
		{b.Alias("m", "prod"), KindAlias, "m", "prod", 0, ""},
		{b.Execution("m", "e-1"), KindExecution, "m", "e-1", 0, ""},
		{b.ExpressExecution("m", "e", "0d0e6b1c-8f3a-4c55-9a1d-000000000000"), KindExpressExecution, "m", "e", 0, "0d0e6b1c-8f3a-4c55-9a1d-000000000000"},
		{b.Activity("act.1"), KindActivity, "", "act.1", 0, ""},
		{b.MapRun("m", "run", "u-1"), KindMapRun, "m", "run", 0, "u-1"},
	}
	for _, tt := range tests {
		a, err := Parse(tt.arn)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.arn, err)
		}
		if a.Kind != tt.kind || a.StateMachine != tt.sm || a.Name != tt.name || a.Version != tt.version || a.ID != tt.id {
			t.Errorf("Parse(%q) = %+v", tt.arn, a)
		}
		if a.Region != "us-east-1" || a.Account != "123456789012" || a.Partition != "aws" {
			t.Errorf("Parse(%q) location = %+v", tt.arn, a)
		}
		if got := a.String(); got != tt.arn {
			t.Errorf("String() = %q, want %q", got, tt.arn)
		}
		if tt.kind != KindActivity {
			if got, want := a.StateMachineARN(), b.StateMachine(tt.sm); got != want {
				t.Errorf("StateMachineARN() = %q, want %q", got, want)
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"not_a_valid_arn", "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'"},
		{"", "Invalid Arn: 'Invalid ARN prefix: '"},
		{"arn:aws:states:us-east-1:1:stateMachine", "Invalid Arn: 'Invalid ARN format: arn:aws:states:us-east-1:1:stateMachine'"},
		{"arn:aws:lambda:us-east-1:1:function:f", "Invalid Arn: 'Invalid ARN format: arn:aws:lambda:us-east-1:1:function:f'"},
		{"arn:aws:states:us-east-1:1:widget:w", "Invalid Arn: 'Resource type not valid in this context: widget'"},
		{"arn:aws:states:us-east-1:1:stateMachine:a:b:c", "Invalid Arn: 'Invalid ARN format: arn:aws:states:us-east-1:1:stateMachine:a:b:c'"},
		{"arn:aws:states:us-east-1:1:execution:m", "Invalid Arn: 'Invalid ARN format: arn:aws:states:us-east-1:1:execution:m'"},
		{"arn:aws:states:us-east-1:1:execution::e", "Invalid Arn: 'Invalid ARN format: arn:aws:states:us-east-1:1:execution::e'"},
		{"arn:aws:states:us-east-1:1:mapRun:m:u", "Invalid Arn: 'Invalid ARN format: arn:aws:states:us-east-1:1:mapRun:m:u'"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil || err.Error() != tt.msg || !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) = %v, want %q", tt.in, err, tt.msg)
		}
	}
}

func TestParseKind(t *testing.T) {
	b := NewBuilder("eu-west-1", "111111111111")
	if _, err := ParseKind(b.Execution("m", "e"), KindStateMachine); err == nil || err.Error() != "Invalid Arn: 'Resource type not valid in this context: execution'" {
		t.Errorf("ParseKind(execution, stateMachine) = %v", err)
	}
	if _, err := ParseKind(b.Version("m", 3), KindExecution); err == nil || err.Error() != "Invalid Arn: 'Resource type not valid in this context: stateMachine'" {
		t.Errorf("ParseKind(version, execution) = %v", err)
	}
	a, err := ParseKind(b.Version("m", 3), KindStateMachine, KindVersion, KindAlias)
	if err != nil || a.Kind != KindVersion || a.Region != "eu-west-1" {
		t.Errorf("ParseKind(version) = %+v, %v", a, err)
	}
}

func TestValidName(t *testing.T) {
	long := ""
	for range 80 {
		long += "a"
	}
	good := []string{"a", "Activity1", "activity-name.1", "activity_123.name", long, "名前", "a(b)", "x@y", "a+b=c", "!"}
	bad := []string{"", long + "a", "a b", "a\tb", "\x00activity", "activity\x1f", "activity\x7f", "a\u0085", "a\u00a0b",
		"a<", "a>", "a{", "a}", "a[", "a]", "a?", "a*", "a\"", "a#", "a%", "a\\", "a^", "a|", "a~", "a`", "a$", "a&", "a,", "a;", "a:", "a/", "\xff"}
	for _, s := range good {
		if !ValidName(s) {
			t.Errorf("ValidName(%q) = false", s)
		}
	}
	for _, s := range bad {
		if ValidName(s) {
			t.Errorf("ValidName(%q) = true", s)
		}
	}
}

func TestValidAliasName(t *testing.T) {
	for s, want := range map[string]bool{"prod": true, "AliasName-1.x_y": true, "123": false, "1a": true, "": false, "a:b": false, "a b": false} {
		if got := ValidAliasName(s); got != want {
			t.Errorf("ValidAliasName(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	b := NewBuilder("", "")
	for _, s := range []string{b.StateMachine("m"), b.Version("m", 1), b.Alias("m", "a"), b.Execution("m", "e"), b.ExpressExecution("m", "e", "u"), b.Activity("a"), b.MapRun("m", "r", "u"), "arn:", "arn:aws:states:::::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		back, err := Parse(a.String())
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", s, a.String(), err)
		}
		if back != a {
			t.Fatalf("round trip of %q: %+v != %+v", s, back, a)
		}
	})
}
