package api_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

func TestStateMachineLifecycle(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	c := e.client

	created := e.createSM(t, "machine-1", passDef, func(in *sfn.CreateStateMachineInput) {
		in.Tags = []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}}
	})
	wantARN := "arn:aws:states:us-east-1:123456789012:stateMachine:machine-1"
	if aws.ToString(created.StateMachineArn) != wantARN || created.CreationDate == nil || created.StateMachineVersionArn != nil {
		t.Fatalf("CreateStateMachine = %+v", created)
	}
	// Identical settings: the same machine again. Other settings: AlreadyExists.
	again := e.createSM(t, "machine-1", passDef)
	if !again.CreationDate.Equal(*created.CreationDate) {
		t.Errorf("idempotent create changed the creation date")
	}
	_, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("machine-1"), Definition: aws.String(failDef), RoleArn: aws.String(roleARN)})
	var exists *types.StateMachineAlreadyExists
	if !errors.As(err, &exists) || !strings.Contains(err.Error(), "State Machine Already Exists: '"+wantARN+"'") {
		t.Errorf("create with another definition: %v", err)
	}

	d, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: created.StateMachineArn})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.Name) != "machine-1" || d.Type != types.StateMachineTypeStandard || d.Status != types.StateMachineStatusActive ||
		aws.ToString(d.Definition) != passDef || aws.ToString(d.RoleArn) != roleARN || d.RevisionId != nil ||
		d.LoggingConfiguration == nil || d.LoggingConfiguration.Level != types.LogLevelOff || d.TracingConfiguration == nil || d.TracingConfiguration.Enabled {
		t.Errorf("DescribeStateMachine = %+v", d)
	}

	// An update that changes nothing keeps the (empty) revision; a change
	// sets one and publishing freezes it.
	up, err := c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: created.StateMachineArn, Definition: aws.String(passDef)})
	if err != nil || up.RevisionId != nil || up.UpdateDate == nil {
		t.Fatalf("no-op update = %+v, %v", up, err)
	}
	up, err = c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: created.StateMachineArn, Definition: aws.String(failDef), Publish: true, VersionDescription: aws.String("v1")})
	if err != nil || up.RevisionId == nil || aws.ToString(up.StateMachineVersionArn) != wantARN+":1" {
		t.Fatalf("update with publish = %+v, %v", up, err)
	}
	dv, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: up.StateMachineVersionArn})
	if err != nil || aws.ToString(dv.StateMachineArn) != wantARN+":1" || aws.ToString(dv.Description) != "v1" || aws.ToString(dv.Definition) != failDef || aws.ToString(dv.RevisionId) != aws.ToString(up.RevisionId) {
		t.Fatalf("describe version = %+v, %v", dv, err)
	}
	// Publishing the same revision returns the same version; a stale
	// revision id is a conflict.
	pub, err := c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: created.StateMachineArn})
	if err != nil || aws.ToString(pub.StateMachineVersionArn) != wantARN+":1" {
		t.Fatalf("publish again = %+v, %v", pub, err)
	}
	_, err = c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: created.StateMachineArn, RevisionId: aws.String("stale")})
	var conflict *types.ConflictException
	if !errors.As(err, &conflict) {
		t.Errorf("publish stale revision: %v", err)
	}
	if _, err := c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: created.StateMachineArn, Definition: aws.String(passDef)}); err != nil {
		t.Fatal(err)
	}
	pub, err = c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: created.StateMachineArn, Description: aws.String("v2")})
	if err != nil || aws.ToString(pub.StateMachineVersionArn) != wantARN+":2" {
		t.Fatalf("publish v2 = %+v, %v", pub, err)
	}
	vers, err := c.ListStateMachineVersions(ctx, &sfn.ListStateMachineVersionsInput{StateMachineArn: created.StateMachineArn})
	if err != nil || len(vers.StateMachineVersions) != 2 || aws.ToString(vers.StateMachineVersions[0].StateMachineVersionArn) != wantARN+":2" {
		t.Fatalf("ListStateMachineVersions = %+v, %v", vers, err)
	}

	// Aliases.
	al, err := c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{
		Name: aws.String("prod"), Description: aws.String("production"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: aws.String(wantARN + ":1"), Weight: 100}},
	})
	if err != nil || aws.ToString(al.StateMachineAliasArn) != wantARN+":prod" {
		t.Fatalf("CreateStateMachineAlias = %+v, %v", al, err)
	}
	if _, err := c.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{
		StateMachineAliasArn: al.StateMachineAliasArn,
		RoutingConfiguration: []types.RoutingConfigurationListItem{
			{StateMachineVersionArn: aws.String(wantARN + ":1"), Weight: 30},
			{StateMachineVersionArn: aws.String(wantARN + ":2"), Weight: 70},
		},
	}); err != nil {
		t.Fatal(err)
	}
	da, err := c.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn})
	if err != nil || aws.ToString(da.Name) != "prod" || aws.ToString(da.Description) != "production" || len(da.RoutingConfiguration) != 2 || da.RoutingConfiguration[1].Weight != 70 {
		t.Fatalf("DescribeStateMachineAlias = %+v, %v", da, err)
	}
	las, err := c.ListStateMachineAliases(ctx, &sfn.ListStateMachineAliasesInput{StateMachineArn: created.StateMachineArn})
	if err != nil || len(las.StateMachineAliases) != 1 {
		t.Fatalf("ListStateMachineAliases = %+v, %v", las, err)
	}
	_, err = c.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(wantARN + ":1")})
	if !errors.As(err, &conflict) || !strings.Contains(err.Error(), "[prod]") {
		t.Errorf("delete routed version: %v", err)
	}
	for _, bad := range [][]types.RoutingConfigurationListItem{
		{{StateMachineVersionArn: aws.String(wantARN + ":1"), Weight: 50}},
		{{StateMachineVersionArn: aws.String(wantARN + ":1"), Weight: 50}, {StateMachineVersionArn: aws.String(wantARN + ":1"), Weight: 50}},
	} {
		_, err := c.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn, RoutingConfiguration: bad})
		var ve *types.ValidationException
		if !errors.As(err, &ve) {
			t.Errorf("routing %v: %v", bad, err)
		}
	}
	_, err = c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{
		Name: aws.String("gone"), RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: aws.String(wantARN + ":9"), Weight: 100}},
	})
	var rnf *types.ResourceNotFound
	if !errors.As(err, &rnf) {
		t.Errorf("alias to a missing version: %v", err)
	}
	if _, err := c.DeleteStateMachineAlias(ctx, &sfn.DeleteStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(wantARN + ":1")}); err != nil {
		t.Fatal(err)
	}

	// Tags.
	if _, err := c.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: created.StateMachineArn, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(ctx, &sfn.UntagResourceInput{ResourceArn: created.StateMachineArn, TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: created.StateMachineArn})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "env" {
		t.Fatalf("ListTagsForResource = %+v, %v", tags, err)
	}
	_, err = c.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: aws.String(wantARN + ":2"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	if !errors.As(err, &rnf) {
		t.Errorf("tag a version: %v", err)
	}

	// Listing, with pagination.
	e.createSM(t, "machine-2", passDef)
	e.createSM(t, "machine-3", passDef, func(in *sfn.CreateStateMachineInput) { in.Type = types.StateMachineTypeExpress })
	var names []string
	var tok *string
	for {
		l, err := c.ListStateMachines(ctx, &sfn.ListStateMachinesInput{MaxResults: 2, NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range l.StateMachines {
			names = append(names, aws.ToString(it.Name)+"/"+string(it.Type))
		}
		if tok = l.NextToken; tok == nil {
			break
		}
	}
	if got := strings.Join(names, ","); got != "machine-1/STANDARD,machine-2/STANDARD,machine-3/EXPRESS" {
		t.Errorf("ListStateMachines = %s", got)
	}

	if _, err := c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: created.StateMachineArn}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: created.StateMachineArn})
	var dne *types.StateMachineDoesNotExist
	if !errors.As(err, &dne) {
		t.Errorf("describe deleted: %v", err)
	}
	// Deleting again succeeds, as on AWS.
	if _, err := c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: created.StateMachineArn}); err != nil {
		t.Errorf("delete again: %v", err)
	}
}

func TestValidateStateMachineDefinition(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	out, err := e.client.ValidateStateMachineDefinition(ctx, &sfn.ValidateStateMachineDefinitionInput{Definition: aws.String(passDef)})
	if err != nil || out.Result != types.ValidateStateMachineDefinitionResultCodeOk || len(out.Diagnostics) != 0 || out.Truncated == nil || *out.Truncated {
		t.Fatalf("valid definition: %+v, %v", out, err)
	}
	out, err = e.client.ValidateStateMachineDefinition(ctx, &sfn.ValidateStateMachineDefinitionInput{Definition: aws.String(`{"States":{}}`)})
	if err != nil || out.Result != types.ValidateStateMachineDefinitionResultCodeFail || len(out.Diagnostics) == 0 {
		t.Fatalf("invalid definition: %+v, %v", out, err)
	}
	d := out.Diagnostics[0]
	if d.Severity != types.ValidateStateMachineDefinitionSeverityError || aws.ToString(d.Code) != "SCHEMA_VALIDATION_FAILED" || aws.ToString(d.Location) != "/" {
		t.Errorf("diagnostic = %+v", d)
	}
	_, err = e.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("bad"), Definition: aws.String(`{"States":{}}`), RoleArn: aws.String(roleARN)})
	var inv *types.InvalidDefinition
	if !errors.As(err, &inv) || !strings.Contains(err.Error(), "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED") {
		t.Errorf("create invalid: %v", err)
	}
}

func TestTestState(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	out, err := e.client.TestState(ctx, &sfn.TestStateInput{
		Definition:      aws.String(`{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($.a, 1)"},"Next":"After"}`),
		Input:           aws.String(`{"a":41}`),
		InspectionLevel: types.InspectionLevelDebug,
		RoleArn:         aws.String(roleARN),
	}, func(o *sfn.Options) { o.APIOptions = append(o.APIOptions, noHostPrefix) })
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != types.TestExecutionStatusSucceeded || aws.ToString(out.Output) != `{"sum":42}` || aws.ToString(out.NextState) != "After" ||
		out.InspectionData == nil || aws.ToString(out.InspectionData.AfterParameters) != `{"sum":42}` {
		t.Errorf("TestState = %+v", out)
	}
	_, err = e.client.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Nope"}`), RoleArn: aws.String(roleARN)},
		func(o *sfn.Options) { o.APIOptions = append(o.APIOptions, noHostPrefix) })
	var inv *types.InvalidDefinition
	if !errors.As(err, &inv) {
		t.Errorf("TestState with a bad state: %v", err)
	}
}
