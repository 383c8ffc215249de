// Package intrinsic parses and evaluates the intrinsic functions of the
// Amazon States Language (States.Format, States.Array, …, States.UUID),
// which JSONPath-mode payload templates may use in "key.$" fields.
//
// A call is parsed once (Parse) into a *Call whose arity and literal
// argument types are checked at compile time, so the validator can report
// them; Eval then runs it against an Env that resolves path arguments
// ("$.x", "$$.x", "$var.x") and supplies randomness.
//
// Behaviour follows AWS's, as recorded in the conformance cases:
// States.MathAdd rounds each operand half up (Java's Math.round: 1.49+1.5 =
// 3, -2.5+0 = -2); States.StringSplit splits on any of the delimiter's
// characters and drops empty tokens (Java's StringTokenizer);
// States.StringToJson of a blank string is null; States.MathRandom with a
// seed reproduces java.util.Random(seed).nextInt exactly. The limits are
// the documented ones: Hash, Base64Encode and Base64Decode take at most
// 10,000 characters; ArrayRange yields at most 1,000 items; calls nest at
// most 10 deep.
//
// The error causes of failed calls are not in AWS's recordings; this
// package names the function and the problem (see Error). Errors are
// *failure.Error with the name States.Runtime.
package intrinsic
