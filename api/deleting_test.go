package api_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stepwise-run/stepwise/store/sqlite"
)

// TestDeleteStateMachineWhileRunning follows a state machine with a
// running execution through DeleteStateMachine: it is DELETING (and
// refuses what AWS refuses with StateMachineDeleting) until the execution
// ends, then it is gone with its versions and aliases, and its name is free.
func TestDeleteStateMachineWhileRunning(t *testing.T) {
	st, err := sqlite.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOptions{store: st})
	c, ctx := e.client, context.Background()
	sm := e.createSM(t, "deleting", waitDef, func(in *sfn.CreateStateMachineInput) { in.Publish = true })
	smARN, v1 := sm.StateMachineArn, sm.StateMachineVersionArn
	alias, err := c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("live"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: v1, Weight: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	aliasARN := alias.StateMachineAliasArn
	run, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aliasARN, Name: aws.String("w")})
	if err != nil {
		t.Fatal(err)
	}

	for range 2 { // deleting again changes nothing
		if _, err := c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: smARN}); err != nil {
			t.Fatalf("DeleteStateMachine: %v", err)
		}
	}
	for _, a := range []*string{smARN, v1} {
		d, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: a})
		if err != nil || d.Status != types.StateMachineStatusDeleting {
			t.Fatalf("DescribeStateMachine(%s) while deleting = %+v, %v; want status DELETING", *a, d, err)
		}
	}
	if !listed(t, c, *smARN) {
		t.Fatalf("ListStateMachines leaves out the DELETING machine")
	}

	// What AWS refuses with StateMachineDeleting.
	refused := map[string]error{}
	for _, a := range []*string{smARN, v1, aliasARN} {
		_, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: a})
		refused["StartExecution "+*a] = err
	}
	_, refused["UpdateStateMachine"] = c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: smARN, Definition: aws.String(passDef)})
	_, refused["PublishStateMachineVersion"] = c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: smARN})
	_, refused["CreateStateMachineAlias"] = c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("other"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: v1, Weight: 100}}})
	_, refused["UpdateStateMachineAlias"] = c.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{StateMachineAliasArn: aliasARN, Description: aws.String("d")})
	_, refused["ListStateMachineAliases"] = c.ListStateMachineAliases(ctx, &sfn.ListStateMachineAliasesInput{StateMachineArn: smARN})
	_, refused["CreateStateMachine"] = c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("deleting"), Definition: aws.String(waitDef), RoleArn: aws.String(roleARN)})
	for op, err := range refused {
		var smd *types.StateMachineDeleting
		if !errors.As(err, &smd) || smd.ErrorMessage() != "State Machine is being deleted" {
			t.Errorf("%s while deleting: %v, want StateMachineDeleting", op, err)
		}
	}
	status, body, _ := post(t, e.url, "AWSStepFunctions.StartExecution", fmt.Sprintf(`{"stateMachineArn":%q}`, *smARN))
	if status != http.StatusBadRequest || body["__type"] != "com.amazonaws.swf.service.v2.model#StateMachineDeleting" || body["message"] != "State Machine is being deleted" {
		t.Fatalf("StartExecution on the wire: %d %v", status, body)
	}

	// What still answers as for an active machine.
	if d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: run.ExecutionArn}); err != nil || d.Status != types.ExecutionStatusRunning {
		t.Fatalf("DescribeExecution while deleting = %+v, %v", d, err)
	}
	if d, err := c.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: run.ExecutionArn}); err != nil || aws.ToString(d.Definition) != waitDef {
		t.Fatalf("DescribeStateMachineForExecution while deleting = %+v, %v", d, err)
	}
	if l, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: smARN}); err != nil || len(l.Executions) != 1 {
		t.Fatalf("ListExecutions while deleting = %+v, %v", l, err)
	}
	if l, err := c.ListStateMachineVersions(ctx, &sfn.ListStateMachineVersionsInput{StateMachineArn: smARN}); err != nil || len(l.StateMachineVersions) != 1 {
		t.Fatalf("ListStateMachineVersions while deleting = %+v, %v", l, err)
	}
	if _, err := c.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: aliasARN}); err != nil {
		t.Fatalf("DescribeStateMachineAlias while deleting: %v", err)
	}

	// The last execution ends: the deletion finishes.
	if _, err := c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: run.ExecutionArn}); err != nil {
		t.Fatal(err)
	}
	checkDeleted(t, c, smARN, v1, aliasARN)
	if d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: run.ExecutionArn}); err != nil || d.Status != types.ExecutionStatusAborted {
		t.Fatalf("DescribeExecution after the deletion = %+v, %v", d, err)
	}
	again := e.createSM(t, "deleting", passDef)
	if d, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: again.StateMachineArn}); err != nil ||
		d.Status != types.StateMachineStatusActive || aws.ToString(d.Definition) != passDef {
		t.Fatalf("the name taken again = %+v, %v", d, err)
	}
}

// TestDeleteStateMachineIdle: a state machine none of whose executions runs
// (a Standard one whose execution has ended, an Express one) is deleted at
// once with its versions and aliases; its executions remain.
func TestDeleteStateMachineIdle(t *testing.T) {
	e := newEnv(t, envOptions{})
	c, ctx := e.client, context.Background()
	for _, typ := range []types.StateMachineType{types.StateMachineTypeStandard, types.StateMachineTypeExpress} {
		sm := e.createSM(t, "idle-"+string(typ), passDef, func(in *sfn.CreateStateMachineInput) { in.Publish, in.Type = true, typ })
		alias, err := c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("live"),
			RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: sm.StateMachineVersionArn, Weight: 100}}})
		if err != nil {
			t.Fatal(err)
		}
		var done *string
		if typ == types.StateMachineTypeStandard {
			run, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn})
			if err != nil {
				t.Fatal(err)
			}
			e.waiter.wait(t, *run.ExecutionArn)
			done = run.ExecutionArn
		} else if _, err := c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: sm.StateMachineArn}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: sm.StateMachineArn}); err != nil {
			t.Fatal(err)
		}
		checkDeleted(t, c, sm.StateMachineArn, sm.StateMachineVersionArn, alias.StateMachineAliasArn)
		if done != nil {
			if d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: done}); err != nil || d.Status != types.ExecutionStatusSucceeded {
				t.Fatalf("DescribeExecution after the deletion = %+v, %v", d, err)
			}
		}
	}
}

// checkDeleted checks that a state machine, its version and its alias are
// gone, as AWS answers for them.
func checkDeleted(t *testing.T, c *sfn.Client, smARN, versionARN, aliasARN *string) {
	t.Helper()
	ctx := context.Background()
	// First, so that ListStateMachines is what finishes a pending deletion.
	if listed(t, c, *smARN) {
		t.Fatalf("ListStateMachines lists %s after the deletion", *smARN)
	}
	var dne *types.StateMachineDoesNotExist
	for _, a := range []*string{smARN, versionARN} {
		if _, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: a}); !errors.As(err, &dne) {
			t.Fatalf("DescribeStateMachine(%s) after the deletion: %v, want StateMachineDoesNotExist", *a, err)
		}
	}
	for _, a := range []*string{smARN, versionARN, aliasARN} {
		if _, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: a}); !errors.As(err, &dne) {
			t.Fatalf("StartExecution(%s) after the deletion: %v, want StateMachineDoesNotExist", *a, err)
		}
	}
	var rnf *types.ResourceNotFound
	if _, err := c.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: aliasARN}); !errors.As(err, &rnf) {
		t.Fatalf("DescribeStateMachineAlias after the deletion: %v, want ResourceNotFound", err)
	}
	if _, err := c.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: smARN}); !errors.As(err, &rnf) {
		t.Fatalf("ListTagsForResource after the deletion: %v, want ResourceNotFound", err)
	}
}

// listed reports whether ListStateMachines lists smARN.
func listed(t *testing.T, c *sfn.Client, smARN string) bool {
	t.Helper()
	l, err := c.ListStateMachines(context.Background(), &sfn.ListStateMachinesInput{})
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(l.StateMachines, func(it types.StateMachineListItem) bool { return aws.ToString(it.StateMachineArn) == smARN })
}

// TestCreateStateMachineAfterDeletion: CreateStateMachine takes the name of
// a DELETING machine whose executions have all ended.
func TestCreateStateMachineAfterDeletion(t *testing.T) {
	e := newEnv(t, envOptions{})
	c, ctx := e.client, context.Background()
	sm := e.createSM(t, "reborn", waitDef)
	run, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: sm.StateMachineArn}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: run.ExecutionArn}); err != nil {
		t.Fatal(err)
	}
	again := e.createSM(t, "reborn", passDef)
	d, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: again.StateMachineArn})
	if err != nil || d.Status != types.StateMachineStatusActive || aws.ToString(d.Definition) != passDef {
		t.Fatalf("DescribeStateMachine = %+v, %v", d, err)
	}
}

// TestDeletedMachineFailsExecutionsAtNextTransition: an execution of a
// DELETING machine goes on while it makes no transition (its activity task
// is still handed out) and fails at the next one, as AWS's do; then the
// deletion finishes.
func TestDeletedMachineFailsExecutionsAtNextTransition(t *testing.T) {
	st, err := sqlite.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOptions{store: st})
	c, ctx := e.client, context.Background()
	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("work")})
	if err != nil {
		t.Fatal(err)
	}
	def := `{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"` + *act.ActivityArn + `","Next":"After"},
		"After":{"Type":"Pass","End":true}}}`
	sm := e.createSM(t, "doomed", def)
	run, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: sm.StateMachineArn}); err != nil {
		t.Fatal(err)
	}
	task, err := c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn, WorkerName: aws.String("w")})
	if err != nil || aws.ToString(task.TaskToken) == "" {
		t.Fatalf("GetActivityTask while deleting = %+v, %v", task, err)
	}
	if _, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if st := e.waiter.wait(t, *run.ExecutionArn); st != "FAILED" {
		t.Fatalf("execution %s, want FAILED", st)
	}
	d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: run.ExecutionArn})
	if err != nil || aws.ToString(d.Error) != "States.Runtime" || aws.ToString(d.Cause) != "State machine doomed has been deleted." {
		t.Fatalf("DescribeExecution = %+v, %v", d, err)
	}
	h, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: run.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, ev := range h.Events {
		types = append(types, string(ev.Type))
	}
	want := []string{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ExecutionFailed"}
	if !slices.Equal(types, want) {
		t.Fatalf("history %v, want %v", types, want)
	}
	if listed(t, c, *sm.StateMachineArn) {
		t.Fatal("the machine is still listed after its last execution failed")
	}
	// The name is free again, and the new machine's executions run.
	again := e.createSM(t, "doomed", def)
	run, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: again.StateMachineArn})
	if err != nil {
		t.Fatal(err)
	}
	task, err = c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if st := e.waiter.wait(t, *run.ExecutionArn); st != "SUCCEEDED" {
		t.Fatalf("execution of the new machine: %s", st)
	}
}
