// Package awsservice runs Task states that call AWS services: the
// optimised integrations of Amazon SQS, Amazon SNS, Amazon DynamoDB and
// Amazon EventBridge, and the AWS SDK integrations of services that speak
// the AWS JSON or query protocol, of Amazon EC2 and of Amazon S3. Every
// call goes to the endpoint configured for its service (ElasticMQ,
// DynamoDB Local, MinIO, LocalStack, or AWS itself), signed with
// Signature Version 4 using the configured credentials.
//
// Configuration is the "aws" section of the integration configuration
// file (see Config); credentials may name environment variables:
//
//	"aws": {
//	  "region": "us-east-1",
//	  "credentials": {"accessKeyId": "${AWS_ACCESS_KEY_ID}", "secretAccessKey": "${AWS_SECRET_ACCESS_KEY}"},
//	  "endpoints": {"sqs": "http://127.0.0.1:9324", "dynamodb": "http://127.0.0.1:8000",
//	                "eventbridge": "http://127.0.0.1:4566", "sns": "http://127.0.0.1:4566",
//	                "sfn": "http://127.0.0.1:8083", "ec2": "http://127.0.0.1:4566",
//	                "s3": "http://127.0.0.1:9000"},
//	  "s3Addressing": "path"
//	}
//
// Endpoint keys are the aws-sdk service names (Services): eventbridge for
// events:putEvents, sfn for Step Functions, cloudwatch for CloudWatch
// (signed as "monitoring"), ses for SES v1. S3 calls name their bucket in
// the path (ENDPOINT/Bucket/Key, "s3Addressing": "path", the default, as
// MinIO and LocalStack want it) or in the host name
// (Bucket.ENDPOINT/Key, "s3Addressing": "virtual", as AWS's S3 does by
// default; see S3AddressingVirtual for the buckets and endpoints that
// keep the path).
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
//	arn:aws:states:::aws-sdk:SERVICE:ACTION     any action of a service of the
//	                                            JSON protocol (dynamodb, sqs, sfn,
//	                                            eventbridge, secretsmanager, ssm,
//	                                            kinesis, kms) or of the query
//	                                            protocol (sns, sts, ses,
//	                                            cloudformation, iam, elasticache,
//	                                            rds, redshift, cloudwatch,
//	                                            autoscaling, elasticloadbalancing,
//	                                            elasticloadbalancingv2), and of EC2
//	                                            (ec2: describeInstances,
//	                                            runInstances, createTags, …)
//	arn:aws:states:::aws-sdk:s3:ACTION          S3 getObject, putObject,
//	                                            headObject, deleteObject,
//	                                            copyObject, listObjectsV2
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
// Stepwise has no service models: query-protocol and EC2 Parameters are
// serialised as encodeQuery describes, with each service's API version
// (Service.APIVersion); EC2's are named on the wire as ec2WireName gives
// (InstanceIds → InstanceId.1, Filters → Filter.1.Name). S3 Parameters
// are checked against the members of the action; the putObject Body is
// sent as its JSON text, as Step Functions does (a string Body "text"
// stores "text" with its quotes).
//
// Results are shaped as Step Functions returns them: the optimised SQS,
// SNS and DynamoDB integrations give the response members with
// SdkHttpMetadata and SdkResponseMetadata; events:putEvents gives Entries
// and FailedEntryCount, and fails with EventBridge.FailedEntry when
// FailedEntryCount is not 0; AWS SDK integrations give the response
// members, PascalCase. Query-protocol results are the action's
// <ActionResult> element converted by the model-less heuristic of
// xmlToValue (lists, maps and structures inferred from the XML, scalars
// strings); EC2 results are the <ActionResponse> element's members read
// by the same heuristic and named as the SDK names them (ec2Result:
// reservationSet → Reservations, instanceState → State). S3 results are
// sorted by name, as Step Functions sorts them: getObject gives the
// response headers' members (ContentLength a number, LastModified ISO
// 8601, Metadata from x-amz-meta-*) and then Body, the object read as
// UTF-8 text; an object larger than the 256 KiB payload quota fails with
// States.DataLimitExceeded without being read whole.
//
// Errors: a service error fails the task with <Service>.<Code>, the code
// given an "Exception" suffix when it has none (SQS.QueueDoesNotExistException,
// DynamoDB.ConditionalCheckFailedException, DynamoDb.ResourceNotFoundException
// for aws-sdk:dynamodb, Sns.NotFoundException for aws-sdk:sns), and the
// cause the AWS Java SDK writes:
//
//	<message> (Service: AmazonSQS; Status Code: 400; Error Code: <code>; Request ID: <id>; Proxy: null)   optimised
//	<message> (Service: DynamoDb, Status Code: 400, Request ID: <id>)                                    aws-sdk
//	<message> (Service: S3, Status Code: 404, Request ID: <id>, Extended Request ID: <id-2>)              aws-sdk:s3
//
// The service part is the AWS SDK for Java 2.x client's name (Service.SDKName).
// An aws-sdk error without a code is <Service>.<Service>Exception, as is an
// S3 error whose code S3's model does not declare (S3.S3Exception for
// AccessDenied; S3.NoSuchKeyException, also for a HEAD answered 404), and
// every EC2 error, since EC2's model declares none: Ec2.Ec2Exception,
// whose cause has EC2's message but not its code
// (InvalidInstanceID.NotFound). For the other services every code is
// taken as declared: AWS names an undeclared one
// <Service>.<Service>Exception instead.
//
// A service with no endpoint configured, or an endpoint that cannot be
// reached, fails with <Service>.SdkClientException; bad Parameters fail with
// States.Runtime in AWS's words; a call that outlives the Task's
// TimeoutSeconds fails with States.Timeout. Nothing succeeds without the
// service having answered.
package awsservice
