package payload

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/asl/jsonpath"
	"github.com/stepwise-run/stepwise/value"
)

func testScope() *Scope {
	vars := map[string]any{"myVar": value.MustParse(`{"a":{"b":[10,20]}}`), "n": 5.0}
	return &Scope{
		Input:   value.MustParse(`{"a":1,"list":[{"v":1},{"v":2}],"s":"x-y"}`),
		Context: value.MustParse(`{"Execution":{"Id":"exec-1"},"Map":{"Item":{"Index":3}}}`),
		Lookup:  func(n string) (any, bool) { v, ok := vars[n]; return v, ok },
		Random:  rand.New(rand.NewPCG(1, 2)),
	}
}

func TestTemplateApply(t *testing.T) {
	tests := []struct{ tmpl, want string }{
		{`{"x.$":"$.a","lit":"$.a","n":null}`, `{"x":1,"lit":"$.a","n":null}`},
		{`{"all.$":"$","ctx.$":"$$.Execution.Id","idx.$":"$$.Map.Item.Index"}`, `{"all":{"a":1,"list":[{"v":1},{"v":2}],"s":"x-y"},"ctx":"exec-1","idx":3}`},
		{`{"vs.$":"$.list[*].v","none.$":"$.nothing[*]"}`, `{"vs":[1,2],"none":[]}`},
		{`{"v.$":"$myVar.a.b[1]","n.$":"$n"}`, `{"v":20,"n":5}`},
		{`{"parts.$":"States.StringSplit($.s, '-')","f.$":"States.Format('{}/{}', $n, $$.Execution.Id)"}`, `{"parts":["x","y"],"f":"5/exec-1"}`},
		{`{"nested":{"deep":{"k.$":"$.a"}},"arr":[1,{"k.$":"$.a"},[{"j.$":"$.s"}]]}`, `{"nested":{"deep":{"k":1}},"arr":[1,{"k":1},[{"j":"x-y"}]]}`},
		{`{"const":{"a":[1,2]}}`, `{"const":{"a":[1,2]}}`},
		{`{".$":"$.a"}`, `{"":1}`},
		{`[{"k.$":"$.a"}]`, `[{"k":1}]`},
		// "k" and "k.$" name the same member: the first's place, the last's value.
		{`{"k":0,"m.$":"$.s","k.$":"$.a"}`, `{"k":1,"m":"x-y"}`},
		{`{"k.$":"$.a","k":0}`, `{"k":0}`},
		{`"plain"`, `"plain"`},
	}
	for _, tt := range tests {
		tm, err := Compile(value.MustParse(tt.tmpl), "Parameters")
		if err != nil {
			t.Errorf("Compile(%s): %v", tt.tmpl, err)
			continue
		}
		got, err := tm.Apply(testScope())
		if err != nil {
			t.Errorf("Apply(%s): %v", tt.tmpl, err)
			continue
		}
		if value.String(got) != tt.want {
			t.Errorf("Apply(%s) = %s, want %s", tt.tmpl, value.String(got), tt.want)
		}
	}
}

func TestTemplateRuntimeErrors(t *testing.T) {
	tests := []struct{ tmpl, name, cause string }{
		{`{"value.$":"$.no_such_jsonpath"}`, failure.Runtime,
			`The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"a":1,"list":[{"v":1},{"v":2}],"s":"x-y"}'`},
		{`{"value.$":"$$.Execution.Input.x"}`, failure.Runtime,
			`The JSONPath '$$.Execution.Input.x' specified for the field 'value.$' could not be found in the input '{"a":1,"list":[{"v":1},{"v":2}],"s":"x-y"}'`},
		{`{"o":{"value.$":"States.Array($.zz)"}}`, failure.Runtime,
			`The JSONPath '$.zz' specified for the field 'value.$' could not be found in the input '{"a":1,"list":[{"v":1},{"v":2}],"s":"x-y"}'`},
		{`{"v.$":"$nope.a"}`, failure.Runtime, `The JSONPath '$nope.a' specified for the field 'v.$' refers to a variable that is not defined`},
		{`{"v.$":"States.ArrayGetItem($.list, 5)"}`, failure.Runtime, `Invalid arguments in States.ArrayGetItem: index 5 is out of bounds for an array of length 2`},
	}
	for _, tt := range tests {
		tm, err := Compile(value.MustParse(tt.tmpl), "Parameters")
		if err != nil {
			t.Fatalf("Compile(%s): %v", tt.tmpl, err)
		}
		_, err = tm.Apply(testScope())
		var fe *failure.Error
		if !errors.As(err, &fe) || fe.Name != tt.name || fe.Cause != tt.cause {
			t.Errorf("Apply(%s): err = %v\nwant %s: %s", tt.tmpl, err, tt.name, tt.cause)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct{ tmpl, pointer, msg string }{
		{`{"a.$":1}`, "/a.$", "must be a STRING"},
		{`{"a":{"b.$":"nope"}}`, "/a/b.$", "must be a valid JSONPath or a valid intrinsic function call"},
		{`{"a":[{"b.$":"$.["}]}`, "/a/0/b.$", "must be a valid JSONPath"},
		{`{"parsed.$":"States.StringToJson('{\"text\":\"An \\\"escaped\\\" here\"}')"}`, "/parsed.$", "valid intrinsic function call"},
		{`{"x/y.$":"States.Nope()"}`, "/x~1y.$", "valid intrinsic function call"},
	}
	for _, tt := range tests {
		_, err := Compile(value.MustParse(tt.tmpl), "Parameters")
		var ce *CompileError
		if !errors.As(err, &ce) || ce.Pointer != tt.pointer || !strings.Contains(ce.Msg, tt.msg) || ce.Field != "Parameters" {
			t.Errorf("Compile(%s): err = %v, want %s at %s", tt.tmpl, err, tt.msg, tt.pointer)
		}
	}
}

func TestConstantSubtreesAreShared(t *testing.T) {
	tm, err := Compile(value.MustParse(`{"c":{"big":[1,2,3]},"d.$":"$.a"}`), "Parameters")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := tm.Apply(testScope())
	b, _ := tm.Apply(testScope())
	ca, _ := a.(*value.Object).Get("c")
	cb, _ := b.(*value.Object).Get("c")
	if ca.(*value.Object) != cb.(*value.Object) {
		t.Error("constant sub-tree rebuilt on every Apply")
	}
}

func TestSelect(t *testing.T) {
	s := testScope()
	for _, tt := range []struct{ path, want string }{
		{"$", `{"a":1,"list":[{"v":1},{"v":2}],"s":"x-y"}`},
		{"$.list[1]", `{"v":2}`},
		{"$.list[*].v", `[1,2]`},
		{"$$.Execution", `{"Id":"exec-1"}`},
		{"$myVar.a", `{"b":[10,20]}`},
	} {
		got, err := Select(jsonpath.MustParse(tt.path), s, "InputPath")
		if err != nil || value.String(got) != tt.want {
			t.Errorf("Select(%s) = %s, %v; want %s", tt.path, value.String(got), err, tt.want)
		}
	}
	for _, tt := range []struct{ path, cause string }{
		{"$.NoSuchOutputPath", "Invalid path '$.NoSuchOutputPath' : No results for path: $['NoSuchOutputPath']"},
		{"$.x.y", "Invalid path '$.x.y' : Missing property in path $['x']"},
		{"$undefinedVar", "The OutputPath field refers to the variable '$undefinedVar', which is not defined"},
	} {
		_, err := Select(jsonpath.MustParse(tt.path), s, "OutputPath")
		var fe *failure.Error
		if !errors.As(err, &fe) || fe.Name != failure.Runtime || fe.Cause != tt.cause {
			t.Errorf("Select(%s): err = %v, want %s", tt.path, err, tt.cause)
		}
	}
}

func TestMergeResult(t *testing.T) {
	in := value.MustParse(`{"a":{"k":1},"s":"str"}`)
	before := value.String(in)
	for _, tt := range []struct {
		path string
		want string
	}{
		{"", `{"r":true}`},
		{"$", `{"r":true}`},
		{"$.out", `{"a":{"k":1},"s":"str","out":{"r":true}}`},
		{"$.a.k", `{"a":{"k":{"r":true}},"s":"str"}`},
		{"$.x.y", `{"a":{"k":1},"s":"str","x":{"y":{"r":true}}}`},
	} {
		var p *jsonpath.Path
		if tt.path != "" {
			p = jsonpath.MustParse(tt.path)
		}
		got, err := MergeResult(in, p, value.MustParse(`{"r":true}`))
		if err != nil || value.String(got) != tt.want {
			t.Errorf("MergeResult(%s) = %s, %v; want %s", tt.path, value.String(got), err, tt.want)
		}
	}
	if value.String(in) != before {
		t.Fatal("MergeResult modified its input")
	}
	_, err := MergeResult(in, jsonpath.MustParse("$.s.x"), 1.0)
	var fe *failure.Error
	want := `Unable to apply ReferencePath $.s.x to input {"a":{"k":1},"s":"str"}`
	if !errors.As(err, &fe) || fe.Name != failure.ResultPathMatchFailure || fe.Cause != want {
		t.Errorf("MergeResult into a string: err = %v, want %s", err, want)
	}
}
