package awsservice

import (
	"context"
	"errors"
	"net/url"
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
		{SDKPrefix + "s3:putObject", `{"Bucket":"b","Key":"k/é x","Body":{"a":[1]},"Metadata":{"m":"v"},"Expires":"2024-01-01T00:00:00Z"}`},
		{SDKPrefix + "s3:listObjectsV2", `{"Bucket":"b","MaxKeys":"1","OptionalObjectAttributes":["RestoreStatus"]}`},
		{SDKPrefix + "sns:publish", `{"TopicArn":"arn:aws:sns:eu-west-1:123456789012:alerts","Message":"m","MessageAttributes":{"a":{"DataType":"String","StringValue":"v"}}}`},
		{SDKPrefix + "sts:getCallerIdentity", `{"A":[{"B":{"c d":1}}],"E":[]}`},
		{SDKPrefix + "ec2:describeInstances", `{"InstanceIds":["i-1"],"Filters":[{"Name":"tag:Env","Values":["dev"]}],"MaxResults":5}`},
		{SDKPrefix + "ec2:runInstances", `{"ImageId":"ami-1","MinCount":1,"MaxCount":1,"NetworkInterfaces":[{"DeviceIndex":0,"Groups":["sg-1"]}],"TagSpecifications":[{"ResourceType":"instance","Tags":[{"Key":"k","Value":"v"}]}]}`},
		{SDKPrefix + "ec2:createTags", `{"Resources":["i-1"],"Tags":[{"Key":"k","Value":""}],"Tag":[]}`},
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

// FuzzXMLToValue converts arbitrary XML, as the query protocol, S3 and
// EC2 answer: no panics, and every result is an object whose JSON text
// parses back to an equal value.
func FuzzXMLToValue(f *testing.F) {
	for _, s := range []string{
		stsCallerIdentityXML, snsListTopicsXML, snsTopicAttributesXML, cfnDescribeStacksXML,
		iamListUsersEmptyXML, rdsDescribeDBInstancesXML, s3ListObjectsV2DelimiterXML, s3CopyObjectXML,
		ec2DescribeInstancesXML, ec2StopInstancesXML, ec2DescribeSecurityGroupsXML, ec2CreateTagsXML,
		`<a><entry><key>k</key><value><member>1</member></value></entry></a>`,
		`<a><b>1</b><b>2</b><c/><Items><Item/></Items></a>`,
		`<a xmlns:x="u"><x:b>t&amp;<![CDATA[<x>]]></x:b></a>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		root, err := parseXML([]byte(doc))
		if err != nil {
			return
		}
		for _, o := range []*value.Object{
			xmlToValue(root, nil), xmlToValue(root, listShapes),
			ec2Result(root, "DescribeInstances"), ec2Result(root, "CreateTags"),
		} {
			back, err := value.Parse(value.Marshal(o))
			if err != nil {
				t.Fatalf("result %s does not parse: %v", value.String(o), err)
			}
			if !value.Equal(back, o) {
				t.Fatalf("result %s does not round-trip", value.String(o))
			}
		}
	})
}

// FuzzEncodeQuery serialises arbitrary Parameters as the query protocol
// (SNS) and EC2 write them: no panics, every scalar leaf is sent under a
// name starting with its top-level member's wire name, and the form
// survives encoding; EC2 reports members it would send by the same name
// instead of sending them.
func FuzzEncodeQuery(f *testing.F) {
	for _, s := range []string{
		`{"TopicArn":"t","Message":"m","MessageAttributes":{"a":{"DataType":"String","StringValue":"v"}}}`,
		`{"Attributes":{"DisplayName":"x"},"Tags":[{"Key":"k","Value":"v"}],"Empty":[],"Null":null}`,
		`{"A":{"B":{"C":[[1,2],[true,false]]}},"m":{"not pascal":{"X":1.5e300}}}`,
		`{"A":{"":null,"é":[{}]},"B":{"A.B":1,"A":{"B":2}}}`,
		`{"InstanceIds":["i-1","i-2"],"Filters":[{"Name":"n","Values":["a","b"]}],"DryRun":false}`,
		`{"Resources":["i-1"],"Tags":[{"Key":"k"}],"IpPermissions":[{"IpRanges":[{"CidrIp":"0.0.0.0/0"}],"UserIdGroupPairs":[{"GroupId":"g"}]}]}`,
		`{"Filter":[1],"Filters":[2],"Policies":[{"Policy":"p"}]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		v, err := value.ParseString(text)
		if err != nil {
			return
		}
		o, ok := v.(*value.Object)
		if !ok || !structureKeys(o) {
			return // queryCall refuses these Parameters
		}
		for _, svc := range []*Service{services["sns"], services["ec2"]} {
			const action = "DescribeInstances"
			form := url.Values{}
			problems := encodeQuery(form, svc, action, o)
			if problems != nil {
				for _, p := range problems {
					if svc.Protocol != ProtocolEC2 || !strings.Contains(p, "' are both sent to EC2 as '") {
						t.Fatalf("%s: unexpected problem %q with %s", svc.Name, p, text)
					}
				}
				continue
			}
			tops := map[string]bool{}
			for _, k := range o.Keys() {
				m, _ := o.Get(k)
				_, list := m.([]any)
				tops[k] = true
				if svc.Protocol == ProtocolEC2 {
					tops[ec2WireName(action, k, list)] = true
				}
			}
			for name := range form {
				top, _, _ := strings.Cut(name, ".")
				if !tops[top] {
					t.Fatalf("%s: form member %q does not start with a parameter of %s", svc.Name, name, text)
				}
			}
			back, err := url.ParseQuery(form.Encode())
			if err != nil || len(back) != len(form) {
				t.Fatalf("%s: form %v does not survive encoding: %v", svc.Name, form, err)
			}
			if n, want := len(form), scalarLeaves(o); n < want {
				t.Fatalf("%s: form has %d members, want at least %d scalars of %s", svc.Name, n, want, text)
			}
		}
	})
}

// scalarLeaves counts the strings, numbers and booleans of v that are not
// map keys.
func scalarLeaves(v any) int {
	switch x := v.(type) {
	case []any:
		n := 0
		for _, m := range x {
			n += scalarLeaves(m)
		}
		return n
	case *value.Object:
		n := 0
		for _, k := range x.Keys() {
			m, _ := x.Get(k)
			n += scalarLeaves(m)
		}
		return n
	case nil:
		return 0
	}
	return 1
}
