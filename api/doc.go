// Package api serves the AWS Step Functions wire protocol (AWS JSON 1.0)
// over HTTP and maps each action onto package service.
//
// Every action is a POST with the header
// "X-Amz-Target: AWSStepFunctions.<Action>" and a JSON body; responses are
// JSON with timestamps as epoch seconds. Errors are answered as AWS does:
// an HTTP status (400 for client errors) and a body
// {"__type": "com.amazonaws.swf.service.v2.model#<Code>", "message": "…"},
// so AWS SDKs decode them into their typed errors. Bad input never causes a
// 5xx: malformed JSON and wrongly typed members are SerializationException,
// unknown actions UnknownOperationException; only a server fault (a store
// failure, a recovered panic) is a 500 InternalFailure.
//
// GET /healthz answers 200 "ok".
package api
