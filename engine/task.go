package engine

import (
	"encoding/hex"
	"math"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/value"
)

// defaultTaskTimeout is AWS's default TimeoutSeconds for a Task state.
const defaultTaskTimeout = 99999999

// runTask computes the task's input and schedules it.
func (r *run) runTask(f *Frame) error {
	n := f.node
	f.taskToken = r.newToken()
	var args any
	var err error
	var timeout, heartbeat int64
	if n.lang == asl.JSONata {
		s := r.jscope(f, r.states(f, f.input, nil, nil, nil))
		args = f.input
		if n.jArguments != nil {
			if args, err = n.jArguments.eval(s); err != nil {
				return err
			}
		}
		if timeout, err = jsonataSeconds(n.jTimeout, s, "TimeoutSeconds"); err != nil {
			return err
		}
		if heartbeat, err = jsonataSeconds(n.jHeartbeat, s, "HeartbeatSeconds"); err != nil {
			return err
		}
	} else {
		if args, err = r.effectiveInput(f); err != nil {
			return err
		}
		if v, ok := n.s.TimeoutSeconds.(float64); ok {
			timeout = int64(v)
		}
		if v, ok := n.s.HeartbeatSeconds.(float64); ok {
			heartbeat = int64(v)
		}
		if timeout, err = r.pathSeconds(f, n.timeoutSecondsPath, "TimeoutSecondsPath", timeout); err != nil {
			return err
		}
		if heartbeat, err = r.pathSeconds(f, n.heartbeatSecondsPath, "HeartbeatSecondsPath", heartbeat); err != nil {
			return err
		}
	}
	f.effective = args
	r.x.nextID++
	f.taskID = r.x.nextID
	f.phase = phaseWaitTask
	resType, res := resourceParts(n.s.Resource)
	r.emit(f, "TaskScheduled", func(e *history.Event) {
		d := &history.TaskScheduledDetails{ResourceType: resType, Resource: res, Region: regionOf(r.x.Meta.StateMachineARN),
			Parameters: history.Value(args)}
		if timeout > 0 {
			d.TimeoutInSeconds = &timeout
		}
		if heartbeat > 0 {
			d.HeartbeatInSeconds = &heartbeat
		}
		e.TaskScheduled = d
	})
	r.effect(Effect{Kind: EffectScheduleTask, ID: f.taskID, Task: &TaskRequest{
		Resource: n.s.Resource, StateName: n.s.Name, Input: args, Token: f.taskToken,
		TimeoutSeconds: timeout, HeartbeatSeconds: heartbeat, Credentials: n.s.Credentials,
		ExecutionARN: r.x.Meta.ExecutionARN,
	}})
	if timeout == 0 {
		timeout = defaultTaskTimeout
	}
	r.x.nextID++
	f.timerID = r.x.nextID
	r.effect(Effect{Kind: EffectArmTimer, ID: f.timerID, At: r.now.Add(time.Duration(timeout) * time.Second), TaskTimeout: true})
	return nil
}

func jsonataSeconds(t *jtemplate, s *jscope, field string) (int64, error) {
	if t == nil {
		return 0, nil
	}
	v, err := t.eval(s)
	if err != nil {
		return 0, err
	}
	f, ok := v.(float64)
	if !ok || f != math.Trunc(f) || f <= 0 {
		return 0, failure.Errorf(failure.QueryEvaluationError,
			"The JSONata expression specified for the field '%s' returned an unexpected result type. Expected 'positive integer', but was '%s' for value: %s",
			field, value.TypeName(v), value.String(v))
	}
	return int64(f), nil
}

func (r *run) pathSeconds(f *Frame, p interface{ String() string }, field string, dflt int64) (int64, error) {
	n := f.node
	var path = n.timeoutSecondsPath
	if field == "HeartbeatSecondsPath" {
		path = n.heartbeatSecondsPath
	}
	if path == nil {
		return dflt, nil
	}
	v, err := r.selectPath(f, path, false, f.input, field)
	if err != nil {
		return 0, err
	}
	secs, ok := v.(float64)
	if !ok || secs != math.Trunc(secs) || secs <= 0 {
		return 0, failure.Errorf(failure.Runtime, "The %s field refers to value %s which is not a valid positive integer: %s",
			field, value.String(v), path.String())
	}
	return int64(secs), nil
}

// taskOutcome handles a task's result, failure or timeout.
func (r *run) taskOutcome(f *Frame, in Input) {
	n := f.node
	resType, res := resourceParts(n.s.Resource)
	switch in.Kind {
	case InputTaskStarted:
		r.emit(f, "TaskStarted", func(e *history.Event) {
			e.TaskStarted = &history.TaskDetails{ResourceType: resType, Resource: res}
		})
		return
	case InputTimerFired: // the task's TimeoutSeconds ran out
		r.effect(Effect{Kind: EffectCancelTask, ID: f.taskID})
		f.taskID, f.timerID = 0, 0
		f.phase = phaseRun
		r.emit(f, "TaskTimedOut", func(e *history.Event) {
			name := failure.Timeout
			e.TaskTimedOut = &history.TaskErrorDetails{ResourceType: resType, Resource: res, Error: &name}
		})
		r.stateFailed(f, failure.New(failure.Timeout, ""))
		return
	case InputTaskFailed:
		r.effect(Effect{Kind: EffectCancelTimer, ID: f.timerID})
		f.taskID, f.timerID = 0, 0
		f.phase = phaseRun
		r.emit(f, "TaskFailed", func(e *history.Event) {
			d := &history.TaskErrorDetails{ResourceType: resType, Resource: res}
			errName, cause := in.Error, in.Cause
			d.Error, d.Cause = &errName, &cause
			e.TaskFailed = d
		})
		r.stateFailed(f, failure.New(in.Error, in.Cause))
		return
	}
	// InputTaskSucceeded.
	r.effect(Effect{Kind: EffectCancelTimer, ID: f.timerID})
	f.taskID, f.timerID = 0, 0
	f.phase = phaseRun
	r.emit(f, "TaskSucceeded", func(e *history.Event) {
		e.TaskSucceeded = &history.TaskOutputDetails{ResourceType: resType, Resource: res,
			Output: history.Value(in.Output), OutputDetails: &history.DataDetails{}}
	})
	if err := r.checkSize(n, in.Output); err != nil {
		r.stateFailed(f, err)
		return
	}
	if err := r.completeWithResult(f, in.Output); err != nil {
		r.stateFailed(f, asFailure(err))
	}
}

// completeWithResult turns a Task, Parallel or Map result into the state
// output and exits the state.
func (r *run) completeWithResult(f *Frame, result any) error {
	n := f.node
	if n.lang == asl.JSONata {
		s := r.jscope(f, r.states(f, f.input, result, nil, nil))
		out := result
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
	selected := result
	if n.resultSelector != nil {
		var err error
		if selected, err = n.resultSelector.Apply(r.pscope(f, result)); err != nil {
			return err
		}
	}
	assigned, err := r.assignJSONPath(f, n.assign, selected)
	if err != nil {
		return err
	}
	merged, err := r.mergeResult(f, n.s.ResultPath.Null, n.resultPath, selected)
	if err != nil {
		return err
	}
	out, err := r.selectPath(f, n.outputPath, n.s.OutputPath.Null, merged, "OutputPath")
	if err != nil {
		return err
	}
	r.exitState(f, out, nextOf(n), assigned)
	return nil
}

// resourceParts splits a Task resource into the resourceType and resource
// AWS shows in task events: "arn:aws:states:::lambda:invoke" gives
// ("lambda", "invoke").
func resourceParts(resource string) (string, string) {
	parts := strings.SplitN(resource, ":", 7)
	if len(parts) == 7 && parts[2] == "states" && parts[3] == "" {
		return parts[5], parts[6]
	}
	if len(parts) >= 6 {
		return parts[2], strings.Join(parts[5:], ":")
	}
	return "stepwise", resource
}

// regionOf returns the region field of an ARN.
func regionOf(arn string) string {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) >= 4 {
		return parts[3]
	}
	return ""
}

// newToken returns an unguessable task token from the execution's random
// generator (seeded from a cryptographic source by the runtime).
func (r *run) newToken() string {
	var b [32]byte
	for i := 0; i < len(b); i += 8 {
		v := r.x.random()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return hex.EncodeToString(b[:])
}

// retry schedules another attempt of the current state when a retrier
// matches err and has attempts left.
func (r *run) retry(f *Frame, err *failure.Error) bool {
	n := f.node
	for i, rt := range n.s.Retry {
		if !failure.Matches(rt.ErrorEquals, err.Name) {
			continue
		}
		for len(f.attempts) <= i {
			f.attempts = append(f.attempts, 0)
		}
		maxAttempts := int64(3)
		if rt.MaxAttempts != nil {
			maxAttempts = *rt.MaxAttempts
		}
		if int64(f.attempts[i]) >= maxAttempts {
			return false
		}
		interval, backoff := 1.0, 2.0
		if rt.IntervalSeconds != nil {
			interval = float64(*rt.IntervalSeconds)
		}
		if rt.BackoffRate != nil {
			backoff = *rt.BackoffRate
		}
		delay := interval * math.Pow(backoff, float64(f.attempts[i]))
		if rt.MaxDelaySeconds != nil && delay > float64(*rt.MaxDelaySeconds) {
			delay = float64(*rt.MaxDelaySeconds)
		}
		if rt.JitterStrategy == "FULL" {
			delay *= r.x.Float64()
		}
		f.attempts[i]++
		f.retryCount++
		r.x.nextID++
		f.timerID = r.x.nextID
		f.phase = phaseRetryWait
		r.effect(Effect{Kind: EffectArmTimer, ID: f.timerID, At: r.now.Add(time.Duration(delay * float64(time.Second)))})
		return true
	}
	return false
}

// catch hands err to the first matching catcher: the error output goes to
// the catcher's ResultPath (or Output) and the frame moves to its Next.
func (r *run) catch(f *Frame, err *failure.Error) bool {
	n := f.node
	for _, c := range n.catchers {
		if !failure.Matches(c.c.ErrorEquals, err.Name) {
			continue
		}
		errOut := value.NewObject(2)
		errOut.Set("Error", err.Name)
		errOut.Set("Cause", err.Cause)
		var out any
		var assigned *value.Object
		var e error
		if n.lang == asl.JSONata {
			s := r.jscope(f, r.states(f, f.input, nil, errOut, nil))
			out = errOut
			if c.jOutput != nil {
				if out, e = c.jOutput.eval(s); e != nil {
					f.err = asFailure(e)
					f.phase = phaseDone
					return true
				}
			}
			if assigned, e = r.assignJSONata(f, c.jAssign, s); e != nil {
				f.err = asFailure(e)
				f.phase = phaseDone
				return true
			}
		} else {
			if assigned, e = r.assignJSONPath(f, c.assign, errOut); e == nil {
				out, e = r.mergeResult(f, c.c.ResultPath.Null, c.resultPath, errOut)
			}
			if e != nil {
				fe := asFailure(e)
				f.err = &failure.Error{Name: fe.Name, Cause: r.stateCause(f, fe)}
				f.phase = phaseDone
				return true
			}
		}
		r.exitState(f, out, c.c.Next, assigned)
		return true
	}
	return false
}
