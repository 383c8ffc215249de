package lambda

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Config says where functions run.
type Config struct {
	// Endpoint is the base URL of a Lambda-Invoke-compatible service,
	// such as http://127.0.0.1:3001 for `sam local start-lambda`; "" means
	// none: functions not in Functions are not found.
	Endpoint string `json:"endpoint,omitempty"`
	// Region and Account fill the function ARNs in error messages;
	// "" means us-east-1 and 123456789012.
	Region  string `json:"region,omitempty"`
	Account string `json:"account,omitempty"`
	// Functions by name, or by NAME:QUALIFIER for one version or alias.
	Functions map[string]Function `json:"functions,omitempty"`
	// TimeoutSeconds bounds a call whose Task has no TimeoutSeconds; 0
	// means 900, Lambda's own maximum.
	TimeoutSeconds int64 `json:"timeoutSeconds,omitempty"`
}

// Function runs one function locally: exactly one of Command and URL.
type Function struct {
	// Command is run with `sh -c` (see local.Command).
	Command string `json:"command,omitempty"`
	// Dir is the command's working directory; "" for the current one.
	Dir string `json:"dir,omitempty"`
	// URL receives the payload in a POST.
	URL string `json:"url,omitempty"`
}

// Validate reports what is wrong with the configuration.
func (c *Config) Validate() error {
	var errs []error
	if c.Endpoint != "" {
		if err := checkURL(c.Endpoint); err != nil {
			errs = append(errs, fmt.Errorf("endpoint: %w", err))
		}
	}
	if c.TimeoutSeconds < 0 {
		errs = append(errs, errors.New("timeoutSeconds is negative"))
	}
	for name, f := range c.Functions {
		fn, qual, _ := strings.Cut(name, ":")
		if !validName(fn) || (qual != "" && !validQualifier(qual)) {
			errs = append(errs, fmt.Errorf("function %q: not a function name or NAME:QUALIFIER", name))
		}
		switch {
		case (f.Command == "") == (f.URL == ""):
			errs = append(errs, fmt.Errorf("function %q: give exactly one of command and url", name))
		case f.URL != "":
			if err := checkURL(f.URL); err != nil {
				errs = append(errs, fmt.Errorf("function %q: url: %w", name, err))
			}
		}
	}
	return errors.Join(errs...)
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("not an http(s) URL")
	}
	return nil
}
