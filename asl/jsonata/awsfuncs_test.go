package jsonata

import (
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/stepwise-run/stepwise/value"
)

func awsEnv(input string) *Env {
	env := statesEnv(input)
	env.Functions = AWSFunctions(rand.New(rand.NewPCG(7, 7)))
	return env
}

// TestAWSFunctionsRecorded replays the JSONata cases recorded from AWS in
// shared/conformance (execution/intrinsic_functions.json and
// execution/evaluate_jsonata.json).
func TestAWSFunctionsRecorded(t *testing.T) {
	const part = `$partition($states.input.FunctionInput.fst, $states.input.FunctionInput.snd)`
	const rng = `$range($states.input.FunctionInput.fst, $states.input.FunctionInput.snd, $states.input.FunctionInput.trd)`
	tests := []struct {
		expr, input, want, err string
	}{
		{part, `{"FunctionInput":{"fst":[0],"snd":1}}`, `[[0]]`, ""},
		{part, `{"FunctionInput":{"fst":[0,1,2,3],"snd":1}}`, `[[0],[1],[2],[3]]`, ""},
		{part, `{"FunctionInput":{"fst":[0,1,2,3],"snd":4}}`, `[[0,1,2,3]]`, ""},
		{part, `{"FunctionInput":{"fst":[0,1,2,3],"snd":5}}`, `[[0,1,2,3]]`, ""},
		{part, `{"FunctionInput":{"fst":[0],"snd":3}}`, `[[0]]`, ""},
		{part, `{"FunctionInput":{"fst":[0,1],"snd":1}}`, `[[0],[1]]`, ""},
		{part, `{"FunctionInput":{"fst":[0,1],"snd":3}}`, `[[0,1]]`, ""},
		{rng, `{"FunctionInput":{"fst":0,"snd":9,"trd":3}}`, `[0,3,6,9]`, ""},
		{rng, `{"FunctionInput":{"fst":0,"snd":10,"trd":3}}`, `[0,3,6,9]`, ""},
		{`$parse($states.input.FunctionInput)`, `{"FunctionInput":"-0"}`, `0`, ""},
		{`$parse($states.input.FunctionInput)`, `{"FunctionInput":"1.1"}`, `1.1`, ""},
		{`$parse($states.input.FunctionInput)`, `{"FunctionInput":"true"}`, `true`, ""},
		{`$parse($states.input.FunctionInput)`, `{"FunctionInput":"{\"Arg1\": 1, \"Arg2\": []}"}`, `{"Arg1":1,"Arg2":[]}`, ""},
		{`$randomSeeded($states.input.FunctionInput.fst)`, `{"FunctionInput":"fst"}`, "", "T1006: Attempted to invoke a non-function"},
		{`$contains('hello$world', /^hello\ /)`, `{}`, `false`, ""},
		{`$merge([$states.input.part1, $states.input.part2])`, `{"part1":{"hello":"world"},"part2":{"foo":"bar"}}`, `{"hello":"world","foo":"bar"}`, ""},
		{`$eval("1")`, `{}`, "", "T1006: Attempted to invoke a non-function"},
		{`$range(10, 0, -5)`, `{}`, `[10,5,0]`, ""},
		{`$partition([1,2,3,4,5,6,7,8,9], 3)`, `{}`, `[[1,2,3],[4,5,6],[7,8,9]]`, ""},
		{`$partition([], 3)`, `{}`, `[]`, ""},
		{`$hash("hello", "MD5")`, `{}`, `"5d41402abc4b2a76b9719d911017c592"`, ""},
		{`$hash("hello", "SHA-1")`, `{}`, `"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"`, ""},
		{`$hash("hello", "SHA-256")`, `{}`, `"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"`, ""},
		{`$length($hash("hello", "SHA-384")) & "," & $length($hash("hello", "SHA-512"))`, `{}`, `"96,128"`, ""},
		{`$random(42) = $random(42)`, `{}`, `true`, ""},
		{`$partition([1], 0)`, `{}`, "", "D3200: Invalid argument to $partition(): the chunk size must be a positive integer"},
		{`$hash("x", "SHA-3")`, `{}`, "", "D3200: Invalid argument to $hash(): the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"},
		{`$range(0, 0%0)`, `{}`, "", "D3200: Invalid argument to $range(): the start and end must be numbers"},
		{`$range(0%0, 1)`, `{}`, "", "D3200: Invalid argument to $range(): the start and end must be numbers"},
	}
	for _, tt := range tests {
		got, _, err := evalString(t, tt.expr, Undefined{}, awsEnv(tt.input))
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s: got %v, want error %q", tt.expr, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if !value.Equal(got, value.MustParse(tt.want)) {
			t.Errorf("%s = %s, want %s", tt.expr, value.String(got), tt.want)
		}
	}
}

func TestAWSRandomAndUUID(t *testing.T) {
	env := awsEnv(`{}`)
	got, _, err := evalString(t, `[$random(), $random(1), $random(1.5), $uuid(), $uuid(), $count($shuffle([1,2,3]))]`, Undefined{}, env)
	if err != nil {
		t.Fatal(err)
	}
	xs := got.([]any)
	for _, x := range xs[:3] {
		f := x.(float64)
		if f < 0 || f >= 1 {
			t.Errorf("$random out of range: %v", f)
		}
	}
	v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if !v4.MatchString(xs[3].(string)) || xs[3] == xs[4] {
		t.Errorf("$uuid: %v %v", xs[3], xs[4])
	}
	if xs[5] != 3.0 {
		t.Errorf("$shuffle with AWSFunctions: %v", xs[5])
	}
	if _, _, err := evalString(t, `$uuid()`, Undefined{}, &Env{Functions: AWSFunctions(nil)}); err == nil {
		t.Error("$uuid without a random source: want U1006")
	}
}
