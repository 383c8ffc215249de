package engine

import (
	"math"
	"time"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/asl/intrinsic"
	"github.com/stepwise-run/stepwise/asl/jsonpath"
	"github.com/stepwise-run/stepwise/value"
)

func (r *run) runPass(f *Frame) error {
	n := f.node
	if n.lang == asl.JSONata {
		s := r.jscope(f, r.states(f, f.input, nil, nil, nil))
		out := f.input
		if n.jOutput != nil {
			var err error
			if out, err = n.jOutput.eval(s); err != nil {
				return err
			}
		}
		assigned, err := r.assignJSONata(f, n.jAssign, s)
		if err != nil {
			return err
		}
		r.exitState(f, out, nextOf(n), assigned)
		return nil
	}
	eff, err := r.effectiveInput(f)
	if err != nil {
		return err
	}
	result := eff
	if n.s.HasResult {
		result = n.s.Result
	}
	assigned, err := r.assignJSONPath(f, n.assign, result)
	if err != nil {
		return err
	}
	out, err := r.applyResult(f, result)
	if err != nil {
		return err
	}
	r.exitState(f, out, nextOf(n), assigned)
	return nil
}

func (r *run) runSucceed(f *Frame) error {
	n := f.node
	out, err := r.simpleOutput(f)
	if err != nil {
		return err
	}
	r.exitState(f, out, nextOf(n), nil)
	return nil
}

// simpleOutput computes the output of a state without a result (Succeed,
// Wait, Choice): InputPath then OutputPath, or JSONata Output.
func (r *run) simpleOutput(f *Frame) (any, error) {
	n := f.node
	if n.lang == asl.JSONata {
		if n.jOutput == nil {
			return f.input, nil
		}
		return n.jOutput.eval(r.jscope(f, r.states(f, f.input, nil, nil, nil)))
	}
	in, err := r.selectPath(f, n.inputPath, n.s.InputPath.Null, f.input, "InputPath")
	if err != nil {
		return nil, err
	}
	return r.selectPath(f, n.outputPath, n.s.OutputPath.Null, in, "OutputPath")
}

func (r *run) runFail(f *Frame) error {
	n := f.node
	fe := &failure.Error{}
	if n.lang == asl.JSONata {
		s := r.jscope(f, r.states(f, f.input, nil, nil, nil))
		for _, field := range []struct {
			t   *jtemplate
			dst *string
		}{{n.jError, &fe.Name}, {n.jCause, &fe.Cause}} {
			if field.t == nil {
				continue
			}
			v, err := field.t.eval(s)
			if err != nil {
				return err
			}
			str, ok := v.(string)
			if !ok {
				str = value.String(v)
			}
			*field.dst = str
		}
	} else {
		fe.Name, fe.Cause = n.s.Error.Value, n.s.Cause.Value
		for _, field := range []struct {
			p    string
			path *jsonpath.Path
			call *intrinsic.Call
			dst  *string
		}{{"ErrorPath", n.errorPath, n.errorCall, &fe.Name}, {"CausePath", n.causePath, n.causeCall, &fe.Cause}} {
			var v any
			var err error
			switch {
			case field.call != nil:
				v, err = field.call.Eval(r.pscope(f, f.input))
			case field.path != nil:
				v, err = r.selectPath(f, field.path, false, f.input, field.p)
			default:
				continue
			}
			if err != nil {
				return err
			}
			str, ok := v.(string)
			if !ok {
				return failure.Errorf(failure.Runtime, "The %s field must reference a string value: %s", field.p, value.String(v))
			}
			*field.dst = str
		}
	}
	// A Fail state ends its frame; Retry and Catch do not apply to it.
	f.err = fe
	f.phase = phaseDone
	return nil
}

func (r *run) runChoice(f *Frame) error {
	n := f.node
	if n.lang == asl.JSONata {
		s := r.jscope(f, r.states(f, f.input, nil, nil, nil))
		for _, c := range n.choices {
			v, err := c.condition.eval(s)
			if err != nil {
				return err
			}
			b, ok := v.(bool)
			if !ok {
				return failure.Errorf(failure.QueryEvaluationError,
					"The JSONata expression specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '%s' for value: %s",
					value.TypeName(v), value.String(v))
			}
			if b {
				return r.choiceTaken(f, s, c.next, c.jAssign, c.jOutput)
			}
		}
		if n.s.Default == "" {
			return failure.New(failure.NoChoiceMatched, "No Choice rule matched and no Default state is defined.")
		}
		return r.choiceTaken(f, s, n.s.Default, n.jAssign, nil)
	}
	in, err := r.selectPath(f, n.inputPath, n.s.InputPath.Null, f.input, "InputPath")
	if err != nil {
		return err
	}
	scope := r.pscope(f, in)
	for _, c := range n.choices {
		ok, err := c.rule.Eval(scope)
		if err != nil {
			return err
		}
		if ok {
			assigned, err := r.assignJSONPath(f, c.assign, in)
			if err != nil {
				return err
			}
			return r.choiceExit(f, in, c.next, mergeAssigned(nil, assigned))
		}
	}
	if n.s.Default == "" {
		return failure.New(failure.NoChoiceMatched, "No Choice rule matched and no Default state is defined.")
	}
	assigned, err := r.assignJSONPath(f, n.assign, in)
	if err != nil {
		return err
	}
	return r.choiceExit(f, in, n.s.Default, assigned)
}

func (r *run) choiceTaken(f *Frame, s *jscope, next string, ruleAssign, ruleOutput *jtemplate) error {
	n := f.node
	out := f.input
	outT := n.jOutput
	if ruleOutput != nil {
		outT = ruleOutput
	}
	if outT != nil {
		var err error
		if out, err = outT.eval(s); err != nil {
			return err
		}
	}
	// The state's own Assign and the matched rule's Assign are both
	// evaluated against the variables as they were.
	var assignedState, assignedRule *value.Object
	var err error
	if n.jAssign != nil {
		if assignedState, err = evalAssign(n.jAssign, s); err != nil {
			return err
		}
	}
	if ruleAssign != nil && ruleAssign != n.jAssign {
		if assignedRule, err = evalAssign(ruleAssign, s); err != nil {
			return err
		}
	}
	all := mergeAssigned(assignedState, assignedRule)
	if all != nil {
		for k, v := range all.All() {
			f.vars.Set(k, v)
		}
	}
	r.exitState(f, out, next, all)
	return nil
}

func evalAssign(t *jtemplate, s *jscope) (*value.Object, error) {
	v, err := t.eval(s)
	if err != nil {
		return nil, err
	}
	o, _ := v.(*value.Object)
	return o, nil
}

func mergeAssigned(a, b *value.Object) *value.Object {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	m := a.Copy()
	for k, v := range b.All() {
		m.Set(k, v)
	}
	return m
}

func (r *run) choiceExit(f *Frame, in any, next string, assigned *value.Object) error {
	n := f.node
	out, err := r.selectPath(f, n.outputPath, n.s.OutputPath.Null, in, "OutputPath")
	if err != nil {
		return err
	}
	r.exitState(f, out, next, assigned)
	return nil
}

// runWait computes the wake-up time and arms a timer.
func (r *run) runWait(f *Frame) error {
	n := f.node
	var until time.Time
	switch {
	case n.lang == asl.JSONata && n.jSeconds != nil:
		v, err := n.jSeconds.eval(r.jscope(f, r.states(f, f.input, nil, nil, nil)))
		if err != nil {
			return err
		}
		secs, ok := v.(float64)
		if !ok || secs != math.Trunc(secs) || secs < 0 {
			return failure.Errorf(failure.QueryEvaluationError,
				"The JSONata expression '%s' specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', but was '%s' for value: %s",
				n.jSeconds.root.text, value.TypeName(v), value.String(v))
		}
		until = r.now.Add(time.Duration(secs) * time.Second)
	case n.lang == asl.JSONata && n.jTimestamp != nil:
		v, err := n.jTimestamp.eval(r.jscope(f, r.states(f, f.input, nil, nil, nil)))
		if err != nil {
			return err
		}
		str, _ := v.(string)
		t, ok := parseTimestamp(str)
		if !ok {
			e := failure.Errorf(failure.QueryEvaluationError,
				"The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: %s", value.Raw(v))
			e.Location = "Timestamp"
			return e
		}
		until = t
	case n.s.Seconds != nil:
		secs, _ := n.s.Seconds.(float64)
		until = r.now.Add(time.Duration(secs) * time.Second)
	case n.s.Timestamp != nil:
		str, _ := n.s.Timestamp.(string)
		t, _ := parseTimestamp(str)
		until = t
	case n.secondsPath != nil:
		v, err := r.selectPath(f, n.secondsPath, false, f.input, "SecondsPath")
		if err != nil {
			return err
		}
		secs, ok := v.(float64)
		if !ok || secs != math.Trunc(secs) {
			return failure.Errorf(failure.Runtime, "The SecondsPath parameter cannot be parsed as a long value: %s == %s",
				n.s.SecondsPath, value.Raw(v))
		}
		if secs < 0 {
			return failure.Errorf(failure.Runtime, "The SecondsPath parameter references a negative value: %s == %s",
				n.s.SecondsPath, value.Raw(v))
		}
		until = r.now.Add(time.Duration(secs) * time.Second)
	case n.timestampPath != nil:
		v, err := r.selectPath(f, n.timestampPath, false, f.input, "TimestampPath")
		if err != nil {
			return err
		}
		str, _ := v.(string)
		t, ok := parseTimestamp(str)
		if !ok {
			return failure.Errorf(failure.Runtime,
				"The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: %s == %s",
				n.s.TimestampPath, value.Raw(v))
		}
		until = t
	}
	if !until.After(r.now) {
		return r.finishWait(f)
	}
	r.x.nextID++
	f.timerID = r.x.nextID
	f.phase = phaseWaitTimer
	r.effect(Effect{Kind: EffectArmTimer, ID: f.timerID, At: until})
	return nil
}

// finishWait completes a Wait state whose time has come.
func (r *run) finishWait(f *Frame) error {
	n := f.node
	out, err := r.simpleOutput(f)
	if err != nil {
		r.stateFailed(f, asFailure(err))
		return nil
	}
	var assigned *value.Object
	if n.lang == asl.JSONata {
		assigned, err = r.assignJSONata(f, n.jAssign, r.jscope(f, r.states(f, f.input, nil, nil, nil)))
	} else {
		assigned, err = r.assignJSONPath(f, n.assign, f.input)
	}
	if err != nil {
		r.stateFailed(f, asFailure(err))
		return nil
	}
	r.exitState(f, out, nextOf(n), assigned)
	return nil
}

// parseTimestamp parses an RFC 3339 timestamp as AWS accepts it: a date,
// 'T', a time with optional fraction, and a zone ('Z' or an offset).
func parseTimestamp(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}
