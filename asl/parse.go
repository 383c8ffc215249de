package asl

import (
	"fmt"
	"math"
	"strings"

	"github.com/stepwise-run/stepwise/value"
)

// Diagnostic codes, as AWS's ValidateStateMachineDefinition reports them.
const (
	CodeSchemaValidationFailed = "SCHEMA_VALIDATION_FAILED"
	CodeInvalidJSON            = "INVALID_JSON_DESCRIPTION"
)

// Diagnostic is one problem found in a definition.
type Diagnostic struct {
	Code     string // e.g. "SCHEMA_VALIDATION_FAILED"
	Location string // JSON pointer, "/" for the top level
	Message  string
	Severity string // "ERROR" or "WARNING"
}

func (d Diagnostic) String() string {
	return d.Code + ": " + d.Message + " at " + d.Location
}

// Parse decodes a definition. It returns the typed definition (as complete
// as the text allows) and the structural problems met on the way: wrong
// JSON types and malformed values. Semantic rules (unknown fields,
// transitions, reachability…) are checked by Validate. Parse never panics.
func Parse(text []byte) (*Definition, []Diagnostic) {
	v, err := value.Parse(text)
	if err != nil {
		return nil, []Diagnostic{{Code: CodeInvalidJSON, Location: "/", Message: err.Error(), Severity: "ERROR"}}
	}
	obj, ok := v.(*value.Object)
	if !ok {
		return nil, []Diagnostic{{Code: CodeSchemaValidationFailed, Location: "/",
			Message: "Expected value of type [OBJECT]", Severity: "ERROR"}}
	}
	p := &decoder{}
	def := p.definition(obj, "")
	return def, p.diags
}

// ParseValue is Parse for a definition already decoded into the value model.
func ParseValue(obj *value.Object) (*Definition, []Diagnostic) {
	p := &decoder{}
	return p.definition(obj, ""), p.diags
}

type decoder struct {
	diags []Diagnostic
}

func (p *decoder) errorf(loc, format string, args ...any) {
	if loc == "" {
		loc = "/"
	}
	p.diags = append(p.diags, Diagnostic{Code: CodeSchemaValidationFailed, Location: loc,
		Message: fmt.Sprintf(format, args...), Severity: "ERROR"})
}

// pointerEscape escapes a JSON pointer segment (RFC 6901).
func pointerEscape(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

func (p *decoder) definition(obj *value.Object, loc string) *Definition {
	d := &Definition{Location: loc, States: map[string]*State{}, Raw: obj}
	d.Comment = p.str(obj, "Comment", loc)
	d.StartAt = p.str(obj, "StartAt", loc)
	d.Version = p.str(obj, "Version", loc)
	d.QueryLanguage = p.str(obj, "QueryLanguage", loc)
	if v, ok := obj.Get("TimeoutSeconds"); ok {
		d.TimeoutSeconds = p.integer(v, loc+"/TimeoutSeconds")
	}
	if sv, ok := obj.Get("States"); ok {
		states, ok := sv.(*value.Object)
		if !ok {
			p.errorf(loc+"/States", "Expected value of type [OBJECT]")
		} else {
			for name, raw := range states.All() {
				sloc := loc + "/States/" + pointerEscape(name)
				so, ok := raw.(*value.Object)
				if !ok {
					p.errorf(sloc, "Expected value of type [OBJECT]")
					continue
				}
				d.States[name] = p.state(name, so, sloc)
				d.Order = append(d.Order, name)
			}
		}
	}
	return d
}

func (p *decoder) state(name string, obj *value.Object, loc string) *State {
	s := &State{Name: name, Location: loc, Raw: obj}
	s.Type = p.str(obj, "Type", loc)
	s.Comment = p.str(obj, "Comment", loc)
	s.QueryLanguage = p.str(obj, "QueryLanguage", loc)
	s.Next = p.str(obj, "Next", loc)
	s.End = p.boolean(obj, "End", loc)

	s.InputPath = p.optString(obj, "InputPath", loc)
	s.OutputPath = p.optString(obj, "OutputPath", loc)
	s.ResultPath = p.optString(obj, "ResultPath", loc)
	s.Parameters, s.HasParameters = obj.Get("Parameters")
	s.ResultSelector, s.HasResultSelector = obj.Get("ResultSelector")
	s.Result, s.HasResult = obj.Get("Result")
	s.Arguments, s.HasArguments = obj.Get("Arguments")
	s.Output, s.HasOutput = obj.Get("Output")
	s.Assign = p.object(obj, "Assign", loc)

	s.Retry = p.retriers(obj, loc)
	s.Catch = p.catchers(obj, loc)

	s.Resource = p.str(obj, "Resource", loc)
	s.TimeoutSeconds, _ = obj.Get("TimeoutSeconds")
	s.TimeoutSecondsPath = p.str(obj, "TimeoutSecondsPath", loc)
	s.HeartbeatSeconds, _ = obj.Get("HeartbeatSeconds")
	s.HeartbeatSecondsPath = p.str(obj, "HeartbeatSecondsPath", loc)
	s.Credentials, _ = obj.Get("Credentials")

	if cv, ok := obj.Get("Choices"); ok {
		arr, ok := cv.([]any)
		if !ok {
			p.errorf(loc+"/Choices", "Expected value of type [ARRAY]")
		}
		for i, c := range arr {
			co, ok := c.(*value.Object)
			if !ok {
				p.errorf(fmt.Sprintf("%s/Choices/%d", loc, i), "Expected value of type [OBJECT]")
				continue
			}
			s.Choices = append(s.Choices, co)
		}
	}
	s.Default = p.str(obj, "Default", loc)

	s.Seconds, _ = obj.Get("Seconds")
	s.Timestamp, _ = obj.Get("Timestamp")
	s.SecondsPath = p.str(obj, "SecondsPath", loc)
	s.TimestampPath = p.str(obj, "TimestampPath", loc)

	s.Error = p.optString(obj, "Error", loc)
	s.Cause = p.optString(obj, "Cause", loc)
	s.ErrorPath = p.optString(obj, "ErrorPath", loc)
	s.CausePath = p.optString(obj, "CausePath", loc)

	if bv, ok := obj.Get("Branches"); ok {
		arr, ok := bv.([]any)
		if !ok {
			p.errorf(loc+"/Branches", "Expected value of type [ARRAY]")
		}
		for i, b := range arr {
			bloc := fmt.Sprintf("%s/Branches/%d", loc, i)
			bo, ok := b.(*value.Object)
			if !ok {
				p.errorf(bloc, "Expected value of type [OBJECT]")
				continue
			}
			s.Branches = append(s.Branches, p.definition(bo, bloc))
		}
	}

	for _, field := range []string{"ItemProcessor", "Iterator"} {
		if iv, ok := obj.Get(field); ok {
			io, ok := iv.(*value.Object)
			if !ok {
				p.errorf(loc+"/"+field, "Expected value of type [OBJECT]")
				continue
			}
			s.ItemProcessor = p.definition(io, loc+"/"+field)
			if pc := p.object(io, "ProcessorConfig", loc+"/"+field); pc != nil {
				ploc := loc + "/" + field + "/ProcessorConfig"
				s.ItemProcessor.ProcessorMode = p.str(pc, "Mode", ploc)
				s.ItemProcessor.ExecutionType = p.str(pc, "ExecutionType", ploc)
			}
		}
	}
	s.ItemsPath = p.optString(obj, "ItemsPath", loc)
	s.Items, s.HasItems = obj.Get("Items")
	s.ItemSelector, s.HasItemSelector = obj.Get("ItemSelector")
	s.MaxConcurrency, _ = obj.Get("MaxConcurrency")
	s.MaxConcurrencyPath = p.str(obj, "MaxConcurrencyPath", loc)
	s.ItemReader = p.object(obj, "ItemReader", loc)
	s.ItemBatcher = p.object(obj, "ItemBatcher", loc)
	s.ResultWriter = p.object(obj, "ResultWriter", loc)
	s.ToleratedFailurePercentage, _ = obj.Get("ToleratedFailurePercentage")
	s.ToleratedFailurePercentagePath = p.str(obj, "ToleratedFailurePercentagePath", loc)
	s.ToleratedFailureCount, _ = obj.Get("ToleratedFailureCount")
	s.ToleratedFailureCountPath = p.str(obj, "ToleratedFailureCountPath", loc)
	s.Label = p.str(obj, "Label", loc)
	return s
}

func (p *decoder) retriers(obj *value.Object, loc string) []Retrier {
	v, ok := obj.Get("Retry")
	if !ok {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		p.errorf(loc+"/Retry", "Expected value of type [ARRAY]")
		return nil
	}
	out := make([]Retrier, 0, len(arr))
	for i, e := range arr {
		rloc := fmt.Sprintf("%s/Retry/%d", loc, i)
		ro, ok := e.(*value.Object)
		if !ok {
			p.errorf(rloc, "Expected value of type [OBJECT]")
			continue
		}
		r := Retrier{ErrorEquals: p.strings(ro, "ErrorEquals", rloc), Comment: p.str(ro, "Comment", rloc)}
		if v, ok := ro.Get("IntervalSeconds"); ok {
			r.IntervalSeconds = p.integer(v, rloc+"/IntervalSeconds")
		}
		if v, ok := ro.Get("MaxAttempts"); ok {
			r.MaxAttempts = p.integer(v, rloc+"/MaxAttempts")
		}
		if v, ok := ro.Get("MaxDelaySeconds"); ok {
			r.MaxDelaySeconds = p.integer(v, rloc+"/MaxDelaySeconds")
		}
		if v, ok := ro.Get("BackoffRate"); ok {
			if f, ok := v.(float64); ok {
				r.BackoffRate = &f
			} else {
				p.errorf(rloc+"/BackoffRate", "Expected value of type [NUMBER]")
			}
		}
		r.JitterStrategy = p.str(ro, "JitterStrategy", rloc)
		out = append(out, r)
	}
	return out
}

func (p *decoder) catchers(obj *value.Object, loc string) []Catcher {
	v, ok := obj.Get("Catch")
	if !ok {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		p.errorf(loc+"/Catch", "Expected value of type [ARRAY]")
		return nil
	}
	out := make([]Catcher, 0, len(arr))
	for i, e := range arr {
		cloc := fmt.Sprintf("%s/Catch/%d", loc, i)
		co, ok := e.(*value.Object)
		if !ok {
			p.errorf(cloc, "Expected value of type [OBJECT]")
			continue
		}
		c := Catcher{
			ErrorEquals: p.strings(co, "ErrorEquals", cloc),
			Next:        p.str(co, "Next", cloc),
			ResultPath:  p.optString(co, "ResultPath", cloc),
			Assign:      p.object(co, "Assign", cloc),
			Comment:     p.str(co, "Comment", cloc),
		}
		c.Output, c.HasOutput = co.Get("Output")
		out = append(out, c)
	}
	return out
}

func (p *decoder) str(obj *value.Object, key, loc string) string {
	v, ok := obj.Get(key)
	if !ok {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p.errorf(loc+"/"+key, "Expected value of type [STRING]")
	}
	return s
}

func (p *decoder) optString(obj *value.Object, key, loc string) OptString {
	v, ok := obj.Get(key)
	if !ok {
		return OptString{}
	}
	switch x := v.(type) {
	case nil:
		return OptString{Set: true, Null: true}
	case string:
		return OptString{Set: true, Value: x}
	default:
		p.errorf(loc+"/"+key, "Expected value of type [STRING]")
		return OptString{}
	}
}

func (p *decoder) boolean(obj *value.Object, key, loc string) bool {
	v, ok := obj.Get(key)
	if !ok {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		p.errorf(loc+"/"+key, "Expected value of type [BOOLEAN]")
	}
	return b
}

func (p *decoder) object(obj *value.Object, key, loc string) *value.Object {
	v, ok := obj.Get(key)
	if !ok {
		return nil
	}
	o, ok := v.(*value.Object)
	if !ok {
		p.errorf(loc+"/"+key, "Expected value of type [OBJECT]")
	}
	return o
}

func (p *decoder) strings(obj *value.Object, key, loc string) []string {
	v, ok := obj.Get(key)
	if !ok {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		p.errorf(loc+"/"+key, "Expected value of type [ARRAY]")
		return nil
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			p.errorf(fmt.Sprintf("%s/%s/%d", loc, key, i), "Expected value of type [STRING]")
			continue
		}
		out = append(out, s)
	}
	return out
}

func (p *decoder) integer(v any, loc string) *int64 {
	f, ok := v.(float64)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		p.errorf(loc, "Expected value of type [INTEGER]")
		return nil
	}
	n := int64(f)
	return &n
}
