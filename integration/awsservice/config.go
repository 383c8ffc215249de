package awsservice

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// DefaultTimeoutSeconds bounds a call whose Task sets no TimeoutSeconds.
const DefaultTimeoutSeconds = 60

// Config says where AWS service calls go and how they are signed. Its
// JSON form is the "aws" member of the integration configuration file:
//
//	"aws": {
//	  "region": "us-east-1",
//	  "credentials": {"accessKeyId": "${AWS_ACCESS_KEY_ID}", "secretAccessKey": "${AWS_SECRET_ACCESS_KEY}"},
//	  "endpoints": {"sqs": "http://127.0.0.1:9324", "dynamodb": "http://127.0.0.1:8000",
//	                "eventbridge": "http://127.0.0.1:4566", "sns": "http://127.0.0.1:4566",
//	                "s3": "https://s3.eu-west-1.amazonaws.com"},
//	  "s3Addressing": "virtual"
//	}
type Config struct {
	// Region is the SigV4 signing region; "" means the file's region, or
	// us-east-1.
	Region string `json:"region,omitempty"`
	// Credentials sign every call. They are required when any endpoint
	// is configured.
	Credentials Credentials `json:"credentials,omitzero"`
	// Endpoints are base URLs by service name (see Services). A service
	// without one cannot be called.
	Endpoints map[string]string `json:"endpoints,omitempty"`
	// S3Addressing says how calls to the s3 endpoint name their bucket:
	// S3AddressingPath (the default, as MinIO and LocalStack want it) or
	// S3AddressingVirtual (as AWS's S3 does by default).
	S3Addressing string `json:"s3Addressing,omitempty"`
	// TimeoutSeconds bounds a call whose Task has no TimeoutSeconds; 0
	// means DefaultTimeoutSeconds.
	TimeoutSeconds int64 `json:"timeoutSeconds,omitempty"`
}

// The values of Config.S3Addressing.
const (
	// S3AddressingPath puts the bucket in the path:
	// ENDPOINT/BUCKET/KEY. "" means the same.
	S3AddressingPath = "path"
	// S3AddressingVirtual puts the bucket in the host name:
	// BUCKET.HOST:PORT/KEY below the endpoint's path, as AWS's S3
	// endpoint rules do for an endpoint of one's own. A bucket that
	// cannot be a host name (not 3 to 63 lower-case letters, digits and
	// hyphens, dot-separated labels only over http) and an endpoint whose
	// host is an IP address keep the bucket in the path.
	S3AddressingVirtual = "virtual"
)

// Credentials are AWS credentials. Each field may be written "${NAME}"
// to read the environment variable NAME (see Config.ExpandSecrets).
type Credentials struct {
	AccessKeyID     string `json:"accessKeyId,omitempty"`
	SecretAccessKey string `json:"secretAccessKey,omitempty"`
	SessionToken    string `json:"sessionToken,omitempty"`
}

// Validate reports every problem of the configuration.
func (c *Config) Validate() error {
	var errs []error
	for name, ep := range c.Endpoints {
		if _, ok := services[name]; !ok {
			errs = append(errs, fmt.Errorf("endpoints: unknown service %q (known: %s)", name, strings.Join(Services(), ", ")))
			continue
		}
		u, err := url.Parse(ep)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("endpoints: %s: %q is not an http(s) URL", name, ep))
		}
	}
	if len(c.Endpoints) > 0 && (c.Credentials.AccessKeyID == "" || c.Credentials.SecretAccessKey == "") {
		errs = append(errs, errors.New("credentials: accessKeyId and secretAccessKey are required to sign calls to the endpoints"))
	}
	switch c.S3Addressing {
	case "", S3AddressingPath, S3AddressingVirtual:
	default:
		errs = append(errs, fmt.Errorf("s3Addressing: %q is neither %q nor %q", c.S3Addressing, S3AddressingPath, S3AddressingVirtual))
	}
	if c.TimeoutSeconds < 0 {
		errs = append(errs, errors.New("timeoutSeconds is negative"))
	}
	return errors.Join(errs...)
}

// ExpandSecrets replaces each credential written "${NAME}" with the
// value of the environment variable NAME, as lookup (os.LookupEnv) gives
// it; an unset variable is an error.
func (c *Config) ExpandSecrets(lookup func(string) (string, bool)) error {
	var errs []error
	expand := func(field string, s *string) {
		name, ok := strings.CutPrefix(*s, "${")
		if !ok || !strings.HasSuffix(name, "}") {
			return
		}
		name = strings.TrimSuffix(name, "}")
		v, ok := lookup(name)
		if !ok {
			errs = append(errs, fmt.Errorf("aws: credentials.%s names the environment variable %s, which is not set", field, name))
			return
		}
		*s = v
	}
	expand("accessKeyId", &c.Credentials.AccessKeyID)
	expand("secretAccessKey", &c.Credentials.SecretAccessKey)
	expand("sessionToken", &c.Credentials.SessionToken)
	return errors.Join(errs...)
}
