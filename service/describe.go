package service

import (
	"context"
	"time"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/store"
)

// Redrive statuses of DescribeExecution.
const (
	RedriveStatusRedrivable    = "REDRIVABLE"
	RedriveStatusNotRedrivable = "NOT_REDRIVABLE"
)

// RedriveWindow is how long after it stopped an execution can be redriven.
const RedriveWindow = 14 * 24 * time.Hour

// DescribeExecutionInput is the request of DescribeExecution.
type DescribeExecutionInput struct {
	ExecutionArn string `json:"executionArn"`
	IncludedData string `json:"includedData,omitempty"`
}

// DescribeExecutionOutput is the response of DescribeExecution.
type DescribeExecutionOutput struct {
	ExecutionArn           string                                `json:"executionArn"`
	StateMachineArn        string                                `json:"stateMachineArn"`
	Name                   string                                `json:"name"`
	Status                 string                                `json:"status"`
	StartDate              Timestamp                             `json:"startDate"`
	StopDate               Timestamp                             `json:"stopDate,omitzero"`
	Input                  *string                               `json:"input,omitempty"`
	InputDetails           *CloudWatchEventsExecutionDataDetails `json:"inputDetails,omitempty"`
	Output                 *string                               `json:"output,omitempty"`
	OutputDetails          *CloudWatchEventsExecutionDataDetails `json:"outputDetails,omitempty"`
	Error                  string                                `json:"error,omitempty"`
	Cause                  string                                `json:"cause,omitempty"`
	TraceHeader            string                                `json:"traceHeader,omitempty"`
	StateMachineVersionArn string                                `json:"stateMachineVersionArn,omitempty"`
	StateMachineAliasArn   string                                `json:"stateMachineAliasArn,omitempty"`
	RedriveCount           int                                   `json:"redriveCount"`
	RedriveDate            Timestamp                             `json:"redriveDate,omitzero"`
	RedriveStatus          string                                `json:"redriveStatus,omitempty"`
	RedriveStatusReason    string                                `json:"redriveStatusReason,omitempty"`
}

// DescribeStateMachineForExecutionInput is the request of
// DescribeStateMachineForExecution.
type DescribeStateMachineForExecutionInput struct {
	ExecutionArn string `json:"executionArn"`
	IncludedData string `json:"includedData,omitempty"`
}

// DescribeStateMachineForExecutionOutput is the response of
// DescribeStateMachineForExecution: the definition the execution runs.
type DescribeStateMachineForExecutionOutput struct {
	StateMachineArn      string                `json:"stateMachineArn"`
	Name                 string                `json:"name"`
	Definition           string                `json:"definition"`
	RoleArn              string                `json:"roleArn"`
	UpdateDate           Timestamp             `json:"updateDate"`
	LoggingConfiguration *LoggingConfiguration `json:"loggingConfiguration,omitempty"`
	TracingConfiguration *TracingConfiguration `json:"tracingConfiguration,omitempty"`
	RevisionID           string                `json:"revisionId,omitempty"`
	VariableReferences   map[string][]string   `json:"variableReferences,omitempty"`
}

// DescribeExecution describes a Standard execution. Express executions are
// not described, as on AWS.
func (s *Service) DescribeExecution(ctx context.Context, in *DescribeExecutionInput) (*DescribeExecutionOutput, error) {
	if _, err := parseARN(in.ExecutionArn, "executionArn", arn.KindExecution); err != nil {
		return nil, err
	}
	if err := checkIncludedData(in.IncludedData); err != nil {
		return nil, err
	}
	x, err := s.store.GetExecution(ctx, in.ExecutionArn)
	if err != nil {
		return nil, notFoundAs(err, executionDoesNotExist(in.ExecutionArn), "describe execution")
	}
	out := &DescribeExecutionOutput{
		ExecutionArn:           x.ARN,
		StateMachineArn:        x.StateMachineARN,
		Name:                   x.Name,
		Status:                 x.Status,
		StartDate:              NewTimestamp(x.StartDate),
		StopDate:               NewTimestamp(x.StopDate),
		Error:                  x.Error,
		Cause:                  x.Cause,
		TraceHeader:            x.TraceHeader,
		StateMachineVersionArn: x.VersionARN,
		StateMachineAliasArn:   x.AliasARN,
		RedriveCount:           x.RedriveCount,
		RedriveDate:            NewTimestamp(x.RedriveDate),
	}
	switch x.Status {
	case store.StatusRunning:
		out.StopDate = Timestamp{}
	case store.StatusTimedOut:
		// AWS reports neither error nor cause for a timed-out execution
		// (recorded: States.Timeout appears only in the history).
		out.Error, out.Cause = "", ""
	}
	out.RedriveStatus, out.RedriveStatusReason = s.redriveStatus(x)
	if in.IncludedData != "METADATA_ONLY" {
		input := string(x.Input)
		out.Input = &input
		out.InputDetails = &CloudWatchEventsExecutionDataDetails{Included: true}
		if x.Status == store.StatusSucceeded {
			output := string(x.Output)
			out.Output = &output
			out.OutputDetails = &CloudWatchEventsExecutionDataDetails{Included: true}
		}
	}
	return out, nil
}

// redriveStatus says whether x can be redriven and, if not, why.
func (s *Service) redriveStatus(x *store.Execution) (status, reason string) {
	switch x.Status {
	case store.StatusFailed, store.StatusTimedOut, store.StatusAborted:
		if !x.StopDate.IsZero() && s.clock().Sub(x.StopDate) > RedriveWindow {
			return RedriveStatusNotRedrivable, "Execution can not be redriven as it was completed more than 14 days ago"
		}
		return RedriveStatusRedrivable, ""
	}
	return RedriveStatusNotRedrivable, "Execution is " + x.Status + " and cannot be redriven"
}

// DescribeStateMachineForExecution returns the definition and settings an
// execution runs with.
func (s *Service) DescribeStateMachineForExecution(ctx context.Context, in *DescribeStateMachineForExecutionInput) (*DescribeStateMachineForExecutionOutput, error) {
	if _, err := parseARN(in.ExecutionArn, "executionArn", arn.KindExecution); err != nil {
		return nil, err
	}
	if err := checkIncludedData(in.IncludedData); err != nil {
		return nil, err
	}
	x, err := s.store.GetExecution(ctx, in.ExecutionArn)
	if err != nil {
		return nil, notFoundAs(err, executionDoesNotExist(in.ExecutionArn), "describe state machine for execution")
	}
	a, err := arn.Parse(x.StateMachineARN)
	if err != nil {
		return nil, internal("describe state machine for execution", err)
	}
	out := &DescribeStateMachineForExecutionOutput{
		StateMachineArn:      x.StateMachineARN,
		Name:                 a.StateMachine,
		Definition:           x.Definition,
		RoleArn:              x.RoleARN,
		UpdateDate:           NewTimestamp(x.StartDate),
		LoggingConfiguration: decodeLogging(nil),
		TracingConfiguration: decodeTracing(nil),
		RevisionID:           x.RevisionID,
		VariableReferences:   VariableReferences(x.Definition),
	}
	// The machine's settings as they are now, if it still exists.
	if sm, err := s.store.GetStateMachine(ctx, x.StateMachineARN); err == nil {
		out.UpdateDate = NewTimestamp(sm.CreationDate)
		if !sm.UpdateDate.IsZero() {
			out.UpdateDate = NewTimestamp(sm.UpdateDate)
		}
		out.LoggingConfiguration = decodeLogging(sm.LoggingConfiguration)
		out.TracingConfiguration = decodeTracing(sm.TracingConfiguration)
	}
	return out, nil
}
