package httpinvoke

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/stepwise-run/stepwise/asl/failure"
)

// token is a cached OAuth access token.
type token struct {
	value   string
	expires time.Time // zero: no expiry given
}

// tokenCache keeps one access token per connection.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]token
}

// expiryMargin renews a token this long before it expires.
const expiryMargin = 30 * time.Second

func (c *tokenCache) drop(name string) {
	c.mu.Lock()
	delete(c.m, name)
	c.mu.Unlock()
}

// get returns a valid token for the connection, fetching one if needed.
func (c *tokenCache) get(ctx context.Context, client *http.Client, name string, o *OAuth) (string, error) {
	c.mu.Lock()
	t, ok := c.m[name]
	c.mu.Unlock()
	if ok && (t.expires.IsZero() || time.Now().Before(t.expires)) {
		return t.value, nil
	}
	t, err := fetchToken(ctx, client, o)
	if err != nil {
		return "", failure.Errorf(ErrInvalidConnectionState,
			"The connection '%s' is not authorized: its OAuth token request failed (%s).", name, err)
	}
	c.mu.Lock()
	c.m[name] = t
	c.mu.Unlock()
	return t.value, nil
}

// tokenError describes a failed token request without secrets.
type tokenError string

func (e tokenError) Error() string { return string(e) }

// fetchToken performs the client-credentials grant.
func fetchToken(ctx context.Context, client *http.Client, o *OAuth) (token, error) {
	form := url.Values{"grant_type": {"client_credentials"}}
	if o.Scope != "" {
		form.Set("scope", o.Scope)
	}
	for k, v := range o.BodyParameters {
		form.Set(k, v)
	}
	u, err := url.Parse(o.TokenURL)
	if err != nil {
		return token{}, tokenError("the token URL is not valid")
	}
	q := u.Query()
	for k, v := range o.QueryParameters {
		q.Set(k, v)
	}
	u.RawQuery = q.Encode()
	method := o.Method
	if method == "" {
		method = http.MethodPost
	}
	var body io.Reader
	if method != http.MethodGet {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return token{}, tokenError("the token request could not be built")
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "application/json")
	for k, v := range o.Headers {
		req.Header.Set(k, v)
	}
	req.SetBasicAuth(url.QueryEscape(o.ClientID), url.QueryEscape(o.ClientSecret))
	resp, err := client.Do(req)
	if err != nil {
		return token{}, tokenError("the token endpoint could not be reached")
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes))
	if err != nil {
		return token{}, tokenError("the token response could not be read")
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return token{}, tokenError("the token endpoint answered " + resp.Status)
	}
	var tr struct {
		AccessToken string  `json:"access_token"`
		ExpiresIn   float64 `json:"expires_in"`
	}
	if json.Unmarshal(data, &tr) != nil || tr.AccessToken == "" {
		return token{}, tokenError("the token response has no access_token")
	}
	t := token{value: tr.AccessToken}
	if tr.ExpiresIn > 0 {
		t.expires = time.Now().Add(time.Duration(tr.ExpiresIn)*time.Second - expiryMargin)
	}
	return t, nil
}
