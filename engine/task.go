package engine

import (
	"encoding/base64"
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/value"
)

// defaultTaskTimeout is AWS's default TimeoutSeconds for a Task state.
const defaultTaskTimeout = 99999999

// Task resource kinds: they decide which history events a task records.
type taskKind uint8

const (
	kindService  taskKind = iota // arn:aws:states:::service:action[.pattern], and anything else
	kindActivity                 // arn:aws:states:REGION:ACCOUNT:activity:NAME
	kindLambda                   // arn:aws:lambda:REGION:ACCOUNT:function:NAME (legacy form)
)

// taskResource is a Task state's resource, classified once.
type taskResource struct {
	kind     taskKind
	pattern  string // "", "waitForTaskToken", "sync", "sync:2"
	resType  string // resourceType in Task* events, e.g. "lambda"
	resource string // resource in Task* events, e.g. "invoke.waitForTaskToken"
}

func classifyResource(arn string) taskResource {
	t := taskResource{}
	t.resType, t.resource = resourceParts(arn)
	parts := strings.SplitN(arn, ":", 7)
	switch {
	case len(parts) >= 7 && parts[2] == "states" && parts[5] == "activity":
		t.kind = kindActivity
	case len(parts) >= 7 && parts[2] == "lambda" && parts[5] == "function":
		t.kind = kindLambda
	default:
		for _, p := range []string{".waitForTaskToken", ".sync:2", ".sync"} {
			if strings.HasSuffix(arn, p) {
				t.pattern = p[1:]
				break
			}
		}
	}
	return t
}

// runTask computes the task's input, records its scheduling and asks the
// runtime to carry it out.
func (r *run) runTask(f *Frame) error {
	n := f.node
	res := classifyResource(n.s.Resource)
	r.x.nextID++
	taskID := r.x.nextID
	f.taskToken = r.newToken(taskID)
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
	if n.lang == asl.JSONata && n.jArguments != nil {
		r.x.inspect("afterArguments", args)
	}
	if r.x.Mock != nil {
		if result, ferr, ok := r.x.Mock(n.s.Name); ok {
			f.taskPending = false
			if ferr != nil {
				r.stateFailed(f, ferr)
				return nil
			}
			return r.completeWithResult(f, result)
		}
	}
	f.taskID = taskID
	f.phase = phaseWaitTask
	f.taskStarted = false
	f.hbTimerID = 0
	f.taskPending = true
	optional := func(v int64) *int64 {
		if v > 0 {
			return &v
		}
		return nil
	}
	switch res.kind {
	case kindActivity:
		r.emit(f, "ActivityScheduled", func(e *history.Event) {
			e.Details = &history.ActivityScheduledDetails{Resource: n.s.Resource, Input: history.Value(args),
				InputDetails: notTruncated, TimeoutInSeconds: optional(timeout), HeartbeatInSeconds: optional(heartbeat)}
		})
	case kindLambda:
		r.emit(f, "LambdaFunctionScheduled", func(e *history.Event) {
			e.Details = &history.LambdaScheduledDetails{Resource: n.s.Resource, Input: history.Value(args),
				InputDetails: notTruncated, TimeoutInSeconds: optional(timeout)}
		})
		r.emit(f, "LambdaFunctionStarted", nil)
		f.taskStarted = true
	default:
		r.emit(f, "TaskScheduled", func(e *history.Event) {
			e.Details = &history.TaskScheduledDetails{ResourceType: res.resType, Resource: res.resource,
				Region: regionOf(r.x.Meta.StateMachineARN), Parameters: history.Value(args),
				TimeoutInSeconds: optional(timeout), HeartbeatInSeconds: optional(heartbeat)}
		})
		r.emit(f, "TaskStarted", func(e *history.Event) {
			e.Details = &history.TaskDetails{ResourceType: res.resType, Resource: res.resource}
		})
		f.taskStarted = true
	}
	r.effect(Effect{Kind: EffectScheduleTask, ID: f.taskID, Task: &TaskRequest{
		Activity: res.kind == kindActivity, Pattern: res.pattern,
		Resource: n.s.Resource, StateName: n.s.Name, Input: args, Token: f.taskToken,
		TimeoutSeconds: timeout, HeartbeatSeconds: heartbeat, Credentials: n.s.Credentials,
		ExecutionARN: r.x.Meta.ExecutionARN, StateMachineName: r.x.Meta.StateMachineName, TestCase: r.x.Meta.TestCase,
	}})
	if timeout == 0 {
		timeout = defaultTaskTimeout
	}
	r.x.nextID++
	f.timerID = r.x.nextID
	r.effect(Effect{Kind: EffectArmTimer, ID: f.timerID, At: r.now.Add(time.Duration(timeout) * time.Second), TaskTimeout: true})
	f.heartbeat = heartbeat
	if heartbeat > 0 && f.taskStarted {
		r.armHeartbeat(f)
	}
	return nil
}

// armHeartbeat (re)starts the task's heartbeat timer.
func (r *run) armHeartbeat(f *Frame) {
	if f.hbTimerID != 0 {
		r.effect(Effect{Kind: EffectCancelTimer, ID: f.hbTimerID})
	}
	r.x.nextID++
	f.hbTimerID = r.x.nextID
	r.effect(Effect{Kind: EffectArmTimer, ID: f.hbTimerID, At: r.now.Add(time.Duration(f.heartbeat) * time.Second), TaskTimeout: true})
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

// endTask forgets the task's id, token and timers, and tells the runtime
// to drop the task if its call or queued activity task is still pending.
func (r *run) endTask(f *Frame) {
	if f.taskPending {
		f.taskPending = false
		r.effect(Effect{Kind: EffectCancelTask, ID: f.taskID, Token: f.taskToken,
			Activity: classifyResource(f.node.s.Resource).kind == kindActivity})
	}
	if f.timerID != 0 {
		r.effect(Effect{Kind: EffectCancelTimer, ID: f.timerID})
	}
	if f.hbTimerID != 0 {
		r.effect(Effect{Kind: EffectCancelTimer, ID: f.hbTimerID})
	}
	f.taskID, f.timerID, f.hbTimerID, f.taskToken = 0, 0, 0, ""
	f.phase = phaseRun
}

// taskOutcome handles what happened to the task: it started, was
// submitted, heartbeat, succeeded, failed or timed out.
func (r *run) taskOutcome(f *Frame, in Input) {
	n := f.node
	res := classifyResource(n.s.Resource)
	errEvent := func(typ string, name, cause string, withCause bool) {
		r.emit(f, typ, func(e *history.Event) {
			d := &history.ErrorDetails{Error: &name}
			if withCause {
				d.Cause = &cause
			}
			switch typ {
			case "TaskFailed", "TaskTimedOut":
				e.Details = &history.TaskErrorDetails{ResourceType: res.resType, Resource: res.resource, Error: d.Error, Cause: d.Cause}
			default: // ActivityFailed, ActivityTimedOut, LambdaFunctionFailed, LambdaFunctionTimedOut
				e.Details = d
			}
		})
	}
	timedOut := map[taskKind]string{kindActivity: "ActivityTimedOut", kindLambda: "LambdaFunctionTimedOut", kindService: "TaskTimedOut"}[res.kind]
	// A worker's answer proves it took the task: if its start was not
	// recorded (the server died between handing the task out and
	// committing ActivityStarted), record it first.
	if res.kind == kindActivity && !f.taskStarted && in.Token != "" &&
		(in.Kind == InputTaskSucceeded || in.Kind == InputTaskFailed || in.Kind == InputTaskHeartbeat) {
		f.taskStarted = true
		r.emit(f, "ActivityStarted", func(e *history.Event) {
			e.Details = &history.ActivityStartedDetails{WorkerName: in.Worker}
		})
		if f.heartbeat > 0 && in.Kind == InputTaskHeartbeat {
			r.armHeartbeat(f)
		}
	}
	switch in.Kind {
	case InputTaskStarted:
		if !f.taskStarted {
			f.taskStarted = true
			if res.kind == kindActivity {
				r.emit(f, "ActivityStarted", func(e *history.Event) {
					e.Details = &history.ActivityStartedDetails{WorkerName: in.Worker}
				})
			}
			if f.heartbeat > 0 {
				r.armHeartbeat(f)
			}
		}
		return
	case InputTaskSubmitted:
		f.taskPending = false // the call returned; the result comes by token
		r.emit(f, "TaskSubmitted", func(e *history.Event) {
			e.Details = &history.TaskOutputDetails{ResourceType: res.resType, Resource: res.resource,
				Output: history.Value(in.Output), OutputDetails: notTruncated}
		})
		return
	case InputTaskHeartbeat:
		if f.heartbeat > 0 {
			r.armHeartbeat(f)
		}
		return
	case InputTimerFired: // TimeoutSeconds or HeartbeatSeconds ran out
		name := failure.Timeout
		if in.ID == f.hbTimerID {
			name = failure.HeartbeatTimeout
			f.hbTimerID = 0
		} else {
			f.timerID = 0
		}
		r.endTask(f)
		errEvent(timedOut, name, "", false)
		r.stateFailed(f, failure.New(name, ""))
		return
	case InputTaskFailed:
		if in.Token == "" {
			f.taskPending = false // the call's own outcome: the runtime consumed it
		}
		r.endTask(f)
		typ := map[taskKind]string{kindActivity: "ActivityFailed", kindLambda: "LambdaFunctionFailed", kindService: "TaskFailed"}[res.kind]
		errEvent(typ, in.Error, in.Cause, true)
		r.stateFailed(f, failure.New(in.Error, in.Cause))
		return
	}
	// InputTaskSucceeded.
	if in.Token == "" {
		f.taskPending = false // the call's own outcome: the runtime consumed it
	}
	r.endTask(f)
	out := history.Value(in.Output)
	switch res.kind {
	case kindActivity:
		r.emit(f, "ActivitySucceeded", func(e *history.Event) {
			e.Details = &history.OutputDetails{Output: out, OutputDetails: notTruncated}
		})
	case kindLambda:
		r.emit(f, "LambdaFunctionSucceeded", func(e *history.Event) {
			e.Details = &history.OutputDetails{Output: out, OutputDetails: notTruncated}
		})
	default:
		r.emit(f, "TaskSucceeded", func(e *history.Event) {
			e.Details = &history.TaskOutputDetails{ResourceType: res.resType, Resource: res.resource,
				Output: out, OutputDetails: notTruncated}
		})
	}
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
	r.x.inspect("result", result)
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
		r.x.inspect("afterResultSelector", selected)
	}
	assigned, err := r.assignJSONPath(f, n.assign, selected)
	if err != nil {
		return err
	}
	merged, err := r.mergeResult(f, n.s.ResultPath.Null, n.resultPath, selected)
	if err != nil {
		return err
	}
	r.x.inspect("afterResultPath", merged)
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

// newToken returns an unguessable task token that names its execution and
// task, so that a runtime can route SendTaskSuccess and friends without a
// lookup table: base64url(execution ARN) "." task id "." 32 random hex
// digits from the execution's generator (seeded from a cryptographic source
// by the runtime). The engine accepts a token only if it equals the token
// of the task it waits for.
func (r *run) newToken(taskID int64) string {
	var b [16]byte
	for i := 0; i < len(b); i += 8 {
		v := r.x.random()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return base64.RawURLEncoding.EncodeToString([]byte(r.x.Meta.ExecutionARN)) + "." +
		strconv.FormatInt(taskID, 10) + "." + hex.EncodeToString(b[:])
}

// ParseToken returns the execution ARN and task id a task token names. It
// does not tell whether the token is current; only the execution knows.
func ParseToken(token string) (executionARN string, taskID int64, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || len(parts[2]) != 32 {
		return "", 0, false
	}
	arn, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || len(arn) == 0 {
		return "", 0, false
	}
	id, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || id <= 0 {
		return "", 0, false
	}
	if _, err := hex.DecodeString(parts[2]); err != nil {
		return "", 0, false
	}
	return string(arn), id, true
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
