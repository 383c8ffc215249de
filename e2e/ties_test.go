package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/stepwise-run/stepwise/engine"
)

// TestTiedTimersFireInArmingOrder runs, without any crash, executions
// whose Map starts three iterations in one step that each wait 1 s: three
// timers due at the same instant. The server must fire them in the order
// they were armed (as package local does), so that a history is
// reproducible; firing them in any other order changes the history.
// (7–19 of 20 differed before ec33555 ordered the runner's timer heap by
// due time, then arming order.)
func TestTiedTimersFireInArmingOrder(t *testing.T) {
	skipUnlessE2E(t)
	srv := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := NewClient(srv.Endpoint())
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":3,"End":true,"ItemProcessor":{"StartAt":"W","States":{
		"W":{"Type":"Wait","Seconds":1,"Next":"P"},"P":{"Type":"Pass","End":true}}}}}}`
	out, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("ties"), Definition: aws.String(def), RoleArn: aws.String(crashRoleARN)})
	if err != nil {
		t.Fatal(err)
	}
	smARN := aws.ToString(out.StateMachineArn)
	m, err := engine.CompileText([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	var started []startedExecution
	for i := range 20 {
		p := plannedExecution{name: fmt.Sprintf("t%02d", i), input: `[1,2,3,4,5,6]`}
		o, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(smARN), Name: aws.String(p.name), Input: aws.String(p.input)})
		if err != nil {
			t.Fatal(err)
		}
		started = append(started, startedExecution{plannedExecution: p, arn: aws.ToString(o.ExecutionArn), acked: true})
	}
	if err := waitNoneRunning(ctx, c, []string{smARN}, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	bad := 0
	for _, s := range started {
		if msg := verifyOne(ctx, c, m, smARN, s); msg != "" {
			bad++
			if bad <= 2 {
				t.Errorf("%s: %s", s.name, msg)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d uninterrupted executions differ from the reference", bad, len(started))
	}
}
