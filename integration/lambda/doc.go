// Package lambda runs the Lambda Task integrations:
//
//   - arn:aws:states:::lambda:invoke, the optimised integration. Its
//     Parameters are FunctionName (required; a name, name:qualifier, partial
//     or full function ARN), Payload, Qualifier, InvocationType
//     (RequestResponse, Event or DryRun), ClientContext and LogType. The
//     result is Lambda's Invoke response as Step Functions shapes it:
//     {ExecutedVersion, [LogResult], Payload, [SdkHttpMetadata,
//     SdkResponseMetadata], StatusCode}, Payload parsed when it is JSON.
//   - arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER], the legacy
//     form: the Task's input is the payload and the function's payload is
//     the result.
//
// A function runs in one of three places, chosen by Config.Functions (by
// qualified name first, then by name) and then Config.Endpoint:
//
//   - a local command (Function.Command): local.Command semantics, with
//     the payload as the command's standard input and its standard output
//     as the function's payload;
//   - an HTTP URL (Function.URL): the payload is POSTed; a 2xx response body
//     is the function's payload, anything else (or an X-Amz-Function-Error
//     header) is a function error;
//   - a Lambda-Invoke-compatible endpoint (Config.Endpoint): the REST call
//     POST /2015-03-31/functions/NAME/invocations, as AWS Lambda, the AWS SAM
//     CLI's local Lambda service or LocalStack answer it.
//
// A command or URL function runs even for InvocationType Event, at once and
// to its end, and its result is dropped; DryRun runs nothing.
//
// Errors are named as Step Functions names them. A function error (the
// X-Amz-Function-Error header) fails the task with the payload's errorType
// (Lambda.Unknown when it has none) and the payload text as the cause. A
// Lambda service error fails it with Lambda.<ErrorCode> and the cause AWS's
// Java SDK writes, "<message> (Service: AWSLambda; Status Code: 404; Error
// Code: ResourceNotFoundException; Request ID: …; Proxy: null)". A function
// that is neither configured nor reachable through an endpoint fails with
// Lambda.ResourceNotFoundException. An endpoint that cannot be reached fails
// with Lambda.SdkClientException. Bad Parameters fail with States.Runtime
// ("The Parameters '…' could not be used to start the Task: […]").
//
// Every call is bounded: by the Task's TimeoutSeconds (States.Timeout when
// it passes), by the context, and otherwise by Config.TimeoutSeconds.
package lambda
