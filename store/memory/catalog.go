package memory

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

// CreateStateMachine implements store.Store.
func (s *Store) CreateStateMachine(ctx context.Context, p *store.CreateStateMachineParams) (*store.StateMachineResult, error) {
	sm := cloneMachine(&p.StateMachine)
	if sm.ARN == "" || sm.Name == "" {
		return nil, fmt.Errorf("create state machine: needs an ARN and a name: %w", store.ErrInvalidArgument)
	}
	if sm.Status == "" {
		sm.Status = store.StatusActive
	}
	sm.UpdateDate = time.Time{}
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	if _, ok := s.machines[sm.ARN]; ok {
		return nil, fmt.Errorf("create state machine %s: %w", sm.ARN, store.ErrAlreadyExists)
	}
	m := &machine{sm: sm}
	s.machines[sm.ARN] = m
	s.addTags(sm.ARN, p.Tags)
	res := &store.StateMachineResult{StateMachine: cloneMachine(&sm)}
	if p.Publish {
		res.Version = s.publish(m, p.VersionDescription, sm.CreationDate)
	}
	return res, nil
}

// GetStateMachine implements store.Store.
func (s *Store) GetStateMachine(ctx context.Context, arn string) (*store.StateMachine, error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	m, ok := s.machines[arn]
	if !ok {
		return nil, notFound("state machine", arn)
	}
	sm := cloneMachine(&m.sm)
	return &sm, nil
}

// UpdateStateMachine implements store.Store.
func (s *Store) UpdateStateMachine(ctx context.Context, p *store.UpdateStateMachineParams) (*store.StateMachineResult, error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	m, ok := s.machines[p.ARN]
	if !ok {
		return nil, notFound("state machine", p.ARN)
	}
	sm := &m.sm
	if p.Definition != nil {
		sm.Definition = *p.Definition
	}
	if p.RoleARN != nil {
		sm.RoleARN = *p.RoleARN
	}
	if p.Description != nil {
		sm.Description = *p.Description
	}
	if p.LoggingConfiguration != nil {
		sm.LoggingConfiguration = clone(p.LoggingConfiguration)
	}
	if p.TracingConfiguration != nil {
		sm.TracingConfiguration = clone(p.TracingConfiguration)
	}
	if p.Status != nil {
		sm.Status = *p.Status
	}
	if p.RevisionID != "" {
		sm.RevisionID = p.RevisionID
	}
	sm.UpdateDate = utc(p.UpdateDate)
	res := &store.StateMachineResult{StateMachine: cloneMachine(sm)}
	if p.Publish {
		res.Version = s.publish(m, p.VersionDescription, p.UpdateDate)
	}
	return res, nil
}

// DeleteStateMachine implements store.Store.
func (s *Store) DeleteStateMachine(ctx context.Context, arn string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.machines[arn]; !ok {
		return notFound("state machine", arn)
	}
	delete(s.machines, arn)
	delete(s.tags, arn)
	maps.DeleteFunc(s.versions, func(_ string, v *store.Version) bool { return v.StateMachineARN == arn })
	maps.DeleteFunc(s.aliases, func(_ string, a *store.Alias) bool { return a.StateMachineARN == arn })
	return nil
}

// ListStateMachines implements store.Store.
func (s *Store) ListStateMachines(ctx context.Context, p *store.ListParams) (*store.Page[store.StateMachine], error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	items := make([]store.StateMachine, 0, len(s.machines))
	for _, m := range s.machines {
		items = append(items, cloneMachine(&m.sm))
	}
	slices.SortFunc(items, func(a, b store.StateMachine) int { return strings.Compare(a.ARN, b.ARN) })
	return page("statemachines", items, p,
		func(sm *store.StateMachine) []string { return []string{sm.ARN} },
		func(sm *store.StateMachine, parts []string) int { return byARN(sm.ARN, parts) })
}

// PublishVersion implements store.Store.
func (s *Store) PublishVersion(ctx context.Context, p *store.PublishVersionParams) (*store.Version, error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	m, ok := s.machines[p.StateMachineARN]
	if !ok {
		return nil, notFound("state machine", p.StateMachineARN)
	}
	if p.ExpectedRevisionID != "" && p.ExpectedRevisionID != m.sm.RevisionID {
		return nil, fmt.Errorf("publish version of %s: revision is %s, not %s: %w",
			p.StateMachineARN, m.sm.RevisionID, p.ExpectedRevisionID, store.ErrConflict)
	}
	return s.publish(m, p.Description, p.CreationDate), nil
}

// publish freezes m as a new version, or returns the newest version if it
// already froze m's revision.
func (s *Store) publish(m *machine, description string, date time.Time) *store.Version {
	var newest *store.Version
	for _, v := range s.versions {
		if v.StateMachineARN == m.sm.ARN && (newest == nil || v.Number > newest.Number) {
			newest = v
		}
	}
	if newest != nil && newest.RevisionID == m.sm.RevisionID {
		v := cloneVersion(newest)
		return &v
	}
	m.lastVersion++
	v := store.Version{
		ARN:                  m.sm.ARN + ":" + strconv.FormatInt(m.lastVersion, 10),
		StateMachineARN:      m.sm.ARN,
		Number:               m.lastVersion,
		Description:          description,
		Definition:           m.sm.Definition,
		RoleARN:              m.sm.RoleARN,
		RevisionID:           m.sm.RevisionID,
		LoggingConfiguration: clone(m.sm.LoggingConfiguration),
		TracingConfiguration: clone(m.sm.TracingConfiguration),
		CreationDate:         utc(date),
	}
	s.versions[v.ARN] = &v
	out := cloneVersion(&v)
	return &out
}

// GetVersion implements store.Store.
func (s *Store) GetVersion(ctx context.Context, arn string) (*store.Version, error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	v, ok := s.versions[arn]
	if !ok {
		return nil, notFound("version", arn)
	}
	out := cloneVersion(v)
	return &out, nil
}

// DeleteVersion implements store.Store.
func (s *Store) DeleteVersion(ctx context.Context, arn string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.versions[arn]; !ok {
		return notFound("version", arn)
	}
	delete(s.versions, arn)
	return nil
}

// ListVersions implements store.Store.
func (s *Store) ListVersions(ctx context.Context, p *store.ListVersionsParams) (*store.Page[store.Version], error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	var items []store.Version
	for _, v := range s.versions {
		if v.StateMachineARN == p.StateMachineARN {
			items = append(items, cloneVersion(v))
		}
	}
	slices.SortFunc(items, func(a, b store.Version) int { return cmp.Compare(b.Number, a.Number) })
	return page("versions", items, &p.ListParams,
		func(v *store.Version) []string { return []string{strconv.FormatInt(v.Number, 10)} },
		func(v *store.Version, parts []string) int {
			n, _ := strconv.ParseInt(parts[0], 10, 64)
			return cmp.Compare(n, v.Number)
		})
}

// CreateAlias implements store.Store.
func (s *Store) CreateAlias(ctx context.Context, p *store.CreateAliasParams) (*store.Alias, error) {
	a := cloneAlias(&p.Alias)
	if a.ARN == "" || a.Name == "" {
		return nil, fmt.Errorf("create alias: needs an ARN and a name: %w", store.ErrInvalidArgument)
	}
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	if _, ok := s.machines[a.StateMachineARN]; !ok {
		return nil, fmt.Errorf("create alias %s: %w", a.ARN, notFound("state machine", a.StateMachineARN))
	}
	if _, ok := s.aliases[a.ARN]; ok {
		return nil, fmt.Errorf("create alias %s: %w", a.ARN, store.ErrAlreadyExists)
	}
	s.aliases[a.ARN] = &a
	out := cloneAlias(&a)
	return &out, nil
}

// GetAlias implements store.Store.
func (s *Store) GetAlias(ctx context.Context, arn string) (*store.Alias, error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	a, ok := s.aliases[arn]
	if !ok {
		return nil, notFound("alias", arn)
	}
	out := cloneAlias(a)
	return &out, nil
}

// UpdateAlias implements store.Store.
func (s *Store) UpdateAlias(ctx context.Context, p *store.UpdateAliasParams) (*store.Alias, error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	a, ok := s.aliases[p.ARN]
	if !ok {
		return nil, notFound("alias", p.ARN)
	}
	if p.Description != nil {
		a.Description = *p.Description
	}
	if p.RoutingConfiguration != nil {
		a.RoutingConfiguration = clone(p.RoutingConfiguration)
	}
	a.UpdateDate = utc(p.UpdateDate)
	out := cloneAlias(a)
	return &out, nil
}

// DeleteAlias implements store.Store.
func (s *Store) DeleteAlias(ctx context.Context, arn string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.aliases[arn]; !ok {
		return notFound("alias", arn)
	}
	delete(s.aliases, arn)
	return nil
}

// ListAliases implements store.Store.
func (s *Store) ListAliases(ctx context.Context, p *store.ListAliasesParams) (*store.Page[store.Alias], error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	var items []store.Alias
	for _, a := range s.aliases {
		if a.StateMachineARN == p.StateMachineARN {
			items = append(items, cloneAlias(a))
		}
	}
	slices.SortFunc(items, func(a, b store.Alias) int { return strings.Compare(a.ARN, b.ARN) })
	return page("aliases", items, &p.ListParams,
		func(a *store.Alias) []string { return []string{a.ARN} },
		func(a *store.Alias, parts []string) int { return byARN(a.ARN, parts) })
}

// TagResource implements store.Store.
func (s *Store) TagResource(ctx context.Context, p *store.TagResourceParams) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	s.addTags(p.ResourceARN, p.Tags)
	return nil
}

func (s *Store) addTags(arn string, tags []store.Tag) {
	if len(tags) == 0 {
		return
	}
	m := s.tags[arn]
	if m == nil {
		m = make(map[string]string)
		s.tags[arn] = m
	}
	for _, t := range tags {
		m[t.Key] = t.Value
	}
}

// UntagResource implements store.Store.
func (s *Store) UntagResource(ctx context.Context, p *store.UntagResourceParams) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	for _, k := range p.Keys {
		delete(s.tags[p.ResourceARN], k)
	}
	return nil
}

// ListTags implements store.Store.
func (s *Store) ListTags(ctx context.Context, resourceARN string) ([]store.Tag, error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	tags := []store.Tag{}
	for k, v := range s.tags[resourceARN] {
		tags = append(tags, store.Tag{Key: k, Value: v})
	}
	slices.SortFunc(tags, func(a, b store.Tag) int { return strings.Compare(a.Key, b.Key) })
	return tags, nil
}

func cloneMachine(sm *store.StateMachine) store.StateMachine {
	c := *sm
	c.LoggingConfiguration = clone(sm.LoggingConfiguration)
	c.TracingConfiguration = clone(sm.TracingConfiguration)
	c.CreationDate = utc(sm.CreationDate)
	c.UpdateDate = utc(sm.UpdateDate)
	return c
}

func cloneVersion(v *store.Version) store.Version {
	c := *v
	c.LoggingConfiguration = clone(v.LoggingConfiguration)
	c.TracingConfiguration = clone(v.TracingConfiguration)
	return c
}

func cloneAlias(a *store.Alias) store.Alias {
	c := *a
	c.RoutingConfiguration = clone(a.RoutingConfiguration)
	c.CreationDate = utc(a.CreationDate)
	c.UpdateDate = utc(a.UpdateDate)
	return c
}
