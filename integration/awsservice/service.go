package awsservice

import "sort"

// Protocol is the wire protocol a service speaks.
type Protocol int

// The protocols of the services this package calls.
const (
	// ProtocolJSON is the AWS JSON protocol (1.0 or 1.1): a POST to "/"
	// naming the action in X-Amz-Target.
	ProtocolJSON Protocol = iota
	// ProtocolQuery is the AWS query protocol: a form-encoded POST naming
	// Action and Version, answered with XML.
	ProtocolQuery
	// ProtocolRESTXML is Amazon S3's REST protocol: the action is the
	// method and path, members travel in headers, query and body, and
	// answers are XML.
	ProtocolRESTXML
	// ProtocolEC2 is Amazon EC2's variant of the query protocol: lists
	// are written Name.N, and answers are <ActionResponse> with the
	// result's members directly inside, lists as <item> elements.
	ProtocolEC2
)

// Service describes how to reach one AWS service.
type Service struct {
	// Name is the service's name in aws-sdk resources and in the
	// configuration's endpoints ("dynamodb", "sqs", "eventbridge", …).
	Name string
	// SigningName is the SigV4 service name ("events" for EventBridge).
	SigningName string
	// SigningRegion, when set, replaces the configured region in
	// signatures (IAM signs for us-east-1 wherever it is called from).
	SigningRegion string
	// Protocol is the wire protocol.
	Protocol Protocol
	// TargetPrefix and JSONVersion make the JSON protocol's X-Amz-Target
	// header and Content-Type.
	TargetPrefix string
	JSONVersion  string
	// APIVersion is the Version parameter of the query and EC2
	// protocols.
	APIVersion string
	// MapMembers names the request members of a query-protocol service
	// that are maps, with the names of their entries' key and value
	// (see encodeQuery); objects not named here are structures unless
	// their keys show otherwise.
	MapMembers map[string][2]string
	// SDKName prefixes the errors of aws-sdk integrations (DynamoDb,
	// Sqs); OptimisedName and JavaName those of optimised integrations
	// (DynamoDB, AmazonDynamoDBv2).
	SDKName       string
	OptimisedName string
	JavaName      string
	// CamelCase is set for services whose wire members are camelCase:
	// Step Functions presents them PascalCase.
	CamelCase bool
}

// JSON reports whether the service speaks the AWS JSON protocol.
func (s *Service) JSON() bool { return s.Protocol == ProtocolJSON }

// query returns a query-protocol service: its name, signing name, API
// version and aws-sdk error prefix.
func query(name, signing, version, sdk string) *Service {
	return &Service{Name: name, SigningName: signing, Protocol: ProtocolQuery, APIVersion: version,
		SDKName: sdk, OptimisedName: sdk, JavaName: sdk}
}

// services are the services this package can call. The SDK names are
// the AWS SDK for Java 2.x client names, which Step Functions uses in
// the error names of aws-sdk integrations.
var services = map[string]*Service{
	"dynamodb": {Name: "dynamodb", SigningName: "dynamodb", TargetPrefix: "DynamoDB_20120810", JSONVersion: "1.0",
		SDKName: "DynamoDb", OptimisedName: "DynamoDB", JavaName: "AmazonDynamoDBv2"},
	"sqs": {Name: "sqs", SigningName: "sqs", TargetPrefix: "AmazonSQS", JSONVersion: "1.0",
		SDKName: "Sqs", OptimisedName: "SQS", JavaName: "AmazonSQS"},
	"eventbridge": {Name: "eventbridge", SigningName: "events", TargetPrefix: "AWSEvents", JSONVersion: "1.1",
		SDKName: "EventBridge", OptimisedName: "EventBridge", JavaName: "AmazonCloudWatchEvents"},
	"sfn": {Name: "sfn", SigningName: "states", TargetPrefix: "AWSStepFunctions", JSONVersion: "1.0",
		SDKName: "Sfn", OptimisedName: "Sfn", JavaName: "AWSStepFunctions", CamelCase: true},
	"secretsmanager": {Name: "secretsmanager", SigningName: "secretsmanager", TargetPrefix: "secretsmanager", JSONVersion: "1.1",
		SDKName: "SecretsManager", OptimisedName: "SecretsManager", JavaName: "AWSSecretsManager"},
	"ssm": {Name: "ssm", SigningName: "ssm", TargetPrefix: "AmazonSSM", JSONVersion: "1.1",
		SDKName: "Ssm", OptimisedName: "Ssm", JavaName: "AWSSimpleSystemsManagement"},
	"kinesis": {Name: "kinesis", SigningName: "kinesis", TargetPrefix: "Kinesis_20131202", JSONVersion: "1.1",
		SDKName: "Kinesis", OptimisedName: "Kinesis", JavaName: "AmazonKinesis"},
	"kms": {Name: "kms", SigningName: "kms", TargetPrefix: "TrentService", JSONVersion: "1.1",
		SDKName: "Kms", OptimisedName: "Kms", JavaName: "AWSKMS"},

	"sns": {Name: "sns", SigningName: "sns", Protocol: ProtocolQuery, APIVersion: "2010-03-31",
		MapMembers: map[string][2]string{"Attributes": {"key", "value"}, "MessageAttributes": {"Name", "Value"}},
		SDKName:    "Sns", OptimisedName: "SNS", JavaName: "AmazonSNS"},
	"sts":                    query("sts", "sts", "2011-06-15", "Sts"),
	"ses":                    query("ses", "ses", "2010-12-01", "Ses"),
	"cloudformation":         query("cloudformation", "cloudformation", "2010-05-15", "CloudFormation"),
	"iam":                    withSigningRegion(query("iam", "iam", "2010-05-08", "Iam"), "us-east-1"),
	"elasticache":            query("elasticache", "elasticache", "2015-02-02", "ElastiCache"),
	"rds":                    query("rds", "rds", "2014-10-31", "Rds"),
	"redshift":               query("redshift", "redshift", "2012-12-01", "Redshift"),
	"cloudwatch":             query("cloudwatch", "monitoring", "2010-08-01", "CloudWatch"),
	"autoscaling":            query("autoscaling", "autoscaling", "2011-01-01", "AutoScaling"),
	"elasticloadbalancing":   query("elasticloadbalancing", "elasticloadbalancing", "2012-06-01", "ElasticLoadBalancing"),
	"elasticloadbalancingv2": query("elasticloadbalancingv2", "elasticloadbalancing", "2015-12-01", "ElasticLoadBalancingV2"),

	"ec2": {Name: "ec2", SigningName: "ec2", Protocol: ProtocolEC2, APIVersion: "2016-11-15",
		SDKName: "Ec2", OptimisedName: "Ec2", JavaName: "AmazonEC2"},

	"s3": {Name: "s3", SigningName: "s3", Protocol: ProtocolRESTXML, SDKName: "S3", OptimisedName: "S3", JavaName: "Amazon S3"},
}

func withSigningRegion(s *Service, region string) *Service {
	s.SigningRegion = region
	return s
}

// Services returns the names of the services that can be configured, in
// order.
func Services() []string {
	names := make([]string, 0, len(services))
	for n := range services {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
