// Package e2e tests `stepwise serve` from the outside: it builds the
// binary, runs it as a child process on a loopback port, talks to it with
// the AWS SDK for Go v2, and compares what it answers with the in-process
// interpreter (package local), which is the reference for an uninterrupted
// run.
//
// The tests that start servers are slow and skipped unless the environment
// variable STEPWISE_E2E is 1, so `go test ./...` stays fast; `.ci/run` sets
// it. The helpers (Server, NewClient, Reference, FetchHistory,
// DiffHistories) are exported for other end-to-end tests.
package e2e
