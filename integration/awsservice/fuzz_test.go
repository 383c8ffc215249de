package awsservice

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/value"
)

// FuzzParameters runs arbitrary Parameters through every resource of a
// Handler whose services all go to a loopback fake: no panics, and every
// failure is a named one of the kinds the package documents.
func FuzzParameters(f *testing.F) {
	seeds := []struct{ resource, params string }{
		{ResourceSQSSendMessage, `{"QueueUrl":"http://queue.local/123456789012/orders","MessageBody":{"a":1},"DelaySeconds":1,"MessageAttributes":{"k":{"DataType":"String","StringValue":"v"}}}`},
		{ResourceSQSSendMessage, `{"QueueUrl":"q","MessageBody":null}`},
		{ResourceSNSPublish, `{"TopicArn":"arn:aws:sns:eu-west-1:123456789012:alerts","Message":"m","MessageAttributes":{"a":{"DataType":"Number","StringValue":"1"}}}`},
		{ResourceSNSPublish, `{"TopicArn":"t","Message":[],"MessageAttributes":{"a":1}}`},
		{ResourceDynamoDBPutItem, `{"TableName":"Orders","Item":{"pk":{"S":"1"}}}`},
		{ResourceDynamoDBGetItem, `{"TableName":"Orders","Key":{"pk":{"S":"1"}},"ConsistentRead":true}`},
		{ResourceDynamoDBUpdate, `{"TableName":"Orders","Key":{"pk":{"S":"1"}},"UpdateExpression":"SET #a = :a","ExpressionAttributeNames":{"#a":"a"},"ExpressionAttributeValues":{":a":{"N":"1"}}}`},
		{ResourceDynamoDBDelete, `{"TableName":"Nope","Key":{}}`},
		{ResourceEventsPutEvents, `{"Entries":[{"Detail":{"x":1},"Source":"s","DetailType":"d","Resources":["r"]},1]}`},
		{SDKPrefix + "sfn:startExecution", `{"StateMachineArn":"arn:aws:states:eu-west-1:123456789012:stateMachine:X","Input":"{}"}`},
		{SDKPrefix + "dynamodb:query", `{"TableName":"Orders"}`},
		{SDKPrefix + "s3:getObject", `{"Bucket":"b"}`},
		{ResourceSQSSendMessage + ".waitForTaskToken", `1`},
		{"arn:aws:states:::sqs:other", `{}`},
	}
	for _, s := range seeds {
		f.Add(s.resource, s.params)
	}
	fake := newFakeServer()
	f.Cleanup(fake.srv.Close)
	h, err := New(fake.config(), Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, resource, text string) {
		params, err := value.ParseString(text)
		if err != nil {
			return
		}
		_, err = h.Invoke(context.Background(), &engine.TaskRequest{Resource: resource, Input: params, ExecutionARN: testExecution})
		if err == nil {
			return
		}
		var fe *failure.Error
		if !errors.As(err, &fe) {
			t.Fatalf("Invoke(%q, %s) = %v, want a *failure.Error", resource, text, err)
		}
		switch {
		case fe.Name == failure.Runtime:
			if !strings.HasPrefix(fe.Cause, "The Parameters '") {
				t.Fatalf("cause %q not in AWS's shape", fe.Cause)
			}
		case fe.Name == failure.TaskFailed, fe.Name == "EventBridge.FailedEntry":
		case strings.Contains(fe.Cause, "(Service: "), strings.HasSuffix(fe.Name, ".SdkClientException"):
		default:
			t.Fatalf("unexpected failure %s (%s)", fe.Name, fe.Cause)
		}
	})
}
