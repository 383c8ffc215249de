package teststate

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// requestMembers are the members of a TestState request, by their exact
// names (AWS matches member names case-sensitively).
var requestMembers = map[string]bool{
	"definition": true, "roleArn": true, "input": true, "inspectionLevel": true,
	"revealSecrets": true, "variables": true, "stateName": true, "mock": true,
	"context": true, "stateConfiguration": true,
}

// DecodeRequest decodes a TestState request body (AWS JSON 1.0). Members
// with other names are ignored, as AWS ignores them; a member of the wrong
// type is a SerializationException-like ValidationException.
func DecodeRequest(body []byte) (*Request, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		return nil, errorf(CodeSerialization, "Start of structure or map found where not expected: %v", err)
	}
	if members == nil {
		return nil, errorf(CodeSerialization, "request body must be a JSON object")
	}
	filtered := make(map[string]json.RawMessage, len(members))
	for k, v := range members {
		if requestMembers[k] && !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			filtered[k] = v
		}
	}
	b, err := json.Marshal(filtered)
	if err != nil {
		return nil, fmt.Errorf("teststate: re-encode request: %w", err)
	}
	var req Request
	if err := json.Unmarshal(b, &req); err != nil {
		return nil, errorf(CodeSerialization, "%v", err)
	}
	return &req, nil
}
