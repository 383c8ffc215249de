package httpinvoke

import (
	"errors"
	"fmt"
	"strings"
)

// Connection is the local stand-in for an EventBridge connection: how to
// authorise calls, and parameters added to every call that uses it. At most
// one of APIKey, Basic and OAuth is set; none means no authorisation.
type Connection struct {
	APIKey *APIKey `json:"apiKey,omitempty"`
	Basic  *Basic  `json:"basic,omitempty"`
	OAuth  *OAuth  `json:"oauth,omitempty"`
	// Invocation parameters merged into each request; they win over the
	// Task's Headers, QueryParameters and RequestBody members of the same
	// name.
	Headers         map[string]string `json:"headers,omitempty"`
	QueryParameters map[string]string `json:"queryParameters,omitempty"`
	BodyParameters  map[string]string `json:"bodyParameters,omitempty"`
}

// APIKey sends Value in the header Name.
type APIKey struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Basic sends HTTP basic authorisation.
type Basic struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// OAuth fetches a bearer token with the client-credentials grant from
// TokenURL and sends it as "Authorization: Bearer TOKEN". The client id and
// secret go in a basic Authorization header of the token request, whose
// form body is grant_type=client_credentials plus BodyParameters.
type OAuth struct {
	TokenURL        string            `json:"tokenUrl"`
	Method          string            `json:"method,omitempty"` // default POST
	ClientID        string            `json:"clientId"`
	ClientSecret    string            `json:"clientSecret"`
	Scope           string            `json:"scope,omitempty"`
	Headers         map[string]string `json:"headers,omitempty"`
	QueryParameters map[string]string `json:"queryParameters,omitempty"`
	BodyParameters  map[string]string `json:"bodyParameters,omitempty"`
}

// Validate reports what is wrong with the connection.
func (c *Connection) Validate() error {
	n := 0
	var errs []error
	if c.APIKey != nil {
		n++
		if c.APIKey.Name == "" {
			errs = append(errs, errors.New("apiKey.name is empty"))
		}
	}
	if c.Basic != nil {
		n++
	}
	if c.OAuth != nil {
		n++
		if c.OAuth.TokenURL == "" {
			errs = append(errs, errors.New("oauth.tokenUrl is empty"))
		} else if !strings.HasPrefix(c.OAuth.TokenURL, "http://") && !strings.HasPrefix(c.OAuth.TokenURL, "https://") {
			errs = append(errs, errors.New("oauth.tokenUrl is not an http(s) URL"))
		}
		if c.OAuth.ClientID == "" {
			errs = append(errs, errors.New("oauth.clientId is empty"))
		}
	}
	if n > 1 {
		errs = append(errs, errors.New("give at most one of apiKey, basic and oauth"))
	}
	return errors.Join(errs...)
}

// AuthorizationType names the authorisation as EventBridge does: API_KEY,
// BASIC, OAUTH_CLIENT_CREDENTIALS, or NONE.
func (c *Connection) AuthorizationType() string {
	switch {
	case c.APIKey != nil:
		return "API_KEY"
	case c.Basic != nil:
		return "BASIC"
	case c.OAuth != nil:
		return "OAUTH_CLIENT_CREDENTIALS"
	}
	return "NONE"
}

// String describes the connection without its secrets.
func (c Connection) String() string {
	return fmt.Sprintf("Connection{%s, %d headers, %d query parameters, %d body parameters}",
		c.AuthorizationType(), len(c.Headers), len(c.QueryParameters), len(c.BodyParameters))
}

// GoString is String, so %#v does not print secrets either.
func (c Connection) GoString() string { return c.String() }

// String redacts the key value.
func (k APIKey) String() string { return "APIKey{" + k.Name + ": ***}" }

// GoString is String.
func (k APIKey) GoString() string { return k.String() }

// String redacts the password.
func (b Basic) String() string { return "Basic{" + b.Username + ": ***}" }

// GoString is String.
func (b Basic) GoString() string { return b.String() }

// String redacts the client secret.
func (o OAuth) String() string { return "OAuth{" + o.TokenURL + ", client " + o.ClientID + ": ***}" }

// GoString is String.
func (o OAuth) GoString() string { return o.String() }

// ConnectionName returns the connection name in an EventBridge connection
// ARN, arn:PARTITION:events:REGION:ACCOUNT:connection/NAME[/ID]. A bare name
// is accepted as itself.
func ConnectionName(connectionARN string) (string, bool) {
	if !strings.HasPrefix(connectionARN, "arn:") {
		return connectionARN, connectionARN != "" && !strings.ContainsAny(connectionARN, ":/")
	}
	parts := strings.SplitN(connectionARN, ":", 6)
	if len(parts) != 6 || parts[2] != "events" {
		return "", false
	}
	rest, ok := strings.CutPrefix(parts[5], "connection/")
	if !ok {
		return "", false
	}
	name, _, _ := strings.Cut(rest, "/")
	return name, name != ""
}
