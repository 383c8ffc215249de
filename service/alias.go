package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/store"
)

// CreateStateMachineAliasInput is the request of CreateStateMachineAlias.
type CreateStateMachineAliasInput struct {
	Name                 string                         `json:"name"`
	Description          string                         `json:"description,omitempty"`
	RoutingConfiguration []RoutingConfigurationListItem `json:"routingConfiguration"`
}

// CreateStateMachineAliasOutput is the response of CreateStateMachineAlias.
type CreateStateMachineAliasOutput struct {
	StateMachineAliasArn string    `json:"stateMachineAliasArn"`
	CreationDate         Timestamp `json:"creationDate"`
}

// DescribeStateMachineAliasInput is the request of
// DescribeStateMachineAlias.
type DescribeStateMachineAliasInput struct {
	StateMachineAliasArn string `json:"stateMachineAliasArn"`
}

// DescribeStateMachineAliasOutput is the response of
// DescribeStateMachineAlias.
type DescribeStateMachineAliasOutput struct {
	StateMachineAliasArn string                         `json:"stateMachineAliasArn"`
	Name                 string                         `json:"name"`
	Description          string                         `json:"description,omitempty"`
	RoutingConfiguration []RoutingConfigurationListItem `json:"routingConfiguration"`
	CreationDate         Timestamp                      `json:"creationDate"`
	UpdateDate           Timestamp                      `json:"updateDate,omitzero"`
}

// UpdateStateMachineAliasInput is the request of UpdateStateMachineAlias.
// Nil fields are left unchanged.
type UpdateStateMachineAliasInput struct {
	StateMachineAliasArn string                         `json:"stateMachineAliasArn"`
	Description          *string                        `json:"description,omitempty"`
	RoutingConfiguration []RoutingConfigurationListItem `json:"routingConfiguration,omitempty"`
}

// UpdateStateMachineAliasOutput is the response of UpdateStateMachineAlias.
type UpdateStateMachineAliasOutput struct {
	UpdateDate Timestamp `json:"updateDate"`
}

// DeleteStateMachineAliasInput is the request of DeleteStateMachineAlias.
type DeleteStateMachineAliasInput struct {
	StateMachineAliasArn string `json:"stateMachineAliasArn"`
}

// DeleteStateMachineAliasOutput is the (empty) response of
// DeleteStateMachineAlias.
type DeleteStateMachineAliasOutput struct{}

// ListStateMachineAliasesInput is the request of ListStateMachineAliases.
type ListStateMachineAliasesInput struct {
	StateMachineArn string `json:"stateMachineArn"`
	MaxResults      int    `json:"maxResults,omitempty"`
	NextToken       string `json:"nextToken,omitempty"`
}

// StateMachineAliasListItem is one alias in ListStateMachineAliases.
type StateMachineAliasListItem struct {
	StateMachineAliasArn string    `json:"stateMachineAliasArn"`
	CreationDate         Timestamp `json:"creationDate"`
}

// ListStateMachineAliasesOutput is the response of ListStateMachineAliases.
type ListStateMachineAliasesOutput struct {
	StateMachineAliases []StateMachineAliasListItem `json:"stateMachineAliases"`
	NextToken           string                      `json:"nextToken,omitempty"`
}

// CreateStateMachineAlias creates an alias routing to one or two versions of
// a state machine. Creating it again with the same settings returns it.
func (s *Service) CreateStateMachineAlias(ctx context.Context, in *CreateStateMachineAliasInput) (*CreateStateMachineAliasOutput, error) {
	if in.Name == "" {
		return nil, validationNull("name")
	}
	if !arn.ValidAliasName(in.Name) {
		return nil, invalidName(in.Name)
	}
	if err := checkLength(in.Description, "description", 256); err != nil {
		return nil, err
	}
	if in.RoutingConfiguration == nil {
		return nil, validationNull("routingConfiguration")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	smARN, routing, err := s.checkRouting(ctx, in.RoutingConfiguration)
	if err != nil {
		return nil, err
	}
	if err := s.checkNotDeleting(ctx, smARN); err != nil {
		return nil, err
	}
	a, _ := arn.Parse(smARN)
	a.Kind, a.Name = arn.KindAlias, in.Name
	aliasARN := a.String()
	now := s.clock()
	al, err := s.store.CreateAlias(ctx, &store.CreateAliasParams{Alias: store.Alias{
		ARN: aliasARN, StateMachineARN: smARN, Name: in.Name, Description: in.Description,
		RoutingConfiguration: routing, CreationDate: now, UpdateDate: now,
	}})
	switch {
	case errors.Is(err, store.ErrAlreadyExists):
		old, gerr := s.store.GetAlias(ctx, aliasARN)
		if gerr == nil && old.Description == in.Description && bytes.Equal(old.RoutingConfiguration, routing) {
			return &CreateStateMachineAliasOutput{StateMachineAliasArn: aliasARN, CreationDate: NewTimestamp(old.CreationDate)}, nil
		}
		return nil, newError(CodeConflict, "Failed to create alias because an alias with the same name and a different routing configuration already exists.")
	case errors.Is(err, store.ErrNotFound):
		return nil, resourceNotFound(smARN)
	case err != nil:
		return nil, internal("create alias", err)
	}
	return &CreateStateMachineAliasOutput{StateMachineAliasArn: al.ARN, CreationDate: NewTimestamp(al.CreationDate)}, nil
}

// DescribeStateMachineAlias describes an alias.
func (s *Service) DescribeStateMachineAlias(ctx context.Context, in *DescribeStateMachineAliasInput) (*DescribeStateMachineAliasOutput, error) {
	if _, err := parseARN(in.StateMachineAliasArn, "stateMachineAliasArn", arn.KindAlias); err != nil {
		return nil, err
	}
	al, err := s.store.GetAlias(ctx, in.StateMachineAliasArn)
	if err != nil {
		return nil, notFoundAs(err, resourceNotFound(in.StateMachineAliasArn), "describe alias")
	}
	// The alias goes with its machine once a pending deletion finishes.
	if _, err := s.getMachine(ctx, al.StateMachineARN); err != nil {
		return nil, notFoundAs(err, resourceNotFound(in.StateMachineAliasArn), "describe alias")
	}
	return &DescribeStateMachineAliasOutput{
		StateMachineAliasArn: al.ARN,
		Name:                 al.Name,
		Description:          al.Description,
		RoutingConfiguration: decodeRouting(al.RoutingConfiguration),
		CreationDate:         NewTimestamp(al.CreationDate),
		UpdateDate:           NewTimestamp(al.UpdateDate),
	}, nil
}

// UpdateStateMachineAlias changes an alias's description or routing.
func (s *Service) UpdateStateMachineAlias(ctx context.Context, in *UpdateStateMachineAliasInput) (*UpdateStateMachineAliasOutput, error) {
	a, err := parseARN(in.StateMachineAliasArn, "stateMachineAliasArn", arn.KindAlias)
	if err != nil {
		return nil, err
	}
	if in.Description == nil && in.RoutingConfiguration == nil {
		return nil, newError(CodeValidation, "Either the description or the RoutingConfiguration must be specified")
	}
	if in.Description != nil {
		if err := checkLength(*in.Description, "description", 256); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.store.GetAlias(ctx, in.StateMachineAliasArn); err != nil {
		return nil, notFoundAs(err, resourceNotFound(in.StateMachineAliasArn), "update alias")
	}
	if err := s.checkNotDeleting(ctx, a.StateMachineARN()); err != nil {
		return nil, err
	}
	var routing []byte
	if in.RoutingConfiguration != nil {
		smARN, r, err := s.checkRouting(ctx, in.RoutingConfiguration)
		if err != nil {
			return nil, err
		}
		if smARN != a.StateMachineARN() {
			return nil, newError(CodeValidation, "Routing configuration must contain state machine versions of the alias's state machine: %s", a.StateMachineARN())
		}
		routing = r
	}
	now := s.clock()
	if _, err := s.store.UpdateAlias(ctx, &store.UpdateAliasParams{
		ARN: in.StateMachineAliasArn, Description: in.Description, RoutingConfiguration: routing, UpdateDate: now,
	}); err != nil {
		return nil, notFoundAs(err, resourceNotFound(in.StateMachineAliasArn), "update alias")
	}
	return &UpdateStateMachineAliasOutput{UpdateDate: NewTimestamp(now)}, nil
}

// DeleteStateMachineAlias deletes an alias.
func (s *Service) DeleteStateMachineAlias(ctx context.Context, in *DeleteStateMachineAliasInput) (*DeleteStateMachineAliasOutput, error) {
	if _, err := parseARN(in.StateMachineAliasArn, "stateMachineAliasArn", arn.KindAlias); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.store.DeleteAlias(ctx, in.StateMachineAliasArn); err != nil {
		return nil, notFoundAs(err, resourceNotFound(in.StateMachineAliasArn), "delete alias")
	}
	return &DeleteStateMachineAliasOutput{}, nil
}

// ListStateMachineAliases lists a state machine's aliases.
func (s *Service) ListStateMachineAliases(ctx context.Context, in *ListStateMachineAliasesInput) (*ListStateMachineAliasesOutput, error) {
	if _, err := parseARN(in.StateMachineArn, "stateMachineArn", arn.KindStateMachine, arn.KindVersion, arn.KindAlias); err != nil {
		return nil, err
	}
	limit, err := pageLimit(in.MaxResults)
	if err != nil {
		return nil, err
	}
	if err := checkToken(in.NextToken); err != nil {
		return nil, err
	}
	sm, err := s.getMachine(ctx, in.StateMachineArn)
	if err != nil {
		return nil, notFoundAs(err, resourceNotFound(in.StateMachineArn), "list aliases")
	}
	if sm.Status == store.StatusDeleting {
		return nil, stateMachineDeleting()
	}
	page, err := s.store.ListAliases(ctx, &store.ListAliasesParams{StateMachineARN: in.StateMachineArn, ListParams: store.ListParams{Limit: limit, NextToken: in.NextToken}})
	if err != nil {
		return nil, storeListError("list aliases", err)
	}
	out := &ListStateMachineAliasesOutput{StateMachineAliases: make([]StateMachineAliasListItem, 0, len(page.Items)), NextToken: page.NextToken}
	for _, al := range page.Items {
		out.StateMachineAliases = append(out.StateMachineAliases, StateMachineAliasListItem{StateMachineAliasArn: al.ARN, CreationDate: NewTimestamp(al.CreationDate)})
	}
	return out, nil
}

// checkNotDeleting fails with ResourceNotFound if the state machine does
// not exist and with StateMachineDeleting if it is being deleted.
func (s *Service) checkNotDeleting(ctx context.Context, smARN string) error {
	sm, err := s.getMachine(ctx, smARN)
	if err != nil {
		return notFoundAs(err, resourceNotFound(smARN), "find state machine")
	}
	if sm.Status == store.StatusDeleting {
		return stateMachineDeleting()
	}
	return nil
}

// checkRouting validates a routing configuration: one or two distinct,
// existing versions of one state machine, weights of 0–100 summing to 100.
// It returns the state machine's ARN and the configuration encoded for the
// store.
func (s *Service) checkRouting(ctx context.Context, items []RoutingConfigurationListItem) (string, []byte, error) {
	if len(items) < 1 || len(items) > 2 {
		return "", nil, validation(fmt.Sprint(len(items)), "routingConfiguration", "Member must have length less than or equal to 2 and greater than or equal to 1")
	}
	smARN := ""
	var sum int64
	for i, it := range items {
		v, err := parseARN(it.StateMachineVersionArn, fmt.Sprintf("routingConfiguration.%d.member.stateMachineVersionArn", i+1), arn.KindVersion)
		if err != nil {
			return "", nil, err
		}
		if it.Weight < 0 || it.Weight > 100 {
			return "", nil, validation(fmt.Sprint(it.Weight), fmt.Sprintf("routingConfiguration.%d.member.weight", i+1), "Member must have value less than or equal to 100 and greater than or equal to 0")
		}
		sum += it.Weight
		if smARN == "" {
			smARN = v.StateMachineARN()
		} else if smARN != v.StateMachineARN() {
			return "", nil, newError(CodeValidation, "Routing configuration must contain state machine version ARNs of the same state machine")
		}
		if i == 1 && it.StateMachineVersionArn == items[0].StateMachineVersionArn {
			return "", nil, newError(CodeValidation, "Routing configuration must contain distinct state machine version ARNs")
		}
		if _, err := s.store.GetVersion(ctx, it.StateMachineVersionArn); err != nil {
			return "", nil, notFoundAs(err, resourceNotFound(it.StateMachineVersionArn), "check routing")
		}
	}
	if sum != 100 {
		return "", nil, newError(CodeValidation, "Sum of routing configuration weights must be equal to 100")
	}
	b, err := json.Marshal(items)
	if err != nil {
		return "", nil, fmt.Errorf("encode routing configuration: %w", err)
	}
	return smARN, b, nil
}

// decodeRouting decodes a stored routing configuration.
func decodeRouting(b []byte) []RoutingConfigurationListItem {
	var items []RoutingConfigurationListItem
	_ = json.Unmarshal(b, &items)
	if items == nil {
		items = []RoutingConfigurationListItem{}
	}
	return items
}

// pickVersion chooses the version an execution started through an alias
// runs, by weight, with r in [0, 1).
func pickVersion(items []RoutingConfigurationListItem, r float64) string {
	x := r * 100
	var acc float64
	for _, it := range items {
		acc += float64(it.Weight)
		if x < acc {
			return it.StateMachineVersionArn
		}
	}
	for i := len(items) - 1; i >= 0; i-- {
		if items[i].Weight > 0 {
			return items[i].StateMachineVersionArn
		}
	}
	return ""
}
