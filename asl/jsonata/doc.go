// Package jsonata is a JSONata 2.0.6 engine: a parser and evaluator that
// follows jsonata-js 2.0.6 (the version AWS Step Functions runs) and works
// directly on Stepwise's value model (nil, bool, float64, string, []any,
// *value.Object).
//
// Compile an expression once and evaluate it many times:
//
//	e, err := jsonata.Compile(`$states.input.order.total * 2`)
//	...
//	v, defined, err := e.Eval(ctx, input, &jsonata.Env{Lookup: lookup})
//
// Errors are *Error values carrying jsonata-js's code, position, token and
// message; Error() returns "<Code>: <Message>", the text AWS puts in
// failure causes.
//
// Differences from jsonata-js: regular expressions run on Go's RE2, so
// backreferences and lookaround fail with S0303; error positions are byte
// offsets; evaluation is bounded by Limits (depth, work) and by ctx, with
// the codes U1001 (too deep), U1002 (work budget), U1003 (cancelled). The
// package reads no clock and uses no randomness of its own: $now() and
// $millis() use Env.Now, and $random() and $shuffle() use Env.Random,
// failing with U1004 (no clock) or U1006 (no random source) when they are
// not supplied.
//
// AWSFunctions returns the functions AWS Step Functions adds ($partition,
// $range, $hash, $random with a seed, $uuid, $parse) and removes ($eval).
package jsonata
