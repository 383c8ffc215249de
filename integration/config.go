package integration

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/stepwise-run/stepwise/integration/awsservice"
	"github.com/stepwise-run/stepwise/integration/httpinvoke"
	"github.com/stepwise-run/stepwise/integration/lambda"
)

// Config configures the integrations of a Router. Its JSON form is the
// configuration file (see the package documentation for an example).
type Config struct {
	// Region appears where AWS names one (the HTTP Task's User-Agent,
	// function ARNs in messages); "" means us-east-1.
	Region string `json:"region,omitempty"`
	// Connections for HTTP Tasks, by name: a ConnectionArn
	// arn:aws:events:REGION:ACCOUNT:connection/NAME/ID selects NAME.
	Connections map[string]httpinvoke.Connection `json:"connections,omitempty"`
	// Lambda says where Lambda functions run.
	Lambda lambda.Config `json:"lambda,omitempty"`
	// AWS says where AWS service integrations (SQS, SNS, DynamoDB,
	// EventBridge, aws-sdk:*) send their calls and how they are signed;
	// nil (no "aws" section) leaves those resources unhandled.
	AWS *awsservice.Config `json:"aws,omitempty"`
}

// LoadConfig reads a JSON configuration file (see ParseConfig).
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("integration config: %w", err)
	}
	c, err := ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// ParseConfig decodes and validates a JSON configuration. Unknown fields
// are errors. A secret field (apiKey.value, basic.password,
// oauth.clientSecret, aws.credentials.*) written as "${NAME}" takes the
// value of the environment variable NAME, so secrets need not be stored in the file;
// an unset variable is an error.
func ParseConfig(data []byte) (*Config, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Config
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("integration config: %w", err)
	}
	if dec.More() {
		return nil, errors.New("integration config: data after the JSON object")
	}
	if err := c.expandSecrets(os.LookupEnv); err != nil {
		return nil, fmt.Errorf("integration config: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("integration config: %w", err)
	}
	return &c, nil
}

// Validate reports every problem of the configuration.
func (c *Config) Validate() error {
	var errs []error
	for name, conn := range c.Connections {
		if name == "" || strings.ContainsAny(name, ":/") {
			errs = append(errs, fmt.Errorf("connection %q: a name has no ':' or '/'", name))
		}
		if err := conn.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("connection %q: %w", name, err))
		}
	}
	if err := c.Lambda.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("lambda: %w", err))
	}
	if c.AWS != nil {
		if err := c.AWS.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("aws: %w", err))
		}
	}
	return errors.Join(errs...)
}

// expandSecrets replaces "${NAME}" secret values with the environment's.
func (c *Config) expandSecrets(lookup func(string) (string, bool)) error {
	var errs []error
	expand := func(conn, field string, s *string) {
		name, ok := strings.CutPrefix(*s, "${")
		if !ok || !strings.HasSuffix(name, "}") {
			return
		}
		name = strings.TrimSuffix(name, "}")
		v, ok := lookup(name)
		if !ok {
			errs = append(errs, fmt.Errorf("connection %q: %s names the environment variable %s, which is not set", conn, field, name))
			return
		}
		*s = v
	}
	for name, conn := range c.Connections {
		if conn.APIKey != nil {
			k := *conn.APIKey
			expand(name, "apiKey.value", &k.Value)
			conn.APIKey = &k
		}
		if conn.Basic != nil {
			b := *conn.Basic
			expand(name, "basic.password", &b.Password)
			conn.Basic = &b
		}
		if conn.OAuth != nil {
			o := *conn.OAuth
			expand(name, "oauth.clientSecret", &o.ClientSecret)
			conn.OAuth = &o
		}
		c.Connections[name] = conn
	}
	if c.AWS != nil {
		if err := c.AWS.ExpandSecrets(lookup); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
