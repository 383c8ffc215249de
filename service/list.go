package service

import (
	"context"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/store"
)

// ListExecutionsInput is the request of ListExecutions.
type ListExecutionsInput struct {
	// StateMachineArn names a state machine, a version or an alias; for a
	// version or alias only executions started through it are listed.
	StateMachineArn string `json:"stateMachineArn,omitempty"`
	StatusFilter    string `json:"statusFilter,omitempty"`
	MaxResults      int    `json:"maxResults,omitempty"`
	NextToken       string `json:"nextToken,omitempty"`
	MapRunArn       string `json:"mapRunArn,omitempty"`
	// RedriveFilter is REDRIVEN or NOT_REDRIVEN.
	RedriveFilter string `json:"redriveFilter,omitempty"`
}

// ExecutionListItem is one execution in ListExecutions.
type ExecutionListItem struct {
	ExecutionArn           string    `json:"executionArn"`
	StateMachineArn        string    `json:"stateMachineArn"`
	Name                   string    `json:"name"`
	Status                 string    `json:"status"`
	StartDate              Timestamp `json:"startDate"`
	StopDate               Timestamp `json:"stopDate,omitzero"`
	StateMachineVersionArn string    `json:"stateMachineVersionArn,omitempty"`
	StateMachineAliasArn   string    `json:"stateMachineAliasArn,omitempty"`
	RedriveCount           int       `json:"redriveCount"`
	RedriveDate            Timestamp `json:"redriveDate,omitzero"`
}

// ListExecutionsOutput is the response of ListExecutions.
type ListExecutionsOutput struct {
	Executions []ExecutionListItem `json:"executions"`
	NextToken  string              `json:"nextToken,omitempty"`
}

var executionStatuses = map[string]bool{
	store.StatusRunning: true, store.StatusSucceeded: true, store.StatusFailed: true,
	store.StatusTimedOut: true, store.StatusAborted: true, store.StatusPendingRedrive: true,
}

// ListExecutions lists a state machine's Standard executions, newest
// first.
func (s *Service) ListExecutions(ctx context.Context, in *ListExecutionsInput) (*ListExecutionsOutput, error) {
	if in.StateMachineArn == "" && in.MapRunArn == "" {
		return nil, newError(CodeValidation, "Must provide a StateMachine ARN or MapRun ARN")
	}
	if in.StateMachineArn != "" && in.MapRunArn != "" {
		return nil, newError(CodeValidation, "Only one of StateMachine ARN or MapRun ARN can be provided")
	}
	if in.MapRunArn != "" {
		if _, err := parseARN(in.MapRunArn, "mapRunArn", arn.KindMapRun); err != nil {
			return nil, err
		}
		return nil, resourceNotFound(in.MapRunArn)
	}
	a, err := parseARN(in.StateMachineArn, "stateMachineArn", arn.KindStateMachine, arn.KindVersion, arn.KindAlias)
	if err != nil {
		return nil, err
	}
	if in.StatusFilter != "" && !executionStatuses[in.StatusFilter] {
		return nil, validation(in.StatusFilter, "statusFilter", "Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]")
	}
	switch in.RedriveFilter {
	case "", "REDRIVEN", "NOT_REDRIVEN":
	default:
		return nil, validation(in.RedriveFilter, "redriveFilter", "Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]")
	}
	limit, err := pageLimit(in.MaxResults)
	if err != nil {
		return nil, err
	}
	if err := checkToken(in.NextToken); err != nil {
		return nil, err
	}
	sm, err := s.getMachine(ctx, a.StateMachineARN())
	if err != nil {
		return nil, notFoundAs(err, stateMachineDoesNotExist(in.StateMachineArn), "list executions")
	}
	if sm.Type == store.TypeExpress {
		return nil, newError(CodeStateMachineTypeNotSupported, "This operation is not supported by this type of state machine")
	}
	p := &store.ListExecutionsParams{StateMachineARN: sm.ARN, Status: in.StatusFilter, ListParams: store.ListParams{Limit: limit, NextToken: in.NextToken}}
	switch a.Kind {
	case arn.KindVersion:
		if _, err := s.store.GetVersion(ctx, in.StateMachineArn); err != nil {
			return nil, notFoundAs(err, stateMachineDoesNotExist(in.StateMachineArn), "list executions")
		}
		p.VersionARN = in.StateMachineArn
	case arn.KindAlias:
		if _, err := s.store.GetAlias(ctx, in.StateMachineArn); err != nil {
			return nil, notFoundAs(err, stateMachineDoesNotExist(in.StateMachineArn), "list executions")
		}
		p.AliasARN = in.StateMachineArn
	}
	page, err := s.store.ListExecutions(ctx, p)
	if err != nil {
		return nil, storeListError("list executions", err)
	}
	out := &ListExecutionsOutput{Executions: make([]ExecutionListItem, 0, len(page.Items)), NextToken: page.NextToken}
	for _, x := range page.Items {
		if in.RedriveFilter == "REDRIVEN" && x.RedriveCount == 0 || in.RedriveFilter == "NOT_REDRIVEN" && x.RedriveCount > 0 {
			continue
		}
		item := ExecutionListItem{
			ExecutionArn:           x.ARN,
			StateMachineArn:        x.StateMachineARN,
			Name:                   x.Name,
			Status:                 x.Status,
			StartDate:              NewTimestamp(x.StartDate),
			StateMachineVersionArn: x.VersionARN,
			StateMachineAliasArn:   x.AliasARN,
			RedriveCount:           x.RedriveCount,
			RedriveDate:            NewTimestamp(x.RedriveDate),
		}
		if x.Status != store.StatusRunning {
			item.StopDate = NewTimestamp(x.StopDate)
		}
		out.Executions = append(out.Executions, item)
	}
	return out, nil
}
