package service

import (
	"sort"
	"strings"

	"github.com/stepwise-run/stepwise/asl/jsonpath"
	"github.com/stepwise-run/stepwise/value"
)

// VariableReferences returns, for each state of a definition that reads
// workflow variables, the names of the variables it reads, sorted, as
// DescribeStateMachine's variableReferences reports them. States of Map
// and Parallel states are listed by their own names. It returns nil when
// no state reads a variable or the definition is not a JSON object.
//
// A state reads a variable through a path field ("InputPath": "$v",
// "ItemsPath", "SecondsPath", a Choice rule's Variable, …), a template
// field ("x.$": "$v.a" or an intrinsic call taking $v), or a JSONata
// expression ("{% $v + 1 %}"). Writing a variable (Assign keys) and plain
// strings that merely look like paths ("bucket": "$b") are not reads.
func VariableReferences(definition string) map[string][]string {
	root, err := value.Parse([]byte(definition))
	if err != nil {
		return nil
	}
	obj, ok := root.(*value.Object)
	if !ok {
		return nil
	}
	refs := map[string]map[string]bool{}
	collectStates(obj, refs)
	if len(refs) == 0 {
		return nil
	}
	out := make(map[string][]string, len(refs))
	for state, names := range refs {
		list := make([]string, 0, len(names))
		for n := range names {
			list = append(list, n)
		}
		sort.Strings(list)
		out[state] = list
	}
	return out
}

// collectStates walks the "States" of a (nested) state machine.
func collectStates(machine *value.Object, refs map[string]map[string]bool) {
	states, ok := getObject(machine, "States")
	if !ok {
		return
	}
	for name, v := range states.All() {
		st, ok := v.(*value.Object)
		if !ok {
			continue
		}
		names := map[string]bool{}
		for key, field := range st.All() {
			switch key {
			case "ItemProcessor", "Iterator":
				if sub, ok := field.(*value.Object); ok {
					collectStates(sub, refs)
				}
				continue
			case "Branches":
				if list, ok := field.([]any); ok {
					for _, b := range list {
						if sub, ok := b.(*value.Object); ok {
							collectStates(sub, refs)
						}
					}
				}
				continue
			}
			walkField(key, field, names)
		}
		if len(names) > 0 {
			refs[name] = names
		}
	}
}

// walkField collects the variables a state field reads.
func walkField(key string, v any, names map[string]bool) {
	switch key {
	case "Result", "Comment", "ResultPath", "Type", "Next", "Default", "Resource", "QueryLanguage":
		return
	}
	switch x := v.(type) {
	case string:
		if expr, ok := jsonataExpr(x); ok {
			jsonataVariables(expr, names)
			return
		}
		switch {
		case strings.HasSuffix(key, ".$"):
			if strings.HasPrefix(x, "States.") {
				intrinsicVariables(x, names)
			} else {
				pathVariable(x, names)
			}
		case key == "Variable" || strings.HasSuffix(key, "Path"):
			pathVariable(x, names)
		}
	case *value.Object:
		for k, f := range x.All() {
			walkField(k, f, names)
		}
	case []any:
		for _, f := range x {
			walkField("", f, names)
		}
	}
}

func getObject(o *value.Object, key string) (*value.Object, bool) {
	v, ok := o.Get(key)
	if !ok {
		return nil, false
	}
	sub, ok := v.(*value.Object)
	return sub, ok
}

// pathVariable records the variable a JSONPath such as "$v.a[0]" reads.
func pathVariable(s string, names map[string]bool) {
	if !strings.HasPrefix(s, "$") || strings.HasPrefix(s, "$$") {
		return
	}
	p, err := jsonpath.Parse(s)
	if err != nil {
		return
	}
	if v := p.Variable(); v != "" {
		names[v] = true
	}
}

// intrinsicVariables records the variables the path arguments of an
// intrinsic function call read, skipping quoted string literals.
func intrinsicVariables(s string, names map[string]bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			for i++; i < len(s) && s[i] != '\''; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case c == '$':
			j := i
			for j < len(s) && s[j] != ',' && s[j] != ')' && s[j] != ' ' {
				j++
			}
			pathVariable(s[i:j], names)
			i = j - 1
		}
	}
}

// jsonataExpr returns the expression of a "{% … %}" string.
func jsonataExpr(s string) (string, bool) {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "{%") && strings.HasSuffix(t, "%}") && len(t) >= 4 {
		return t[2 : len(t)-2], true
	}
	return "", false
}

// jsonataVariables records the workflow variables a JSONata expression
// reads: $name tokens that are not function calls, not $states, and not
// bound inside the expression ($x := …). String literals and comments are
// skipped.
func jsonataVariables(expr string, names map[string]bool) {
	bound := map[string]bool{}
	var found []string
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			for i++; i < len(expr) && expr[i] != c; i++ {
				if expr[i] == '\\' {
					i++
				}
			}
		case c == '/' && i+1 < len(expr) && expr[i+1] == '*':
			end := strings.Index(expr[i+2:], "*/")
			if end < 0 {
				return
			}
			i += end + 3
		case c == '$':
			j := i + 1
			for j < len(expr) && isIdentByte(expr[j]) {
				j++
			}
			name := expr[i+1 : j]
			rest := strings.TrimLeft(expr[j:], " \t\r\n")
			switch {
			case name == "" || name == "states":
			case strings.HasPrefix(rest, ":="):
				bound[name] = true
			case strings.HasPrefix(rest, "("):
				// a function call: a built-in or a bound lambda
			default:
				found = append(found, name)
			}
			i = j - 1
		}
	}
	for _, n := range found {
		if !bound[n] {
			names[n] = true
		}
	}
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
