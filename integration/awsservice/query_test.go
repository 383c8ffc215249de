package awsservice

import (
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/value"
)

// Response bodies from the services' API reference examples.
const (
	stsCallerIdentityXML = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
   <Arn>arn:aws:iam::123456789012:user/Alice</Arn>
    <UserId>AKIAI44QH8DHBEXAMPLE</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>`
	snsPublishXML = `<PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
    <PublishResult>
        <MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId>
    </PublishResult>
    <ResponseMetadata>
        <RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId>
    </ResponseMetadata>
</PublishResponse>`
	snsListTopicsXML = `<ListTopicsResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
  <ListTopicsResult>
    <Topics>
      <member>
        <TopicArn>arn:aws:sns:us-east-2:123456789012:My-Topic</TopicArn>
      </member>
    </Topics>
  </ListTopicsResult>
  <ResponseMetadata>
    <RequestId>3f1478c7-33a9-11df-9540-99d0768312d3</RequestId>
  </ResponseMetadata>
</ListTopicsResponse>`
	snsTopicAttributesXML = `<GetTopicAttributesResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
  <GetTopicAttributesResult>
    <Attributes>
      <entry>
        <key>Owner</key>
        <value>123456789012</value>
      </entry>
      <entry>
        <key>DisplayName</key>
        <value></value>
      </entry>
      <entry>
        <key>TopicArn</key>
        <value>arn:aws:sns:us-east-2:123456789012:My-Topic</value>
      </entry>
    </Attributes>
  </GetTopicAttributesResult>
  <ResponseMetadata>
    <RequestId>057f074c-33a7-11df-9540-99d0768312d3</RequestId>
  </ResponseMetadata>
</GetTopicAttributesResponse>`
	snsCreateTopicXML = `<CreateTopicResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
  <CreateTopicResult>
    <TopicArn>arn:aws:sns:us-east-2:123456789012:My-Topic</TopicArn>
  </CreateTopicResult>
  <ResponseMetadata>
    <RequestId>a8dec8b3-33a4-11df-8963-01868b7c937a</RequestId>
  </ResponseMetadata>
</CreateTopicResponse>`
	snsNotFoundXML = `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <Error>
    <Type>Sender</Type>
    <Code>NotFound</Code>
    <Message>Topic does not exist</Message>
  </Error>
  <RequestId>9dd01905-5012-5f99-8663-4b3ecd0dfaef</RequestId>
</ErrorResponse>`
	cfnDescribeStacksXML = `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStacksResult>
    <Stacks>
      <member>
        <StackName>MyStack</StackName>
        <StackId>arn:aws:cloudformation:us-east-1:123456789:stack/MyStack/aaf549a0-a413-11df-adb3-5081b3858e83</StackId>
        <CreationTime>2010-07-27T22:28:28Z</CreationTime>
        <StackStatus>CREATE_COMPLETE</StackStatus>
        <DisableRollback>false</DisableRollback>
        <Outputs>
          <member>
            <OutputKey>StartPage</OutputKey>
            <OutputValue>http://my-load-balancer.amazonaws.com:80/index.html</OutputValue>
          </member>
        </Outputs>
      </member>
    </Stacks>
  </DescribeStacksResult>
  <ResponseMetadata>
    <RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId>
  </ResponseMetadata>
</DescribeStacksResponse>`
	cfnCreateStackXML = `<CreateStackResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <CreateStackResult>
    <StackId>arn:aws:cloudformation:us-east-1:123456789:stack/MyStack/aaf549a0-a413-11df-adb3-5081b3858e83</StackId>
  </CreateStackResult>
  <ResponseMetadata>
    <RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId>
  </ResponseMetadata>
</CreateStackResponse>`
	cfnValidationErrorXML = `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <Error>
    <Type>Sender</Type>
    <Code>ValidationError</Code>
    <Message>Stack with id NoStack does not exist</Message>
  </Error>
  <RequestId>4af14eec-350e-11e4-b260-EXAMPLE</RequestId>
</ErrorResponse>`
	iamListUsersEmptyXML = `<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
   <ListUsersResult>
      <Users/>
      <IsTruncated>false</IsTruncated>
   </ListUsersResult>
   <ResponseMetadata>
      <RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>
   </ResponseMetadata>
</ListUsersResponse>`
	iamNoSuchEntityXML = `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <Error>
    <Type>Sender</Type>
    <Code>NoSuchEntity</Code>
    <Message>The user with name Bob cannot be found.</Message>
  </Error>
  <RequestId>1a2b3c4d-EXAMPLE</RequestId>
</ErrorResponse>`
	cwPutMetricDataXML = `<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">
  <ResponseMetadata>
    <RequestId>e16fc4d3-9a04-11e0-9362-093a1cae5385</RequestId>
  </ResponseMetadata>
</PutMetricDataResponse>`
	sesSendEmailXML = `<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">
  <SendEmailResult>
    <MessageId>00000131d51d2292-159ad6eb-077c-46e6-ad09-ae7c05925ed4-000000</MessageId>
  </SendEmailResult>
  <ResponseMetadata>
    <RequestId>d5964849-c866-11e0-9beb-01a62d68c57f</RequestId>
  </ResponseMetadata>
</SendEmailResponse>`
	rdsDescribeDBInstancesXML = `<DescribeDBInstancesResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">
  <DescribeDBInstancesResult>
    <DBInstances>
      <DBInstance>
        <DBInstanceIdentifier>mydbinstance</DBInstanceIdentifier>
        <AllocatedStorage>20</AllocatedStorage>
        <ReadReplicaDBInstanceIdentifiers/>
        <VpcSecurityGroups>
          <VpcSecurityGroupMembership>
            <VpcSecurityGroupId>sg-1</VpcSecurityGroupId>
            <Status>active</Status>
          </VpcSecurityGroupMembership>
          <VpcSecurityGroupMembership>
            <VpcSecurityGroupId>sg-2</VpcSecurityGroupId>
            <Status>active</Status>
          </VpcSecurityGroupMembership>
        </VpcSecurityGroups>
      </DBInstance>
    </DBInstances>
  </DescribeDBInstancesResult>
  <ResponseMetadata>
    <RequestId>01b2685a-b978-11d3-f272-7cd6cce12cc5</RequestId>
  </ResponseMetadata>
</DescribeDBInstancesResponse>`
)

func TestQueryProtocol(t *testing.T) {
	tests := []struct {
		name     string
		resource string // SERVICE:ACTION
		params   string
		reply    stubReply
		// form are form members the request must carry (absent: not at all).
		form map[string]string
		// signing is the SigV4 scope's service and region; "" means the
		// service's name and testRegion.
		signing, region string
		// want is the result's JSON, or the failure's name and cause part.
		want, cause string
	}{
		{name: "sts getCallerIdentity", resource: "sts:getCallerIdentity", params: `{}`,
			reply: stubReply{body: stsCallerIdentityXML},
			form:  map[string]string{"Action": "GetCallerIdentity", "Version": "2011-06-15"},
			want:  `{"Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/Alice","UserId":"AKIAI44QH8DHBEXAMPLE"}`},
		{name: "sns publish", resource: "sns:publish",
			params: `{"TopicArn":"arn:aws:sns:us-east-2:123456789012:My-Topic","Message":"hello",
				"MessageAttributes":{"store":{"DataType":"String","StringValue":"example_corp"},"n":{"DataType":"Number","StringValue":"3"}}}`,
			reply: stubReply{body: snsPublishXML},
			form: map[string]string{"Action": "Publish", "Version": "2010-03-31",
				"TopicArn": "arn:aws:sns:us-east-2:123456789012:My-Topic", "Message": "hello",
				"MessageAttributes.entry.1.Name": "store", "MessageAttributes.entry.1.Value.DataType": "String",
				"MessageAttributes.entry.1.Value.StringValue": "example_corp",
				"MessageAttributes.entry.2.Name":              "n", "MessageAttributes.entry.2.Value.DataType": "Number",
				"MessageAttributes.entry.2.Value.StringValue": "3"},
			want: `{"MessageId":"567910cd-659e-55d4-8ccb-5aaf14679dc0"}`},
		{name: "sns createTopic map and list", resource: "sns:createTopic",
			params: `{"Name":"My-Topic","Attributes":{"DisplayName":"Mine","FifoTopic":"false"},
				"Tags":[{"Key":"team","Value":"a"},{"Key":"env","Value":"dev"}],"DataProtectionPolicy":null}`,
			reply: stubReply{body: snsCreateTopicXML},
			form: map[string]string{"Action": "CreateTopic", "Name": "My-Topic",
				"Attributes.entry.1.key": "DisplayName", "Attributes.entry.1.value": "Mine",
				"Attributes.entry.2.key": "FifoTopic", "Attributes.entry.2.value": "false",
				"Tags.member.1.Key": "team", "Tags.member.1.Value": "a", "Tags.member.2.Key": "env", "Tags.member.2.Value": "dev",
				"DataProtectionPolicy": absent},
			want: `{"TopicArn":"arn:aws:sns:us-east-2:123456789012:My-Topic"}`},
		{name: "sns listTopics", resource: "sns:listTopics", params: `{}`,
			reply: stubReply{body: snsListTopicsXML},
			want:  `{"Topics":[{"TopicArn":"arn:aws:sns:us-east-2:123456789012:My-Topic"}]}`},
		{name: "sns getTopicAttributes map", resource: "sns:getTopicAttributes", params: `{"TopicArn":"t"}`,
			reply: stubReply{body: snsTopicAttributesXML},
			want:  `{"Attributes":{"Owner":"123456789012","DisplayName":"","TopicArn":"arn:aws:sns:us-east-2:123456789012:My-Topic"}}`},
		{name: "sns not found", resource: "sns:getTopicAttributes", params: `{"TopicArn":"t"}`,
			reply: stubReply{status: 404, body: snsNotFoundXML},
			want:  "Sns.NotFoundException", cause: "Topic does not exist (Service: Sns, Status Code: 404, Request ID: 9dd01905-5012-5f99-8663-4b3ecd0dfaef)"},
		{name: "sns request id header wins", resource: "sns:getTopicAttributes", params: `{"TopicArn":"t"}`,
			reply: stubReply{status: 404, header: map[string]string{"X-Amzn-Requestid": "from-header"}, body: snsNotFoundXML},
			want:  "Sns.NotFoundException", cause: "Request ID: from-header)"},
		{name: "cloudformation createStack", resource: "cloudformation:createStack",
			params: `{"StackName":"MyStack","TemplateURL":"https://s3.amazonaws.com/t.json","TimeoutInMinutes":10,"DisableRollback":true,
				"Parameters":[{"ParameterKey":"KeyName","ParameterValue":"k"}],"Capabilities":["CAPABILITY_IAM"],"NotificationARNs":[]}`,
			reply: stubReply{body: cfnCreateStackXML},
			form: map[string]string{"Action": "CreateStack", "Version": "2010-05-15", "StackName": "MyStack",
				"TimeoutInMinutes": "10", "DisableRollback": "true",
				"Parameters.member.1.ParameterKey": "KeyName", "Parameters.member.1.ParameterValue": "k",
				"Capabilities.member.1": "CAPABILITY_IAM", "NotificationARNs": ""},
			want: `{"StackId":"arn:aws:cloudformation:us-east-1:123456789:stack/MyStack/aaf549a0-a413-11df-adb3-5081b3858e83"}`},
		{name: "cloudformation describeStacks", resource: "cloudformation:describeStacks", params: `{"StackName":"MyStack"}`,
			reply: stubReply{body: cfnDescribeStacksXML},
			want: `{"Stacks":[{"CreationTime":"2010-07-27T22:28:28Z","DisableRollback":"false",` +
				`"Outputs":[{"OutputKey":"StartPage","OutputValue":"http://my-load-balancer.amazonaws.com:80/index.html"}],` +
				`"StackId":"arn:aws:cloudformation:us-east-1:123456789:stack/MyStack/aaf549a0-a413-11df-adb3-5081b3858e83",` +
				`"StackName":"MyStack","StackStatus":"CREATE_COMPLETE"}]}`},
		{name: "cloudformation validation error", resource: "cloudformation:describeStacks", params: `{"StackName":"NoStack"}`,
			reply: stubReply{status: 400, body: cfnValidationErrorXML},
			want:  "CloudFormation.ValidationErrorException", cause: "Stack with id NoStack does not exist (Service: CloudFormation, Status Code: 400, Request ID: 4af14eec-350e-11e4-b260-EXAMPLE)"},
		{name: "iam empty list, us-east-1 signature", resource: "iam:listUsers", params: `{"MaxItems":10}`,
			reply:  stubReply{body: iamListUsersEmptyXML},
			form:   map[string]string{"Action": "ListUsers", "Version": "2010-05-08", "MaxItems": "10"},
			region: "us-east-1",
			want:   `{"IsTruncated":"false","Users":[]}`},
		{name: "iam error", resource: "iam:getUser", params: `{"UserName":"Bob"}`,
			reply: stubReply{status: 404, body: iamNoSuchEntityXML}, region: "us-east-1",
			want: "Iam.NoSuchEntityException", cause: "The user with name Bob cannot be found. (Service: Iam, Status Code: 404, Request ID: 1a2b3c4d-EXAMPLE)"},
		{name: "cloudwatch putMetricData", resource: "cloudwatch:putMetricData",
			params: `{"Namespace":"Shop","MetricData":[{"MetricName":"Orders","Value":1.5,"Unit":"Count",
				"Dimensions":[{"Name":"Env","Value":"dev"}]}]}`,
			reply:   stubReply{body: cwPutMetricDataXML},
			signing: "monitoring",
			form: map[string]string{"Action": "PutMetricData", "Version": "2010-08-01", "Namespace": "Shop",
				"MetricData.member.1.MetricName": "Orders", "MetricData.member.1.Value": "1.5",
				"MetricData.member.1.Dimensions.member.1.Name": "Env", "MetricData.member.1.Dimensions.member.1.Value": "dev"},
			want: `{}`},
		{name: "ses sendEmail", resource: "ses:sendEmail",
			params: `{"Source":"a@example.com","Destination":{"ToAddresses":["b@example.com","c@example.com"]},
				"Message":{"Subject":{"Data":"Hi"},"Body":{"Text":{"Data":"Hello","Charset":"UTF-8"}}}}`,
			reply: stubReply{body: sesSendEmailXML},
			form: map[string]string{"Action": "SendEmail", "Version": "2010-12-01", "Source": "a@example.com",
				"Destination.ToAddresses.member.1": "b@example.com", "Destination.ToAddresses.member.2": "c@example.com",
				"Message.Subject.Data": "Hi", "Message.Body.Text.Data": "Hello", "Message.Body.Text.Charset": "UTF-8"},
			want: `{"MessageId":"00000131d51d2292-159ad6eb-077c-46e6-ad09-ae7c05925ed4-000000"}`},
		{name: "rds named list items", resource: "rds:describeDBInstances", params: `{}`,
			reply: stubReply{body: rdsDescribeDBInstancesXML},
			want: `{"DBInstances":[{"AllocatedStorage":"20","DBInstanceIdentifier":"mydbinstance",` +
				`"ReadReplicaDBInstanceIdentifiers":[],"VpcSecurityGroups":` +
				`[{"Status":"active","VpcSecurityGroupId":"sg-1"},{"Status":"active","VpcSecurityGroupId":"sg-2"}]}]}`},
		{name: "map by its keys", resource: "sts:assumeRole",
			params: `{"RoleArn":"r","RoleSessionName":"s","ExtraConfig":{"a-b":"1"}}`,
			reply:  stubReply{body: `<AssumeRoleResponse><AssumeRoleResult/></AssumeRoleResponse>`},
			form:   map[string]string{"ExtraConfig.entry.1.key": "a-b", "ExtraConfig.entry.1.value": "1"},
			want:   `{}`},
		{name: "no body", resource: "autoscaling:setDesiredCapacity", params: `{"AutoScalingGroupName":"g","DesiredCapacity":2}`,
			reply: stubReply{},
			form:  map[string]string{"Action": "SetDesiredCapacity", "Version": "2011-01-01", "DesiredCapacity": "2"},
			want:  `{}`},
		{name: "not xml", resource: "elasticache:describeCacheClusters", params: `{}`,
			reply: stubReply{body: `{"not":"xml"}`},
			want:  "ElastiCache.SdkClientException", cause: "Unable to unmarshall response"},
		{name: "wrong response element", resource: "elasticloadbalancing:describeLoadBalancers", params: `{}`,
			reply: stubReply{body: `<OtherResponse/>`},
			want:  "ElasticLoadBalancing.SdkClientException", cause: "the body is a <OtherResponse>, not an <DescribeLoadBalancersResponse>"},
		{name: "error without a code", resource: "redshift:describeClusters", params: `{}`,
			reply: stubReply{status: 503, body: `<html>Service Unavailable</html>`},
			want:  "Redshift.RedshiftException", cause: "null (Service: Redshift, Status Code: 503, Request ID: null)"},
		{name: "params not PascalCase", resource: "sns:publish", params: `{"topicArn":"t","Message.Body":"m"}`,
			want: "States.Runtime", cause: `[The field 'topicArn' is not supported by Step Functions, The field 'Message.Body' is not supported by Step Functions]`},
		{name: "params not an object", resource: "sts:getCallerIdentity", params: `"x"`,
			want: "States.Runtime", cause: `The Parameters '"x"' could not be used to start the Task: [The Parameters must be a JSON object, not string]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, tc.reply)
			service, _, _ := strings.Cut(tc.resource, ":")
			h := s.handler(t, service)
			out, err := h.Invoke(t.Context(), taskRequest(SDKPrefix+tc.resource, tc.params))
			if !strings.HasPrefix(tc.want, "{") {
				wantFailure(t, err, tc.want, tc.cause)
			} else if err != nil {
				t.Fatalf("Invoke: %v", err)
			} else if got := value.String(out); got != tc.want {
				t.Errorf("result\n got  %s\n want %s", got, tc.want)
			}
			if strings.HasPrefix(tc.want, "States.") {
				return
			}
			r := s.last(t)
			if r.method != "POST" || r.path != "/" {
				t.Errorf("request %s %s, want POST /", r.method, r.path)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/x-www-form-urlencoded; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			wantSigning, wantRegion := services[service].SigningName, testRegion
			if tc.signing != "" {
				wantSigning = tc.signing
			}
			if tc.region != "" {
				wantRegion = tc.region
			}
			if r.service != wantSigning || r.region != wantRegion {
				t.Errorf("signed for %s in %s, want %s in %s", r.service, r.region, wantSigning, wantRegion)
			}
			checkForm(t, r.form, tc.form)
		})
	}
}

// absent marks a form member or header that must not be sent.
const absent = "\x00absent"

// checkForm compares the form members named in want.
func checkForm(t *testing.T, got url.Values, want map[string]string) {
	t.Helper()
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vs, ok := got[k]
		switch {
		case want[k] == absent:
			if ok {
				t.Errorf("%s = %q, want it absent", k, vs)
			}
		case len(vs) != 1 || vs[0] != want[k]:
			t.Errorf("%s = %q, want %q", k, vs, want[k])
		}
	}
	if t.Failed() {
		t.Logf("form sent: %v", got)
	}
}

// taskRequest is a Task of resource with Parameters params (JSON).
func taskRequest(resource, params string) *engine.TaskRequest {
	return &engine.TaskRequest{Resource: resource, Input: value.MustParse(params), ExecutionARN: testExecution, StateName: "S"}
}
