package awsservice

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/value"
)

const testExecution = "arn:aws:states:eu-west-1:123456789012:execution:Orders:run-1"

func newHandler(t *testing.T, cfg Config) *Handler {
	t.Helper()
	h, err := New(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// invoke runs one task with Parameters params (JSON).
func invoke(t *testing.T, h *Handler, resource, params string) (*value.Object, error) {
	t.Helper()
	out, err := h.Invoke(context.Background(), &engine.TaskRequest{
		Resource: resource, Input: value.MustParse(params), ExecutionARN: testExecution, StateName: "S",
	})
	if err != nil {
		return nil, err
	}
	o, ok := out.(*value.Object)
	if !ok {
		t.Fatalf("result %T is not an object", out)
	}
	return o, nil
}

func get(t *testing.T, o *value.Object, path ...string) any {
	t.Helper()
	var v any = o
	for _, p := range path {
		obj, ok := v.(*value.Object)
		if !ok {
			t.Fatalf("%v: %s is not in an object", path, p)
		}
		v, ok = obj.Get(p)
		if !ok {
			t.Fatalf("%v: no member %s in %s", path, p, value.String(obj))
		}
	}
	return v
}

func TestSQSSendMessage(t *testing.T) {
	f := newFake(t)
	h := newHandler(t, f.config())
	queue := "http://queue.local/123456789012/orders"
	out, err := invoke(t, h, ResourceSQSSendMessage+".waitForTaskToken",
		`{"QueueUrl":"`+queue+`","MessageBody":{"order":7,"TaskToken":"tok-123"},"DelaySeconds":0}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.queues[queue]; len(got) != 1 || got[0] != `{"order":7,"TaskToken":"tok-123"}` {
		t.Fatalf("queue holds %q, want the body as JSON text carrying the token", got)
	}
	sum := md5.Sum([]byte(`{"order":7,"TaskToken":"tok-123"}`))
	if got := get(t, out, "MD5OfMessageBody"); got != hex.EncodeToString(sum[:]) {
		t.Errorf("MD5OfMessageBody = %v", got)
	}
	if got := out.Keys(); strings.Join(got, ",") != "MD5OfMessageBody,MessageId,SdkHttpMetadata,SdkResponseMetadata" {
		t.Errorf("result members %v", got)
	}
	if got := get(t, out, "SdkHttpMetadata", "HttpStatusCode"); got != 200.0 {
		t.Errorf("HttpStatusCode = %v", got)
	}
	rid := get(t, out, "SdkResponseMetadata", "RequestId")
	if rid != get(t, out, "SdkHttpMetadata", "HttpHeaders", "X-Amzn-Requestid") || rid == "" {
		t.Errorf("RequestId %v does not match the response header", rid)
	}
	if f.services[0] != "sqs" {
		t.Errorf("signed for %q, want sqs", f.services[0])
	}
	// A string body is sent as it is.
	if _, err := invoke(t, h, ResourceSQSSendMessage, `{"QueueUrl":"`+queue+`","MessageBody":"plain"}`); err != nil {
		t.Fatal(err)
	}
	if got := f.queues[queue][1]; got != "plain" {
		t.Errorf("string body sent as %q", got)
	}
}

func TestDynamoDB(t *testing.T) {
	f := newFake(t)
	h := newHandler(t, f.config())
	item := `{"pk":{"S":"o-1"},"total":{"N":"12"}}`
	out, err := invoke(t, h, ResourceDynamoDBPutItem, `{"TableName":"Orders","Item":`+item+`,"ConditionExpression":"attribute_not_exists(pk)"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(out.Keys(), ","); got != "SdkHttpMetadata,SdkResponseMetadata" {
		t.Errorf("putItem result members %s", got)
	}
	out, err = invoke(t, h, ResourceDynamoDBGetItem, `{"TableName":"Orders","Key":{"pk":{"S":"o-1"}}}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := get(t, out, "Item"); !value.Equal(got, value.MustParse(item)) {
		t.Errorf("Item = %s", value.String(got))
	}
	out, err = invoke(t, h, ResourceDynamoDBUpdate, `{"TableName":"Orders","Key":{"pk":{"S":"o-1"}},"UpdateExpression":"SET #s = :s",
		"ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S":"PAID"}},"ReturnValues":"ALL_NEW"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := get(t, out, "Attributes", "status", "S"); got != "PAID" {
		t.Errorf("updated status %v", got)
	}
	out, err = invoke(t, h, ResourceDynamoDBDelete, `{"TableName":"Orders","Key":{"pk":{"S":"o-1"}},"ReturnValues":"ALL_OLD"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := get(t, out, "Attributes", "status", "S"); got != "PAID" {
		t.Errorf("deleted item's status %v", got)
	}
	out, err = invoke(t, h, ResourceDynamoDBGetItem, `{"TableName":"Orders","Key":{"pk":{"S":"o-1"}}}`)
	if err != nil {
		t.Fatal(err)
	}
	if out.Has("Item") {
		t.Errorf("deleted item still found: %s", value.String(out))
	}
}

func TestEventsPutEvents(t *testing.T) {
	f := newFake(t)
	h := newHandler(t, f.config())
	out, err := invoke(t, h, ResourceEventsPutEvents, `{"Entries":[{"Detail":{"id":1},"DetailType":"Order","Source":"shop","Resources":["r1"]}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(out.Keys(), ","); got != "Entries,FailedEntryCount" {
		t.Errorf("result members %s", got)
	}
	if get(t, out, "FailedEntryCount") != 0.0 {
		t.Errorf("FailedEntryCount %v", get(t, out, "FailedEntryCount"))
	}
	if len(f.events) != 1 {
		t.Fatalf("%d events sent", len(f.events))
	}
	e := f.events[0]
	if e["Detail"] != `{"id":1}` {
		t.Errorf("Detail sent as %v", e["Detail"])
	}
	res, _ := e["Resources"].([]any)
	want := []any{"r1", testExecution, "arn:aws:states:eu-west-1:123456789012:stateMachine:Orders"}
	if len(res) != len(want) || res[0] != want[0] || res[1] != want[1] || res[2] != want[2] {
		t.Errorf("Resources sent %v, want %v", res, want)
	}
	_, err = invoke(t, h, ResourceEventsPutEvents, `{"Entries":[{"Detail":"{}","DetailType":"Order","Source":"fail"}]}`)
	wantFailure(t, err, "EventBridge.FailedEntry", `"ErrorCode":"MalformedDetail"`)
}

func TestSNSPublish(t *testing.T) {
	f := newFake(t)
	h := newHandler(t, f.config())
	topic := "arn:aws:sns:eu-west-1:123456789012:alerts"
	out, err := invoke(t, h, ResourceSNSPublish, `{"TopicArn":"`+topic+`","Message":{"a":[1,2]},"Subject":"hi",
		"MessageAttributes":{"kind":{"DataType":"String","StringValue":"x"},"bin":{"DataType":"Binary","BinaryValue":"AQI="}}}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(out.Keys(), ","); got != "MessageId,SdkHttpMetadata,SdkResponseMetadata" {
		t.Errorf("result members %s", got)
	}
	got := f.topics[topic][0]
	for k, want := range map[string]string{
		"Message": `{"a":[1,2]}`, "Subject": "hi",
		"MessageAttributes.entry.1.Name": "bin", "MessageAttributes.entry.1.Value.DataType": "Binary",
		"MessageAttributes.entry.1.Value.BinaryValue": "AQI=",
		"MessageAttributes.entry.2.Name":              "kind", "MessageAttributes.entry.2.Value.StringValue": "x",
	} {
		if got.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, got.Get(k), want)
		}
	}
	if f.services[0] != "sns" {
		t.Errorf("signed for %q", f.services[0])
	}
}

func TestAWSSDK(t *testing.T) {
	f := newFake(t)
	h := newHandler(t, f.config())
	if _, err := invoke(t, h, SDKPrefix+"dynamodb:putItem", `{"TableName":"Orders","Item":{"pk":{"S":"k"}}}`); err != nil {
		t.Fatal(err)
	}
	out, err := invoke(t, h, SDKPrefix+"dynamodb:getItem", `{"TableName":"Orders","Key":{"pk":{"S":"k"}}}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := value.String(out); got != `{"Item":{"pk":{"S":"k"}}}` {
		t.Errorf("aws-sdk getItem = %s (no SDK metadata expected)", got)
	}
	out, err = invoke(t, h, SDKPrefix+"sfn:startExecution", `{"StateMachineArn":"arn:aws:states:eu-west-1:123456789012:stateMachine:X"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := get(t, out, "ExecutionArn"); got != "arn:aws:states:eu-west-1:123456789012:execution:X:x" {
		t.Errorf("ExecutionArn = %v", got)
	}
	if _, err := invoke(t, h, SDKPrefix+"sqs:sendMessage", `{"QueueUrl":"http://queue.local/123456789012/orders","MessageBody":"m"}`); err != nil {
		t.Fatal(err)
	}
	if _, err := invoke(t, h, SDKPrefix+"eventbridge:putEvents", `{"Entries":[{"Detail":"{}","DetailType":"d","Source":"s"}]}`); err != nil {
		t.Fatal(err)
	}
	want := []string{"dynamodb", "dynamodb", "states", "sqs", "events"}
	if strings.Join(f.services, ",") != strings.Join(want, ",") {
		t.Errorf("signing services %v, want %v", f.services, want)
	}
}

func wantFailure(t *testing.T, err error, name, causePart string) {
	t.Helper()
	var fe *failure.Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v, want a *failure.Error %s", err, name)
	}
	if fe.Name != name || !strings.Contains(fe.Cause, causePart) {
		t.Errorf("failure %s: %s\nwant      %s: …%s…", fe.Name, fe.Cause, name, causePart)
	}
}

func TestErrors(t *testing.T) {
	f := newFake(t)
	cfg := f.config()
	h := newHandler(t, cfg)
	wrong := cfg
	wrong.Credentials.SecretAccessKey = "not-the-secret"
	hWrong := newHandler(t, wrong)
	none := newHandler(t, Config{})
	down := cfg
	down.Endpoints = map[string]string{"sqs": "http://127.0.0.1:1"}
	hDown := newHandler(t, down)

	tests := []struct {
		name             string
		h                *Handler
		resource, params string
		want, cause      string
	}{
		{"no queue", h, ResourceSQSSendMessage, `{"QueueUrl":"http://queue.local/1/none","MessageBody":"x"}`,
			"SQS.QueueDoesNotExistException", "The specified queue does not exist. (Service: AmazonSQS; Status Code: 400; Error Code: QueueDoesNotExist; Request ID: 00000000-0000-4000-8000-"},
		{"no table", h, ResourceDynamoDBGetItem, `{"TableName":"None","Key":{"pk":{"S":"k"}}}`,
			"DynamoDB.ResourceNotFoundException", "Requested resource not found (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: "},
		{"aws-sdk no table", h, SDKPrefix + "dynamodb:getItem", `{"TableName":"None","Key":{"pk":{"S":"k"}}}`,
			"DynamoDb.ResourceNotFoundException", "Requested resource not found (Service: DynamoDb, Status Code: 400, Request ID: "},
		{"aws-sdk sqs no queue", h, SDKPrefix + "sqs:sendMessage", `{"QueueUrl":"q","MessageBody":"x"}`,
			"Sqs.QueueDoesNotExistException", "(Service: Sqs, Status Code: 400, Request ID: "},
		{"no topic", h, ResourceSNSPublish, `{"TopicArn":"arn:aws:sns:eu-west-1:123456789012:none","Message":"m"}`,
			"SNS.NotFoundException", "Topic does not exist (Service: AmazonSNS; Status Code: 404; Error Code: NotFound; Request ID: "},
		{"bad signature json", hWrong, ResourceSQSSendMessage, `{"QueueUrl":"q","MessageBody":"x"}`,
			"SQS.InvalidSignatureException", "signature mismatch"},
		{"bad signature query", hWrong, ResourceSNSPublish, `{"TopicArn":"t","Message":"x"}`,
			"SNS.SignatureDoesNotMatchException", "signature mismatch"},
		{"no endpoint", none, ResourceDynamoDBPutItem, `{"TableName":"T","Item":{}}`,
			"DynamoDB.SdkClientException", "no endpoint is configured for the service 'dynamodb'"},
		{"no endpoint sdk", none, SDKPrefix + "sfn:listStateMachines", `{}`,
			"Sfn.SdkClientException", "set aws.endpoints.sfn"},
		{"unreachable", hDown, ResourceSQSSendMessage, `{"QueueUrl":"q","MessageBody":"x"}`,
			"SQS.SdkClientException", "Unable to execute HTTP request: "},
		{"conditional", h, ResourceDynamoDBPutItem, `{"TableName":"Orders","Item":{"pk":{"S":"dup"}},"ConditionExpression":"attribute_not_exists(pk)"}`,
			"", ""}, // first put succeeds
		{"conditional again", h, ResourceDynamoDBPutItem, `{"TableName":"Orders","Item":{"pk":{"S":"dup"}},"ConditionExpression":"attribute_not_exists(pk)"}`,
			"DynamoDB.ConditionalCheckFailedException", "The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException;"},
		{"sqs params", h, ResourceSQSSendMessage, `{"QueueUrl":1,"Body":"x"}`,
			failure.Runtime, `The Parameters '{"QueueUrl":1,"Body":"x"}' could not be used to start the Task: [The field 'Body' is not supported by Step Functions, The value for the field 'QueueUrl' must be a STRING]`},
		{"sqs no body", h, ResourceSQSSendMessage, `{"QueueUrl":"q"}`,
			failure.Runtime, `[The field 'MessageBody' is required]`},
		{"dynamo no key", h, ResourceDynamoDBGetItem, `{"TableName":"Orders"}`,
			failure.Runtime, `[The field 'Key' is required]`},
		{"dynamo item not object", h, ResourceDynamoDBPutItem, `{"TableName":"Orders","Item":[]}`,
			failure.Runtime, `[The value for the field 'Item' must be an OBJECT]`},
		{"events entries", h, ResourceEventsPutEvents, `{"Entries":{}}`,
			failure.Runtime, `[The value for the field 'Entries' must be an ARRAY]`},
		{"sns no message", h, ResourceSNSPublish, `{"TopicArn":"t"}`,
			failure.Runtime, `[The field 'Message' is required]`},
		{"sns attribute", h, ResourceSNSPublish, `{"TopicArn":"t","Message":"m","MessageAttributes":{"a":{"DataType":1}}}`,
			failure.Runtime, `[The value for the field 'MessageAttributes.a.DataType' must be a STRING]`},
		{"sdk params", h, SDKPrefix + "dynamodb:getItem", `[1]`,
			failure.Runtime, `The Parameters '[1]' could not be used to start the Task: [The Parameters must be a JSON object, not array]`},
		{"sdk query service", h, SDKPrefix + "sns:publish", `{}`,
			"Sns.NotFoundException", "Topic does not exist (Service: Sns, Status Code: 404, Request ID: "},
		{"sdk s3 params", h, SDKPrefix + "s3:getObject", `{}`,
			failure.Runtime, "[The field 'Bucket' is required, The field 'Key' is required]"},
		{"sdk s3 action", h, SDKPrefix + "s3:selectObjectContent", `{}`,
			failure.TaskFailed, "'aws-sdk:s3:selectObjectContent' is not supported by Stepwise: it performs these S3 actions only: copyObject, deleteObject, getObject, headObject, listObjectsV2, putObject."},
		{"sdk unknown service", h, SDKPrefix + "ecs:runTask", `{}`,
			failure.TaskFailed, "'aws-sdk:ecs:runTask' is not supported by Stepwise: it calls these services only: autoscaling, "},
		{"sdk ec2 without an endpoint", none, SDKPrefix + "ec2:describeInstances", `{}`,
			"Ec2.SdkClientException", "Unable to execute HTTP request: no endpoint is configured for the service 'ec2' (set aws.endpoints.ec2 in the integration configuration)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := invoke(t, tc.h, tc.resource, tc.params)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantFailure(t, err, tc.want, tc.cause)
		})
	}
}

func TestTaskTimeout(t *testing.T) {
	f := newFake(t)
	f.block = make(chan struct{})
	defer close(f.block)
	h := newHandler(t, f.config())
	_, err := h.Invoke(context.Background(), &engine.TaskRequest{
		Resource: ResourceSQSSendMessage, TimeoutSeconds: 1,
		Input: value.MustParse(`{"QueueUrl":"q","MessageBody":"x"}`),
	})
	wantFailure(t, err, failure.Timeout, "did not finish within the Task's TimeoutSeconds")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = h.Invoke(ctx, &engine.TaskRequest{Resource: ResourceSQSSendMessage, Input: value.MustParse(`{"QueueUrl":"q","MessageBody":"x"}`)})
	wantFailure(t, err, failure.TaskFailed, "was cancelled")
}

func TestMatch(t *testing.T) {
	for resource, want := range map[string]bool{
		ResourceSQSSendMessage: true, ResourceSNSPublish: true, ResourceEventsPutEvents: true,
		ResourceDynamoDBGetItem: true, ResourceDynamoDBPutItem: true, ResourceDynamoDBUpdate: true, ResourceDynamoDBDelete: true,
		SDKPrefix + "s3:getObject": true, SDKPrefix + "dynamodb:query": true,
		SDKPrefix + "dynamodb": false, SDKPrefix + "dynamodb:": false, SDKPrefix + ":x": false, SDKPrefix + "a:b:c": false,
		"arn:aws:states:::dynamodb:query": false, "arn:aws:states:::sqs:receiveMessage": false,
		"arn:aws:states:::lambda:invoke": false,
	} {
		if got := Match(resource); got != want {
			t.Errorf("Match(%q) = %v, want %v", resource, got, want)
		}
	}
}

// BenchmarkSQSSendMessage measures one signed sqs:sendMessage round trip
// over loopback, Parameters to shaped result.
func BenchmarkSQSSendMessage(b *testing.B) {
	f := newFakeServer()
	defer f.srv.Close()
	h, err := New(f.config(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	t := &engine.TaskRequest{Resource: ResourceSQSSendMessage,
		Input: value.MustParse(`{"QueueUrl":"http://queue.local/123456789012/orders","MessageBody":{"order":7}}`)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Invoke(context.Background(), t); err != nil {
			b.Fatal(err)
		}
	}
}
