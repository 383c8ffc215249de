package engine

import (
	"testing"

	"github.com/stepwise-run/stepwise/asl"
)

// FuzzRun checks that no definition and input make the engine panic or
// loop: whatever validates is compiled and run, feeding every task a
// result and firing every timer, for a bounded number of steps.
func FuzzRun(f *testing.F) {
	seeds := []struct{ def, input string }{
		{`{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"$.a"},"ResultPath":"$.r","End":true}}}`, `{"a":1}`},
		{`{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}},"End":true}}}`, `[1,2]`},
		{`{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E"}}}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"S"}],"End":true},"S":{"Type":"Succeed"}}}`, `{}`},
		{`{"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.n > 1 %}","Next":"T"}],"Default":"T"},"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.ALL"]}],"End":true}}}`, `{"n":2}`},
	}
	for _, s := range seeds {
		f.Add(s.def, s.input)
	}
	f.Fuzz(func(t *testing.T, def, input string) {
		d, diags := asl.Check([]byte(def), asl.ValidateOptions{})
		if asl.HasErrors(diags) {
			return
		}
		m, err := Compile(d)
		if err != nil {
			return
		}
		x, res, err := m.Start(testMeta(), input, t0)
		if err != nil {
			return
		}
		now := t0
		for steps := 0; !x.Done() && steps < 50; steps++ {
			var in Input
			for _, e := range res.Effects {
				switch e.Kind {
				case EffectScheduleTask:
					in = Input{Kind: InputTaskSucceeded, ID: e.ID, Output: e.Task.Input}
				case EffectArmTimer:
					if in.Kind == 0 {
						in = Input{Kind: InputTimerFired, ID: e.ID}
						if e.At.After(now) {
							now = e.At
						}
					}
				}
			}
			if in.Kind == 0 {
				in = Input{Kind: InputStop, Error: "Fuzz"}
			}
			in.Now = now
			if res, err = m.Step(x, in); err != nil {
				t.Fatalf("Step: %v", err)
			}
			if _, err := m.Encode(x); err != nil {
				t.Fatalf("Encode: %v", err)
			}
		}
	})
}
