package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	t.Setenv("STEPWISE_TEST_SECRET", "s3cret")
	tests := []struct {
		name, text, wantErr string
		check               func(t *testing.T, c *Config)
	}{
		{"full", `{
			"region": "eu-west-1",
			"connections": {
				"Stripe": {"apiKey": {"name": "Authorization", "value": "${STEPWISE_TEST_SECRET}"}},
				"Legacy": {"basic": {"username": "svc", "password": "plain"}, "headers": {"X-Tenant": "acme"}},
				"Partner": {"oauth": {"tokenUrl": "https://auth.example.com/token", "clientId": "id", "clientSecret": "${STEPWISE_TEST_SECRET}"}},
				"Public": {}
			},
			"lambda": {"endpoint": "http://127.0.0.1:3001", "functions": {"resize": {"command": "cat"}, "score:beta": {"url": "http://127.0.0.1:8080"}}}
		}`, "", func(t *testing.T, c *Config) {
			if c.Connections["Stripe"].APIKey.Value != "s3cret" || c.Connections["Partner"].OAuth.ClientSecret != "s3cret" {
				t.Error("secrets not read from the environment")
			}
			if c.Connections["Legacy"].Basic.Password != "plain" || c.Lambda.Functions["resize"].Command != "cat" {
				t.Error("values lost")
			}
		}},
		{"empty", `{}`, "", nil},
		{"unknown field", `{"conections": {}}`, `unknown field "conections"`, nil},
		{"trailing data", `{} {}`, "data after", nil},
		{"not JSON", `{`, "integration config", nil},
		{"unset variable", `{"connections": {"a": {"basic": {"username": "u", "password": "${STEPWISE_TEST_UNSET_VAR}"}}}}`, "STEPWISE_TEST_UNSET_VAR, which is not set", nil},
		{"two auths", `{"connections": {"a": {"basic": {}, "apiKey": {"name": "k"}}}}`, "at most one", nil},
		{"bad connection name", `{"connections": {"a/b": {}}}`, "has no ':' or '/'", nil},
		{"bad function", `{"lambda": {"functions": {"f": {}}}}`, "exactly one of command and url", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseConfig([]byte(tc.text))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "s3cret") {
					t.Error("error leaks a secret")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "integrations.json")
	if err := os.WriteFile(path, []byte(`{"lambda": {"functions": {"f": {"command": "cat"}}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig(path)
	if err != nil || c.Lambda.Functions["f"].Command != "cat" {
		t.Fatalf("LoadConfig = %+v, %v", c, err)
	}
	if _, err := LoadConfig(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("LoadConfig of a missing file succeeded")
	}
	if _, err := New(c, Options{}); err != nil {
		t.Errorf("New: %v", err)
	}
}
