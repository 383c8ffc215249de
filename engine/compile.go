package engine

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/asl/choice"
	"github.com/stepwise-run/stepwise/asl/intrinsic"
	"github.com/stepwise-run/stepwise/asl/jsonpath"
	"github.com/stepwise-run/stepwise/asl/payload"
	"github.com/stepwise-run/stepwise/value"
)

// Machine is a compiled state machine definition. It is immutable and safe
// for concurrent use by many executions.
type Machine struct {
	Definition *asl.Definition
	root       *graph
	graphs     map[string]*graph // by graph key, for decoding snapshots
}

// graph is a compiled Definition: the top level, a Parallel branch or a Map
// item processor.
type graph struct {
	key    string // "" for the top level; "<state location>/b<i>" or "/p" below
	def    *asl.Definition
	start  string
	states map[string]*node
	lang   string // query language inherited by the states that set none
	// Distributed processors run as child executions on AWS; here they run
	// inline but emit MapRun events (see map.go).
	distributed bool
}

// node is a compiled state.
type node struct {
	s    *asl.State
	lang string // effective query language

	// enteredType and exitedType are the state's history event types
	// ("PassStateEntered", …), built once.
	enteredType, exitedType string

	// next is the state named by Next, if any, found once.
	next *node

	// needsContext is true when any field of the state reads the context
	// object ("$$"), so the engine builds it only for those states.
	needsContext bool

	inputPath, outputPath, resultPath, itemsPath *jsonpath.Path
	parameters, resultSelector, itemSelector     *payload.Template
	assign                                       *payload.Template // JSONPath-mode Assign
	choices                                      []*compiledChoice

	// JSONata fields.
	jArguments, jOutput, jAssign, jItems, jItemSelector *jtemplate
	jSeconds, jTimestamp, jTimeout, jHeartbeat          *jtemplate
	jError, jCause, jMaxConcurrency                     *jtemplate
	jToleratedCount, jToleratedPercentage               *jtemplate

	// Reference paths read at run time.
	secondsPath, timestampPath, errorPath, causePath         *jsonpath.Path
	errorCall, causeCall                                     *intrinsic.Call // ErrorPath/CausePath as intrinsic calls
	maxConcurrencyPath, toleratedCountPath, toleratedPctPath *jsonpath.Path
	timeoutSecondsPath, heartbeatSecondsPath                 *jsonpath.Path

	catchers []compiledCatcher
	branches []*graph
	items    *graph
}

type compiledChoice struct {
	rule      *choice.Rule // JSONPath
	condition *jtemplate   // JSONata
	next      string
	assign    *payload.Template
	jAssign   *jtemplate
	jOutput   *jtemplate // a matched rule's Output overrides the state's
	raw       *value.Object
}

type compiledCatcher struct {
	c          *asl.Catcher
	resultPath *jsonpath.Path
	jOutput    *jtemplate
	jAssign    *jtemplate
	assign     *payload.Template
}

// CompileError reports a definition that cannot be compiled. Definitions
// should be validated first (asl.Validate), which reports the same
// problems with AWS's codes and locations.
type CompileError struct {
	Location string
	Err      error
}

func (e *CompileError) Error() string { return fmt.Sprintf("%s: %v", e.Location, e.Err) }
func (e *CompileError) Unwrap() error { return e.Err }

// wholeStates finds "$states" used as a whole (not "$states.input" …),
// which needs the context object too.
var wholeStates = regexp.MustCompile(`\$states([^.\w]|$)`)

// Compile compiles a parsed definition.
func Compile(def *asl.Definition) (*Machine, error) {
	m := &Machine{Definition: def, graphs: map[string]*graph{}}
	root, err := m.compileGraph(def, "", "")
	if err != nil {
		return nil, err
	}
	m.root = root
	return m, nil
}

// CompileText parses, validates structurally and compiles a definition.
func CompileText(text []byte) (*Machine, error) {
	def, diags := asl.Parse(text)
	if len(diags) > 0 {
		return nil, &CompileError{Location: diags[0].Location, Err: fmt.Errorf("%s", diags[0].Message)}
	}
	return Compile(def)
}

func (m *Machine) compileGraph(def *asl.Definition, key, inherited string) (*graph, error) {
	lang := inherited
	if def.QueryLanguage != "" {
		lang = def.QueryLanguage
	}
	g := &graph{key: key, def: def, start: def.StartAt, states: make(map[string]*node, len(def.States)), lang: lang}
	m.graphs[key] = g
	if _, ok := def.States[def.StartAt]; !ok {
		return nil, &CompileError{Location: def.Location + "/StartAt", Err: fmt.Errorf("StartAt %q is not a state", def.StartAt)}
	}
	for _, name := range def.Order {
		s := def.States[name]
		n, err := m.compileState(s, lang)
		if err != nil {
			return nil, err
		}
		g.states[name] = n
	}
	for _, n := range g.states {
		if !n.s.End {
			n.next = g.states[n.s.Next]
		}
	}
	return g, nil
}

func (m *Machine) compileState(s *asl.State, inherited string) (*node, error) {
	n := &node{s: s, lang: asl.EffectiveLanguage(s, inherited),
		enteredType: s.Type + "StateEntered", exitedType: s.Type + "StateExited"}
	raw := value.String(s.Raw)
	n.needsContext = strings.Contains(raw, "$$") || s.Type == asl.TypeMap ||
		(n.lang == asl.JSONata && (strings.Contains(raw, "context") || wholeStates.MatchString(raw)))
	c := stateCompiler{n: n, loc: s.Location}

	n.inputPath = identityAsNil(c.optPath(s.InputPath, "InputPath"))
	n.outputPath = identityAsNil(c.optPath(s.OutputPath, "OutputPath"))
	n.resultPath = c.optPath(s.ResultPath, "ResultPath")
	n.itemsPath = c.optPath(s.ItemsPath, "ItemsPath")
	n.secondsPath = c.path(s.SecondsPath, "SecondsPath")
	n.timestampPath = c.path(s.TimestampPath, "TimestampPath")
	n.errorPath, n.errorCall = c.pathOrCall(s.ErrorPath, "ErrorPath")
	n.causePath, n.causeCall = c.pathOrCall(s.CausePath, "CausePath")
	n.maxConcurrencyPath = c.path(s.MaxConcurrencyPath, "MaxConcurrencyPath")
	n.toleratedCountPath = c.path(s.ToleratedFailureCountPath, "ToleratedFailureCountPath")
	n.toleratedPctPath = c.path(s.ToleratedFailurePercentagePath, "ToleratedFailurePercentagePath")
	n.timeoutSecondsPath = c.path(s.TimeoutSecondsPath, "TimeoutSecondsPath")
	n.heartbeatSecondsPath = c.path(s.HeartbeatSecondsPath, "HeartbeatSecondsPath")

	if n.lang == asl.JSONata {
		n.jArguments = c.jsonata(s.Arguments, s.HasArguments, "Arguments")
		n.jOutput = c.jsonata(s.Output, s.HasOutput, "Output")
		n.jItems = c.jsonata(s.Items, s.HasItems, "Items")
		n.jItemSelector = c.jsonata(s.ItemSelector, s.HasItemSelector, "ItemSelector")
		if s.Assign != nil {
			n.jAssign = c.jsonata(s.Assign, true, "Assign")
		}
		n.jSeconds = c.jsonata(s.Seconds, s.Seconds != nil, "Seconds")
		n.jTimestamp = c.jsonata(s.Timestamp, s.Timestamp != nil, "Timestamp")
		n.jTimeout = c.jsonata(s.TimeoutSeconds, s.TimeoutSeconds != nil, "TimeoutSeconds")
		n.jHeartbeat = c.jsonata(s.HeartbeatSeconds, s.HeartbeatSeconds != nil, "HeartbeatSeconds")
		n.jError = c.jsonata(optValue(s.Error), s.Error.Set, "Error")
		n.jCause = c.jsonata(optValue(s.Cause), s.Cause.Set, "Cause")
		n.jMaxConcurrency = c.jsonata(s.MaxConcurrency, s.MaxConcurrency != nil, "MaxConcurrency")
		n.jToleratedCount = c.jsonata(s.ToleratedFailureCount, s.ToleratedFailureCount != nil, "ToleratedFailureCount")
		n.jToleratedPercentage = c.jsonata(s.ToleratedFailurePercentage, s.ToleratedFailurePercentage != nil, "ToleratedFailurePercentage")
	} else {
		n.parameters = c.template(s.Parameters, s.HasParameters, "Parameters")
		n.resultSelector = c.template(s.ResultSelector, s.HasResultSelector, "ResultSelector")
		n.itemSelector = c.template(s.ItemSelector, s.HasItemSelector, "ItemSelector")
		if s.Assign != nil {
			n.assign = c.template(s.Assign, true, "Assign")
		}
	}

	for i, raw := range s.Choices {
		cc := &compiledChoice{raw: raw}
		loc := fmt.Sprintf("Choices/%d", i)
		cc.next, _ = stringField(raw, "Next")
		assign, hasAssign := raw.Get("Assign")
		if n.lang == asl.JSONata {
			cond, _ := raw.Get("Condition")
			cc.condition = c.jsonata(cond, true, loc+"/Condition")
			cc.jAssign = c.jsonata(assign, hasAssign, loc+"/Assign")
			out, hasOut := raw.Get("Output")
			cc.jOutput = c.jsonata(out, hasOut, loc+"/Output")
		} else {
			rule, err := choice.Compile(raw)
			if err != nil && c.err == nil {
				c.err = &CompileError{Location: s.Location + "/" + loc, Err: err}
			}
			cc.rule = rule
			cc.assign = c.template(assign, hasAssign, loc+"/Assign")
		}
		n.choices = append(n.choices, cc)
	}

	for i := range s.Catch {
		cat := &s.Catch[i]
		loc := fmt.Sprintf("Catch/%d", i)
		cc := compiledCatcher{c: cat}
		cc.resultPath = c.optPath(cat.ResultPath, loc+"/ResultPath")
		if n.lang == asl.JSONata {
			cc.jOutput = c.jsonata(cat.Output, cat.HasOutput, loc+"/Output")
			if cat.Assign != nil {
				cc.jAssign = c.jsonata(cat.Assign, true, loc+"/Assign")
			}
		} else if cat.Assign != nil {
			cc.assign = c.template(cat.Assign, true, loc+"/Assign")
		}
		n.catchers = append(n.catchers, cc)
	}
	if c.err != nil {
		return nil, c.err
	}

	// States inside branches and item processors inherit the machine's
	// query language, not the enclosing state's (as AWS's validator does).
	top := m.Definition.QueryLanguage
	for i, b := range s.Branches {
		g, err := m.compileGraph(b, fmt.Sprintf("%s/b%d", s.Location, i), top)
		if err != nil {
			return nil, err
		}
		n.branches = append(n.branches, g)
	}
	if s.ItemProcessor != nil {
		g, err := m.compileGraph(s.ItemProcessor, s.Location+"/p", top)
		if err != nil {
			return nil, err
		}
		g.distributed = s.ItemProcessor.ProcessorMode == "DISTRIBUTED"
		n.items = g
	}
	return n, nil
}

func optValue(o asl.OptString) any {
	if !o.Set || o.Null {
		return nil
	}
	return o.Value
}

func stringField(o *value.Object, key string) (string, bool) {
	v, ok := o.Get(key)
	s, isStr := v.(string)
	return s, ok && isStr
}

// stateCompiler compiles the fields of one state, keeping the first error.
type stateCompiler struct {
	n   *node
	loc string
	err error
}

func (c *stateCompiler) fail(field string, err error) {
	if c.err == nil {
		c.err = &CompileError{Location: c.loc + "/" + field, Err: err}
	}
}

func (c *stateCompiler) path(s, field string) *jsonpath.Path {
	if s == "" {
		return nil
	}
	p, err := jsonpath.Parse(s)
	if err != nil {
		c.fail(field, err)
	}
	return p
}

func (c *stateCompiler) optPath(o asl.OptString, field string) *jsonpath.Path {
	if !o.Set || o.Null {
		return nil
	}
	return c.path(o.Value, field)
}

// pathOrCall compiles a field that takes a path or an intrinsic function
// call (Fail's ErrorPath and CausePath).
func (c *stateCompiler) pathOrCall(o asl.OptString, field string) (*jsonpath.Path, *intrinsic.Call) {
	if !o.Set || o.Null {
		return nil, nil
	}
	if intrinsic.IsCall(o.Value) {
		call, err := intrinsic.Parse(o.Value)
		if err != nil {
			c.fail(field, err)
		}
		return nil, call
	}
	return c.path(o.Value, field), nil
}

func (c *stateCompiler) template(v any, has bool, field string) *payload.Template {
	if !has {
		return nil
	}
	t, err := payload.Compile(v, field)
	if err != nil {
		c.fail(field, err)
	}
	return t
}

func (c *stateCompiler) jsonata(v any, has bool, field string) *jtemplate {
	if !has {
		return nil
	}
	t, err := compileJTemplate(v, field)
	if err != nil {
		c.fail(field, err)
	}
	return t
}

// identityAsNil returns nil for the path "$", which selects the whole
// document as an absent InputPath or OutputPath does, and p otherwise.
func identityAsNil(p *jsonpath.Path) *jsonpath.Path {
	if p != nil && p.Root() == jsonpath.Input && p.IsRoot() {
		return nil
	}
	return p
}
