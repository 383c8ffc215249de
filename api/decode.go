package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// decode reads a request body into in: it must be one JSON object (or
// empty, meaning {}). Members of the wrong JSON type are a
// SerializationException naming the member; unknown members are ignored,
// as AWS ignores them.
func decode(body []byte, in any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	if body[0] != '{' {
		return protocolError(CodeSerialization, "Request body must be a JSON object")
	}
	d := json.NewDecoder(bytes.NewReader(body))
	if err := d.Decode(in); err != nil {
		return serializationError(err)
	}
	if _, err := d.Token(); err != io.EOF {
		return protocolError(CodeSerialization, "Unexpected content after the JSON object")
	}
	return nil
}

func serializationError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		member := te.Field
		if member == "" {
			member = "request"
		}
		return protocolError(CodeSerialization, fmt.Sprintf("Value of type %s at '%s' can not be converted to %s", strings.ToUpper(te.Value), member, wireType(te.Type.Kind().String())))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return protocolError(CodeSerialization, fmt.Sprintf("Malformed JSON at offset %d: %v", se.Offset, se))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return protocolError(CodeSerialization, "Malformed JSON: unexpected end of input")
	}
	return protocolError(CodeSerialization, "Malformed request: "+err.Error())
}

// wireType names a Go kind as the JSON protocol's type.
func wireType(kind string) string {
	switch kind {
	case "string":
		return "a String"
	case "bool":
		return "a Boolean"
	case "int", "int64", "int32", "float64":
		return "a Number"
	case "slice":
		return "a List"
	case "struct", "map", "ptr":
		return "a Structure"
	}
	return kind
}
