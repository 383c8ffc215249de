package service

import (
	"context"
	"errors"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/store"
)

// CreateActivityInput is the request of CreateActivity.
type CreateActivityInput struct {
	Name                    string                   `json:"name"`
	Tags                    []Tag                    `json:"tags,omitempty"`
	EncryptionConfiguration *EncryptionConfiguration `json:"encryptionConfiguration,omitempty"`
}

// CreateActivityOutput is the response of CreateActivity.
type CreateActivityOutput struct {
	ActivityArn  string    `json:"activityArn"`
	CreationDate Timestamp `json:"creationDate"`
}

// DescribeActivityInput is the request of DescribeActivity.
type DescribeActivityInput struct {
	ActivityArn string `json:"activityArn"`
}

// DescribeActivityOutput is the response of DescribeActivity.
type DescribeActivityOutput struct {
	ActivityArn             string                   `json:"activityArn"`
	Name                    string                   `json:"name"`
	CreationDate            Timestamp                `json:"creationDate"`
	EncryptionConfiguration *EncryptionConfiguration `json:"encryptionConfiguration,omitempty"`
}

// DeleteActivityInput is the request of DeleteActivity.
type DeleteActivityInput struct {
	ActivityArn string `json:"activityArn"`
}

// DeleteActivityOutput is the (empty) response of DeleteActivity.
type DeleteActivityOutput struct{}

// ListActivitiesInput is the request of ListActivities.
type ListActivitiesInput struct {
	MaxResults int    `json:"maxResults,omitempty"`
	NextToken  string `json:"nextToken,omitempty"`
}

// ActivityListItem is one activity in ListActivities.
type ActivityListItem struct {
	ActivityArn  string    `json:"activityArn"`
	Name         string    `json:"name"`
	CreationDate Timestamp `json:"creationDate"`
}

// ListActivitiesOutput is the response of ListActivities.
type ListActivitiesOutput struct {
	Activities []ActivityListItem `json:"activities"`
	NextToken  string             `json:"nextToken,omitempty"`
}

// CreateActivity creates an activity; creating one that exists returns it.
func (s *Service) CreateActivity(ctx context.Context, in *CreateActivityInput) (*CreateActivityOutput, error) {
	if in.Name == "" {
		return nil, validationNull("name")
	}
	if !arn.ValidName(in.Name) {
		return nil, invalidName(in.Name)
	}
	tags, err := storeTags(in.Tags)
	if err != nil {
		return nil, err
	}
	a := s.arns.Activity(in.Name)
	act, err := s.store.CreateActivity(ctx, &store.CreateActivityParams{
		Activity: store.Activity{ARN: a, Name: in.Name, CreationDate: s.clock()},
		Tags:     tags,
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		act, err = s.store.GetActivity(ctx, a)
	}
	if err != nil {
		return nil, internal("create activity", err)
	}
	return &CreateActivityOutput{ActivityArn: act.ARN, CreationDate: NewTimestamp(act.CreationDate)}, nil
}

// DescribeActivity describes an activity.
func (s *Service) DescribeActivity(ctx context.Context, in *DescribeActivityInput) (*DescribeActivityOutput, error) {
	if _, err := parseARN(in.ActivityArn, "activityArn", arn.KindActivity); err != nil {
		return nil, err
	}
	act, err := s.store.GetActivity(ctx, in.ActivityArn)
	if err != nil {
		return nil, notFoundAs(err, newError(CodeActivityDoesNotExist, "Activity Does Not Exist: '%s'", in.ActivityArn), "describe activity")
	}
	return &DescribeActivityOutput{
		ActivityArn:             act.ARN,
		Name:                    act.Name,
		CreationDate:            NewTimestamp(act.CreationDate),
		EncryptionConfiguration: &EncryptionConfiguration{Type: "AWS_OWNED_KEY"},
	}, nil
}

// DeleteActivity deletes an activity; deleting one that does not exist
// succeeds, as on AWS.
func (s *Service) DeleteActivity(ctx context.Context, in *DeleteActivityInput) (*DeleteActivityOutput, error) {
	if _, err := parseARN(in.ActivityArn, "activityArn", arn.KindActivity); err != nil {
		return nil, err
	}
	defer s.activities.forget(in.ActivityArn)
	if err := s.store.DeleteActivity(ctx, in.ActivityArn); err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, internal("delete activity", err)
	}
	return &DeleteActivityOutput{}, nil
}

// ListActivities lists activities in ascending ARN order.
func (s *Service) ListActivities(ctx context.Context, in *ListActivitiesInput) (*ListActivitiesOutput, error) {
	limit, err := pageLimit(in.MaxResults)
	if err != nil {
		return nil, err
	}
	if err := checkToken(in.NextToken); err != nil {
		return nil, err
	}
	page, err := s.store.ListActivities(ctx, &store.ListParams{Limit: limit, NextToken: in.NextToken})
	if err != nil {
		return nil, storeListError("list activities", err)
	}
	out := &ListActivitiesOutput{Activities: make([]ActivityListItem, 0, len(page.Items)), NextToken: page.NextToken}
	for _, a := range page.Items {
		out.Activities = append(out.Activities, ActivityListItem{ActivityArn: a.ARN, Name: a.Name, CreationDate: NewTimestamp(a.CreationDate)})
	}
	return out, nil
}
