package awsservice

import (
	"cmp"
	"fmt"
	"net/http"
	"strings"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/value"
)

// errorPrefix is the service part of the error names of req.
func errorPrefix(req *request) string {
	if req.sdk {
		return req.svc.SDKName
	}
	return req.svc.OptimisedName
}

// clientError is a failure to get an answer from the service, named as the
// AWS SDK names it.
func clientError(req *request, cause string) *failure.Error {
	return failure.New(errorPrefix(req)+".SdkClientException", cause)
}

// serviceError turns a service's error answer into the task's failure:
// <Service>.<Code>Exception with the cause the AWS Java SDK writes.
func serviceError(req *request, rep *reply) *failure.Error {
	var code, msg, rid, hostID string
	if req.svc.JSON() {
		code, msg = jsonError(rep)
	} else {
		code, msg, rid, hostID = xmlError(rep.body)
	}
	if rep.requestID != "" {
		rid = rep.requestID
	}
	if h := rep.header.Get("X-Amz-Id-2"); h != "" {
		hostID = h
	}
	if code == "" && req.s3Error != "" && rep.status == http.StatusNotFound {
		code = req.s3Error
	}
	if code == "" && !req.sdk {
		code = strings.ReplaceAll(http.StatusText(rep.status), " ", "")
		if code == "" {
			code = "Unknown"
		}
	}
	if msg == "" {
		msg = "null"
	}
	if rid == "" {
		rid = "null"
	}
	name := errorPrefix(req) + "." + sdkExceptionName(req, code)
	var cause string
	switch {
	case req.sdk && req.svc.Protocol == ProtocolRESTXML:
		cause = fmt.Sprintf("%s (Service: %s, Status Code: %d, Request ID: %s, Extended Request ID: %s)",
			msg, req.svc.SDKName, rep.status, rid, cmp.Or(hostID, "null"))
	case req.sdk:
		cause = fmt.Sprintf("%s (Service: %s, Status Code: %d, Request ID: %s)", msg, req.svc.SDKName, rep.status, rid)
	default:
		cause = fmt.Sprintf("%s (Service: %s; Status Code: %d; Error Code: %s; Request ID: %s; Proxy: null)",
			msg, req.svc.JavaName, rep.status, code, rid)
	}
	return failure.New(strings.ToValidUTF8(name, "\uFFFD"), strings.ToValidUTF8(cause, "\uFFFD"))
}

// s3Exceptions are the error codes S3's model declares; the AWS SDK for
// Java names every other S3 error S3Exception.
var s3Exceptions = map[string]bool{
	"BucketAlreadyExists": true, "BucketAlreadyOwnedByYou": true, "EncryptionTypeMismatch": true,
	"IdempotencyParameterMismatch": true, "InvalidObjectState": true, "InvalidRequest": true,
	"InvalidWriteOffset": true, "NoSuchBucket": true, "NoSuchKey": true, "NoSuchUpload": true,
	"ObjectAlreadyInActiveTierError": true, "ObjectNotInActiveTierError": true, "TooManyParts": true,
}

// sdkExceptionName is the exception part of an error name: the code with
// an "Exception" suffix, as the AWS SDK for Java names modelled errors.
// Without the models, every code of a JSON or query service is taken as
// modelled; S3's are looked up in s3Exceptions; EC2's model declares no
// errors at all. A code that is not modelled, or no code, gives the
// service's base exception (S3.S3Exception, Ec2.Ec2Exception for every
// EC2 error), as Step Functions names it.
func sdkExceptionName(req *request, code string) string {
	unmodelled := req.svc.Protocol == ProtocolEC2 || req.svc.Protocol == ProtocolRESTXML && !s3Exceptions[code]
	if req.sdk && (code == "" || unmodelled) {
		return req.svc.SDKName + "Exception"
	}
	if !strings.HasSuffix(code, "Exception") {
		code += "Exception"
	}
	return code
}

// jsonError reads the code and message of a JSON-protocol error: the code
// from the X-Amzn-Errortype header or the body's __type (after any '#'
// namespace and before any ':'), the message from message or Message.
func jsonError(rep *reply) (code, msg string) {
	var o *value.Object
	if v, err := value.Parse(rep.body); err == nil {
		o, _ = v.(*value.Object)
	}
	str := func(k string) string {
		if o == nil {
			return ""
		}
		v, _ := o.Get(k)
		s, _ := v.(string)
		return s
	}
	code = rep.header.Get("X-Amzn-Errortype")
	if code == "" {
		code = str("__type")
	}
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	code, _, _ = strings.Cut(code, ":")
	msg = str("message")
	if msg == "" {
		msg = str("Message")
	}
	return code, msg
}

// xmlError reads an XML error answer: the query protocol's
// <ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>,
// S3's <Error><Code/><Message/><RequestId/><HostId/></Error>, or
// <Response><Errors><Error>…</Error></Errors><RequestID/></Response>.
func xmlError(body []byte) (code, msg, rid, hostID string) {
	root, err := parseXML(body)
	if err != nil {
		return "", "", "", ""
	}
	e := root
	switch {
	case root.child("Error") != nil:
		e = root.child("Error")
	case root.child("Errors") != nil && root.child("Errors").child("Error") != nil:
		e = root.child("Errors").child("Error")
	case root.name != "Error":
		return "", "", "", ""
	}
	rid = cmp.Or(root.childText("RequestId"), cmp.Or(root.childText("RequestID"), e.childText("RequestId")))
	return strings.TrimSpace(e.childText("Code")), e.childText("Message"), rid, root.childText("HostId")
}
