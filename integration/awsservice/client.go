package awsservice

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
)

// maxResponse bounds a response body read.
const maxResponse = 16 << 20

// request is one call of a service action.
type request struct {
	svc *Service
	// sdk is set for aws-sdk integrations: errors take the SDK's names.
	sdk bool
	// method is the HTTP method; "" means POST.
	method string
	// path is the escaped path below the endpoint ("" means "/"), or
	// below the bucket when bucket is set; query the query parameters and
	// header the extra headers (REST protocols).
	path   string
	query  url.Values
	header http.Header
	// contentType and body are the request's entity; target is the JSON
	// protocol's X-Amz-Target.
	contentType string
	target      string
	body        []byte
	// maxBody bounds the successful response's body; 0 means maxResponse.
	// A longer body is cut and the reply marked truncated.
	maxBody int
	// s3Error names the error of an S3 answer without a body (HEAD).
	s3Error string
	// bucket is the S3 bucket the request addresses, in the host name or
	// the path (s3Address).
	bucket string
}

// reply is a service's successful answer.
type reply struct {
	status    int
	header    http.Header
	body      []byte
	requestID string
	// truncated is set when the body was longer than the request's maxBody.
	truncated bool
}

// send signs and sends req to its service's endpoint within the task's
// time limit, and turns a service error into the task's failure.
func (h *Handler) send(ctx context.Context, t *engine.TaskRequest, req *request) (*reply, error) {
	endpoint, ok := h.cfg.Endpoints[req.svc.Name]
	if !ok {
		return nil, clientError(req, "Unable to execute HTTP request: no endpoint is configured for the service '"+
			req.svc.Name+"' (set aws.endpoints."+req.svc.Name+" in the integration configuration)")
	}
	limit := time.Duration(h.cfg.TimeoutSeconds) * time.Second
	taskLimited := false
	if t.TimeoutSeconds > 0 && time.Duration(t.TimeoutSeconds)*time.Second <= limit {
		limit, taskLimited = time.Duration(t.TimeoutSeconds)*time.Second, true
	}
	callCtx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	rep, err := h.do(callCtx, endpoint, req)
	if err != nil && callCtx.Err() != nil {
		switch {
		case ctx.Err() != nil:
			return nil, failure.Errorf(failure.TaskFailed, "The call to %s was cancelled: %v", req.svc.Name, ctx.Err())
		case taskLimited:
			return nil, failure.Errorf(failure.Timeout, "The call to %s did not finish within the Task's TimeoutSeconds.", req.svc.Name)
		default:
			return nil, failure.Errorf(failure.Timeout, "The call to %s did not finish within %d seconds.", req.svc.Name, h.cfg.TimeoutSeconds)
		}
	}
	return rep, err
}

// do performs the signed HTTP call.
func (h *Handler) do(ctx context.Context, endpoint string, req *request) (*reply, error) {
	u, err := url.Parse(strings.TrimSuffix(endpoint, "/"))
	if err != nil {
		return nil, clientError(req, "Unable to build the HTTP request: "+err.Error())
	}
	path := req.path
	if req.bucket != "" {
		path = s3Address(u, req.bucket, h.cfg.S3Addressing == S3AddressingVirtual) + path
	}
	if path == "" {
		path = "/"
	}
	raw := u.EscapedPath() + path
	u.Path, err = url.PathUnescape(raw)
	if err != nil {
		return nil, clientError(req, "Unable to build the HTTP request: "+err.Error())
	}
	u.RawPath = raw
	u.RawQuery = encodeQueryString(req.query)
	method := req.method
	if method == "" {
		method = http.MethodPost
	}
	var body io.Reader
	if req.body != nil || method == http.MethodPost || method == http.MethodPut {
		body = bytes.NewReader(req.body)
	}
	hr, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, clientError(req, "Unable to build the HTTP request: "+err.Error())
	}
	for k, vs := range req.header {
		hr.Header[k] = vs
	}
	if req.contentType != "" {
		hr.Header.Set("Content-Type", req.contentType)
	}
	if req.target != "" {
		hr.Header.Set("X-Amz-Target", req.target)
	}
	sum := sha256.Sum256(req.body)
	payloadHash := hex.EncodeToString(sum[:])
	signer := h.signer
	if req.svc.Protocol == ProtocolRESTXML {
		// S3 signs the payload's hash as a header and its path unescaped
		// a second time.
		hr.Header.Set("X-Amz-Content-Sha256", payloadHash)
		signer = h.s3Signer
	}
	creds := aws.Credentials{
		AccessKeyID:     h.cfg.Credentials.AccessKeyID,
		SecretAccessKey: h.cfg.Credentials.SecretAccessKey,
		SessionToken:    h.cfg.Credentials.SessionToken,
	}
	region := h.cfg.Region
	if req.svc.SigningRegion != "" {
		region = req.svc.SigningRegion
	}
	if err := signer.SignHTTP(ctx, creds, hr, payloadHash, req.svc.SigningName, region, h.now()); err != nil {
		return nil, clientError(req, "Unable to sign the HTTP request: "+err.Error())
	}
	resp, err := h.client.Do(hr)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, clientError(req, "Unable to execute HTTP request: "+err.Error())
	}
	defer resp.Body.Close()
	success := resp.StatusCode >= 200 && resp.StatusCode <= 299
	limit := maxResponse
	if success && req.maxBody > 0 {
		limit = req.maxBody
	}
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, int64(limit)+1))
	if err != nil {
		return nil, clientError(req, "Unable to read the HTTP response: "+err.Error())
	}
	rep := &reply{status: resp.StatusCode, header: resp.Header, body: respBody, requestID: requestID(resp.Header)}
	if len(respBody) > limit {
		if !success || req.maxBody == 0 {
			return nil, clientError(req, "The HTTP response is larger than 16 MiB.")
		}
		rep.body, rep.truncated = respBody[:limit], true
	}
	if !success {
		return nil, serviceError(req, rep)
	}
	return rep, nil
}

// encodeQueryString encodes q as AWS signs it: sorted by key, spaces as
// %20.
func encodeQueryString(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	// url.Values.Encode escapes '+' itself, so every '+' it writes is a
	// space.
	return strings.ReplaceAll(q.Encode(), "+", "%20")
}

// requestID reads the request id an AWS service answers with.
func requestID(h http.Header) string {
	for _, k := range []string{"X-Amzn-Requestid", "X-Amz-Request-Id"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}
