package service

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/stepwise-run/stepwise/history"
)

// Timestamp is a point in time that encodes as AWS's JSON protocol writes
// timestamps: epoch seconds with up to three decimals. A zero Timestamp is
// left out of responses by the omitzero option.
type Timestamp struct{ time.Time }

// NewTimestamp returns t as a Timestamp.
func NewTimestamp(t time.Time) Timestamp { return Timestamp{t} }

// MarshalJSON writes the epoch seconds.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return []byte(history.EpochSeconds(t.Time)), nil
}

// UnmarshalJSON reads epoch seconds.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
		return fmt.Errorf("timestamp %s out of range", b)
	}
	sec, frac := math.Modf(f)
	t.Time = time.Unix(int64(sec), int64(math.Round(frac*1000))*int64(time.Millisecond)).UTC()
	return nil
}

// Tag is a key/value tag of a resource.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// LoggingConfiguration is a state machine's logging settings. Stepwise
// stores and echoes them; it sends no logs.
type LoggingConfiguration struct {
	Level                string           `json:"level,omitempty"`
	IncludeExecutionData bool             `json:"includeExecutionData"`
	Destinations         []LogDestination `json:"destinations,omitempty"`
}

// LogDestination names a CloudWatch Logs log group.
type LogDestination struct {
	CloudWatchLogsLogGroup *CloudWatchLogsLogGroup `json:"cloudWatchLogsLogGroup,omitempty"`
}

// CloudWatchLogsLogGroup is the ARN of a log group.
type CloudWatchLogsLogGroup struct {
	LogGroupArn string `json:"logGroupArn,omitempty"`
}

// TracingConfiguration says whether X-Ray tracing is enabled.
type TracingConfiguration struct {
	Enabled bool `json:"enabled"`
}

// EncryptionConfiguration is a state machine's or activity's encryption
// settings, echoed as given.
type EncryptionConfiguration struct {
	Type                         string `json:"type,omitempty"`
	KmsKeyID                     string `json:"kmsKeyId,omitempty"`
	KmsDataKeyReusePeriodSeconds *int64 `json:"kmsDataKeyReusePeriodSeconds,omitempty"`
}

// RoutingConfigurationListItem routes a share of an alias's executions to
// one version.
type RoutingConfigurationListItem struct {
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
	Weight                 int64  `json:"weight"`
}

// CloudWatchEventsExecutionDataDetails says whether a payload is included.
type CloudWatchEventsExecutionDataDetails struct {
	Included bool `json:"included"`
}

// BillingDetails are the billing details of a synchronous Express
// execution.
type BillingDetails struct {
	BilledMemoryUsedInMB         int64 `json:"billedMemoryUsedInMB"`
	BilledDurationInMilliseconds int64 `json:"billedDurationInMilliseconds"`
}
