package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// decode reads a request body into in, a pointer to a request struct: the
// body must be one JSON object (or empty, meaning {}). Top-level members
// are matched to the struct's json names exactly, as AWS matches them
// (encoding/json alone would also accept "StateMachineArn"); members it
// does not know are ignored, as AWS ignores them. A member of the wrong
// JSON type is a SerializationException naming the member.
func decode(body []byte, in any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	if body[0] != '{' {
		return protocolError(CodeSerialization, "Request body must be a JSON object")
	}
	d := json.NewDecoder(bytes.NewReader(body))
	var members map[string]json.RawMessage
	if err := d.Decode(&members); err != nil {
		return serializationError("", err)
	}
	if _, err := d.Token(); err != io.EOF {
		return protocolError(CodeSerialization, "Unexpected content after the JSON object")
	}
	v := reflect.ValueOf(in).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		raw, ok := members[name]
		if !ok {
			continue
		}
		if err := json.Unmarshal(raw, v.Field(i).Addr().Interface()); err != nil {
			return serializationError(name, err)
		}
	}
	return nil
}

// serializationError describes a decoding failure of member (or of the
// whole body when member is empty).
func serializationError(member string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		at := member
		if te.Field != "" {
			if at != "" {
				at += "."
			}
			at += te.Field
		}
		if at == "" {
			at = "request"
		}
		return protocolError(CodeSerialization, fmt.Sprintf("Value of type %s at '%s' can not be converted to %s", strings.ToUpper(te.Value), at, wireType(te.Type.Kind())))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return protocolError(CodeSerialization, fmt.Sprintf("Malformed JSON at offset %d: %v", se.Offset, se))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return protocolError(CodeSerialization, "Malformed JSON: unexpected end of input")
	}
	if member != "" {
		return protocolError(CodeSerialization, fmt.Sprintf("Malformed value at '%s': %v", member, err))
	}
	return protocolError(CodeSerialization, "Malformed request: "+err.Error())
}

// wireType names a Go kind as the JSON protocol's type.
func wireType(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a String"
	case reflect.Bool:
		return "a Boolean"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64:
		return "a Number"
	case reflect.Slice:
		return "a List"
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "a Structure"
	}
	return k.String()
}
