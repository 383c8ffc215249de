// Package cursor encodes the opaque pagination tokens of the stores: the key
// of the last record of a page, tagged with the listing it belongs to.
package cursor

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/stepwise-run/stepwise/store"
)

// maxLen bounds the tokens Decode accepts, so that a hostile token cannot
// make a store allocate much.
const maxLen = 4096

// Encode returns a token for the listing named kind that resumes after the
// record whose key is parts.
func Encode(kind string, parts ...string) string {
	b, err := json.Marshal(append([]string{kind}, parts...))
	if err != nil { // a []string always marshals
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Decode returns the n key parts of a token made by Encode for kind, or an
// error wrapping store.ErrInvalidToken.
func Decode(token, kind string, n int) ([]string, error) {
	if len(token) > maxLen {
		return nil, fmt.Errorf("token of %d bytes: %w", len(token), store.ErrInvalidToken)
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", store.ErrInvalidToken, err)
	}
	var parts []string
	if err := json.Unmarshal(b, &parts); err != nil {
		return nil, fmt.Errorf("%w: %v", store.ErrInvalidToken, err)
	}
	if len(parts) != n+1 || parts[0] != kind {
		return nil, fmt.Errorf("%w: not a %s token", store.ErrInvalidToken, kind)
	}
	return parts[1:], nil
}

// DecodeString decodes a one-part token; the empty token gives "" (the
// start of a listing).
func DecodeString(token, kind string) (string, error) {
	if token == "" {
		return "", nil
	}
	parts, err := Decode(token, kind, 1)
	if err != nil {
		return "", err
	}
	return parts[0], nil
}

// DecodeInt decodes a one-integer token; the empty token gives def.
func DecodeInt(token, kind string, def int64) (int64, error) {
	if token == "" {
		return def, nil
	}
	parts, err := Decode(token, kind, 1)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", store.ErrInvalidToken, err)
	}
	return n, nil
}
