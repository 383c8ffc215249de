package awsservice_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/integration"
	"github.com/stepwise-run/stepwise/integration/awsservice"
	"github.com/stepwise-run/stepwise/local"
	"github.com/stepwise-run/stepwise/value"
)

// TestWorkflow runs a workflow through local.Run with the integration
// Router as Fallback, configured from a JSON file's text, against the
// loopback AWS (which checks every signature).
func TestWorkflow(t *testing.T) {
	fake := awsservice.NewFake(t)
	t.Setenv("STEPWISE_TEST_AWS_KEY", "AKIDEXAMPLE")
	t.Setenv("STEPWISE_TEST_AWS_SECRET", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
	cfg, err := integration.ParseConfig([]byte(`{
		"region": "eu-west-1",
		"aws": {
			"credentials": {"accessKeyId": "${STEPWISE_TEST_AWS_KEY}", "secretAccessKey": "${STEPWISE_TEST_AWS_SECRET}", "sessionToken": "session-token"},
			"endpoints": {"sqs": "` + fake.URL() + `", "dynamodb": "` + fake.URL() + `", "eventbridge": "` + fake.URL() + `/"}
		}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	router, err := integration.New(cfg, integration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	queue := "http://queue.local/123456789012/orders"
	def := `{"StartAt":"Save","States":{
		"Save":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem",
			"Parameters":{"TableName":"Orders","Item":{"pk":{"S.$":"$.id"},"total":{"N.$":"States.Format('{}', $.total)"}}},
			"ResultPath":null,"Next":"Load"},
		"Load":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:dynamodb:getItem",
			"Parameters":{"TableName":"Orders","Key":{"pk":{"S.$":"$.id"}}},
			"ResultSelector":{"total.$":"$.Item.total.N"},"ResultPath":"$.loaded","Next":"Notify"},
		"Notify":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
			"Parameters":{"QueueUrl":"` + queue + `","MessageBody":{"order.$":"$.id","total.$":"$.loaded.total"}},
			"ResultSelector":{"sent.$":"$.SdkHttpMetadata.HttpStatusCode"},"ResultPath":"$.notified","Next":"Announce"},
		"Announce":{"Type":"Task","Resource":"arn:aws:states:::events:putEvents",
			"Parameters":{"Entries":[{"Source":"shop","DetailType":"OrderSaved","Detail":{"id.$":"$.id"}}]},
			"ResultSelector":{"failed.$":"$.FailedEntryCount"},"ResultPath":"$.announced","Next":"Missing"},
		"Missing":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem",
			"Parameters":{"TableName":"NoSuchTable","Key":{"pk":{"S":"x"}}},
			"Catch":[{"ErrorEquals":["DynamoDB.ResourceNotFoundException"],"ResultPath":"$.caught","Next":"Publish"}],"End":true},
		"Publish":{"Type":"Task","Resource":"arn:aws:states:::sns:publish",
			"Parameters":{"TopicArn":"arn:aws:sns:eu-west-1:123456789012:alerts","Message":"m"},
			"Catch":[{"ErrorEquals":["SNS.SdkClientException"],"ResultPath":"$.unconfigured","Next":"Done"}],"End":true},
		"Done":{"Type":"Pass","End":true}}}`
	d, diags := asl.Check([]byte(def), asl.ValidateOptions{})
	if len(diags) > 0 {
		t.Fatalf("definition: %v", diags)
	}
	m, err := engine.Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := local.Run(ctx, m, `{"id":"o-7","total":42}`, local.Options{Fallback: router, Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != engine.StatusSucceeded {
		t.Fatalf("status %s: %s: %s", res.Status, res.Error, res.Cause)
	}
	out := res.Output.(*value.Object)
	for path, want := range map[string]string{
		"loaded": `{"total":"42"}`, "notified": `{"sent":200}`, "announced": `{"failed":0}`,
	} {
		if got, _ := out.Get(path); value.String(got) != want {
			t.Errorf("%s = %s, want %s", path, value.String(got), want)
		}
	}
	caught, _ := out.Get("caught")
	if c := value.String(caught); !strings.Contains(c, `"Error":"DynamoDB.ResourceNotFoundException"`) ||
		!strings.Contains(c, "(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException;") {
		t.Errorf("caught %s", c)
	}
	unconf, _ := out.Get("unconfigured")
	if c := value.String(unconf); !strings.Contains(c, "no endpoint is configured for the service 'sns'") {
		t.Errorf("unconfigured %s", c)
	}
	if got := fake.Queue(queue); len(got) != 1 || got[0] != `{"order":"o-7","total":"42"}` {
		t.Errorf("queue holds %q", got)
	}
}

// TestWorkflowEC2 runs aws-sdk:ec2:describeInstances with its Parameters
// taken from the input, as Step Functions' SDK shape writes them, and
// catches EC2's error by the name Step Functions gives it.
func TestWorkflowEC2(t *testing.T) {
	fake := awsservice.NewFake(t)
	cfg, err := integration.ParseConfig([]byte(`{"aws": {
		"region": "eu-west-1",
		"credentials": {"accessKeyId": "AKIDEXAMPLE", "secretAccessKey": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "sessionToken": "session-token"},
		"endpoints": {"ec2": "` + fake.URL() + `"}
	}}`))
	if err != nil {
		t.Fatal(err)
	}
	router, err := integration.New(cfg, integration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	def := `{"StartAt":"Describe","States":{
		"Describe":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:ec2:describeInstances",
			"Parameters":{"InstanceIds.$":"$.ids"},
			"ResultSelector":{"states.$":"$.Reservations[0].Instances[*].State.Name"},
			"Catch":[{"ErrorEquals":["Ec2.Ec2Exception"],"ResultPath":"$.error","Next":"Missing"}],"End":true},
		"Missing":{"Type":"Pass","End":true}}}`
	d, diags := asl.Check([]byte(def), asl.ValidateOptions{})
	if len(diags) > 0 {
		t.Fatalf("definition: %v", diags)
	}
	m, err := engine.Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ input, want string }{
		{`{"ids":["i-1","i-2"]}`, `{"states":["running","stopped"]}`},
		{`{"ids":["i-9"]}`, `{"ids":["i-9"],"error":{"Error":"Ec2.Ec2Exception","Cause":"The instance ID 'i-9' does not exist (Service: Ec2, Status Code: 400, Request ID: 00000000-0000-4000-8000-000000000002)"}}`},
	} {
		res, err := local.Run(t.Context(), m, tc.input, local.Options{Fallback: router, Fast: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != engine.StatusSucceeded {
			t.Fatalf("status %s: %s: %s", res.Status, res.Error, res.Cause)
		}
		if got := value.String(res.Output); got != tc.want {
			t.Errorf("output\n got  %s\n want %s", got, tc.want)
		}
	}
}

// TestConfigS3Addressing reads "s3Addressing" from the integration
// configuration file.
func TestConfigS3Addressing(t *testing.T) {
	for _, tc := range []struct{ addressing, err string }{
		{`"virtual"`, ""},
		{`"path"`, ""},
		{`"host"`, `s3Addressing: "host" is neither "path" nor "virtual"`},
	} {
		text := `{"aws": {"credentials": {"accessKeyId": "a", "secretAccessKey": "s"},
			"endpoints": {"s3": "http://127.0.0.1:9000"}, "s3Addressing": ` + tc.addressing + `}}`
		cfg, err := integration.ParseConfig([]byte(text))
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("ParseConfig(%s): %v", tc.addressing, err)
		case tc.err == "" && cfg.AWS.S3Addressing != strings.Trim(tc.addressing, `"`):
			t.Errorf("ParseConfig(%s): s3Addressing %q", tc.addressing, cfg.AWS.S3Addressing)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseConfig(%s) = %v, want …%s…", tc.addressing, err, tc.err)
		}
	}
}

// TestRouterWaitForTaskToken: the Router sends a .waitForTaskToken
// resource to its base integration, and the token in the Parameters
// reaches the queue.
func TestRouterWaitForTaskToken(t *testing.T) {
	fake := awsservice.NewFake(t)
	router, err := integration.New(&integration.Config{Region: "eu-west-1", AWS: &awsservice.Config{
		Credentials: awsservice.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", SessionToken: "session-token"},
		Endpoints:   map[string]string{"sqs": fake.URL()},
	}}, integration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	queue := "http://queue.local/123456789012/orders"
	_, err = router.Invoke(context.Background(), &engine.TaskRequest{
		Resource: awsservice.ResourceSQSSendMessage + ".waitForTaskToken", Pattern: "waitForTaskToken", Token: "AQB-token",
		Input: value.MustParse(`{"QueueUrl":"` + queue + `","MessageBody":{"TaskToken":"AQB-token"}}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := fake.Queue(queue); len(got) != 1 || got[0] != `{"TaskToken":"AQB-token"}` {
		t.Errorf("queue holds %q", got)
	}
	// Without an "aws" section the resources stay unrecognised.
	plain, err := integration.New(&integration.Config{}, integration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := plain.Lookup(awsservice.ResourceDynamoDBPutItem); ok {
		t.Error("a Router without an aws section handles dynamodb:putItem")
	}
}
