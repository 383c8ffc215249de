// Package failure defines States Language errors: the error names Retry and
// Catch match on, and how an ErrorEquals list matches a name.
//
// Evaluators in the language core (paths, payload templates, intrinsic
// functions, JSONata) return *Error values whose Cause is the detail text
// only; the engine adds AWS's prefix "An error occurred while executing the
// state 'X' (entered at the event id #N). " where AWS writes one.
package failure

import "fmt"

// Predefined error names of the States Language and of AWS.
const (
	ALL                             = "States.ALL"
	HeartbeatTimeout                = "States.HeartbeatTimeout"
	Timeout                         = "States.Timeout"
	TaskFailed                      = "States.TaskFailed"
	Permissions                     = "States.Permissions"
	ResultPathMatchFailure          = "States.ResultPathMatchFailure"
	ParameterPathFailure            = "States.ParameterPathFailure"
	BranchFailed                    = "States.BranchFailed"
	NoChoiceMatched                 = "States.NoChoiceMatched"
	IntrinsicFailure                = "States.IntrinsicFailure"
	ExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold"
	ItemReaderFailed                = "States.ItemReaderFailed"
	ResultWriterFailed              = "States.ResultWriterFailed"
	Runtime                         = "States.Runtime"
	DataLimitExceeded               = "States.DataLimitExceeded"
	QueryEvaluationError            = "States.QueryEvaluationError"
)

// Error is a named States Language error with its cause.
type Error struct {
	Name  string // e.g. "States.Runtime" or a user-defined name
	Cause string // human-readable detail; may be empty
	// Location names the field that failed, for JSONata evaluation errors
	// ("Output/result", "Items"); AWS reports it in EvaluationFailed events.
	Location string
}

// New returns an *Error with the given name and cause.
func New(name, cause string) *Error { return &Error{Name: name, Cause: cause} }

// Errorf returns an *Error with the given name and a formatted cause.
func Errorf(name, format string, args ...any) *Error {
	return &Error{Name: name, Cause: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	if e.Cause == "" {
		return e.Name
	}
	return e.Name + ": " + e.Cause
}

// Terminal reports whether an error with this name cannot be caught by
// States.ALL. AWS documents States.Runtime and States.DataLimitExceeded as
// terminal: "States.ALL ... can't catch the States.DataLimitExceeded
// terminal error or Runtime error types".
func Terminal(name string) bool {
	return name == Runtime || name == DataLimitExceeded
}

// Matches reports whether a Retry or Catch ErrorEquals list matches the
// error name. States.ALL matches every name that is not Terminal;
// States.TaskFailed matches every name but States.Timeout and the terminal
// ones (the States Language spec: "matches any known error name except
// States.Timeout"); any other entry matches its exact name.
func Matches(errorEquals []string, name string) bool {
	for _, e := range errorEquals {
		switch e {
		case name:
			return true
		case ALL:
			if !Terminal(name) {
				return true
			}
		case TaskFailed:
			if !Terminal(name) && name != Timeout {
				return true
			}
		}
	}
	return false
}
