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
	sdk         bool
	contentType string
	target      string // X-Amz-Target; "" for the query protocol
	body        []byte
}

// reply is a service's successful answer.
type reply struct {
	status    int
	header    http.Header
	body      []byte
	requestID string
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
	rep, err := h.post(callCtx, endpoint, req)
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

// post performs the signed HTTP call.
func (h *Handler) post(ctx context.Context, endpoint string, req *request) (*reply, error) {
	u := strings.TrimSuffix(endpoint, "/") + "/"
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(req.body))
	if err != nil {
		return nil, clientError(req, "Unable to build the HTTP request: "+err.Error())
	}
	hr.Header.Set("Content-Type", req.contentType)
	if req.target != "" {
		hr.Header.Set("X-Amz-Target", req.target)
	}
	sum := sha256.Sum256(req.body)
	creds := aws.Credentials{
		AccessKeyID:     h.cfg.Credentials.AccessKeyID,
		SecretAccessKey: h.cfg.Credentials.SecretAccessKey,
		SessionToken:    h.cfg.Credentials.SessionToken,
	}
	if err := h.signer.SignHTTP(ctx, creds, hr, hex.EncodeToString(sum[:]), req.svc.SigningName, h.cfg.Region, h.now()); err != nil {
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
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, clientError(req, "Unable to read the HTTP response: "+err.Error())
	}
	if len(body) > maxResponse {
		return nil, clientError(req, "The HTTP response is larger than 16 MiB.")
	}
	rep := &reply{status: resp.StatusCode, header: resp.Header, body: body, requestID: requestID(resp.Header)}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, serviceError(req, rep)
	}
	return rep, nil
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
