package awsservice

import (
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	creds := Credentials{AccessKeyID: "a", SecretAccessKey: "s"}
	tests := []struct {
		name string
		cfg  Config
		want string // "" for valid
	}{
		{"empty", Config{}, ""},
		{"endpoints", Config{Credentials: creds, Endpoints: map[string]string{"sqs": "http://127.0.0.1:9324", "dynamodb": "https://dynamodb.eu-west-1.amazonaws.com"}}, ""},
		{"unknown service", Config{Credentials: creds, Endpoints: map[string]string{"ecs": "http://x"}}, `unknown service "ecs"`},
		{"s3 addressing", Config{Credentials: creds, Endpoints: map[string]string{"s3": "https://s3.eu-west-1.amazonaws.com"}, S3Addressing: "virtual"}, ""},
		{"s3 path addressing", Config{S3Addressing: "path"}, ""},
		{"bad s3 addressing", Config{S3Addressing: "host"}, `s3Addressing: "host" is neither "path" nor "virtual"`},
		{"bad url", Config{Credentials: creds, Endpoints: map[string]string{"sqs": "127.0.0.1:9324"}}, "is not an http(s) URL"},
		{"no credentials", Config{Endpoints: map[string]string{"sqs": "http://x"}}, "accessKeyId and secretAccessKey are required"},
		{"negative timeout", Config{TimeoutSeconds: -1}, "timeoutSeconds is negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate() = %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("Validate() = %v, want …%s…", err, tc.want)
			}
		})
	}
}

func TestExpandSecrets(t *testing.T) {
	env := map[string]string{"KEY": "AKID", "SECRET": "s3cr3t"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	c := Config{Credentials: Credentials{AccessKeyID: "${KEY}", SecretAccessKey: "${SECRET}", SessionToken: "literal"}}
	if err := c.ExpandSecrets(lookup); err != nil {
		t.Fatal(err)
	}
	if c.Credentials != (Credentials{AccessKeyID: "AKID", SecretAccessKey: "s3cr3t", SessionToken: "literal"}) {
		t.Errorf("expanded %+v", c.Credentials)
	}
	c = Config{Credentials: Credentials{SecretAccessKey: "${MISSING}"}}
	if err := c.ExpandSecrets(lookup); err == nil || !strings.Contains(err.Error(), "MISSING, which is not set") {
		t.Errorf("ExpandSecrets = %v", err)
	}
}
