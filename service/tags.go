package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/store"
)

// MaxTags is the most tags a resource may carry.
const MaxTags = 50

// TagResourceInput is the request of TagResource.
type TagResourceInput struct {
	ResourceArn string `json:"resourceArn"`
	Tags        []Tag  `json:"tags"`
}

// TagResourceOutput is the (empty) response of TagResource.
type TagResourceOutput struct{}

// UntagResourceInput is the request of UntagResource.
type UntagResourceInput struct {
	ResourceArn string   `json:"resourceArn"`
	TagKeys     []string `json:"tagKeys"`
}

// UntagResourceOutput is the (empty) response of UntagResource.
type UntagResourceOutput struct{}

// ListTagsForResourceInput is the request of ListTagsForResource.
type ListTagsForResourceInput struct {
	ResourceArn string `json:"resourceArn"`
}

// ListTagsForResourceOutput is the response of ListTagsForResource.
type ListTagsForResourceOutput struct {
	Tags []Tag `json:"tags"`
}

// TagResource adds or replaces tags of a state machine or an activity.
func (s *Service) TagResource(ctx context.Context, in *TagResourceInput) (*TagResourceOutput, error) {
	if err := s.checkTaggable(ctx, in.ResourceArn); err != nil {
		return nil, err
	}
	defer s.skipTime.Delete(in.ResourceArn)
	if in.Tags == nil {
		return nil, validationNull("tags")
	}
	tags, err := storeTags(in.Tags)
	if err != nil {
		return nil, err
	}
	have, err := s.store.ListTags(ctx, in.ResourceArn)
	if err != nil {
		return nil, internal("tag resource", err)
	}
	keys := make(map[string]bool, len(have)+len(tags))
	for _, t := range have {
		keys[t.Key] = true
	}
	for _, t := range tags {
		keys[t.Key] = true
	}
	if len(keys) > MaxTags {
		return nil, &Error{Code: CodeTooManyTags, Message: fmt.Sprintf("Too many tags: '%s' would have %d tags; the limit is %d", in.ResourceArn, len(keys), MaxTags), Resource: in.ResourceArn}
	}
	if err := s.store.TagResource(ctx, &store.TagResourceParams{ResourceARN: in.ResourceArn, Tags: tags}); err != nil {
		return nil, internal("tag resource", err)
	}
	return &TagResourceOutput{}, nil
}

// UntagResource removes tag keys from a state machine or an activity.
func (s *Service) UntagResource(ctx context.Context, in *UntagResourceInput) (*UntagResourceOutput, error) {
	if err := s.checkTaggable(ctx, in.ResourceArn); err != nil {
		return nil, err
	}
	defer s.skipTime.Delete(in.ResourceArn)
	if in.TagKeys == nil {
		return nil, validationNull("tagKeys")
	}
	for _, k := range in.TagKeys {
		if err := checkTagKey(k, "tagKeys.member"); err != nil {
			return nil, err
		}
	}
	if err := s.store.UntagResource(ctx, &store.UntagResourceParams{ResourceARN: in.ResourceArn, Keys: in.TagKeys}); err != nil {
		return nil, internal("untag resource", err)
	}
	return &UntagResourceOutput{}, nil
}

// ListTagsForResource lists a state machine's or an activity's tags.
func (s *Service) ListTagsForResource(ctx context.Context, in *ListTagsForResourceInput) (*ListTagsForResourceOutput, error) {
	if err := s.checkTaggable(ctx, in.ResourceArn); err != nil {
		return nil, err
	}
	tags, err := s.store.ListTags(ctx, in.ResourceArn)
	if err != nil {
		return nil, internal("list tags", err)
	}
	out := &ListTagsForResourceOutput{Tags: make([]Tag, 0, len(tags))}
	for _, t := range tags {
		out.Tags = append(out.Tags, Tag{Key: t.Key, Value: t.Value})
	}
	return out, nil
}

// checkTaggable checks that resource names an existing state machine or
// activity; other resources are ResourceNotFound, as on AWS.
func (s *Service) checkTaggable(ctx context.Context, resource string) error {
	a, err := parseARN(resource, "resourceArn", arn.KindStateMachine, arn.KindVersion, arn.KindAlias, arn.KindActivity, arn.KindExecution, arn.KindExpressExecution, arn.KindMapRun)
	if err != nil {
		return err
	}
	switch a.Kind {
	case arn.KindStateMachine:
		_, err = s.getMachine(ctx, resource)
	case arn.KindActivity:
		_, err = s.store.GetActivity(ctx, resource)
	default:
		return resourceNotFound(resource)
	}
	if errors.Is(err, store.ErrNotFound) {
		return resourceNotFound(resource)
	}
	if err != nil {
		return internal("find resource", err)
	}
	return nil
}

// storeTags validates tags (at most 50; keys of 1–128 and values of at most
// 256 characters) and converts them for the store.
func storeTags(tags []Tag) ([]store.Tag, error) {
	if len(tags) > MaxTags {
		return nil, &Error{Code: CodeTooManyTags, Message: fmt.Sprintf("Too many tags: %d; the limit is %d", len(tags), MaxTags)}
	}
	out := make([]store.Tag, 0, len(tags))
	for _, t := range tags {
		if err := checkTagKey(t.Key, "tags.member.key"); err != nil {
			return nil, err
		}
		if err := checkLength(t.Value, "tags.member.value", 256); err != nil {
			return nil, err
		}
		out = append(out, store.Tag{Key: t.Key, Value: t.Value})
	}
	return out, nil
}

func checkTagKey(k, member string) error {
	if k == "" {
		return validation(k, member, "Member must have length greater than or equal to 1")
	}
	return checkLength(k, member, 128)
}
