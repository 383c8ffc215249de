package e2e

import (
	"context"
	"errors"
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
		HTTPClient:   &http.Client{Timeout: 30 * time.Second},
	})
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
