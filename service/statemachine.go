package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/store"
)

// MaxDefinitionLength is the longest definition AWS accepts, in characters.
const MaxDefinitionLength = 1048576

// CreateStateMachineInput is the request of CreateStateMachine.
type CreateStateMachineInput struct {
	Name                    string                   `json:"name"`
	Definition              string                   `json:"definition"`
	RoleArn                 string                   `json:"roleArn"`
	Type                    string                   `json:"type,omitempty"`
	LoggingConfiguration    *LoggingConfiguration    `json:"loggingConfiguration,omitempty"`
	TracingConfiguration    *TracingConfiguration    `json:"tracingConfiguration,omitempty"`
	EncryptionConfiguration *EncryptionConfiguration `json:"encryptionConfiguration,omitempty"`
	Tags                    []Tag                    `json:"tags,omitempty"`
	Publish                 bool                     `json:"publish,omitempty"`
	VersionDescription      string                   `json:"versionDescription,omitempty"`
}

// CreateStateMachineOutput is the response of CreateStateMachine.
type CreateStateMachineOutput struct {
	StateMachineArn        string    `json:"stateMachineArn"`
	CreationDate           Timestamp `json:"creationDate"`
	StateMachineVersionArn string    `json:"stateMachineVersionArn,omitempty"`
}

// DescribeStateMachineInput is the request of DescribeStateMachine.
type DescribeStateMachineInput struct {
	StateMachineArn string `json:"stateMachineArn"`
	// IncludedData is ALL_DATA (the default) or METADATA_ONLY.
	IncludedData string `json:"includedData,omitempty"`
}

// DescribeStateMachineOutput is the response of DescribeStateMachine. For a
// version ARN, StateMachineArn is the version's ARN and Description,
// RevisionID and CreationDate are the version's.
type DescribeStateMachineOutput struct {
	StateMachineArn      string                `json:"stateMachineArn"`
	Name                 string                `json:"name"`
	Status               string                `json:"status,omitempty"`
	Definition           string                `json:"definition"`
	RoleArn              string                `json:"roleArn"`
	Type                 string                `json:"type"`
	CreationDate         Timestamp             `json:"creationDate"`
	LoggingConfiguration *LoggingConfiguration `json:"loggingConfiguration,omitempty"`
	TracingConfiguration *TracingConfiguration `json:"tracingConfiguration,omitempty"`
	RevisionID           string                `json:"revisionId,omitempty"`
	Description          string                `json:"description,omitempty"`
	// VariableReferences lists, per state, the workflow variables it
	// reads (see VariableReferences).
	VariableReferences map[string][]string `json:"variableReferences,omitempty"`
}

// UpdateStateMachineInput is the request of UpdateStateMachine. Nil fields
// are left unchanged.
type UpdateStateMachineInput struct {
	StateMachineArn         string                   `json:"stateMachineArn"`
	Definition              *string                  `json:"definition,omitempty"`
	RoleArn                 *string                  `json:"roleArn,omitempty"`
	LoggingConfiguration    *LoggingConfiguration    `json:"loggingConfiguration,omitempty"`
	TracingConfiguration    *TracingConfiguration    `json:"tracingConfiguration,omitempty"`
	EncryptionConfiguration *EncryptionConfiguration `json:"encryptionConfiguration,omitempty"`
	Publish                 bool                     `json:"publish,omitempty"`
	VersionDescription      string                   `json:"versionDescription,omitempty"`
}

// UpdateStateMachineOutput is the response of UpdateStateMachine.
type UpdateStateMachineOutput struct {
	UpdateDate             Timestamp `json:"updateDate"`
	RevisionID             string    `json:"revisionId,omitempty"`
	StateMachineVersionArn string    `json:"stateMachineVersionArn,omitempty"`
}

// DeleteStateMachineInput is the request of DeleteStateMachine.
type DeleteStateMachineInput struct {
	StateMachineArn string `json:"stateMachineArn"`
}

// DeleteStateMachineOutput is the (empty) response of DeleteStateMachine.
type DeleteStateMachineOutput struct{}

// ListStateMachinesInput is the request of ListStateMachines.
type ListStateMachinesInput struct {
	MaxResults int    `json:"maxResults,omitempty"`
	NextToken  string `json:"nextToken,omitempty"`
}

// StateMachineListItem is one state machine in ListStateMachines.
type StateMachineListItem struct {
	StateMachineArn string    `json:"stateMachineArn"`
	Name            string    `json:"name"`
	Type            string    `json:"type"`
	CreationDate    Timestamp `json:"creationDate"`
}

// ListStateMachinesOutput is the response of ListStateMachines.
type ListStateMachinesOutput struct {
	StateMachines []StateMachineListItem `json:"stateMachines"`
	NextToken     string                 `json:"nextToken,omitempty"`
}

// CreateStateMachine creates a state machine (and, with Publish, its first
// version). Creating one that exists with identical settings returns it
// again, as AWS does; different settings fail with
// StateMachineAlreadyExists.
func (s *Service) CreateStateMachine(ctx context.Context, in *CreateStateMachineInput) (*CreateStateMachineOutput, error) {
	if in.Name == "" {
		return nil, validationNull("name")
	}
	if in.Definition == "" {
		return nil, validationNull("definition")
	}
	if in.RoleArn == "" {
		return nil, validationNull("roleArn")
	}
	if !arn.ValidName(in.Name) {
		return nil, invalidName(in.Name)
	}
	typ := in.Type
	if typ == "" {
		typ = store.TypeStandard
	}
	if typ != store.TypeStandard && typ != store.TypeExpress {
		return nil, validation(in.Type, "type", "Member must satisfy enum value set: [STANDARD, EXPRESS]")
	}
	if in.VersionDescription != "" && !in.Publish {
		return nil, newError(CodeValidation, "Version description can only be set when publish is true")
	}
	if err := checkLength(in.VersionDescription, "versionDescription", 256); err != nil {
		return nil, err
	}
	if err := checkRoleARN(in.RoleArn); err != nil {
		return nil, err
	}
	logging, err := loggingBytes(in.LoggingConfiguration)
	if err != nil {
		return nil, err
	}
	tracing := tracingBytes(in.TracingConfiguration)
	if err := checkDefinition(in.Definition, typ); err != nil {
		return nil, err
	}
	tags, err := storeTags(in.Tags)
	if err != nil {
		return nil, err
	}

	smARN := s.arns.StateMachine(in.Name)
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &store.CreateStateMachineParams{
		StateMachine: store.StateMachine{
			ARN:                  smARN,
			Name:                 in.Name,
			Type:                 typ,
			Definition:           in.Definition,
			RoleARN:              in.RoleArn,
			LoggingConfiguration: logging,
			TracingConfiguration: tracing,
			Status:               store.StatusActive,
			CreationDate:         now,
		},
		Tags:               tags,
		Publish:            in.Publish,
		VersionDescription: in.VersionDescription,
	}
	defer s.machines.forget(smARN)
	res, err := s.store.CreateStateMachine(ctx, p)
	if errors.Is(err, store.ErrAlreadyExists) {
		// The name may belong to a DELETING machine whose executions have
		// all ended: finish its deletion and take the name.
		gone, ferr := s.finishDeletion(ctx, smARN)
		if ferr != nil {
			return nil, ferr
		}
		if gone {
			res, err = s.store.CreateStateMachine(ctx, p)
		}
	}
	if errors.Is(err, store.ErrAlreadyExists) {
		return s.createAgain(ctx, smARN, typ, in, logging, tracing)
	}
	if err != nil {
		return nil, internal("create state machine", err)
	}
	out := &CreateStateMachineOutput{StateMachineArn: smARN, CreationDate: NewTimestamp(res.StateMachine.CreationDate)}
	if res.Version != nil {
		out.StateMachineVersionArn = res.Version.ARN
	}
	return out, nil
}

// createAgain answers a CreateStateMachine whose name is taken: identical
// settings return the existing machine, others StateMachineAlreadyExists; a
// machine being deleted is StateMachineDeleting.
func (s *Service) createAgain(ctx context.Context, smARN, typ string, in *CreateStateMachineInput, logging, tracing []byte) (*CreateStateMachineOutput, error) {
	sm, err := s.store.GetStateMachine(ctx, smARN)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, newError(CodeStateMachineAlreadyExists, "State Machine Already Exists: '%s'", smARN)
		}
		return nil, internal("create state machine", err)
	}
	if sm.Status == store.StatusDeleting {
		return nil, stateMachineDeleting()
	}
	same := sm.Definition == in.Definition && sm.RoleARN == in.RoleArn && sm.Type == typ &&
		bytes.Equal(defaultLogging(sm.LoggingConfiguration), defaultLogging(logging)) &&
		bytes.Equal(defaultTracing(sm.TracingConfiguration), defaultTracing(tracing)) && !in.Publish
	if !same {
		return nil, newError(CodeStateMachineAlreadyExists, "State Machine Already Exists: '%s'", smARN)
	}
	return &CreateStateMachineOutput{StateMachineArn: smARN, CreationDate: NewTimestamp(sm.CreationDate)}, nil
}

// DescribeStateMachine describes a state machine or one of its versions.
func (s *Service) DescribeStateMachine(ctx context.Context, in *DescribeStateMachineInput) (*DescribeStateMachineOutput, error) {
	a, err := parseARN(in.StateMachineArn, "stateMachineArn", arn.KindStateMachine, arn.KindVersion, arn.KindAlias)
	if err != nil {
		return nil, err
	}
	if err := checkIncludedData(in.IncludedData); err != nil {
		return nil, err
	}
	switch a.Kind {
	case arn.KindVersion:
		v, err := s.store.GetVersion(ctx, in.StateMachineArn)
		if err != nil {
			return nil, notFoundAs(err, stateMachineDoesNotExist(in.StateMachineArn), "describe state machine")
		}
		sm, err := s.getMachine(ctx, v.StateMachineARN)
		if err != nil {
			return nil, notFoundAs(err, stateMachineDoesNotExist(in.StateMachineArn), "describe state machine")
		}
		return &DescribeStateMachineOutput{
			StateMachineArn:      v.ARN,
			Name:                 sm.Name,
			Status:               statusOr(sm.Status), // a version shows its machine's DELETING
			Definition:           v.Definition,
			RoleArn:              v.RoleARN,
			Type:                 sm.Type,
			CreationDate:         NewTimestamp(v.CreationDate),
			LoggingConfiguration: decodeLogging(v.LoggingConfiguration),
			TracingConfiguration: decodeTracing(v.TracingConfiguration),
			RevisionID:           v.RevisionID,
			Description:          v.Description,
			VariableReferences:   VariableReferences(v.Definition),
		}, nil
	case arn.KindAlias:
		return nil, stateMachineDoesNotExist(in.StateMachineArn)
	}
	sm, err := s.getMachine(ctx, in.StateMachineArn)
	if err != nil {
		return nil, notFoundAs(err, stateMachineDoesNotExist(in.StateMachineArn), "describe state machine")
	}
	return &DescribeStateMachineOutput{
		StateMachineArn:      sm.ARN,
		Name:                 sm.Name,
		Status:               statusOr(sm.Status),
		Definition:           sm.Definition,
		RoleArn:              sm.RoleARN,
		Type:                 sm.Type,
		CreationDate:         NewTimestamp(sm.CreationDate),
		LoggingConfiguration: decodeLogging(sm.LoggingConfiguration),
		TracingConfiguration: decodeTracing(sm.TracingConfiguration),
		RevisionID:           sm.RevisionID,
		Description:          sm.Description,
		VariableReferences:   VariableReferences(sm.Definition),
	}, nil
}

// UpdateStateMachine changes a state machine's definition, role, logging or
// tracing, and with Publish publishes a version of the result. A change
// gives the machine a new revision id; an update that changes nothing
// keeps it.
func (s *Service) UpdateStateMachine(ctx context.Context, in *UpdateStateMachineInput) (*UpdateStateMachineOutput, error) {
	if _, err := parseARN(in.StateMachineArn, "stateMachineArn", arn.KindStateMachine, arn.KindVersion, arn.KindAlias); err != nil {
		return nil, err
	}
	if in.Definition == nil && in.RoleArn == nil && in.LoggingConfiguration == nil && in.TracingConfiguration == nil && in.EncryptionConfiguration == nil {
		return nil, newError(CodeMissingRequiredParameter, "Either the definition, the role ARN, the LoggingConfiguration, the EncryptionConfiguration or the TracingConfiguration must be specified")
	}
	if in.VersionDescription != "" && !in.Publish {
		return nil, newError(CodeValidation, "Version description can only be set when publish is true")
	}
	if err := checkLength(in.VersionDescription, "versionDescription", 256); err != nil {
		return nil, err
	}
	if in.RoleArn != nil {
		if err := checkRoleARN(*in.RoleArn); err != nil {
			return nil, err
		}
	}
	logging, err := loggingBytes(in.LoggingConfiguration)
	if err != nil {
		return nil, err
	}
	tracing := tracingBytes(in.TracingConfiguration)

	s.mu.Lock()
	defer s.mu.Unlock()
	sm, err := s.getMachine(ctx, in.StateMachineArn)
	if err != nil {
		return nil, notFoundAs(err, stateMachineDoesNotExist(in.StateMachineArn), "update state machine")
	}
	if sm.Status == store.StatusDeleting {
		return nil, stateMachineDeleting()
	}
	if in.Definition != nil {
		if err := checkDefinition(*in.Definition, sm.Type); err != nil {
			return nil, err
		}
	}
	changed := in.Definition != nil && *in.Definition != sm.Definition ||
		in.RoleArn != nil && *in.RoleArn != sm.RoleARN ||
		logging != nil && !bytes.Equal(logging, defaultLogging(sm.LoggingConfiguration)) ||
		tracing != nil && !bytes.Equal(tracing, defaultTracing(sm.TracingConfiguration))
	now := s.clock()
	p := &store.UpdateStateMachineParams{
		ARN:                  sm.ARN,
		Definition:           in.Definition,
		RoleARN:              in.RoleArn,
		LoggingConfiguration: logging,
		TracingConfiguration: tracing,
		UpdateDate:           now,
		Publish:              in.Publish,
		VersionDescription:   in.VersionDescription,
	}
	if changed {
		p.RevisionID = s.newID()
	}
	defer s.machines.forget(p.ARN)
	res, err := s.store.UpdateStateMachine(ctx, p)
	if err != nil {
		return nil, notFoundAs(err, stateMachineDoesNotExist(in.StateMachineArn), "update state machine")
	}
	out := &UpdateStateMachineOutput{UpdateDate: NewTimestamp(now), RevisionID: res.StateMachine.RevisionID}
	if res.Version != nil {
		out.StateMachineVersionArn = res.Version.ARN
	}
	return out, nil
}

// DeleteStateMachine marks a state machine DELETING and deletes it with its
// versions, aliases and tags once none of its executions runs (at once if
// none does; see getMachine). Deleting one that does not exist, or again,
// succeeds, as on AWS.
func (s *Service) DeleteStateMachine(ctx context.Context, in *DeleteStateMachineInput) (*DeleteStateMachineOutput, error) {
	defer s.skipTime.Delete(in.StateMachineArn)
	a, err := parseARN(in.StateMachineArn, "stateMachineArn", arn.KindStateMachine, arn.KindVersion, arn.KindAlias)
	if err != nil {
		return nil, err
	}
	if a.Kind != arn.KindStateMachine {
		return nil, newError(CodeValidation, "Deleting a qualified state machine ARN is not supported: use DeleteStateMachineVersion or DeleteStateMachineAlias")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sm, err := s.store.GetStateMachine(ctx, in.StateMachineArn)
	if errors.Is(err, store.ErrNotFound) {
		return &DeleteStateMachineOutput{}, nil
	}
	if err != nil {
		return nil, internal("delete state machine", err)
	}
	if sm.Status != store.StatusDeleting {
		deleting := store.StatusDeleting
		_, err := s.store.UpdateStateMachine(ctx, &store.UpdateStateMachineParams{ARN: sm.ARN, Status: &deleting, UpdateDate: sm.UpdateDate})
		s.machines.forget(sm.ARN)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, internal("delete state machine", err)
		}
		if s.runtime != nil && sm.Type != store.TypeExpress {
			s.runtime.StateMachineDeleting(sm.ARN, true)
		}
	}
	if _, err := s.finishDeletion(ctx, in.StateMachineArn); err != nil {
		return nil, err
	}
	return &DeleteStateMachineOutput{}, nil
}

// ListStateMachines lists state machines in ascending ARN order, DELETING
// ones included until their deletion finishes (a page may then hold fewer
// than maxResults).
func (s *Service) ListStateMachines(ctx context.Context, in *ListStateMachinesInput) (*ListStateMachinesOutput, error) {
	limit, err := pageLimit(in.MaxResults)
	if err != nil {
		return nil, err
	}
	if err := checkToken(in.NextToken); err != nil {
		return nil, err
	}
	page, err := s.store.ListStateMachines(ctx, &store.ListParams{Limit: limit, NextToken: in.NextToken})
	if err != nil {
		return nil, storeListError("list state machines", err)
	}
	out := &ListStateMachinesOutput{StateMachines: make([]StateMachineListItem, 0, len(page.Items)), NextToken: page.NextToken}
	for _, sm := range page.Items {
		if sm.Status == store.StatusDeleting {
			// Listed until its deletion finishes (its executions run).
			gone, err := s.finishDeletion(ctx, sm.ARN)
			if err != nil {
				return nil, err
			}
			if gone {
				continue
			}
		}
		out.StateMachines = append(out.StateMachines, StateMachineListItem{
			StateMachineArn: sm.ARN, Name: sm.Name, Type: sm.Type, CreationDate: NewTimestamp(sm.CreationDate),
		})
	}
	return out, nil
}

// checkDefinition validates a definition for a state machine of type typ:
// InvalidDefinition with AWS's message when it has errors.
func checkDefinition(def, typ string) error {
	if len([]rune(def)) > MaxDefinitionLength {
		return validation("…", "definition", fmt.Sprintf("Member must have length less than or equal to %d", MaxDefinitionLength))
	}
	_, diags := asl.Check([]byte(def), asl.ValidateOptions{Type: typ})
	if asl.HasErrors(diags) {
		return newError(CodeInvalidDefinition, "%s", asl.FormatInvalidDefinition(diags))
	}
	return nil
}

// checkRoleARN checks that a role ARN is an ARN: arn:PARTITION:SERVICE:…
// with six parts.
func checkRoleARN(role string) error {
	if err := checkLength(role, "roleArn", 256); err != nil {
		return err
	}
	if len(role) < 4 || role[:4] != "arn:" {
		return invalidArn("Invalid ARN prefix: " + role)
	}
	n := 0
	for i := 0; i < len(role); i++ {
		if role[i] == ':' {
			n++
		}
	}
	if n < 5 {
		return invalidArn("Invalid ARN format: " + role)
	}
	return nil
}

func checkIncludedData(v string) error {
	switch v {
	case "", "ALL_DATA", "METADATA_ONLY":
		return nil
	}
	return validation(v, "includedData", "Member must satisfy enum value set: [ALL_DATA, METADATA_ONLY]")
}

// loggingBytes validates a logging configuration and encodes it for the
// store (nil when absent).
func loggingBytes(c *LoggingConfiguration) ([]byte, error) {
	if c == nil {
		return nil, nil
	}
	l := *c
	switch l.Level {
	case "":
		l.Level = "OFF"
	case "ALL", "ERROR", "FATAL", "OFF":
	default:
		return nil, validation(l.Level, "loggingConfiguration.level", "Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]")
	}
	if l.Level != "OFF" && len(l.Destinations) != 1 {
		return nil, newError(CodeInvalidLoggingConfiguration, "Invalid Logging Configuration: Must specify exactly one Log Destination.")
	}
	if len(l.Destinations) > 1 {
		return nil, newError(CodeInvalidLoggingConfiguration, "Invalid Logging Configuration: Must specify exactly one Log Destination.")
	}
	for _, d := range l.Destinations {
		if d.CloudWatchLogsLogGroup == nil || d.CloudWatchLogsLogGroup.LogGroupArn == "" {
			return nil, newError(CodeInvalidLoggingConfiguration, "Invalid Logging Configuration: Log Destination must have a CloudWatch Logs log group ARN.")
		}
	}
	b, err := json.Marshal(l)
	if err != nil {
		return nil, fmt.Errorf("encode logging configuration: %w", err)
	}
	return b, nil
}

func tracingBytes(c *TracingConfiguration) []byte {
	if c == nil {
		return nil
	}
	b, _ := json.Marshal(c)
	return b
}

var (
	offLogging      = []byte(`{"level":"OFF","includeExecutionData":false}`)
	disabledTracing = []byte(`{"enabled":false}`)
)

func defaultLogging(b []byte) []byte {
	if b == nil {
		return offLogging
	}
	return b
}

func defaultTracing(b []byte) []byte {
	if b == nil {
		return disabledTracing
	}
	return b
}

// decodeLogging returns the stored logging configuration, or AWS's default
// (level OFF).
func decodeLogging(b []byte) *LoggingConfiguration {
	l := &LoggingConfiguration{Level: "OFF"}
	if b != nil {
		_ = json.Unmarshal(b, l)
	}
	return l
}

// decodeTracing returns the stored tracing configuration, or AWS's default
// (disabled).
func decodeTracing(b []byte) *TracingConfiguration {
	t := &TracingConfiguration{}
	if b != nil {
		_ = json.Unmarshal(b, t)
	}
	return t
}

func statusOr(s string) string {
	if s == "" {
		return store.StatusActive
	}
	return s
}

// notFoundAs maps store.ErrNotFound to the API error nf and wraps anything
// else as an internal failure of op.
func notFoundAs(err error, nf *Error, op string) error {
	if errors.Is(err, store.ErrNotFound) {
		return nf
	}
	return internal(op, err)
}
