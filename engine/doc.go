// Package engine is the States Language interpreter: a deterministic
// function from an execution's state and one input (start, timer fired,
// task finished, stop) to the new state, the AWS-shaped history events it
// produced, and the effects the caller must carry out (schedule a task, arm
// a timer).
//
// # Model
//
// A Machine is a definition compiled once (paths, payload templates, Choice
// rules and JSONata expressions pre-parsed); it is immutable and shared by
// all executions of that state machine version.
//
// An Execution is the mutable state of one run. Its threads of control are
// Frames: the top level, each Parallel branch and each inline Map iteration
// is a Frame nested under the frame of the state that started it. Step runs
// every transition it can (Pass, Choice, Succeed, …) until each frame is
// finished or waits on something outside, so a chain of pure states costs
// one call and, in the server, one durable commit.
//
// # Determinism
//
// The engine performs no I/O, reads no clock and draws no ambient
// randomness: the time arrives with each input, and random numbers (retry
// jitter, States.UUID, States.MathRandom) come from a generator whose state
// lives in the Execution. Replaying the same inputs on the same Execution
// yields the same events and effects.
//
// # Concurrency
//
// An Execution must be driven by one goroutine at a time. A Machine is safe
// for concurrent use.
package engine
