// Package jsonpath parses and evaluates the JSONPath expressions of the
// Amazon States Language as AWS Step Functions evaluates them.
//
// AWS's runtime uses Jayway JsonPath, so this package follows Jayway's
// semantics rather than RFC 9535:
//
//   - A path starts at "$" (the state input), "$$" (the context object) or
//     "$name" (a workflow variable, e.g. "$myVar.a.b"); Path.Root says which.
//   - Dot and bracket notation, quoted names ('a' or "a", with \' \" \\
//     escapes), indexes including negative ones, wildcards ([*] and .*),
//     slices ([1:5], [:1], [-2:], [::2]), unions ([0,2] and ['a','b']), deep
//     scan (..), and filters ([?(@.a >= 5)], [?(@.a)], with ==, !=, <, <=,
//     >, >=, =~ /regex/, in, nin, !, && and ||) are accepted.
//   - A trailing function call such as .length() or .sum() parses, so a
//     definition using one is valid, but it matches nothing: AWS does not
//     evaluate Jayway's functions ("$.Jobs.sum()" on a numeric array fails
//     with "could not be found in the input", and the Developer Guide says
//     functions such as length() are not supported).
//   - A path is definite when it has only names and single indexes
//     (IsDefinite). A definite path yields one value or a NotFoundError
//     whose text is Jayway's ("No results for path: $['a']", "Missing
//     property in path $['a']", …). An indefinite path yields the list of
//     matches, possibly empty, and never fails: AWS returns [] for
//     "$.items[1:]" evaluated on {}.
//   - Normalized renders a path in Jayway's canonical form, $['a'][0],
//     which AWS quotes in its error messages.
//
// The package is hand-written rather than built on a JSONPath library such
// as github.com/ohler55/ojg: those libraries evaluate over map[string]any,
// whereas Stepwise keeps documents as *value.Object with ordered keys, and
// converting a document on every evaluation would cost more than the
// evaluation itself. Hand-writing also lets the evaluator reproduce
// Jayway's definite/indefinite rules and error texts exactly, and keeps the
// common case (a short chain of names) free of allocations.
//
// Paths are parsed once (Parse) and are safe for concurrent use. Evaluation
// never modifies the document; Set builds new containers along the written
// path and shares everything else.
package jsonpath
