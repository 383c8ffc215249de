package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/stepwise-run/stepwise/store/sqlite"
)

// TestSQLiteTokens runs the list actions against the SQLite store with
// forged and misused pagination tokens: each is InvalidToken (400), never
// an internal failure.
func TestSQLiteTokens(t *testing.T) {
	st, err := sqlite.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOptions{store: st})
	ctx := context.Background()
	for i := range 3 {
		sm := e.createSM(t, fmt.Sprintf("tok-%d", i), passDef, func(in *sfn.CreateStateMachineInput) { in.Publish = true })
		for j := range 3 {
			st, err := e.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String(fmt.Sprint("e", j))})
			if err != nil {
				t.Fatal(err)
			}
			e.waiter.wait(t, *st.ExecutionArn)
		}
		if _, err := e.client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: sm.StateMachineArn, Definition: aws.String(failDef), Publish: true}); err != nil {
			t.Fatal(err)
		}
	}
	smARN := "arn:aws:states:us-east-1:123456789012:stateMachine:tok-0"
	l, err := e.client.ListStateMachines(ctx, &sfn.ListStateMachinesInput{MaxResults: 1})
	if err != nil || l.NextToken == nil {
		t.Fatalf("ListStateMachines = %+v, %v", l, err)
	}
	le, err := e.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(smARN), MaxResults: 1})
	if err != nil || le.NextToken == nil {
		t.Fatalf("ListExecutions = %+v, %v", le, err)
	}
	// Every page of executions, through the tokens.
	n, tok := 0, (*string)(nil)
	for {
		p, err := e.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(smARN), MaxResults: 2, NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		n += len(p.Executions)
		if tok = p.NextToken; tok == nil {
			break
		}
	}
	if n != 3 {
		t.Errorf("paged through %d executions, want 3", n)
	}
	tokens := []string{"garbage", "eyJ4IjoxfQ", "MTIz", *l.NextToken, *le.NextToken, "%%%"}
	for _, tok := range tokens {
		bodies := map[string]string{
			"ListStateMachines":        `{"nextToken":%q}`,
			"ListActivities":           `{"nextToken":%q}`,
			"ListExecutions":           `{"stateMachineArn":"` + smARN + `","nextToken":%q}`,
			"ListStateMachineVersions": `{"stateMachineArn":"` + smARN + `","nextToken":%q}`,
			"ListStateMachineAliases":  `{"stateMachineArn":"` + smARN + `","nextToken":%q}`,
			"GetExecutionHistory":      `{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:tok-0:e0","nextToken":%q}`,
		}
		for action, body := range bodies {
			status, resp, _ := post(t, e.url, "AWSStepFunctions."+action, fmt.Sprintf(body, tok))
			if status >= 500 {
				t.Errorf("%s with token %q: %d %v", action, tok, status, resp)
			}
		}
	}
}
