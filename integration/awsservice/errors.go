package awsservice

import (
	"encoding/xml"
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
	var code, msg, rid string
	if req.svc.JSON() {
		code, msg = jsonError(rep)
	} else {
		code, msg, rid = xmlError(rep.body)
	}
	if rep.requestID != "" {
		rid = rep.requestID
	}
	if code == "" {
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
	name := code
	if !strings.HasSuffix(name, "Exception") {
		name += "Exception"
	}
	name = errorPrefix(req) + "." + name
	var cause string
	if req.sdk {
		cause = fmt.Sprintf("%s (Service: %s, Status Code: %d, Request ID: %s)", msg, req.svc.SDKName, rep.status, rid)
	} else {
		cause = fmt.Sprintf("%s (Service: %s; Status Code: %d; Error Code: %s; Request ID: %s; Proxy: null)",
			msg, req.svc.JavaName, rep.status, code, rid)
	}
	return failure.New(strings.ToValidUTF8(name, "\uFFFD"), strings.ToValidUTF8(cause, "\uFFFD"))
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

// xmlError reads a query-protocol error:
// <ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>.
func xmlError(body []byte) (code, msg, rid string) {
	var e struct {
		Error struct {
			Code    string `xml:"Code"`
			Message string `xml:"Message"`
		} `xml:"Error"`
		RequestID string `xml:"RequestId"`
	}
	if xml.Unmarshal(body, &e) != nil {
		return "", "", ""
	}
	return e.Error.Code, e.Error.Message, e.RequestID
}
