// Package storetest is the conformance suite of store.Store: the executable
// form of the contracts documented in package store. Every implementation
// runs it from its own tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return memory.New() })
//	}
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

// Run runs the whole suite. newStore must return a new, empty store for each
// call; Run closes it when the calling test ends. Subtests run in parallel.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	t.Helper()
	open := func(t *testing.T) store.Store {
		t.Helper()
		s := newStore(t)
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	groups := []struct {
		name  string
		tests map[string]func(*testing.T, store.Store)
	}{
		{"StateMachine", stateMachineTests},
		{"Version", versionTests},
		{"Alias", aliasTests},
		{"Tag", tagTests},
		{"Activity", activityTests},
		{"Execution", executionTests},
		{"Commit", commitTests},
		{"History", historyTests},
		{"Outbox", outboxTests},
		{"Inbox", inboxTests},
		{"ActivityTask", activityTaskTests},
		{"RedriveToken", redriveTokenTests},
		{"Concurrency", concurrencyTests},
		{"Lifecycle", lifecycleTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			for name, test := range g.tests {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					test(t, open(t))
				})
			}
		})
	}
}

// t0 is the base of every date in the suite; its nanoseconds check that
// stores keep full precision.
var t0 = time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.UTC)

func at(seconds int) time.Time { return t0.Add(time.Duration(seconds) * time.Second) }

const arnPrefix = "arn:aws:states:us-east-1:123456789012:"

func smARN(name string) string       { return arnPrefix + "stateMachine:" + name }
func activityARN(name string) string { return arnPrefix + "activity:" + name }
func execARN(sm, name string) string {
	return arnPrefix + "execution:" + strings.TrimPrefix(sm, arnPrefix+"stateMachine:") + ":" + name
}

func ctx(t *testing.T) context.Context { return t.Context() }

// mustNil fails the test if err is not nil.
func mustNil(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", what, err)
	}
}

// mustIs fails the test unless err wraps want.
func mustIs(t *testing.T, err, want error, what string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: error = %v, want %v", what, err, want)
	}
}

// mustEqual fails the test unless got and want are deeply equal once empty
// byte slices are treated as nil.
func mustEqual(t *testing.T, got, want any, what string) {
	t.Helper()
	if !reflect.DeepEqual(normalize(got), normalize(want)) {
		t.Fatalf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

// normalize returns a copy of v in which every empty []byte is nil.
func normalize(v any) any {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return v
	}
	out := reflect.New(rv.Type()).Elem()
	normalizeInto(out, rv)
	return out.Interface()
}

func normalizeInto(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Elem().Type())
		normalizeInto(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Struct:
		dst.Set(src)
		for i := range src.NumField() {
			if dst.Field(i).CanSet() {
				normalizeInto(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Slice:
		if src.Type().Elem().Kind() == reflect.Uint8 {
			if src.Len() > 0 {
				dst.Set(src)
			}
			return
		}
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			normalizeInto(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	default:
		dst.Set(src)
	}
}

// newMachine returns a state machine record with every field set.
func newMachine(name string) store.StateMachine {
	return store.StateMachine{
		ARN:                  smARN(name),
		Name:                 name,
		Type:                 store.TypeStandard,
		Definition:           `{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`,
		RoleARN:              "arn:aws:iam::123456789012:role/r",
		Description:          "machine " + name,
		LoggingConfiguration: []byte(`{"level":"OFF"}`),
		TracingConfiguration: []byte(`{"enabled":false}`),
		RevisionID:           "rev-1",
		Status:               store.StatusActive,
		CreationDate:         at(0),
	}
}

func createMachine(t *testing.T, s store.Store, name string) store.StateMachine {
	t.Helper()
	res, err := s.CreateStateMachine(ctx(t), &store.CreateStateMachineParams{StateMachine: newMachine(name)})
	mustNil(t, err, "CreateStateMachine "+name)
	return res.StateMachine
}

// newExecution returns a new execution record with every field set.
func newExecution(sm, name string, start time.Time) store.Execution {
	return store.Execution{
		ARN:             execARN(sm, name),
		StateMachineARN: sm,
		Name:            name,
		Definition:      `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`,
		RevisionID:      "rev-1",
		RoleARN:         "arn:aws:iam::123456789012:role/r",
		TraceHeader:     "Root=1-abc",
		Input:           []byte(`{"in":1}`),
		StartDate:       start,
		Status:          store.StatusRunning,
		Snapshot:        []byte("snapshot-1"),
	}
}

// startExecution commits a new execution and returns it as stored.
func startExecution(t *testing.T, s store.Store, sm, name string, start time.Time) store.Execution {
	t.Helper()
	e := newExecution(sm, name, start)
	mustNil(t, s.Commit(ctx(t), &store.Batch{Executions: []store.ExecutionWrite{{Execution: e}}}), "start "+name)
	e.Version = 1
	return e
}

func getExecution(t *testing.T, s store.Store, arn string) *store.Execution {
	t.Helper()
	e, err := s.GetExecution(ctx(t), arn)
	mustNil(t, err, "GetExecution "+arn)
	return e
}

// collect pages through a listing with the given page size and returns
// every item.
func collect[T any](t *testing.T, limit int, list func(p store.ListParams) (*store.Page[T], error)) []T {
	t.Helper()
	var all []T
	p := store.ListParams{Limit: limit}
	for i := 0; ; i++ {
		if i > 10000 {
			t.Fatal("pagination does not end")
		}
		pg, err := list(p)
		mustNil(t, err, fmt.Sprintf("page %d", i))
		if len(pg.Items) > limit {
			t.Fatalf("page %d has %d items, limit %d", i, len(pg.Items), limit)
		}
		all = append(all, pg.Items...)
		if pg.NextToken == "" {
			return all
		}
		p.NextToken = pg.NextToken
	}
}

func bytesOf(s string) []byte { return bytes.Clone([]byte(s)) }

func errorsIs(err, target error) bool { return errors.Is(err, target) }
