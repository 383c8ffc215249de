// Package teststate implements AWS Step Functions' TestState API: it runs
// one state in isolation (a lone state definition, or the named state of a
// state machine) and reports its output, error, next state and, at the
// DEBUG and TRACE inspection levels, the data flow's intermediate values.
//
// Run compiles a one-state machine whose StartAt is the state under test;
// every state the state names as a transition (Next, Default, a Choice
// rule's or a Catcher's Next) becomes a stub that ends the run, so the run
// stops right after the state and the stub that was entered is the
// response's nextState. Task, Parallel and Map states run their mock when
// the request has one; Retry is decided from the request's
// stateConfiguration.retrierRetryCount (status RETRIABLE) and Catch by the
// engine (status CAUGHT_ERROR).
package teststate
