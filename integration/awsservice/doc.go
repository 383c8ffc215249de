// Package awsservice runs Task states that call AWS services: the
// optimised integrations of Amazon SQS, Amazon SNS, Amazon DynamoDB and
// Amazon EventBridge, and the AWS SDK integrations of services that speak
// the AWS JSON protocol. Every call goes to the endpoint configured for its
// service (ElasticMQ, DynamoDB Local, LocalStack, or AWS itself), signed
// with Signature Version 4 using the configured credentials.
//
// Configuration is the "aws" section of the integration configuration
// file (see Config); credentials may name environment variables:
//
//	"aws": {
//	  "region": "us-east-1",
//	  "credentials": {"accessKeyId": "${AWS_ACCESS_KEY_ID}", "secretAccessKey": "${AWS_SECRET_ACCESS_KEY}"},
//	  "endpoints": {"sqs": "http://127.0.0.1:9324", "dynamodb": "http://127.0.0.1:8000",
//	                "eventbridge": "http://127.0.0.1:4566", "sns": "http://127.0.0.1:4566",
//	                "sfn": "http://127.0.0.1:8083"}
//	}
//
// Endpoint keys are the aws-sdk service names (Services): eventbridge for
// events:putEvents, sfn for Step Functions.
//
// Resources:
//
//	arn:aws:states:::sqs:sendMessage            SQS SendMessage (JSON protocol)
//	arn:aws:states:::sns:publish                SNS Publish (query protocol)
//	arn:aws:states:::dynamodb:getItem           DynamoDB GetItem
//	arn:aws:states:::dynamodb:putItem           DynamoDB PutItem
//	arn:aws:states:::dynamodb:updateItem        DynamoDB UpdateItem
//	arn:aws:states:::dynamodb:deleteItem        DynamoDB DeleteItem
//	arn:aws:states:::events:putEvents           EventBridge PutEvents
//	arn:aws:states:::aws-sdk:SERVICE:ACTION     any action of a JSON-protocol
//	                                            service (see Services)
//
// A resource with the .waitForTaskToken suffix makes the same call; the
// engine then waits for the task token, which the Parameters carry (for
// example "MessageBody": {"TaskToken.$": "$$.Task.Token"}).
//
// Parameters are those of the optimised integrations as AWS documents
// them: a MessageBody (SQS), Message (SNS) or Detail (EventBridge) that is
// not a string is sent as its JSON text; EventBridge entries get the
// execution's and state machine's ARNs appended to Resources. Parameters
// of AWS SDK integrations are the action's request members, PascalCase.
//
// Results are shaped as Step Functions returns them: the optimised SQS,
// SNS and DynamoDB integrations give the response members with
// SdkHttpMetadata and SdkResponseMetadata; events:putEvents gives Entries
// and FailedEntryCount, and fails with EventBridge.FailedEntry when
// FailedEntryCount is not 0; AWS SDK integrations give the response
// members, PascalCase.
//
// Errors: a service error fails the task with <Service>.<Code>, the code
// given an "Exception" suffix when it has none (SQS.QueueDoesNotExistException,
// DynamoDB.ConditionalCheckFailedException, DynamoDb.ResourceNotFoundException
// for aws-sdk:dynamodb), and the cause the AWS Java SDK writes:
//
//	<message> (Service: AmazonSQS; Status Code: 400; Error Code: <code>; Request ID: <id>; Proxy: null)   optimised
//	<message> (Service: DynamoDb, Status Code: 400, Request ID: <id>)                                    aws-sdk
//
// A service with no endpoint configured, or an endpoint that cannot be
// reached, fails with <Service>.SdkClientException; bad Parameters fail with
// States.Runtime in AWS's words; a call that outlives the Task's
// TimeoutSeconds fails with States.Timeout. Nothing succeeds without the
// service having answered.
package awsservice
