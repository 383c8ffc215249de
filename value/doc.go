// Package value is the JSON data model shared by every layer of Stepwise.
//
// A Value is one of:
//
//	nil       JSON null
//	bool      JSON true / false
//	float64   JSON number
//	string    JSON string
//	[]any     JSON array (elements are Values)
//	*Object   JSON object, with its keys in insertion order
//
// Documents are parsed once at the edge (Parse), kept as Values through every
// state of an execution, and serialised only at the edges (Append, Marshal).
//
// Objects keep insertion order because AWS does (its Java runtime uses
// ordered maps) and because JSONata results such as $keys() and $string()
// depend on it. Numbers are float64, as in JSONata: an integer-valued number
// is written without a fraction ("1", never "1.0"), and integers beyond 2^53
// lose precision. This is a deliberate, documented divergence from AWS's
// JSONPath runtime, which keeps the literal text of numbers.
//
// Values are treated as immutable once shared: functions that transform a
// document build new containers and share unchanged sub-values. Code that
// wants to mutate a Value it did not build must Clone it first.
package value
