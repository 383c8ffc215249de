// Package jsonata is a JSONata 2.0.6 engine: a parser and evaluator that
// follows jsonata-js 2.0.6 (the version AWS Step Functions runs) and works
// directly on Stepwise's value model (nil, bool, float64, string, []any,
// *value.Object).
//
// Compile an expression once and evaluate it many times, concurrently if
// need be:
//
//	e, err := jsonata.Compile(`$states.input.order.total * 2`)
//	...
//	v, defined, err := e.Eval(ctx, input, &jsonata.Env{Lookup: lookup})
//
// defined is false when the result is JSONata's undefined. Results are in
// the value model, except that a function returned as a result is a
// function value (see IsFunction).
//
// Errors are *Error values carrying jsonata-js's code, position, token and
// message; Error() returns "<Code>: <Message>", the text AWS puts in
// failure causes.
//
// Go functions are declared with NewFunction (or a Function literal): a
// JSONata signature such as "<s-n?:s>" and an implementation receiving
// the checked arguments, with Undefined{} for missing ones. Env.Functions
// adds them, overrides built-ins, or removes a built-in with a nil entry.
//
// # Budgets
//
// Evaluation is bounded by Env.Limits and by ctx: U1001 when evaluation
// nests deeper than MaxDepth (it never overflows the Go stack), U1002 when
// it exceeds the MaxSteps work budget, U1003 when ctx is cancelled (ctx is
// checked every 1,024 steps).
//
// # Determinism
//
// The package reads no clock and uses no randomness of its own: $now()
// and $millis() use Env.Now (read once per Eval), $random() and
// $shuffle() use Env.Random; they fail with U1004 (no clock) or U1006 (no
// random source) when these are not supplied.
//
// # Differences from jsonata-js
//
// Regular expressions run on Go's RE2: JavaScript syntax is translated
// (\s, ., \uXXXX, [^], ...), but backreferences and lookaround fail at
// compile time with S0303. Strings are UTF-8, so unpaired UTF-16
// surrogates (which JavaScript can build, for example by splitting an
// emoji) cannot be represented. Error positions count bytes rather than
// UTF-16 units. When several items of an array or object constructor
// fail, jsonata-js reports whichever fails first under its Promise.all
// scheduling; this engine approximates that order. Object members keep
// their insertion order (jsonata-js would list integer-like keys first).
//
// # AWS Step Functions
//
// AWSFunctions returns the functions AWS Step Functions adds ($partition,
// $range, $hash, $random with a seed, $uuid, $parse) and removes ($eval).
package jsonata
