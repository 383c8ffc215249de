// Package payload applies the JSONPath-mode data-flow fields of a state:
// payload templates (Parameters, ResultSelector, ItemSelector and
// JSONPath-mode Assign), path selections (InputPath, OutputPath, ItemsPath
// and the other "…Path" fields) and ResultPath.
//
// Templates are compiled once (Compile). A key ending in ".$" takes a path
// ("$.a", "$$.Execution.Id", "$var.x") or an intrinsic function call; its
// value is written under the key without the ".$". Objects nested in the
// template, also inside arrays, are templates too; everything else is a
// literal. Sub-trees without any ".$" key are built once at compile time
// and shared by every result, so results must be treated as immutable.
//
// Runtime errors are *failure.Error values carrying AWS's causes without
// the engine's "An error occurred while executing the state …" prefix:
//
//	States.Runtime                 The JSONPath '$.x' specified for the field 'k.$' could not be found in the input '{"a":1}'
//	States.Runtime                 Invalid path '$.x' : No results for path: $['x']
//	States.ResultPathMatchFailure  Unable to apply ReferencePath $.a.b to input "str"
package payload
