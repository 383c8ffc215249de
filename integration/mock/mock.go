// Package mock answers Task states with mocked responses, from a mock
// configuration file in the format of AWS Step Functions Local:
//
//	{
//	  "StateMachines": {
//	    "Orders": {"TestCases": {"HappyPath": {"ChargeCard": "ChargeOK"}}}
//	  },
//	  "MockedResponses": {
//	    "ChargeOK": {
//	      "0":   {"Throw": {"Error": "Gateway.Busy", "Cause": "try again"}},
//	      "1-2": {"Return": {"StatusCode": 200, "Payload": {"charged": true}}}
//	    }
//	  }
//	}
//
// An execution runs under a test case when it is started with
// "arn:…:stateMachine:Orders#HappyPath" as its state machine ARN. Each Task
// state the test case names gets, on its Nth invocation in the execution
// (counted from 0, retries included), the response whose key is N or whose
// range "A-B" holds N: "Return" is the task's result, "Throw" fails it with
// Error and Cause. States the test case does not name call the real
// integration. A mocked .waitForTaskToken task completes with its Return at
// once (it still gets a token for $$.Task.Token).
//
// Invocation counts live in memory: after a server restart they start
// again from 0 (mocks are a testing tool; this is the documented limit).
package mock

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/value"
)

// Handler is the shape of a task handler (integration.Handler).
type Handler interface {
	Invoke(ctx context.Context, t *engine.TaskRequest) (any, error)
}

// Config is a parsed mock configuration.
type Config struct {
	// StateMachines maps state machine name → test case → state name →
	// mocked response name.
	StateMachines map[string]map[string]map[string]string
	// Responses maps a mocked response name to its answers by invocation.
	Responses map[string][]Answer
}

// Answer is the mocked outcome of invocations First to Last (inclusive).
type Answer struct {
	First, Last int
	Return      any // the result, when Throw is nil
	Throw       *failure.Error
}

// Load reads a mock configuration file.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mock config: %w", err)
	}
	c, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("mock config %s: %w", path, err)
	}
	return c, nil
}

// Parse parses a mock configuration.
func Parse(b []byte) (*Config, error) {
	var raw struct {
		StateMachines map[string]struct {
			TestCases map[string]map[string]string `json:"TestCases"`
		} `json:"StateMachines"`
		MockedResponses map[string]map[string]json.RawMessage `json:"MockedResponses"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	c := &Config{StateMachines: map[string]map[string]map[string]string{}, Responses: map[string][]Answer{}}
	for sm, def := range raw.StateMachines {
		c.StateMachines[sm] = def.TestCases
	}
	for name, byKey := range raw.MockedResponses {
		for key, body := range byKey {
			a, err := parseAnswer(key, body)
			if err != nil {
				return nil, fmt.Errorf("MockedResponses.%s.%s: %w", name, key, err)
			}
			c.Responses[name] = append(c.Responses[name], a)
		}
	}
	for sm, cases := range c.StateMachines {
		for tc, states := range cases {
			for state, resp := range states {
				if _, ok := c.Responses[resp]; !ok {
					return nil, fmt.Errorf("StateMachines.%s.TestCases.%s.%s: unknown mocked response %q", sm, tc, state, resp)
				}
			}
		}
	}
	return c, nil
}

func parseAnswer(key string, body json.RawMessage) (Answer, error) {
	var a Answer
	first, last, isRange := strings.Cut(key, "-")
	var err error
	if a.First, err = strconv.Atoi(first); err != nil || a.First < 0 {
		return a, fmt.Errorf("invocation key %q is not a number or a range A-B", key)
	}
	a.Last = a.First
	if isRange {
		if a.Last, err = strconv.Atoi(last); err != nil || a.Last < a.First {
			return a, fmt.Errorf("invocation key %q is not a number or a range A-B", key)
		}
	}
	var r struct {
		Return json.RawMessage `json:"Return"`
		Throw  *struct {
			Error string `json:"Error"`
			Cause string `json:"Cause"`
		} `json:"Throw"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return a, err
	}
	switch {
	case r.Throw != nil && r.Return != nil:
		return a, fmt.Errorf("has both Return and Throw")
	case r.Throw != nil:
		a.Throw = failure.New(r.Throw.Error, r.Throw.Cause)
	case r.Return != nil:
		if a.Return, err = value.Parse(r.Return); err != nil {
			return a, err
		}
	default:
		return a, fmt.Errorf("needs Return or Throw")
	}
	return a, nil
}

// Wrap returns a handler that answers mocked states and passes the others
// to next.
func Wrap(c *Config, next Handler) Handler {
	return &mocker{c: c, next: next, counts: map[string]int{}}
}

type mocker struct {
	c    *Config
	next Handler

	mu     sync.Mutex
	counts map[string]int // execution ARN + state name → invocations so far
}

func (m *mocker) Invoke(ctx context.Context, t *engine.TaskRequest) (any, error) {
	if t.TestCase == "" {
		return m.next.Invoke(ctx, t)
	}
	cases, ok := m.c.StateMachines[t.StateMachineName]
	if !ok {
		return nil, failure.Errorf(failure.Runtime, "The mock configuration has no state machine named '%s'.", t.StateMachineName)
	}
	states, ok := cases[t.TestCase]
	if !ok {
		return nil, failure.Errorf(failure.Runtime, "The mock configuration has no test case '%s' for the state machine '%s'.", t.TestCase, t.StateMachineName)
	}
	resp, ok := states[t.StateName]
	if !ok {
		return m.next.Invoke(ctx, t) // not mocked: the real integration
	}
	key := t.ExecutionARN + "\x00" + t.StateName
	m.mu.Lock()
	n := m.counts[key]
	m.counts[key] = n + 1
	m.mu.Unlock()
	for _, a := range m.c.Responses[resp] {
		if n < a.First || n > a.Last {
			continue
		}
		if a.Throw != nil {
			return nil, a.Throw
		}
		if t.Pattern != "" {
			return engine.FinalResult{Output: a.Return}, nil
		}
		return a.Return, nil
	}
	return nil, failure.Errorf(failure.TaskFailed,
		"The mocked response '%s' has no answer for invocation %d of the state '%s'.", resp, n, t.StateName)
}
