package lambda

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/value"
)

// maxPayload bounds a response payload read (Lambda's synchronous limit is
// 6 MB).
const maxPayload = 6 << 20

// postEndpoint performs Lambda's Invoke REST call against the endpoint.
func (h *Handler) postEndpoint(ctx context.Context, in *invocation) (*response, error) {
	// The bare name and a Qualifier parameter: every Lambda-compatible
	// service (AWS, SAM CLI, LocalStack) understands that form.
	u := h.cfg.Endpoint + "/2015-03-31/functions/" + url.PathEscape(in.fn.name) + "/invocations"
	if in.fn.qualifier != "" {
		u += "?Qualifier=" + url.QueryEscape(in.fn.qualifier)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(in.payload))
	if err != nil {
		return nil, failure.Errorf(ErrSdkClient, "Unable to build the HTTP request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Amz-Invocation-Type", in.invocationType)
	if in.logType != "" {
		req.Header.Set("X-Amz-Log-Type", in.logType)
	}
	if in.clientContext != "" {
		req.Header.Set("X-Amz-Client-Context", in.clientContext)
	}
	resp, body, err := h.do(req)
	if err != nil {
		return nil, err
	}
	rid := resp.Header.Get("X-Amzn-Requestid")
	if resp.StatusCode >= 300 && resp.Header.Get("X-Amz-Function-Error") == "" {
		code, msg := errorCode(resp, body)
		return nil, serviceError(resp.StatusCode, code, msg, rid)
	}
	return h.finish(resp, body, in, rid)
}

// postURL POSTs the payload to a function's own URL.
func (h *Handler) postURL(ctx context.Context, in *invocation, target string) (*response, error) {
	if in.invocationType == DryRun {
		return &response{status: http.StatusNoContent, value: "", executedVersion: executed(in), requestID: newRequestID(), header: http.Header{}}, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(in.payload))
	if err != nil {
		return nil, failure.Errorf(ErrSdkClient, "Unable to build the HTTP request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, body, err := h.do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		resp.Header.Set("X-Amz-Function-Error", "Unhandled")
	}
	out, err := h.finish(resp, body, in, resp.Header.Get("X-Amzn-Requestid"))
	if err != nil {
		return nil, err
	}
	if in.invocationType == Event {
		out.status, out.value = http.StatusAccepted, ""
	} else {
		out.status = http.StatusOK
	}
	return out, nil
}

// do sends req and reads the response body. A call that gets no response
// fails as the AWS SDK reports it.
func (h *Handler) do(req *http.Request) (*http.Response, []byte, error) {
	resp, err := h.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, nil, failure.New(ErrSdkClient, "Unable to execute HTTP request: "+err.Error())
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPayload+1))
	if err != nil {
		return nil, nil, failure.New(ErrSdkClient, "Unable to read the HTTP response: "+err.Error())
	}
	if len(body) > maxPayload {
		return nil, nil, serviceError(413, "RequestTooLargeException", "Response payload size exceeded maximum allowed payload size (6291556 bytes).", "")
	}
	return resp, body, nil
}

// finish turns a response into the function's outcome.
func (h *Handler) finish(resp *http.Response, body []byte, in *invocation, rid string) (*response, error) {
	if resp.Header.Get("X-Amz-Function-Error") != "" {
		return nil, functionError(body)
	}
	if rid == "" {
		rid = newRequestID()
	}
	out := &response{status: resp.StatusCode, header: resp.Header, requestID: rid,
		executedVersion: resp.Header.Get("X-Amz-Executed-Version"), logResult: resp.Header.Get("X-Amz-Log-Result")}
	if out.executedVersion == "" {
		out.executedVersion = executed(in)
	}
	out.value = parsePayload(body)
	return out, nil
}

// parsePayload parses a JSON payload; anything else is its text.
func parsePayload(b []byte) any {
	if v, err := value.Parse(b); err == nil {
		return v
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// executed is the ExecutedVersion of a local function.
func executed(in *invocation) string {
	if q := in.fn.qualifier; q != "" && strings.Trim(q, "0123456789") == "" {
		return q
	}
	return "$LATEST"
}

// errorCode reads a Lambda API error's code and message: the code from
// X-Amzn-ErrorType (or the body's __type), the message from the body.
func errorCode(resp *http.Response, body []byte) (code, msg string) {
	code, _, _ = strings.Cut(resp.Header.Get("X-Amzn-Errortype"), ":")
	var o *value.Object
	if v, err := value.Parse(body); err == nil {
		o, _ = v.(*value.Object)
	}
	str := func(k string) string {
		v, _ := o.Get(k)
		s, _ := v.(string)
		return s
	}
	if code == "" {
		code = str("__type")
		if i := strings.LastIndexByte(code, '#'); i >= 0 {
			code = code[i+1:]
		}
	}
	for _, k := range []string{"message", "Message", "errorMessage"} {
		if msg = str(k); msg != "" {
			break
		}
	}
	if msg == "" {
		msg = strings.TrimSpace(strings.ToValidUTF8(string(body), "\uFFFD"))
	}
	if code == "" {
		switch {
		case resp.StatusCode == http.StatusNotFound:
			code = "ResourceNotFoundException"
		case resp.StatusCode == http.StatusTooManyRequests:
			code = "TooManyRequestsException"
		case resp.StatusCode >= 500:
			code = "ServiceException"
		default:
			code = "AWSLambdaException"
		}
	}
	if !validName(code) {
		code = "AWSLambdaException"
	}
	return code, msg
}
