package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
)

// NewClient returns a Step Functions client for endpoint with static test
// credentials, region us-east-1 and no SDK retries: callers that expect
// the server to die decide themselves when to try again.
func NewClient(endpoint string) *sfn.Client {
	return sfn.New(sfn.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:      aws.NopRetryer{},
		HTTPClient: &http.Client{
			Timeout:   30 * time.Second,
			Transport: bufferingTransport{http.DefaultTransport.(*http.Transport).Clone()},
		},
	})
}

// bufferingTransport reads each response body completely before handing
// the response to the SDK. Without it, about 2% of SDK calls with large
// answers (GetExecutionHistory) fail on the client with "deserialization
// failed … use of closed network connection" although the server sent a
// complete response: net/http closes the connection while the SDK still
// reads the body, once the SDK has closed its streamed request body
// (aws/aws-sdk-go-v2 issues 1825 and 2737; the SDK's default retryer hides
// it by retrying net.ErrClosed).
type bufferingTransport struct{ base http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (t bufferingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read response body: %w", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// IsAPIError reports whether err is an answer of the server (an AWS error
// code), as opposed to a transport failure such as a refused connection.
func IsAPIError(err error) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr)
}

// FetchHistory returns an execution's whole history, following nextToken
// through pages of pageSize events (0: the server's default).
func FetchHistory(ctx context.Context, c *sfn.Client, executionARN string, pageSize int32) ([]types.HistoryEvent, error) {
	var events []types.HistoryEvent
	in := &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(executionARN)}
	if pageSize > 0 {
		in.MaxResults = pageSize
	}
	for {
		out, err := c.GetExecutionHistory(ctx, in)
		if err != nil {
			return nil, err
		}
		events = append(events, out.Events...)
		if out.NextToken == nil || *out.NextToken == "" {
			return events, nil
		}
		in.NextToken = out.NextToken
	}
}
