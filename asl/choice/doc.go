// Package choice compiles and evaluates the rules of a JSONPath-mode Choice
// state: comparisons of a Variable with a literal or with another path
// (StringEquals, NumericLessThanPath, TimestampGreaterThanEquals, …),
// StringMatches, the type tests IsNull, IsPresent, IsNumeric, IsString,
// IsBoolean and IsTimestamp, and And, Or and Not at any depth.
//
// Behaviour follows AWS's recordings: a comparison whose operands are of
// the wrong type is false, not an error; IsPresent is false when the
// Variable's path matches nothing, and every other operator fails with
// States.Runtime ("Invalid path '$.x': The choice state's condition path
// references an invalid value."). String ordering compares UTF-16 code
// units, as Java does. Timestamps must be RFC 3339 date-times with an
// upper-case 'T' and a time zone ('Z' or an offset), fractions of a second
// allowed; they compare as instants.
//
// JSONata-mode rules ("Condition": "{% … %}") belong to the JSONata
// evaluator: pass a ConditionCompiler in Options to CompileWith; Compile
// rejects them.
package choice
