package engine

import (
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/asl/jsonata"
	"github.com/stepwise-run/stepwise/asl/jsonpath"
	"github.com/stepwise-run/stepwise/asl/payload"
	"github.com/stepwise-run/stepwise/value"
)

// isoMillis is the timestamp format of the context object.
const isoMillis = "2006-01-02T15:04:05.000Z"

// contextObject builds "$$" for the frame's current state. It is built only
// for states whose fields read it (node.needsContext).
func (r *run) contextObject(f *Frame, extra func(*value.Object)) *value.Object {
	x := r.x
	exec := value.NewObject(6)
	exec.Set("Id", x.Meta.ExecutionARN)
	exec.Set("Input", x.Input)
	exec.Set("StartTime", x.Meta.StartTime.UTC().Format(isoMillis))
	exec.Set("Name", x.Meta.ExecutionName)
	exec.Set("RoleArn", x.Meta.RoleARN)
	exec.Set("RedriveCount", float64(x.Meta.RedriveCount))
	if !x.Meta.RedriveTime.IsZero() {
		exec.Set("RedriveTime", x.Meta.RedriveTime.UTC().Format(isoMillis))
	}
	sm := value.NewObject(2)
	sm.Set("Id", x.Meta.StateMachineARN)
	sm.Set("Name", x.Meta.StateMachineName)
	st := value.NewObject(3)
	st.Set("EnteredTime", f.enteredTime.UTC().Format(isoMillis))
	st.Set("Name", f.node.s.Name)
	if f.retryCount > 0 {
		st.Set("RetryCount", float64(f.retryCount))
	}
	c := value.NewObject(5)
	c.Set("Execution", exec)
	c.Set("StateMachine", sm)
	c.Set("State", st)
	// AWS offers $$.Task.Token only to tasks that wait for it.
	if f.taskToken != "" && strings.HasSuffix(f.node.s.Resource, ".waitForTaskToken") {
		t := value.NewObject(1)
		t.Set("Token", f.taskToken)
		c.Set("Task", t)
	}
	if extra != nil {
		extra(c)
	}
	if x.Context != nil {
		return x.Context(c)
	}
	return c
}

// pscope returns the scope JSONPath fields of the current state read, with
// "$" bound to input.
//
// The scope is reused by every call of one run (evaluation is synchronous
// and nothing keeps it), which saves an allocation per field evaluated.
func (r *run) pscope(f *Frame, input any) *payload.Scope {
	r.ps = payload.Scope{Input: input, Lookup: f.vars.lookupFunc(), Random: r.x}
	if f.node.needsContext {
		r.ps.Context = r.contextObject(f, nil)
	}
	return &r.ps
}

// effectiveInput applies InputPath and Parameters (JSONPath states).
func (r *run) effectiveInput(f *Frame) (any, error) {
	n := f.node
	in, err := r.selectPath(f, n.inputPath, n.s.InputPath.Null, f.input, "InputPath")
	if err != nil {
		return nil, err
	}
	r.x.inspect("afterInputPath", in)
	if n.parameters != nil {
		out, err := n.parameters.Apply(r.pscope(f, in))
		if err == nil {
			r.x.inspect("afterParameters", out)
		}
		return out, err
	}
	return in, nil
}

// selectPath applies an InputPath/OutputPath-style path: a null path
// yields {}, an absent one the document itself.
func (r *run) selectPath(f *Frame, p *jsonpath.Path, null bool, doc any, field string) (any, error) {
	if null {
		return value.NewObject(0), nil
	}
	if p == nil {
		return doc, nil
	}
	return payload.Select(p, r.pscope(f, doc), field)
}

// applyResult runs ResultSelector, ResultPath and OutputPath on a state's
// result (JSONPath states) and returns the state output.
func (r *run) applyResult(f *Frame, result any) (any, error) {
	n := f.node
	var err error
	if n.resultSelector != nil {
		if result, err = n.resultSelector.Apply(r.pscope(f, result)); err != nil {
			return nil, err
		}
	}
	merged, err := r.mergeResult(f, n.s.ResultPath.Null, n.resultPath, result)
	if err != nil {
		return nil, err
	}
	return r.selectPath(f, n.outputPath, n.s.OutputPath.Null, merged, "OutputPath")
}

func (r *run) mergeResult(f *Frame, discard bool, p *jsonpath.Path, result any) (any, error) {
	if discard {
		return f.input, nil
	}
	if p == nil {
		return result, nil
	}
	return payload.MergeResult(f.input, p, result)
}

// assignJSONPath evaluates a JSONPath-mode Assign with "$" bound to the
// state's result, then sets the variables. All values are computed before
// any is set, so they all see the variables as they were.
func (r *run) assignJSONPath(f *Frame, t *payload.Template, result any) (*value.Object, error) {
	if t == nil {
		return nil, nil
	}
	v, err := t.Apply(r.pscope(f, result))
	if err != nil {
		return nil, err
	}
	return r.setVars(f, v)
}

// Variable size limits AWS documents: one variable, one Assign block, and
// all the variables of an execution. AWS does not record the error it
// raises; Stepwise uses States.DataLimitExceeded with a cause naming the
// limit.
const (
	maxVariableSize = 256 * 1024
	maxAssignSize   = 256 * 1024
	maxVariablesSum = 10 * 1024 * 1024
)

func (r *run) setVars(f *Frame, v any) (*value.Object, error) {
	obj, ok := v.(*value.Object)
	if !ok {
		return nil, failure.Errorf(failure.Runtime, "Assign must be an object")
	}
	total := 0
	for k, e := range obj.All() {
		n := value.EncodedLen(e)
		if n > maxVariableSize {
			return nil, failure.Errorf(failure.DataLimitExceeded,
				"The variable '%s' is %d bytes, more than the limit of %d bytes for one variable.", k, n, maxVariableSize)
		}
		total += n
	}
	if total > maxAssignSize {
		return nil, failure.Errorf(failure.DataLimitExceeded,
			"The variables assigned by the state total %d bytes, more than the limit of %d bytes for one Assign.", total, maxAssignSize)
	}
	for k, e := range obj.All() {
		f.vars.Set(k, e)
	}
	if r.x.Inspect != nil {
		r.x.inspect("variables", f.vars.Vars())
	}
	if sum := r.variablesSize(); sum > maxVariablesSum {
		return nil, failure.Errorf(failure.DataLimitExceeded,
			"The execution's variables total %d bytes, more than the limit of %d bytes.", sum, maxVariablesSum)
	}
	return obj, nil
}

// variablesSize adds up the encoded size of every variable of the
// execution, in every scope.
func (r *run) variablesSize() int {
	n := 0
	var walk func(f *Frame)
	walk = func(f *Frame) {
		if f.vars != nil && f.vars.vars != nil {
			n += value.EncodedLen(f.vars.vars)
		}
		for _, c := range f.children {
			walk(c)
		}
	}
	walk(r.x.root)
	return n
}

// states builds the $states variable of a JSONata state.
func (r *run) states(f *Frame, input, result, errorOutput any, extra func(*value.Object)) *value.Object {
	n := 1
	if result != nil {
		n++
	}
	if errorOutput != nil {
		n++
	}
	withContext := f.node.needsContext || extra != nil
	if withContext {
		n++
	}
	s := value.NewObject(n)
	s.Set("input", input)
	if result != nil {
		s.Set("result", result)
	}
	if errorOutput != nil {
		s.Set("errorOutput", errorOutput)
	}
	if withContext {
		s.Set("context", r.contextObject(f, extra))
	}
	return s
}

// jscope returns the scope JSONata expressions of the current state read.
func (r *run) jscope(f *Frame, states *value.Object) *jscope {
	return &jscope{ctx: r.ctx, states: states, vars: f.vars, run: r}
}

// jsonataEnv returns the run's JSONata environment, with AWS's functions
// or without them. Both are made once per run: their variables are those of
// the scope of the evaluation under way (jnode.eval sets r.jstates and
// r.jvars before each one; evaluation is synchronous, and no function value
// outlives it, since results must be JSON).
func (r *run) jsonataEnv(withFunctions bool) *jsonata.Env {
	e := r.jenvs
	if e == nil {
		e = &jsonataEnvs{plain: jsonata.Env{Lookup: r.jsonataLookup, Now: r.clock()}}
		r.jenvs = e
	}
	if !withFunctions {
		return &e.plain
	}
	if e.withFunctions.Lookup == nil {
		e.withFunctions = e.plain
		e.withFunctions.Functions = r.awsFunctions()
	}
	return &e.withFunctions
}

// jsonataEnvs are a run's JSONata environments, without and with AWS's
// functions.
type jsonataEnvs struct {
	plain, withFunctions jsonata.Env
}

// jsonataLookup resolves a variable of the evaluation under way: $states,
// then the workflow variables.
func (r *run) jsonataLookup(name string) (any, bool) {
	if name == "states" {
		return r.jstates, true
	}
	return r.jvars.Lookup(name)
}

// clock returns the function that tells JSONata's $now() the run's time,
// made once per run.
func (r *run) clock() func() time.Time {
	if r.nowFunc == nil {
		r.nowFunc = func() time.Time { return r.now }
	}
	return r.nowFunc
}

// awsFunctions returns AWS's JSONata functions bound to the execution's
// random source, built once per run (evaluation only reads the map).
func (r *run) awsFunctions() map[string]*jsonata.Function {
	if r.fns == nil {
		r.fns = jsonata.AWSFunctions(r.x)
	}
	return r.fns
}

// assignJSONata evaluates a JSONata Assign block and sets the variables.
func (r *run) assignJSONata(f *Frame, t *jtemplate, s *jscope) (*value.Object, error) {
	if t == nil {
		return nil, nil
	}
	v, err := t.eval(s)
	if err != nil {
		return nil, err
	}
	return r.setVars(f, v)
}
