// Package integration connects Task states to the outside world: a Router
// chooses the handler of each task by its resource ARN, and a Config file
// says where those handlers send their calls.
//
// Handlers today:
//
//	arn:aws:states:::http:invoke                           package httpinvoke
//	arn:aws:states:::lambda:invoke                         package lambda
//	arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] package lambda (legacy form)
//
// Resources with an integration-pattern suffix (.waitForTaskToken, .sync,
// .sync:2) fail with States.TaskFailed until callbacks exist; any other
// resource fails with States.Runtime and the message AWS gives a resource
// it does not recognise ("The resource provided … is not recognized. …"),
// since AWS would have refused such a definition. No task ever succeeds
// without a handler doing its work.
//
// # Configuration file
//
// JSON, unknown fields rejected. Secret values written "${NAME}" are read
// from the environment variable NAME:
//
//	{
//	  "region": "eu-west-1",
//	  "connections": {
//	    "Stripe":  {"apiKey": {"name": "Authorization", "value": "${STRIPE_KEY}"}},
//	    "Legacy":  {"basic": {"username": "svc", "password": "${LEGACY_PASSWORD}"},
//	                "headers": {"X-Tenant": "acme"}},
//	    "Partner": {"oauth": {"tokenUrl": "https://auth.example.com/token", "clientId": "stepwise",
//	                          "clientSecret": "${PARTNER_SECRET}", "scope": "orders"}},
//	    "Public":  {}
//	  },
//	  "lambda": {
//	    "endpoint": "http://127.0.0.1:3001",
//	    "functions": {
//	      "resize":       {"command": "python3 resize.py", "dir": "./functions"},
//	      "score:beta":   {"url": "http://127.0.0.1:8080/score"}
//	    }
//	  }
//	}
//
// A ConnectionArn such as
// arn:aws:events:eu-west-1:123456789012:connection/Stripe/0f9c… selects the
// connection "Stripe". A function is looked up by NAME:QUALIFIER, then by
// NAME, then sent to the endpoint (any Lambda-Invoke-compatible service:
// `sam local start-lambda`, LocalStack, AWS Lambda itself behind a signing
// proxy); with no endpoint an unknown function fails with
// Lambda.ResourceNotFoundException.
//
// An "aws" section turns on the AWS service integrations (package
// awsservice: sqs:sendMessage, sns:publish, dynamodb:*Item, events:putEvents
// and aws-sdk:SERVICE:ACTION for JSON- and query-protocol services, EC2 and
// S3), sent to an endpoint per service and signed with SigV4 (S3 buckets
// path-style, or virtual-hosted with "s3Addressing": "virtual"):
//
//	"aws": {
//	  "credentials": {"accessKeyId": "${AWS_ACCESS_KEY_ID}", "secretAccessKey": "${AWS_SECRET_ACCESS_KEY}"},
//	  "endpoints": {"sqs": "http://127.0.0.1:9324", "dynamodb": "http://127.0.0.1:8000"}
//	}
//
// A service without an endpoint fails its tasks with <Service>.SdkClientException
// naming the configuration key to set. Nested executions
// (states:startExecution) and mocks (package mock, --mock-config) need no
// configuration here.
//
// # Wiring a runtime
//
// A Router has the Invoke method of both local.Handler and
// runner.TaskHandler:
//
//	cfg, err := integration.LoadConfig("stepwise.integrations.json")
//	if err != nil { … }
//	router, err := integration.New(cfg, integration.Options{})
//	if err != nil { … }
//
//	// stepwise run: state-name handlers (--task) first, the Router for the rest.
//	res, err := local.Run(ctx, machine, input, local.Options{Handlers: byName, Fallback: router})
//
//	// stepwise serve:
//	r := runner.New(runner.Config{Store: st, Tasks: router, …})
//
// More handlers can be added before use with Router.Handle (an exact
// resource) and Router.HandleMatch (a family).
package integration
