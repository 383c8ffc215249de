package payload_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/asl/jsonpath"
	"github.com/stepwise-run/stepwise/asl/payload"
	"github.com/stepwise-run/stepwise/value"
)

type recordedCase struct {
	ID         string          `json:"id"`
	Definition json.RawMessage `json:"definition"`
	Input      *string         `json:"input"`
	Expected   struct {
		Status string          `json:"status"`
		Output json.RawMessage `json:"output"`
		Error  string          `json:"error"`
		Cause  string          `json:"cause"`
	} `json:"expected"`
}

// runPassChain runs a state machine of Pass states the way the engine
// does: InputPath, Parameters (or Result), ResultPath, OutputPath, Assign.
func runPassChain(def *value.Object, input any) (any, error) {
	states, _ := def.Get("States")
	name, _ := def.Get("StartAt")
	vars := map[string]any{}
	smName := "<ArnPart_0idx>"
	for name != nil {
		st, _ := states.(*value.Object).Get(name.(string))
		s := st.(*value.Object)
		// The context object as the recording normalised it.
		ctx := value.MustParse(`{"Execution":{"Id":"arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",` +
			`"StartTime":"date","Name":"<ExecArnPart_0idx>","RoleArn":"snf_role_arn","RedriveCount":0},` +
			`"StateMachine":{"Id":"arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>"},"State":{"EnteredTime":"date"}}`).(*value.Object)
		exec, _ := ctx.Get("Execution")
		exec.(*value.Object).Set("Input", input)
		sm, _ := ctx.Get("StateMachine")
		sm.(*value.Object).Set("Name", smName)
		stc, _ := ctx.Get("State")
		stc.(*value.Object).Set("Name", name)
		scope := &payload.Scope{Input: input, Context: ctx, Random: rand.New(rand.NewPCG(1, 2)),
			Lookup: func(n string) (any, bool) { v, ok := vars[n]; return v, ok }}
		raw := input
		effective := raw
		if ip, ok := s.Get("InputPath"); ok {
			if ip == nil {
				effective = value.NewObject(0)
			} else {
				v, err := payload.Select(jsonpath.MustParse(ip.(string)), scope, "InputPath")
				if err != nil {
					return nil, err
				}
				effective = v
			}
		}
		scope.Input = effective
		result := effective
		if params, ok := s.Get("Parameters"); ok {
			t, err := payload.Compile(params, "Parameters")
			if err != nil {
				return nil, err
			}
			if result, err = t.Apply(scope); err != nil {
				return nil, err
			}
		} else if r, ok := s.Get("Result"); ok {
			result = r
		}
		if assign, ok := s.Get("Assign"); ok {
			t, err := payload.Compile(assign, "Assign")
			if err != nil {
				return nil, err
			}
			v, err := t.Apply(&payload.Scope{Input: result, Context: ctx, Lookup: scope.Lookup})
			if err != nil {
				return nil, err
			}
			for k, x := range v.(*value.Object).All() {
				vars[k] = x
			}
		}
		output := result
		if rp, ok := s.Get("ResultPath"); ok {
			if rp == nil {
				output = raw
			} else {
				var err error
				if output, err = payload.MergeResult(raw, jsonpath.MustParse(rp.(string)), result); err != nil {
					return nil, err
				}
			}
		}
		if op, ok := s.Get("OutputPath"); ok {
			if op == nil {
				output = value.NewObject(0)
			} else {
				scope.Input = output
				v, err := payload.Select(jsonpath.MustParse(op.(string)), scope, "OutputPath")
				if err != nil {
					return nil, err
				}
				output = v
			}
		}
		input = output
		name, _ = s.Get("Next")
	}
	return input, nil
}

func TestRecordedPassCases(t *testing.T) {
	data, err := os.ReadFile("testdata/pass_cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []recordedCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	passed, intrinsicPassed, intrinsicTotal := 0, 0, 0
	for _, c := range cases {
		isIntrinsic := strings.Contains(c.ID, "/intrinsic_functions/")
		if isIntrinsic {
			intrinsicTotal++
		}
		def := value.MustParse(string(c.Definition)).(*value.Object)
		in := "{}"
		if c.Input != nil {
			in = *c.Input
		}
		input := value.MustParse(in)
		got, err := runPassChain(def, input)
		switch c.Expected.Status {
		case "SUCCEEDED":
			if err != nil {
				t.Errorf("%s: %v", c.ID, err)
				continue
			}
			want := value.MustParse(string(c.Expected.Output))
			if s, ok := want.(string); ok {
				if v, err := value.ParseString(s); err == nil {
					want = v // outputs recorded as JSON text
				}
			}
			if !matches(got, want) {
				t.Errorf("%s:\n got  %s\n want %s", c.ID, value.String(got), value.String(want))
				continue
			}
		case "FAILED":
			var fe *failure.Error
			if !errors.As(err, &fe) {
				t.Errorf("%s: err = %v, want %s", c.ID, err, c.Expected.Error)
				continue
			}
			_, cause, _ := strings.Cut(c.Expected.Cause, "). ")
			cause = strings.ReplaceAll(cause, "<json-input:1>", in)
			if fe.Name != c.Expected.Error || normJSON(fe.Cause) != normJSON(cause) {
				t.Errorf("%s:\n got  %s: %s\n want %s: %s", c.ID, fe.Name, fe.Cause, c.Expected.Error, cause)
				continue
			}
		}
		passed++
		if isIntrinsic {
			intrinsicPassed++
		}
	}
	t.Logf("recorded Pass-state cases: %d/%d passed (intrinsic_functions: %d/%d)", passed, len(cases), intrinsicPassed, intrinsicTotal)
}

// normJSON compacts the JSON quoted in a cause, so that '{"a": 1}' (as
// recorded through Python) and '{"a":1}' compare equal.
func normJSON(s string) string {
	i, j := strings.Index(s, "'{"), strings.LastIndex(s, "}'")
	if i < 0 || j < i {
		return s
	}
	v, err := value.ParseString(s[i+1 : j+1])
	if err != nil {
		return s
	}
	return s[:i+1] + value.String(v) + s[j+1:]
}

// matches compares a result with a recorded output, where the recording's
// transforms replaced random values with "RandomNumberGenerated".
func matches(got, want any) bool {
	switch w := want.(type) {
	case string:
		if w == "RandomNumberGenerated" {
			_, ok := got.(float64)
			return ok
		}
	case *value.Object:
		g, ok := got.(*value.Object)
		if !ok || g.Len() != w.Len() {
			return false
		}
		for k, wv := range w.All() {
			gv, ok := g.Get(k)
			if !ok || !matches(gv, wv) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !matches(g[i], w[i]) {
				return false
			}
		}
		return true
	}
	return value.Equal(got, want)
}
