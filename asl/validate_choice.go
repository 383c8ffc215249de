package asl

import (
	"errors"
	"strings"

	"github.com/stepwise-run/stepwise/asl/choice"
	"github.com/stepwise-run/stepwise/value"
)

// operandKind is what a comparison operator compares against.
type operandKind int

const (
	operandString operandKind = iota
	operandNumber
	operandBoolean
	operandTimestamp
	operandPath
)

// comparisonOperators maps every JSONPath Choice operator to the kind of
// value it takes.
var comparisonOperators = func() map[string]operandKind {
	m := map[string]operandKind{
		"StringMatches": operandString,
		"IsNull":        operandBoolean, "IsPresent": operandBoolean, "IsNumeric": operandBoolean,
		"IsString": operandBoolean, "IsBoolean": operandBoolean, "IsTimestamp": operandBoolean,
		"BooleanEquals": operandBoolean, "BooleanEqualsPath": operandPath,
	}
	for _, family := range []struct {
		prefix string
		kind   operandKind
	}{{"String", operandString}, {"Numeric", operandNumber}, {"Timestamp", operandTimestamp}} {
		for _, op := range []string{"Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"} {
			m[family.prefix+op] = family.kind
			m[family.prefix+op+"Path"] = operandPath
		}
	}
	return m
}()

func isComparison(op string) bool {
	_, ok := comparisonOperators[op]
	return ok
}

// choice checks a Choice state: a non-empty Choices list of valid rules.
func (v *validator) choice(s *State, jsonata bool) {
	arr, ok := rawArray(s.Raw, "Choices")
	if !ok {
		return
	}
	cloc := at(s.Location, "Choices")
	if len(arr) == 0 {
		// AWS's wording is not recorded; this follows its style.
		v.schema(cloc, "The field 'Choices' must contain at least 1 element")
		return
	}
	for i, e := range arr {
		rule, ok := e.(*value.Object)
		if !ok {
			continue // reported by Parse
		}
		rloc := atIndex(cloc, i)
		if jsonata {
			v.jsonataChoiceRule(rule, rloc)
			continue
		}
		before := len(v.diags)
		v.choiceRule(rule, rloc, true)
		if len(v.diags) == before {
			v.compileChoiceRule(rule, rloc)
		}
	}
}

var jsonataChoiceFields = setOf("Condition", "Next", "Comment", "Output", "Assign")

// jsonataChoiceRule checks a JSONata Choice rule: a Condition (a JSONata
// expression or a boolean) and a Next.
func (v *validator) jsonataChoiceRule(rule *value.Object, loc string) {
	for k := range rule.All() {
		switch {
		case jsonataChoiceFields[k]:
		case k == "Variable" || k == "And" || k == "Or" || k == "Not" || isComparison(k):
			v.schema(loc, "The QueryLanguage is set to 'JSONata', but field '%s' is only supported for the 'JSONPath' QueryLanguage", k)
		default:
			v.schema(loc, "Field '%s' is not supported", k)
		}
	}
	v.required(rule, loc, "Condition", "Next")
	if c, ok := rule.Get("Condition"); ok {
		switch x := c.(type) {
		case bool:
		case string:
			if !isJSONataString(x) {
				// AWS's wording is not recorded; this follows its style.
				v.schema(at(loc, "Condition"), "The value for the field 'Condition' must be a JSONata expression")
			}
		default:
			v.schema(at(loc, "Condition"), "The value for the field 'Condition' must be a JSONata expression")
		}
	}
	if rule.Has("Assign") {
		v.assign(rule, loc, true)
	}
}

// choiceRule checks a JSONPath Choice rule. A top-level rule needs Next
// and may Assign; a rule nested in And, Or or Not takes neither.
func (v *validator) choiceRule(rule *value.Object, loc string, top bool) {
	var ops []string
	for k := range rule.All() {
		switch {
		case k == "Comment" || k == "Variable":
		case k == "Next" || k == "Assign":
			if !top {
				v.schema(loc, "Field '%s' is not supported", k)
			}
		case k == "And" || k == "Or" || k == "Not":
			ops = append(ops, k)
		case k == "Condition" || k == "Output":
			v.schema(loc, "The QueryLanguage is set to 'JSONPath', but field '%s' is only supported for the 'JSONata' QueryLanguage", k)
		default:
			if _, ok := comparisonOperators[k]; ok {
				ops = append(ops, k)
			} else {
				v.schema(loc, "Field '%s' is not supported", k)
			}
		}
	}
	if top {
		// Recorded from AWS (via CloudFormation).
		if v.required(rule, loc, "Next") {
			if _, ok := rawString(rule, "Next"); !ok {
				v.schema(at(loc, "Next"), "Expected value of type [STRING]")
			}
		}
		if rule.Has("Assign") {
			v.assign(rule, loc, false)
		}
	}
	if len(ops) != 1 {
		// AWS's wording is not recorded; this follows its style.
		if len(ops) == 0 {
			v.schema(loc, "A Choice Rule must have one comparison operator, or one of the fields 'And', 'Or' or 'Not'")
		} else {
			v.schema(loc, "A Choice Rule must have exactly one comparison operator, or one of the fields 'And', 'Or' or 'Not', but found: [%s]", strings.Join(ops, ", "))
		}
		return
	}
	op := ops[0]
	operand, _ := rule.Get(op)
	oloc := at(loc, op)
	switch op {
	case "And", "Or":
		if rule.Has("Variable") {
			v.schema(loc, "Field 'Variable' is not supported")
		}
		arr, ok := operand.([]any)
		if !ok {
			v.schema(oloc, "Expected value of type [ARRAY]")
			return
		}
		if len(arr) == 0 {
			// AWS's wording is not recorded; this follows its style.
			v.schema(oloc, "The field '%s' must contain at least 1 element", op)
			return
		}
		for i, e := range arr {
			if sub, ok := e.(*value.Object); ok {
				v.choiceRule(sub, atIndex(oloc, i), false)
			} else {
				v.schema(atIndex(oloc, i), "Expected value of type [OBJECT]")
			}
		}
		return
	case "Not":
		if rule.Has("Variable") {
			v.schema(loc, "Field 'Variable' is not supported")
		}
		if sub, ok := operand.(*value.Object); ok {
			v.choiceRule(sub, oloc, false)
		} else {
			v.schema(oloc, "Expected value of type [OBJECT]")
		}
		return
	}
	if v.required(rule, loc, "Variable") {
		if p, ok := rule.Get("Variable"); ok {
			if str, ok := p.(string); !ok {
				v.schema(at(loc, "Variable"), "Expected value of type [STRING]")
			} else {
				v.path(str, at(loc, "Variable"), "Variable")
			}
		}
	}
	v.operand(op, operand, oloc)
}

// operand checks the value of a comparison operator.
func (v *validator) operand(op string, operand any, loc string) {
	switch comparisonOperators[op] {
	case operandString:
		if _, ok := operand.(string); !ok {
			v.schema(loc, "Expected value of type [STRING]")
		}
	case operandNumber:
		if _, ok := operand.(float64); !ok {
			v.schema(loc, "Expected value of type [NUMBER]")
		}
	case operandBoolean:
		if _, ok := operand.(bool); !ok {
			v.schema(loc, "Expected value of type [BOOLEAN]")
		}
	case operandTimestamp:
		s, ok := operand.(string)
		if !ok {
			v.schema(loc, "Expected value of type [STRING]")
		} else if !validTimestamp(s) {
			v.schema(loc, "String does not match RFC3339 timestamp")
		}
	case operandPath:
		s, ok := operand.(string)
		if !ok {
			v.schema(loc, "Expected value of type [STRING]")
		} else if checkPath(s) != nil {
			v.schema(loc, "The value for the field '%s' must be a valid JSONPath", op)
		}
	}
}

// compileChoiceRule compiles a rule the walk found no fault in with
// asl/choice, so that whatever the engine would refuse is reported here
// too. Assign is validated by the walk and left out of the compiled copy.
func (v *validator) compileChoiceRule(rule *value.Object, loc string) {
	r := rule
	if rule.Has("Assign") {
		r = rule.Copy()
		r.Delete("Assign")
	}
	_, err := choice.Compile(r)
	if err == nil {
		return
	}
	var ce *choice.Error
	if errors.As(err, &ce) {
		if ce.Pointer == "/Next" {
			return // an empty Next is reported as a missing transition target
		}
		v.schema(loc+ce.Pointer, "%s", ce.Msg)
	} else {
		v.schema(loc, "%s", err.Error())
	}
}
