package choice

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/asl/payload"
	"github.com/stepwise-run/stepwise/value"
)

// TestRecordedChoiceCases runs the 301 Choice-operator cases recorded from
// AWS (testdata/choice_operators.json, Apache-2.0, see testdata/NOTICE).
func TestRecordedChoiceCases(t *testing.T) {
	data, err := os.ReadFile("testdata/choice_operators.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		ID         string          `json:"id"`
		Definition json.RawMessage `json:"definition"`
		Input      string          `json:"input"`
		Expected   struct {
			Output json.RawMessage `json:"output"`
		} `json:"expected"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	passed := 0
	for _, c := range cases {
		def := value.MustParse(string(c.Definition)).(*value.Object)
		states, _ := def.Get("States")
		check, _ := states.(*value.Object).Get("CheckValues")
		choices, _ := check.(*value.Object).Get("Choices")
		rule, err := Compile(choices.([]any)[0].(*value.Object))
		if err != nil {
			t.Errorf("%s: Compile: %v", c.ID, err)
			continue
		}
		matched, err := rule.Eval(&payload.Scope{Input: value.MustParse(c.Input)})
		if err != nil {
			t.Errorf("%s: Eval: %v", c.ID, err)
			continue
		}
		branch := "ConditionFalse"
		if matched {
			branch = rule.Next()
		}
		out := value.MustParse(string(c.Expected.Output)).(*value.Object)
		want, _ := out.Get("TestResult.$")
		if branch != want {
			t.Errorf("%s: input %s: took %s, want %s", c.ID, c.Input, branch, want)
			continue
		}
		passed++
	}
	t.Logf("recorded Choice cases: %d/%d passed", passed, len(cases))
	if len(cases) != 301 {
		t.Errorf("loaded %d cases, want 301", len(cases))
	}
}

func mustRule(t *testing.T, s string) *Rule {
	t.Helper()
	r, err := Compile(value.MustParse(s).(*value.Object))
	if err != nil {
		t.Fatalf("Compile(%s): %v", s, err)
	}
	return r
}

func TestEval(t *testing.T) {
	input := value.MustParse(`{"s":"hello*world","n":5,"b":true,"t":"2016-03-14T01:59:00Z","t2":"2016-03-14T02:59:00+01:00",
		"tf":"2016-03-14T01:59:00.123456789Z","nul":null,"other":"hello","emoji":"😀","pua":"\ue000","list":[1,2]}`)
	vars := map[string]any{"limit": 3.0}
	s := &payload.Scope{Input: input, Context: value.MustParse(`{"Execution":{"Name":"x"}}`),
		Lookup: func(n string) (any, bool) { v, ok := vars[n]; return v, ok }}
	tests := []struct {
		rule string
		want bool
	}{
		{`{"Variable":"$.s","StringMatches":"hello*"}`, true},
		{`{"Variable":"$.s","StringMatches":"*world"}`, true},
		{`{"Variable":"$.s","StringMatches":"hello\\*world"}`, true},
		{`{"Variable":"$.other","StringMatches":"hello\\*"}`, false},
		{`{"Variable":"$.s","StringMatches":"h*o*w*d"}`, true},
		{`{"Variable":"$.s","StringMatches":"h*x*"}`, false},
		{`{"Variable":"$.s","StringMatches":"*"}`, true},
		{`{"Variable":"$.n","StringMatches":"*"}`, false},
		{`{"Variable":"$.n","NumericGreaterThanPath":"$limit"}`, true},
		{`{"Variable":"$.n","NumericLessThanEquals":5}`, true},
		{`{"Variable":"$.n","NumericEquals":5.0}`, true},
		{`{"Variable":"$.b","BooleanEquals":true}`, true},
		{`{"Variable":"$.b","BooleanEqualsPath":"$.n"}`, false},
		{`{"Variable":"$.t","TimestampEqualsPath":"$.t2"}`, true},
		{`{"Variable":"$.tf","TimestampGreaterThan":"2016-03-14T01:59:00Z"}`, true},
		{`{"Variable":"$.t","TimestampLessThan":"2016-03-14T01:59:00.5Z"}`, true},
		{`{"Variable":"$.other","TimestampEquals":"2016-03-14T01:59:00Z"}`, false},
		{`{"Variable":"$.t","IsTimestamp":true}`, true},
		{`{"Variable":"$.other","IsTimestamp":false}`, true},
		{`{"Variable":"$.nul","IsNull":true}`, true},
		{`{"Variable":"$.missing","IsPresent":false}`, true},
		{`{"Variable":"$.list[5]","IsPresent":true}`, false},
		{`{"Variable":"$nosuchvar","IsPresent":true}`, false},
		{`{"Variable":"$$.Execution.Name","StringEquals":"x"}`, true},
		{`{"Variable":"$.emoji","StringGreaterThanPath":"$.pua"}`, false}, // UTF-16 order: U+D83D < U+E000
		{`{"And":[{"Variable":"$.n","IsNumeric":true},{"Or":[{"Variable":"$.b","BooleanEquals":false},{"Not":{"Variable":"$.s","StringEquals":"x"}}]}]}`, true},
		{`{"Not":{"And":[{"Variable":"$.n","IsNumeric":true}]}}`, false},
		{`{"Or":[{"Variable":"$.n","IsString":true},{"Variable":"$.s","IsBoolean":true}]}`, false},
	}
	for _, tt := range tests {
		got, err := mustRule(t, tt.rule).Eval(s)
		if err != nil || got != tt.want {
			t.Errorf("%s = %v, %v; want %v", tt.rule, got, err, tt.want)
		}
	}
}

func TestEvalMissingPath(t *testing.T) {
	s := &payload.Scope{Input: value.MustParse(`{"a":1}`)}
	for _, tt := range []struct{ rule, cause string }{
		{`{"Variable":"$.x","StringEquals":"a"}`, "Invalid path '$.x': The choice state's condition path references an invalid value."},
		{`{"Variable":"$.x","IsNull":true}`, "Invalid path '$.x': The choice state's condition path references an invalid value."},
		{`{"Variable":"$.a","NumericEqualsPath":"$.y"}`, "Invalid path '$.y': The choice state's condition path references an invalid value."},
		{`{"And":[{"Variable":"$.a","IsPresent":true},{"Variable":"$v","IsString":true}]}`, "Invalid path '$v': The choice state's condition path references an invalid value."},
	} {
		_, err := mustRule(t, tt.rule).Eval(s)
		var fe *failure.Error
		if !errors.As(err, &fe) || fe.Name != failure.Runtime || fe.Cause != tt.cause {
			t.Errorf("%s: err = %v, want %s", tt.rule, err, tt.cause)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, tt := range []struct{ rule, pointer, msg string }{
		{`{"Variable":"$.a","Next":"X"}`, "", "needs a comparison operator"},
		{`{"StringEquals":"a","Next":"X"}`, "", "needs a Variable"},
		{`{"Variable":"$.a","StringEquals":1}`, "/StringEquals", "must be a string"},
		{`{"Variable":"$.a","NumericEquals":"1"}`, "/NumericEquals", "must be a number"},
		{`{"Variable":"$.a","IsNull":"yes"}`, "/IsNull", "must be a boolean"},
		{`{"Variable":"$.a","TimestampEquals":"2016-03-14T01:59:00"}`, "/TimestampEquals", "RFC 3339"},
		{`{"Variable":"$.a","StringEqualsPath":"nope"}`, "/StringEqualsPath", "valid JSONPath"},
		{`{"Variable":"a","StringEquals":"x"}`, "/Variable", "valid JSONPath"},
		{`{"Variable":"$.a","StringEquals":"x","NumericEquals":1}`, "/NumericEquals", "one comparison operator"},
		{`{"Variable":"$.a","Bogus":1}`, "/Bogus", "unknown field"},
		{`{"And":[]}`, "/And", "non-empty array"},
		{`{"And":[{"Variable":"$.a","IsNull":true,"Next":"X"}]}`, "/And/0/Next", "not allowed in a nested rule"},
		{`{"Or":[{"Not":{"Variable":"$.a"}}]}`, "/Or/0/Not", "needs a comparison operator"},
		{`{"Not":1}`, "/Not", "must be an object"},
		{`{"And":[{"Variable":"$.a","IsNull":true}],"Variable":"$.a"}`, "/Variable", "only allowed with a comparison"},
		{`{"Condition":"{% true %}","Next":"X"}`, "/Condition", "JSONata"},
	} {
		_, err := Compile(value.MustParse(tt.rule).(*value.Object))
		var ce *Error
		if !errors.As(err, &ce) || ce.Pointer != tt.pointer || !strings.Contains(ce.Msg, tt.msg) {
			t.Errorf("Compile(%s): err = %v, want %q at %q", tt.rule, err, tt.msg, tt.pointer)
		}
	}
}

type constCondition bool

func (c constCondition) Eval(*payload.Scope) (bool, error) { return bool(c), nil }

func TestConditionHook(t *testing.T) {
	opts := Options{Condition: func(expr string) (Condition, error) {
		return constCondition(expr == "{% true %}"), nil
	}}
	r, err := CompileWith(value.MustParse(`{"Condition":"{% true %}","Next":"Yes"}`).(*value.Object), opts)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := r.Eval(&payload.Scope{}); !ok || err != nil || r.Next() != "Yes" {
		t.Errorf("Eval = %v, %v; Next = %q", ok, err, r.Next())
	}
}

func TestParseTimestamp(t *testing.T) {
	for s, ok := range map[string]bool{
		"2016-03-14T01:59:00Z": true, "2016-03-14T01:59:00.243167252Z": true, "2016-03-14T01:59:00+01:00": true,
		"2016-03-14T01:59:00": false, "2016-03-14t01:59:00Z": false, "2016-03-14T01:59:00z": false,
		"2016-12-05T25:29:29Z": false, "05-12-2016T21:29:29Z": false, "2016-03-14 01:59:00Z": false, "": false,
	} {
		if _, got := ParseTimestamp(s); got != ok {
			t.Errorf("ParseTimestamp(%q) = %v, want %v", s, got, ok)
		}
	}
}

func BenchmarkEval(b *testing.B) {
	r, err := Compile(value.MustParse(`{"And":[{"Variable":"$.order.total","NumericGreaterThan":100},
		{"Variable":"$.order.status","StringEquals":"PAID"}],"Next":"Ship"}`).(*value.Object))
	if err != nil {
		b.Fatal(err)
	}
	s := &payload.Scope{Input: value.MustParse(`{"order":{"id":"o-1","total":150.5,"status":"PAID"}}`)}
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := r.Eval(s); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

func TestTopLevelAssign(t *testing.T) {
	rule := value.MustParse(`{"Variable":"$.a","IsPresent":true,"Assign":{"x.$":"$.a"},"Next":"N"}`).(*value.Object)
	if _, err := Compile(rule); err != nil {
		t.Fatalf("top-level Assign: %v", err)
	}
	nested := value.MustParse(`{"Not":{"Variable":"$.a","IsPresent":true,"Assign":{}},"Next":"N"}`).(*value.Object)
	if _, err := Compile(nested); err == nil {
		t.Fatal("nested Assign: want error")
	}
}
