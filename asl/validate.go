package asl

import (
	"fmt"
	"strings"

	"github.com/stepwise-run/stepwise/value"
)

// ValidateOptions tunes Validate.
type ValidateOptions struct {
	// Type is the state machine type, Standard (the default when empty) or
	// Express. Express machines refuse the .waitForTaskToken and .sync
	// service integration patterns.
	Type string
	// Warnings adds the WARNING diagnostics (NO_DOLLAR, NO_PATH,
	// PASS_RESULT_IS_STATIC) that ValidateStateMachineDefinition returns
	// when asked for severity WARNING. They never make a definition
	// invalid.
	Warnings bool
}

// Check parses and validates a definition: Parse followed by Validate. It
// returns the definition (nil only when the text is not a JSON object) and
// every problem found, structural ones first. A definition is valid when no
// diagnostic has severity ERROR (see HasErrors).
func Check(text []byte, opts ValidateOptions) (*Definition, []Diagnostic) {
	def, diags := Parse(text)
	if def == nil {
		return nil, diags
	}
	return def, mergeDiagnostics(diags, Validate(def, opts))
}

// mergeDiagnostics appends the validator's diagnostics to the parser's,
// leaving out those at a location the parser already reported (a field of
// the wrong JSON type is reported once, as a type error).
func mergeDiagnostics(parsed, validated []Diagnostic) []Diagnostic {
	if len(parsed) == 0 {
		return validated
	}
	seen := make(map[string]bool, len(parsed))
	for _, d := range parsed {
		seen[d.Location] = true
	}
	out := parsed
	for _, d := range validated {
		if !seen[d.Location] {
			out = append(out, d)
		}
	}
	return out
}

// Validate checks a parsed definition against the States Language
// specification and the further rules of AWS Step Functions, and returns
// every problem found, each with the JSON pointer of the offending value.
//
// The order is stable: the top-level fields first, then each state in
// definition order (its own fields, its transitions, then the definitions
// nested in it), then for each scope the StartAt target and the states no
// transition reaches, and last, when the top level has no terminal state,
// MISSING_END_STATE.
//
// Validate needs the Raw objects Parse records; on a Definition built in
// code (Raw nil) it checks only the graph.
func Validate(def *Definition, opts ValidateOptions) []Diagnostic {
	if def == nil {
		return nil
	}
	v := &validator{opts: opts, names: map[string]bool{}}
	v.machine(def)
	return v.diags
}

// validator accumulates the diagnostics of one Validate call.
type validator struct {
	opts  ValidateOptions
	diags []Diagnostic
	// names holds every state name met so far, across nested scopes.
	names map[string]bool
	// topJSONata says the machine's own QueryLanguage makes its states
	// JSONata by default. Nested branches and processors inherit it (not
	// the language of the Map or Parallel that holds them), as AWS does.
	topJSONata bool
}

func (v *validator) add(code, loc, format string, args ...any) {
	if loc == "" {
		loc = "/"
	}
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	v.diags = append(v.diags, Diagnostic{Code: code, Location: loc, Message: msg, Severity: SeverityError})
}

func (v *validator) schema(loc, format string, args ...any) {
	v.add(CodeSchemaValidationFailed, loc, format, args...)
}

// at joins a JSON pointer and one more segment.
func at(loc, key string) string { return loc + "/" + pointerEscape(key) }

func atIndex(loc string, i int) string { return fmt.Sprintf("%s/%d", loc, i) }

// required reports the fields of names that obj lacks, in one diagnostic,
// as AWS does: "These fields are required: [States, StartAt]".
func (v *validator) required(obj *value.Object, loc string, names ...string) bool {
	var missing []string
	for _, n := range names {
		if !obj.Has(n) {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		v.schema(loc, "These fields are required: [%s]", strings.Join(missing, ", "))
		return false
	}
	return true
}

// unsupported reports every key of obj not in allowed.
func (v *validator) unsupported(obj *value.Object, loc string, allowed map[string]bool) {
	for k := range obj.All() {
		if !allowed[k] {
			v.schema(loc, "Field '%s' is not supported", k)
		}
	}
}

// oneOf reports a string field whose value is not one of values. The
// message is AWS's (recorded for Type).
func (v *validator) oneOf(obj *value.Object, key, loc string, values ...string) (string, bool) {
	raw, ok := obj.Get(key)
	if !ok {
		return "", false
	}
	s, isString := raw.(string)
	if !isString {
		return "", false // reported by Parse or by the caller
	}
	for _, x := range values {
		if s == x {
			return s, true
		}
	}
	v.schema(at(loc, key), "The field '%s' should have one of these values: [%s]", key, strings.Join(values, ", "))
	return s, false
}

var topLevelFields = setOf("Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage")

func (v *validator) machine(def *Definition) {
	raw := def.Raw
	if raw != nil {
		// AWS lists the missing fields in this order: [States, StartAt].
		v.required(raw, "/", "States", "StartAt")
		v.unsupported(raw, "/", topLevelFields)
		v.queryLanguageValue(raw, "")
		if def.TimeoutSeconds != nil {
			// AWS's wording is not recorded; this follows its style.
			v.intRange(*def.TimeoutSeconds, "/TimeoutSeconds", "TimeoutSeconds", 1, maxSeconds)
		}
		if raw.Has("Version") {
			v.oneOf(raw, "Version", "", "1.0")
		}
		if ql, ok := raw.Get("QueryLanguage"); ok {
			v.topJSONata = ql != JSONPath
		}
	} else {
		v.topJSONata = def.QueryLanguage == JSONata
	}
	if raw != nil && !raw.Has("States") {
		return
	}
	terminal := v.scope(def, true)
	if !terminal {
		// AWS reports this without a location.
		v.diags = append(v.diags, Diagnostic{Code: CodeMissingEndState, Message: "Workflow has no terminal state", Severity: SeverityError})
	}
}

// queryLanguageValue reports a QueryLanguage that is neither JSONPath nor
// JSONata, at the field.
func (v *validator) queryLanguageValue(obj *value.Object, loc string) {
	v.oneOf(obj, "QueryLanguage", loc, JSONPath, JSONata)
}

var branchFields = setOf("Comment", "StartAt", "States")
var processorFields = setOf("Comment", "StartAt", "States", "ProcessorConfig")

// nested validates a Parallel branch or a Map ItemProcessor/Iterator.
func (v *validator) nested(d *Definition, processor bool) {
	if d.Raw != nil {
		v.required(d.Raw, d.Location, "States", "StartAt")
		if processor {
			v.unsupported(d.Raw, d.Location, processorFields)
		} else {
			v.unsupported(d.Raw, d.Location, branchFields)
		}
		if !d.Raw.Has("States") {
			return
		}
	}
	v.scope(d, false)
}

// scope validates the states of one definition, its transitions and its
// reachability. It reports whether the scope has a terminal state.
func (v *validator) scope(d *Definition, top bool) bool {
	terminal := false
	for _, name := range d.Order {
		s := d.States[name]
		if s == nil {
			continue
		}
		if isTerminal(s) {
			terminal = true
		}
		v.stateName(s)
		v.state(s)
		v.transitions(d, s)
		v.children(s)
	}
	if top && !terminal {
		return false // AWS reports MISSING_END_STATE instead of unreachable states
	}
	startAt, ok := d.StartAt, d.StartAt != ""
	if d.Raw != nil {
		startAt, ok = rawString(d.Raw, "StartAt")
	}
	if !ok {
		return terminal // reported as a missing field or a type error
	}
	if _, ok := d.States[startAt]; !ok {
		v.add(CodeMissingTransitionTarget, at(d.Location, "StartAt"), "Missing 'Next' target: %s", startAt)
	}
	reached := reachable(d)
	for _, name := range d.Order {
		if d.States[name] != nil && !reached[name] {
			v.add(CodeMissingTransitionTarget, d.States[name].Location, "State \"%s\" is not reachable.", name)
		}
	}
	return terminal
}

// isTerminal reports whether s ends the execution of its scope.
func isTerminal(s *State) bool {
	return s.Type == TypeSucceed || s.Type == TypeFail || s.End
}

// targets returns the names s can transition to.
func targets(s *State) []string {
	if s.Raw == nil {
		out := []string{s.Next, s.Default}
		for _, c := range s.Catch {
			out = append(out, c.Next)
		}
		return out
	}
	var out []string
	for _, k := range []string{"Next", "Default"} {
		if t, ok := rawString(s.Raw, k); ok {
			out = append(out, t)
		}
	}
	for _, c := range s.Choices {
		if t, ok := rawString(c, "Next"); ok {
			out = append(out, t)
		}
	}
	if arr, ok := rawArray(s.Raw, "Catch"); ok {
		for _, e := range arr {
			if c, ok := e.(*value.Object); ok {
				if t, ok := rawString(c, "Next"); ok {
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// reachable returns the states reached from StartAt.
func reachable(d *Definition) map[string]bool {
	seen := map[string]bool{}
	if _, ok := d.States[d.StartAt]; !ok {
		return seen
	}
	queue := []string{d.StartAt}
	seen[d.StartAt] = true
	for len(queue) > 0 {
		s := d.States[queue[0]]
		queue = queue[1:]
		for _, t := range targets(s) {
			if _, ok := d.States[t]; ok && !seen[t] {
				seen[t] = true
				queue = append(queue, t)
			}
		}
	}
	return seen
}

// transitions reports every Next, Default, Choices[i].Next and
// Catch[i].Next of s that names no state of d. AWS names the target with
// the word 'Next' whatever the field, and locates array elements with
// brackets (/States/C/Choices[0]/Next).
func (v *validator) transitions(d *Definition, s *State) {
	check := func(obj *value.Object, key, loc string) {
		if obj == nil {
			return
		}
		target, ok := rawString(obj, key)
		if !ok {
			return
		}
		if _, ok := d.States[target]; !ok {
			v.add(CodeMissingTransitionTarget, loc, "Missing 'Next' target: %s", target)
		}
	}
	raw := s.Raw
	if raw == nil {
		raw = value.NewObject(0) // a State built in code: use its typed fields
		if s.Next != "" {
			raw.Set("Next", s.Next)
		}
		if s.Default != "" {
			raw.Set("Default", s.Default)
		}
	}
	if s.Type != TypeChoice && s.Type != TypeSucceed && s.Type != TypeFail {
		check(raw, "Next", at(s.Location, "Next"))
	}
	if s.Type == TypeChoice {
		for i, c := range s.Choices {
			check(c, "Next", fmt.Sprintf("%s/Choices[%d]/Next", s.Location, i))
		}
		check(raw, "Default", at(s.Location, "Default"))
	}
	if s.Type == TypeTask || s.Type == TypeParallel || s.Type == TypeMap {
		arr, _ := rawArray(raw, "Catch")
		if s.Raw == nil {
			for _, c := range s.Catch {
				o := value.NewObject(1)
				o.Set("Next", c.Next)
				arr = append(arr, o)
			}
		}
		for i, e := range arr {
			c, _ := e.(*value.Object)
			check(c, "Next", fmt.Sprintf("%s/Catch[%d]/Next", s.Location, i))
		}
	}
}

// rawString returns obj[key] when it is a string.
func rawString(obj *value.Object, key string) (string, bool) {
	x, ok := obj.Get(key)
	if !ok {
		return "", false
	}
	str, ok := x.(string)
	return str, ok
}

// children validates the definitions nested in s.
func (v *validator) children(s *State) {
	switch s.Type {
	case TypeParallel:
		for _, b := range s.Branches {
			v.nested(b, false)
		}
	case TypeMap:
		if s.ItemProcessor != nil {
			v.nested(s.ItemProcessor, true)
		}
	}
}

// maxStateNameLength is the longest state name the specification allows.
const maxStateNameLength = 80

func (v *validator) stateName(s *State) {
	if v.names[s.Name] {
		// AWS's wording for this code is not recorded; this follows its style.
		v.add(CodeDuplicateStateName, s.Location, "Duplicate State name: %s", s.Name)
	}
	v.names[s.Name] = true
	if n := len([]rune(s.Name)); n > maxStateNameLength {
		// AWS's wording for this code is not recorded; this follows its style.
		v.add(CodeInvalidStateName, s.Location, "State name '%s' exceeds the maximum length of %d characters", s.Name, maxStateNameLength)
	}
}

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}
