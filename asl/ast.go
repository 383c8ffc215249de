// Package asl is the Amazon States Language model: it parses a state machine
// definition into typed states and validates it, reporting every problem with
// its JSON location as AWS's validator does.
//
// Parse decodes a definition leniently; Validate applies the rules of the
// States Language specification and of AWS Step Functions; Check does both,
// as CreateStateMachine and ValidateStateMachineDefinition do.
// FormatInvalidDefinition renders the diagnostics as AWS's InvalidDefinition
// message. Diagnostic codes and, where AWS's wording is known, messages are
// AWS's; the comments beside each check say which messages are recorded from
// AWS and which only follow its style.
//
// Parsing is structural: fields keep their raw form (paths as strings,
// payload templates and JSONata expressions as values) and are compiled into
// an executable form by the engine (package engine), once per state machine
// version. The package is pure: no I/O, no clock, no randomness.
package asl

import "github.com/stepwise-run/stepwise/value"

// Query languages.
const (
	JSONPath = "JSONPath"
	JSONata  = "JSONata"
)

// State types.
const (
	TypePass     = "Pass"
	TypeTask     = "Task"
	TypeChoice   = "Choice"
	TypeWait     = "Wait"
	TypeSucceed  = "Succeed"
	TypeFail     = "Fail"
	TypeParallel = "Parallel"
	TypeMap      = "Map"
)

// Definition is a state machine, or one branch of a Parallel state, or the
// ItemProcessor (Iterator) of a Map state.
type Definition struct {
	Comment        string
	StartAt        string
	Version        string
	TimeoutSeconds *int64 // top level only
	QueryLanguage  string // as written; "" when absent
	States         map[string]*State
	Order          []string      // state names in definition order
	Location       string        // JSON pointer of this definition ("" for the top level)
	Raw            *value.Object // the definition as written; nil when built in code
	// ProcessorConfig of a Map ItemProcessor; zero elsewhere.
	ProcessorMode string // "INLINE" (default) or "DISTRIBUTED"
	ExecutionType string // "STANDARD" or "EXPRESS" for DISTRIBUTED
}

// OptString is a string field that may be absent, null or a string.
type OptString struct {
	Set   bool   // the field is present
	Null  bool   // the field is JSON null
	Value string // the string when Set and not Null
}

// Retrier is one element of a Retry list.
type Retrier struct {
	ErrorEquals     []string
	IntervalSeconds *int64
	MaxAttempts     *int64
	BackoffRate     *float64
	MaxDelaySeconds *int64
	JitterStrategy  string // "FULL" or "NONE"; "" when absent
	Comment         string
}

// Catcher is one element of a Catch list.
type Catcher struct {
	ErrorEquals []string
	Next        string
	ResultPath  OptString
	Output      any // JSONata; nil when absent
	HasOutput   bool
	Assign      *value.Object
	Comment     string
}

// State is one state of any type. Fields that a type does not allow stay at
// their zero value (the validator reports them from the raw object).
type State struct {
	Name          string
	Type          string
	Location      string        // JSON pointer, e.g. "/States/Foo"
	Raw           *value.Object // the state as written
	Comment       string
	QueryLanguage string // as written; see Definition.EffectiveLanguage
	Next          string
	End           bool

	// Data flow (JSONPath).
	InputPath, OutputPath, ResultPath OptString
	Parameters, ResultSelector        any
	HasParameters, HasResultSelector  bool
	Result                            any
	HasResult                         bool
	// Data flow (JSONata).
	Arguments, Output       any
	HasArguments, HasOutput bool
	// Variables (both languages).
	Assign *value.Object

	Retry []Retrier
	Catch []Catcher

	// Task.
	Resource             string
	TimeoutSeconds       any // number, or a JSONata string
	TimeoutSecondsPath   string
	HeartbeatSeconds     any
	HeartbeatSecondsPath string
	Credentials          any

	// Choice.
	Choices []*value.Object // raw Choice rules
	Default string

	// Wait: Seconds and Timestamp are a number/string or a JSONata string.
	Seconds       any
	Timestamp     any
	SecondsPath   string
	TimestampPath string

	// Fail.
	Error, Cause, ErrorPath, CausePath OptString

	// Parallel.
	Branches []*Definition

	// Map.
	ItemProcessor                  *Definition // ItemProcessor or the older Iterator
	ItemsPath                      OptString
	Items                          any // JSONata
	HasItems                       bool
	ItemSelector                   any
	HasItemSelector                bool
	MaxConcurrency                 any // number or JSONata string
	MaxConcurrencyPath             string
	ItemReader, ItemBatcher        *value.Object
	ResultWriter                   *value.Object
	ToleratedFailurePercentage     any
	ToleratedFailurePercentagePath string
	ToleratedFailureCount          any
	ToleratedFailureCountPath      string
	Label                          string
}

// EffectiveLanguage returns the query language in force for s inside d: the
// state's own, else the definition's, else the parent's, else JSONPath.
func EffectiveLanguage(s *State, inherited string) string {
	if s.QueryLanguage != "" {
		return s.QueryLanguage
	}
	if inherited != "" {
		return inherited
	}
	return JSONPath
}
