package awsservice

import "sort"

// Service describes how to reach one AWS service.
type Service struct {
	// Name is the service's name in aws-sdk resources and in the
	// configuration's endpoints ("dynamodb", "sqs", "eventbridge", …).
	Name string
	// SigningName is the SigV4 service name ("events" for EventBridge).
	SigningName string
	// TargetPrefix and JSONVersion make the JSON protocol's X-Amz-Target
	// header and Content-Type; "" for query-protocol services.
	TargetPrefix string
	JSONVersion  string
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

// JSON reports whether the service speaks the AWS JSON protocol, which
// is what aws-sdk integrations need.
func (s *Service) JSON() bool { return s.TargetPrefix != "" }

// services are the services this package can call.
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
	"sns": {Name: "sns", SigningName: "sns",
		SDKName: "Sns", OptimisedName: "SNS", JavaName: "AmazonSNS"},
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
