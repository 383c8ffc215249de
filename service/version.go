package service

import (
	"context"
	"errors"
	"strings"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/store"
)

// PublishStateMachineVersionInput is the request of
// PublishStateMachineVersion.
type PublishStateMachineVersionInput struct {
	StateMachineArn string `json:"stateMachineArn"`
	// RevisionID, if set, must be the state machine's current revision.
	RevisionID  string `json:"revisionId,omitempty"`
	Description string `json:"description,omitempty"`
}

// PublishStateMachineVersionOutput is the response of
// PublishStateMachineVersion.
type PublishStateMachineVersionOutput struct {
	CreationDate           Timestamp `json:"creationDate"`
	StateMachineVersionArn string    `json:"stateMachineVersionArn"`
}

// ListStateMachineVersionsInput is the request of ListStateMachineVersions.
type ListStateMachineVersionsInput struct {
	StateMachineArn string `json:"stateMachineArn"`
	MaxResults      int    `json:"maxResults,omitempty"`
	NextToken       string `json:"nextToken,omitempty"`
}

// StateMachineVersionListItem is one version in ListStateMachineVersions.
type StateMachineVersionListItem struct {
	StateMachineVersionArn string    `json:"stateMachineVersionArn"`
	CreationDate           Timestamp `json:"creationDate"`
}

// ListStateMachineVersionsOutput is the response of
// ListStateMachineVersions.
type ListStateMachineVersionsOutput struct {
	StateMachineVersions []StateMachineVersionListItem `json:"stateMachineVersions"`
	NextToken            string                        `json:"nextToken,omitempty"`
}

// DeleteStateMachineVersionInput is the request of
// DeleteStateMachineVersion.
type DeleteStateMachineVersionInput struct {
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
}

// DeleteStateMachineVersionOutput is the (empty) response of
// DeleteStateMachineVersion.
type DeleteStateMachineVersionOutput struct{}

// PublishStateMachineVersion freezes the state machine's current revision
// as a new version, or returns the newest version if it already froze it.
func (s *Service) PublishStateMachineVersion(ctx context.Context, in *PublishStateMachineVersionInput) (*PublishStateMachineVersionOutput, error) {
	if _, err := parseARN(in.StateMachineArn, "stateMachineArn", arn.KindStateMachine, arn.KindVersion, arn.KindAlias); err != nil {
		return nil, err
	}
	if err := checkLength(in.Description, "description", 256); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sm, err := s.getMachine(ctx, in.StateMachineArn)
	if err != nil {
		return nil, notFoundAs(err, stateMachineDoesNotExist(in.StateMachineArn), "publish version")
	}
	if sm.Status == store.StatusDeleting {
		return nil, stateMachineDeleting()
	}
	if in.RevisionID != "" && in.RevisionID != sm.RevisionID {
		return nil, publishConflict(in.RevisionID, sm.RevisionID)
	}
	v, err := s.store.PublishVersion(ctx, &store.PublishVersionParams{
		StateMachineARN:    in.StateMachineArn,
		Description:        in.Description,
		ExpectedRevisionID: in.RevisionID,
		CreationDate:       s.clock(),
	})
	switch {
	case errors.Is(err, store.ErrConflict):
		cur, gerr := s.store.GetStateMachine(ctx, in.StateMachineArn)
		if gerr != nil {
			return nil, notFoundAs(gerr, stateMachineDoesNotExist(in.StateMachineArn), "publish version")
		}
		return nil, publishConflict(in.RevisionID, cur.RevisionID)
	case err != nil:
		return nil, notFoundAs(err, stateMachineDoesNotExist(in.StateMachineArn), "publish version")
	}
	return &PublishStateMachineVersionOutput{CreationDate: NewTimestamp(v.CreationDate), StateMachineVersionArn: v.ARN}, nil
}

func publishConflict(want, have string) *Error {
	return newError(CodeConflict, "Failed to publish the State Machine version for revision %s. The current State Machine revision is %s.", want, have)
}

// ListStateMachineVersions lists a state machine's versions, newest first.
func (s *Service) ListStateMachineVersions(ctx context.Context, in *ListStateMachineVersionsInput) (*ListStateMachineVersionsOutput, error) {
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
	if _, err := s.getMachine(ctx, in.StateMachineArn); err != nil {
		return nil, notFoundAs(err, stateMachineDoesNotExist(in.StateMachineArn), "list versions")
	}
	page, err := s.store.ListVersions(ctx, &store.ListVersionsParams{StateMachineARN: in.StateMachineArn, ListParams: store.ListParams{Limit: limit, NextToken: in.NextToken}})
	if err != nil {
		return nil, storeListError("list versions", err)
	}
	out := &ListStateMachineVersionsOutput{StateMachineVersions: make([]StateMachineVersionListItem, 0, len(page.Items)), NextToken: page.NextToken}
	for _, v := range page.Items {
		out.StateMachineVersions = append(out.StateMachineVersions, StateMachineVersionListItem{StateMachineVersionArn: v.ARN, CreationDate: NewTimestamp(v.CreationDate)})
	}
	return out, nil
}

// DeleteStateMachineVersion deletes a version that no alias routes to.
// Deleting a version that does not exist succeeds, as on AWS.
func (s *Service) DeleteStateMachineVersion(ctx context.Context, in *DeleteStateMachineVersionInput) (*DeleteStateMachineVersionOutput, error) {
	a, err := parseARN(in.StateMachineVersionArn, "stateMachineVersionArn", arn.KindVersion)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	names, err := s.aliasesRoutingTo(ctx, a.StateMachineARN(), in.StateMachineVersionArn)
	if err != nil {
		return nil, err
	}
	if len(names) > 0 {
		return nil, newError(CodeConflict, "Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [%s]", strings.Join(names, ", "))
	}
	if err := s.store.DeleteVersion(ctx, in.StateMachineVersionArn); err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, internal("delete version", err)
	}
	return &DeleteStateMachineVersionOutput{}, nil
}

// aliasesRoutingTo returns the names of smARN's aliases that route to
// versionARN.
func (s *Service) aliasesRoutingTo(ctx context.Context, smARN, versionARN string) ([]string, error) {
	var names []string
	tok := ""
	for {
		page, err := s.store.ListAliases(ctx, &store.ListAliasesParams{StateMachineARN: smARN, ListParams: store.ListParams{Limit: store.MaxLimit, NextToken: tok}})
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, internal("list aliases", err)
		}
		for _, al := range page.Items {
			for _, r := range decodeRouting(al.RoutingConfiguration) {
				if r.StateMachineVersionArn == versionARN {
					names = append(names, al.Name)
					break
				}
			}
		}
		if page.NextToken == "" {
			return names, nil
		}
		tok = page.NextToken
	}
}
