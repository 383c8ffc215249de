package teststate

import (
	"strings"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/value"
)

// loneName is the name a lone state runs under (the context object's
// State.Name in AWS's responses).
const loneName = "StateName"

// plan is a validated request, ready to run.
type plan struct {
	name     string        // the state under test
	state    *value.Object // its definition
	typ      string        // its Type
	language string        // "JSONata" or "JSONPath"
	machine  *value.Object // the one-state machine to run
	input    string        // input JSON text
	inputVal any
	level    string
	mock     *parsedMock
	context  *value.Object // the request's context object, if any
	self     string        // the stub standing for the state itself, if it is its own target
	vars     *value.Object // variables to preset, if any
}

// parsedMock is a request's mock with its result parsed.
type parsedMock struct {
	text   string // the result's JSON text ("" for an error)
	result any
	err    *ErrorOutput
}

// prepare validates req and builds the plan to run it.
func prepare(req *Request) (*plan, error) {
	if req.Definition == "" {
		return nil, errorf(CodeValidation, "1 validation error detected: Value null at 'definition' failed to satisfy constraint: Member must not be null")
	}
	if err := checkLimits(req); err != nil {
		return nil, err
	}
	p := &plan{level: req.InspectionLevel, input: "{}"}
	switch p.level {
	case "":
		p.level = LevelInfo
	case LevelInfo, LevelDebug, LevelTrace:
	default:
		return nil, errorf(CodeValidation, "1 validation error detected: Value '%s' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]", p.level)
	}
	if req.Input != nil {
		p.input = *req.Input
	}
	in, err := value.ParseString(p.input)
	if err != nil {
		return nil, errorf(CodeInvalidExecutionInput, "Invalid State Machine Execution Input: '%s'", p.input)
	}
	p.inputVal = in
	if err := p.locate(req); err != nil {
		return nil, err
	}
	if err := p.checkMock(req); err != nil {
		return nil, err
	}
	if req.Context != nil {
		c, err := checkContext(*req.Context)
		if err != nil {
			return nil, err
		}
		p.context = c
	}
	if req.Variables != nil {
		vars, err := checkVariables(*req.Variables)
		if err != nil {
			return nil, err
		}
		if vars.Len() > 0 {
			p.vars = vars
		}
	}
	p.build(req)
	return p, nil
}

// locate finds the state under test: the named state of a state machine,
// or the lone state the definition is.
func (p *plan) locate(req *Request) error {
	text := []byte(req.Definition)
	if req.StateName != nil {
		def, diags := asl.Check(text, asl.ValidateOptions{})
		if def == nil || asl.HasErrors(diags) {
			return errorf(CodeInvalidDefinition, "%s", asl.FormatInvalidDefinition(diags))
		}
		root, err := value.Parse(text)
		if err != nil {
			return errorf(CodeInvalidDefinition, "Invalid State Machine Definition: '%v'", err)
		}
		obj, _ := root.(*value.Object)
		st := findState(obj, *req.StateName)
		if st == nil {
			return errorf(CodeValidation, "State not found in definition")
		}
		p.name, p.state = *req.StateName, st
		p.language, _ = stringMember(obj, "QueryLanguage")
	} else {
		_, diags := asl.CheckState(text, asl.ValidateOptions{})
		if asl.HasErrors(diags) {
			return errorf(CodeInvalidDefinition, "%s", asl.FormatInvalidDefinition(diags))
		}
		v, err := value.Parse(text)
		if err != nil {
			return errorf(CodeInvalidDefinition, "Invalid State Machine Definition: '%v'", err)
		}
		p.state = v.(*value.Object)
		p.name = loneName
		for i := 1; strings.Contains(req.Definition, `"`+p.name+`"`); i++ {
			p.name = loneName + itoa(i)
		}
	}
	p.typ, _ = stringMember(p.state, "Type")
	if ql, ok := stringMember(p.state, "QueryLanguage"); ok {
		p.language = ql
	}
	if p.language == "" {
		p.language = "JSONPath"
	}
	return nil
}

// findState finds the state called name in a machine or any processor or
// branch nested in it.
func findState(machine *value.Object, name string) *value.Object {
	states, _ := member(machine, "States").(*value.Object)
	if states == nil {
		return nil
	}
	if st, ok := states.Get(name); ok {
		if o, ok := st.(*value.Object); ok {
			return o
		}
	}
	for _, st := range states.All() {
		o, ok := st.(*value.Object)
		if !ok {
			continue
		}
		for _, key := range []string{"ItemProcessor", "Iterator"} {
			if sub, ok := member(o, key).(*value.Object); ok {
				if found := findState(sub, name); found != nil {
					return found
				}
			}
		}
		if branches, ok := member(o, "Branches").([]any); ok {
			for _, b := range branches {
				if sub, ok := b.(*value.Object); ok {
					if found := findState(sub, name); found != nil {
						return found
					}
				}
			}
		}
	}
	return nil
}

// targets lists the states st may transition to.
func targets(st *value.Object) []string {
	var out []string
	add := func(v any) {
		if s, ok := v.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	add(member(st, "Next"))
	add(member(st, "Default"))
	for _, key := range []string{"Choices", "Catch"} {
		if list, ok := member(st, key).([]any); ok {
			for _, e := range list {
				if o, ok := e.(*value.Object); ok {
					add(member(o, "Next"))
				}
			}
		}
	}
	return out
}

// build makes the machine that runs the state once: the state (without
// Retry, which the response decides), and a Succeed stub for every state
// it may transition to.
func (p *plan) build(req *Request) {
	st := value.NewObject(p.state.Len())
	for k, v := range p.state.All() {
		if k == "Retry" {
			continue
		}
		st.Set(k, v)
	}
	if p.typ == "Map" && p.language == "JSONata" && req.StateConfiguration != nil && req.StateConfiguration.MapItemReaderData != nil {
		// The ItemReader reads the data the request supplies.
		if data, err := value.ParseString(*req.StateConfiguration.MapItemReaderData); err == nil {
			if _, ok := data.([]any); ok {
				st.Delete("ItemReader")
				st.Set("Items", data)
			}
		}
	}
	for _, t := range targets(p.state) {
		if t == p.name {
			// A transition to itself leads to a stub like any other.
			p.self = selfStub(p.name, p.state)
			st = retarget(st, p.name, p.self)
			break
		}
	}
	states := value.NewObject(4)
	states.Set(p.name, st)
	for _, t := range targets(st) {
		if t != p.name && !states.Has(t) {
			stub := value.NewObject(1)
			stub.Set("Type", "Succeed")
			states.Set(t, stub)
		}
	}
	m := value.NewObject(3)
	if p.language == "JSONata" {
		m.Set("QueryLanguage", "JSONata")
	}
	m.Set("StartAt", p.name)
	m.Set("States", states)
	p.machine = m
}

func member(o *value.Object, key string) any {
	if o == nil {
		return nil
	}
	v, _ := o.Get(key)
	return v
}

func stringMember(o *value.Object, key string) (string, bool) {
	s, ok := member(o, key).(string)
	return s, ok
}

func itoa(i int) string { return value.FormatNumber(float64(i)) }

// selfStub names the stub that stands for the state under test as a
// transition target: a name the definition does not use.
func selfStub(name string, st *value.Object) string {
	text := value.String(st)
	stub := name + " (next)"
	for i := 2; strings.Contains(text, `"`+stub+`"`); i++ {
		stub = name + " (next " + itoa(i) + ")"
	}
	return stub
}

// retarget returns a copy of st whose transitions to from go to to.
func retarget(st *value.Object, from, to string) *value.Object {
	out := st.Copy()
	for _, key := range []string{"Next", "Default"} {
		if s, ok := stringMember(out, key); ok && s == from {
			out.Set(key, to)
		}
	}
	for _, key := range []string{"Choices", "Catch"} {
		list, ok := member(out, key).([]any)
		if !ok {
			continue
		}
		copied := make([]any, len(list))
		for i, e := range list {
			copied[i] = e
			if o, ok := e.(*value.Object); ok {
				if s, ok := stringMember(o, "Next"); ok && s == from {
					c := o.Copy()
					c.Set("Next", to)
					copied[i] = c
				}
			}
		}
		out.Set(key, copied)
	}
	return out
}
