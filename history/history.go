// Package history defines execution history events in the shape of the Step
// Functions API (GetExecutionHistory): one Event per entry, with the details
// block named after the event's kind ("stateEnteredEventDetails", …).
//
// The engine produces events, the store keeps them as encoded chunks, and
// the API, console and CLI read them. Encoding with encoding/json gives the
// wire form, with the timestamp as epoch seconds as AWS's JSON protocol
// writes it.
package history

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"time"
)

// Event is one history event.
type Event struct {
	ID              int64
	PreviousEventID int64
	Timestamp       time.Time
	Type            string
	// Details is the event's details block, or nil for an event without
	// one. Its JSON key is named after Type (see AppendJSON), so one
	// details type serves several event types: *ErrorDetails is the
	// block of ExecutionFailed, ExecutionAborted, MapRunFailed and others.
	Details Details
}

// Details is the details block of an event: one of the *…Details types
// of this package.
type Details interface {
	appendJSON(b []byte) []byte
}

// DataDetails says whether a payload in an event was truncated.
type DataDetails struct {
	Truncated bool `json:"truncated"`
}

// ExecutionStartedDetails are the details of ExecutionStarted.
type ExecutionStartedDetails struct {
	Input                  Payload      `json:"input"`
	InputDetails           *DataDetails `json:"inputDetails,omitempty"`
	RoleArn                string       `json:"roleArn,omitempty"`
	StateMachineAliasArn   string       `json:"stateMachineAliasArn,omitempty"`
	StateMachineVersionArn string       `json:"stateMachineVersionArn,omitempty"`
}

// OutputDetails carry an output payload.
type OutputDetails struct {
	Output        Payload      `json:"output"`
	OutputDetails *DataDetails `json:"outputDetails,omitempty"`
}

// ErrorDetails carry an error name and cause; both may be absent.
type ErrorDetails struct {
	Error *string `json:"error,omitempty"`
	Cause *string `json:"cause,omitempty"`
}

// NewErrorDetails returns ErrorDetails with the error and cause set.
func NewErrorDetails(err, cause string) *ErrorDetails {
	return &ErrorDetails{Error: &err, Cause: &cause}
}

// ExecutionRedrivenDetails are the details of ExecutionRedriven.
type ExecutionRedrivenDetails struct {
	RedriveCount int `json:"redriveCount"`
}

// StateEnteredDetails are the details of every *StateEntered event.
type StateEnteredDetails struct {
	Name         string       `json:"name"`
	Input        Payload      `json:"input"`
	InputDetails *DataDetails `json:"inputDetails,omitempty"`
}

// StateExitedDetails are the details of every *StateExited event.
type StateExitedDetails struct {
	Name                     string            `json:"name"`
	Output                   Payload           `json:"output"`
	OutputDetails            *DataDetails      `json:"outputDetails,omitempty"`
	AssignedVariables        map[string]string `json:"assignedVariables,omitempty"`
	AssignedVariablesDetails *DataDetails      `json:"assignedVariablesDetails,omitempty"`
}

// MapStateStartedDetails are the details of MapStateStarted.
type MapStateStartedDetails struct {
	Length int `json:"length"`
}

// MapIterationDetails are the details of the MapIteration* events.
type MapIterationDetails struct {
	Name  string `json:"name"`
	Index int    `json:"index"`
}

// MapRunStartedDetails are the details of MapRunStarted.
type MapRunStartedDetails struct {
	MapRunArn string `json:"mapRunArn"`
}

// EvaluationFailedDetails are the details of EvaluationFailed.
type EvaluationFailedDetails struct {
	Error    string `json:"error,omitempty"`
	Cause    string `json:"cause,omitempty"`
	Location string `json:"location,omitempty"`
	State    string `json:"state"`
}

// TaskDetails name the resource of a task event.
type TaskDetails struct {
	ResourceType string `json:"resourceType"`
	Resource     string `json:"resource"`
}

// TaskScheduledDetails are the details of TaskScheduled.
type TaskScheduledDetails struct {
	ResourceType       string  `json:"resourceType"`
	Resource           string  `json:"resource"`
	Region             string  `json:"region"`
	Parameters         Payload `json:"parameters"`
	TimeoutInSeconds   *int64  `json:"timeoutInSeconds,omitempty"`
	HeartbeatInSeconds *int64  `json:"heartbeatInSeconds,omitempty"`
}

// TaskOutputDetails are the details of TaskSubmitted and TaskSucceeded.
type TaskOutputDetails struct {
	ResourceType  string       `json:"resourceType"`
	Resource      string       `json:"resource"`
	Output        Payload      `json:"output"`
	OutputDetails *DataDetails `json:"outputDetails,omitempty"`
}

// TaskErrorDetails are the details of the failing task events.
type TaskErrorDetails struct {
	ResourceType string  `json:"resourceType"`
	Resource     string  `json:"resource"`
	Error        *string `json:"error,omitempty"`
	Cause        *string `json:"cause,omitempty"`
}

// ActivityScheduledDetails are the details of ActivityScheduled.
type ActivityScheduledDetails struct {
	Resource           string       `json:"resource"`
	Input              Payload      `json:"input"`
	InputDetails       *DataDetails `json:"inputDetails,omitempty"`
	TimeoutInSeconds   *int64       `json:"timeoutInSeconds,omitempty"`
	HeartbeatInSeconds *int64       `json:"heartbeatInSeconds,omitempty"`
}

// LambdaScheduledDetails are the details of LambdaFunctionScheduled.
type LambdaScheduledDetails struct {
	Resource         string       `json:"resource"`
	Input            Payload      `json:"input"`
	InputDetails     *DataDetails `json:"inputDetails,omitempty"`
	TimeoutInSeconds *int64       `json:"timeoutInSeconds,omitempty"`
}

// ActivityStartedDetails are the details of ActivityStarted.
type ActivityStartedDetails struct {
	WorkerName string `json:"workerName,omitempty"`
}

// wireEvent is an event's JSON form as encoding/json reads it, with one
// member per details key.
type wireEvent struct {
	Timestamp       float64 `json:"timestamp"`
	ID              int64   `json:"id"`
	PreviousEventID int64   `json:"previousEventId"`
	Type            string  `json:"type"`

	ExecutionStarted      *ExecutionStartedDetails  `json:"executionStartedEventDetails,omitempty"`
	ExecutionSucceeded    *OutputDetails            `json:"executionSucceededEventDetails,omitempty"`
	ExecutionFailed       *ErrorDetails             `json:"executionFailedEventDetails,omitempty"`
	ExecutionAborted      *ErrorDetails             `json:"executionAbortedEventDetails,omitempty"`
	ExecutionTimedOut     *ErrorDetails             `json:"executionTimedOutEventDetails,omitempty"`
	ExecutionRedriven     *ExecutionRedrivenDetails `json:"executionRedrivenEventDetails,omitempty"`
	StateEntered          *StateEnteredDetails      `json:"stateEnteredEventDetails,omitempty"`
	StateExited           *StateExitedDetails       `json:"stateExitedEventDetails,omitempty"`
	MapStateStarted       *MapStateStartedDetails   `json:"mapStateStartedEventDetails,omitempty"`
	MapIterationStarted   *MapIterationDetails      `json:"mapIterationStartedEventDetails,omitempty"`
	MapIterationSucceeded *MapIterationDetails      `json:"mapIterationSucceededEventDetails,omitempty"`
	MapIterationFailed    *MapIterationDetails      `json:"mapIterationFailedEventDetails,omitempty"`
	MapIterationAborted   *MapIterationDetails      `json:"mapIterationAbortedEventDetails,omitempty"`
	MapRunStarted         *MapRunStartedDetails     `json:"mapRunStartedEventDetails,omitempty"`
	MapRunFailed          *ErrorDetails             `json:"mapRunFailedEventDetails,omitempty"`
	EvaluationFailed      *EvaluationFailedDetails  `json:"evaluationFailedEventDetails,omitempty"`

	TaskScheduled    *TaskScheduledDetails `json:"taskScheduledEventDetails,omitempty"`
	TaskStarted      *TaskDetails          `json:"taskStartedEventDetails,omitempty"`
	TaskSubmitted    *TaskOutputDetails    `json:"taskSubmittedEventDetails,omitempty"`
	TaskSucceeded    *TaskOutputDetails    `json:"taskSucceededEventDetails,omitempty"`
	TaskFailed       *TaskErrorDetails     `json:"taskFailedEventDetails,omitempty"`
	TaskTimedOut     *TaskErrorDetails     `json:"taskTimedOutEventDetails,omitempty"`
	TaskStartFailed  *TaskErrorDetails     `json:"taskStartFailedEventDetails,omitempty"`
	TaskSubmitFailed *TaskErrorDetails     `json:"taskSubmitFailedEventDetails,omitempty"`

	LambdaFunctionScheduled      *LambdaScheduledDetails `json:"lambdaFunctionScheduledEventDetails,omitempty"`
	LambdaFunctionScheduleFailed *ErrorDetails           `json:"lambdaFunctionScheduleFailedEventDetails,omitempty"`
	LambdaFunctionStartFailed    *ErrorDetails           `json:"lambdaFunctionStartFailedEventDetails,omitempty"`
	LambdaFunctionSucceeded      *OutputDetails          `json:"lambdaFunctionSucceededEventDetails,omitempty"`
	LambdaFunctionFailed         *ErrorDetails           `json:"lambdaFunctionFailedEventDetails,omitempty"`
	LambdaFunctionTimedOut       *ErrorDetails           `json:"lambdaFunctionTimedOutEventDetails,omitempty"`

	ActivityScheduled      *ActivityScheduledDetails `json:"activityScheduledEventDetails,omitempty"`
	ActivityScheduleFailed *ErrorDetails             `json:"activityScheduleFailedEventDetails,omitempty"`
	ActivityStarted        *ActivityStartedDetails   `json:"activityStartedEventDetails,omitempty"`
	ActivitySucceeded      *OutputDetails            `json:"activitySucceededEventDetails,omitempty"`
	ActivityFailed         *ErrorDetails             `json:"activityFailedEventDetails,omitempty"`
	ActivityTimedOut       *ErrorDetails             `json:"activityTimedOutEventDetails,omitempty"`
}

// MarshalJSON writes the event as the Step Functions API does, with the
// timestamp as epoch seconds (millisecond precision) and the details
// block, if any (see AppendJSON).
func (e *Event) MarshalJSON() ([]byte, error) {
	return e.AppendJSON(make([]byte, 0, 256)), nil
}

// UnmarshalJSON reads an event written by MarshalJSON.
func (e *Event) UnmarshalJSON(b []byte) error {
	var w wireEvent
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("decode history event: %w", err)
	}
	sec, frac := math.Modf(w.Timestamp)
	*e = Event{
		ID:              w.ID,
		PreviousEventID: w.PreviousEventID,
		Timestamp:       time.Unix(int64(sec), int64(math.Round(frac*1000))*int64(time.Millisecond)).UTC(),
		Type:            w.Type,
	}
	// The details block is the one pointer member that is set.
	v := reflect.ValueOf(&w).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.Pointer && !f.IsNil() {
			e.Details = f.Interface().(Details)
		}
	}
	return nil
}

// EpochSeconds formats t as AWS's JSON protocol writes timestamps: seconds
// since the epoch with up to three decimals.
func EpochSeconds(t time.Time) string {
	return string(appendEpochSeconds(nil, t))
}
