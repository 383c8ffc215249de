// Package e2e tests `stepwise serve` from the outside: it builds the
// binary, runs it as a child process on a loopback port, talks to it with
// the AWS SDK for Go v2, and compares what it answers with the in-process
// interpreter (package local), which is the reference for an uninterrupted
// run.
//
// The tests that start servers are slow and skipped unless the environment
// variable STEPWISE_E2E is 1, so `go test ./...` stays fast; `.ci/run` sets
// it. TestCrash kills the server with SIGKILL at moments drawn from a
// seeded generator; it logs the seed, and STEPWISE_E2E_SEED replays the
// same plan (inputs, batches and kill delays; the server's timing still
// varies). Smaller tests drive package runner in-process over a SQLite
// store to reproduce, deterministically, what the crash test found.
//
// The helpers (Server, NewClient, Reference, FetchHistory, DiffHistories,
// SameEventsAnyOrder) are exported for other end-to-end tests.
package e2e
